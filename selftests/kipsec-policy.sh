#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Policies through the kipsec tool: every attribute round-trips add -> get
# -> dump (IPv4/IPv6 selectors, prefixes, protocols, port ranges, ICMP
# type/code, priority, actions, if_id, tunnel/transport templates); ids
# increase; get by id; del by id and by selector; flush all and per dir.
# Expected values come from what was sent, Documentation/netlink.rst and
# the output format of Documentation/kipsec.8.rst.

. "$(dirname "$0")/lib.sh"

module_check
tool_check
ns_fresh

LAST_ID=0
ADDED=0
IDS=()

# pol_rt DESC PRED -- ADD_ARGS...: `kipsec policy add ADD_ARGS` prints an id
# greater than every earlier one; `-j policy get id` and the entry with that
# id in `-j policy show` satisfy the jq predicate PRED (plus .id == id).
pol_rt() {
	local desc=$1
	shift
	t "$desc" _pol_rt "$@"
}
_pol_rt() {
	local pred=$1 id obj
	shift 2
	must kip policy add "$@" || return 1
	id=$OUT
	if ! [[ $id =~ ^[0-9]+$ ]]; then
		diag "policy add printed '$id', expected a bare number"
		return 1
	fi
	ADDED=$((ADDED + 1))
	IDS+=("$id")
	if ((id <= LAST_ID)); then
		diag "policy id $id not greater than the previous $LAST_ID"
		return 1
	fi
	LAST_ID=$id
	pred="(.id == $id) and ($pred)"
	must kip -j policy get id "$id" || return 1
	if ! jq -e "$pred" <<<"$OUT" >/dev/null; then
		diag "policy get id $id: expected $pred on:"
		diag "$OUT"
		return 1
	fi
	must kip -j policy show || return 1
	obj=$(jq -c ".[] | select(.id == $id)" <<<"$OUT")
	if [ "$(grep -c . <<<"$obj")" != 1 ]; then
		diag "policy show: expected one policy with id $id: $obj"
		return 1
	fi
	if ! jq -e "$pred" <<<"$obj" >/dev/null; then
		diag "policy show: expected $pred on:"
		diag "$obj"
		return 1
	fi
}

# jq fragments
# a side not given is any address; with the other side given, the kernel
# states it as the family's /0 (netlink.rst, Policies)
ANY_SRC='(.selector.src == null or .selector.src == "any" or .selector.src == "0.0.0.0/0" or .selector.src == "::/0")'
ANY_DST='(.selector.dst == null or .selector.dst == "any" or .selector.dst == "0.0.0.0/0" or .selector.dst == "::/0")'
NO_PORTS='.selector.sport == null and .selector.dport == null'
NO_TMPL='.template == null'
DEF='.priority == 0 and (.if_id // 0) == 0'
# proto printed as a name or a number (kipsec.8: "name or number")
proto_is() { echo "((.selector.proto | tostring) as \$p | \$p == \"$1\" or \$p == \"$2\")"; }
TMPL_T4='.template.proto == "esp" and .template.mode == "tunnel"
	 and .template.src == "192.0.2.1" and .template.dst == "192.0.2.2"'
T4=(tmpl proto esp mode tunnel src 192.0.2.1 dst 192.0.2.2)

# ------------------------------------------------------------ selectors
pol_rt "empty selector, dir out, bypass" \
	".dir == \"out\" and .action == \"bypass\" and $DEF and $ANY_SRC
	 and $ANY_DST and $NO_PORTS and $NO_TMPL" -- dir out action bypass
pol_rt "dir in, discard, IPv4 hosts (prefix defaults to /32)" \
	'.dir == "in" and .action == "discard" and .selector.src == "10.0.0.1/32"
	 and .selector.dst == "10.0.0.2/32"' -- \
	dir in src 10.0.0.1 dst 10.0.0.2 action discard
pol_rt "dir fwd, IPv4 prefixes /16 and /24" \
	'.dir == "fwd" and .selector.src == "10.1.0.0/16"
	 and .selector.dst == "10.2.3.0/24"' -- \
	dir fwd src 10.1.0.0/16 dst 10.2.3.0/24 action bypass
pol_rt "IPv4 /0 and /31" \
	'.selector.src == "0.0.0.0/0" and .selector.dst == "10.2.3.4/31"' -- \
	dir out src 0.0.0.0/0 dst 10.2.3.4/31 action bypass
pol_rt "src only, dst any" \
	".selector.src == \"10.7.0.0/16\" and $ANY_DST" -- \
	dir out src 10.7.0.0/16 action discard
pol_rt "IPv6 hosts (prefix defaults to /128)" \
	'.selector.src == "2001:db8::1/128" and .selector.dst == "2001:db8::2/128"' \
	-- dir out src 2001:db8::1 dst 2001:db8::2 action bypass
pol_rt "IPv6 prefixes /48 and /64" \
	'.selector.src == "2001:db8:1::/48" and .selector.dst == "2001:db8:2:3::/64"' \
	-- dir in src 2001:db8:1::/48 dst 2001:db8:2:3::/64 action bypass
pol_rt "proto tcp, sport range 1024-65535, dport 443" \
	"$(proto_is tcp 6) and .selector.sport.min == 1024
	 and .selector.sport.max == 65535 and .selector.dport.min == 443
	 and (.selector.dport.max == 443 or .selector.dport.max == null)" -- \
	dir out src 10.0.0.0/8 proto tcp sport 1024-65535 dport 443 action bypass
pol_rt "proto udp, dport 500 (single port)" \
	"$(proto_is udp 17) and .selector.sport == null
	 and .selector.dport.min == 500
	 and (.selector.dport.max == 500 or .selector.dport.max == null)" -- \
	dir out proto udp dport 500 action bypass priority 10
pol_rt "proto sctp (132), sport range 1-2" \
	"$(proto_is sctp 132) and .selector.sport.min == 1
	 and .selector.sport.max == 2" -- \
	dir out proto 132 sport 1-2 action bypass
pol_rt "proto udplite (136), dport 7-7" \
	"$(proto_is udplite 136) and .selector.dport.min == 7" -- \
	dir out proto udplite dport 7-7 action bypass
pol_rt "proto icmp type 8 code 0" \
	"$(proto_is icmp 1) and .selector.icmp_type == 8
	 and .selector.icmp_code == 0 and $NO_PORTS" -- \
	dir in proto icmp type 8 code 0 action bypass
pol_rt "proto icmp type 3, no code" \
	"$(proto_is icmp 1) and .selector.icmp_type == 3
	 and .selector.icmp_code == null" -- \
	dir out proto icmp type 3 action discard
pol_rt "IPv6 proto ipv6-icmp type 135 code 0" \
	"$(proto_is ipv6-icmp 58) and .selector.icmp_type == 135
	 and .selector.icmp_code == 0 and .selector.dst == \"fe80::/10\"" -- \
	dir in dst fe80::/10 proto ipv6-icmp type 135 code 0 action bypass
pol_rt "proto 47 (gre), no ports" \
	"$(proto_is gre 47) and $NO_PORTS" -- dir out proto 47 action discard

# ------------------------------------------------------------ other attributes
pol_rt "priority 100" '.priority == 100' -- \
	dir out src 10.8.0.0/16 action bypass priority 100
pol_rt "priority 4294967295" '.priority == 4294967295' -- \
	dir out src 10.9.0.0/16 action bypass priority 4294967295
must kip link add kst0 if_id 7 || diag "link add kst0 if_id 7 failed"
pol_rt "if_id 7" '.if_id == 7' -- \
	dir out src 10.10.0.0/16 action bypass if_id 7
pol_rt "same selector and dir, other if_id: another policy" '.if_id == 0' -- \
	dir out src 10.10.0.0/16 action bypass
pol_rt "same selector, other dir: another policy" '.dir == "in"' -- \
	dir in src 10.10.0.0/16 action bypass

# ------------------------------------------------------------ templates
pol_rt "protect, tunnel template IPv4 with reqid" \
	".action == \"protect\" and $TMPL_T4 and .template.reqid == 42" -- \
	dir out src 10.1.0.0/16 dst 10.2.0.0/16 tmpl proto esp mode tunnel \
	reqid 42 src 192.0.2.1 dst 192.0.2.2
pol_rt "protect is the default action" \
	".action == \"protect\" and $TMPL_T4" -- \
	dir in src 10.2.0.0/16 dst 10.1.0.0/16 "${T4[@]}"
pol_rt "tunnel template IPv6 endpoints, IPv4 selector" \
	'.template.src == "2001:db8::a" and .template.dst == "2001:db8::b"
	 and .template.mode == "tunnel" and .selector.src == "10.3.0.0/16"' -- \
	dir out src 10.3.0.0/16 action protect tmpl proto esp mode tunnel \
	src 2001:db8::a dst 2001:db8::b
pol_rt "transport template esp, no endpoints" \
	'.template.proto == "esp" and .template.mode == "transport"
	 and .template.src == null and .template.dst == null
	 and (.template.reqid // 0) == 0' -- \
	dir out src 192.0.2.1 dst 192.0.2.2 proto tcp tmpl proto esp \
	mode transport
pol_rt "transport template esp with reqid" \
	'.template.proto == "esp" and .template.mode == "transport"
	 and .template.reqid == 9' -- \
	dir in src 192.0.2.2 dst 192.0.2.1 tmpl proto esp mode transport reqid 9
pol_rt "everything at once" \
	".dir == \"fwd\" and .priority == 5 and .if_id == 7
	 and .selector.src == \"2001:db8:a::/48\"
	 and .selector.dst == \"2001:db8:b::/48\" and $(proto_is tcp 6)
	 and .selector.sport.min == 1 and .selector.sport.max == 1023
	 and .selector.dport.min == 22 and .template.proto == \"esp\"
	 and .template.mode == \"tunnel\" and .template.reqid == 3
	 and .template.src == \"2001:db8::a\"
	 and .template.dst == \"2001:db8::b\"" -- \
	dir fwd src 2001:db8:a::/48 dst 2001:db8:b::/48 proto tcp sport 1-1023 \
	dport 22 priority 5 if_id 7 tmpl proto esp mode tunnel reqid 3 \
	src 2001:db8::a dst 2001:db8::b

count_pol() { kip -j policy show | jq length; }
count_check() {
	eq "policies in dump" "$1" "$(count_pol)" || return 1
	eq "limits policy_count" "$1" "$(kip -j limits show | jq .policy_count)"
}
t "dump and limits count exactly the $ADDED policies added" \
	count_check "$ADDED"

text_show() {
	must kip policy show || return 1
	contains "text policy show" "$OUT" \
		"^id ${IDS[1]} dir in priority 0 action discard"
}
t "text output: 'id N dir DIR priority N action ACTION'" text_show

# ------------------------------------------------------------ delete
del_id() {
	local id=${IDS[2]}
	must kip policy del id "$id" || return 1
	expect_fail "No such file or directory" "" -- kip policy get id "$id" \
		|| return 1
	eq "deleted id in dump" "" \
		"$(kip -j policy show | jq ".[] | select(.id == $id)")" || return 1
	count_check $((ADDED - 1))
}
t "policy del id removes that policy only" del_id

del_sel() {
	# the policy "proto tcp sport 1024-65535 dport 443" (IDS[7])
	must kip policy del dir out src 10.0.0.0/8 proto tcp sport 1024-65535 \
		dport 443 || return 1
	expect_fail "No such file or directory" "" -- \
		kip policy get id "${IDS[7]}" || return 1
	count_check $((ADDED - 2))
}
t "policy del by dir and selector" del_sel

del_sel_ifid() {
	# "dir out src 10.10.0.0/16" exists with if_id 7 (IDS[17]) and
	# without (IDS[18]): del with if_id 7 removes exactly the first
	must kip policy del dir out src 10.10.0.0/16 if_id 7 || return 1
	expect_fail "No such file or directory" "" -- \
		kip policy get id "${IDS[17]}" || return 1
	must kip policy get id "${IDS[18]}" || return 1
	must kip policy del dir out src 10.10.0.0/16 || return 1
	expect_fail "No such file or directory" "" -- \
		kip policy get id "${IDS[18]}" || return 1
	must kip policy get id "${IDS[19]}" || return 1
	count_check $((ADDED - 4))
}
t "policy del by selector distinguishes if_id and dir" del_sel_ifid

flush_dir() {
	local n
	must kip policy flush dir in || return 1
	n=$(kip -j policy show | jq '[.[] | select(.dir == "in")] | length')
	eq "dir in policies after flush dir in" 0 "$n" || return 1
	n=$(kip -j policy show | jq '[.[] | select(.dir != "in")] | length')
	((n > 0)) || { diag "flush dir in removed other directions"; return 1; }
	count_check "$n"
}
t "policy flush dir in removes exactly the inbound ones" flush_dir

flush_all() {
	must kip policy flush || return 1
	count_check 0 || return 1
	must kip policy show || return 1
	eq "policy show after flush" "" "$OUT"
}
t "policy flush removes all" flush_all
