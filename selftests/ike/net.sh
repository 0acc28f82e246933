# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2016 # (bash -c code is in single quotes on purpose)
#
# Plumbing of selftests/kipsec-ike.sh, sourced after ../lib.sh: cases and
# their clean-up, namespaces and the two topologies, traffic (pings, TCP
# with sha256 at the receiver, counted UDP streams) and packet captures.
# Traffic and capture helpers follow selftests/kipsec-datapath.sh's.
#
# Topologies (ip addresses from ../../shared/reference/charon/):
#
#   direct:  moon eth0 192.168.0.1/24 ---- sun eth0 192.168.0.2/24
#   nat:     moon eth0 172.16.0.1/24 ---- priv 172.16.0.254  NAT
#            pub 192.168.0.254/24 ---- sun eth0 192.168.0.2/24
#            (moon's default route via the NAT)
#
# Both: moon protects 10.1.0.0/16 (dummy0 10.1.0.1), sun 10.2.0.0/16
# (dummy0 10.2.0.1); each routes the other's subnet to the other side with
# its inner address as source, so that traffic between the subnets (and
# only that) matches the tunnel's traffic selectors. A TCP sink (port 5001,
# ../datapath/tcp-sink.py) runs in moon and sun.

DPDIR=$TOP/selftests/datapath
MOON_IN=10.1.0.1 SUN_IN=10.2.0.1
MOON_IP=192.168.0.1 SUN_IP=192.168.0.2
NAT_PRIV=172.16.0.254 NAT_PUB=192.168.0.254 MOON_PRIV=172.16.0.1

DATA=$TMPD/data
DATA_LEN=204800
head -c "$DATA_LEN" /dev/urandom >"$DATA" || bail "no random data"
DATA_SHA=$(sha256sum <"$DATA" | cut -d' ' -f1)

# ---------------------------------------------------------------- cases
CASE='' CASE_T0=0 CASE_FAILED0=0 CDIR=''
CASE_NS=() CASE_PIDS=() CASE_STOP=()

# case_selected NAME: KIPSEC_IKE_FILTER (FILTER), an ERE over case names,
# selects the case (development).
case_selected() {
	[ -z "${FILTER:-}" ] || grep -qE -- "$FILTER" <<<"$1"
}

# case_begin NAME: 0 if the case is to run.
case_begin() {
	case_selected "$1" || return 1
	CASE=$1
	CDIR=$TMPD/$CASE
	mkdir -p "$CDIR"
	diag "case $CASE (peer under test: $PEER)"
	CASE_T0=$SECONDS
	# shellcheck disable=SC2154 # lib.sh's count of failures
	CASE_FAILED0=$_tap_failed
}

# case_keep: in the test VM ($KIPSEC_RESULTS, the results directory the
# host gets back), a failed case's files (configurations, daemon logs,
# captures) go to kipsec-ike/CASE there; KIPSEC_IKE_KEEP=1 keeps every
# case's.
case_keep() {
	local dst=${KIPSEC_RESULTS:-}/kipsec-ike
	[ -n "${KIPSEC_RESULTS:-}" ] && [ -n "$CASE" ] || return 0
	# shellcheck disable=SC2154 # lib.sh's count of failures
	[ "$_tap_failed" -gt "$CASE_FAILED0" ] || [ "${KIPSEC_IKE_KEEP:-0}" = 1 ] ||
		return 0
	mkdir -p "$dst" && rm -rf "${dst:?}/$CASE" &&
	tar -C "$TMPD" -cf - "$CASE" 2>/dev/null | tar -C "$dst" -xf - 2>/dev/null
	diag "case $CASE: its files are in the results directory, kipsec-ike/$CASE"
}

# case_end: stop the case's daemons (each hook in CASE_STOP), kill its
# background processes, delete its namespaces. Runs from the EXIT trap too,
# so a case that fails half-way (or the script dying) leaves nothing behind.
case_end() {
	local p ns h
	for h in "${CASE_STOP[@]}"; do
		eval "$h"
	done
	CASE_STOP=()
	for p in "${CASE_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${CASE_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	CASE_PIDS=()
	for ns in "${CASE_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	CASE_NS=()
	case_keep
	[ -n "$CASE" ] && diag "case $CASE took $((SECONDS - CASE_T0)) s"
	CASE=
}

# mkns VAR NAME: a fresh namespace kst-PID-NAME (lo up) in VAR, deleted by
# case_end.
mkns() {
	local ns="kst-$$-$2"
	ip netns del "$ns" 2>/dev/null
	ip netns add "$ns" || return 1
	ns_track "$ns"
	CASE_NS+=("$ns")
	ip -n "$ns" link set lo up
	printf -v "$1" %s "$ns"
}

# bg VAR CMD...: CMD in the background, killed by case_end; its pid in VAR.
bg() {
	local v=$1
	shift
	"$@" &
	printf -v "$v" %s "$!"
	CASE_PIDS+=("$!")
	bg_track "$!"
}

# poll SECS CMD...: CMD until it succeeds, 0.5 s apart, for at most SECS
# seconds. The checks it repeats start a swanctl or kipsec process each:
# more often only loads the two vCPUs the daemons need.
poll() {
	local _poll_end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$_poll_end" ] && return 1
		sleep 0.5
	done
}

# ipb NS: `ip -batch` of standard input in NS.
ipb() {
	local f=$CDIR/batch.ip
	cat >"$f"
	run ip -n "$1" -batch "$f"
	[ "$RC" -eq 0 ] && return 0
	diag "ip -batch in $1 failed (exit $RC): $OUT"
	diag "$(grep -n . "$f")"
	return 1
}

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
	mkns MOON moon && mkns SUN sun || return 1
	ip link add eth0 netns "$MOON" type veth peer name eth0 netns "$SUN" ||
		return 1
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
# home router that changes ports: the recipe of kipsec-datapath.sh's NAT-T
# case); conntrack lets replies back in.
topo_nat() {
	mkns MOON moon && mkns NAT nat && mkns SUN sun || return 1
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
	ip netns exec "$NAT" nft -f - <<-EOF || return 1
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat;
			ip saddr 172.16.0.0/24 udp sport 4500 oifname "pub" snat to $NAT_PUB:4600
			ip saddr 172.16.0.0/24 oifname "pub" masquerade
		}
	}
	EOF
	subnet "$MOON" "$MOON_IN" 10.2.0.0/16 "$NAT_PRIV" &&
	subnet "$SUN" "$SUN_IN" 10.1.0.0/16 "$NAT_PUB" || return 1
	sinks_start
}

# ---------------------------------------------------------------- traffic
# pingx NS COUNT RECV ARGS...: `ping -n -c COUNT ARGS` in NS: COUNT sent,
# RECV answered. COUNT~: any number counted as sent. RECV +: at least one.
pingx() {
	local ns=$1 n=$2 r=$3 re
	shift 3
	re=$n
	[ "${n%\~}" != "$n" ] && { n=${n%\~}; re='[0-9]+'; }
	[ "$r" = + ] && r='[1-9][0-9]*'
	run ip netns exec "$ns" ping -n -c "$n" "$@"
	grep -qE "^$re packets transmitted, $r received" <<<"$OUT" && return 0
	diag "ping -c $n $* in $ns: expected $r answered (exit $RC):"
	diag "$OUT"
	return 1
}
# ping3 NS DST...: 3 pings to each DST, all answered.
ping3() {
	local ns=$1 d
	shift
	for d in "$@"; do
		pingx "$ns" 3 3 -i 0.2 -W 3 "$d" || return 1
	done
}

# sinks_start: the TCP sink (port 5001) in MOON and SUN, results in
# $CDIR/sink-moon and $CDIR/sink-sun. Python starts slowly under TCG: they
# start with the topology and are waited for at the first transfer.
sinks_start() {
	sink_start "$MOON" "$CDIR/sink-moon" && sink_start "$SUN" "$CDIR/sink-sun"
}
sink_start() {	# NS DIR
	local pid
	mkdir -p "$2"
	rm -f "$2.ready"
	# shellcheck disable=SC2034 # pid: set by bg
	bg pid ip netns exec "$1" "$PYTHON" "$DPDIR/tcp-sink.py" "$2.ready" \
		"$2" 5001 >"$2.log" 2>&1
}
sink_wait() {	# DIR
	poll 60 test -e "$1.ready" && return 0
	diag "the TCP sink did not start: $(cat "$1.log")"
	return 1
}

# xfer NS HOST NAME DIR: NS sends DATA over TCP to the sink on HOST
# (port 5001), which writes the length and sha256 it received to DIR/NAME.
xfer() {
	local ns=$1 host=$2 name=$3 dir=$4 got
	rm -f "$dir/$name"
	sink_wait "$dir" || return 1
	run ip netns exec "$ns" timeout 60 bash -c '
		exec 3<>"/dev/tcp/$1/5001" || exit 1
		{ printf "%s\n" "$2"; cat "$3"; } >&3 || exit 1
		exec 3>&-' _ "$host" "$name" "$DATA"
	if [ "$RC" -ne 0 ]; then
		diag "TCP to $host from $ns failed (exit $RC): $OUT"
		return 1
	fi
	poll 30 test -e "$dir/$name"
	got=$(cat "$dir/$name" 2>/dev/null)
	eq "TCP $name: bytes and sha256 at the receiver" "$DATA_LEN $DATA_SHA" "$got"
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
# cap_start NS DEV FILE [TCPDUMP-OPTIONS...]: tcpdump decoding DEV's
# packets to FILE as they come; back once it listens. FILE.pid: its pid.
cap_start() {
	local pid ns=$1 dev=$2 f=$3
	shift 3
	rm -f "$f" "$f.err"
	bg pid ip netns exec "$ns" tcpdump -Z root -n -l -s 0 -B 4096 -i "$dev" "$@" \
		>"$f" 2>"$f.err"
	echo "$pid" >"$f.pid"
	if poll 20 grep -q "listening on" "$f.err"; then
		return 0
	fi
	diag "tcpdump on $dev in $ns did not start: $(cat "$f.err")"
	return 1
}
# cap_stop FILE...: stop the captures once they have printed everything.
# tcpdump, stopped, drops what it has not read yet, and under TCG it can
# lag behind a transfer by hundreds of packets: wait until no capture has
# grown for 2 s (at most 30 s; the traffic is over). (tcpdump's
# "received by filter" count cannot tell: it counts both directions
# where -Q out prints one.)
cap_lines() {
	local f n=''
	for f in "$@"; do
		n+="$(wc -l <"$f") "
	done
	echo "$n"
}
cap_stop() {
	local f p n0 n1 end=$((SECONDS + 30))
	n1=$(cap_lines "$@")
	while [ "$SECONDS" -lt "$end" ]; do
		n0=$n1
		sleep 2
		n1=$(cap_lines "$@")
		[ "$n0" = "$n1" ] && break
	done
	for f in "$@"; do
		p=$(cat "$f.pid" 2>/dev/null) || continue
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	return 0
}

# wire FILE: one line per IP packet of a text capture:
#   esp SRC DST SPI          bare ESP
#   udpesp SRC.P DST.P SPI   ESP in UDP (RFC 3948, tcpdump's UDP-encap)
#   keepalive SRC.P DST.P -  NAT keepalive
#   other SRC DST LINE...    anything else (IKE among it)
wire() {
	awk '($2 == "IP" || $2 == "IP6") && $4 == ">" {
		src = $3
		dst = substr($5, 1, length($5) - 1)
		if ($6 ~ /^ESP\(spi=/) {
			split($6, f, /[=,)]/)
			print "esp", src, dst, f[2]
		} else if ($6 == "UDP-encap:" && $7 ~ /^ESP\(spi=/) {
			split($7, f, /[=,)]/)
			print "udpesp", src, dst, f[2]
		} else if ($6 == "isakmp-nat-keep-alive") {
			print "keepalive", src, dst, "-"
		} else {
			print "other", src, dst, $0
		}
	}' "$1"
}

# spis WIREFILE KIND SRC DST: the SPIs of that flow, sorted, one line.
spis() {
	awk -v k="$2" -v s="$3" -v d="$4" '$1 == k && $2 == s && $3 == d { print $4 }' \
		"$1" | sort -u | tr '\n' ' ' | sed 's/ $//'
}
# npk WIREFILE KIND SRC DST SPI: how many such packets.
npk() {
	awk -v k="$2" -v s="$3" -v d="$4" -v p="$5" \
		'$1 == k && $2 == s && $3 == d && $4 == p { n++ } END { print n + 0 }' "$1"
}

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
