#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kipsec links: `ip link add NAME type kipsec` with stock iproute2 (if_id
# auto-assigned: the lowest unused in the namespace), `kipsec link add NAME
# if_id N [underlay DEV]`, duplicate if_id (EEXIST), the kind in `ip -d link
# show`, deleting a link deletes the SAs and policies bound to its if_id in
# its namespace and nothing else, a link in a namespace that is deleted.

. "$(dirname "$0")/lib.sh"

module_check
tool_check
ns_fresh

KEY=0x$(hexkey 20 1)

# link_field NAME JQ: a field of NAME in `kipsec -j link show`.
link_field() { kip -j link show | jq -r ".[] | select(.name == \"$1\") | $2"; }

ip_add() {
	must ip -n "$NS" link add "$1" type kipsec || return 1
	eq "if_id of $1" "$2" "$(link_field "$1" .if_id)"
}
t "ip link add ipsec0 type kipsec: if_id 1 (lowest unused)" ip_add ipsec0 1
t "ip link add ipsec1 type kipsec: if_id 2" ip_add ipsec1 2

kind() {
	must ip -n "$NS" -j -d link show "$1" || return 1
	eq "info_kind of $1" kipsec "$(jq -r '.[0].linkinfo.info_kind' <<<"$OUT")" \
		|| return 1
	must ip -n "$NS" -d link show "$1" || return 1
	contains "ip -d link show $1" "$OUT" "(^|[[:space:]])kipsec([[:space:]]|$)"
}
t "ip -d link show shows kind kipsec" kind ipsec0

tool_add() {
	must kip link add kst5 if_id 5 || return 1
	eq "if_id of kst5" 5 "$(link_field kst5 .if_id)" || return 1
	kind kst5 || return 1
	eq "underlay of kst5" null "$(link_field kst5 .underlay)"
}
t "kipsec link add kst5 if_id 5" tool_add

underlay() {
	must ip -n "$NS" link add dum0 type dummy || return 1
	local idx
	idx=$(ip -n "$NS" -j link show dum0 | jq .[0].ifindex)
	must kip link add kst6 if_id 6 underlay dum0 || return 1
	eq "if_id of kst6" 6 "$(link_field kst6 .if_id)" || return 1
	eq "underlay of kst6" dum0 "$(link_field kst6 .underlay)" || return 1
	eq "underlay_ifindex of kst6" "$idx" "$(link_field kst6 .underlay_ifindex)"
}
t "kipsec link add kst6 if_id 6 underlay dum0" underlay

# Created here, living in $NS: its ESP would arrive here, where its SAs
# are not; refused, and no link appears on either side.
cross_ns() {
	run ip link add kcross netns "$NS" type kipsec
	[ "$RC" -ne 0 ] || { diag "ip link add ... netns $NS type kipsec succeeded"; return 1; }
	contains "ip link add error" "$OUT" "cross-namespace" || return 1
	! ip link show kcross >/dev/null 2>&1 &&
		! ip -n "$NS" link show kcross >/dev/null 2>&1
}
t "ip link add kcross netns NS type kipsec: refused (cross-namespace links)" cross_ns

t "kipsec link add with a duplicate if_id 5: EEXIST" reject "File exists" "" \
	-- kip link add kst7 if_id 5
t "kipsec link add with an if_id that ip link chose (2): EEXIST" \
	reject "File exists" "" -- kip link add kst7 if_id 2
t "kipsec link add with an unknown underlay fails" reject "" "" -- \
	kip link add kst7 if_id 7 underlay nosuchdev
t "kipsec link del of a non-kipsec link is refused" reject "" "" -- \
	kip link del dum0
t "kipsec link show of a non-kipsec link is an error" expect_fail "" "" -- \
	kip link show dum0

reuse() {
	must ip -n "$NS" link del ipsec0 || return 1
	ip_add ipsec2 1 || return 1	# 1 is free again
	ip_add ipsec3 3			# 1, 2 used: 3; then 5, 6 used
}
t "auto if_id is the lowest unused after a delete (1, then 3)" reuse

count_links() { kip -j link show | jq length; }
t "kipsec link show lists the 5 links" eval 'eq "links" 5 "$(count_links)"'

# ------------------------------------------------------------ cascade
sa() {	# sa SPI [if_id N]
	local spi=$1
	shift
	kip sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi "$spi" mode tunnel \
		enc aes-gcm-16 "$KEY" "$@"
}
cascade_setup() {
	must kip link add kst7 if_id 7 &&
	must sa 0x105 if_id 5 && must sa 0x106 if_id 6 && must sa 0x100 &&
	must sa 0x205 if_id 5 &&
	must kip policy add dir out src 10.5.0.0/16 action bypass if_id 5 &&
	must kip policy add dir out src 10.6.0.0/16 action bypass if_id 6 &&
	must kip policy add dir out src 10.0.0.0/16 action bypass &&
	must kip policy add dir in src 10.5.0.0/16 action discard if_id 5 &&
	must kip policy add dir in src 10.7.0.0/16 action discard if_id 7
}
t "SAs and policies bound to if_id 5, 6, 7 and none" cascade_setup

# other namespace with its own link if_id 5 and SA/policy bound to it
ns_new ns2 || bail "ip netns add"
in_ns() { local NS=$1; shift; "$@"; }
other_setup() {
	must kip link add kst5 if_id 5 && must sa 0x105 if_id 5 &&
	must kip policy add dir out src 10.5.0.0/16 action bypass if_id 5
}
t "second namespace: link if_id 5 with an SA and a policy" in_ns "$ns2" \
	other_setup

# ifids_left: "SA if_ids | policy if_ids", sorted, 0 for none
ifids_left() {
	echo "$(kip -j sa show | jq -r '[.[] | .if_id // 0] | sort | map(tostring) | join(",")')|$(kip -j policy show | jq -r '[.[] | .if_id // 0] | sort | map(tostring) | join(",")')"
}
del_ip() {
	must ip -n "$NS" link del kst5 || return 1
	eq "if_ids of SAs|policies after deleting kst5" "0,6|0,6,7" "$(ifids_left)"
}
t "ip link del kst5 deletes the SAs and policies of if_id 5 only" del_ip
del_tool() {
	must kip link del kst6 || return 1
	eq "if_ids of SAs|policies after deleting kst6" "0|0,7" "$(ifids_left)"
}
t "kipsec link del kst6 deletes those of if_id 6 only" del_tool
other_intact() {
	eq "if_ids in the second namespace" "5|5" "$(ifids_left)" || return 1
	eq "link in the second namespace" 5 "$(link_field kst5 .if_id)"
}
t "the second namespace's if_id 5 objects are untouched" in_ns "$ns2" \
	other_intact

# ------------------------------------------------------------ netns deletion
netns_del() {
	local n i
	ns_new n || return 1
	in_ns "$n" must ip -n "$n" link add ipsec0 type kipsec || return 1
	in_ns "$n" must kip link add kst9 if_id 9 || return 1
	in_ns "$n" must sa 0x109 if_id 9 || return 1
	in_ns "$n" must kip policy add dir out action bypass if_id 9 || return 1
	ip netns del "$n" || return 1
	for i in 1 2 3 4 5 6; do sleep 0.5; done
	ip netns add "$n" || return 1
	eq "kipsec links in re-created $n" "[]" \
		"$(in_ns "$n" kip -j link show | jq -c .)" || return 1
	eq "SAs|policies in re-created $n" "|" "$(in_ns "$n" ifids_left)" \
		|| return 1
	# the other namespaces are fine
	eq "links here (ipsec1, ipsec2, ipsec3, kst7)" 4 "$(count_links)"
}
t "a namespace with kipsec links, SAs and policies is deleted cleanly" \
	netns_del
