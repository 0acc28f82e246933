#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test kernel in KDIR under qemu (TCG) with the host's root file
# system shared read-only over 9p, run CMD inside it (cwd: the repo top,
# PATH includes tools/kipsec, the repo's net/kipsec/*.ko loadable with
# modprobe) and report as TAP on stdout:
#
#   - the guest's own TAP lines (lines starting "ok", "not ok" or "#"), as
#     they appear;
#   - then the host's verdicts: the run finished in time, the guest wrote
#     its completion marker (a positive signal a crash or hang cannot
#     fake), CMD exited 0, the kernel log has no oops/WARN/BUG/KASAN/
#     lockdep/kmemleak splat, and with --debug that kmemleak found nothing.
#
# Exits 0 only if every line is "ok". On failure the tails of the console
# log and of CMD's output go to stderr.
#
# usage: run.sh [--timeout SECS] [--debug] [--results DIR] [--modules DIR]
#              KDIR -- CMD [ARGS...]
#
# --timeout: kill qemu after SECS (default 1800, 3600 with --debug): failure.
# --debug: KDIR is the debug kernel; kmemleak on, scanned after CMD.
# --modules: where the .ko files to install come from (default net/kipsec).
#
# CMD runs in the guest, where /tmp, /run and /var/tmp are private tmpfs;
# the repo, KDIR and the modules' directory are brought back there if they
# live under them (init.sh), so give CMD as a path in the repo (relative to
# its top) or elsewhere outside those directories. Results (console.log, qemu.log and
# guest/: output.log, done, kmemleak.txt) are kept in DIR if given, else in
# a temporary directory that is removed after a clean run.
set -uo pipefail

# One compound command: bash reads it whole before running any of it, so
# the file can change (an edit, a checkout) while a run is in progress.
{

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)

usage() {
	echo "usage: $0 [--timeout SECS] [--debug] [--results DIR] [--modules DIR] KDIR -- CMD [ARGS...]" >&2
	exit 2
}

timeout=
debug=0
moddir=
results=
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
	--timeout=*) timeout=${1#*=}; shift ;;
	--debug) debug=1; shift ;;
	--results) [ $# -ge 2 ] || usage; results=$2; shift 2 ;;
	--results=*) results=${1#*=}; shift ;;
	--modules) [ $# -ge 2 ] || usage; moddir=$2; shift 2 ;;
	--modules=*) moddir=${1#*=}; shift ;;
	--) usage ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 3 ] && [ "$2" = -- ] || usage
kdir=$(readlink -f "$1") || usage
shift 2
moddir=$(readlink -f "${moddir:-$repo/net/kipsec}") || usage
[ -n "$timeout" ] || timeout=$([ "$debug" = 1 ] && echo 3600 || echo 1800)
case $timeout in '' | *[!0-9]*) usage ;; esac

fail_early() {
	echo "not ok - vm: $*"
	echo "run.sh: $*" >&2
	exit 1
}
command -v qemu-system-x86_64 >/dev/null ||
	fail_early "qemu-system-x86_64 is not installed (make deps)"
bzimage=$kdir/arch/x86/boot/bzImage
[ -r "$bzimage" ] || fail_early "no kernel image $bzimage"
for p in "$repo" "$kdir" "$moddir"; do
	case $p/ in
	/proc/* | /sys/* | /dev/*)
		fail_early "$p is not visible in the guest (private mount there)" ;;
	esac
done

keep=1
if [ -z "$results" ]; then
	results=$(mktemp -d "${TMPDIR:-/tmp}/kipsec-vm.XXXXXX") || exit 1
	keep=0
fi
mkdir -p "$results" || exit 1
results=$(cd "$results" && pwd -P)
rm -rf "$results/guest" "$results/console.log" "$results/qemu.log"
mkdir -p "$results/guest"
guest=$results/guest

{
	printf 'KIPSEC_REPO=%q\n' "$repo"
	printf 'KIPSEC_KDIR=%q\n' "$kdir"
	printf 'KIPSEC_DEBUG=%q\n' "$debug"
	printf 'KIPSEC_MODDIR=%q\n' "$moddir"
	printf 'KIPSEC_CMD=('
	printf '%q ' "$@"
	printf ')\n'
} >"$guest/guest.env"

append="console=ttyS0 root=root rootfstype=9p ro"
append+=" rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose"
append+=" init=$here/init.sh panic=-1 oops=panic panic_on_warn=1"
append+=" kunit.enable=1 printk.devkmsg=on random.trust_cpu=on"
[ "$debug" = 1 ] && append+=" kmemleak=on"

# q35, not pc: pc's ACPI _PRT is an AML loop that the debug kernel (KASAN,
# lockdep) under TCG cannot finish within ACPICA's 30 s loop timeout, which
# leaves virtio without an interrupt and the 9p root mount hanging.
qemu=(qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp 2 -m 2048
	-nodefaults -display none -no-reboot
	-serial "file:$results/console.log"
	-kernel "$bzimage" -append "$append"
	-virtfs "local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$guest,mount_tag=results,security_model=none,multidevs=remap")

qpid=
cleanup() {
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null
		sleep 1
		kill -9 "$qpid" 2>/dev/null
	fi
}
trap cleanup EXIT
trap 'echo "not ok - vm: interrupted"; exit 130' INT TERM

# Guest output arrives in guest/output.log over 9p while the guest runs;
# pass its TAP lines through as soon as they are complete.
shown=0
tap_filter() { grep -E '^(ok|not ok)([[:space:]]|$)|^#' || true; }
emit_new() {
	local out=$guest/output.log total
	[ -f "$out" ] || return 0
	total=$(wc -l <"$out")
	if [ "$total" -gt "$shown" ]; then
		sed -n "$((shown + 1)),${total}p" "$out" | tap_filter
		shown=$total
	fi
}

start=$SECONDS
"${qemu[@]}" </dev/null >"$results/qemu.log" 2>&1 &
qpid=$!
timed_out=0
while kill -0 "$qpid" 2>/dev/null; do
	emit_new
	if [ $((SECONDS - start)) -ge "$timeout" ]; then
		timed_out=1
		cleanup
		break
	fi
	sleep 1
done
wait "$qpid" 2>/dev/null
qrc=$?
qpid=
elapsed=$((SECONDS - start))
emit_new
# A last line without a newline.
if [ -f "$guest/output.log" ] && [ -n "$(tail -c1 "$guest/output.log")" ]; then
	tail -n1 "$guest/output.log" | tap_filter
fi
echo "# vm: qemu ran ${elapsed} s, exit status $qrc"

failed=0
guest_failed=0
if [ -f "$guest/output.log" ] &&
   grep -qE '^not ok([[:space:]]|$)' "$guest/output.log"; then
	failed=1
	guest_failed=1
fi

if [ "$timed_out" = 1 ]; then
	echo "not ok - vm: finished within $timeout s (timed out: qemu killed)"
	failed=1
else
	echo "ok - vm: finished within $timeout s"
fi

if [ -f "$guest/done" ]; then
	echo "ok - vm: guest finished"
	status=$(head -n1 "$guest/done")
	if [ "$status" = 0 ]; then
		echo "ok - vm: guest command exited 0"
	elif [ "$guest_failed" = 1 ]; then
		# already counted: the guest's own "not ok" lines say why
		echo "# vm: guest command exited $status"
	else
		echo "not ok - vm: guest command exited $status"
		failed=1
	fi
else
	echo "not ok - vm: guest finished (no completion marker: crash, hang or early poweroff)"
	failed=1
fi

# Kernel splats on the serial console. CMD's output is not on the console,
# so test names cannot trip this.
splat='WARNING:|BUG:|Oops|Kernel panic|KASAN|kmemleak:.*unreferenced'
splat+='|possible circular locking|possible recursive locking'
splat+='|suspicious RCU usage|inconsistent lock state|Call Trace'
splat+='|general protection fault|Unable to handle kernel|UBSAN:'
splat+='|blocked for more than|detected stalls'
if [ ! -s "$results/console.log" ]; then
	echo "not ok - vm: kernel log clean (no console output at all)"
	failed=1
elif grep -qE "$splat" "$results/console.log"; then
	echo "not ok - vm: kernel log clean"
	grep -E "$splat" "$results/console.log" | head -n 20 | sed 's/^/# /'
	failed=1
else
	echo "ok - vm: kernel log clean"
fi

if [ "$debug" = 1 ]; then
	if [ -f "$guest/kmemleak.txt" ] && ! [ -s "$guest/kmemleak.txt" ]; then
		echo "ok - vm: kmemleak clean"
	elif [ -s "$guest/kmemleak.txt" ]; then
		echo "not ok - vm: kmemleak clean ($(grep -c '^unreferenced object' "$guest/kmemleak.txt") unreferenced object(s))"
		head -n 40 "$guest/kmemleak.txt" | sed 's/^/# /'
		failed=1
	else
		echo "not ok - vm: kmemleak clean (no scan: $(cat "$guest/kmemleak.missing" 2>/dev/null || echo 'the guest did not get that far'))"
		failed=1
	fi
fi

if [ "$failed" = 0 ]; then
	[ "$keep" = 1 ] || rm -rf "$results"
	exit 0
fi

{
	echo "==== run.sh: VM run failed; results in $results"
	echo "==== qemu: ${qemu[*]}"
	if [ -s "$results/qemu.log" ]; then
		echo "==== qemu stderr (last 20 lines):"
		tail -n 20 "$results/qemu.log"
	fi
	echo "==== console log (last 60 lines of $results/console.log):"
	tail -n 60 "$results/console.log" 2>/dev/null
	if [ -f "$guest/output.log" ]; then
		echo "==== guest command output (last 60 lines of $guest/output.log):"
		tail -n 60 "$guest/output.log"
	fi
	[ "$guest_failed" = 1 ] && echo "==== the guest reported failures (not ok lines above)"
	echo "===="
} >&2
exit 1
exit
}
