#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` (selftests/demo.sh) runs inside the test VM, through
# selftests/vm/run.sh: a tour of what kipsec does today, every command
# echoed ("+ CMD") before its output. Runs in the VM's initial network
# namespace, which is fresh on every boot.
#
# A step that should succeed and fails, or one that should be refused and
# is not, is reported ("demo: FAILED: ...") and makes the script exit 1.
# Only a complete, clean run writes $KIPSEC_RESULTS/demo.ok, the success
# marker demo.sh looks for.
set -uo pipefail
export LC_ALL=C

marker=${KIPSEC_RESULTS:-/tmp}/demo.ok
rm -f "$marker"
failed=0

section() { printf '\n=== %s\n' "$*"; }
show() { printf '+ %s\n' "$*"; }
# run CMD...: echo, run, the step must succeed
run() {
	show "$*"
	"$@"
	local rc=$?
	if [ "$rc" != 0 ]; then
		echo "demo: FAILED: '$*' exited $rc"
		failed=1
	fi
	return "$rc"
}
# refused CMD...: echo, run, the step must fail with exit status 1 (the
# kernel refused it) and say why
refused() {
	show "$*"
	"$@"
	local rc=$?
	if [ "$rc" = 1 ]; then
		echo "(refused as expected: exit status $rc)"
	else
		echo "demo: FAILED: '$*' exited $rc, expected 1 (refused by the kernel)"
		failed=1
	fi
}
# check DESC CMD...: a silent verification of what the demo just showed
check() {
	local desc=$1
	shift
	if ! "$@" >/dev/null 2>&1; then
		echo "demo: FAILED: $desc"
		failed=1
	fi
}

ESP_KEY=0x0123456789abcdef0123456789abcdef01234567	# 16-byte AES key + 4-byte salt
AH_KEY=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff	# 32 bytes

section "Load the module"
run modprobe kipsec
run lsmod

section "Links: one through ip-link, one through the kipsec tool"
# stock ip(8) loads the kipsec plugin from here (make install puts it
# where Debian's ip looks by default)
export IP_LIB_DIR=$PWD/tools/kipsec/iproute2
run ip link add ipsec0 type kipsec
run kipsec link add ipsec1 if_id 7
run ip link add ipsec2 type kipsec if_id 8
run ip link set ipsec1 up
run kipsec link show
run ip -d link show ipsec1

section "Two SAs: ESP AES-GCM tunnel bound to ipsec1 (if_id 7), AH HMAC-SHA2-256 transport"
run kipsec sa add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 mode tunnel \
	enc aes-gcm-16 $ESP_KEY replay-window 64 reqid 1 if_id 7
run kipsec sa add src 198.51.100.1 dst 198.51.100.2 proto ah spi 0x2000 \
	mode transport auth hmac-sha2-256-128 $AH_KEY

section "Policies: protect 10.0.1.0/24 -> 10.0.2.0/24 through the tunnel, let IKE bypass"
run kipsec policy add dir out src 10.0.1.0/24 dst 10.0.2.0/24 if_id 7 \
	tmpl proto esp mode tunnel reqid 1 src 192.0.2.1 dst 192.0.2.2
run kipsec policy add dir out proto udp dport 500 action bypass priority 10

section "What the kernel holds (keys are never shown)"
run kipsec sa show
run kipsec -s sa show
run kipsec policy show
run kipsec -j sa show
echo

section "An SPI reserved for an IKE responder (a larval SA)"
run kipsec sa allocspi src 192.0.2.2 dst 192.0.2.1 proto esp min 0x3000 max 0x3fff timeout 600
run kipsec sa show

section "The kernel refuses what makes no sense, and says why"
# aes-gcm-16 wants 20, 28 or 36 bytes (key + salt): 8 is syntactically a
# fine key, so the tool sends it and the kernel refuses it.
refused kipsec sa add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 \
	mode tunnel enc aes-gcm-16 0x0011223344556677
refused kipsec policy add dir out dst 10.9.0.0/16 action protect

section "Limits and counts of this namespace"
run kipsec limits show

section "Deleting ipsec1 takes its SA and policy (if_id 7) with it"
run ip link del ipsec1
run kipsec link show
run kipsec sa show
run kipsec policy show
check "the ESP SA bound to if_id 7 is gone with ipsec1" \
	bash -c '! kipsec sa get dst 192.0.2.2 proto esp spi 0x1000'
check "the AH SA (no if_id) is still there" \
	kipsec sa get dst 198.51.100.2 proto ah spi 0x2000
check "the bypass policy (no if_id) is still there" \
	bash -c 'kipsec policy show | grep -q "action bypass"'
check "the protect policy of if_id 7 is gone" \
	bash -c '! kipsec policy show | grep -q "action protect"'

section "Unload: the remaining link, SAs and policies go with the module"
run rmmod kipsec
run ip -br link show
check "kipsec is unloaded" bash -c '! grep -q "^kipsec " /proc/modules'

echo
if [ "$failed" = 0 ]; then
	echo "demo: every step did what it should"
	echo ok >"$marker"
else
	echo "demo: FAILED (see 'demo: FAILED' lines above)"
fi
exit "$failed"
