#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of a kipsec test VM, booted by selftests/vm/run.sh with the host's
# root file system read-only over 9p (tag "root") and a writable results
# directory (tag "results"). It gives the guest a private /dev, /proc, /sys,
# /tmp, /run, /var/tmp and /lib/modules (holding the repo's freshly built
# modules), runs the command run.sh wrote into results/guest.env with its
# output in results/output.log, and only then writes results/done, the
# positive signal run.sh looks for. A panic, a WARN (panic_on_warn), a hang
# or an early poweroff never reaches that line.
#
# This script must never exit: PID 1 exiting panics the kernel.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# One compound command: bash reads it whole before running any of it, so
# the file can change (an edit, a checkout) while a run is in progress.
{
export HOME=/tmp TERM=dumb LC_ALL=C.UTF-8
R=/run/kipsec-results

say() { echo "kipsec-vm: [$(cut -d" " -f1 /proc/uptime)] $*"; }

halt_vm() {
	sync
	echo o >/proc/sysrq-trigger	# ACPI poweroff: qemu exits
	sleep 10
	echo b >/proc/sysrq-trigger	# reboot: -no-reboot makes qemu exit too
	while :; do sleep 60; done
}

die() {
	say "init failed: $*"
	halt_vm
}

# The kernel may have started us without a console: the root's /dev is the
# host's. Get a private devtmpfs first, then talk to the serial console.
mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o mode=0755,nosuid devtmpfs /dev
exec </dev/console >/dev/console 2>&1
say "init started after $(cut -d' ' -f1 /proc/uptime) s"

mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=0620,ptmxmode=0666 devpts /dev/pts || die "devpts"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm || die "/dev/shm"
ln -sfn /proc/self/fd /dev/fd
ln -sfn /proc/self/fd/0 /dev/stdin
ln -sfn /proc/self/fd/1 /dev/stdout
ln -sfn /proc/self/fd/2 /dev/stderr
# The host's /tmp, /run and /var/tmp disappear under the guest's own
# tmpfs; keep a view of the host root to bring back paths we need there
# (a clone in /tmp, say).
mkdir -p /dev/.host
mount --bind / /dev/.host || die "cannot bind the host root"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp || die "/tmp"
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run || die "/run"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp || die "/var/tmp"
mkdir -p /run/netns /run/lock /run/user
if [ -d /sys/kernel/debug ]; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
fi
if [ -d /sys/kernel/tracing ]; then
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
fi

mkdir -p "$R"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results "$R" ||
	die "cannot mount the results export"
[ -r "$R/guest.env" ] || die "no $R/guest.env"
# Defines KIPSEC_REPO, KIPSEC_KDIR, KIPSEC_DEBUG, KIPSEC_MODDIR and the
# array KIPSEC_CMD.
. "$R/guest.env"

for p in "$KIPSEC_REPO" "$KIPSEC_KDIR" "$KIPSEC_MODDIR"; do
	case $p/ in
	/tmp/* | /run/* | /var/tmp/*)
		mountpoint -q "$p" && continue
		mkdir -p "$p" && mount --bind "/dev/.host$p" "$p" ||
			die "cannot bring back the host's $p"
		;;
	esac
done

hostname kipsec-vm
ip link set lo up

# Modules: the test kernel's own list files plus the freshly built .ko files
# (default: the repo's net/kipsec), so that modprobe, depmod and request_module() autoload work.
kver=$(uname -r)
mount -t tmpfs -o mode=0755 tmpfs /lib/modules || die "/lib/modules"
md=/lib/modules/$kver
mkdir -p "$md/extra" "$md/kernel"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$KIPSEC_KDIR/$f" ] && cp "$KIPSEC_KDIR/$f" "$md/"
done
# In-tree modules of the test kernel, if its config has any (=m).
if [ -f "$KIPSEC_KDIR/modules.order" ]; then
	while IFS= read -r m; do
		m=${m%.o}.ko
		[ -f "$KIPSEC_KDIR/$m" ] || continue
		mkdir -p "$md/kernel/$(dirname "$m")"
		cp "$KIPSEC_KDIR/$m" "$md/kernel/$m"
	done <"$KIPSEC_KDIR/modules.order"
fi
nko=0
for ko in "$KIPSEC_MODDIR"/*.ko; do
	[ -f "$ko" ] || continue
	cp "$ko" "$md/extra/"
	nko=$((nko + 1))
done
depmod -a "$kver" || say "depmod failed"
say "$nko module(s) from $KIPSEC_MODDIR installed for $kver"

leakcheck=0
if [ "$KIPSEC_DEBUG" = 1 ]; then
	if [ -w /sys/kernel/debug/kmemleak ]; then
		# Forget what boot allocated; only the test run counts.
		echo clear >/sys/kernel/debug/kmemleak
		leakcheck=1
	else
		say "debug run without /sys/kernel/debug/kmemleak"
		echo "kmemleak unavailable in this kernel" >"$R/kmemleak.missing"
	fi
fi

export PATH="$KIPSEC_REPO/tools/kipsec:$PATH"
export KIPSEC_VM=1 KIPSEC_DEBUG KIPSEC_RESULTS="$R" KIPSEC_KDIR
cd "$KIPSEC_REPO" || die "cannot cd to $KIPSEC_REPO"
say "running: ${KIPSEC_CMD[*]}"
start=$(cut -d' ' -f1 /proc/uptime)
"${KIPSEC_CMD[@]}" >"$R/output.log" 2>&1 </dev/null
status=$?
say "command exited $status after $(echo "$start $(cut -d' ' -f1 /proc/uptime)" |
	awk '{ printf "%.1f", $2 - $1 }') s"

if [ "$leakcheck" = 1 ]; then
	# Let RCU callbacks and deferred frees run, scan twice (an object
	# must look unreferenced in two scans to be reported), then collect.
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$R/kmemleak.txt"
	say "kmemleak: $(grep -c '^unreferenced object' "$R/kmemleak.txt") report(s)"
fi

# The positive signal: written last, renamed into place.
echo "$status" >"$R/done.tmp" && mv "$R/done.tmp" "$R/done"
say "done"
halt_vm
exit
}
