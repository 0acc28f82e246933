#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: kipsec's SAD and ESP data path against native XFRM in the
# test VM. Builds the test kernel (selftests/vm/kernel.sh, cached),
# kipsec.ko and the tool, then runs selftests/vm/guest-bench.sh once under
# selftests/vm/run.sh and prints its tables: add / dump / flush times of
# N SAs (default 100,000) and the kernel memory they take, kipsec vs XFRM,
# with the ratios; then ESP tunnel throughput (iperf3 TCP, 64-byte UDP
# packet rate) kipsec <-> kipsec vs XFRM <-> XFRM over a veth pair, and the
# kernel crypto API's raw AES-GCM speed (tcrypt) it compares with. A
# second VM run measures the IKE daemon as responder against charon under
# the same load (selftests/vm/guest-bench-ike.sh): establishments per
# second and memory per IKE SA.
#
# Not a test: the numbers never fail it (under TCG only the ratios within
# one run mean anything). It exits non-zero only when something breaks: the
# build, the VM, or a command in the guest.
#
# Environment: KIPSEC_BENCH_N (number of SAs), KIPSEC_BENCH_TCP_SECS and
# KIPSEC_BENCH_UDP_SECS (seconds per iperf3 run, default 10),
# KIPSEC_BENCH_IKE_N and KIPSEC_BENCH_IKE_C (IKE SAs, and how many in
# flight, default 1000 and 32), KIPSEC_BENCH_TIMEOUT (VM timeout in
# seconds, default 3600),
# KIPSEC_BENCH_DIR (where the results are kept, default build/bench).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$top" || exit 1
N=${KIPSEC_BENCH_N:-100000}
tcp_secs=${KIPSEC_BENCH_TCP_SECS:-10}
udp_secs=${KIPSEC_BENCH_UDP_SECS:-10}
ike_n=${KIPSEC_BENCH_IKE_N:-1000}
ike_c=${KIPSEC_BENCH_IKE_C:-32}
timeout=${KIPSEC_BENCH_TIMEOUT:-3600}
res=${KIPSEC_BENCH_DIR:-$top/build/bench}
t_start=$SECONDS

die() { echo "bench: $*" >&2; exit 1; }
rm -rf "$res/vm" "$res/vm-ike" "$res/kernel.log" "$res/build.log"
mkdir -p "$res" || die "cannot create $res"

kdir=$(selftests/vm/build.sh "$res") || die "nothing to run"
make -C tools/kipsec/bench >>"$res/build.log" 2>&1 ||
	die "building tools/kipsec/bench/ike_load failed (log: $res/build.log)"

echo "bench: booting the VM: $N SAs into kipsec, then into XFRM; tcrypt; ESP throughput (TCG: this takes minutes)"
selftests/vm/run.sh --timeout "$timeout" --results "$res/vm" "$kdir" -- \
	selftests/vm/guest-bench.sh "$N" "$tcp_secs" "$udp_secs"
rc=$?

echo
if [ -s "$res/vm/guest/bench.txt" ]; then
	cat "$res/vm/guest/bench.txt"
else
	echo "bench: the guest wrote no table (see $res/vm/guest/output.log)" >&2
	rc=1
fi

# IKE: establishments per second and memory per IKE SA, kipsec ike as
# responder against charon, the same load (tools/kipsec/bench/ike_load)
echo
echo "bench: booting the VM again: $ike_n IKE SAs into kipsec ike and into charon, twice each"
selftests/vm/run.sh --timeout "$timeout" --results "$res/vm-ike" "$kdir" -- \
	selftests/vm/guest-bench-ike.sh "$ike_n" "$ike_c"
rc_ike=$?
echo
if [ -s "$res/vm-ike/guest/bench-ike.txt" ]; then
	cat "$res/vm-ike/guest/bench-ike.txt"
else
	echo "bench: the IKE guest wrote no table (see $res/vm-ike/guest/output.log)" >&2
	rc_ike=1
fi
[ "$rc_ike" = 0 ] || rc=1
echo
echo "bench: $((SECONDS - t_start)) s in all; results in $res/vm and $res/vm-ike"
[ "$rc" = 0 ] || echo "bench: FAILED (something broke; see above)" >&2
exit "$rc"
