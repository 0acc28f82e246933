#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build what a VM run needs: the test kernel (cached after the first build)
# and, against it, kipsec.ko and the kipsec tool. Logs go to LOGDIR
# (kernel.log, build.log); on success the kernel's build directory is the
# only line on stdout. Used by make demo and make bench.
#
# usage: build.sh LOGDIR
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
logs=${1:?usage: build.sh LOGDIR}

echo "building the test kernel (cached after the first build)" >&2
kdir=$("$top/selftests/vm/kernel.sh" 2>"$logs/kernel.log" | tail -n1)
if [ -z "$kdir" ] || [ ! -f "$kdir/arch/x86/boot/bzImage" ]; then
	tail -n 30 "$logs/kernel.log" >&2
	echo "test kernel build failed (log: $logs/kernel.log)" >&2
	exit 1
fi
echo "building kipsec.ko and the tool against $kdir" >&2
if ! make -C "$top" module tool KDIR="$kdir" >"$logs/build.log" 2>&1; then
	tail -n 30 "$logs/build.log" >&2
	echo "build failed (log: $logs/build.log)" >&2
	exit 1
fi
echo "$kdir"
