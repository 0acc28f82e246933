#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC1010  # "ynl_cli do ..." is not a loop
#
# The kernel tree's YNL CLI (tools/net/ynl/cli.py, driven only by
# Documentation/netlink/specs/kipsec.yaml) talks to the module: the spec
# validates against the genetlink schema, sa-new / sa-get (do and dump) /
# sa-alloc-spi / policy-new / policy-get / limits-get work, and what the
# kernel returns equals what was sent, so spec and kernel agree.

. "$(dirname "$0")/lib.sh"

module_check
ynl_check
ns_fresh

schema() {
	must "$PYTHON" "$YNL_CLI" --spec "$SPEC" --schema "$YNL_SCHEMA" \
		--list-ops || return 1
	contains "ops" "$OUT" "sa-alloc-spi" && contains "ops" "$OUT" "limits-set"
}
t "the spec validates against the genetlink schema (cli.py --list-ops)" schema

# jq_check WHAT JSON PRED
jq_check() {
	jq -e "$3" <<<"$2" >/dev/null 2>&1 && return 0
	diag "$1: expected $3 on:"
	diag "$2"
	return 1
}

KEY=$(hexkey 20 5)
AKEY=$(hexkey 64 6)
SA4="{\"spi\": 4660, \"proto\": \"esp\", \"mode\": \"tunnel\",
      \"saddr-ipv4\": $(ip4 192.0.2.1), \"daddr-ipv4\": $(ip4 192.0.2.2),
      \"crypt\": {\"id\": 20, \"key\": \"$KEY\", \"icv-len\": 16},
      \"replay-window\": 128, \"flags\": [\"esn\"], \"reqid\": 77,
      \"lifetime-soft\": {\"bytes\": 1000, \"packets\": 10, \"seconds\": 30000},
      \"lifetime-hard\": {\"bytes\": 2000, \"packets\": 20, \"seconds\": 60000},
      \"encap-sport\": 4500, \"encap-dport\": 4501}"
SA6="{\"spi\": 4294967040, \"proto\": \"ah\", \"mode\": \"transport\",
      \"saddr-ipv6\": \"$(ip6 2001:db8::1)\",
      \"daddr-ipv6\": \"$(ip6 2001:db8::2)\",
      \"auth\": {\"id\": 14, \"key\": \"$AKEY\"}}"
# What the kernel must report (YNL display hints: spi hex, addresses as
# text, flags as names; key-len in bits without salt, icv-len always).
SA4_EXP='.spi == "0x1234" and .proto == "esp" and .mode == "tunnel"
	and ."saddr-ipv4" == "192.0.2.1" and ."daddr-ipv4" == "192.0.2.2"
	and .crypt.id == 20 and .crypt."icv-len" == 16
	and .crypt."key-len" == 128 and (.crypt | has("key") | not)
	and (.auth == null) and ."replay-window" == 128 and .flags == ["esn"]
	and .reqid == 77 and ."encap-sport" == 4500 and ."encap-dport" == 4501
	and ."lifetime-soft" == {"bytes": 1000, "packets": 10, "seconds": 30000}
	and ."lifetime-hard" == {"bytes": 2000, "packets": 20, "seconds": 60000}
	and .state == "valid" and (.stats | type) == "object"'
SA6_EXP='.spi == "0xffffff00" and .proto == "ah" and .mode == "transport"
	and ."saddr-ipv6" == "2001:db8::1" and ."daddr-ipv6" == "2001:db8::2"
	and .auth.id == 14 and .auth."icv-len" == 32
	and .auth."key-len" == 512 and (.auth | has("key") | not)
	and .crypt == null and .state == "valid"'

t "cli.py --do sa-new (IPv4 ESP, every attribute)" must ynl_cli do sa-new "$SA4"
t "cli.py --do sa-new (IPv6 AH)" must ynl_cli do sa-new "$SA6"

dump_sa() {
	must ynl_cli dump sa-get || return 1
	local d=$OUT
	jq_check "dump length" "$d" 'length == 2' || return 1
	jq_check "IPv4 SA in dump" "$(jq -c '.[] | select(.proto == "esp")' <<<"$d")" \
		"$SA4_EXP" || return 1
	jq_check "IPv6 SA in dump" "$(jq -c '.[] | select(.proto == "ah")' <<<"$d")" \
		"$SA6_EXP" || return 1
	lacks "keys in dump" "$d" "$KEY|$AKEY|${KEY:0:16}|${AKEY:0:16}"
}
t "cli.py --dump sa-get returns exactly what was sent, no key" dump_sa

get_sa() {
	must ynl_cli do sa-get "{\"spi\": 4660, \"proto\": \"esp\",
		\"daddr-ipv4\": $(ip4 192.0.2.2)}" || return 1
	jq_check "sa-get IPv4" "$OUT" "$SA4_EXP" || return 1
	must ynl_cli do sa-get "{\"spi\": 4294967040, \"proto\": \"ah\",
		\"daddr-ipv6\": \"$(ip6 2001:db8::2)\"}" || return 1
	jq_check "sa-get IPv6" "$OUT" "$SA6_EXP"
}
t "cli.py --do sa-get returns the same" get_sa

tool_agrees() {
	command -v "$KIPSEC" >/dev/null || { diag "kipsec tool missing"; return 1; }
	must kip -j sa show || return 1
	eq "tool's view (spi dst proto)" \
		"0x00001234 192.0.2.2 esp,0xffffff00 2001:db8::2 ah" \
		"$(jq -r '[.[] | "\(.spi) \(.dst) \(.proto)"] | sort | join(",")' <<<"$OUT")"
}
t "the kipsec tool shows the two SAs YNL added" tool_agrees

LARVAL=0
alloc() {
	must ynl_cli do sa-alloc-spi "{\"proto\": \"esp\",
		\"saddr-ipv4\": $(ip4 192.0.2.1), \"daddr-ipv4\": $(ip4 192.0.2.9), \"spi-min\": 65536,
		\"spi-max\": 65536, \"larval-timeout\": 600}" || return 1
	LARVAL=1
	jq_check "sa-alloc-spi reply" "$OUT" '.spi == "0x10000"' || return 1
	must ynl_cli dump sa-get || return 1
	jq_check "larval SA in dump" "$OUT" \
		'[.[] | select(.spi == "0x10000")] | length == 1 and .[0].state == "larval"
		 and .[0]."daddr-ipv4" == "192.0.2.9" and .[0].proto == "esp"'
}
t "cli.py --do sa-alloc-spi (min=max) returns that SPI, larval in dump" alloc

POL="{\"dir\": \"fwd\", \"priority\": 7, \"action\": \"protect\",
      \"selector\": {\"saddr-ipv4\": $(ip4 10.1.0.0), \"sprefix\": 16,
		     \"daddr-ipv4\": $(ip4 10.2.3.0), \"dprefix\": 24,
		     \"proto\": 6, \"sport-min\": 1024, \"sport-max\": 2048,
		     \"dport-min\": 443, \"dport-max\": 443},
      \"template\": {\"proto\": \"esp\", \"mode\": \"tunnel\", \"reqid\": 77,
		     \"saddr-ipv4\": $(ip4 192.0.2.1),
		     \"daddr-ipv4\": $(ip4 192.0.2.2)}}"
POL_EXP='.dir == "fwd" and .priority == 7 and .action == "protect"
	and .selector."saddr-ipv4" == "10.1.0.0" and .selector.sprefix == 16
	and .selector."daddr-ipv4" == "10.2.3.0" and .selector.dprefix == 24
	and .selector.proto == 6 and .selector."sport-min" == 1024
	and .selector."sport-max" == 2048 and .selector."dport-min" == 443
	and .selector."dport-max" == 443 and .template.proto == "esp"
	and .template.mode == "tunnel" and .template.reqid == 77
	and .template."saddr-ipv4" == "192.0.2.1"
	and .template."daddr-ipv4" == "192.0.2.2"'
POL6="{\"dir\": \"in\", \"action\": \"discard\", \"if-id\": 9,
       \"selector\": {\"daddr-ipv6\": \"$(ip6 2001:db8:5::)\",
		      \"dprefix\": 48, \"proto\": 58, \"icmp-type\": 128,
		      \"icmp-code\": 0}}"
POL6_EXP='.dir == "in" and .action == "discard" and ."if-id" == 9
	and .selector."daddr-ipv6" == "2001:db8:5::" and .selector.dprefix == 48
	and .selector.proto == 58 and .selector."icmp-type" == 128
	and .selector."icmp-code" == 0 and .template == null'
PID1='' PID2=''
pol_new() {
	must ynl_cli do policy-new "$POL" || return 1
	PID1=$(jq .id <<<"$OUT")
	must ynl_cli do policy-new "$POL6" || return 1
	PID2=$(jq .id <<<"$OUT")
	[[ $PID1 =~ ^[0-9]+$ && $PID2 =~ ^[0-9]+$ ]] && ((PID1 >= 1 && PID2 > PID1)) \
		&& return 0
	diag "policy-new replied ids '$PID1', '$PID2'"
	return 1
}
t "cli.py --do policy-new x2 returns increasing ids >= 1" pol_new

pol_dump() {
	must ynl_cli dump policy-get || return 1
	local d=$OUT
	jq_check "policy dump length" "$d" 'length == 2' || return 1
	jq_check "IPv4 policy in dump" "$(jq -c ".[] | select(.id == $PID1)" <<<"$d")" \
		"$POL_EXP" || return 1
	jq_check "IPv6 policy in dump" "$(jq -c ".[] | select(.id == $PID2)" <<<"$d")" \
		"$POL6_EXP" || return 1
	must ynl_cli do policy-get "{\"id\": $PID1}" || return 1
	jq_check "policy-get $PID1" "$OUT" "(.id == $PID1) and $POL_EXP"
}
t "cli.py --dump policy-get / --do policy-get return what was sent" pol_dump

limits() {
	must ynl_cli do limits-get || return 1
	jq_check "limits-get" "$OUT" "(.\"max-sas\" == 131072) and (.\"max-policies\" == 65536)
		and (.\"sa-count\" == $((2 + LARVAL))) and (.\"policy-count\" == 2)"
}
t "cli.py --do limits-get: defaults, 3 SAs (one larval), 2 policies" limits

dels() {
	must ynl_cli do policy-del "{\"id\": $PID1}" || return 1
	must ynl_cli do policy-del "{\"dir\": \"in\", \"if-id\": 9,
		\"selector\": {\"daddr-ipv6\": \"$(ip6 2001:db8:5::)\",
		\"dprefix\": 48, \"proto\": 58, \"icmp-type\": 128,
		\"icmp-code\": 0}}" || return 1
	must ynl_cli do sa-del "{\"spi\": 4660, \"proto\": \"esp\",
		\"daddr-ipv4\": $(ip4 192.0.2.2)}" || return 1
	must ynl_cli do sa-flush '{"proto": "ah"}' || return 1
	must ynl_cli do limits-get || return 1
	jq_check "limits after deletes" "$OUT" \
		"(.\"sa-count\" == $LARVAL) and (.\"policy-count\" == 0)" || return 1
	must ynl_cli do sa-flush || return 1
	must ynl_cli dump sa-get || return 1
	eq "dump after sa-flush" "[]" "$(jq -c . <<<"$OUT")"
}
t "cli.py policy-del (by id, by selector), sa-del, sa-flush" dels
