#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: show what kipsec does today, up to a live ESP tunnel between
# two namespaces (ping, iperf3, counters, tcpdump). Builds the test kernel
# (selftests/vm/kernel.sh, cached), kipsec.ko and the tool, boots the VM
# (selftests/vm/run.sh) and runs selftests/vm/guest-demo.sh there, whose
# output (each command echoed as "+ CMD" before its output) is shown as it
# comes.
#
# Exits non-zero if the build or the VM fails, or if a demo step that
# should succeed failed: success needs the marker the guest writes last
# (demo.ok) and a clean VM run.
#
# Environment: KIPSEC_DEMO_DIR (where the results are kept, default
# build/demo).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$top" || exit 1
res=${KIPSEC_DEMO_DIR:-$top/build/demo}
t_start=$SECONDS

die() { echo "demo: $*" >&2; exit 1; }
rm -rf "$res/vm" "$res/kernel.log" "$res/build.log" "$res/run.tap" "$res/run.err"
mkdir -p "$res/vm/guest" || die "cannot create $res"

kdir=$(selftests/vm/build.sh "$res") || die "nothing to run"

echo "demo: booting the test kernel under qemu (TCG)"
# run.sh's own report goes to a file; the guest's output is followed live.
selftests/vm/run.sh --timeout 900 --results "$res/vm" "$kdir" -- \
	selftests/vm/guest-demo.sh >"$res/run.tap" 2>"$res/run.err" &
vm=$!
out=$res/vm/guest/output.log
# run.sh recreates guest/ before booting: wait for the new output.log.
while kill -0 "$vm" 2>/dev/null && [ ! -f "$out" ]; do
	sleep 0.5
done
if [ -f "$out" ]; then
	tail -n +1 -F --pid="$vm" "$out" 2>/dev/null
fi
wait "$vm"
rc=$?

echo
grep -E '^(not ok|# vm:)' "$res/run.tap" | sed 's/^/demo: vm: /'
if [ "$rc" != 0 ]; then
	cat "$res/run.err" >&2
	echo "demo: FAILED: the VM run failed (results in $res/vm)" >&2
	exit 1
fi
if [ ! -f "$res/vm/guest/demo.ok" ]; then
	echo "demo: FAILED: the guest did not write its success marker (results in $res/vm)" >&2
	exit 1
fi
echo "demo: done in $((SECONDS - t_start)) s; kernel log clean"
