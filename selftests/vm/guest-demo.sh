#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` (selftests/demo.sh) runs inside the test VM, through
# selftests/vm/run.sh: a tour of what kipsec does today, every command
# echoed ("+ CMD") before its output. The control plane tour runs in the
# VM's initial network namespace, which is fresh on every boot; then a live
# tunnel between two namespaces joined by a veth pair, each with a kipsec
# interface and manually keyed AES-GCM SAs (random keys): a ping, a short
# iperf3 TCP run, the counters and a tcpdump of the ESP on the wire. Last,
# the main job: kipsec's IKE daemon and strongSwan's charon negotiate a
# tunnel through a kipsec interface, traffic crosses it, and `kipsec
# status` shows the IKE and CHILD SAs.
#
# A step that should succeed and fails (the ping and iperf3 through the
# tunnel included), or one that should be refused and is not, is reported
# ("demo: FAILED: ...") and makes the script exit 1.
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

# ------------------------------------------------------------ a live tunnel
# Two namespaces, west and east, joined by a veth pair (outer 192.0.2.1 and
# .2); in each a kipsec interface ipsec0 (if_id 1, underlay veth0) with an
# inner address (10.0.0.1 and .2) and a route to the other's. One SA per
# direction, AES-GCM-16 with fresh random keys, the same pair on both sides.
W=west
E=east
SPI_WE=0x1000	# west -> east
SPI_EW=0x2000	# east -> west
T=$(mktemp -d /tmp/kipsec-demo.XXXXXX)
CAP_PID='' SRV_PID=''
tunnel_cleanup() {
	[ -n "$CAP_PID" ] && kill "$CAP_PID" 2>/dev/null
	[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$W" 2>/dev/null
	ip netns del "$E" 2>/dev/null
	rm -rf "$T"
}
trap tunnel_cleanup EXIT

# key BYTES: random hex from /dev/urandom, 0x-prefixed
key() { printf '0x%s' "$(od -An -v -tx1 -N"$1" /dev/urandom | tr -d ' \n')"; }
# sa_counted NS SPI DST: the SA's packet counter shows real traffic
sa_counted() {
	local n
	n=$(kipsec -n "$1" -j -s sa get dst "$3" proto esp spi "$2" | jq -r .stats.packets)
	[ "$n" -ge 100 ]
}
# wait_for SECS CMD...: poll CMD every 0.1 s until it succeeds
wait_for() {
	local i n=$(($1 * 10))
	shift
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

section "A live tunnel: namespaces $W and $E joined by a veth pair"
run ip netns add "$W"
run ip netns add "$E"
run ip link add veth0 netns "$W" type veth peer name veth0 netns "$E"
run ip -n "$W" addr add 192.0.2.1/24 dev veth0
run ip -n "$E" addr add 192.0.2.2/24 dev veth0
run ip -n "$W" link set veth0 up
run ip -n "$E" link set veth0 up

section "In each, a kipsec interface: inner address, route to the other side"
# side NS LOCAL REMOTE: ipsec0 on veth0, LOCAL/32 on it, REMOTE/32 through it
side() {
	run kipsec -n "$1" link add ipsec0 if_id 1 underlay veth0
	run ip -n "$1" addr add "$2/32" dev ipsec0
	run ip -n "$1" link set ipsec0 up
	run ip -n "$1" route add "$3/32" dev ipsec0
}
side "$W" 10.0.0.1 10.0.0.2
side "$E" 10.0.0.2 10.0.0.1
run kipsec -n "$W" link show

section "SAs: AES-GCM-16, 128-bit keys + salt fresh from /dev/urandom, one per direction"
KEY_WE=$(key 20)
KEY_EW=$(key 20)
for ns in "$W" "$E"; do
	run kipsec -n "$ns" sa add src 192.0.2.1 dst 192.0.2.2 proto esp \
		spi $SPI_WE mode tunnel enc aes-gcm-16 "$KEY_WE" \
		replay-window 64 if_id 1 reqid 1
	run kipsec -n "$ns" sa add src 192.0.2.2 dst 192.0.2.1 proto esp \
		spi $SPI_EW mode tunnel enc aes-gcm-16 "$KEY_EW" \
		replay-window 64 if_id 1 reqid 1
done

section "Policies: 10.0.0.1 <-> 10.0.0.2 through the tunnel, in both namespaces"
# policies NS LOCAL REMOTE LOCAL_OUTER REMOTE_OUTER
policies() {
	run kipsec -n "$1" policy add dir out src "$2/32" dst "$3/32" if_id 1 \
		action protect tmpl proto esp mode tunnel reqid 1 src "$4" dst "$5"
	run kipsec -n "$1" policy add dir in src "$3/32" dst "$2/32" if_id 1 \
		action protect tmpl proto esp mode tunnel reqid 1 src "$5" dst "$4"
}
policies "$W" 10.0.0.1 10.0.0.2 192.0.2.1 192.0.2.2
policies "$E" 10.0.0.2 10.0.0.1 192.0.2.2 192.0.2.1
run kipsec -n "$W" policy show

section "Ping $E's inner address from $W, through the tunnel (tcpdump on $W's veth0)"
# IPv4 only: the veths' own IPv6 chatter (MLD, router solicitations) and
# ARP are beside the point
show "ip netns exec $W tcpdump -Z root -n -U -i veth0 -w $T/esp.pcap ip &"
ip netns exec "$W" tcpdump -Z root -n -U -i veth0 -w "$T/esp.pcap" ip 2>"$T/tcpdump.err" &
CAP_PID=$!
wait_for 20 grep -q "listening on" "$T/tcpdump.err" ||
	{ echo "demo: FAILED: tcpdump did not start: $(cat "$T/tcpdump.err")"; failed=1; }
show "ip netns exec $W ping -n -c 3 -i 0.2 -W 5 10.0.0.2"
ip netns exec "$W" ping -n -c 3 -i 0.2 -W 5 10.0.0.2 >"$T/ping.out" 2>&1
rc=$?
cat "$T/ping.out"
if [ "$rc" != 0 ] || ! grep -q '^3 packets transmitted, 3 received' "$T/ping.out"; then
	echo "demo: FAILED: ping through the tunnel (exit $rc): not 3 of 3 answered"
	failed=1
fi
sleep 0.5
kill -INT "$CAP_PID" 2>/dev/null
wait "$CAP_PID" 2>/dev/null
CAP_PID=
echo
echo "What the wire between them carried (IPv4): ESP only, SPI $SPI_WE out and $SPI_EW back,"
echo "the sequence numbers counting up; the pings themselves are inside, encrypted."
run tcpdump -n -r "$T/esp.pcap" 2>/dev/null
spi8() { printf 'spi=0x%08x' "$1"; }
check "tcpdump shows ESP with SPI $SPI_WE ($W -> $E)" \
	bash -c "tcpdump -n -r '$T/esp.pcap' 2>/dev/null | grep -q '192.0.2.1 > 192.0.2.2: ESP($(spi8 $SPI_WE)'"
check "tcpdump shows ESP with SPI $SPI_EW ($E -> $W)" \
	bash -c "tcpdump -n -r '$T/esp.pcap' 2>/dev/null | grep -q '192.0.2.2 > 192.0.2.1: ESP($(spi8 $SPI_EW)'"
check "no ICMP in clear on the wire" \
	bash -c "! tcpdump -n -r '$T/esp.pcap' 2>/dev/null | grep -q ICMP"

section "TCP through the tunnel: iperf3 for 3 seconds, $W -> $E"
show "ip netns exec $E iperf3 -s -1 -B 10.0.0.2 &"
ip netns exec "$E" iperf3 -s -1 -B 10.0.0.2 >"$T/iperf3-server.out" 2>&1 &
SRV_PID=$!
wait_for 20 bash -c "ip netns exec $E ss -Hltn 'sport = :5201' | grep -q 5201" ||
	{ echo "demo: FAILED: the iperf3 server did not start: $(cat "$T/iperf3-server.out")"; failed=1; }
run timeout 60 ip netns exec "$W" iperf3 -c 10.0.0.2 -t 3 -f m --connect-timeout 10000
# the server (-1) ends after one test; not if the client never reached it
wait_for 5 bash -c "! kill -0 $SRV_PID" || kill "$SRV_PID" 2>/dev/null
wait "$SRV_PID" 2>/dev/null
SRV_PID=

section "Counters: what each SA protected (bytes of inner packets), what each interface sent"
run kipsec -n "$W" -s sa show
run ip -n "$W" -s link show ipsec0
run ip -n "$E" -s link show ipsec0
echo
echo "Why $W or $E dropped packets, if they did (kipsec stats; all 0 is good):"
paste <(kipsec -n "$W" stats) <(kipsec -n "$E" stats) |
	awk 'BEGIN { printf "  %-18s %8s %8s\n", "", "'"$W"'", "'"$E"'" }
	     { printf "  %-18s %8s %8s\n", $1, $2, $4 }'
for dir in "$SPI_WE 192.0.2.2" "$SPI_EW 192.0.2.1"; do
	read -r spi dst <<<"$dir"
	check "SA $spi counted the traffic in $W" sa_counted "$W" "$spi" "$dst"
	check "SA $spi counted the traffic in $E" sa_counted "$E" "$spi" "$dst"
done

section "Deleting the namespaces takes their links, SAs and policies with them"
run ip netns del "$W"
run ip netns del "$E"

# ------------------------------------------------------------ IKE with charon
# kipsec's IKE daemon in namespace moon, strongSwan's charon (native XFRM)
# in sun: they negotiate the tunnel (PSK, IKE AES-256/SHA-256/MODP-2048,
# ESP AES-GCM with PFS over ECP-256) and kipsec installs its CHILD_SA,
# bound to moon's kipsec interface ipsec0. Configs: selftests/demo/.
M=moon S=sun
IKE=$T/ike
CHARON_PID='' IKED_PID=''
ike_cleanup() {
	[ -n "$IKED_PID" ] && kill "$IKED_PID" 2>/dev/null
	[ -n "$CHARON_PID" ] && kill "$CHARON_PID" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$M" 2>/dev/null
	ip netns del "$S" 2>/dev/null
	tunnel_cleanup
}
trap ike_cleanup EXIT
mkdir -p "$IKE"/swanctl/{x509,x509ca,private,rsa,ecdsa,pkcs8,pkcs12,x509crl,pubkey,conf.d}
sed "s|@DIR@|$IKE|g" selftests/demo/sun-strongswan.conf >"$IKE/strongswan.conf"
cp selftests/demo/sun-swanctl.conf "$IKE/swanctl/swanctl.conf"
swanctl_sun() {
	ip netns exec "$S" env STRONGSWAN_CONF="$IKE/strongswan.conf" \
		SWANCTL_DIR="$IKE/swanctl" swanctl "$@"
}
# the control socket is a file: reachable from any namespace
kctl() { kipsec --control "$IKE/ike.sock" "$@"; }
child_spi() {	# spi_in|spi_out of moon's CHILD_SA
	kctl -j status | jq -r ".ike_sas[0].child_sas[0].$1"
}
ike_up() {
	kctl -j status | jq -e '.ike_sas[0].state == "ESTABLISHED" and
				.ike_sas[0].child_sas[0].state == "INSTALLED"'
}
# (grep -c, not -q: an early exit would kill the writer, and pipefail
# would report that)
charon_has_spi() { [ "$(swanctl_sun --list-sas --raw | grep -c "spi-in=${1#0x}")" -gt 0 ]; }
charon_no_sa() { [ "$(swanctl_sun --list-sas --raw | grep -c ESTABLISHED)" = 0 ]; }
on_wire() { [ "$(tcpdump -n -r "$IKE/wire.pcap" 2>/dev/null | grep -c "ESP(spi=$1")" -gt 0 ]; }

section "IKE: kipsec's daemon in $M, strongSwan's charon in $S"
run ip netns add "$M"
run ip netns add "$S"
run ip link add eth0 netns "$M" type veth peer name eth0 netns "$S"
run ip -n "$M" addr add 192.168.0.1/24 dev eth0
run ip -n "$S" addr add 192.168.0.2/24 dev eth0
run ip -n "$M" link set eth0 up
run ip -n "$S" link set eth0 up
for ns in "$M:10.1.0.1" "$S:10.2.0.1"; do
	run ip -n "${ns%:*}" link add lan0 type dummy
	run ip -n "${ns%:*}" addr add "${ns#*:}/16" dev lan0
	run ip -n "${ns%:*}" link set lan0 up
done
echo "moon routes 10.2.0.0/16 into its kipsec interface; sun (policy-based XFRM) over eth0:"
run kipsec -n "$M" link add ipsec0 underlay eth0
run ip -n "$M" link set ipsec0 up
run ip -n "$M" route add 10.2.0.0/16 dev ipsec0 src 10.1.0.1
run ip -n "$S" route add 10.1.0.0/16 via 192.168.0.1 src 10.2.0.1

section "Start charon in $S and kipsec ike in $M"
show "ip netns exec $S charon-systemd &"
ip netns exec "$S" env STRONGSWAN_CONF="$IKE/strongswan.conf" \
	/usr/sbin/charon-systemd >"$IKE/charon.out" 2>&1 &
CHARON_PID=$!
wait_for 30 test -S "$IKE/charon.vici" ||
	{ echo "demo: FAILED: charon did not start"; failed=1; }
run swanctl_sun --load-all
run cat selftests/demo/moon.conf
run kipsec ike --check selftests/demo/moon.conf
show "ip netns exec $M kipsec ike --config selftests/demo/moon.conf --control $IKE/ike.sock &"
ip netns exec "$M" kipsec ike --config selftests/demo/moon.conf \
	--control "$IKE/ike.sock" >"$IKE/kipsec-ike.log" 2>&1 &
IKED_PID=$!
wait_for 30 test -S "$IKE/ike.sock" ||
	{ echo "demo: FAILED: kipsec ike did not start: $(cat "$IKE/kipsec-ike.log")"; failed=1; }

section "kipsec up: IKE_SA_INIT, IKE_AUTH, then a CHILD_SA rekey that proves PFS"
show "ip netns exec $M tcpdump -Z root -n -U -i eth0 -w $IKE/wire.pcap ip &"
ip netns exec "$M" tcpdump -Z root -n -U -i eth0 -w "$IKE/wire.pcap" ip 2>"$IKE/tcpdump.err" &
CAP_PID=$!
wait_for 20 grep -q "listening on" "$IKE/tcpdump.err"
run timeout 90 kipsec --control "$IKE/ike.sock" up sun
run ip netns exec "$M" ping -n -c 3 -i 0.2 -W 5 10.2.0.1
show "ip netns exec $S iperf3 -s -1 -B 10.2.0.1 &"
ip netns exec "$S" iperf3 -s -1 -B 10.2.0.1 >"$IKE/iperf3-server.out" 2>&1 &
SRV_PID=$!
wait_for 20 bash -c "ip netns exec $S ss -Hltn 'sport = :5201' | grep -q 5201"
run timeout 60 ip netns exec "$M" iperf3 -c 10.2.0.1 -B 10.1.0.1 -t 3 -f m --connect-timeout 10000
wait_for 5 bash -c "! kill -0 $SRV_PID" || kill "$SRV_PID" 2>/dev/null
wait "$SRV_PID" 2>/dev/null
SRV_PID=
sleep 0.5
kill -INT "$CAP_PID" 2>/dev/null
wait "$CAP_PID" 2>/dev/null
CAP_PID=

section "What each side says: kipsec status, charon's swanctl --list-sas, the kernel's SAs"
run kctl status
run kctl -j status
run swanctl_sun --list-sas
run kipsec -n "$M" -s sa show
run ip -n "$M" -s link show ipsec0
SPI_IN=$(child_spi spi_in)
SPI_OUT=$(child_spi spi_out)
echo
echo "The wire: IKE on UDP 500, then ESP with the CHILD_SA's SPIs ($SPI_OUT out, $SPI_IN back):"
tcpdump -n -r "$IKE/wire.pcap" 2>/dev/null | grep -E "isakmp|ESP" | awk '{ $1 = ""; print }' | uniq -c | head -n 20
check "kipsec status: the IKE SA is ESTABLISHED and its CHILD_SA INSTALLED" ike_up
check "charon has the same CHILD_SA (its spi-in is our spi_out, $SPI_OUT)" \
	charon_has_spi "$SPI_OUT"
check "ESP with our outbound SPI on the wire" on_wire "$SPI_OUT"
check "ESP with our inbound SPI on the wire" on_wire "$SPI_IN"

section "kipsec down: the Delete reaches charon, both sides remove their SAs"
run kctl down sun
wait_for 10 charon_no_sa
run swanctl_sun --list-sas
check "charon has no IKE SA left" charon_no_sa
echo
echo "kipsec ike's log:"
cat "$IKE/kipsec-ike.log"
kill "$IKED_PID" "$CHARON_PID" 2>/dev/null
wait "$IKED_PID" "$CHARON_PID" 2>/dev/null
IKED_PID='' CHARON_PID=''
run ip netns del "$M"
run ip netns del "$S"

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
