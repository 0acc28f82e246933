#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an operator does on a Debian 12 server: DKMS builds and installs
# kipsec.ko for the stock kernel (linux-headers-amd64). Prints one TAP line.
# The kernel's version comes from the headers Debian installed, not from
# the running kernel, which on the build machines has no modules.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p')
src=/usr/src/kipsec-$ver
log=$(mktemp)

cleanup() {
	dkms remove "kipsec/$ver" --all >/dev/null 2>&1
	rm -rf "$src" "$log"
}
trap cleanup EXIT

fail() {
	echo "not ok - dkms: $1"
	sed 's/^/# /' "$log" | tail -30
	exit 1
}

[ -n "$kver" ] || fail "linux-headers-amd64 is not installed (make deps)"
cleanup
mkdir -p "$src"
# the files git tracks, as a fresh clone has them, plus uncommitted edits
git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$src")
dkms add "kipsec/$ver" >"$log" 2>&1 || fail "dkms add failed"
dkms build "kipsec/$ver" -k "$kver" >>"$log" 2>&1 || fail "dkms build for $kver failed"
dkms install "kipsec/$ver" -k "$kver" >>"$log" 2>&1 || fail "dkms install for $kver failed"
modinfo -k "$kver" -F vermagic kipsec 2>>"$log" | grep -q "^$kver " ||
	fail "modinfo finds no kipsec.ko built for $kver"
echo "ok - dkms builds and installs kipsec.ko for Debian's $kver"
