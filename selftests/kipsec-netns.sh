#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Network namespaces: the SAD, SPD, limits and links of one namespace are
# invisible in another; deleting a namespace that holds SAs, policies and a
# kipsec link is clean (re-creating the name shows nothing); every
# operation, dumps included, needs CAP_NET_ADMIN (EPERM without it).

. "$(dirname "$0")/lib.sh"

module_check
tool_check
command -v setpriv >/dev/null || bail "setpriv (util-linux) missing"

KEY=0x$(hexkey 20 1)
add_objs() {
	must kip sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 \
		mode tunnel enc aes-gcm-16 "$KEY" if_id 3 || return 1
	must kip sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1001 \
		mode tunnel enc aes-gcm-16 "$KEY" || return 1
	must kip sa allocspi src 10.0.0.1 dst 10.0.0.9 proto esp || return 1
	must kip policy add dir out src 10.1.0.0/16 tmpl proto esp \
		mode tunnel src 10.0.0.1 dst 10.0.0.2 || return 1
	must kip policy add dir in src 10.2.0.0/16 action bypass if_id 3
}

# ------------------------------------------------------------ isolation
in_ns() { local NS=$1; shift; "$@"; }

ns_fresh
A=$NS
ns_new B || bail "ip netns add"
setup_a() { must kip link add kst3 if_id 3 && add_objs; }
t "link, SAs (one larval) and policies in namespace A" setup_a

empty_db() {
	must kip -j sa show || return 1
	eq "SAs in $NS" "[]" "$(jq -c . <<<"$OUT")" || return 1
	must kip -j policy show || return 1
	eq "policies in $NS" "[]" "$(jq -c . <<<"$OUT")" || return 1
	must kip -j limits show || return 1
	eq "counts in $NS" "0 0" "$(jq -r '"\(.sa_count) \(.policy_count)"' <<<"$OUT")" \
		|| return 1
	must kip -j link show || return 1
	eq "links in $NS" "[]" "$(jq -c . <<<"$OUT")"
}
t "namespace B sees no SA, policy, count or link of A" in_ns "$B" empty_db
t "sa get in B of A's SA: ENOENT" in_ns "$B" expect_fail \
	"No such file or directory" "" -- kip sa get dst 10.0.0.2 proto esp \
	spi 0x1000

a_intact() {
	must kip -j limits show || return 1
	eq "counts in A" "3 2" "$(jq -r '"\(.sa_count) \(.policy_count)"' <<<"$OUT")" \
		|| return 1
	must kip sa get dst 10.0.0.2 proto esp spi 0x1000
}
t "namespace A still has its 3 SAs and 2 policies" in_ns "$A" a_intact

same_in_b() {
	must kip link add kst3 if_id 3 || return 1
	add_objs
}
t "the same link, SAs and policies can be added in B (no EEXIST)" \
	in_ns "$B" same_in_b

flush_b() {
	must kip sa flush || return 1
	must kip policy flush || return 1
	in_ns "$A" a_intact
}
t "flushing B leaves A alone" in_ns "$B" flush_b
limits_b() {
	must kip limits set max-sas 5 max-policies 6 || return 1
	must in_ns "$A" kip -j limits show || return 1
	eq "A's limits" "131072 65536" \
		"$(jq -r '"\(.max_sas) \(.max_policies)"' <<<"$OUT")"
}
t "limits set in B does not change A's limits" in_ns "$B" limits_b

# ------------------------------------------------------------ netns deletion
del_recreate() {
	local name=$A i
	ns_del "$name"
	# netns cleanup runs asynchronously; give it time
	for i in 1 2 3 4 5 6 7 8 9 10; do
		ip netns list | grep -qw "$name" || break
		sleep 0.5
	done
	sleep 2
	ip netns add "$name" || return 1
	ip -n "$name" link set lo up
	in_ns "$name" empty_db || return 1
	if ip -n "$name" link show kst3 >/dev/null 2>&1; then
		diag "kst3 still exists in re-created $name"
		return 1
	fi
	# still works
	in_ns "$name" must kip sa add src 10.0.0.1 dst 10.0.0.2 proto esp \
		spi 0x1000 mode tunnel enc aes-gcm-16 "$KEY" if_id 3
}
t "deleting a namespace with SAs, policies and a link; same name again is empty" \
	del_recreate

many_ns() {
	local i n
	for i in 1 2 3 4; do
		ns_new n || return 1
		in_ns "$n" must kip link add "kst$i" if_id "$i" || return 1
		in_ns "$n" add_objs || return 1
		ip netns del "$n" || return 1
	done
	sleep 2
	# B is untouched by all that
	must in_ns "$B" kip -j limits show || return 1
	eq "B's counts" "0 0" "$(jq -r '"\(.sa_count) \(.policy_count)"' <<<"$OUT")"
}
t "creating and deleting 4 populated namespaces in a row" many_ns

# ------------------------------------------------------------ CAP_NET_ADMIN
ns_fresh
must kip sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x2000 mode tunnel \
	enc aes-gcm-16 "$KEY" || diag "setup for EPERM tests failed"
must kip policy add dir out action bypass || diag "setup for EPERM tests failed"

# noadm CMD...: CMD in $NS without CAP_NET_ADMIN (bounding, inheritable and
# ambient sets; root's exec then leaves it out of permitted/effective).
noadm() {
	ip netns exec "$NS" setpriv --inh-caps=-net_admin --ambient-caps=-net_admin \
		--bounding-set=-net_admin "$@"
}
no_cap() {
	local eff
	eff=$(noadm awk '/^CapEff/ { print $2 }' /proc/self/status)
	# CAP_NET_ADMIN is bit 12
	if (((0x$eff >> 12) & 1)); then
		diag "setpriv did not drop CAP_NET_ADMIN: CapEff $eff"
		return 1
	fi
}
t "setpriv drops CAP_NET_ADMIN" no_cap

EPERM="Operation not permitted"
eperm() { t "without CAP_NET_ADMIN: kipsec $*: EPERM" reject "$EPERM" "" -- \
	noadm "$KIPSEC" "$@"; }
eperm sa show
eperm sa get dst 10.0.0.2 proto esp spi 0x2000
eperm sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x2001 mode tunnel \
	enc aes-gcm-16 "$KEY"
eperm sa update src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x2000 \
	hard-seconds 10
eperm sa del dst 10.0.0.2 proto esp spi 0x2000
eperm sa flush
eperm sa allocspi src 10.0.0.1 dst 10.0.0.2 proto esp
eperm policy show
eperm policy add dir in action bypass
eperm policy flush
eperm limits show
eperm limits set max-sas 10

ynl_eperm() {
	local out rc
	out=$(noadm "$PYTHON" "$YNL_CLI" --spec "$SPEC" --no-schema \
		--output-json "$@" 2>&1)
	rc=$?
	[ "$rc" = 1 ] && grep -qF "$EPERM" <<<"$out" && return 0
	diag "expected EPERM (exit 1), got $rc: $out"
	return 1
}
t "without CAP_NET_ADMIN: raw sa-get dump: EPERM" ynl_eperm --dump sa-get
t "without CAP_NET_ADMIN: raw policy-get dump: EPERM" ynl_eperm \
	--dump policy-get
t "without CAP_NET_ADMIN: raw sa-new: EPERM" ynl_eperm --do sa-new --json \
	"{\"spi\": 8195, \"proto\": \"esp\", \"mode\": \"tunnel\",
	  \"saddr-ipv4\": $(ip4 10.0.0.1), \"daddr-ipv4\": $(ip4 10.0.0.2),
	  \"crypt\": {\"id\": 20, \"key\": \"$(hexkey 20 1)\"}}"
