#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kipsec's data path beyond route-based tunnels (kipsec-esp.sh has those):
# each case interoperates with native XFRM (ip xfrm state/policy, xfrm
# interfaces) in a peer namespace, and its expectations come from the RFCs
# and from what XFRM does, never from kipsec's own output:
#
#   1. policy-based IPsec (SPD entries without if_id, kipsec's netfilter
#      hooks): transport mode IPv4 and IPv6 and a gateway-to-gateway tunnel
#      (inner subnets on dummy interfaces) against XFRM in one pair of
#      namespaces: pings and a 200 KB TCP transfer each way (sha256 compared
#      at the receiver), ESP with the configured SPIs and nothing in clear on
#      the wire, and each SA's byte and packet counters equal to those of
#      XFRM's SA at the other end (XFRM counts the ESP payload: the inner
#      packet in tunnel mode, what follows the IP header in transport mode);
#   2. inbound policy enforcement: clear packets under an inbound protect
#      policy are dropped (in-policy), discard (in-discard), bypass lets
#      them in, outbound discard (out-discard, the sender gets EPERM); IKE
#      (UDP port 500 and 4500, small and IP-fragmented, IPv4 and IPv6) is
#      never captured, in or out, even under covering protect policies;
#   3. lifetimes (RFC 4301 section 4.4.2.1; XFRM's rule: a limit of N
#      packets lets N through, a byte limit refuses the first packet after
#      that many bytes): soft/hard packets, seconds and bytes, one soft and
#      one hard expire event each (`kipsec -j monitor`), the SA gone after
#      the hard one; the byte count is checked against XFRM doing the same;
#   4. ACQUIRE: a protect policy without SA sends one event per peer within
#      the 30 s retry time, with the policy and the packet's selector; the
#      packets are dropped (out-no-sa);
#   5. PMTU, after the XFRM selftest test_mtu_ipv6_r2 (upstream
#      tools/testing/selftests/net/xfrm_state.sh): a sender behind a kipsec
#      gateway, a router with 1300-byte routes between the gateways, ESP
#      with rfc4106 and a 12-byte ICV: "Packet too big: mtu=1230" (IPv6) and
#      "Frag needed and DF set (mtu = 1250)" (IPv4), and the largest packet
#      that fits gets through;
#   6. NAT-T (RFC 3948) through an nftables NAT namespace: kipsec behind the
#      NAT (pings, TCP, UDP-encapsulated ESP on the public side), NAT
#      keepalives swallowed and non-ESP-marker messages left to the socket,
#      and with XFRM behind the NAT a new NAT port is announced by one
#      mapping event once an authentic packet comes from it;
#   7. robustness: rmmod with live tunnels and traffic, `ip netns del` of
#      kipsec's namespace while traffic flows, SAs flushed while traffic
#      flows, namespaces deleted under traffic then rmmod. These pass if the
#      commands behave and the module unloads at the end; the VM harness
#      fails the run on any oops, WARN or lockdep splat in the kernel log.
#      The module is loaded again afterwards.
#
# Tools: iproute2, iputils ping, tcpdump, nft, jq, Debian's /usr/bin/python3
# (selftests/datapath/*.py), bash's /dev/tcp and /dev/udp. A missing one is
# a failure.

# One compound command: bash reads it whole before running any of it, so
# the file can change (an edit, a checkout) while a run is in progress.
# shellcheck disable=SC2317 # (the exit at its end hides every function)
# shellcheck source-path=SCRIPTDIR
{

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# cases, namespaces, pings, TCP transfers, captures (shared with
# kipsec-ike.sh); checks ip, ping, tcpdump, timeout, sha256sum, python3
# shellcheck source=datapath/traffic.sh
. "$TOP/selftests/datapath/traffic.sh"

FILTER=${KIPSEC_DATAPATH_FILTER:-}	# ERE over case names (development)

# KIPSEC_DATAPATH_TIMING=1: each result line is followed by the seconds
# since the case began (development).
if [ "${KIPSEC_DATAPATH_TIMING:-0}" = 1 ]; then
	case_timing
fi

module_check
tool_check
need jq jq
need modprobe kmod
need rmmod kmod
for f in udp-sink.py encap-peer.py; do
	[ -r "$DPDIR/$f" ] || bail "selftests/datapath/$f missing"
done

printf ike >"$TMPD/small"		# a 3-byte datagram
head -c 3000 /dev/zero >"$TMPD/big"	# a datagram IP fragments


# ---------------------------------------------------------------- plumbing
on_exit case_end

# kb NS: `kipsec -batch` of standard input in NS.
kb() {
	local f=$CDIR/batch.kipsec
	cat >"$f"
	run "$KIPSEC" -n "$1" -batch "$f"
	[ "$RC" -eq 0 ] && return 0
	diag "kipsec -batch in $1 failed (exit $RC): $OUT"
	diag "$(grep -n . "$f")"
	return 1
}

# kx NS ARGS...: the kipsec tool in NS.
kx() {
	local ns=$1
	shift
	"$KIPSEC" -n "$ns" "$@"
}

# veth NS1 DEV1 MAC1 NS2 DEV2 MAC2: a veth pair between two namespaces.
veth() {
	ip link add "$2" netns "$1" address "$3" type veth \
		peer name "$5" netns "$4" address "$6"
}

# dump NS...: each namespace's IPsec state as diagnostics: kipsec's SAs
# (identity and counters) and non-zero drop counters, XFRM's SAs and
# non-zero /proc/net/xfrm_stat lines.
dump() {
	local ns
	for ns in "$@"; do
		diag "--- $ns"
		diag "$(kx "$ns" -s sa show 2>&1 | grep -E 'spi|stats')"
		diag "$(kx "$ns" stats 2>&1 | grep -v ' 0$')"
		diag "$(ip -n "$ns" -s xfrm state 2>&1 | grep -E 'proto esp|[0-9]\(bytes\)')"
		diag "$(ip netns exec "$ns" awk '$2 != 0' /proc/net/xfrm_stat 2>&1)"
	done
}

# td "NS..." DESC CMD...: t, and the namespaces' state after a failure.
td() {
	local nss=$1 desc=$2
	shift 2
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
		# shellcheck disable=SC2086 # a list
		dump $nss
	fi
}

# ---------------------------------------------------------------- traffic
# udp_send NS HOST PORT FILE: FILE's bytes as one datagram (bash /dev/udp).
udp_send() {
	ip netns exec "$1" bash -c 'cat "$3" >"/dev/udp/$1/$2"' _ "$2" "$3" "$4"
}

# ---------------------------------------------------------------- counters
# kbase NS: remember NS's drop counters (`kipsec -j stats`).
KB_NS='' KB_JSON=''
kbase() {
	KB_NS=$1
	KB_JSON=$(kx "$1" -j stats) || diag "kipsec -j stats in $1 failed: $KB_JSON"
}
# kread: KD[NAME] = how much each counter grew since kbase.
declare -A KD=()
kread() {
	local now k v
	KD=()
	now=$(kx "$KB_NS" -j stats) || return 1
	while read -r k v; do
		KD[$k]=$v
	done < <(jq -r -n --argjson a "$KB_JSON" --argjson b "$now" \
		'$b | to_entries[] | "\(.key) \(.value - ($a[.key] // 0))"')
}
# kdelta NAME:N...: each counter grew by exactly N since kbase (polls 5 s:
# a drop may be counted a moment after the sender gave up).
kdelta() {
	local try spec bad
	for ((try = 0; try < 10; try++)); do
		[ "$try" -gt 0 ] && sleep 0.5
		kread || { bad="kipsec -j stats failed"; continue; }
		bad=
		for spec in "$@"; do
			[ "${KD[${spec%%:*}]:-}" = "${spec#*:}" ] ||
				bad+="${spec%%:*}: +${KD[${spec%%:*}]:-?}, expected +${spec#*:}; "
		done
		[ -z "$bad" ] && return 0
	done
	diag "drop counters in $KB_NS: ${bad%; }"
	return 1
}

# xfrm_ctrs NS: XC[SPI] = "BYTES PACKETS" of every XFRM SA in NS
# (`ip -s xfrm state`: "lifetime current:" then "  N(bytes), N(packets)").
declare -A XC=() KC=()
xfrm_ctrs() {
	local line spi=
	XC=()
	while IFS= read -r line; do
		if [[ $line =~ proto\ esp\ spi\ (0x[0-9a-f]+) ]]; then
			spi=${BASH_REMATCH[1]}
		elif [[ $line =~ ^[[:space:]]*([0-9]+)\(bytes\),\ ([0-9]+)\(packets\) ]]; then
			XC[$spi]="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
		fi
	done < <(ip -n "$1" -s xfrm state)
}
# kipsec_ctrs NS: KC[SPI] = "BYTES PACKETS" of every kipsec SA in NS.
kipsec_ctrs() {
	local spi b p
	KC=()
	while read -r spi b p; do
		KC[$spi]="$b $p"
	done < <(kx "$1" -j -s sa show | jq -r '.[] | "\(.spi) \(.stats.bytes) \(.stats.packets)"')
}

# ---------------------------------------------------------------- monitor
# mon_start NS FILE: `kipsec -j monitor` in NS writing FILE; back once it
# demonstrably receives events. The probe: a protect policy without SA for
# UDP to 203.0.113.0/24 port 9 (routed to lo) and datagrams to a new
# address of it each time (a new peer is news at once), until an acquire
# event for the probe policy is in FILE. The policy and route go again.
mon_start() {
	local ns=$1 f=$2 id i ok=1
	bg MON_PID ip netns exec "$ns" "$KIPSEC" -j monitor >"$f" 2>&1
	ip -n "$ns" route add 203.0.113.0/24 dev lo || return 1
	id=$(kx "$ns" policy add dir out dst 203.0.113.0/24 proto udp dport 9 \
		action protect tmpl proto esp mode transport reqid 999) || return 1
	for ((i = 1; i < 100; i++)); do
		ip netns exec "$ns" bash -c "echo >/dev/udp/203.0.113.$i/9" 2>/dev/null
		sleep 0.2
		if jq -R -c "fromjson? | select(.event == \"acquire\" and
			.policy.template.reqid == 999)" "$f" 2>/dev/null | grep -q '^{'; then
			ok=0
			break
		fi
	done
	kx "$ns" policy del id "$id"
	ip -n "$ns" route del 203.0.113.0/24 dev lo
	sleep 0.3
	MON_SKIP=$(wc -l <"$f")
	[ "$ok" = 0 ] || diag "kipsec monitor in $ns reported no probe event: $(tail -n 5 "$f")"
	return "$ok"
}
# mon_count FILE JQ-CONDITION: events in FILE for which it holds, the
# probe's left out (by reqid 999: kipsec reuses a deleted policy's id).
MON_SKIP=0
mon_count() {
	tail -n +$((MON_SKIP + 1)) "$1" |
		jq -R -c "fromjson? | select(.policy.template.reqid? != 999) |
			select($2)" 2>/dev/null | grep -c '^{'
}
# mon_wait FILE JQ-CONDITION: until at least one such event (10 s).
mon_has() { [ "$(mon_count "$1" "$2")" -gt 0 ]; }
mon_wait() {
	poll 10 mon_has "$1" "$2" && return 0
	diag "no event with $2 after the probe: $(tail -n +$((MON_SKIP + 1)) "$1" | tail -n 10)"
	return 1
}
# mon_expect FILE N JQ-CONDITION: exactly N such events.
mon_expect() {
	local n
	n=$(mon_count "$1" "$3")
	[ "$n" = "$2" ] && return 0
	diag "$n events with $3, expected $2; monitor output after the probe:"
	diag "$(tail -n +$((MON_SKIP + 1)) "$1" | tail -n 10)"
	return 1
}
# mon_line FILE JQ-CONDITION: the line number of the first such event.
mon_line() {
	tail -n +$((MON_SKIP + 1)) "$1" |
		jq -R -n -r "inputs | (fromjson? // null) | select(. != null) |
			select($2) | input_line_number" 2>/dev/null | head -n 1
}

# ---------------------------------------------------------------- 1. policy-based
MAC_A=02:00:00:00:0a:01 MAC_B=02:00:00:00:0b:01

# pair_ns: namespaces A and B joined by vA--vB, 192.0.2.1/2 and
# 2001:db8::1/2 (static IPv6 neighbours when given "static": no ND, whose
# unicast messages clear-text policies would catch and count).
# shellcheck disable=SC2120 # "static" is optional
pair_ns() {
	mkns A B || return 1
	veth "$A" vA "$MAC_A" "$B" vB "$MAC_B" || return 1
	ipb "$A" <<-EOF || return 1
	link set vA up
	address add 192.0.2.1/24 dev vA
	address add 2001:db8::1/64 dev vA nodad
	EOF
	ipb "$B" <<-EOF || return 1
	link set vB up
	address add 192.0.2.2/24 dev vB
	address add 2001:db8::2/64 dev vB nodad
	EOF
	[ "${1:-}" = static ] || return 0
	ip -n "$A" neigh replace 2001:db8::2 lladdr "$MAC_B" dev vA nud permanent &&
	ip -n "$B" neigh replace 2001:db8::1 lladdr "$MAC_A" dev vB nud permanent &&
	ip -n "$A" neigh replace 192.0.2.2 lladdr "$MAC_B" dev vA nud permanent &&
	ip -n "$B" neigh replace 192.0.2.1 lladdr "$MAC_A" dev vB nud permanent
}

# pair_subnets: pair_ns, with 10.1.0.1/24 behind A and 10.2.0.1/24 behind
# B (dummy links) routed over vA--vB, and a TCP sink in each.
pair_subnets() {
	pair_ns || return 1
	sink_start "$A" "$CDIR/sinkA"
	sink_start "$B" "$CDIR/sinkB"
	ipb "$A" <<-EOF || return 1
	link add dummy0 type dummy
	link set dummy0 up
	address add 10.1.0.1/24 dev dummy0
	route add 10.2.0.0/24 via 192.0.2.2 src 10.1.0.1
	EOF
	ipb "$B" <<-EOF
	link add dummy0 type dummy
	link set dummy0 up
	address add 10.2.0.1/24 dev dummy0
	route add 10.1.0.0/24 via 192.0.2.1 src 10.2.0.1
	EOF
}

# SPIs and keys of case 1: transport IPv4 (AES-GCM-16), transport IPv6
# (AES-CBC + HMAC-SHA2-256-128), tunnel 10.1.0.0/24 <-> 10.2.0.0/24 over
# IPv4 (AES-GCM-16 with a 256-bit key).
PB_T4=(0x00000101 0x00000102) PB_T6=(0x00000201 0x00000202)
PB_TU=(0x00000301 0x00000302)

pb_setup() {
	local k4a k4b k6ea k6eb k6aa k6ab ktua ktub
	keygen k4a 20 1; keygen k4b 20 2
	keygen k6ea 16 3; keygen k6eb 16 4; keygen k6aa 32 5; keygen k6ab 32 6
	keygen ktua 36 7; keygen ktub 36 8
	pair_subnets || return 1
	kb "$A" <<-EOF || return 1
	sa add src 192.0.2.1 dst 192.0.2.2 proto esp spi ${PB_T4[0]} mode transport enc aes-gcm-16 0x$k4a replay-window 64 reqid 1
	sa add src 192.0.2.2 dst 192.0.2.1 proto esp spi ${PB_T4[1]} mode transport enc aes-gcm-16 0x$k4b replay-window 64 reqid 1
	policy add dir out src 192.0.2.1 dst 192.0.2.2 action protect tmpl proto esp mode transport reqid 1
	policy add dir in src 192.0.2.2 dst 192.0.2.1 action protect tmpl proto esp mode transport reqid 1
	sa add src 2001:db8::1 dst 2001:db8::2 proto esp spi ${PB_T6[0]} mode transport enc aes-cbc 0x$k6ea auth hmac-sha2-256-128 0x$k6aa replay-window 64 reqid 2
	sa add src 2001:db8::2 dst 2001:db8::1 proto esp spi ${PB_T6[1]} mode transport enc aes-cbc 0x$k6eb auth hmac-sha2-256-128 0x$k6ab replay-window 64 reqid 2
	policy add dir out src 2001:db8::1 dst 2001:db8::2 action protect tmpl proto esp mode transport reqid 2
	policy add dir in src 2001:db8::2 dst 2001:db8::1 action protect tmpl proto esp mode transport reqid 2
	sa add src 192.0.2.1 dst 192.0.2.2 proto esp spi ${PB_TU[0]} mode tunnel enc aes-gcm-16 0x$ktua replay-window 64 reqid 3
	sa add src 192.0.2.2 dst 192.0.2.1 proto esp spi ${PB_TU[1]} mode tunnel enc aes-gcm-16 0x$ktub replay-window 64 reqid 3
	policy add dir out src 10.1.0.0/24 dst 10.2.0.0/24 action protect tmpl proto esp mode tunnel reqid 3 src 192.0.2.1 dst 192.0.2.2
	policy add dir in src 10.2.0.0/24 dst 10.1.0.0/24 action protect tmpl proto esp mode tunnel reqid 3 src 192.0.2.2 dst 192.0.2.1
	EOF
	ipb "$B" <<-EOF
	xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi ${PB_T4[0]} reqid 1 mode transport replay-window 64 aead rfc4106(gcm(aes)) 0x$k4a 128
	xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi ${PB_T4[1]} reqid 1 mode transport replay-window 64 aead rfc4106(gcm(aes)) 0x$k4b 128
	xfrm policy add src 192.0.2.2 dst 192.0.2.1 dir out tmpl proto esp reqid 1 mode transport
	xfrm policy add src 192.0.2.1 dst 192.0.2.2 dir in tmpl proto esp reqid 1 mode transport
	xfrm state add src 2001:db8::1 dst 2001:db8::2 proto esp spi ${PB_T6[0]} reqid 2 mode transport replay-window 64 enc cbc(aes) 0x$k6ea auth-trunc hmac(sha256) 0x$k6aa 128
	xfrm state add src 2001:db8::2 dst 2001:db8::1 proto esp spi ${PB_T6[1]} reqid 2 mode transport replay-window 64 enc cbc(aes) 0x$k6eb auth-trunc hmac(sha256) 0x$k6ab 128
	xfrm policy add src 2001:db8::2 dst 2001:db8::1 dir out tmpl proto esp reqid 2 mode transport
	xfrm policy add src 2001:db8::1 dst 2001:db8::2 dir in tmpl proto esp reqid 2 mode transport
	xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi ${PB_TU[0]} reqid 3 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$ktua 128
	xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi ${PB_TU[1]} reqid 3 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$ktub 128
	xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir out tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 3 mode tunnel
	xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir in tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 3 mode tunnel
	EOF
}

# pb_flow LABEL A-ADDR B-ADDR: pings and TCP both ways between the two.
pb_flow() {
	local l=$1 a=$2 b=$3
	td "$A $B" "policy-based $l: ping A->B and B->A, 3 each" \
		eval 'ping3 "$A" "$b" && ping3 "$B" "$a"'
	td "$A $B" "policy-based $l: TCP 200 KB A->B, sha256 checked at B" \
		xfer "$A" "$b" "$l-ab" "$CDIR/sinkB"
	td "$A $B" "policy-based $l: TCP 200 KB B->A, sha256 checked at A" \
		xfer "$B" "$a" "$l-ba" "$CDIR/sinkA"
}

# route_pmtu NS DST: the path MTU NS's route to DST has learned, or 1500
# (the veth's) if none.
route_pmtu() {
	local r
	r=$(ip -n "$1" route get "$2" 2>&1)
	# "cache expires 595sec mtu 1302", or "mtu lock 552" at the minimum
	if [[ $r =~ mtu\ (lock\ )?([0-9]+) ]]; then
		echo "${BASH_REMATCH[2]}"
	else
		echo 1500
	fi
}

# pmtu_kept NS DST MIN: NS's PMTU towards DST did not fall below MIN.
# Nothing on the veth is smaller than 1500; what the sender may learn in
# transport mode is the MTU left for the clear packet once ESP is added
# (RFC 4301 section 8.2), MIN, and not less: XFRM's TCP segments fill that.
pmtu_kept() {
	local m
	m=$(route_pmtu "$1" "$2")
	[ "$m" -ge "$3" ] && return 0
	diag "PMTU of $1's route to $2: $m, expected at least $3:"
	diag "$(ip -n "$1" route get "$2" 2>&1)"
	return 1
}

# pb_wire WIRE: ESP with the configured SPIs each way, the data transfers'
# worth of it, and no ICMP echo or TCP in clear. WIRE holds what A and B
# sent (egress captures: both XFRM and kipsec show the packets they
# decrypted in tunnel mode as received on the underlay again).
pb_wire() {
	local w=$1 r=0 clear
	eq "ESP SPIs 192.0.2.1 -> 192.0.2.2" "${PB_T4[0]} ${PB_TU[0]}" \
		"$(spis "$w" esp 192.0.2.1 192.0.2.2)" || r=1
	eq "ESP SPIs 192.0.2.2 -> 192.0.2.1" "${PB_T4[1]} ${PB_TU[1]}" \
		"$(spis "$w" esp 192.0.2.2 192.0.2.1)" || r=1
	eq "ESP SPIs 2001:db8::1 -> 2001:db8::2" "${PB_T6[0]}" \
		"$(spis "$w" esp 2001:db8::1 2001:db8::2)" || r=1
	eq "ESP SPIs 2001:db8::2 -> 2001:db8::1" "${PB_T6[1]}" \
		"$(spis "$w" esp 2001:db8::2 2001:db8::1)" || r=1
	# 200 KB in full-size segments is more than 130 packets each way
	local f s x y n
	for f in "${PB_T4[0]} 192.0.2.1 192.0.2.2" "${PB_T4[1]} 192.0.2.2 192.0.2.1" \
		 "${PB_TU[0]} 192.0.2.1 192.0.2.2" "${PB_TU[1]} 192.0.2.2 192.0.2.1" \
		 "${PB_T6[0]} 2001:db8::1 2001:db8::2" "${PB_T6[1]} 2001:db8::2 2001:db8::1"; do
		read -r s x y <<<"$f"
		n=$(npk "$w" esp "$x" "$y" "$s")
		if [ "$n" -lt 130 ]; then
			diag "only $n ESP packets with spi $s $x -> $y"
			r=1
		fi
	done
	clear=$(grep -E '^other ' "$w" | grep -E 'ICMP echo|ICMP6, echo|Flags \[' | head -n 5)
	if [ -n "$clear" ]; then
		diag "in clear on the wire:"
		diag "$clear"
		r=1
	fi
	return "$r"
}

# frames_ok CAP: every frame of a capture decoded as IPv4, IPv6 or ARP. A
# tunnel-mode packet XFRM decrypted is received on the underlay again with
# the outer Ethernet header put back in front of it (skb_mac_header_rebuild
# in xfrm_input), so packet sockets see a well-formed frame: tcpdump on B's
# vB prints the inner packet. Garbage there ("ethertype Unknown", "[|llc]")
# means the link-layer header is not where the frame says it is.
frames_ok() {
	local bad
	local re='/^[0-9][0-9]:/ && $2 != "IP" && $2 != "IP6" && $2 != "ARP,"'
	bad=$(awk "$re" "$1" | head -n 4)
	[ -z "$bad" ] && return 0
	diag "frames that do not decode ($(awk "$re" "$1" | wc -l) of $(grep -c '^[0-9][0-9]:' "$1")):"
	diag "$bad"
	return 1
}

# pb_counters: each kipsec SA in A counted what XFRM's SA for the same SPI
# in B counted (bytes and packets), and all six carried traffic.
pb_counters() {
	local spi r=0
	kipsec_ctrs "$A"
	xfrm_ctrs "$B"
	for spi in "${PB_T4[@]}" "${PB_T6[@]}" "${PB_TU[@]}"; do
		if [ -z "${XC[$spi]:-}" ] || [ "${XC[$spi]#* }" = 0 ]; then
			diag "XFRM SA $spi in B: no traffic ('${XC[$spi]:-}')"
			r=1
		fi
		eq "SA $spi bytes and packets, kipsec (A) vs XFRM (B)" \
			"${XC[$spi]:-none}" "${KC[$spi]:-none}" || r=1
	done
	return "$r"
}

case_policy() {
	local cap
	case_begin policy-based || return 0
	cap=$CDIR/cap
	if ! t "policy-based: kipsec in A, XFRM in B: transport v4, v6, tunnel" pb_setup; then
		case_end
		return
	fi
	cap_start "$A" vA "$cap.a" -Q out && cap_start "$B" vB "$cap.b" -Q out &&
	cap_start "$A" vA "$cap.in" -Q in ||
		{ not_ok "policy-based: tcpdump"; case_end; return; }
	pb_flow "transport-v4" 192.0.2.1 192.0.2.2
	# AES-GCM (RFC 4106: 8-byte IV, 16-byte ICV) in transport mode: a
	# clear packet of L bytes leaves as 20 + 8 + 8 + ALIGN(L - 20 + 2, 4)
	# + 16 bytes <= 1500, so L <= 1466
	t "policy-based transport-v4: A's PMTU to B stays at least 1466 (1500 less ESP)" \
		pmtu_kept "$A" 192.0.2.2 1466
	pb_flow "transport-v6" 2001:db8::1 2001:db8::2
	# AES-CBC (16-byte IV and blocks) with a 16-byte ICV: 40 + 8 + 16 +
	# ALIGN(L - 40 + 2, 16) + 16 <= 1500, so L <= 1446
	t "policy-based transport-v6: A's PMTU to B stays at least 1446 (1500 less ESP)" \
		pmtu_kept "$A" 2001:db8::2 1446
	pb_flow "tunnel" 10.1.0.1 10.2.0.1
	sleep 0.5
	t "policy-based: SA counters in A equal XFRM's in B, SA by SA" pb_counters
	sleep 0.5
	cat "$cap.a" "$cap.b" >"$cap"
	wire "$cap" >"$cap.w"
	t "policy-based: wire: ESP with the configured SPIs each way, no ICMP or TCP in clear" \
		pb_wire "$cap.w"
	t "policy-based: packet taps on A's vA see well-formed frames (decrypted tunnel packets included, as with XFRM)" \
		frames_ok "$cap.in"
	case_end
}

# ---------------------------------------------------------------- 2. inbound policy
# udp_got FILE LINE...: every LINE ("PORT LEN SRC") is in FILE (5 s).
udp_got() {
	local f=$1 l miss
	shift
	printf '%s\n' "$@" >"$f.want"
	udp_all() { [ "$(grep -cxF -f "$f.want" "$f")" -ge "$(wc -l <"$f.want")" ]; }
	poll 5 udp_all && return 0
	miss=
	for l in "$@"; do
		grep -qxF -- "$l" "$f" || miss+="'$l' "
	done
	diag "not received: $miss; the sink got:"
	diag "$(cat "$f")"
	return 1
}

# ike_to NS HOST...: datagrams of 3 and 3000 bytes to ports 500 and 4500
# (one process: under TCG each one costs).
ike_to() {
	local ns=$1
	shift
	ip netns exec "$ns" bash -c '
		d=$1
		shift
		for h in "$@"; do
			for p in 500 4500; do
				for f in small big; do
					cat "$d/$f" >"/dev/udp/$h/$p" ||
						echo "# send to $h port $p failed"
				done
			done
		done' _ "$TMPD" "$@"
}
# ike_lines SRC...: what udp-sink prints for them.
ike_lines() {
	local s p
	for s in "$@"; do
		for p in 500 4500; do
			echo "$p 3 $s"
			echo "$p 3000 $s"
		done
	done
}

case_inpolicy() {
	local p4 p6 o4 o6 lines mon
	case_begin in-policy || return 0
	mon=$CDIR/monitor
	t "in-policy: namespaces A (kipsec, monitor running) and B (no IPsec)" \
		eval 'pair_ns static && mon_start "$A" "$mon"' || { case_end; return; }
	bg UA ip netns exec "$A" "$PYTHON" "$DPDIR/udp-sink.py" "$CDIR/ua.ready" 500 4500 \
		>"$CDIR/ua" 2>&1
	bg UB ip netns exec "$B" "$PYTHON" "$DPDIR/udp-sink.py" "$CDIR/ub.ready" 500 4500 \
		>"$CDIR/ub" 2>&1
	p4=$(kx "$A" policy add dir in src 192.0.2.2 dst 192.0.2.1 action protect \
		tmpl proto esp mode transport reqid 1) &&
	p6=$(kx "$A" policy add dir in src 2001:db8::2 dst 2001:db8::1 action protect \
		tmpl proto esp mode transport reqid 1)
	t "in-policy: inbound protect policies for everything from B (v4, v6)" \
		eval '[ -n "$p4" ] && [ -n "$p6" ]'
	kbase "$A"
	t "in-policy: 3 clear pings B->A (v4) and 3 (v6) under them: none answered" \
		eval 'pingx "$B" 3 0 -i 0.2 -W 1 192.0.2.1 &&
		      pingx "$B" 3 0 -i 0.2 -W 1 2001:db8::1'
	t "in-policy: in-policy +6, nothing else" \
		kdelta in-policy:6 in-discard:0 out-no-sa:0 out-discard:0

	# IKE: outbound protect policies without SA cover everything to B too
	o4=$(kx "$A" policy add dir out src 192.0.2.1 dst 192.0.2.2 action protect \
		tmpl proto esp mode transport reqid 1)
	o6=$(kx "$A" policy add dir out src 2001:db8::1 dst 2001:db8::2 action protect \
		tmpl proto esp mode transport reqid 1)
	poll 60 test -e "$CDIR/ua.ready" && poll 60 test -e "$CDIR/ub.ready" ||
		diag "udp-sink did not start: $(cat "$CDIR/ua" "$CDIR/ub")"
	kbase "$A"
	ike_to "$B" 192.0.2.1 2001:db8::1
	mapfile -t lines < <(ike_lines 192.0.2.2 2001:db8::2)
	t "in-policy: IKE B->A in clear under the inbound protect policies: UDP 500 and 4500, 3 and 3000 bytes, v4 and v6, all arrive" \
		udp_got "$CDIR/ua" "${lines[@]}"
	ike_to "$A" 192.0.2.2 2001:db8::2
	mapfile -t lines < <(ike_lines 192.0.2.1 2001:db8::1)
	t "in-policy: IKE A->B in clear under outbound protect policies without SA: all arrive" \
		udp_got "$CDIR/ub" "${lines[@]}"
	t "in-policy: IKE was neither dropped nor held for an SA (in-policy +0, out-no-sa +0, no acquire event)" \
		eval 'kdelta in-policy:0 out-no-sa:0 in-discard:0 &&
		      mon_expect "$mon" 0 ".event == \"acquire\""'
	kx "$A" policy del id "$o4"
	kx "$A" policy del id "$o6"

	kx "$A" policy del id "$p4"
	kx "$A" policy del id "$p6"
	p4=$(kx "$A" policy add dir in src 192.0.2.2 dst 192.0.2.1 action discard) &&
	p6=$(kx "$A" policy add dir in src 2001:db8::2 dst 2001:db8::1 action discard)
	kbase "$A"
	t "in-policy: inbound discard: 3 pings B->A (v4) and 3 (v6), none answered" \
		eval 'pingx "$B" 3 0 -i 0.2 -W 1 192.0.2.1 &&
		      pingx "$B" 3 0 -i 0.2 -W 1 2001:db8::1'
	t "in-policy: in-discard +6, in-policy +0" kdelta in-discard:6 in-policy:0

	kx "$A" policy del id "$p4"
	kx "$A" policy del id "$p6"
	p4=$(kx "$A" policy add dir in src 192.0.2.2 dst 192.0.2.1 action bypass) &&
	p6=$(kx "$A" policy add dir in src 2001:db8::2 dst 2001:db8::1 action bypass)
	kbase "$A"
	t "in-policy: inbound bypass: clear pings B->A answered (v4, v6)" \
		ping3 "$B" 192.0.2.1 2001:db8::1
	t "in-policy: bypass counts nothing" kdelta in-discard:0 in-policy:0 out-discard:0

	o4=$(kx "$A" policy add dir out src 192.0.2.1 dst 192.0.2.2 action discard)
	kbase "$A"
	t "in-policy: outbound discard: 3 pings A->B, none answered" \
		pingx "$A" "3~" 0 -i 0.2 -W 1 192.0.2.2
	t "in-policy: outbound discard: a UDP sender sees EPERM" \
		eval 'run udp_send "$A" 192.0.2.2 9 "$TMPD/small";
		      [ "$RC" != 0 ] && contains "send to 192.0.2.2 port 9" "$OUT" "Operation not permitted"'
	t "in-policy: out-discard +4 (3 pings, 1 datagram)" \
		kdelta out-discard:4 in-discard:0 in-policy:0
	case_end
}

# ---------------------------------------------------------------- 3, 4. lifetimes, ACQUIRE
LT_OUT=0x00000501 LT_IN=0x00000502	# packets; the inbound SA never expires
LT_SEC=0x00000511 LT_BYTES=0x00000521
LT_XOUT=0x00000532 LT_XIN=0x00000541	# the XFRM reference

# lt_sa_out SPI LIMITS...: A's outbound SA with lifetimes, B's XFRM inbound
# SA for it (same key).
lt_sa_out() {
	local spi=$1 k
	shift
	keygen k 20 $((spi))
	kx "$A" sa add src 192.0.2.1 dst 192.0.2.2 proto esp spi "$spi" mode transport \
		enc aes-gcm-16 "0x$k" replay-window 64 reqid 5 "$@" || return 1
	ip -n "$B" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi "$spi" \
		reqid 5 mode transport replay-window 64 aead 'rfc4106(gcm(aes))' "0x$k" 128
}

sa_gone() {	# NS SPI
	! kx "$1" sa get dst 192.0.2.2 proto esp spi "$2" >/dev/null 2>&1
}

# expire_pair MON SPI: one soft and one hard expire event for SPI, soft first.
expire_pair() {
	local c=".event == \"expire\" and .sa.spi == \"$2\"" ls lh
	mon_wait "$1" "$c and .kind == \"hard\"" || return 1
	sleep 0.3
	mon_expect "$1" 1 "$c and .kind == \"soft\"" || return 1
	mon_expect "$1" 1 "$c and .kind == \"hard\"" || return 1
	ls=$(mon_line "$1" "$c and .kind == \"soft\"")
	lh=$(mon_line "$1" "$c and .kind == \"hard\"")
	[ "$ls" -lt "$lh" ] && return 0
	diag "the soft expire (line $ls) came after the hard one (line $lh)"
	return 1
}

# lt_setup: policies A <-> B (reqid 5) and the unlimited SA B -> A.
lt_setup() {
	local k
	keygen k 20 99
	kb "$A" <<-EOF || return 1
	sa add src 192.0.2.2 dst 192.0.2.1 proto esp spi $LT_IN mode transport enc aes-gcm-16 0x$k replay-window 64 reqid 5
	policy add dir out src 192.0.2.1 dst 192.0.2.2 action protect tmpl proto esp mode transport reqid 5
	policy add dir in src 192.0.2.2 dst 192.0.2.1 action protect tmpl proto esp mode transport reqid 5
	EOF
	ipb "$B" <<-EOF
	xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi $LT_IN reqid 5 mode transport replay-window 64 aead rfc4106(gcm(aes)) 0x$k 128
	xfrm policy add src 192.0.2.2 dst 192.0.2.1 dir out tmpl proto esp reqid 5 mode transport
	xfrm policy add src 192.0.2.1 dst 192.0.2.2 dir in tmpl proto esp reqid 5 mode transport
	EOF
}

# lt_xfrm_ref: B's outbound SA replaced by $LT_XOUT with XFRM byte limits
# soft 100, hard 200; A's outbound SA $LT_XIN carries the answers.
lt_xfrm_ref() {
	local k
	keygen k 20 98
	ip -n "$B" xfrm state del src 192.0.2.2 dst 192.0.2.1 proto esp spi "$LT_IN" &&
	ip -n "$B" xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi "$LT_XOUT" \
		reqid 5 mode transport replay-window 64 aead 'rfc4106(gcm(aes))' "0x$k" 128 \
		limit byte-soft 100 limit byte-hard 200 &&
	kx "$A" sa add src 192.0.2.2 dst 192.0.2.1 proto esp spi "$LT_XOUT" mode transport \
		enc aes-gcm-16 "0x$k" replay-window 64 reqid 5 &&
	lt_sa_out "$LT_XIN"
}

xfrm_sa_is() {	# NS SPI "BYTES PACKETS"
	xfrm_ctrs "$1"
	eq "XFRM SA $2 in $1 (bytes packets)" "$3" "${XC[$2]:-none}"
}

case_acquire_lifetime() {
	local mon p4 p6 c t0 t1 sum
	case_begin lifetime-acquire || return 0
	mon=$CDIR/monitor
	t "acquire: namespaces A (kipsec, monitor running) and B (XFRM)" \
		eval 'pair_ns static && mon_start "$A" "$mon"' || { case_end; return; }

	# ---- ACQUIRE (no SA at all yet)
	p4=$(kx "$A" policy add dir out src 192.0.2.1 dst 192.0.2.0/24 proto icmp \
		action protect tmpl proto esp mode transport reqid 9)
	kbase "$A"
	t "acquire: 3 pings A->B under a protect policy without SA: none answered" \
		pingx "$A" 3 0 -i 0.3 -W 1 192.0.2.2
	t "acquire: out-no-sa +3" kdelta out-no-sa:3
	c=".event == \"acquire\" and .policy.id == $p4"
	t "acquire: one event for the 3 packets (30 s retry time)" \
		eval 'mon_wait "$mon" "$c" && sleep 0.5 && mon_expect "$mon" 1 "$c"'
	t "acquire: the event names the policy (out, reqid 9) and the packet (192.0.2.1/32 -> 192.0.2.2/32 icmp type 8 code 0)" \
		mon_expect "$mon" 1 "$c and .policy.dir == \"out\" and
			.policy.template.reqid == 9 and .packet.src == \"192.0.2.1/32\" and
			.packet.dst == \"192.0.2.2/32\" and .packet.proto == \"icmp\" and
			.packet.icmp_type == 8 and .packet.icmp_code == 0"
	t "acquire: a packet for another peer (192.0.2.3) is news at once: a second event" \
		eval 'pingx "$A" 1 0 -W 1 192.0.2.3; c2="$c and .packet.dst == \"192.0.2.3/32\"";
		      mon_wait "$mon" "$c2" && mon_expect "$mon" 2 "$c"'
	p6=$(kx "$A" policy add dir out src 2001:db8::1 dst 2001:db8::/64 proto ipv6-icmp \
		action protect tmpl proto esp mode transport reqid 9)
	c=".event == \"acquire\" and .policy.id == $p6"
	t "acquire: IPv6: 3 pings, one event (2001:db8::1/128 -> 2001:db8::2/128 ipv6-icmp type 128)" \
		eval 'pingx "$A" 3 0 -i 0.3 -W 1 2001:db8::2 && mon_wait "$mon" "$c" &&
		      sleep 0.5 && mon_expect "$mon" 1 "$c and
			.packet.src == \"2001:db8::1/128\" and .packet.dst == \"2001:db8::2/128\" and
			.packet.proto == \"ipv6-icmp\" and .packet.icmp_type == 128"'
	kx "$A" policy flush

	# ---- lifetimes: transport mode A <-> B, A's outbound SAs limited
	t "lifetime: transport SAs and policies (reqid 5) in A and B" lt_setup

	t "lifetime: SA $LT_OUT with soft-packets 3 hard-packets 5" \
		lt_sa_out "$LT_OUT" soft-packets 3 hard-packets 5
	kbase "$A"
	t "lifetime: 8 pings A->B: exactly 5 answered" \
		pingx "$A" 8 5 -i 0.3 -W 1 192.0.2.2
	t "lifetime: one soft and one hard expire event for $LT_OUT, soft first" \
		expire_pair "$mon" "$LT_OUT"
	t "lifetime: $LT_OUT is gone after the hard expiry" poll 5 sa_gone "$A" "$LT_OUT"
	t "lifetime: XFRM received exactly 5 packets on $LT_OUT" \
		eval 'xfrm_ctrs "$B"; eq "XFRM $LT_OUT packets" 5 "${XC[$LT_OUT]#* }"'
	kread
	sum=$(( ${KD[out-no-sa]:-0} + ${KD[out-expired]:-0} ))
	t "lifetime: the 3 packets after the hard limit dropped (out-no-sa + out-expired +3)" \
		eq "out-no-sa + out-expired" 3 "$sum"

	# shellcheck disable=SC2034 # used in an eval'd test
	t0=$(date +%s.%N)
	t "lifetime: SA $LT_SEC with soft-seconds 1 hard-seconds 3 carries a ping" \
		eval 'lt_sa_out "$LT_SEC" soft-seconds 1 hard-seconds 3 &&
		      pingx "$A" 1 1 -W 2 192.0.2.2'
	t "lifetime: $LT_SEC expires by time: gone within 20 s" poll 20 sa_gone "$A" "$LT_SEC"
	# shellcheck disable=SC2034 # used in an eval'd test
	t1=$(date +%s.%N)
	t "lifetime: ... not before 3 s" eval 'awk -v a="$t0" -v b="$t1" "BEGIN { exit !(b - a >= 3) }" ||
		{ diag "gone $(awk -v a="$t0" -v b="$t1" "BEGIN { print b - a }") s after sa add"; false; }'
	t "lifetime: one soft and one hard expire event for $LT_SEC, soft first" \
		expire_pair "$mon" "$LT_SEC"

	# XFRM counts what follows the IP header in transport mode: 64 bytes
	# per echo request of 56 data bytes. Hard limit 200 bytes: packets go
	# while fewer than 200 bytes were carried before them (0, 64, 128,
	# 192): 4 pass, the 5th is refused; soft 100 fires after the 2nd.
	t "lifetime: SA $LT_BYTES with soft-bytes 100 hard-bytes 200" \
		lt_sa_out "$LT_BYTES" soft-bytes 100 hard-bytes 200
	t "lifetime: 6 pings of 56 data bytes A->B: exactly 4 answered" \
		pingx "$A" 6 4 -s 56 -i 0.3 -W 1 192.0.2.2
	t "lifetime: one soft and one hard expire event for $LT_BYTES, soft first" \
		expire_pair "$mon" "$LT_BYTES"
	t "lifetime: XFRM received 4 packets, 256 bytes on $LT_BYTES" \
		xfrm_sa_is "$B" "$LT_BYTES" "256 4"
	t "lifetime: $LT_BYTES is gone" poll 5 sa_gone "$A" "$LT_BYTES"

	# the reference: XFRM with the same byte limits on B's outbound SA
	t "lifetime: XFRM reference: B's outbound SA $LT_XOUT with byte-soft 100 byte-hard 200" \
		lt_xfrm_ref
	t "lifetime: XFRM reference: 6 pings of 56 data bytes B->A: 4 answered, as kipsec" \
		pingx "$B" '6~' 4 -s 56 -i 0.3 -W 1 192.0.2.1
	case_end
}

# ---------------------------------------------------------------- 4b. TFC padding
# A tunnel 10.1.0.0/24 <-> 10.2.0.0/24 with AES-GCM-16 (RFC 4106: 8-byte
# IV, 16-byte ICV, 4-byte alignment), kipsec in A and XFRM in B, both
# padding to the same TFC length (kipsec's tfc-pad, XFRM's tfcpad).
TFC_SPI=(0x00000601 0x00000602)

tfc_sas() {	# PAD
	local ka kb_
	keygen ka 20 61; keygen kb_ 20 62
	kb "$A" <<-EOF || return 1
	sa add src 192.0.2.1 dst 192.0.2.2 proto esp spi ${TFC_SPI[0]} mode tunnel enc aes-gcm-16 0x$ka replay-window 64 reqid 6 tfc-pad $1
	sa add src 192.0.2.2 dst 192.0.2.1 proto esp spi ${TFC_SPI[1]} mode tunnel enc aes-gcm-16 0x$kb_ replay-window 64 reqid 6
	EOF
	ipb "$B" <<-EOF
	xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi ${TFC_SPI[0]} reqid 6 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$ka 128
	xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi ${TFC_SPI[1]} reqid 6 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$kb_ 128 tfcpad $1
	EOF
}

tfc_setup() {
	pair_subnets || return 1
	kb "$A" <<-EOF || return 1
	policy add dir out src 10.1.0.0/24 dst 10.2.0.0/24 action protect tmpl proto esp mode tunnel reqid 6 src 192.0.2.1 dst 192.0.2.2
	policy add dir in src 10.2.0.0/24 dst 10.1.0.0/24 action protect tmpl proto esp mode tunnel reqid 6 src 192.0.2.2 dst 192.0.2.1
	EOF
	ipb "$B" <<-EOF || return 1
	xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir out tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 6 mode tunnel
	xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir in tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 6 mode tunnel
	EOF
	tfc_sas 1000
}

tfc_resize() {	# PAD: the same SAs again, padding to PAD
	kx "$A" sa flush && ip -n "$B" xfrm state flush && tfc_sas "$1"
}

# esp_lens CAP SPI: the ESP payload lengths (tcpdump's "length N") of the
# capture's packets with that SPI, sorted and counted ("3x1036").
esp_lens() {
	grep -F "ESP(spi=$2," "$1" | sed -nE 's/.*, length ([0-9]+)$/\1/p' |
		sort -n | uniq -c | awk '{ printf "%s%sx%s", sep, $1, $2; sep = " " }'
}

# tfc_pings CAP LEN: 3 pings each way, and every ESP packet of them, in
# both directions, carries LEN bytes of ESP payload.
tfc_pings() {
	local r=0
	cap_start "$A" vA "$1" -Q out && cap_start "$B" vB "$1.b" -Q out || return 1
	ping3 "$A" 10.2.0.1 && ping3 "$B" 10.1.0.1 || r=1
	sleep 0.5
	eq "kipsec's ESP payload lengths (A->B, spi ${TFC_SPI[0]})" "6x$2" \
		"$(esp_lens "$1" "${TFC_SPI[0]}")" || r=1
	eq "XFRM's ESP payload lengths (B->A, spi ${TFC_SPI[1]})" "6x$2" \
		"$(esp_lens "$1.b" "${TFC_SPI[1]}")" || r=1
	return "$r"
}

case_tfc() {
	case_begin tfc || return 0
	if ! t "tfc: kipsec in A (tfc-pad 1000), XFRM in B (tfcpad 1000), tunnel" tfc_setup; then
		case_end
		return
	fi
	# an 84-byte echo padded to 1000: 8 (ESP header) + 8 (IV) +
	# ALIGN(1000 + 2, 4) + 16 (ICV) = 1036, as XFRM pads it
	td "$A $B" "tfc: echo requests and replies both ways carry 1036 bytes of ESP each way" \
		tfc_pings "$CDIR/tfc1" 1036
	td "$A $B" "tfc: TCP 200 KB A->B, sha256 checked at B" \
		xfer "$A" 10.2.0.1 tfc-ab "$CDIR/sinkB"
	td "$A $B" "tfc: TCP 200 KB B->A, sha256 checked at A" \
		xfer "$B" 10.1.0.1 tfc-ba "$CDIR/sinkA"
	t "tfc: SAs again with 65535" tfc_resize 65535
	# capped by the 1500-byte path: the largest clear packet is
	# ((1500 - 20 - 8 - 8 - 16) & ~3) - 2 = 1446, padded to 1448, so the
	# ESP payload is 8 + 8 + 1448 + 16 = 1480 and the packet 1500
	td "$A $B" "tfc: tfc-pad above the path MTU pads to the path MTU (1480 bytes of ESP), as XFRM" \
		tfc_pings "$CDIR/tfc2" 1480
	t "tfc: SA shows tfc-pad 65535" \
		eval '[ "$(kx "$A" -j sa show | jq "[.[] | .tfc_pad // 0] | max")" = 65535 ]'
	case_end
}

# ---------------------------------------------------------------- 5. PMTU
# S (sender) -- GA (kipsec gateway) -- R (router) -- GB (XFRM gateway)
#   s0 fc00:1::1 10.1.1.1   ga0 fc00:1::2 10.1.1.2
#   ga1 fc00:2::1 10.1.2.1  r0 fc00:2::2 10.1.2.2
#   r1 fc00:3::1 10.1.3.1   gb0 fc00:3::2 10.1.3.2
#   GB's dummy0: fc00:6::2/64, 10.1.6.2/24 (the destination)
# Tunnels fc00:1::/64 <-> fc00:6::/64 and 10.1.1.0/24 <-> 10.1.6.0/24,
# AES-GCM with a 12-byte ICV (rfc4106, 96 bits), policy-based in GA (out;
# in and fwd for the way back), XFRM in GB. R drops forwarded echo requests
# (only ESP gets through) and, later, has 1300-byte routes to both sides.
pmtu_setup() {
	local k1 k2 k3 k4
	keygen k1 20 11; keygen k2 20 12; keygen k3 20 13; keygen k4 20 14
	mkns S GA R GB || return 1
	veth "$S" s0 02:00:00:00:01:01 "$GA" ga0 02:00:00:00:01:02 &&
	veth "$GA" ga1 02:00:00:00:02:01 "$R" r0 02:00:00:00:02:02 &&
	veth "$R" r1 02:00:00:00:03:01 "$GB" gb0 02:00:00:00:03:02 || return 1
	ip netns exec "$GA" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 &&
	ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 ||
		return 1
	ipb "$S" <<-EOF || return 1
	link set s0 up
	address add 10.1.1.1/24 dev s0
	address add fc00:1::1/64 dev s0 nodad
	route add default via 10.1.1.2
	route add ::/0 via fc00:1::2
	EOF
	ipb "$GA" <<-EOF || return 1
	link set ga0 up
	link set ga1 up
	address add 10.1.1.2/24 dev ga0
	address add fc00:1::2/64 dev ga0 nodad
	address add 10.1.2.1/24 dev ga1
	address add fc00:2::1/64 dev ga1 nodad
	route add 10.1.3.0/24 via 10.1.2.2
	route add 10.1.6.0/24 via 10.1.2.2
	route add fc00:3::/64 via fc00:2::2
	route add fc00:6::/64 via fc00:2::2
	EOF
	ipb "$R" <<-EOF || return 1
	link set r0 up
	link set r1 up
	address add 10.1.2.2/24 dev r0
	address add fc00:2::2/64 dev r0 nodad
	address add 10.1.3.1/24 dev r1
	address add fc00:3::1/64 dev r1 nodad
	EOF
	ip netns exec "$R" nft -f - <<-EOF || return 1
	table inet f {
		chain forward_echo {
			type filter hook forward priority filter; policy accept;
			icmp type echo-request drop
			icmpv6 type echo-request drop
		}
	}
	EOF
	ipb "$GB" <<-EOF || return 1
	link set gb0 up
	address add 10.1.3.2/24 dev gb0
	address add fc00:3::2/64 dev gb0 nodad
	link add dummy0 type dummy
	link set dummy0 up
	address add 10.1.6.2/24 dev dummy0
	address add fc00:6::2/64 dev dummy0 nodad
	route add 10.1.2.0/24 via 10.1.3.1
	route add 10.1.1.0/24 via 10.1.3.1
	route add fc00:2::/64 via fc00:3::1
	route add fc00:1::/64 via fc00:3::1
	xfrm state add src fc00:2::1 dst fc00:3::2 proto esp spi 0x601 reqid 1 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k1 96
	xfrm state add src fc00:3::2 dst fc00:2::1 proto esp spi 0x602 reqid 2 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k2 96
	xfrm state add src 10.1.2.1 dst 10.1.3.2 proto esp spi 0x603 reqid 3 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k3 96
	xfrm state add src 10.1.3.2 dst 10.1.2.1 proto esp spi 0x604 reqid 4 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k4 96
	xfrm policy add src fc00:1::/64 dst fc00:6::/64 dir in tmpl src fc00:2::1 dst fc00:3::2 proto esp reqid 1 mode tunnel
	xfrm policy add src fc00:6::/64 dst fc00:1::/64 dir out tmpl src fc00:3::2 dst fc00:2::1 proto esp reqid 2 mode tunnel
	xfrm policy add src 10.1.1.0/24 dst 10.1.6.0/24 dir in tmpl src 10.1.2.1 dst 10.1.3.2 proto esp reqid 3 mode tunnel
	xfrm policy add src 10.1.6.0/24 dst 10.1.1.0/24 dir out tmpl src 10.1.3.2 dst 10.1.2.1 proto esp reqid 4 mode tunnel
	EOF
	kb "$GA" <<-EOF
	sa add src fc00:2::1 dst fc00:3::2 proto esp spi 0x601 mode tunnel enc aes-gcm-12 0x$k1 replay-window 64 reqid 1
	sa add src fc00:3::2 dst fc00:2::1 proto esp spi 0x602 mode tunnel enc aes-gcm-12 0x$k2 replay-window 64 reqid 2
	sa add src 10.1.2.1 dst 10.1.3.2 proto esp spi 0x603 mode tunnel enc aes-gcm-12 0x$k3 replay-window 64 reqid 3
	sa add src 10.1.3.2 dst 10.1.2.1 proto esp spi 0x604 mode tunnel enc aes-gcm-12 0x$k4 replay-window 64 reqid 4
	policy add dir out src fc00:1::/64 dst fc00:6::/64 action protect tmpl proto esp mode tunnel reqid 1 src fc00:2::1 dst fc00:3::2
	policy add dir in src fc00:6::/64 dst fc00:1::/64 action protect tmpl proto esp mode tunnel reqid 2 src fc00:3::2 dst fc00:2::1
	policy add dir fwd src fc00:6::/64 dst fc00:1::/64 action protect tmpl proto esp mode tunnel reqid 2 src fc00:3::2 dst fc00:2::1
	policy add dir out src 10.1.1.0/24 dst 10.1.6.0/24 action protect tmpl proto esp mode tunnel reqid 3 src 10.1.2.1 dst 10.1.3.2
	policy add dir in src 10.1.6.0/24 dst 10.1.1.0/24 action protect tmpl proto esp mode tunnel reqid 4 src 10.1.3.2 dst 10.1.2.1
	policy add dir fwd src 10.1.6.0/24 dst 10.1.1.0/24 action protect tmpl proto esp mode tunnel reqid 4 src 10.1.3.2 dst 10.1.2.1
	EOF
}

# ptb NS ERE ARGS...: ping ARGS in NS; its output matches ERE.
ptb() {
	local ns=$1 re=$2
	shift 2
	run ip netns exec "$ns" ping -n "$@"
	contains "ping $*" "$OUT" "$re"
}

case_pmtu() {
	case_begin pmtu || return 0
	t "pmtu: sender, kipsec gateway, router, XFRM gateway" pmtu_setup ||
		{ case_end; return; }
	td "$GA $GB" "pmtu: the sender reaches fc00:6::2 and 10.1.6.2 through the tunnel" \
		eval 'pingx "$S" "1~" + -W 5 -w 10 fc00:6::2 && pingx "$S" "1~" + -W 5 -w 10 10.1.6.2'
	t "pmtu: router: 1300-byte routes towards both gateways" ipb "$R" <<-EOF
	route replace fc00:2::/64 dev r0 metric 256 src fc00:2::2 mtu 1300
	route replace fc00:3::/64 dev r1 metric 256 src fc00:3::1 mtu 1300
	route replace 10.1.2.0/24 dev r0 src 10.1.2.2 mtu 1300
	route replace 10.1.3.0/24 dev r1 src 10.1.3.1 mtu 1300
	EOF
	kbase "$GA"
	# XFRM's expectation (test_mtu_ipv6_r2): the router's "packet too
	# big" for the ESP packet teaches the gateway the path MTU 1300; the
	# next packet is answered with 1300 - 40 (IPv6) - 8 (SPI, sequence
	# number) - 8 (IV) - 12 (ICV) = 1232, minus the 2 trailer bytes, with
	# the ciphertext 4-byte aligned: 1230.
	t "pmtu: IPv6: ping -M do -s 1300 from the sender gets \"Packet too big: mtu=1230\" from the kipsec gateway" \
		ptb "$S" "From fc00:1::2 icmp_seq=[0-9]+ Packet too big: mtu=1230" \
		-M "do" -s 1300 -W 5 -w 4 -c 1 fc00:6::2
	# IPv4 (RFC 4303 sections 2.4 and 3.3, RFC 4106 section 3): the
	# outer packet is 20 (IPv4 header) + 8 (SPI, sequence number) + 8
	# (IV) + the inner packet, the pad length and next header bytes (2)
	# and padding to a multiple of 4 (GCM is a stream mode; RFC 4303
	# section 2.4 still 4-byte aligns) + 12 (ICV) <= 1300: the inner
	# packet plus 2, rounded up to 4, must be <= 1252, so the largest
	# inner packet is 1250. DF is copied to the outer header, so the
	# router says "frag needed" for the ESP packet first.
	t "pmtu: IPv4: ping -M do -s 1300 from the sender gets \"Frag needed and DF set (mtu = 1250)\" from the kipsec gateway" \
		ptb "$S" "From 10.1.1.2 icmp_seq=[0-9]+ Frag needed and DF set \(mtu = 1250\)" \
		-M "do" -s 1300 -W 5 -w 4 -c 1 10.1.6.2
	kread
	t "pmtu: the gateway counted the packets it refused (out-too-big)" \
		eval '[ "${KD[out-too-big]:-0}" -ge 2 ] ||
		      { diag "out-too-big +${KD[out-too-big]:-?}, expected at least 2"; false; }'
	t "pmtu: the largest packets that fit get through: 1230 bytes (IPv6), 1250 (IPv4), DF" \
		eval 'pingx "$S" 1 1 -M "do" -s 1182 -W 5 fc00:6::2 &&
		      pingx "$S" 1 1 -M "do" -s 1222 -W 5 10.1.6.2'
	case_end
}

# ---------------------------------------------------------------- 6. NAT-T
# encap_peer NS: encap-peer.py (UDP_ENCAP socket on 4500) in NS, fed from
# the FIFO whose write end is fd $EP_W.
encap_peer() {
	local f=$CDIR/ep
	rm -f "$f.in" "$f.ready"
	mkfifo "$f.in" || return 1
	# the FIFO is opened by the child: a reader blocks until a writer comes
	ip netns exec "$1" "$PYTHON" "$DPDIR/encap-peer.py" "$f.ready" 4500 \
		<"$f.in" >"$f.out" 2>&1 &
	EP_PID=$!
	CASE_PIDS+=("$EP_PID")
	bg_track "$EP_PID"
	exec {EP_W}>"$f.in"
}
ep_wait() {
	poll 60 test -e "$CDIR/ep.ready" && return 0
	diag "encap-peer.py did not start: $(cat "$CDIR/ep.out")"
	return 1
}
# ep_send SPORT HEX ADDR DPORT: one datagram from the peer.
ep_send() {
	local n
	n=$(grep -c . "$CDIR/ep.out")
	echo "$*" >&"$EP_W"
	poll 10 eval '[ "$(grep -c . "$CDIR/ep.out")" -gt "$n" ]'
	tail -n 1 "$CDIR/ep.out" | grep -q '^sent' && return 0
	diag "encap-peer.py: $(cat "$CDIR/ep.out")"
	return 1
}
ep_close() { [ -n "${EP_W:-}" ] && exec {EP_W}>&-; EP_W=; }

# encap_listen NS: `kipsec encap listen` in NS, output in $CDIR/listen.
encap_listen() {
	bg EL_PID ip netns exec "$1" "$KIPSEC" encap listen >"$CDIR/listen" 2>&1
	poll 20 grep -q "goes to kipsec" "$CDIR/listen" && return 0
	diag "kipsec encap listen: $(cat "$CDIR/listen")"
	return 1
}

NT_AB=0x00001000 NT_BA=0x00002000
# natt_a_setup: A (kipsec, 10.1.0.1, private) -- N -- B (XFRM, 192.0.2.2),
# kipsec link ipsec0 (if_id 1) in A, xfrm interface in B, inner 10.9.0.1
# and 10.9.0.2. A's packets reach B from 192.0.2.254:4600.
# natt_ns PRIVATE: namespaces A (kipsec), N (the NAT) and B (XFRM, with
# the UDP_ENCAP socket); PRIVATE (A or B) is behind N on 10.1.0.0/24, the
# other side public on 192.0.2.0/24 where N is 192.0.2.254.
natt_ns() {
	local a_net=10.1.0.254 b_net=192.0.2.254 public=nB
	[ "$1" = B ] && a_net=192.0.2.254 b_net=10.1.0.254 public=nA
	mkns A N B || return 1
	veth "$A" eth0 02:00:00:00:0a:01 "$N" nA 02:00:00:00:0a:02 &&
	veth "$B" eth0 02:00:00:00:0b:01 "$N" nB 02:00:00:00:0b:02 || return 1
	encap_peer "$B" || return 1
	ip netns exec "$N" sysctl -qw net.ipv4.ip_forward=1 || return 1
	ipb "$N" <<-EOF || return 1
	link set nA up
	link set nB up
	address add $a_net/24 dev nA
	address add $b_net/24 dev nB
	EOF
	# SNAT as in a home router: UDP from port 4500 (4501) of the private
	# network leaves from 192.0.2.254:4600 (4601), the rest masqueraded
	nat_rules "$N" 10.1.0.0/24 "$public" 192.0.2.254 4500:4600 4501:4601
}

# natt_inner: 10.9.0.1 on A's ipsec0, 10.9.0.2 on B's xfrm0 (if_id 1 both).
natt_inner() {
	ipb "$A" <<-EOF || return 1
	link set ipsec0 mtu 1400 up
	address add 10.9.0.1/32 dev ipsec0
	route add 10.9.0.2/32 dev ipsec0
	EOF
	ipb "$B" <<-EOF
	link add xfrm0 type xfrm dev eth0 if_id 1
	link set xfrm0 mtu 1400 up
	address add 10.9.0.2/32 dev xfrm0
	route add 10.9.0.1/32 dev xfrm0
	EOF
}

natt_a_setup() {
	local k1 k2
	keygen k1 20 21; keygen k2 20 22
	natt_ns A || return 1
	sink_start "$A" "$CDIR/sinkA"
	sink_start "$B" "$CDIR/sinkB"
	ipb "$A" <<-EOF || return 1
	link set eth0 up
	address add 10.1.0.1/24 dev eth0
	route add default via 10.1.0.254
	EOF
	encap_listen "$A" || return 1
	kb "$A" <<-EOF || return 1
	link add ipsec0 if_id 1 underlay eth0
	sa add src 10.1.0.1 dst 192.0.2.2 proto esp spi $NT_AB mode tunnel enc aes-gcm-16 0x$k1 replay-window 64 if_id 1 reqid 1 encap 4500 4500
	sa add src 192.0.2.2 dst 10.1.0.1 proto esp spi $NT_BA mode tunnel enc aes-gcm-16 0x$k2 replay-window 64 if_id 1 reqid 1 encap 4500 4500
	policy add dir out src 10.9.0.1/32 dst 10.9.0.2/32 if_id 1 action protect tmpl proto esp mode tunnel reqid 1 src 10.1.0.1 dst 192.0.2.2
	policy add dir in src 10.9.0.2/32 dst 10.9.0.1/32 if_id 1 action protect tmpl proto esp mode tunnel reqid 1 src 192.0.2.2 dst 10.1.0.1
	EOF
	ipb "$B" <<-EOF || return 1
	link set eth0 up
	address add 192.0.2.2/24 dev eth0
	xfrm state add src 192.0.2.254 dst 192.0.2.2 proto esp spi $NT_AB reqid 1 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k1 128 if_id 1 encap espinudp 4600 4500 0.0.0.0
	xfrm state add src 192.0.2.2 dst 192.0.2.254 proto esp spi $NT_BA reqid 1 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k2 128 if_id 1 encap espinudp 4500 4600 0.0.0.0
	xfrm policy add src 10.9.0.2/32 dst 10.9.0.1/32 dir out tmpl src 192.0.2.2 dst 192.0.2.254 proto esp reqid 1 mode tunnel if_id 1
	xfrm policy add src 10.9.0.1/32 dst 10.9.0.2/32 dir in tmpl src 192.0.2.254 dst 192.0.2.2 proto esp reqid 1 mode tunnel if_id 1
	EOF
	natt_inner
}

natt_a_wire() {
	local w=$1 r=0 x
	eq "UDP-encapsulated ESP 192.0.2.254:4600 -> 192.0.2.2:4500 (SPIs)" "$NT_AB" \
		"$(spis "$w" udpesp 192.0.2.254.4600 192.0.2.2.4500)" || r=1
	eq "UDP-encapsulated ESP 192.0.2.2:4500 -> 192.0.2.254:4600 (SPIs)" "$NT_BA" \
		"$(spis "$w" udpesp 192.0.2.2.4500 192.0.2.254.4600)" || r=1
	x=$(grep -E '^esp ' "$w" | head -n 3)
	[ -z "$x" ] || { diag "bare ESP on the public side: $x"; r=1; }
	x=$(grep -E '^other ' "$w" | grep -F '10.9.0.' | head -n 3)
	[ -z "$x" ] || { diag "inner addresses in clear: $x"; r=1; }
	x=$(npk "$w" udpesp 192.0.2.254.4600 192.0.2.2.4500 "$NT_AB")
	[ "$x" -ge 130 ] || { diag "only $x ESP-in-UDP packets A->B"; r=1; }
	return "$r"
}

case_natt_kipsec_behind() {
	local capb capa
	case_begin nat-t-kipsec-behind-nat || return 0
	capb=$CDIR/capb capa=$CDIR/capa
	t "nat-t: kipsec A behind an nftables NAT, XFRM B public, kipsec encap listen in A" \
		natt_a_setup || { ep_close; case_end; return; }
	cap_start "$B" eth0 "$capb" && cap_start "$A" eth0 "$capa" ||
		{ not_ok "nat-t: tcpdump"; ep_close; case_end; return; }
	ep_wait
	td "$A $B" "nat-t: ping A->B, then B->A, 3 each" \
		eval 'ping3 "$A" 10.9.0.2 && ping3 "$B" 10.9.0.1'
	td "$A $B" "nat-t: TCP 200 KB A->B, sha256 checked at B" \
		xfer "$A" 10.9.0.2 ab "$CDIR/sinkB"
	td "$A $B" "nat-t: TCP 200 KB B->A, sha256 checked at A" \
		xfer "$B" 10.9.0.1 ba "$CDIR/sinkA"
	sleep 0.5
	wire "$capb" >"$capb.w"
	t "nat-t: public side: only UDP-encapsulated ESP (spi $NT_AB from 192.0.2.254:4600, $NT_BA back), nothing in clear" \
		natt_a_wire "$capb.w"

	# RFC 3948 section 2.2, 2.3: from B's port 4500 socket, through the
	# NAT mapping the tunnel uses
	kbase "$A"
	t "nat-t: B sends a NAT keepalive (0xff), then 'ike-message' behind the non-ESP marker" \
		eval 'ep_send 4500 ff 192.0.2.254 4600 &&
		      ep_send 4500 00000000$(printf ike-message | od -An -tx1 | tr -d " \n") 192.0.2.254 4600'
	t "nat-t: kipsec encap listen prints the marked message (15 bytes from 192.0.2.2:4500)" \
		eval 'poll 10 grep -qx "15 bytes from 192.0.2.2:4500 stay on the socket (not ESP)" "$CDIR/listen" ||
		      { diag "$(cat "$CDIR/listen")"; false; }'
	wire "$capa" >"$capa.w"
	t "nat-t: the keepalive reached A (its wire) and was swallowed: not printed, no drop counted" \
		eval '[ "$(npk "$capa.w" keepalive 192.0.2.2.4500 10.1.0.1.4500 -)" = 1 ] &&
		      lacks "kipsec encap listen" "$(cat "$CDIR/listen")" "^1 bytes" &&
		      kdelta in-malformed:0 in-sa-invalid:0 in-nomem:0 ||
		      { diag "$(grep -v "^esp\|^udpesp" "$capa.w" | tail -n 5)"; false; }'
	ep_close
	case_end
}

NM_AB=0x00003000 NM_BA=0x00004000
# natt_b_setup: A (kipsec, 192.0.2.1, public) -- N -- B (XFRM, 10.1.0.2,
# private). A's SAs name B by the NAT's address and port 4600.
natt_b_setup() {
	local k1 k2
	keygen k1 20 31; keygen k2 20 32
	keygen NM_K2 20 32
	natt_ns B || return 1
	ipb "$A" <<-EOF || return 1
	link set eth0 up
	address add 192.0.2.1/24 dev eth0
	EOF
	encap_listen "$A" || return 1
	kb "$A" <<-EOF || return 1
	link add ipsec0 if_id 1 underlay eth0
	sa add src 192.0.2.1 dst 192.0.2.254 proto esp spi $NM_AB mode tunnel enc aes-gcm-16 0x$k1 replay-window 64 if_id 1 reqid 1 encap 4500 4600
	sa add src 192.0.2.254 dst 192.0.2.1 proto esp spi $NM_BA mode tunnel enc aes-gcm-16 0x$k2 replay-window 64 if_id 1 reqid 1 encap 4600 4500
	policy add dir out src 10.9.0.1/32 dst 10.9.0.2/32 if_id 1 action protect tmpl proto esp mode tunnel reqid 1 src 192.0.2.1 dst 192.0.2.254
	policy add dir in src 10.9.0.2/32 dst 10.9.0.1/32 if_id 1 action protect tmpl proto esp mode tunnel reqid 1 src 192.0.2.254 dst 192.0.2.1
	EOF
	ipb "$B" <<-EOF || return 1
	link set eth0 up
	address add 10.1.0.2/24 dev eth0
	route add default via 10.1.0.254
	xfrm state add src 192.0.2.1 dst 10.1.0.2 proto esp spi $NM_AB reqid 1 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k1 128 if_id 1 encap espinudp 4500 4500 0.0.0.0
	xfrm state add src 10.1.0.2 dst 192.0.2.1 proto esp spi $NM_BA reqid 1 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k2 128 if_id 1 encap espinudp 4500 4500 0.0.0.0
	xfrm policy add src 10.9.0.2/32 dst 10.9.0.1/32 dir out tmpl src 10.1.0.2 dst 192.0.2.1 proto esp reqid 1 mode tunnel if_id 1
	xfrm policy add src 10.9.0.1/32 dst 10.9.0.2/32 dir in tmpl src 192.0.2.1 dst 10.1.0.2 proto esp reqid 1 mode tunnel if_id 1
	EOF
	natt_inner
}

case_natt_mapping() {
	local mon c forged
	case_begin nat-t-mapping || return 0
	mon=$CDIR/monitor
	t "nat-t mapping: kipsec A public (monitor running), XFRM B behind the NAT" \
		eval 'natt_b_setup && mon_start "$A" "$mon"' || { ep_close; case_end; return; }
	ep_wait
	c=".event == \"mapping\""
	td "$A $B" "nat-t mapping: ping B->A (opens the NAT mapping), then A->B, 3 each" \
		eval 'ping3 "$B" 10.9.0.1 && ping3 "$A" 10.9.0.2'
	t "nat-t mapping: no mapping event while B's packets come from 192.0.2.254:4600" \
		mon_expect "$mon" 0 "$c"
	# an ESP-in-UDP packet for SPI $NM_BA from B's port 4502 (masqueraded
	# to another NAT port) that does not authenticate: SPI, sequence
	# number 0x100, 8 bytes of IV, 20 of ciphertext, 16 of ICV
	# shellcheck disable=SC2034 # used in an eval'd test
	forged=${NM_BA#0x}00000100$(printf '%088d' 0)
	kbase "$A"
	t "nat-t mapping: a forged packet from a new NAT port fails its ICV and is no news" \
		eval 'ep_send 4502 "$forged" 192.0.2.1 4500 && kdelta in-integrity:1 &&
		      sleep 0.5 && mon_expect "$mon" 0 "$c"'
	# a NAT-T peer keeps its mapping alive (RFC 3948 section 4): the
	# conntrack entry of port 4500 must outlive the test's pauses
	t "nat-t mapping: B's NAT keepalive from port 4500 (refreshes the NAT mapping)" \
		ep_send 4500 ff 192.0.2.1 4500
	t "nat-t mapping: B's SA $NM_BA now sends from port 4501 (ip xfrm state update; the NAT maps it to 4601)" \
		ip -n "$B" xfrm state update src 10.1.0.2 dst 192.0.2.1 proto esp spi "$NM_BA" \
		reqid 1 mode tunnel replay-window 64 aead 'rfc4106(gcm(aes))' "0x$NM_K2" 128 \
		if_id 1 encap espinudp 4501 4500 0.0.0.0
	td "$A $B" "nat-t mapping: ping B->A still answered, 3" \
		eval 'ping3 "$B" 10.9.0.1 ||
		      { diag "NAT conntrack: $(ip netns exec "$N" cat /proc/net/nf_conntrack 2>&1)"; false; }'
	t "nat-t mapping: one mapping event: SA $NM_BA, new address 192.0.2.254 port 4601" \
		eval 'mon_wait "$mon" "$c" && sleep 0.5 && mon_expect "$mon" 1 "$c" &&
		      mon_expect "$mon" 1 "$c and .sa.spi == \"$NM_BA\" and
			.new_addr == \"192.0.2.254\" and .new_port == 4601"'
	ep_close
	case_end
}

# ---------------------------------------------------------------- 7. robustness
# rb_setup [encap]: A (kipsec) and B (XFRM) as pair_ns, with a route-based
# tunnel 10.0.0.1 <-> 10.0.0.2 (kipsec link ipsec0 / xfrm interface) and
# policy-based transport mode between 192.0.2.1 and 192.0.2.2 (with
# "encap": UDP-encapsulated, kipsec encap listen in A, encap-peer in B).
rb_setup() {
	local enc=() xenc=() k1 k2 k3 k4
	keygen k1 20 41; keygen k2 20 42; keygen k3 20 43; keygen k4 20 44
	pair_ns || return 1
	sink_start "$B" "$CDIR/sinkB"
	if [ "${1:-}" = encap ]; then
		enc=(encap 4500 4500)
		xenc=(encap espinudp 4500 4500 0.0.0.0)
		encap_peer "$B" || return 1
		encap_listen "$A" || return 1
	fi
	kb "$A" <<-EOF || return 1
	link add ipsec0 if_id 1 underlay vA
	sa add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x701 mode tunnel enc aes-gcm-16 0x$k1 replay-window 64 if_id 1 reqid 1
	sa add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x702 mode tunnel enc aes-gcm-16 0x$k2 replay-window 64 if_id 1 reqid 1
	policy add dir out src 10.0.0.1/32 dst 10.0.0.2/32 if_id 1 action protect tmpl proto esp mode tunnel reqid 1 src 192.0.2.1 dst 192.0.2.2
	policy add dir in src 10.0.0.2/32 dst 10.0.0.1/32 if_id 1 action protect tmpl proto esp mode tunnel reqid 1 src 192.0.2.2 dst 192.0.2.1
	sa add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x703 mode transport enc aes-gcm-16 0x$k3 replay-window 64 reqid 2 ${enc[*]}
	sa add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x704 mode transport enc aes-gcm-16 0x$k4 replay-window 64 reqid 2 ${enc[*]}
	policy add dir out src 192.0.2.1 dst 192.0.2.2 action protect tmpl proto esp mode transport reqid 2
	policy add dir in src 192.0.2.2 dst 192.0.2.1 action protect tmpl proto esp mode transport reqid 2
	EOF
	ipb "$A" <<-EOF || return 1
	link set ipsec0 mtu 1400 up
	address add 10.0.0.1/32 dev ipsec0
	route add 10.0.0.2/32 dev ipsec0
	EOF
	ipb "$B" <<-EOF
	link add xfrm0 type xfrm dev vB if_id 1
	link set xfrm0 mtu 1400 up
	address add 10.0.0.2/32 dev xfrm0
	route add 10.0.0.1/32 dev xfrm0
	xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x701 reqid 1 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k1 128 if_id 1
	xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x702 reqid 1 mode tunnel replay-window 64 aead rfc4106(gcm(aes)) 0x$k2 128 if_id 1
	xfrm policy add src 10.0.0.2/32 dst 10.0.0.1/32 dir out tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 1 mode tunnel if_id 1
	xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 dir in tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel if_id 1
	xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x703 reqid 2 mode transport replay-window 64 aead rfc4106(gcm(aes)) 0x$k3 128 ${xenc[*]}
	xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x704 reqid 2 mode transport replay-window 64 aead rfc4106(gcm(aes)) 0x$k4 128 ${xenc[*]}
	xfrm policy add src 192.0.2.2 dst 192.0.2.1 dir out tmpl proto esp reqid 2 mode transport
	xfrm policy add src 192.0.2.1 dst 192.0.2.2 dir in tmpl proto esp reqid 2 mode transport
	EOF
}

# rb_flows: both tunnels carry traffic (a ping each way on each).
rb_flows() {
	[ "${1:-}" = encap ] && ep_wait
	ping3 "$A" 10.0.0.2 192.0.2.2 && ping3 "$B" 10.0.0.1 192.0.2.1
}

# rb_traffic WHO SECS: floods for SECS seconds. WHO "both": A floods B over
# both tunnels and streams TCP to B's sink, B floods A; "b": only B floods
# A (nothing runs in A, so deleting A's name really destroys it).
rb_traffic() {
	local p
	if [ "$1" = both ]; then
		bg p ip netns exec "$A" ping -q -f -w "$2" 10.0.0.2 >/dev/null 2>&1
		bg p ip netns exec "$A" ping -q -f -w "$2" 192.0.2.2 >/dev/null 2>&1
		bg p ip netns exec "$A" timeout "$2" bash -c \
			'exec 3<>/dev/tcp/192.0.2.2/5001 && echo stream >&3 && cat /dev/zero >&3' \
			>/dev/null 2>&1
	fi
	bg p ip netns exec "$B" ping -q -f -w "$2" 10.0.0.1 >/dev/null 2>&1
	bg p ip netns exec "$B" ping -q -f -w "$2" 192.0.2.1 >/dev/null 2>&1
}

# rb_peer_gone: A is destroyed (its veth peer in B went away with it).
rb_peer_gone() { ! ip -n "$B" link show vB >/dev/null 2>&1; }

# module_reload: the module is loaded again for what follows.
module_reload() {
	[ -d /sys/module/kipsec ] && return 0
	must modprobe kipsec
}

case_robust() {
	local out rc i
	# (a) rmmod with kipsec links, SAs, policies, an encap socket and traffic
	if case_begin robust-rmmod-live; then
		if t "robust: tunnels (route-based, policy-based ESP-in-UDP) carry traffic" \
			eval 'rb_setup encap && rb_flows encap'; then
			rb_traffic both 20
			sleep 2
			out=$(rmmod kipsec 2>&1)
			rc=$?
			if [ "$rc" = 0 ]; then
				diag "rmmod kipsec with live tunnels and traffic: unloaded"
				# (no kipsec command now: it would load the module again)
				t "robust: rmmod under traffic: unloaded" \
					eval '! [ -d /sys/module/kipsec ]'
				# the encap socket went back to a plain UDP socket:
				# 24 bytes that kipsec would take for ESP (no marker)
				# and drop (unknown SPI) reach the socket
				t "robust: after the unload A's port 4500 socket is a plain UDP socket" \
					eval 'ep_send 4500 0102030405060708$(printf "%032d" 0) 192.0.2.1 4500 &&
					      poll 10 grep -q "^24 bytes from 192.0.2.2:4500" "$CDIR/listen" ||
					      { diag "$(cat "$CDIR/listen")"; false; }'
			else
				diag "rmmod kipsec with live tunnels and traffic: refused ($out)"
				t "robust: rmmod under traffic: refused as in use, module intact" \
					eval 'contains rmmod "$out" "in use" && [ -d /sys/module/kipsec ] &&
					      kx "$A" sa show >/dev/null'
			fi
			t "robust: modprobe kipsec again" module_reload
		fi
		ep_close
		case_end
	fi
	module_reload >/dev/null || bail "kipsec cannot be loaded again"

	# (b) ip netns del of kipsec's namespace while B floods it
	if case_begin robust-netns-del; then
		if t "robust: tunnels carry traffic" eval 'rb_setup && rb_flows'; then
			rb_traffic b 30
			sleep 2
			t "robust: ip netns del of kipsec's namespace under traffic: it goes" \
				eval 'ip netns del "$A" && poll 30 rb_peer_gone'
		fi
		case_end
	fi

	# (c) flush SAs, policies and the link while traffic flows
	if case_begin robust-flush; then
		if t "robust: tunnels carry traffic" eval 'rb_setup && rb_flows'; then
			rb_traffic both 20
			sleep 2
			kbase "$A"
			t "robust: sa flush under traffic: no SA left" \
				eval 'kx "$A" sa flush && [ "$(kx "$A" -j sa show | jq length)" = 0 ]'
			sleep 1
			kread
			t "robust: then packets under the protect policies find no SA (out-no-sa grows)" \
				eval '[ "${KD[out-no-sa]:-0}" -gt 0 ] || { diag "out-no-sa +${KD[out-no-sa]:-?}"; false; }'
			t "robust: policy flush and link del under traffic" \
				eval 'kx "$A" policy flush && kx "$A" link del ipsec0 &&
				      [ "$(kx "$A" -j policy show | jq length)" = 0 ]'
		fi
		case_end
	fi

	# (d) delete both namespaces under traffic, then unload
	if case_begin robust-final-unload; then
		if t "robust: tunnels carry traffic" eval 'rb_setup && rb_flows'; then
			rb_traffic both 10
			sleep 2
			t "robust: ip netns del of both namespaces under traffic" \
				eval 'ip netns del "$A" && ip netns del "$B"'
		fi
		case_end	# the traffic stops: the namespaces go
		rc=1
		for ((i = 0; i < 30; i++)); do
			out=$(rmmod kipsec 2>&1) && { rc=0; break; }
			sleep 1
		done
		t "robust: rmmod kipsec then succeeds" \
			eval '[ "$rc" = 0 ] || { diag "rmmod: $out"; false; }'
		t "robust: modprobe kipsec again" module_reload
	fi
}

# ---------------------------------------------------------------- 8. held
# RFC 7296 lets a rekey's responder send on its new SA the moment it
# answers, before our key manager has keyed the inbound SA it reserved
# with sa-alloc-spi. Here the eager peer is XFRM in B, which already has
# the SA and sends UDP on it in transport mode while A's SA is larval: A
# holds up to 32 such packets (held.c) and delivers every one once `sa add`
# keys the SA; beyond 32 they are dropped and counted (in-sa-invalid), and
# so are those held for a larval SA that times out instead.

# held_send PORT N: N datagrams from B to A's PORT, in one process.
held_send() {
	ip netns exec "$B" bash -c '
		for ((i = 0; i < $2; i++)); do
			echo "$i" >"/dev/udp/192.0.2.1/$1"
		done' _ "$1" "$2"
}
# held_got PORT N: the sink has exactly N datagrams for PORT (after 5 s
# of polling for more, so that "exactly" means something).
held_got() {
	local n
	held_n() { n=$(grep -c "^$1 " "$CDIR/us"); [ "$n" -ge "$2" ]; }
	poll 5 held_n "$1" "$(($2 + 1))"
	[ "$n" = "$2" ] && return 0
	diag "port $1: $n datagrams, expected $2"
	return 1
}
# held_larval REQID PORT TIMEOUT: a larval SA in A for ESP from B, and
# XFRM's SA with its SPI in B for UDP to PORT; the SPI in HELD_SPI.
held_larval() {
	HELD_SPI=$(kx "$A" sa allocspi src 192.0.2.2 dst 192.0.2.1 proto esp \
		timeout "$3") || return 1
	ipb "$B" <<-EOF
	xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi $HELD_SPI reqid $1 mode transport aead rfc4106(gcm(aes)) 0x$HELD_KEY 128
	xfrm policy add src 192.0.2.2 dst 192.0.2.1 proto udp dport $2 dir out tmpl proto esp reqid $1 mode transport
	EOF
}
# held_dropped N: in-sa-invalid grew by N since kbase (quietly, for poll).
held_dropped() { kread && [ "${KD[in-sa-invalid]:-}" = "$1" ]; }
# held_sa_packets N: A's SA HELD_SPI delivered N packets.
held_sa_packets() {
	local p
	p=$(kx "$A" -j -s sa get dst 192.0.2.1 proto esp spi "$HELD_SPI" |
		jq .stats.packets)
	[ "$p" = "$1" ] && return 0
	diag "SA $HELD_SPI: $p packets, expected $1"
	return 1
}

case_held() {
	case_begin held || return 0
	keygen HELD_KEY 20 9
	t "held: namespaces A (kipsec) and B (XFRM), a UDP sink in A" \
		eval 'pair_ns static &&
		      bg US ip netns exec "$A" "$PYTHON" "$DPDIR/udp-sink.py" \
			"$CDIR/us.ready" 7000 7001 >"$CDIR/us" 2>&1 &&
		      poll 60 test -e "$CDIR/us.ready"' || { case_end; return; }
	t "held: A reserves an SPI (larval, 60 s), B's XFRM SA has it" \
		held_larval 1 7000 60 || { case_end; return; }
	kbase "$A"
	t "held: 20 datagrams B->A before A's SA is keyed: none delivered, none dropped" \
		eval 'held_send 7000 20 && held_got 7000 0 && kdelta in-sa-invalid:0'
	td "$A $B" "held: sa add keys the SA: the 20 held datagrams are delivered" \
		eval 'kx "$A" sa add src 192.0.2.2 dst 192.0.2.1 proto esp \
			spi "$HELD_SPI" mode transport enc aes-gcm-16 0x$HELD_KEY &&
		      held_got 7000 20'
	td "$A $B" "held: 5 more arrive at once; the SA counts 25; no drop at all" \
		eval 'held_send 7000 5 && held_got 7000 25 && held_sa_packets 25 &&
		      kdelta $(jq -r "keys[] + \":0\"" <<<"$KB_JSON")'

	t "held: a second larval SA (3 s), B's XFRM SA has it" \
		held_larval 2 7001 3 || { case_end; return; }
	kbase "$A"
	t "held: 40 datagrams for it: 32 held, 8 dropped (in-sa-invalid +8)" \
		eval 'held_send 7001 40 && kdelta in-sa-invalid:8'
	t "held: the larval SA times out: the 32 held are dropped and counted" \
		eval 'poll 60 held_dropped 40 && kdelta in-sa-invalid:40 &&
		      held_got 7001 0'
	case_end
}

# ---------------------------------------------------------------- main
start=$SECONDS
case_policy
case_inpolicy
case_acquire_lifetime
case_tfc
case_pmtu
case_natt_kipsec_behind
case_natt_mapping
case_held
case_robust
diag "all cases in $((SECONDS - start)) s"
exit
}
