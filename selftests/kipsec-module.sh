#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module unload with state: `rmmod kipsec` while SAs (valid and larval),
# policies and links exist in several namespaces succeeds and leaves no
# kipsec link behind; `modprobe kipsec` brings it back with empty databases.
# The module is loaded again whatever happens (later scripts need it).

. "$(dirname "$0")/lib.sh"

module_check
tool_check

reload() {
	[ -d /sys/module/kipsec ] && return 0
	modprobe kipsec 2>/dev/null || insmod "$TOP/net/kipsec/kipsec.ko"
}
on_exit reload

in_ns() { local NS=$1; shift; "$@"; }
KEY=0x$(hexkey 20 1)
NSS=()
populate() {
	local i n
	for i in 1 2 3; do
		ns_new n || return 1
		NSS+=("$n")
		in_ns "$n" must ip -n "$n" link add ipsec0 type kipsec || return 1
		in_ns "$n" must kip link add "kst$i" if_id $((i + 10)) || return 1
		in_ns "$n" must kip sa add src 10.0.0.1 dst 10.0.0.2 proto esp \
			spi 0x1000 mode tunnel enc aes-gcm-16 "$KEY" \
			if_id $((i + 10)) || return 1
		in_ns "$n" must kip sa add src 10.0.0.1 dst 10.0.0.2 proto esp \
			spi 0x1001 mode tunnel enc aes-gcm-16 "$KEY" || return 1
		in_ns "$n" must kip sa allocspi src 10.0.0.1 dst 10.0.0.3 proto esp \
			timeout 600 || return 1
		in_ns "$n" must kip policy add dir out src 10.1.0.0/16 tmpl \
			proto esp mode tunnel src 10.0.0.1 dst 10.0.0.2 || return 1
		in_ns "$n" must kip policy add dir in action bypass \
			if_id $((i + 10)) || return 1
	done
	# and the initial namespace
	must ip link add kstinit type kipsec
}
t "3 namespaces (+ init) with links, SAs, a larval SA and policies" populate

# a monitor holding the events group open must not block the unload
MON=$TMPD/monitor.out
ip netns exec "${NSS[0]}" "$KIPSEC" monitor >"$MON" 2>&1 &
bg_track $!
sleep 1

t "rmmod kipsec succeeds" must rmmod kipsec
t "the module is gone" eval '[ ! -d /sys/module/kipsec ]'

no_links() {
	local n
	for n in "${NSS[@]}" ""; do
		if [ -n "$n" ]; then
			must ip -n "$n" -d link show || return 1
		else
			must ip -d link show || return 1
		fi
		lacks "links in ${n:-init}" "$OUT" "kipsec|ipsec0|kst[0-9]" \
			|| return 1
	done
}
t "no kipsec link left in any namespace" no_links
# The kernel loads the module on demand through its aliases; to see the
# tool's message for a module that cannot be loaded, make that fail.
MODPROBE=$(cat /proc/sys/kernel/modprobe)
on_exit 'echo "$MODPROBE" > /proc/sys/kernel/modprobe'
not_loadable() {
	echo /bin/false >/proc/sys/kernel/modprobe
	expect_fail "" "the kipsec module is not loaded \(generic netlink family 'kipsec' not found\)" \
		-- "$KIPSEC" sa show
	local r=$?
	echo "$MODPROBE" >/proc/sys/kernel/modprobe
	return $r
}
t "module not loadable: kipsec exits 1 saying the module is not loaded" \
	not_loadable

autoload_genl() {
	must "$KIPSEC" limits show || return 1
	[ -d /sys/module/kipsec ] && return 0
	diag "kipsec limits show succeeded but the module is not loaded"
	return 1
}
t "the first kipsec command loads the module (genl family alias)" \
	autoload_genl

autoload_link() {
	must rmmod kipsec || return 1
	must ip link add kstauto type kipsec || return 1
	[ -d /sys/module/kipsec ] || { diag "module not loaded"; return 1; }
	must ip link del kstauto
}
t "ip link add ... type kipsec loads the module (rtnl link alias)" \
	autoload_link

t "modprobe kipsec (already loaded: a no-op)" must modprobe kipsec
empty_after() {
	local n
	for n in "${NSS[@]}"; do
		must in_ns "$n" kip -j limits show || return 1
		eq "counts in $n after reload" "0 0" \
			"$(jq -r '"\(.sa_count) \(.policy_count)"' <<<"$OUT")" \
			|| return 1
		must in_ns "$n" kip -j link show || return 1
		eq "links in $n after reload" "[]" "$(jq -c . <<<"$OUT")" \
			|| return 1
	done
}
t "after reload every namespace is empty" empty_after
usable() {
	in_ns "${NSS[0]}" must kip link add kst1 if_id 11 || return 1
	in_ns "${NSS[0]}" must kip sa add src 10.0.0.1 dst 10.0.0.2 proto esp \
		spi 0x1000 mode tunnel enc aes-gcm-16 "$KEY" if_id 11 || return 1
	in_ns "${NSS[0]}" must kip policy add dir in action bypass if_id 11
}
t "the reloaded module works (same objects again)" usable
t "rmmod again with objects, then modprobe" \
	eval 'must rmmod kipsec && must modprobe kipsec'
t "module loaded at the end" eval '[ -d /sys/module/kipsec ]'
