#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The iproute2 plugin (tools/kipsec/iproute2/link_kipsec.so): stock `ip`
# creates kipsec links with their attributes and `ip -d link show` prints
# them, in text and JSON; bad options are refused before the kernel sees
# them. Values are checked against what `kipsec link show` reads back from
# the kernel's IFLA_INFO_DATA.

. "$(dirname "$0")/lib.sh"

module_check
tool_check
ns_fresh

PLUGIN_DIR=$TOP/tools/kipsec/iproute2
[ -r "$PLUGIN_DIR/link_kipsec.so" ] || bail "no $PLUGIN_DIR/link_kipsec.so (make tool)"
ipk() { IP_LIB_DIR=$PLUGIN_DIR ip -n "$NS" "$@"; }

nsx ip link add under0 type dummy
UNDER=$(nsx cat /sys/class/net/under0/ifindex)

add_with_attrs() {
	must ipk link add ipsec9 type kipsec if_id 9 underlay under0 || return 1
	must kip -j link show ipsec9 || return 1
	eq "kernel if_id" 9 "$(jq -r '.if_id' <<<"$OUT")" || return 1
	eq "kernel underlay" "$UNDER" "$(jq -r '.underlay_ifindex' <<<"$OUT")"
}
t "ip link add ... type kipsec if_id 9 underlay under0" add_with_attrs

show_text() {
	must ipk -d link show ipsec9 || return 1
	contains "ip -d link show" "$OUT" "kipsec if_id 9 underlay_ifindex $UNDER( |$)"
}
t "ip -d link show prints if_id and underlay" show_text

show_json() {
	must ipk -j -d link show ipsec9 || return 1
	eq "info_data.if_id" 9 "$(jq -r '.[0].linkinfo.info_data.if_id' <<<"$OUT")" ||
		return 1
	eq "info_data.underlay_ifindex" "$UNDER" \
		"$(jq -r '.[0].linkinfo.info_data.underlay_ifindex' <<<"$OUT")"
}
t "ip -j -d link show has info_data" show_json

dup() {
	run ipk link add ipsec10 type kipsec if_id 9
	[ "$RC" -ne 0 ] || { diag "duplicate if_id accepted"; return 1; }
	# ip prints the kernel's extack in place of strerror when there is one
	contains "error" "$OUT" "another kipsec link in this namespace has it"
}
t "a duplicate if_id is refused (EEXIST)" dup

bad() {
	run ipk link add ipsec11 type kipsec if_id 0
	[ "$RC" -ne 0 ] || { diag "if_id 0 accepted"; return 1; }
	contains "error" "$OUT" 'invalid if_id "0"' || return 1
	run ipk link add ipsec11 type kipsec frobnicate
	[ "$RC" -ne 0 ] || { diag "unknown option accepted"; return 1; }
	contains "error" "$OUT" 'unknown option "frobnicate"' || return 1
	run nsx ip link show ipsec11
	[ "$RC" -ne 0 ] || { diag "ipsec11 exists after refused requests"; return 1; }
}
t "bad options are refused and create nothing" bad
