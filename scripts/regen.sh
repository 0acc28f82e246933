#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate the uapi header and the kernel's netlink policies and op tables
# from Documentation/netlink/specs/kipsec.yaml with the kernel tree's YNL
# generator. With --check, regenerate into a scratch directory and fail if
# the checked-in files differ (make check runs this).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=${KSRC:?set KSRC to an unpacked linux-source-6.12 tree}
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
spec=Documentation/netlink/specs/kipsec.yaml
check=0
[ "${1:-}" = --check ] && check=1

# The generator finds its schema next to the spec's parent directory, looks
# for MAINTAINERS to find the tree's root, and names paths relative to it:
# give it the kernel's layout in a scratch directory.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Documentation/netlink/specs"
touch "$work/MAINTAINERS"
ln -s "$ksrc/Documentation/netlink/genetlink.yaml" "$work/Documentation/netlink/"
cp "$top/$spec" "$work/$spec"

status=0
for f in include/uapi/linux/kipsec.h:uapi:header \
	 net/kipsec/netlink-gen.h:kernel:header \
	 net/kipsec/netlink-gen.c:kernel:source; do
	IFS=: read -r path mode kind <<<"$f"
	mkdir -p "$work/out/$(dirname "$path")"
	(cd "$work" && /usr/bin/python3 "$gen" --mode "$mode" "--$kind" \
		--spec "$spec" -o "$work/out/$path")
	if [ "$check" = 0 ]; then
		cp "$work/out/$path" "$top/$path"
	elif ! diff -u "$top/$path" "$work/out/$path"; then
		echo "regen: $path differs from $spec; run 'make regen'" >&2
		status=1
	fi
done
exit $status
