#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every check kipsec has, as one TAP stream on stdout (flat
# "ok - what" / "not ok - what" lines, "# " comments), ending with the line
# "N passed, M failed". Exits 1 if anything failed. A missing tool or
# package is a failure, never a skip.
#
#   kernel   the test kernel (selftests/vm/kernel.sh; built once, cached)
#   regen    generated uapi header and netlink policies match the spec
#   tool     tools/kipsec builds (warnings are errors)
#   module   net/kipsec builds with W=1 and no warning
#   sparse   no sparse warning in net/kipsec (C=2)
#   style    checkpatch --strict clean (generated netlink-gen.[ch] excepted)
#   dkms     DKMS builds and installs the module for Debian 12's kernel
#   unit     tools/kipsec unit tests (make -C tools/kipsec check)
#   fuzz     the IKE codec under libFuzzer, 30 s (tools/kipsec/fuzz)
#   vm       the test kernel under qemu: modprobe, KUnit, selftests/kipsec-*.sh,
#            rmmod, clean kernel log (selftests/vm/run.sh + vm/guest-check.sh)
#
# DEBUG=1 uses the debug kernel (KASAN, lockdep, kmemleak) for the module
# build and the VM. Logs: build/check/ (KIPSEC_CHECK_DIR). KIPSEC_VM_TIMEOUT
# caps the VM run: default 3600 s, which with a ~6 min kernel build keeps
# CI under its 90 min (a clean run takes ~8 min); 7200 s with DEBUG=1.
set -uo pipefail

# One compound command: bash reads it whole before running any of it, so
# the file can change (an edit, a checkout) while a run is in progress.
{

top=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$top" || exit 1
debug=${DEBUG:-0}
logs=${KIPSEC_CHECK_DIR:-$top/build/check}
case $logs in /* | ./* | ../*) ;; *) logs=./$logs ;; esac
[ "$(cd "$logs" 2>/dev/null && pwd -P)" != / ] || { echo "check.sh: bad KIPSEC_CHECK_DIR" >&2; exit 1; }
rm -rf "$logs"
mkdir -p "$logs"
tap=$logs/results.tap
: >"$tap"

# Everything that goes to stdout goes through here, so the count at the end
# sees exactly what was shown.
emit() { tee -a "$tap"; }
pass() { echo "ok - $*" | emit; }
fail() { echo "not ok - $*" | emit; }
note() { echo "# $*" | emit; }
# show_log FILE [N]: a failed step's log tail, on stderr for CI.
show_log() {
	{
		echo "==== check.sh: last ${2:-40} lines of $1"
		tail -n "${2:-40}" "$1"
		echo "===="
	} >&2
}

t0=$SECONDS
step_start() { step_name=$1; step_t0=$SECONDS; note "step $1"; }
step_end() { note "$step_name: $((SECONDS - step_t0)) s"; }

note "kipsec make check, DEBUG=$debug, $(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---------------------------------------------------------------- kernel
step_start kernel
kdir=
if DEBUG=$debug selftests/vm/kernel.sh >"$logs/kernel.out" 2>"$logs/kernel.log"; then
	kdir=$(tail -n1 "$logs/kernel.out")
fi
if [ -n "$kdir" ] && [ -f "$kdir/arch/x86/boot/bzImage" ]; then
	pass "test kernel built ($kdir)"
else
	fail "test kernel built"
	show_log "$logs/kernel.log"
	kdir=
fi
ksrc=${KSRC:-}
if [ -z "$ksrc" ] && [ -n "$kdir" ]; then
	ksrc=$(readlink -f "$kdir/source")
fi
[ -n "$ksrc" ] || ksrc=${KIPSEC_CACHE:-$HOME/.cache/kipsec}/linux-source-6.12
step_end

# ---------------------------------------------------------------- regen
step_start regen
if KSRC=$ksrc scripts/regen.sh --check >"$logs/regen.log" 2>&1; then
	pass "generated files match the spec"
else
	fail "generated files match the spec"
	show_log "$logs/regen.log"
fi
step_end

# ---------------------------------------------------------------- tool
step_start tool
if make -C tools/kipsec >"$logs/tool.log" 2>&1 &&
   ! grep -qi 'warning:' "$logs/tool.log"; then
	pass "tool builds without warnings"
else
	fail "tool builds without warnings"
	show_log "$logs/tool.log"
fi
step_end

# ---------------------------------------------------------------- module
# Built from a fresh copy of the sources in $logs/tree: every file is
# compiled (an up-to-date tree would print no warnings at all), the work
# tree's own objects (maybe for another kernel) are left alone, and the VM
# loads exactly the objects checked here.
step_start module
tree=$logs/tree
moddir=
copy_sources() {
	rm -rf "$tree"
	mkdir -p "$tree"
	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$top" ls-files -z -co --exclude-standard |
			grep -zvE '^(build|\.git)/' |
			tar -C "$top" --null -T - -cf - | tar -C "$tree" -xf -
	else
		tar -C "$top" --exclude=./.git --exclude=./build -cf - Kbuild net include |
			tar -C "$tree" -xf -
	fi
}
if [ -z "$kdir" ]; then
	fail "module builds with W=1 and no warnings (no test kernel)"
elif ! copy_sources 2>"$logs/module.log"; then
	fail "module builds with W=1 and no warnings (cannot copy the sources)"
	show_log "$logs/module.log"
else
	rc=0
	make -C "$kdir" M="$tree" W=1 modules >"$logs/module.log" 2>&1 || rc=$?
	if [ "$rc" = 0 ] && ! grep -qi 'warning:' "$logs/module.log" &&
	   [ -f "$tree/net/kipsec/kipsec.ko" ]; then
		pass "module builds with W=1 and no warnings"
	else
		fail "module builds with W=1 and no warnings (make exit $rc)"
		grep -i 'warning:' "$logs/module.log" | head -n 20 | sed 's/^/# /' | emit
		show_log "$logs/module.log"
	fi
	[ -f "$tree/net/kipsec/kipsec.ko" ] && moddir=$tree/net/kipsec
fi
step_end

# ---------------------------------------------------------------- sparse
step_start sparse
if ! command -v sparse >/dev/null; then
	fail "sparse clean (sparse is not installed: make deps)"
elif [ -z "$kdir" ] || [ ! -f "$tree/Kbuild" ]; then
	fail "sparse clean (no test kernel or no sources)"
else
	rc=0
	make -C "$kdir" M="$tree" C=2 modules >"$logs/sparse.log" 2>&1 || rc=$?
	# sparse names files relative to the tree or absolutely.
	grep -E '(^|/)net/kipsec/[^:]+:[0-9]+:[0-9]+: (warning|error):' \
		"$logs/sparse.log" | sed "s|$tree/||" >"$logs/sparse.warnings"
	if [ "$rc" = 0 ] && ! [ -s "$logs/sparse.warnings" ]; then
		pass "sparse clean"
	else
		fail "sparse clean ($(wc -l <"$logs/sparse.warnings") warnings, make exit $rc)"
		head -n 20 "$logs/sparse.warnings" | sed 's/^/# /' | emit
		[ "$rc" = 0 ] || show_log "$logs/sparse.log"
	fi
fi
step_end

# ---------------------------------------------------------------- style
step_start style
checkpatch=$ksrc/scripts/checkpatch.pl
# The module's sources (not kbuild's *.mod.c), less the generated files.
srcs=()
for f in net/kipsec/*.c net/kipsec/*.h; do
	case $f in */netlink-gen.[ch] | *.mod.c) continue ;; esac
	[ -f "$f" ] && srcs+=("$f")
done
if [ ! -x "$checkpatch" ] && [ ! -f "$checkpatch" ]; then
	fail "checkpatch clean (no $checkpatch)"
elif [ ${#srcs[@]} -eq 0 ]; then
	fail "checkpatch clean (no module sources in net/kipsec)"
else
	perl "$checkpatch" --no-tree --strict --terse --show-types -f "${srcs[@]}" \
		>"$logs/checkpatch.log" 2>&1
	rc=$?
	nprob=$(grep -cE ': (ERROR|WARNING|CHECK):' "$logs/checkpatch.log")
	if [ "$rc" = 0 ] && [ "$nprob" = 0 ]; then
		pass "checkpatch clean (${#srcs[@]} files)"
	else
		fail "checkpatch clean ($nprob problems in ${#srcs[@]} files)"
		grep -E ': (ERROR|WARNING|CHECK):' "$logs/checkpatch.log" | head -n 30 |
			sed 's/^/# /' | emit
		[ "$nprob" != 0 ] || show_log "$logs/checkpatch.log"
	fi
fi
step_end

# ---------------------------------------------------------------- dkms
# What an operator does on a Debian 12 server: DKMS builds the module for
# the stock kernel's headers (6.1), through compat.h.
step_start dkms
selftests/dkms-check.sh 2>&1 | emit
step_end

# ---------------------------------------------------------------- unit
# Its TAP lines join the stream as "ok - tool: desc".
step_start unit
make -C tools/kipsec check >"$logs/unit.log" 2>&1
rc=$?
awk '
	/^(not )?ok([ \t]|$)/ {
		good = ($0 ~ /^ok/)
		s = $0
		sub(/^(not )?ok[ \t]*/, "", s)
		sub(/^[0-9]+[ \t]*/, "", s)
		sub(/^-[ \t]*/, "", s)
		printf "%s - tool: %s\n", good ? "ok" : "not ok", s
	}' "$logs/unit.log" >"$logs/unit.tap"
emit <"$logs/unit.tap"
if [ "$rc" != 0 ] && ! grep -q '^not ok' "$logs/unit.tap"; then
	fail "tool unit tests: make -C tools/kipsec check exited $rc"
elif ! [ -s "$logs/unit.tap" ]; then
	fail "tool unit tests: make -C tools/kipsec check printed no TAP results"
fi
if [ "$rc" != 0 ] || grep -q '^not ok' "$logs/unit.tap"; then
	show_log "$logs/unit.log"
fi
step_end

# ---------------------------------------------------------------- fuzz
# The IKE message codec under libFuzzer (ASan, UBSan) for 30 s from the
# seeds and the saved crashes: one TAP line (tools/kipsec/fuzz/Makefile).
step_start fuzz
make -s --no-print-directory -C tools/kipsec/fuzz fuzz-smoke \
	2>"$logs/fuzz.log" | emit
step_end

# ---------------------------------------------------------------- vm
step_start vm
vm_timeout=${KIPSEC_VM_TIMEOUT:-$([ "$debug" = 1 ] && echo 7200 || echo 3600)}
if [ -z "$kdir" ]; then
	fail "vm: tests run in the test VM (no test kernel)"
else
	vmopts=(--results "$logs/vm" --timeout "$vm_timeout")
	[ -n "$moddir" ] && vmopts+=(--modules "$moddir")
	[ "$debug" = 1 ] && vmopts+=(--debug)
	selftests/vm/run.sh "${vmopts[@]}" "$kdir" -- selftests/vm/guest-check.sh |
		emit
fi
step_end

# ---------------------------------------------------------------- summary
note "total: $((SECONDS - t0)) s; logs in $logs"
passed=$(grep -cE '^ok([[:space:]]|$)' "$tap")
failed=$(grep -cE '^not ok([[:space:]]|$)' "$tap")
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
exit
}
