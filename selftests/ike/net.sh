# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2016 # (bash -c code is in single quotes on purpose)
#
# Plumbing of selftests/kipsec-ike.sh, sourced after ../lib.sh: the three
# topologies, counted UDP streams and what the captures must not show.
# Cases, namespaces, pings, TCP with sha256 at the receiver and captures
# come from ../datapath/traffic.sh (shared with kipsec-datapath.sh), which
# this file sources; kipsec-ike.sh sets its FILTER (KIPSEC_IKE_FILTER) and
# CASE_NOTE (the peer under test).
#
# Topologies (ip addresses from ../../shared/reference/charon/):
#
#   direct:  moon eth0 192.168.0.1/24 ---- sun eth0 192.168.0.2/24
#   nat:     moon eth0 172.16.0.1/24 ---- priv 172.16.0.254  NAT
#            pub 192.168.0.254/24 ---- sun eth0 192.168.0.2/24
#            (moon's default route via the NAT)
#   relay:   direct's addresses, with namespace WAN between moon and sun
#            whose relay.py copies the frames and holds IKE on request
#
# Both: moon protects 10.1.0.0/16 (dummy0 10.1.0.1), sun 10.2.0.0/16
# (dummy0 10.2.0.1); each routes the other's subnet to the other side with
# its inner address as source, so that traffic between the subnets (and
# only that) matches the tunnel's traffic selectors. A TCP sink (port 5001,
# ../datapath/tcp-sink.py) runs in moon and sun.

# shellcheck source=datapath/traffic.sh
. "$TOP/selftests/datapath/traffic.sh"

# The checks poll repeats start a swanctl or kipsec process each: more
# often only loads the two vCPUs the daemons need.
POLL_INTERVAL=0.5
# A failed case's files (configurations, daemon logs, captures) go to
# kipsec-ike/CASE in the VM's results directory; KIPSEC_IKE_KEEP=1 keeps
# every case's.
CASE_KEEP=kipsec-ike
CASE_KEEP_ALL=${KIPSEC_IKE_KEEP:-0}

MOON_IN=10.1.0.1 SUN_IN=10.2.0.1
MOON_IP=192.168.0.1 SUN_IP=192.168.0.2
NAT_PRIV=172.16.0.254 NAT_PUB=192.168.0.254 MOON_PRIV=172.16.0.1

# ---------------------------------------------------------------- topologies
# subnet NS ADDR ROUTE VIA: dummy0 with ADDR/16, ROUTE via VIA from ADDR.
subnet() {
	ipb "$1" <<-EOF
	link add dummy0 type dummy
	link set dummy0 up
	address add $2/16 dev dummy0
	route add $3 via $4 src $2
	EOF
}

# topo_direct: namespaces MOON and SUN joined by a veth (eth0 both), the
# subnets behind them, TCP sinks.
topo_direct() {
	mkns MOON SUN || return 1
	ip link add eth0 netns "$MOON" type veth peer name eth0 netns "$SUN" ||
		return 1
	ends_up
}

# ends_up: MOON's and SUN's eth0 (there already) up with their addresses
# on one /24, the subnets behind them, TCP sinks.
ends_up() {
	ipb "$MOON" <<-EOF || return 1
	link set eth0 up
	address add $MOON_IP/24 dev eth0
	EOF
	ipb "$SUN" <<-EOF || return 1
	link set eth0 up
	address add $SUN_IP/24 dev eth0
	EOF
	subnet "$MOON" "$MOON_IN" 10.2.0.0/16 "$SUN_IP" &&
	subnet "$SUN" "$SUN_IN" 10.1.0.0/16 "$MOON_IP" || return 1
	sinks_start
}

# topo_nat: moon behind namespace NAT, which masquerades what moon sends to
# the public side (UDP from port 4500 leaves from port 4600, as behind a
# home router that changes ports, as in kipsec-datapath.sh's NAT-T case);
# conntrack lets replies back in.
topo_nat() {
	mkns MOON NAT SUN || return 1
	ip link add eth0 netns "$MOON" type veth peer name priv netns "$NAT" &&
	ip link add pub netns "$NAT" type veth peer name eth0 netns "$SUN" ||
		return 1
	ip netns exec "$NAT" sysctl -qw net.ipv4.ip_forward=1 || return 1
	ipb "$MOON" <<-EOF || return 1
	link set eth0 up
	address add $MOON_PRIV/24 dev eth0
	route add default via $NAT_PRIV
	EOF
	ipb "$NAT" <<-EOF || return 1
	link set priv up
	link set pub up
	address add $NAT_PRIV/24 dev priv
	address add $NAT_PUB/24 dev pub
	EOF
	ipb "$SUN" <<-EOF || return 1
	link set eth0 up
	address add $SUN_IP/24 dev eth0
	EOF
	nat_rules "$NAT" 172.16.0.0/24 pub "$NAT_PUB" 4500:4600 || return 1
	subnet "$MOON" "$MOON_IN" 10.2.0.0/16 "$NAT_PRIV" &&
	subnet "$SUN" "$SUN_IN" 10.1.0.0/16 "$NAT_PUB" || return 1
	sinks_start
}

# topo_relay: topo_direct's addresses and subnets, with namespace WAN
# between moon and sun: moon eth0 -- tomoon WAN tosun -- sun eth0, the
# relay copying frames between tomoon and tosun.
RELAY_PID='' RELAY_LOG=''
topo_relay() {
	mkns MOON WAN SUN || return 1
	ip link add eth0 netns "$MOON" type veth peer name tomoon netns "$WAN" &&
	ip link add tosun netns "$WAN" type veth peer name eth0 netns "$SUN" ||
		return 1
	ipb "$WAN" <<-EOF || return 1
	link set dev tomoon up promisc on
	link set dev tosun up promisc on
	EOF
	ends_up && relay_start
}

# relay_start: relay.py in WAN (killed by case_end), ready, and moon
# reaches sun through it.
relay_start() {
	RELAY_LOG=$CDIR/relay.log
	rm -f "$CDIR/relay.ready"
	bg RELAY_PID ip netns exec "$WAN" "$PYTHON" "$IKEDIR/relay.py" \
		"$CDIR/relay.ready" tomoon tosun >"$RELAY_LOG" 2>&1
	if ! poll 60 test -e "$CDIR/relay.ready"; then
		diag "relay.py did not start: $(cat "$RELAY_LOG")"
		return 1
	fi
	pingx "$MOON" 5~ + -i 0.5 -W 2 -w 20 "$SUN_IP"
}

# relay_hold: the relay holds IKE from now on. relay_hold_answers: it
# holds only the responses that key a CHILD_SA (IKE_AUTH, CREATE_CHILD_SA).
# relay_release: it sends what it held and passes IKE again.
RELAY_MARK=0
relay_hold() { relay_signal USR1 hold; }
relay_hold_answers() { relay_signal HUP hold-answers; }
relay_signal() {	# SIGNAL WHAT
	RELAY_MARK=$(wc -l <"$RELAY_LOG")
	kill -"$1" "$RELAY_PID" &&
	poll 10 relay_says "^$2\$" && return 0
	diag "the relay does not $2: $(tail -n 5 "$RELAY_LOG")"
	return 1
}
relay_release() {
	kill -USR2 "$RELAY_PID" &&
	poll 10 relay_says '^release ' && return 0
	diag "the relay does not release: $(tail -n 5 "$RELAY_LOG")"
	return 1
}
# relay_says ERE: the relay's log since relay_hold has such a line.
relay_says() {
	tail -n +$((RELAY_MARK + 1)) "$RELAY_LOG" | grep -qE -- "$1"
}

# ---------------------------------------------------------------- traffic
# sinks_start: the TCP sink (port 5001) in MOON and SUN, results in
# $CDIR/sink-moon and $CDIR/sink-sun. Python starts slowly under TCG: they
# start with the topology and are waited for at the first transfer.
sinks_start() {
	sink_start "$MOON" "$CDIR/sink-moon" && sink_start "$SUN" "$CDIR/sink-sun"
}
# udp_sink NS NAME: ../datapath/udp-sink.py on port 9000 in NS, one line
# per datagram in $CDIR/NAME.
udp_sink() {
	local pid
	rm -f "$CDIR/$2.ready"
	# shellcheck disable=SC2034 # pid: set by bg
	bg pid ip netns exec "$1" "$PYTHON" "$DPDIR/udp-sink.py" "$CDIR/$2.ready" \
		9000 >"$CDIR/$2" 2>"$CDIR/$2.err"
}
udp_sink_wait() {	# NAME
	poll 60 test -e "$CDIR/$1.ready" && return 0
	diag "udp-sink.py did not start: $(cat "$CDIR/$1.err")"
	return 1
}

# stream_start NS DST NAME: NS sends a datagram to DST port 9000 every
# 50 ms until stream_stop NAME; then the number it tried to send (a send
# that fails counts too: no SA is loss) is in $CDIR/NAME.sent.
stream_start() {
	local pid
	rm -f "$CDIR/$3.stop" "$CDIR/$3.sent"
	# shellcheck disable=SC2034 # pid: set by bg
	bg pid ip netns exec "$1" bash -c '
		n=0
		while ! [ -e "$1" ]; do
			printf "%08d" "$n" >"/dev/udp/$2/9000" ||
				echo "datagram $n: send failed"
			n=$((n + 1))
			sleep 0.05
		done
		echo "$n" >"$3"' _ "$CDIR/$3.stop" "$2" "$CDIR/$3.sent" \
		>"$CDIR/$3.err" 2>&1
}
stream_stop() {	# NAME
	touch "$CDIR/$1.stop"
	poll 30 test -s "$CDIR/$1.sent" && return 0
	diag "stream $1 did not stop"
	return 1
}
# stream_got NAME SINK SRC: got = the datagrams in SINK from SRC, at least
# sent (stream_lossless's locals).
stream_got() {
	got=$(awk -v s="$3" '$3 == s { n++ } END { print n + 0 }' "$CDIR/$2")
	[ "$got" -ge "$sent" ]
}
# stream_lossless NAME SINK SRC: every datagram of stream NAME reached SINK
# (the udp-sink output) from SRC (waits 30 s for the last ones).
stream_lossless() {
	local sent got
	sent=$(cat "$CDIR/$1.sent" 2>/dev/null)
	[ -n "$sent" ] || { diag "stream $1: no count"; return 1; }
	poll 30 stream_got "$@"
	if [ "$got" = "$sent" ] && [ "$sent" -gt 0 ]; then
		diag "stream $1: $sent datagrams sent, $got received"
		return 0
	fi
	diag "stream $1: $sent datagrams sent, $got received from $3"
	[ -s "$CDIR/$1.err" ] && diag "$(head -n 5 "$CDIR/$1.err")"
	return 1
}

# ---------------------------------------------------------------- capture
# in_clear WIREFILE ADDR...: nothing on the wire that should have been in
# ESP: no ICMP echo, no TCP, no UDP to the stream port, no packet from or
# to one of the ADDRs (the protected subnets' hosts) outside ESP.
in_clear() {
	local w=$1 a re='ICMP echo|Flags \[|\.9000: UDP'
	shift
	for a in "$@"; do
		re+="|[ >]${a//./\\.}[.: ]"
	done
	grep -E '^other ' "$w" | grep -E -- "$re" | head -n 5
}
