#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC1010  # "ynl_cli do ..." is not a loop
#
# Counters, as the control plane reports them: stats-get (YNL and the
# tool's text, JSON and -batch output) lists exactly the spec's counters,
# all zero in a fresh namespace; the counters are per namespace; `sa show
# -s` shows a fresh SA's counters at zero and its add time; stats-get needs
# CAP_NET_ADMIN. The expected counter names come from the YAML spec (read
# with the YNL library) and are checked against Documentation/netlink.rst;
# counter values driven by traffic are the data path tests' business.

. "$(dirname "$0")/lib.sh"

module_check
tool_check
ynl_check
command -v setpriv >/dev/null || bail "setpriv (util-linux) missing"
ns_fresh

# ------------------------------------------------------------ the names
NAMES=$(spec_counters) || bail "reading the stats attribute set from $SPEC"
NAMES_JSON=$(jq -R . <<<"$NAMES" | jq -sc .)
NCOUNTERS=$(grep -c . <<<"$NAMES")
ZERO_TEXT=$(while IFS= read -r n; do echo "$n 0"; done <<<"$NAMES")

names_ok() {
	eq "number of counters in the spec" 21 "$NCOUNTERS" || return 1
	local doc
	# the rows of the counter table in the Statistics section
	doc=$(awk '/^Statistics$/ { s = 1 } /^Events$/ { s = 0 }
		   s && /^``[a-z-]+``  / { gsub(/``/, "", $1); print $1 }' \
		"$TOP/Documentation/netlink.rst")
	eq "counters in Documentation/netlink.rst" "$NAMES" "$doc"
}
t "the spec has 21 counters, the ones Documentation/netlink.rst lists, in its order" \
	names_ok

# zero_json WHAT JSON: JSON is one object with exactly the spec's
# counters, in the spec's order, all 0.
zero_json() {
	local keys
	keys=$(jq -c 'keys_unsorted' <<<"$2") || { diag "$1: not JSON: $2"; return 1; }
	eq "$1: keys" "$NAMES_JSON" "$keys" || return 1
	jq -e '[.[]] | all(. == 0)' <<<"$2" >/dev/null && return 0
	diag "$1: a counter is not 0: $2"
	return 1
}

# ------------------------------------------------------------ stats-get
ynl_zero() {
	must ynl_cli do stats-get || return 1
	zero_json "stats-get" "$OUT"
}
t "stats-get (YNL) in a fresh namespace: every counter, all 0" ynl_zero

text_zero() {
	must kip stats || return 1
	eq "kipsec stats" "$ZERO_TEXT" "$OUT" || return 1
	must kip stats show || return 1
	eq "kipsec stats show" "$ZERO_TEXT" "$OUT"
}
t "kipsec stats / stats show: one 'NAME 0' line per counter, in spec order" \
	text_zero

json_zero() {
	must kip -j stats || return 1
	eq "lines of -j stats" 1 "$(grep -c . <<<"$OUT")" || return 1
	zero_json "kipsec -j stats" "$OUT" || return 1
	must kip stats show -j || return 1
	zero_json "kipsec stats show -j" "$OUT"
}
t "kipsec -j stats: one object of every counter, in spec order, all 0" json_zero

batch() {
	must kip -batch - <<<$'stats\n# a comment\nstats show' || return 1
	eq "kipsec -batch" "$ZERO_TEXT"$'\n'"$ZERO_TEXT" "$OUT" || return 1
	must kip -j -batch - <<<"stats" || return 1
	zero_json "kipsec -j -batch" "$OUT"
}
t "kipsec -batch runs stats (text and JSON)" batch

usage() {
	run kip stats show extra
	eq "exit status" 2 "$RC" || return 1
	contains "usage error" "$OUT" 'stats show: unknown keyword "extra"'
}
t "kipsec stats show with an extra word is a usage error (exit 2)" usage

# ------------------------------------------------------------ namespaces
# A packet routed into a kipsec link that no policy covers is dropped and
# counted in the namespace of the link ($NS), and only there (not in B).
ns_new B || bail "ip netns add"
total() { jq '[.[]] | add' <<<"$1"; }

per_ns() {
	must kip link add kst9 if_id 9 || return 1
	must nsx ip link set kst9 up || return 1
	must nsx ip addr add 10.99.0.1/24 dev kst9 || return 1
	# three UDP packets into the link
	nsx bash -c 'for i in 1 2 3; do echo x >/dev/udp/10.99.0.2/9; done' \
		2>/dev/null
	must kip -j stats || return 1
	local a=$OUT
	must ip netns exec "$B" "$KIPSEC" -j stats || return 1
	local b=$OUT
	zero_json "namespace B" "$b" || return 1
	if [ "$(total "$a")" -lt 3 ]; then
		diag "namespace A counted $(total "$a") drops for 3 packets: $a"
		return 1
	fi
	eq "counters A reports" "$NAMES_JSON" "$(jq -c keys_unsorted <<<"$a")"
}
t "drops in namespace A are counted in A, not in B" per_ns

netns_opt() {
	must "$KIPSEC" -n "$B" stats || return 1
	eq "kipsec -n B stats" "$ZERO_TEXT" "$OUT"
}
t "kipsec -n B stats: B's counters (all 0)" netns_opt

ynl_ns() {
	must ynl_cli --ns "$B" do stats-get || return 1
	zero_json "stats-get in B" "$OUT"
}
t "stats-get (YNL) in namespace B: all 0" ynl_ns

# ------------------------------------------------------------ SA counters
ns_fresh
KEY=0x$(hexkey 20 3)
BEFORE=0 AFTER=0
sa_add() {
	BEFORE=$(date +%s)
	must kip sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1234 \
		mode tunnel enc aes-gcm-16 "$KEY" || return 1
	AFTER=$(date +%s)
}
t "add an SA" sa_add

# add_time_ok WHAT SECONDS: between the times around sa add
add_time_ok() {
	if [[ $2 =~ ^[0-9]+$ ]] && ((BEFORE - 1 <= $2 && $2 <= AFTER + 1)); then
		return 0
	fi
	diag "$1: add time '$2' not within [$BEFORE, $AFTER]"
	return 1
}

sa_text() {
	local line added
	must kip -s sa show || return 1
	line=$(grep -P '^\tstats ' <<<"$OUT")
	contains "stats line" "$line" \
		'^	stats bytes 0 packets 0 replay-drops 0 integrity-failures 0 other-errors 0 added [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z used -$' \
		|| return 1
	added=$(sed -E 's/.* added ([^ ]+) used .*/\1/' <<<"$line")
	add_time_ok "sa show -s" "$(date -u -d "${added%Z}" +%s 2>/dev/null)"
}
t "kipsec -s sa show: counters 0, added now (UTC), used -" sa_text

sa_json() {
	must kip -sj sa show || return 1
	if ! jq -e '.[0].stats | .bytes == 0 and .packets == 0
		and .replay_drops == 0 and .integrity_failures == 0
		and .other_errors == 0 and .use_time == 0' <<<"$OUT" >/dev/null; then
		diag "sa show -sj: $OUT"
		return 1
	fi
	add_time_ok "sa show -sj" "$(jq '.[0].stats.add_time' <<<"$OUT")"
}
t "kipsec -sj sa show: counters 0, add_time now, use_time 0" sa_json

sa_get() {
	must kip -s sa get dst 10.0.0.2 proto esp spi 0x1234 || return 1
	contains "sa get -s" "$OUT" \
		'stats bytes 0 packets 0 replay-drops 0 integrity-failures 0 other-errors 0 added [^ ]+ used -$'
}
t "kipsec -s sa get: the same counters" sa_get

sa_ynl() {
	must ynl_cli do sa-get "{\"spi\": 4660, \"proto\": \"esp\",
		\"daddr-ipv4\": $(ip4 10.0.0.2)}" || return 1
	if ! jq -e '.stats | .bytes == 0 and .packets == 0
		and ."replay-drops" == 0 and ."integrity-failures" == 0
		and ."other-errors" == 0 and ."use-time" == 0' <<<"$OUT" >/dev/null; then
		diag "sa-get: $OUT"
		return 1
	fi
	add_time_ok "sa-get (YNL)" "$(jq '.stats."add-time"' <<<"$OUT")"
}
t "sa-get (YNL): every SA counter 0, add-time now, use-time 0" sa_ynl

config_no_drops() {
	must kip stats || return 1
	eq "kipsec stats after adding an SA" "$ZERO_TEXT" "$OUT"
}
t "adding an SA counts no drops" config_no_drops

# ------------------------------------------------------------ permission
noadm() {
	ip netns exec "$NS" setpriv --inh-caps=-net_admin --ambient-caps=-net_admin \
		--bounding-set=-net_admin "$@"
}
t "without CAP_NET_ADMIN: kipsec stats: EPERM" \
	expect_fail "Operation not permitted" "" -- noadm "$KIPSEC" stats
