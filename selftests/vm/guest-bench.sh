#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make bench` (selftests/bench.sh) runs inside the test VM, through
# selftests/vm/run.sh: root, cwd = the repo top, tools/kipsec on PATH, the
# repo's kipsec.ko installed for modprobe.
#
# The same N SAs (default 100,000; KIPSEC_BENCH_N or $1) are installed, in a
# fresh network namespace each, into
#   1. kipsec:       `kipsec -batch` of N "sa add" lines
#   2. native XFRM:  `ip -batch` of N "xfrm state add" lines
# and for each the add, the dump (to /dev/null; the SAs are then counted in
# a second dump) and the flush are timed, and the kernel memory the N SAs
# took is read from /proc/meminfo (Slab = SReclaimable + SUnreclaim, and
# MemAvailable) and /proc/slabinfo before and after the add.
#
# Every SA: ESP, tunnel mode, src 192.0.2.1, dst a distinct IPv4 address in
# 10.0.0.0/8 (one peer per SA, the usual shape of a big gateway: XFRM hashes
# its SAs by address pair as well as by SPI), SPI 0x10000 + i, AES-GCM with
# a 16-byte ICV and a 16-byte key + 4-byte salt (kipsec aes-gcm-16, XFRM
# rfc4106(gcm(aes)) 128).
#
# Then, in the same run, the data path:
#   3. the kernel crypto API's raw rfc4106(gcm(aes)) speed on 1420-byte
#      buffers (the tcrypt module, CONFIG_CRYPTO_TEST=m in vm/base.config);
#   4. ESP tunnel mode AES-GCM-128 through two namespaces joined by a veth
#      pair, kipsec <-> kipsec and XFRM <-> XFRM (xfrm interfaces): iperf3
#      TCP goodput and the rate of 64-byte UDP datagrams at the receiver
#      ($2 and $3, or KIPSEC_BENCH_TCP_SECS and KIPSEC_BENCH_UDP_SECS:
#      seconds per run, default 10), and ESP TCP as a fraction of the raw
#      AEAD speed.
#
# Under TCG only ratios measured within one VM run mean anything; the
# absolute figures are for scale. The numbers never fail the run: it fails
# (exit 1) only when something breaks (a command fails, a dump does not
# hold the N SAs, a ping, an iperf3 run or tcrypt gives no figure). The
# table also goes to $KIPSEC_RESULTS/bench.txt.
set -uo pipefail
export LC_ALL=C

N=${1:-${KIPSEC_BENCH_N:-100000}}
TCP_SECS=${2:-${KIPSEC_BENCH_TCP_SECS:-10}}	# seconds per iperf3 run
UDP_SECS=${3:-${KIPSEC_BENCH_UDP_SECS:-10}}
case $N in '' | *[!0-9]* | 0) echo "guest-bench: bad N '$N'" >&2; exit 2 ;; esac
case $TCP_SECS$UDP_SECS in *[!0-9]*) echo "guest-bench: bad seconds '$TCP_SECS' '$UDP_SECS'" >&2; exit 2 ;; esac
out=${KIPSEC_RESULTS:-/tmp}/bench.txt
T=$(mktemp -d /tmp/kipsec-bench.XXXXXX) || exit 1
NS_K=bench-kipsec
NS_X=bench-xfrm
failed=0

cleanup() {
	ip netns del "$NS_K" 2>/dev/null
	ip netns del "$NS_X" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

log() { echo "# [$(cut -d' ' -f1 /proc/uptime)] $*"; }
broken() { echo "not ok - bench: $*"; failed=1; }

now() { echo "$EPOCHREALTIME"; }
# elapsed START END -> seconds with 3 decimals
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# meminfo FIELD -> kB
meminfo() { awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo; }
slab_kb() { echo $(($(meminfo SReclaimable) + $(meminfo SUnreclaim))); }

# slabinfo_snap FILE: "name bytes objs" per cache (active objects)
slabinfo_snap() {
	if [ -r /proc/slabinfo ]; then
		awk 'NR > 2 { print $1, $2 * $4, $2, $4 }' /proc/slabinfo >"$1"
	else
		: >"$1"
	fi
}

# slab_diff BEFORE AFTER LABEL: the caches that grew by at least 4 bytes
# per SA, biggest first.
slab_diff() {
	[ -s "$1" ] || return 0
	awk -v n="$N" -v label="$3" '
	NR == FNR { b[$1] = $2; o[$1] = $3; next }
	{
		d = $2 - b[$1]
		if (d >= 4 * n)
			printf "%s %d %.2f %d\n", $1, d, ($3 - o[$1]) / n, $4
	}' "$1" "$2" | sort -k2,2nr | head -n 12 |
	awk -v n="$N" -v label="$3" '{
		printf "  %-8s %-28s %8.1f B/SA  (%5.2f objects/SA of %d B)\n",
			label, $1, $2 / n, $3, $4
	}'
}

# snapshot PREFIX: meminfo figures and slabinfo into $T/PREFIX.*
snapshot() {
	slab_kb >"$T/$1.slab"
	meminfo MemAvailable >"$T/$1.avail"
	meminfo MemFree >"$T/$1.free"
	slabinfo_snap "$T/$1.slabinfo"
}
# per_sa BEFORE AFTER FILE-SUFFIX [negate] -> bytes per SA (kB delta * 1024 / N)
per_sa() {
	awk -v a="$(cat "$T/$1.$3")" -v b="$(cat "$T/$2.$3")" -v n="$N" -v neg="${4:-0}" \
		'BEGIN { d = neg ? a - b : b - a; printf "%.1f", d * 1024 / n }'
}

# ------------------------------------------------------------------ setup
log "N = $N SAs; $(nproc) CPUs; MemTotal $(meminfo MemTotal) kB; kernel $(uname -r)"
if ! modprobe kipsec; then
	broken "modprobe kipsec"
	exit 1
fi
# XFRM's ESP and the AEAD are built in; instantiate rfc4106(gcm(aes)) once
# outside the measurement so that neither side pays for template setup.
ip netns add bench-warm && ip -n bench-warm xfrm state add src 192.0.2.1 \
	dst 192.0.2.2 proto esp spi 0x100 mode tunnel \
	aead 'rfc4106(gcm(aes))' 0x00112233445566778899aabbccddeeff01020304 128 &&
	ip -n bench-warm xfrm state flush
ip netns del bench-warm 2>/dev/null

KEY=00112233445566778899aabbccddeeff01020304	# 16-byte key + 4-byte salt
t0=$(now)
# dst 10.a.b.c from i + 1 (never .0.0.0); SPI 0x10000 + i.
awk -v n="$N" -v key="$KEY" -v k="$T/kipsec.batch" -v x="$T/xfrm.batch" 'BEGIN {
	for (i = 0; i < n; i++) {
		j = i + 1
		dst = sprintf("10.%d.%d.%d", int(j / 65536) % 256, int(j / 256) % 256, j % 256)
		spi = sprintf("0x%x", 65536 + i)
		printf "sa add src 192.0.2.1 dst %s proto esp spi %s mode tunnel enc aes-gcm-16 0x%s\n", dst, spi, key > k
		printf "xfrm state add src 192.0.2.1 dst %s proto esp spi %s mode tunnel aead rfc4106(gcm(aes)) 0x%s 128\n", dst, spi, key > x
	}
}'
log "batch files written in $(elapsed "$t0" "$(now)") s ($(wc -l <"$T/kipsec.batch") + $(wc -l <"$T/xfrm.batch") lines)"

# count_stanzas FILE: SAs in an "sa show" / "ip xfrm state" dump (each
# stanza starts with "src ")
count_stanzas() { grep -c '^src ' "$1"; }

# measure P NAME BATCH DUMP FLUSH STATUS: time one stack's add of the $N
# SAs in BATCH (one -batch run; snapshot P1 taken after it), its DUMP to
# /dev/null, and its FLUSH, into R[P_add], R[P_dump], R[P_flush],
# R[P_count] and R[P_lines]; the dump must list exactly $N SAs and the
# flush must leave none. DUMP, FLUSH and STATUS are commands (K or X ...).
measure() {
	local p=$1 name=$2 batch=$3 dump=$4 flush=$5 status=$6 t0 t1 left
	local run=${dump%% *}

	log "$name: adding $N SAs ($run -batch)"
	t0=$(now)
	if $run -batch "$batch" >"$T/$p.add.out" 2>&1; then :; else
		broken "$name: -batch (exit $?): $(tail -n 3 "$T/$p.add.out")"
	fi
	t1=$(now)
	R[${p}_add]=$(elapsed "$t0" "$t1")
	sleep 1
	snapshot "${p}1"
	log "$name: add ${R[${p}_add]} s; $($status 2>/dev/null)"

	t0=$(now)
	$dump >/dev/null || broken "$name: $dump (exit $?)"
	t1=$(now)
	R[${p}_dump]=$(elapsed "$t0" "$t1")
	$dump >"$T/$p.dump" || broken "$name: $dump to a file"
	R[${p}_count]=$(count_stanzas "$T/$p.dump")
	[ "${R[${p}_count]}" = "$N" ] ||
		broken "$name: $dump lists ${R[${p}_count]} SAs, not $N"
	R[${p}_lines]=$(wc -l <"$T/$p.dump")
	log "$name: dump ${R[${p}_dump]} s, ${R[${p}_count]} SAs in ${R[${p}_lines]} lines"
	rm -f "$T/$p.dump"

	t0=$(now)
	$flush || broken "$name: $flush (exit $?)"
	t1=$(now)
	R[${p}_flush]=$(elapsed "$t0" "$t1")
	left=$($dump | count_stanzas /dev/stdin)
	[ "$left" = 0 ] || broken "$name: $left SAs left after the flush"
	log "$name: flush ${R[${p}_flush]} s"
}

# ------------------------------------------------------------------ kipsec
declare -A R
ip netns add "$NS_K" || { broken "ip netns add $NS_K"; exit 1; }
K() { ip netns exec "$NS_K" kipsec "$@"; }
if ! K limits set max-sas $((N * 2 > 200000 ? N * 2 : 200000)); then
	broken "kipsec limits set max-sas"
fi
sleep 1
snapshot k0
measure k kipsec "$T/kipsec.batch" "K sa show" "K sa flush" "K limits show"
ip netns del "$NS_K"

# ------------------------------------------------------------------ XFRM
ip netns add "$NS_X" || { broken "ip netns add $NS_X"; exit 1; }
X() { ip -n "$NS_X" "$@"; }
sleep 1
snapshot x0
measure x xfrm "$T/xfrm.batch" "X xfrm state" "X xfrm state flush" \
	"X xfrm state count"
ip netns del "$NS_X"

# ------------------------------------------------------------------ tcrypt
# The kernel crypto API's own speed for the ESP AEAD: tcrypt mode 211 runs
# test_aead_speed on rfc4106(gcm(aes)) (and gcm(aes)), encryption then
# decryption, for keys of 20, 28 and 36 bytes (with the salt) and buffers
# of 16 to 8192 bytes, each for sec=1 second; it prints per test
#   tcrypt: testing speed of rfc4106(gcm(aes)) (DRIVER) encryption
#   tcrypt: test 5 (160 bit key, 1420 byte blocks): N operations in 1 seconds (B bytes)
# and its init then fails on purpose (-EAGAIN), so modprobe "fails".
log "tcrypt: rfc4106(gcm(aes)) speed (modprobe tcrypt mode=211 sec=1, about 100 s)"
mark="kipsec-bench: tcrypt $$ $(now)"
echo "$mark" >/dev/kmsg
modprobe tcrypt mode=211 sec=1 >"$T/tcrypt.modprobe" 2>&1
dmesg | awk -v m="$mark" 'index($0, m) { on = 1; next } on' >"$T/tcrypt.log"
# tcrypt_field enc|dec bytes|driver: the 160-bit key (AES-128 + salt),
# 1420-byte figure of rfc4106(gcm(aes)), in bytes per second (sec=1)
tcrypt_field() {
	awk -v dir="$1" -v what="$2" '
	/testing speed of / {
		cur = ""
		if (index($0, "testing speed of rfc4106(gcm(aes)) (") &&
		    $NF == (dir == "enc" ? "encryption" : "decryption")) {
			cur = $0
			sub(/.*testing speed of rfc4106\(gcm\(aes\)\) \(/, "", cur)
			sub(/\).*/, "", cur)
		}
		want = 0
		next
	}
	cur != "" && /test [0-9]+ \(160 bit key, 1420 byte blocks\)/ { want = 1 }
	want && /operations in [0-9]+ seconds \([0-9]+ bytes\)/ {
		b = $0; sub(/.*seconds \(/, "", b); sub(/ bytes.*/, "", b)
		s = $0; sub(/.*operations in /, "", s); sub(/ seconds.*/, "", s)
		if (what == "driver") print cur
		else if (s > 0) print b / s
		exit
	}' "$T/tcrypt.log"
}
R[c_enc]=$(tcrypt_field enc bytes)
R[c_dec]=$(tcrypt_field dec bytes)
R[c_drv]=$(tcrypt_field enc driver)
if [ -z "${R[c_enc]}" ] || [ -z "${R[c_dec]}" ]; then
	broken "tcrypt: no rfc4106(gcm(aes)) 1420-byte figures (modprobe: $(tail -n 2 "$T/tcrypt.modprobe"); kernel log: $(grep -c . "$T/tcrypt.log") lines, $(grep -m1 -E 'tcrypt|alg:' "$T/tcrypt.log"))"
	R[c_enc]=0 R[c_dec]=0
fi
log "tcrypt: ${R[c_drv]:-?}: encryption ${R[c_enc]} B/s, decryption ${R[c_dec]} B/s at 1420 bytes"

# ------------------------------------------------------------------ ESP
# ESP tunnel mode through the data path, kipsec <-> kipsec and XFRM <->
# XFRM, on the same topology each: namespaces P-w and P-e joined by a veth
# pair (outer 192.0.2.1 and .2), a route-based tunnel interface ipsec0 in
# each (a kipsec link, or an xfrm interface; if_id 1, underlay veth0, MTU
# 1380) with inner addresses 10.0.0.1 and .2, one SA per direction
# (aes-gcm-16 / rfc4106(gcm(aes)) 128, the same random keys for both
# stacks, replay window 64) and an out and an in policy. Traffic goes
# west -> east: iperf3 TCP for $TCP_SECS s (goodput at the receiver) and
# iperf3 UDP with 64-byte datagrams at an unreachable -b (datagrams per
# second that reached the receiver). Each measurement runs twice per
# stack, in the order kipsec, XFRM, XFRM, kipsec, so that a change in the
# host's load (the VM shares its cores) weighs on both alike; the mean
# goes to the table.
ESP_MTU=1380
key20() { od -An -v -tx1 -N20 /dev/urandom | tr -d ' \n'; }
KEY_WE=$(key20)
KEY_EW=$(key20)
ESP_NS=()
SRV_PID=

esp_cleanup() {
	local ns
	[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null
	for ns in "${ESP_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
}

# esp_side IMPL NS LOCAL_IN REMOTE_IN LOCAL_OUT REMOTE_OUT
esp_side() {
	local impl=$1 ns=$2 li=$3 ri=$4 lo=$5 ro=$6 key
	if [ "$impl" = kipsec ]; then
		kipsec -n "$ns" link add ipsec0 if_id 1 underlay veth0 || return 1
	else
		ip -n "$ns" link add ipsec0 type xfrm dev veth0 if_id 1 || return 1
	fi
	ip -n "$ns" link set ipsec0 mtu "$ESP_MTU" up &&
	ip -n "$ns" addr add "$li/32" dev ipsec0 &&
	ip -n "$ns" route add "$ri/32" dev ipsec0 || return 1
	# SPI 0x1000 west -> east, 0x2000 east -> west, in both namespaces
	for sa in "192.0.2.1 192.0.2.2 0x1000 $KEY_WE" "192.0.2.2 192.0.2.1 0x2000 $KEY_EW"; do
		read -r src dst spi key <<<"$sa"
		if [ "$impl" = kipsec ]; then
			kipsec -n "$ns" sa add src "$src" dst "$dst" proto esp \
				spi "$spi" mode tunnel enc aes-gcm-16 "0x$key" \
				replay-window 64 if_id 1 reqid 1 || return 1
		else
			ip -n "$ns" xfrm state add src "$src" dst "$dst" proto esp \
				spi "$spi" reqid 1 mode tunnel replay-window 64 \
				aead 'rfc4106(gcm(aes))' "0x$key" 128 if_id 1 || return 1
		fi
	done
	if [ "$impl" = kipsec ]; then
		kipsec -n "$ns" policy add dir out src "$li/32" dst "$ri/32" if_id 1 \
			action protect tmpl proto esp mode tunnel reqid 1 \
			src "$lo" dst "$ro" >/dev/null &&
		kipsec -n "$ns" policy add dir in src "$ri/32" dst "$li/32" if_id 1 \
			action protect tmpl proto esp mode tunnel reqid 1 \
			src "$ro" dst "$lo" >/dev/null
	else
		ip -n "$ns" xfrm policy add src "$li/32" dst "$ri/32" dir out \
			tmpl src "$lo" dst "$ro" proto esp reqid 1 mode tunnel \
			if_id 1 &&
		ip -n "$ns" xfrm policy add src "$ri/32" dst "$li/32" dir in \
			tmpl src "$ro" dst "$lo" proto esp reqid 1 mode tunnel \
			if_id 1
	fi
}

# esp_pair P IMPL: the topology in P-w and P-e; a ping must get through.
esp_pair() {
	local p=$1 impl=$2
	ESP_NS+=("$p-w" "$p-e")
	ip netns add "$p-w" && ip netns add "$p-e" &&
	ip link add veth0 netns "$p-w" type veth peer name veth0 netns "$p-e" &&
	ip -n "$p-w" addr add 192.0.2.1/24 dev veth0 &&
	ip -n "$p-e" addr add 192.0.2.2/24 dev veth0 &&
	ip -n "$p-w" link set veth0 up && ip -n "$p-e" link set veth0 up &&
	esp_side "$impl" "$p-w" 10.0.0.1 10.0.0.2 192.0.2.1 192.0.2.2 &&
	esp_side "$impl" "$p-e" 10.0.0.2 10.0.0.1 192.0.2.2 192.0.2.1 ||
		{ broken "$impl: ESP tunnel setup"; return 1; }
	if ! ip netns exec "$p-w" ping -n -q -c 3 -i 0.2 -W 5 10.0.0.2 >"$T/$p.ping" 2>&1 ||
	   ! grep -q '^3 packets transmitted, 3 received' "$T/$p.ping"; then
		broken "$impl: ping through the tunnel: $(grep -m1 transmitted "$T/$p.ping")"
		return 1
	fi
}

# iperf P NAME ARGS...: one iperf3 run west -> east, JSON into $T/NAME.json
iperf() {
	local p=$1 name=$2 i rc
	shift 2
	ip netns exec "$p-e" iperf3 -s -1 -B 10.0.0.2 >"$T/$name.server" 2>&1 &
	SRV_PID=$!
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$p-e" ss -Hltn 'sport = :5201' | grep -q 5201 && break
		sleep 0.1
	done
	timeout $((TCP_SECS + UDP_SECS + 60)) ip netns exec "$p-w" iperf3 -c 10.0.0.2 \
		--connect-timeout 10000 -J "$@" >"$T/$name.json" 2>"$T/$name.err"
	rc=$?
	for ((i = 0; i < 50; i++)); do
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=
	return "$rc"
}

# softnet_drops: packets the per-CPU input backlogs dropped (whole VM)
softnet_drops() {
	local -a f
	local sum=0
	while read -r -a f; do
		sum=$((sum + 16#${f[1]}))
	done </proc/net/softnet_stat
	echo "$sum"
}
# nstat_get NS NAME...: the sum of these SNMP counters of NS
nstat_get() {
	local ns=$1
	shift
	ip netns exec "$ns" nstat -asz "$@" 2>/dev/null |
		awk 'NR > 1 { s += $2 } END { print s + 0 }'
}

# esp_tcp P IMPL N: TCP goodput at the receiver, Mbit/s, into R[P_tcpN];
# the sender's retransmissions into R[P_retrN]
esp_tcp() {
	local p=$1 impl=$2 n=$3 v d0
	d0=$(softnet_drops)
	if iperf "$p" "$p.tcp$n" -t "$TCP_SECS" &&
	   v=$(jq -e '.end.sum_received.bits_per_second / 1e6' "$T/$p.tcp$n.json") &&
	   awk -v v="$v" 'BEGIN { exit !(v > 0) }'; then
		R[${p}_tcp$n]=$(printf '%.1f' "$v")
		R[${p}_retr$n]=$(jq -r '.end.sum_sent.retransmits // "?"' "$T/$p.tcp$n.json")
		log "$impl: TCP run $n: ${R[${p}_tcp$n]} Mbit/s, ${R[${p}_retr$n]} retransmissions"
	else
		broken "$impl: iperf3 TCP run $n: $(jq -r '.error // empty' "$T/$p.tcp$n.json" 2>/dev/null) $(tail -n 2 "$T/$p.tcp$n.err")"
		R[${p}_tcp$n]=0
	fi
	R[${p}_snet]=$((${R[${p}_snet]:-0} + $(softnet_drops) - d0))
}

# esp_udp P IMPL N: 64-byte datagrams per second that reached the
# receiver (and that the sender sent) into R[P_udprN], R[P_udpsN]
esp_udp() {
	local p=$1 impl=$2 n=$3 v f d0
	f=$T/$p.udp$n.json
	d0=$(softnet_drops)
	if iperf "$p" "$p.udp$n" -u -l 64 -b 1G -t "$UDP_SECS" &&
	   v=$(jq -e '.end.sum_received | (.packets - .lost_packets) / .seconds' "$f") &&
	   awk -v v="$v" 'BEGIN { exit !(v > 0) }'; then
		R[${p}_udpr$n]=$(printf '%.0f' "$v")
		R[${p}_udps$n]=$(jq '.end.sum_sent | .packets / .seconds' "$f" | xargs printf '%.0f')
		log "$impl: UDP run $n: ${R[${p}_udpr$n]} packets/s received, ${R[${p}_udps$n]} sent"
	else
		broken "$impl: iperf3 UDP run $n: $(jq -r '.error // empty' "$f" 2>/dev/null) $(tail -n 2 "$T/$p.udp$n.err")"
		R[${p}_udpr$n]=0 R[${p}_udps$n]=0
	fi
	R[${p}_snet]=$((${R[${p}_snet]:-0} + $(softnet_drops) - d0))
}

# esp_tcpstat P: TCP and UDP counters of the runs (the namespaces are the
# stack's own): reordering the sender saw, out-of-order segments the
# receiver queued, datagrams the receiving sockets had no room for
esp_tcpstat() {
	local p=$1
	R[${p}_reord]=$(nstat_get "$p-w" TcpExtTCPSACKReorder TcpExtTCPTSReorder TcpExtTCPRenoReorder)
	R[${p}_dsack]=$(nstat_get "$p-w" TcpExtTCPDSACKRecv)
	R[${p}_ofo]=$(nstat_get "$p-e" TcpExtTCPOFOQueue)
	R[${p}_rcvbuf]=$(nstat_get "$p-e" UdpRcvbufErrors)
}

# esp_errors P IMPL: what either side dropped or failed on during the
# runs (nonzero counters only), one line each, for the table
esp_errors() {
	local p=$1 impl=$2 ns
	for ns in "$p-w" "$p-e"; do
		if [ "$impl" = kipsec ]; then
			kipsec -n "$ns" stats | awk -v ns="$ns" '$2 != 0 { print ns ": kipsec stats " $1 " " $2 }'
		else
			ip netns exec "$ns" cat /proc/net/xfrm_stat |
				awk -v ns="$ns" '$2 != 0 { print ns ": xfrm_stat " $1 " " $2 }'
		fi
		ip -n "$ns" -j -s link show dev ipsec0 | jq -r --arg ns "$ns" '.[0].stats64 as $s |
			["rx", "tx"][] as $d | $s[$d] | to_entries[] |
			select(.value != 0 and (.key | test("error|drop|fifo|carrier|over|miss"))) |
			"\($ns): ipsec0 \($d)_\(.key) \(.value)"'
		ip -n "$ns" -j -s link show dev veth0 | jq -r --arg ns "$ns" '.[0].stats64 as $s |
			["rx", "tx"][] as $d | $s[$d] | to_entries[] |
			select(.value != 0 and (.key | test("error|drop|fifo|carrier|over|miss"))) |
			"\($ns): veth0 \($d)_\(.key) \(.value)"'
	done
}

trap 'esp_cleanup; cleanup' EXIT
log "ESP: setting up kipsec <-> kipsec (bk-w, bk-e) and XFRM <-> XFRM (bx-w, bx-e)"
if esp_pair bk kipsec && esp_pair bx xfrm; then
	log "ESP: TCP, $TCP_SECS s per run"
	esp_tcp bk kipsec 1
	esp_tcp bx xfrm 1
	esp_tcp bx xfrm 2
	esp_tcp bk kipsec 2
	log "ESP: UDP 64-byte datagrams, $UDP_SECS s per run"
	esp_udp bk kipsec 1
	esp_udp bx xfrm 1
	esp_udp bx xfrm 2
	esp_udp bk kipsec 2
	esp_tcpstat bk
	esp_tcpstat bx
	esp_errors bk kipsec >"$T/bk.errors"
	esp_errors bx xfrm >"$T/bx.errors"
	R[k_sa_drv]=$(awk '/^name/ { n = $3 } /^driver/ && n == "seqiv(rfc4106(gcm(aes)))" { print $3; exit }' /proc/crypto)
fi
for k in bk_tcp1 bk_tcp2 bx_tcp1 bx_tcp2 bk_udpr1 bk_udpr2 bx_udpr1 bx_udpr2 \
	bk_udps1 bk_udps2 bx_udps1 bx_udps2 bk_retr1 bk_retr2 bx_retr1 bx_retr2 \
	bk_snet bx_snet bk_reord bx_reord bk_dsack bx_dsack bk_ofo bx_ofo \
	bk_rcvbuf bx_rcvbuf; do
	R[$k]=${R[$k]:-0}
done
esp_cleanup
ESP_NS=()

# ------------------------------------------------------------------ table
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
k_slab=$(per_sa k0 k1 slab)
x_slab=$(per_sa x0 x1 slab)
k_avail=$(per_sa k0 k1 avail 1)
x_avail=$(per_sa x0 x1 avail 1)
k_free=$(per_sa k0 k1 free 1)
x_free=$(per_sa x0 x1 free 1)
{
	echo "kipsec vs native XFRM, $N ESP tunnel SAs (aes-gcm-16 / rfc4106(gcm(aes)) 128),"
	echo "one VM run (qemu TCG, $(nproc) vCPUs, kernel $(uname -r)); lower is better; ratio = kipsec / XFRM"
	echo
	printf '%-30s %12s %12s %10s\n' "" kipsec XFRM ratio
	printf '%-30s %12s %12s %10s\n' "add (s, one -batch)" "${R[k_add]}" "${R[x_add]}" "$(ratio "${R[k_add]}" "${R[x_add]}")"
	printf '%-30s %12s %12s %10s\n' "dump to /dev/null (s)" "${R[k_dump]}" "${R[x_dump]}" "$(ratio "${R[k_dump]}" "${R[x_dump]}")"
	printf '%-30s %12s %12s %10s\n' "flush (s)" "${R[k_flush]}" "${R[x_flush]}" "$(ratio "${R[k_flush]}" "${R[x_flush]}")"
	printf '%-30s %12s %12s %10s\n' "SAs counted in the dump" "${R[k_count]}" "${R[x_count]}" ""
	printf '%-30s %12s %12s %10s\n' "lines in the dump" "${R[k_lines]}" "${R[x_lines]}" ""
	printf '%-30s %12s %12s %10s\n' "Slab growth (B/SA)" "$k_slab" "$x_slab" "$(ratio "$k_slab" "$x_slab")"
	printf '%-30s %12s %12s %10s\n' "MemAvailable drop (B/SA)" "$k_avail" "$x_avail" "$(ratio "$k_avail" "$x_avail")"
	printf '%-30s %12s %12s %10s\n' "MemFree drop (B/SA)" "$k_free" "$x_free" "$(ratio "$k_free" "$x_free")"
	if [ -r /proc/slabinfo ]; then
		echo
		echo "slab caches that grew by >= 4 B/SA during the add (/proc/slabinfo, active objects):"
		slab_diff "$T/k0.slabinfo" "$T/k1.slabinfo" kipsec
		slab_diff "$T/x0.slabinfo" "$T/x1.slabinfo" xfrm
	else
		echo
		echo "(no /proc/slabinfo in this kernel: no per-cache figures)"
	fi
	echo
	echo "Note: MemAvailable/MemFree also count page allocations outside the slab (vmalloc'd"
	echo "hash tables, page-sized buffers) and are noisier. Both allocate a crypto transform"
	echo "(seqiv(rfc4106(gcm(aes)))) per SA."
} >"$out"

# mean A B, mbit BYTES/S, frac A B: figures for the ESP table
mean() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { printf f, (a + b) / 2 }'; }
mbit() { awk -v b="$1" 'BEGIN { printf "%.1f", b * 8 / 1e6 }'; }
frac() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
k_tcp=$(mean "${R[bk_tcp1]}" "${R[bk_tcp2]}" %.1f)
x_tcp=$(mean "${R[bx_tcp1]}" "${R[bx_tcp2]}" %.1f)
k_udpr=$(mean "${R[bk_udpr1]}" "${R[bk_udpr2]}" %.0f)
x_udpr=$(mean "${R[bx_udpr1]}" "${R[bx_udpr2]}" %.0f)
k_udps=$(mean "${R[bk_udps1]}" "${R[bk_udps2]}" %.0f)
x_udps=$(mean "${R[bx_udps1]}" "${R[bx_udps2]}" %.0f)
# what the stack delivered to the receiving socket, counting what iperf3
# could not take in time (UdpRcvbufErrors over both UDP runs)
delivered() { awk -v r="$1" -v o="$2" -v s="$UDP_SECS" 'BEGIN { printf "%.0f", r + o / (2 * s) }'; }
k_udpd=$(delivered "$k_udpr" "${R[bk_rcvbuf]}")
x_udpd=$(delivered "$x_udpr" "${R[bx_rcvbuf]}")
c_enc=$(mbit "${R[c_enc]}")
c_dec=$(mbit "${R[c_dec]}")
# each packet is encrypted once and decrypted once: in series on one CPU
c_both=$(awk -v e="$c_enc" -v d="$c_dec" 'BEGIN { if (e > 0 && d > 0) printf "%.1f", 1 / (1 / e + 1 / d); else print 0 }')
{
	echo
	echo "ESP tunnel mode data path, kipsec <-> kipsec vs XFRM <-> XFRM (xfrm interfaces), AES-GCM-128"
	echo "(aes-gcm-16 / rfc4106(gcm(aes)) 128, same keys), veth between two namespaces, tunnel MTU $ESP_MTU;"
	echo "same VM run; higher is better; ratio = kipsec / XFRM; mean of 2 runs each (order K X X K)"
	echo
	printf '%-34s %12s %12s %8s\n' "" kipsec XFRM ratio
	printf '%-34s %12s %12s %8s\n' "TCP goodput (Mbit/s, ${TCP_SECS} s)" "$k_tcp" "$x_tcp" "$(ratio "$k_tcp" "$x_tcp")"
	printf '%-34s %12s %12s\n' "  runs" "${R[bk_tcp1]} ${R[bk_tcp2]}" "${R[bx_tcp1]} ${R[bx_tcp2]}"
	printf '%-34s %12s %12s %8s\n' "UDP 64 B received (packets/s)" "$k_udpr" "$x_udpr" "$(ratio "$k_udpr" "$x_udpr")"
	printf '%-34s %12s %12s\n' "  runs" "${R[bk_udpr1]} ${R[bk_udpr2]}" "${R[bx_udpr1]} ${R[bx_udpr2]}"
	printf '%-34s %12s %12s %8s\n' "  + the receiving socket's overflow" "$k_udpd" "$x_udpd" "$(ratio "$k_udpd" "$x_udpd")"
	printf '%-34s %12s %12s %8s\n' "UDP 64 B sent (packets/s)" "$k_udps" "$x_udps" "$(ratio "$k_udps" "$x_udps")"
	echo
	echo "kernel crypto API, rfc4106(gcm(aes)), 128-bit key, 1420-byte buffers, one CPU"
	echo "(tcrypt mode=211 sec=1; driver ${R[c_drv]:-?}; the ESP SAs' seqiv(rfc4106(gcm(aes))): ${R[k_sa_drv]:-?}):"
	printf '%-34s %12s\n' "  encryption (Mbit/s)" "$c_enc"
	printf '%-34s %12s\n' "  decryption (Mbit/s)" "$c_dec"
	printf '%-34s %12s\n' "  both in series (Mbit/s)" "$c_both"
	echo
	printf '%-34s %12s %12s\n' "TCP goodput / raw encryption" "$(frac "$k_tcp" "$c_enc")" "$(frac "$x_tcp" "$c_enc")"
	printf '%-34s %12s %12s\n' "TCP goodput / enc+dec in series" "$(frac "$k_tcp" "$c_both")" "$(frac "$x_tcp" "$c_both")"
	echo
	echo "what happened on the way (counters over both stacks' runs; for understanding, not scoring):"
	printf '%-34s %12s %12s\n' "TCP retransmissions (per run)" "${R[bk_retr1]} ${R[bk_retr2]}" "${R[bx_retr1]} ${R[bx_retr2]}"
	printf '%-34s %12s %12s\n' "sender: reordering seen" "${R[bk_reord]}" "${R[bx_reord]}"
	printf '%-34s %12s %12s\n' "sender: DSACKs received" "${R[bk_dsack]}" "${R[bx_dsack]}"
	printf '%-34s %12s %12s\n' "receiver: out-of-order segments" "${R[bk_ofo]}" "${R[bx_ofo]}"
	printf '%-34s %12s %12s\n' "receiver: UDP socket full" "${R[bk_rcvbuf]}" "${R[bx_rcvbuf]}"
	printf '%-34s %12s %12s\n' "input backlog drops (softnet)" "${R[bk_snet]}" "${R[bx_snet]}"
	echo
	echo "drops and errors during the ESP runs (nonzero counters: kipsec stats, /proc/net/xfrm_stat,"
	echo "ipsec0 and veth0 error/drop counters of each namespace; -w sends, -e receives):"
	if [ -s "$T/bk.errors" ] || [ -s "$T/bx.errors" ]; then
		sed 's/^/  kipsec  /' "$T/bk.errors" 2>/dev/null
		sed 's/^/  xfrm    /' "$T/bx.errors" 2>/dev/null
	else
		echo "  none"
	fi
	echo
	echo "Note: the whole path (sender, both ESP stacks, veth, receiver) shares the VM's $(nproc) vCPUs, under"
	echo "TCG; TCP goodput is payload (inner packets of $ESP_MTU bytes carry 1328 bytes of it), the AEAD"
	echo "figure is per 1420-byte buffer; the fractions are for scale."
} >>"$out"
cat "$out"

if [ "$failed" = 0 ]; then
	echo "ok - bench: $N SAs added, dumped and flushed in kipsec and XFRM; ESP throughput and tcrypt measured"
fi
exit "$failed"
