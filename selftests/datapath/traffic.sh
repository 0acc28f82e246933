# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2016 # (bash -c code is in single quotes on purpose)
#
# What selftests/kipsec-datapath.sh and selftests/kipsec-ike.sh (through
# ../ike/net.sh) share: cases and their clean-up, namespaces, background
# processes, waits, a NAT's rules, traffic (pings, a TCP transfer with its
# sha256 checked at the receiver) and packet captures. Sourced after
# ../lib.sh:
#
#	. "$TOP/selftests/datapath/traffic.sh"
#
# Sourcing it checks the tools these helpers run (a missing one is a
# failure: bail) and makes DATA, the random bytes xfer sends.
#
# Set by this file:
#   DPDIR      this directory (tcp-sink.py, udp-sink.py, encap-peer.py)
#   DATA, DATA_LEN, DATA_SHA   what xfer sends, its length and sha256
#   CASE, CDIR, CASE_T0        the running case, its scratch directory
#                              ($TMPD/CASE: ipb's batch files, the sinks'
#                              results, captures) and the time it began
# Set by the caller, at any time before the first case (each is read when
# used):
#   FILTER         an ERE over case names: only the cases it matches run
#                  (development); empty: all
#   POLL_INTERVAL  seconds between poll's tries (default 0.2)
#   CASE_NOTE      added to each case's "# case NAME" line, in parentheses
#   CASE_KEEP      a directory name: in the test VM a failed case's files
#                  go to $KIPSEC_RESULTS/CASE_KEEP/CASE (see case_keep);
#                  empty: nothing kept
#   CASE_KEEP_ALL  1: keep every case's files, failed or not
#   CASE_STOP      commands (strings, eval'd) the case's case_end runs
#                  first, e.g. to stop a daemon politely; emptied by it
# The caller registers `on_exit case_end` so that a case that dies half-way
# leaves nothing behind.

DPDIR=$TOP/selftests/datapath

# need CMD PACKAGE: CMD is on PATH, or bail naming the Debian package.
need() { command -v "$1" >/dev/null || bail "$1 is not installed (Debian package $2)"; }
need ip iproute2
need ping iputils-ping
need tcpdump tcpdump
need nft nftables
need timeout coreutils
need sha256sum coreutils
[ -x "$PYTHON" ] || bail "$PYTHON is not installed (Debian package python3)"
[ -r "$DPDIR/tcp-sink.py" ] || bail "selftests/datapath/tcp-sink.py missing"

DATA=$TMPD/data
DATA_LEN=204800
head -c "$DATA_LEN" /dev/urandom >"$DATA" || bail "no random data"
DATA_SHA=$(sha256sum <"$DATA" | cut -d' ' -f1)

POLL_INTERVAL=0.2

# ---------------------------------------------------------------- cases
CASE='' CASE_T0=0 CASE_FAILED0=0 CDIR='' CASE_NOTE='' CASE_KEEP=''
CASE_KEEP_ALL=0
CASE_NS=() CASE_PIDS=() CASE_STOP=()

# case_selected NAME: FILTER selects the case.
case_selected() {
	[ -z "${FILTER:-}" ] || grep -qE -- "$FILTER" <<<"$1"
}

# case_begin NAME: 0 if the case is to run.
case_begin() {
	case_selected "$1" || return 1
	CASE=$1
	CDIR=$TMPD/$CASE
	mkdir -p "$CDIR"
	diag "case $CASE${CASE_NOTE:+ ($CASE_NOTE)}"
	CASE_T0=$SECONDS
	# shellcheck disable=SC2154 # lib.sh's count of failures
	CASE_FAILED0=$_tap_failed
}

# case_keep: in the test VM ($KIPSEC_RESULTS, the results directory the
# host gets back), a failed case's files (CDIR: configurations, logs,
# captures) go to CASE_KEEP/CASE there; CASE_KEEP_ALL=1 keeps every
# case's.
case_keep() {
	local dst=${KIPSEC_RESULTS:-}/$CASE_KEEP
	[ -n "${KIPSEC_RESULTS:-}" ] && [ -n "$CASE_KEEP" ] && [ -n "$CASE" ] ||
		return 0
	# shellcheck disable=SC2154 # lib.sh's count of failures
	[ "$_tap_failed" -gt "$CASE_FAILED0" ] || [ "$CASE_KEEP_ALL" = 1 ] ||
		return 0
	mkdir -p "$dst" && rm -rf "${dst:?}/$CASE" &&
	tar -C "$TMPD" -cf - "$CASE" 2>/dev/null | tar -C "$dst" -xf - 2>/dev/null
	diag "case $CASE: its files are in the results directory, $CASE_KEEP/$CASE"
}

# case_end: run CASE_STOP, kill the case's background processes, delete
# its namespaces, keep its files (case_keep). Runs from the EXIT trap too.
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

# case_timing: from now on each result line is followed by the seconds
# since the case began (development).
# shellcheck disable=SC2317 # (the functions it defines are called later)
case_timing() {
	eval "_case_ok() $(declare -f ok | tail -n +2)"
	eval "_case_not_ok() $(declare -f not_ok | tail -n +2)"
	ok() { _case_ok "$@"; diag "t+$((SECONDS - CASE_T0)) s"; }
	not_ok() { _case_not_ok "$@"; diag "t+$((SECONDS - CASE_T0)) s"; }
}

# ---------------------------------------------------------------- plumbing
# mkns VAR [name]...: for each VAR (upper case) a fresh namespace (lo up)
# kst-PID-name in VAR, deleted by case_end; name (lower case), if given,
# defaults to VAR in lower case: `mkns MOON SUN` and `mkns MOON moon SUN`
# make kst-PID-moon and kst-PID-sun.
mkns() {
	local v ns
	while [ $# -gt 0 ]; do
		v=$1 ns="kst-$$-${1,,}"
		shift
		if [[ ${1:-} == [a-z]* ]]; then
			ns="kst-$$-$1"
			shift
		fi
		ip netns del "$ns" 2>/dev/null
		ip netns add "$ns" || return 1
		ns_track "$ns"
		CASE_NS+=("$ns")
		ip -n "$ns" link set lo up
		printf -v "$v" %s "$ns"
	done
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

# poll SECS CMD...: CMD until it succeeds, POLL_INTERVAL seconds apart, for
# at most SECS seconds. (Its locals have names no caller's eval'd CMD uses.)
poll() {
	local _poll_end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$_poll_end" ] && return 1
		sleep "$POLL_INTERVAL"
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

# nat_rules NS PRIVATE PUBLIC-DEV PUBLIC-ADDR [SPORT:NATPORT...]: NS
# masquerades what PRIVATE (a prefix) sends out of PUBLIC-DEV, and UDP from
# each SPORT leaves from PUBLIC-ADDR port NATPORT, as behind a home router
# that changes ports. Conntrack lets replies back in.
nat_rules() {
	local ns=$1 priv=$2 dev=$3 pub=$4 m snat=''
	shift 4
	for m in "$@"; do
		snat+="ip saddr $priv udp sport ${m%:*} oifname \"$dev\" snat to $pub:${m#*:}"$'\n'
	done
	ip netns exec "$ns" nft -f - <<-EOF
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat;
			$snat
			ip saddr $priv oifname "$dev" masquerade
		}
	}
	EOF
}

# ---------------------------------------------------------------- traffic
# pingx NS COUNT RECV ARGS...: `ping -n -c COUNT ARGS` in NS: COUNT sent,
# RECV answered. COUNT~: any number counted as sent (ping -w sends until
# answered; a sender that sees errors may not count its packets). RECV +:
# at least one.
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

# sink_start NS DIR: the TCP sink (port 5001, tcp-sink.py) in NS, results
# in DIR. Python starts slowly under TCG: start it early, xfer waits for it.
sink_start() {
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
# cap_stop FILE...: stop the captures once they have written everything
# (text or pcap).
# tcpdump, stopped, drops what it has not read yet, and under TCG it can
# lag behind a transfer by hundreds of packets: wait until no capture has
# grown for 2 s (at most 30 s; the traffic is over). (tcpdump's
# "received by filter" count cannot tell: it counts both directions
# where -Q out prints one.)
cap_sizes() {
	local f n=''
	for f in "$@"; do
		n+="$(stat -c %s "$f" 2>/dev/null || echo 0) "
	done
	echo "$n"
}
cap_stop() {
	local f p n0 n1 end=$((SECONDS + 30))
	n1=$(cap_sizes "$@")
	while [ "$SECONDS" -lt "$end" ]; do
		n0=$n1
		sleep 2
		n1=$(cap_sizes "$@")
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
#   fragment SRC DST -       an IPv6 fragment after the first
#   other SRC DST LINE...    anything else (IKE among it)
# (an ESP packet too big for the path in transport mode leaves in
# fragments; tcpdump shows an IPv6 first fragment as "frag (0|N) ESP(...)")
wire() {
	awk '($2 == "IP" || $2 == "IP6") && $4 == ">" {
		src = $3
		dst = substr($5, 1, length($5) - 1)
		if ($6 == "frag" && $7 ~ /^\(0\|/) {
			$6 = ""
			$0 = $0
			$6 = $7
		}
		if ($6 ~ /^ESP\(spi=/) {
			split($6, f, /[=,)]/)
			print "esp", src, dst, f[2]
		} else if ($6 == "UDP-encap:" && $7 ~ /^ESP\(spi=/) {
			split($7, f, /[=,)]/)
			print "udpesp", src, dst, f[2]
		} else if ($6 == "isakmp-nat-keep-alive") {
			print "keepalive", src, dst, "-"
		} else if ($6 == "frag") {
			print "fragment", src, dst, "-"
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
