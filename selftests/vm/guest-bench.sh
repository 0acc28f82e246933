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
# Under TCG only ratios measured within one VM run mean anything; the
# absolute figures are for scale. The numbers never fail the run: it fails
# (exit 1) only when something breaks (a command fails, a dump does not
# hold the N SAs). The table also goes to $KIPSEC_RESULTS/bench.txt.
set -uo pipefail
export LC_ALL=C

N=${1:-${KIPSEC_BENCH_N:-100000}}
case $N in '' | *[!0-9]* | 0) echo "guest-bench: bad N '$N'" >&2; exit 2 ;; esac
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
	echo "hash tables, page-sized buffers) and are noisier. XFRM allocates a crypto transform"
	echo "per SA; kipsec keeps only the key (no data path yet), so memory is not like for like."
} >"$out"
cat "$out"

if [ "$failed" = 0 ]; then
	echo "ok - bench: $N SAs added, dumped and flushed in kipsec and XFRM"
fi
exit "$failed"
