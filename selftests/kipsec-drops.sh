#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every drop reason of `kipsec stats`, provoked by exactly one packet (or
# one action): each case sends ONE crafted packet and checks that exactly
# the expected namespace counter moved, by exactly 1, that no other one
# moved (a diff of `kipsec -j stats` before and after), and that the SAs'
# counters (`kipsec -sj sa show`) moved as Documentation/netlink.rst
# ("Statistics") says, every other SA's staying put. Control packets, valid
# and delivered, move no drop counter and prove the crafter right.
#
#   namespace D (kipsec, under test)           namespace P (the peer)
#   10.9.0.1 on lo                              craft.py serve: AF_PACKET
#   vD 192.0.2.1 02:00:00:00:00:01 <-- veth --> vP 192.0.2.2 02:00:00:00:00:02
#   kd0: kipsec link, if_id 9, no policy
#   encap listen (UDP 4500), craft.py serve (the outbound senders)
#
# Inbound ESP is built by selftests/drops/craft.py with ENCR_NULL and
# AUTH_HMAC_SHA2_256_128 (so no crypto library is needed: the ICV is an
# HMAC-SHA256 from Python's stdlib), sent from P as an Ethernet frame. SAs
# into D (src 192.0.2.2 dst 192.0.2.1):
#   0x100 tunnel, reqid 1, replay window 64   (inbound policy 10.1.0.0/24 ->
#   0x101 transport                            10.9.0.0/24, reqid 1)
#   0x102 tunnel, reqid 1, encap 4500 4500
#   0x110 tunnel, reqid 2, over IPv6 (2001:db8::2 -> ::1; inner 10.2.0.0/24)
#   0x120 tunnel, reqid 3, if_id 77 (no link has it; inner 10.3.0.0/24)
#   0x300, 0x301 larval (allocspi)
# and out of D: 0x200 (the tunnel's answers to 10.1.0.0/24, reqid 1), and
# one SA per outbound case (reqid and destination network per case).
# craft.py sends from one CPU, so D receives in the order it sent. ESP for
# a larval SA is held (up to 32 packets, Documentation/netlink.rst
# "sa-alloc-spi") and counts nothing until the 33rd, or until the SA goes.
#
# The SA counters are checked as netlink.rst documents them, also where
# the module does otherwise: an outbound packet that its SA drops
# (out-no-route, out-too-big) is one of the SA's "other-errors" ("packets
# the SA dropped for any other reason", "in either direction" says
# kipsec.8).
#
# Reasons this script cannot provoke deterministically from userspace, so
# it does not fake them (the coverage test knows them by name):
#   in-nomem, out-nomem   a failed allocation (only fault injection does it)
#   in-crypto, out-crypto the crypto API failing other than with a bad ICV
#                         (EBADMSG is in-integrity): no software transform
#                         fails on well-formed input
#   out-seq-overflow      needs 2^32 - 1 packets on one SA first: the
#                         sequence number cannot be set from userspace
#
# out-expired: an SA with a hard limit of 1 packet, then one send of two
# UDP datagrams as one GSO skb (UDP_SEGMENT): the netfilter hook takes the
# SA once for the skb and sends the segments one after the other, so the
# second meets the SA after its limit was reached. The lifetime work that
# removes the SA must not run in between (if it does, the SA is freed and
# the second segment is counted as out-no-sa: on 2 vCPUs that happened in
# 22 runs of 25): while this case runs, unbound workqueues are confined to
# CPU 0 (/sys/devices/virtual/workqueue/cpumask) and the sender runs on
# CPU 0 as a SCHED_FIFO task, so no kworker runs before the send system
# call returns.
#
# The last test checks that this script's table of reasons names every
# counter of the stats attribute set of the YAML spec (read with the YNL
# library, as kipsec-stats.sh does), so a new counter fails it until a case
# (or a reason why there can be none) is added here.
#
# Tools: iproute2, jq, Debian's /usr/bin/python3 (selftests/drops/craft.py,
# the YNL library of the kernel tree), bash's /dev/udp.

# One compound command: bash reads it whole before running any of it, so
# the file can change (an edit, a checkout) while a run is in progress.
# shellcheck disable=SC2317 # (the exit at its end hides every function)
{

. "$(dirname "$0")/lib.sh"

CRAFT=$TOP/selftests/drops/craft.py

module_check
tool_check
ynl_check
command -v jq >/dev/null || bail "jq is not installed (Debian package jq)"
[ -r "$CRAFT" ] || bail "selftests/drops/craft.py missing"

# ---------------------------------------------------------------- reasons
# Every counter of the spec: a case below provokes it ("case"), or why no
# case can ("none: WHY").
declare -A REASON=(
	[in-malformed]=case
	[in-nomem]="none: needs a failed allocation"
	[in-sa-invalid]=case
	[in-replay]=case
	[in-integrity]=case
	[in-trailer]=case
	[in-selector]=case
	[in-policy]=case
	[in-discard]=case
	[in-crypto]="none: needs the crypto API to fail other than EBADMSG"
	[out-no-policy]=case
	[out-discard]=case
	[out-no-sa]=case
	[out-seq-overflow]="none: needs 2^32 - 1 packets on one SA"
	[out-expired]=case
	[out-nomem]="none: needs a failed allocation"
	[out-no-route]=case
	[out-too-big]=case
	[out-crypto]="none: needs the crypto API to fail"
	[out-malformed]=case
	[in-encap-mismatch]=case
)
declare -A TRIED=()	# reasons a case expected (whether it passed or not)

# The counters of the spec's stats set (lib.sh). Python starts slowly
# under TCG: this runs in the background while the cases run.
spec_counters >"$TMPD/spec" 2>"$TMPD/spec.err" &
SPEC_PID=$!

# ---------------------------------------------------------------- setup
ns_new D || bail "ip netns add"
ns_new P || bail "ip netns add"
# shellcheck disable=SC2034 # lib.sh's kip and nsx work in $NS
NS=$D

KEY=$(hexkey 32 5)			# HMAC-SHA256 key, 32 bytes
DMAC=02:00:00:00:00:01 PMAC=02:00:00:00:00:02
OD=192.0.2.1 OP=192.0.2.2		# outer addresses
OD6=2001:db8::1 OP6=2001:db8::2
ID=10.9.0.1 IP=10.1.0.2			# inner addresses (D, P's network)

setup_net() {
	local ns
	for ns in "$D" "$P"; do
		# nothing spontaneous (router solicitations, MLD) may meet a
		# policy or a link and move a counter
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
	done
	ip link add vD netns "$D" address "$DMAC" type veth \
		peer name vP netns "$P" address "$PMAC" || return 1
	ip -n "$D" addr add "$OD"/24 dev vD &&
	ip -n "$P" addr add "$OP"/24 dev vP &&
	# IPv6 outer addresses on the veth only (no DAD: no waiting)
	ip netns exec "$D" sysctl -qw net.ipv6.conf.vD.disable_ipv6=0 &&
	ip netns exec "$P" sysctl -qw net.ipv6.conf.vP.disable_ipv6=0 &&
	ip -n "$D" addr add "$OD6"/64 dev vD nodad &&
	ip -n "$P" addr add "$OP6"/64 dev vP nodad &&
	ip -n "$D" link set vD up &&
	ip -n "$P" link set vP up &&
	ip -n "$D" addr add "$ID"/32 dev lo &&
	ip -n "$D" neigh replace "$OP" lladdr "$PMAC" dev vD nud permanent &&
	ip -n "$P" neigh replace "$OD" lladdr "$DMAC" dev vP nud permanent &&
	ip -n "$D" neigh replace "$OP6" lladdr "$PMAC" dev vD nud permanent || return 1
	local n
	# P's networks: the tunnel's, and one per outbound case
	for n in 10.1.0.0/24 10.2.0.0/24 10.60.0.0/24 10.61.0.0/24 10.62.0.0/24 \
		 10.63.0.0/24 10.64.0.0/24; do
		ip -n "$D" route add "$n" via "$OP" dev vD || return 1
	done
	must kip link add kd0 if_id 9 || return 1
	ip netns exec "$D" sysctl -qw net.ipv6.conf.kd0.disable_ipv6=1 &&
	ip -n "$D" link set kd0 up &&
	ip -n "$D" route add 10.50.0.0/24 dev kd0
}

setup_ipsec() {
	local k=0x$KEY
	must kip -batch - <<-EOF || return 1
		sa add src $OP dst $OD proto esp spi 0x100 mode tunnel enc null 0x auth hmac-sha2-256-128 $k replay-window 64 reqid 1
		sa add src $OP dst $OD proto esp spi 0x101 mode transport enc null 0x auth hmac-sha2-256-128 $k replay-window 64
		sa add src $OP dst $OD proto esp spi 0x102 mode tunnel enc null 0x auth hmac-sha2-256-128 $k replay-window 64 reqid 1 encap 4500 4500
		sa add src $OP6 dst $OD6 proto esp spi 0x110 mode tunnel enc null 0x auth hmac-sha2-256-128 $k replay-window 64 reqid 2
		policy add dir in src 10.2.0.0/24 dst 10.9.0.0/24 tmpl proto esp mode tunnel reqid 2 src $OP6 dst $OD6
		sa add src $OP dst $OD proto esp spi 0x120 mode tunnel enc null 0x auth hmac-sha2-256-128 $k replay-window 64 reqid 3 if_id 77
		policy add dir in src 10.3.0.0/24 dst 10.9.0.0/24 if_id 77 tmpl proto esp mode tunnel reqid 3 src $OP dst $OD
		sa add src $OD dst $OP proto esp spi 0x200 mode tunnel enc null 0x auth hmac-sha2-256-128 $k reqid 1
		policy add dir in src 10.1.0.0/24 dst 10.9.0.0/24 priority 100 tmpl proto esp mode tunnel reqid 1 src $OP dst $OD
		policy add dir out src 10.9.0.0/24 dst 10.1.0.0/24 priority 100 tmpl proto esp mode tunnel reqid 1 src $OD dst $OP
		policy add dir in proto udp dport 7 priority 10 action discard
		policy add dir out dst 10.60.0.0/24 action discard
		policy add dir out dst 10.61.0.0/24 tmpl proto esp mode tunnel reqid 61 src $OD dst $OP
		sa add src $OD dst $OP proto esp spi 0x262 mode tunnel enc null 0x auth hmac-sha2-256-128 $k reqid 62 hard-packets 1
		policy add dir out dst 10.62.0.0/24 tmpl proto esp mode tunnel reqid 62 src $OD dst $OP
		sa add src $OD dst 198.51.100.1 proto esp spi 0x263 mode tunnel enc null 0x auth hmac-sha2-256-128 $k reqid 63
		policy add dir out dst 10.63.0.0/24 tmpl proto esp mode tunnel reqid 63 src $OD dst 198.51.100.1
		sa add src $OD dst $OP proto esp spi 0x264 mode tunnel enc null 0x auth hmac-sha2-256-128 $k reqid 64
		policy add dir out dst 10.64.0.0/24 tmpl proto esp mode tunnel reqid 64 src $OD dst $OP
	EOF
	local spi
	for spi in 0x00000300 0x00000301; do
		must kip sa allocspi src "$OP" dst "$OD" proto esp min "$spi" \
			max "$spi" timeout 3600 || return 1
		eq "allocspi" "$spi" "$OUT" || return 1
	done
}

# serve NS VAR: craft.py serve in NS; VAR_W/VAR_R are the fds to it.
declare -A SRV_W=() SRV_R=()
serve() {
	local f=$TMPD/craft-$2 w r
	mkfifo "$f.in" "$f.out" || return 1
	ip netns exec "$1" "$PYTHON" "$CRAFT" serve 0 <"$f.in" >"$f.out" 2>"$f.err" &
	bg_track $!
	exec {w}>"$f.in"
	exec {r}<"$f.out"
	SRV_W[$2]=$w
	SRV_R[$2]=$r
}

# craft WHO ARGS...: one command to craft.py in P (WHO p) or D (WHO d);
# its answer in CRAFTED ("sent LEN inner ILEN"), ILEN in INNER.
CRAFTED='' INNER=''
craft() {
	local who=$1
	shift
	echo "$*" >&"${SRV_W[$who]}"
	if ! IFS= read -r -t 60 -u "${SRV_R[$who]}" CRAFTED; then
		diag "craft.py ($who) did not answer: $(cat "$TMPD/craft-$who.err")"
		return 1
	fi
	if [[ $CRAFTED != sent* ]]; then
		diag "craft.py ($who) $*: $CRAFTED"
		return 1
	fi
	INNER=${CRAFTED##* }
}

# encap listen: the namespace's ESP-in-UDP socket on port 4500.
encap_up() {
	ip netns exec "$D" "$KIPSEC" encap listen >"$TMPD/listen" 2>&1 &
	bg_track $!
	poll_for 30 grep -q "goes to kipsec" "$TMPD/listen" && return 0
	diag "kipsec encap listen: $(cat "$TMPD/listen")"
	return 1
}

# poll_for SECS CMD...: until CMD succeeds, at most SECS seconds.
poll_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.05
	done
}

setup() {
	setup_net || return 1
	setup_ipsec || return 1
	serve "$P" p && serve "$D" d || return 1
	encap_up
}
t "setup: D and P over a veth, SAs and policies in D, craft.py in both, encap listen" \
	setup || exit 1

# ---------------------------------------------------------------- diffs
# snap: the namespace counters and every SA's counters of D, two lines
# of JSON in SNAP (one process: they cost under TCG).
SNAP=
snap() {
	SNAP=$("$KIPSEC" -n "$D" -sj -batch - <<<$'stats\nsa show' \
		2>"$TMPD/snap.err") && return 0
	diag "kipsec -sj -batch: $SNAP $(cat "$TMPD/snap.err")"
	return 1
}

# What moved between two snaps, as one sorted JSON object:
#   {"ns": {COUNTER: +N...}, "sa": {SPI: {COUNTER: +N...} | "gone" | "new"}}
# (counters and SAs that did not move are left out).
# shellcheck disable=SC2016 # jq code
DELTA_JQ='
.[0] as $n0 | .[1] as $s0 | .[2] as $n1 | .[3] as $s1 |
def sas($s): [$s[] | {key: .spi, value: (.stats | {packets, bytes,
	replay_drops, integrity_failures, other_errors})}] | from_entries;
def moved($a; $b): [$b | to_entries[] | select(.value != ($a[.key] // 0))
	| {key, value: (.value - ($a[.key] // 0))}] | from_entries;
sas($s0) as $a | sas($s1) as $b |
{ns: moved($n0; $n1),
 sa: ([($a + $b) | keys[] as $k |
	{key: $k, value: (if $b[$k] == null then "gone"
			  elif $a[$k] == null then "new"
			  else moved($a[$k]; $b[$k]) end)}
	| select(.value != {})] | from_entries)}'
DELTA=
delta() {
	DELTA=$(printf '%s\n%s\n' "$1" "$2" | jq -cS -s "$DELTA_JQ")
}

# expect WANT [SIGNAL]: after the packet was sent, poll (at most 10 s)
# until what moved since `before` is exactly WANT (JSON, as delta
# prints it). For packets that move nothing of kipsec's, SIGNAL is a
# command that succeeds once the packet was seen (then one comparison).
BEFORE=
before() {
	snap || return 1
	BEFORE=$SNAP
}
expect() {
	local want keys end=$((SECONDS + 10)) k last='' same=0
	# one jq: WANT as delta prints it, and the reasons it expects
	{ read -r want && read -r keys; } < <(jq -rcS '., (.ns | keys | join(" "))' <<<"$1")
	[ -n "$want" ] || { diag "bad expectation $1"; return 1; }
	for k in $keys; do
		TRIED[$k]=1
	done
	if [ -n "${2:-}" ]; then
		poll_for 10 eval "$2" || { diag "never seen: $2"; return 1; }
	fi
	while :; do
		snap || return 1
		delta "$BEFORE" "$SNAP" || return 1
		[ "$DELTA" = "$want" ] && break
		# wrong: something else moved and stayed so for three more
		# polls (a packet's counters move together), or nothing did
		if [ "$SECONDS" -ge "$end" ] || [ -n "${2:-}" ] ||
		   [ "$same" -ge 3 ]; then
			diag "moved: $DELTA"
			diag "want:  $want"
			return 1
		fi
		if [ "$DELTA" = "$last" ] && [ "$DELTA" != '{"ns":{},"sa":{}}' ]; then
			same=$((same + 1))
		else
			same=0
		fi
		last=$DELTA
		sleep 0.1
	done
	return 0
}

# ---------------------------------------------------------------- inbound
SEQ=0	# SA 0x100's last sequence number; every packet takes the next
SEQ1=0	# SA 0x101's
SEQ2=0	# SA 0x102's
ESP_TO_D=(--src "$OP" --dst "$OD" --dev vP --key "$KEY")

# esp SPI SEQ ARGS...: a tunnel-mode echo request IP -> ID in ESP.
esp() {
	local spi=$1 seq=$2
	shift 2
	craft p esp "${ESP_TO_D[@]}" --spi "$spi" --seq "$seq" \
		--inner-src "$IP" --inner-dst "$ID" --id "$seq" "$@"
}
# in0 ARGS...: the next packet on SA 0x100.
in0() {
	SEQ=$((SEQ + 1))
	esp 0x100 "$SEQ" "$@"
}

# A: SA 0x100's inner packet is delivered; ANS: D answered it (0x200).
A=0x00000100 T=0x00000101 E=0x00000102 R=0x00000200

control() {
	before && in0 || return 1
	expect "{\"ns\": {}, \"sa\": {\"$A\": {\"packets\": 1, \"bytes\": $INNER},
		\"$R\": {\"packets\": 1, \"bytes\": $INNER}}}"
}
t "control: a valid ESP echo request (tunnel, 0x100) is delivered (packets +1, bytes + its 44 bytes) and answered (0x200 +1), no drop counted" \
	control

# in_case REASON SA-DELTA ARGS...: one packet on SA 0x100 with ARGS, only
# REASON +1, SA 0x100 moved by SA-DELTA.
in_case() {
	local reason=$1 sadelta=$2
	shift 2
	before && in0 "$@" || return 1
	expect "{\"ns\": {\"$reason\": 1}, \"sa\": {\"$A\": $sadelta}}"
}
OTHER='{"other_errors": 1}'

t "in-replay: the control packet again (same seq): replay_drops +1" \
	eval 'before && esp 0x100 1 &&
	      expect "{\"ns\": {\"in-replay\": 1}, \"sa\": {\"$A\": {\"replay_drops\": 1}}}"'
t "in-integrity: a flipped ICV bit: integrity_failures +1" \
	in_case in-integrity '{"integrity_failures": 1}' --bad-icv
t "in-malformed: ESP of SPI, seq and ICV only (no trailer): other_errors +1" \
	in_case in-malformed "$OTHER" --truncate
t "in-malformed: ciphertext one byte over a multiple of the block size (4): other_errors +1" \
	in_case in-malformed "$OTHER" --misalign
t "in-trailer: padding 1, 2 with the last byte wrong: other_errors +1, packets and bytes unchanged" \
	in_case in-trailer "$OTHER" --pad-bad
t "in-trailer: next header 0 (tunnel): other_errors +1" \
	in_case in-trailer "$OTHER" --nexthdr 0
t "in-trailer: next header 255 (tunnel): other_errors +1" \
	in_case in-trailer "$OTHER" --nexthdr 255
t "in-trailer: next header 6 (TCP) in tunnel mode: other_errors +1" \
	in_case in-trailer "$OTHER" --nexthdr 6
t "in-malformed: next header 4 but the inner packet is IPv6: other_errors +1" \
	in_case in-malformed "$OTHER" --inner icmp6 --inner-src fc00:1::2 \
		--inner-dst fc00:9::1 --nexthdr 4
t "in-malformed: inner tot_len 200 over the 44 bytes there: other_errors +1" \
	in_case in-malformed "$OTHER" --inner-len 200
t "in-malformed: outer CE over an inner Not-ECT packet (RFC 6040): other_errors +1" \
	in_case in-malformed "$OTHER" --outer-tos 3 --inner-tos 0
t "in-selector: inner 10.7.0.2 -> 10.9.0.1, outside the inbound policy: other_errors +1" \
	in_case in-selector "$OTHER" --inner-src 10.7.0.2

dummy() {
	before && in0 --inner none || return 1
	expect "{\"ns\": {}, \"sa\": {\"$A\": {\"packets\": 1}}}"
}
t "next header 59 (dummy packet, RFC 4303 2.6): consumed as delivered (packets +1, bytes +0), no drop" \
	dummy

t "control again: the SA still delivers after the drops" control

# IPv6 outer, SA 0x110
SEQ6=0
# v6 ARGS...: the next packet on SA 0x110
# shellcheck disable=SC2120 # (ARGS may be none)
v6() {
	SEQ6=$((SEQ6 + 1))
	craft p esp --family 6 --src "$OP6" --dst "$OD6" --dev vP --key "$KEY" \
		--spi 0x110 --seq "$SEQ6" --inner-src 10.2.0.2 --inner-dst "$ID" "$@"
}
V6=0x00000110
v6_control() {
	# shellcheck disable=SC2119
	before && v6 || return 1
	expect "{\"ns\": {}, \"sa\": {\"$V6\": {\"packets\": 1, \"bytes\": $INNER}}}"
}
t "control: a valid ESP echo request over IPv6 (0x110, tunnel) is delivered (packets +1, bytes +44)" \
	v6_control
t "in-integrity over IPv6: a flipped ICV bit: integrity_failures +1" \
	eval 'before && v6 --bad-icv &&
	      expect "{\"ns\": {\"in-integrity\": 1}, \"sa\": {\"$V6\": {\"integrity_failures\": 1}}}"'
t "in-trailer over IPv6: bad padding: other_errors +1" \
	eval 'before && v6 --pad-bad &&
	      expect "{\"ns\": {\"in-trailer\": 1}, \"sa\": {\"$V6\": $OTHER}}"'

# transport mode, SA 0x101: the echo request to D's outer address
tpt() {
	SEQ1=$((SEQ1 + 1))
	craft p esp "${ESP_TO_D[@]}" --spi 0x101 --seq "$SEQ1" --mode transport \
		--inner-src "$OP" --inner-dst "$OD" "$@"
}
tr_control() {
	before && tpt || return 1
	expect "{\"ns\": {}, \"sa\": {\"$T\": {\"packets\": 1, \"bytes\": $INNER}}}"
}
t "control: a valid transport-mode ESP echo request (0x101) is delivered (packets +1, bytes + its 24 bytes of ICMP)" \
	tr_control
tr_case() {
	before && tpt "$@" || return 1
	expect "{\"ns\": {\"in-trailer\": 1}, \"sa\": {\"$T\": $OTHER}}"
}
t "in-trailer: next header 0 (transport): other_errors +1" tr_case --nexthdr 0
t "in-trailer: next header 255 (transport): other_errors +1" tr_case --nexthdr 255

# before decryption, without an SA to count on
xfrm_nostates() {
	ip netns exec "$D" awk '$1 == "XfrmInNoStates" { print $2 }' \
		/proc/net/xfrm_stat
}
unknown_spi() {
	local n0
	n0=$(xfrm_nostates)
	[ -n "$n0" ] || { diag "no /proc/net/xfrm_stat"; return 1; }
	before && esp 0x999 1 || return 1
	expect '{"ns": {}, "sa": {}}' "[ \"\$(xfrm_nostates)\" -gt $n0 ]"
}
t "unknown SPI 0x999: not kipsec's (native XFRM counts XfrmInNoStates), no kipsec counter moves" \
	unknown_spi

# larval SAs hold up to 32 packets until sa add keys them
held_full() {
	before && esp 0x300 1 --count 32 && esp 0x300 33 || return 1
	expect '{"ns": {"in-sa-invalid": 1}, "sa": {}}'
}
t "in-sa-invalid: 32 ESP packets for the larval SA 0x300 (allocspi) are held, uncounted; the 33rd is dropped" \
	held_full
# craft.py sends from one CPU: D receives in order, so once the ICV
# failure after it is counted, the packet for 0x301 was held
held_one() {
	before && esp 0x301 1 && in0 --bad-icv || return 1
	expect "{\"ns\": {\"in-integrity\": 1}, \"sa\": {\"$A\": {\"integrity_failures\": 1}}}"
}
t "an ESP packet for the larval SA 0x301 is held: nothing counted (then a bad ICV on 0x100, in-integrity +1)" \
	held_one
held_del() {
	before || return 1
	must kip sa del dst "$OD" proto esp spi 0x301 || return 1
	expect '{"ns": {"in-sa-invalid": 1}, "sa": {"0x00000301": "gone"}}'
}
t "in-sa-invalid: the packet held for larval SA 0x301 is dropped when sa del deletes the SA" \
	held_del
no_link() {
	before && esp 0x120 1 --inner-src 10.3.0.2 || return 1
	expect "{\"ns\": {\"in-sa-invalid\": 1}, \"sa\": {\"0x00000120\": $OTHER}}"
}
t "in-sa-invalid: a valid packet for SA 0x120 (if_id 77), which has no kipsec link: other_errors +1" \
	no_link

# UDP encapsulation
enc() {
	SEQ2=$((SEQ2 + 1))
	esp 0x102 "$SEQ2" "$@"
}
enc_control() {
	before && enc --udp-encap 4500 || return 1
	expect "{\"ns\": {}, \"sa\": {\"$E\": {\"packets\": 1, \"bytes\": $INNER},
		\"$R\": {\"packets\": 1, \"bytes\": $INNER}}}"
}
t "control: valid ESP-in-UDP (4500, SA 0x102 with encap) is delivered and answered, no drop" \
	enc_control
t "in-encap-mismatch: ESP-in-UDP for SA 0x100 without encap ports: other_errors +1" \
	in_case in-encap-mismatch "$OTHER" --udp-encap 4500
t "in-encap-mismatch: bare ESP for SA 0x102 with encap ports: other_errors +1" \
	eval 'before && enc &&
	      expect "{\"ns\": {\"in-encap-mismatch\": 1}, \"sa\": {\"$E\": $OTHER}}"'

# clear packets under inbound policies
t "in-policy: a clear echo request 10.1.0.2 -> 10.9.0.1 under the inbound protect policy" \
	eval 'before && craft p clear --dev vP --inner-src $IP --inner-dst $ID &&
	      expect "{\"ns\": {\"in-policy\": 1}, \"sa\": {}}"'
t "in-discard: a clear UDP datagram to port 7 under the inbound discard policy" \
	eval 'before && craft p clear --dev vP --inner-src $IP --inner-dst $ID --udp-dport 7 &&
	      expect "{\"ns\": {\"in-discard\": 1}, \"sa\": {}}"'

# ---------------------------------------------------------------- outbound
# udp DST: one datagram from D (bash's /dev/udp; a refusal is expected).
udp() { nsx bash -c "echo x >/dev/udp/$1/9" 2>/dev/null; :; }

t "out-no-policy: a datagram routed into kipsec link kd0, which has no policy" \
	eval 'before && udp 10.50.0.1 &&
	      expect "{\"ns\": {\"out-no-policy\": 1}, \"sa\": {}}"'
t "out-malformed: a frame that is not IP (20 zero bytes) sent into kd0 with AF_PACKET" \
	eval 'before && craft d frame --dev kd0 --hex $(printf "%040d" 0) &&
	      expect "{\"ns\": {\"out-malformed\": 1}, \"sa\": {}}"'
t "out-discard: a datagram to 10.60.0.1 under the outbound discard policy" \
	eval 'before && udp 10.60.0.1 &&
	      expect "{\"ns\": {\"out-discard\": 1}, \"sa\": {}}"'
t "out-no-sa: a datagram to 10.61.0.1 under a protect policy (reqid 61) without SA" \
	eval 'before && udp 10.61.0.1 &&
	      expect "{\"ns\": {\"out-no-sa\": 1}, \"sa\": {}}"'
t "out-no-route: SA 0x263 to 198.51.100.1, which has no route: other_errors +1" \
	eval 'before && udp 10.63.0.1 &&
	      expect "{\"ns\": {\"out-no-route\": 1}, \"sa\": {\"0x00000263\": $OTHER}}"'

too_big() {
	before || return 1
	# 1440 + 28 bytes with DF fit vD (1500), not once in ESP (1454)
	nsx bash -c 'printf "%1440s" x >/dev/udp/10.64.0.1/9' 2>/dev/null
	expect "{\"ns\": {\"out-too-big\": 1}, \"sa\": {\"0x00000264\": $OTHER}}"
}
t "out-too-big: a 1468-byte DF datagram over SA 0x264 (path MTU 1500): other_errors +1" \
	too_big

# Unbound workqueues (kipsec's) run on CPU 0 only while this runs, where
# the sender is a SCHED_FIFO task: the lifetime work cannot remove the SA
# between the two segments.
WQ_MASK=/sys/devices/virtual/workqueue/cpumask
WQ_SAVED=
expired() {
	if [ -z "$WQ_SAVED" ]; then
		WQ_SAVED=$(cat "$WQ_MASK") || return 1
		on_exit 'echo "$WQ_SAVED" >$WQ_MASK'
	fi
	echo 1 >"$WQ_MASK" || { diag "cannot write $WQ_MASK"; return 1; }
	before && craft d gso --dst 10.62.0.1 --port 9 --size 100 --segments 2 \
		--fifo-cpu 0 || return 1
	echo "$WQ_SAVED" >"$WQ_MASK"
	expect '{"ns": {"out-expired": 1}, "sa": {"0x00000262": "gone"}}'
}
t "out-expired: two GSO segments over SA 0x262 (hard-packets 1): the 2nd dropped, the SA removed" \
	expired

# ---------------------------------------------------------------- coverage
coverage() {
	local names n r=0
	wait "$SPEC_PID" || { diag "reading $SPEC: $(cat "$TMPD/spec.err")"; return 1; }
	names=$(cat "$TMPD/spec")
	for n in $names; do
		case ${REASON[$n]:-} in
		'')	diag "$n: a counter of the spec this script has no case for"
			r=1 ;;
		case)	if [ -z "${TRIED[$n]:-}" ]; then
				diag "$n: no case expected it"
				r=1
			fi ;;
		esac
	done
	for n in "${!REASON[@]}"; do
		grep -qxF -- "$n" <<<"$names" && continue
		diag "$n: in this script's table, not a counter of the spec"
		r=1
	done
	return "$r"
}
t "every counter of the spec (YNL) has a case above or is listed as unprovokable" \
	coverage

exit 0
}
