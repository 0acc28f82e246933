#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package that the build, the tests, the demo and the
# benchmark need. Idempotent: when all are present it only checks.
set -euo pipefail

pkgs=(
	# build: module, tool, checks
	build-essential pkg-config libmnl-dev libcmocka-dev sparse
	linux-headers-amd64 dkms kmod
	# the test kernel and its generators
	linux-source-6.12 bc bison flex libelf-dev libssl-dev dwarves rsync cpio
	python3 python3-yaml python3-jsonschema
	# the VM and what runs inside it
	qemu-system-x86 iproute2 iputils-ping iperf3 tcpdump tshark util-linux
	libcap2-bin nftables jq
	# fuzzing the IKE codec (make fuzz, make check): libFuzzer and the
	# sanitizer runtimes are in libclang-rt-14-dev, which clang-14 only
	# recommends (we install without recommends); llvm: llvm-symbolizer
	clang libclang-rt-14-dev llvm
	# IKE peer and certificates
	strongswan-charon strongswan-swanctl strongswan-pki charon-systemd
	libstrongswan-standard-plugins libcharon-extra-plugins
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi
[ "$(id -u)" = 0 ] || { echo "deps: run as root to install: ${missing[*]}" >&2; exit 1; }
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
