# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2016 # (eval'd test code is in single quotes on purpose)
#
# Case 12 of selftests/kipsec-ike.sh (sourced by it, after net.sh and
# peer.sh): a responder that sends on a new CHILD_SA the moment it
# answers, before the initiator has keyed its inbound SA (RFC 7296 lets it;
# charon does so for a CHILD_SA created in IKE_AUTH: it installs both SAs
# and its policies before it sends the response).
#
# moon initiates gw/net through the relay (topo_relay), which holds the
# responses that key a CHILD_SA. sun's charon has answered IKE_AUTH and
# sends a UDP stream (a datagram every 50 ms) to moon's subnet in ESP on
# the new SA; moon's inbound SA is still larval (its SPI allocated for the
# request, no keys). kipsec.ko holds those ESP packets (at most 32 per SA,
# net/kipsec/held.c) and delivers them once `kipsec ike` has processed the
# released answer and keyed the SA. Checked: while the answer is held,
# sun's XFRM sent 10 datagrams or more and moon delivered none; once it
# passes, the tunnel comes up, not a datagram of the stream is lost,
# moon's SA counted every datagram sun's sent, and no drop counter of
# moon's kipsec moved.
#
# A native XFRM initiator drops what arrives for its larval SA
# (XfrmInNoStates), so with KIPSEC_IKE_PEER=charon the stream loses the
# datagrams sent before the answer passed: this case then reports one
# "# SKIP" result saying so and runs nothing.

# xfrm_packets NS SRC DST: the packets NS's XFRM SAs SRC -> DST have
# carried (`ip -s xfrm state`: "N(bytes), M(packets)" under "lifetime
# current:").
xfrm_packets() {
	ip -n "$1" -s xfrm state | awk -v s="$2" -v d="$3" '
		$1 == "src" { on = ($2 == s && $4 == d) }
		on && /^[ \t]*[0-9]+\(bytes\), [0-9]+\(packets\)/ {
			sub(/\(packets\).*/, ""); sub(/.* /, ""); n += $0 }
		END { print n + 0 }'
}

# sink_grows NAME N: the UDP sink NAME got N more datagrams than when
# called (within 30 s).
sink_grows() {
	local sink=$CDIR/$1 want
	want=$(($(wc -l <"$sink") + $2))
	# (poll's eval sees its own positional parameters: locals only)
	poll 30 eval '[ "$(wc -l <"$sink")" -ge "$want" ]' && return 0
	diag "$1 got $(($(wc -l <"$sink") - want + $2)) datagrams, not $2"
	return 1
}

# moon_drops: the sum of moon's kipsec drop counters.
moon_drops() {
	"$KIPSEC" -n "$MOON" -j stats | jq '[.[]] | add'
}

# eager_sent: while the answer is held, sun's XFRM has sent 10 datagrams
# or more to moon and moon has delivered none of them.
eager_sent() {
	local n got
	if ! poll 20 eval '[ "$(xfrm_packets "$SUN" "$SUN_IP" "$MOON_IP")" -ge 10 ]'; then
		diag "sun sent $(xfrm_packets "$SUN" "$SUN_IP" "$MOON_IP") ESP packets to moon, not 10"
		return 1
	fi
	n=$(xfrm_packets "$SUN" "$SUN_IP" "$MOON_IP")
	got=$(wc -l <"$CDIR/usink-moon")
	diag "sun sent $n ESP packets on its new SA before moon had the answer"
	eq "datagrams moon delivered before it had the answer" 0 "$got"
}

# eager_counted: moon's inbound SA counted every ESP packet sun sent and
# moon's kipsec dropped nothing.
eager_counted() {
	local sent in
	sent=$(xfrm_packets "$SUN" "$SUN_IP" "$MOON_IP")
	in=$("$KIPSEC" -n "$MOON" -sj sa show |
		jq --arg d "$MOON_IP" '[.[] | select(.dst == $d) | .stats.packets] | add')
	eq "packets moon's SAs from sun counted (sun's XFRM sent $sent)" "$sent" "$in" &&
	eq "moon's kipsec drop counters" 0 "$(moon_drops)"
}

case_eager() {
	local l=eager
	# shellcheck disable=SC2034 # pid: set by bg, the job killed by case_end
	local pid
	case_selected "$l" || return 0
	if [ "$PEER" != kipsec ]; then
		# (no case_begin: nothing runs)
		ok "$l: no datagram lost when sun sends on the new CHILD_SA before moon has its answer # SKIP moon runs charon, whose XFRM drops ESP for a larval SA: the case is for kipsec.ko's held packets"
		return 0
	fi
	case_begin "$l" || return 0
	cfg_net
	# no key exchange in the CHILD_SA's proposals: kipsec would rekey at
	# once to find a PFS mismatch, and the counts compared are of one SA
	cfg both ESP_PROPOSALS=aes128gcm16
	if ! ti "$l: moon and sun running (relay), moon's UDP sink" \
		eval 'setup relay && udp_sink "$MOON" usink-moon && udp_sink_wait usink-moon'; then
		case_end
		return
	fi
	relay_hold_answers || { case_end; return; }
	bg pid peer_up moon gw net
	if ti "$l: moon initiates, the relay holds sun's IKE_AUTH answer" \
		poll 20 relay_says '^held tosun>tomoon 35 response '; then
		stream_start "$SUN" "$MOON_IN" sm
		ti "$l: sun (charon) sends the stream in ESP on its new SA while moon's is larval; moon delivers none of it" \
			eager_sent
	fi
	relay_release
	ti "$l: the answer passes: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		eval 'both_established gw net && settled net'
	ti "$l: the stream flows through the tunnel" sink_grows usink-moon 10
	stream_stop sm
	ti "$l: sun -> moon stream: no datagram lost" stream_lossless sm usink-moon "$SUN_IN"
	ti "$l: moon's SA counted every ESP packet sun sent, no drop counter moved" \
		eager_counted
	case_end
}
