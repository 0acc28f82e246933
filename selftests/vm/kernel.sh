#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once per machine) the test kernel kipsec's VM tests boot: Debian's
# linux-source-6.12, allnoconfig + vm/base.config + selftests/config
# (+ vm/debug.config with DEBUG=1). The build lives outside the work tree in
# $KIPSEC_CACHE (default ~/.cache/kipsec), keyed by the fragments' contents,
# so a changed fragment gets a fresh build and an unchanged one is reused.
#
# Prints the build directory (usable as KDIR) on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tarball=${KIPSEC_KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
cache=${KIPSEC_CACHE:-$HOME/.cache/kipsec}
debug=${DEBUG:-0}

die() { echo "kernel.sh: $*" >&2; exit 1; }
[ -r "$tarball" ] || die "$tarball missing: run 'make deps' (package linux-source-6.12)"

fragments=("$here/base.config" "$here/../config")
[ "$debug" = 1 ] && fragments+=("$here/debug.config")

# The build depends on the source's version and the fragments, nothing else.
key=$( { dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true
	 cat "${fragments[@]}"; } | sha256sum | cut -c1-12)
src=$cache/linux-source-6.12
out=$cache/build-$key
mkdir -p "$cache"

exec 9>"$cache/.lock"
flock 9

if [ -f "$out/.kipsec-done" ]; then
	echo "$out"
	exit 0
fi

if [ ! -f "$src/.kipsec-unpacked" ]; then
	rm -rf "$src"
	tar -C "$cache" -xf "$tarball"
	touch "$src/.kipsec-unpacked"
fi

rm -rf "$out"
mkdir -p "$out"
cat "${fragments[@]}" > "$out/fragment.config"
start=$(date +%s)
make -s -C "$src" O="$out" ARCH=x86_64 KCONFIG_ALLCONFIG="$out/fragment.config" allnoconfig >&2
make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >&2

# What the fragments ask for: the last line per option, as merging does.
kconfig_requests() {
	grep -h '^CONFIG_' "$@" | awk -F= '{ want[$1] = $0 } END { for (o in want) print want[o] }'
}

# A fragment option that Kconfig silently dropped (an unmet dependency) would
# make tests fail in confusing ways later: refuse the build instead.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) want="# ${line%=n} is not set" ;;
	CONFIG_*) want=$line ;;
	*) continue ;;
	esac
	if ! grep -qxF -- "$want" "$out/.config"; then
		echo "kernel.sh: requested '$line' but .config has: $(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo nothing)" >&2
		missing=1
	fi
done < <(kconfig_requests "${fragments[@]}")
[ "$missing" = 0 ] || die "config fragment not satisfied"

make -C "$src" O="$out" ARCH=x86_64 -j"$(($(nproc) + 1))" bzImage modules >"$out/build.log" 2>&1 ||
	{ tail -40 "$out/build.log" >&2; die "kernel build failed (log: $out/build.log)"; }
echo "kernel.sh: built $out in $(($(date +%s) - start)) s" >&2
touch "$out/.kipsec-done"
echo "$out"
