#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IKEv2 interoperability of `kipsec ike` with strongSwan's charon. Two
# namespaces joined by a veth: "moon" (192.168.0.1, protects 10.1.0.0/16)
# runs the IKE peer under test, "sun" (192.168.0.2, protects 10.2.0.0/16)
# runs charon-systemd with kernel-netlink (native XFRM). The peer under
# test is KIPSEC_IKE_PEER:
#
#   kipsec (default)  `kipsec ike --config FILE --control SOCK`, its SAs
#                     and policies in kipsec.ko;
#   charon            a second charon-systemd configured the same way. Every
#                     case passes charon <-> charon: that proves the harness.
#
# Both sides get the same settings in the swanctl.conf vocabulary
# (selftests/ike/*.conf.in); selftests/ike/peer.sh hides which program runs
# moon, selftests/ike/net.sh has the topology, traffic and capture helpers.
#
# Cases. A connection that comes up must carry traffic: pings both ways,
# a 200 KB TCP transfer each way with its sha256 checked at the receiver,
# and egress captures on the link that show ESP (UDP-encapsulated behind
# the NAT) with exactly the SPIs the two sides report, and nothing of the
# protected traffic in clear.
#
#   1. psk: IKE aes256-sha256-modp2048, ESP aes128gcm16-ecp256 (the group is
#      for PFS at rekeying only), tunnel 10.1.0.0/16 <-> 10.2.0.0/16; moon
#      initiates, then (fresh daemons) sun initiates;
#   2. certificates: an RSA and an ECDSA test CA (selftests/ike/pki.sh),
#      identities moon.test and sun.test as subjectAltName; moon initiates;
#   3. transport mode between 192.168.0.1 and 192.168.0.2, ESP aes128-sha256
#      (CBC + HMAC);
#   4. rekeying under two UDP streams (datagrams 50 ms apart) that must
#      not lose a datagram: sun rekeys the CHILD_SA, the IKE_SA, the CHILD_SA
#      again (swanctl --rekey); SPIs change and both sides agree; then
#      moon rekeys by itself (child rekey_time 40 s);
#   5. DPD: moon (dpd_delay 5 s, dpd_action clear) notices that sun's charon
#      died (SIGKILL) within DPD_BOUND seconds and clears its SAs;
#   6. start_action = trap: moon's first packet to sun's subnet starts the
#      negotiation (ACQUIRE), later ones pass;
#   7. NAT-T: moon behind an nftables NAT namespace (4500 -> 4600); ESP in
#      UDP on port 4500;
#   8. misconfigurations, each side initiating in turn: wrong PSK, DH group,
#      IKE cipher and traffic selectors mismatches, an IKE version mismatch
#      (sun's connection IKEv1 only); PFS mismatch (seen at
#      the first CHILD_SA rekeying). charon's log lines (charon-peer.md's
#      table) prove the harness provoked the failure; moon must say why
#      (kipsec: the diagnostics table below);
#   9. Wireshark (kipsec only: charon writes no key files; reported as a
#      SKIP with KIPSEC_IKE_PEER=charon): with `kipsec ike --wireshark-keys`
#      tshark decrypts a capture of the link, IKE_AUTH and ESP both ways,
#      and without the keys it does not (selftests/ike/wireshark.sh);
#  10. two CHILD_SAs in one IKE_SA, each side initiating: each carries its
#      own subnets' traffic; rekeying one leaves the other alone, deleting
#      one leaves the other working (selftests/ike/children.sh);
#  11. rekey collisions, of the CHILD_SA and of the IKE_SA: both sides
#      rekey at once, a relay between them makes the requests cross; one
#      SA survives on both sides, charon logs the collision, UDP streams
#      lose nothing (selftests/ike/collision.sh, selftests/ike/relay.py);
#  12. an eager responder: charon sends on the CHILD_SA it created in
#      IKE_AUTH while the relay holds its answer to moon; kipsec.ko holds
#      those packets until the SA is keyed, and a UDP stream loses nothing
#      (kipsec only; selftests/ike/eager.sh);
#  13. IKEv1: sun's charon initiates Main Mode and Quick Mode (PSK), tunnel
#      without PFS, transport with PFS; traffic; Delete
#      (selftests/ike/ikev1.sh).
#
# Every case cleans up (daemons, background jobs, namespaces) in case_end,
# which the EXIT trap runs too. Waits poll with generous bounds (TCG).
#
# Environment: KIPSEC_IKE_PEER (above); KIPSEC_IKE_FILTER, an ERE over case
# names (development); KIPSEC_IKE_DEBUG=1 runs `kipsec ike --debug`;
# KIPSEC_IKE_ARGS, the daemon's other options (selftests/ike/peer.sh);
# KIPSEC_IKE_MUTATE="SIDE.KEY=VALUE ..." overrides settings of every case
# (development: e.g. moon.PSK=x must make the PSK cases fail);
# KIPSEC_IKE_TIMING=1 adds the time into the case to each result. In the
# VM a failed case's files (configurations, logs, captures) are copied to
# the results directory, kipsec-ike/CASE (KIPSEC_IKE_KEEP=1: every case's).
#
# Tools: iproute2, iputils ping, tcpdump, nft, jq, charon-systemd, swanctl,
# pki (strongswan-pki), tshark, Debian's /usr/bin/python3
# (selftests/datapath/*.py, selftests/ike/relay.py). A missing one is a
# failure.

# One compound command: bash reads it whole before running any of it, so
# the file can change (an edit, a checkout) while a run is in progress.
# shellcheck disable=SC2317 # (the exit at its end hides every function)
# shellcheck disable=SC2016 # (eval'd test code is in single quotes on purpose)
# shellcheck source-path=SCRIPTDIR
{

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=ike/net.sh
. "$TOP/selftests/ike/net.sh"
# shellcheck source=ike/peer.sh
. "$TOP/selftests/ike/peer.sh"

PEER=${KIPSEC_IKE_PEER:-kipsec}
FILTER=${KIPSEC_IKE_FILTER:-}
CASE_NOTE="peer under test: $PEER"

# KIPSEC_IKE_TIMING=1: each result line is followed by the seconds since
# the case began (development).
[ "${KIPSEC_IKE_TIMING:-0}" = 1 ] && case_timing

PSK=kipsec-ike-test-0123456789
DPD_DELAY=5		# seconds, moon's dpd_delay in the DPD case
DPD_BOUND=60		# seconds moon may take to clear the SAs of a dead peer

# ---------------------------------------------------------------- diagnostics
# What each misconfiguration must make the two sides log (ERE, matched
# case-insensitively against the log since the attempt began).
#
# DIAG_K: what `kipsec ike` must say, in its log or in `kipsec status`,
# whichever role it has. These are the diagnostics the IKE issue specifies
# (which parameter differs; for a wrong PSK the most likely cause). Lenient
# on purpose: edit them here when the wording settles.
declare -A DIAG_K=(
	[psk]='pre-shared keys? (most likely )?differ'
	[dh]='key exchange method differs'
	[cipher]='encryption algorithm differs'
	[ts]='traffic selectors?'
	[pfs]='PFS|key exchange method'
	[version]='IKE version mismatch: .* IKEv1 Main Mode request; connection gw is version = 2|IKEv1 only'
	# not from the issue: moon's reason for clearing the SAs in the DPD case
	[dpd]='dead|DPD|not responding|retransmi|liveness'
)
# DIAG_R, DIAG_I: what charon logs as the responder and as the initiator
# (charon-peer.md's table, checked in the VM with strongSwan 5.9.8).
declare -A DIAG_R=(
	[psk]='tried [0-9]+ shared keys? .* but MAC mismatched'
	[dh]='no acceptable KEY_EXCHANGE_METHOD found'
	[cipher]='no acceptable ENCRYPTION_ALGORITHM found'
	[ts]='traffic selectors .* unacceptable'
	[pfs]='no acceptable proposal found'
	[version]='no IKE config found for'
)
declare -A DIAG_I=(
	[psk]='received AUTHENTICATION_FAILED notify error'
	[dh]='received NO_PROPOSAL_CHOSEN notify error'
	[cipher]='received NO_PROPOSAL_CHOSEN notify error'
	[ts]='received TS_UNACCEPTABLE notify'
	[pfs]='received NO_PROPOSAL_CHOSEN notify'
	[version]='received NO_PROPOSAL_CHOSEN (error )?notify'
	[dpd]='giving up after [0-9]+ retransmits'
)

# ---------------------------------------------------------------- prerequisites
# (ip, ping, tcpdump, nft, timeout, sha256sum, python3: traffic.sh)
need jq jq
need charon-systemd charon-systemd
need swanctl strongswan-swanctl
need pki strongswan-pki
need tshark tshark
case $PEER in
charon) ;;
kipsec)
	module_check
	tool_check
	: >"$TMPD/empty.conf"
	run "$KIPSEC" ike --check "$TMPD/empty.conf"
	# 0 or 1 (an empty configuration may be refused); 2 is a usage error
	[ "$RC" -le 1 ] || bail "kipsec ike is not available (kipsec ike --check: exit $RC): $OUT"
	;;
*) bail "KIPSEC_IKE_PEER=$PEER: expected kipsec or charon" ;;
esac

# ---------------------------------------------------------------- settings
# cfg_net: case 1's connection "gw" with child "net": PSK, IKE
# aes256-sha256-modp2048, ESP aes128gcm16-ecp256, tunnel mode
# 10.1.0.0/16 <-> 10.2.0.0/16 between 192.168.0.1 and 192.168.0.2. The
# other cases change what they need.
cfg_net() {
	cfg_reset
	cfg both VERSION=2 CONN=gw CHILD=net AUTH=psk PSK="$PSK" MODE=tunnel \
		PROPOSALS=aes256-sha256-modp2048 ESP_PROPOSALS=aes128gcm16-ecp256 &&
	cfg moon LOCAL_ADDRS=$MOON_IP REMOTE_ADDRS=$SUN_IP \
		LOCAL_ID=moon.test REMOTE_ID=sun.test \
		LOCAL_TS=10.1.0.0/16 REMOTE_TS=10.2.0.0/16 &&
	cfg sun LOCAL_ADDRS=$SUN_IP REMOTE_ADDRS=$MOON_IP \
		LOCAL_ID=sun.test REMOTE_ID=moon.test \
		LOCAL_TS=10.2.0.0/16 REMOTE_TS=10.1.0.0/16
}

# setup direct|nat: the topology, then both daemons with the settings made.
setup() {
	"topo_$1" || return 1
	peers
	peers_start
}

# up SIDE CONN CHILD: SIDE initiates; both sides report the IKE_SA
# ESTABLISHED and the CHILD_SA INSTALLED within T_UP, and agree on it.
up() {
	peer_up "$@"
	if both_established "$2" "$3" && settled "$3"; then
		return 0
	fi
	diag "initiation on $1: $(cat "${SIDE_DIR[$1]}/initiate.log" 2>/dev/null)"
	return 1
}

# settled CHILD: both sides agree on one CHILD_SA (within 30 s). An
# initiator may rekey at once: kipsec ike does, when the child's proposals
# have a key exchange method, to find a PFS mismatch at the start; charon
# as responder lists both CHILD_SAs until the old one is deleted.
settled() {
	local child=$1
	poll 30 eval 'agree "$child" >/dev/null' || agree "$child"
}

# initiator SIDE CONN: SIDE initiated the IKE_SA, in sun's eyes (charon
# always says) and in moon's if it says.
initiator() {
	local want_sun=responder want_moon=initiator role
	[ "$1" = sun ] && { want_sun=initiator; want_moon=responder; }
	eq "sun's role in IKE_SA $2" "$want_sun" "$(ike_role sun "$2")" || return 1
	role=$(ike_role moon "$2")
	[ "$role" = - ] && return 0
	eq "moon's role in IKE_SA $2" "$want_moon" "$role"
}

# ---------------------------------------------------------------- traffic
# agree CHILD: each side reports one INSTALLED CHILD_SA CHILD, moon's
# inbound SPI is sun's outbound one and the other way round; their SPIs
# in SPIS_M ("IN OUT", moon's) and SPIS_S.
SPIS_M='' SPIS_S=''
agree() {
	local mi mo si so
	SPIS_M=$(child_spis moon gw "$1")
	SPIS_S=$(child_spis sun gw "$1")
	if [ "$(wc -l <<<"$SPIS_M")" != 1 ] || [ "$(wc -l <<<"$SPIS_S")" != 1 ] ||
	   [ -z "$SPIS_M" ] || [ -z "$SPIS_S" ]; then
		diag "CHILD_SA $1 INSTALLED: moon '${SPIS_M//$'\n'/, }', sun '${SPIS_S//$'\n'/, }' (one each expected)"
		return 1
	fi
	read -r mi mo <<<"$SPIS_M"
	read -r si so <<<"$SPIS_S"
	eq "moon's inbound SPI = sun's outbound SPI" "$mi" "$so" &&
	eq "moon's outbound SPI = sun's inbound SPI" "$mo" "$si"
}

# wire_ok MODE CHILD: the captures of `traffic` against the SPIs the sides
# report. tunnel, transport: bare ESP 192.168.0.1 <-> 192.168.0.2; nat:
# ESP in UDP, moon 172.16.0.1:4500 -> the NAT 192.168.0.254:4600 -> sun
# 192.168.0.2:4500 and back. At least 100 ESP packets each way (200 KB of
# TCP is more than 140 segments), no bare ESP behind the NAT, and nothing
# of the protected traffic in clear.
wire_ok() {
	local mode=$1 r=0 mo so w kind m2s s2m n x
	local cm=$CDIR/cap-moon cs=$CDIR/cap-sun cn=$CDIR/cap-nat
	agree "$2" || return 1
	mo=${SPIS_M#* } so=${SPIS_S#* }
	wire "$cm" >"$cm.w"
	wire "$cs" >"$cs.w"
	if [ "$mode" = nat ]; then
		wire "$cn" >"$cn.w"
		kind=udpesp
		m2s="$MOON_PRIV.4500 $SUN_IP.4500"
		s2m="$SUN_IP.4500 $NAT_PUB.4600"
		# shellcheck disable=SC2086 # two words
		eq "ESP in UDP the NAT forwarded $NAT_PUB:4600 -> $SUN_IP:4500 (SPIs)" "$mo" \
			"$(spis "$cn.w" udpesp $NAT_PUB.4600 $SUN_IP.4500)" || r=1
		for w in "$cm.w" "$cn.w" "$cs.w"; do
			x=$(grep -E '^esp ' "$w" | head -n 3)
			[ -z "$x" ] || { diag "bare ESP with a NAT on the path ($w): $x"; r=1; }
		done
	else
		kind=esp
		m2s="$MOON_IP $SUN_IP"
		s2m="$SUN_IP $MOON_IP"
	fi
	# shellcheck disable=SC2086 # two words
	{
		eq "$kind moon -> sun ($m2s): SPIs" "$mo" "$(spis "$cm.w" $kind $m2s)" || r=1
		eq "$kind sun -> moon ($s2m): SPIs" "$so" "$(spis "$cs.w" $kind $s2m)" || r=1
		n=$(npk "$cm.w" $kind $m2s "$mo")
		[ "$n" -ge 100 ] || { diag "only $n ESP packets moon -> sun"; r=1; }
		n=$(npk "$cs.w" $kind $s2m "$so")
		[ "$n" -ge 100 ] || { diag "only $n ESP packets sun -> moon"; r=1; }
	}
	for w in "$cm.w" "$cs.w" "$cn.w"; do
		[ "$mode" = nat ] || [ "$w" != "$cn.w" ] || continue
		x=$(in_clear "$w" "$MOON_IN" "$SUN_IN")
		[ -z "$x" ] || { diag "in clear on the wire ($w):"; diag "$x"; r=1; }
	done
	return "$r"
}

# traffic LABEL MODE CHILD: pings both ways, TCP both ways, the wire.
traffic() {
	local l=$1 mode=$2 child=$3 ma=$MOON_IN sa=$SUN_IN caps
	[ "$mode" = transport ] && { ma=$MOON_IP; sa=$SUN_IP; }
	rm -f "$CDIR/cap-nat"
	caps=("$CDIR/cap-moon" "$CDIR/cap-sun")
	if [ "$mode" = nat ]; then
		caps+=("$CDIR/cap-nat")
		cap_start "$NAT" pub "$CDIR/cap-nat" -Q out || { not_ok "$l: tcpdump"; return 1; }
	fi
	if ! cap_start "$MOON" eth0 "$CDIR/cap-moon" -Q out ||
	   ! cap_start "$SUN" eth0 "$CDIR/cap-sun" -Q out; then
		not_ok "$l: tcpdump"
		return 1
	fi
	ti "$l: ping moon -> sun ($sa) and sun -> moon ($ma), 3 each" \
		eval 'ping3 "$MOON" "$sa" && ping3 "$SUN" "$ma"'
	ti "$l: TCP 200 KB moon -> sun, sha256 checked at sun" \
		xfer "$MOON" "$sa" "$l-ms" "$CDIR/sink-sun"
	ti "$l: TCP 200 KB sun -> moon, sha256 checked at moon" \
		xfer "$SUN" "$ma" "$l-sm" "$CDIR/sink-moon"
	cap_stop "${caps[@]}"
	ti "$l: wire: $([ "$mode" = nat ] && echo "ESP in UDP (port 4500)" || echo ESP) with the SPIs both sides report, nothing in clear" \
		wire_ok "$mode" "$child"
}

# ---------------------------------------------------------------- 1. PSK
case_psk() {	# INITIATOR
	case_begin "psk-$1-initiates" || return 0
	cfg_net
	if ti "psk-$1: moon ($PEER) and sun (charon) running, connection loaded" setup direct &&
	   ti "psk-$1: $1 initiates: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		up "$1" gw net; then
		t "psk-$1: $1 is the IKE initiator" initiator "$1" gw
		traffic "psk-$1" tunnel net
	fi
	case_end
}

# ---------------------------------------------------------------- 2. certificates
# pki_start: the test PKI for both certificate cases, made in the
# background from the start: its RSA key generation can take two minutes
# under TCG, while the cases before it mostly wait.
PKI_PID=
pki_start() {
	{ "$TOP/selftests/ike/pki.sh" "$TMPD/pki" && touch "$TMPD/pki.ok"; } \
		>"$TMPD/pki.log" 2>&1 &
	PKI_PID=$!
	bg_track "$PKI_PID"
}
pki_ready() {
	[ -e "$TMPD/pki.ok" ] && return 0
	[ -n "$PKI_PID" ] || pki_start
	wait "$PKI_PID"
	[ -e "$TMPD/pki.ok" ] && return 0
	diag "selftests/ike/pki.sh failed: $(cat "$TMPD/pki.log" 2>&1)"
	return 1
}

case_cert() {	# rsa|ecdsa
	local p=$TMPD/pki/$1
	case_begin "cert-$1" || return 0
	cfg_net
	cfg both AUTH=pubkey PSK= CACERT="$p/caCert.pem"
	cfg moon LOCAL_CERT="$p/moonCert.pem" LOCAL_KEY="$p/moonKey.pem"
	cfg sun LOCAL_CERT="$p/sunCert.pem" LOCAL_KEY="$p/sunKey.pem"
	if ti "cert-$1: test PKI, moon and sun running with their certificates" \
		eval 'pki_ready && setup direct' &&
	   ti "cert-$1, moon initiates: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		up moon gw net; then
		traffic "cert-$1" tunnel net
	fi
	case_end
}

# ---------------------------------------------------------------- 3. transport
case_transport() {
	case_begin transport || return 0
	cfg_net
	cfg both CHILD=host MODE=transport ESP_PROPOSALS=aes128-sha256
	cfg moon LOCAL_TS=$MOON_IP/32 REMOTE_TS=$SUN_IP/32
	cfg sun LOCAL_TS=$SUN_IP/32 REMOTE_TS=$MOON_IP/32
	if ti "transport: moon and sun running, ESP aes128-sha256 in transport mode" setup direct &&
	   ti "transport, moon initiates: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		up moon gw host; then
		traffic transport transport host
	fi
	case_end
}

# ---------------------------------------------------------------- 4. rekeying
# streams_begin: UDP sinks on both sides, captures, a stream each way; back
# once both streams demonstrably pass.
streams_begin() {
	udp_sink "$MOON" usink-moon
	udp_sink "$SUN" usink-sun
	udp_sink_wait usink-moon && udp_sink_wait usink-sun || return 1
	cap_start "$MOON" eth0 "$CDIR/rcap-moon" -Q out &&
	cap_start "$SUN" eth0 "$CDIR/rcap-sun" -Q out || return 1
	stream_start "$MOON" "$SUN_IN" ms
	stream_start "$SUN" "$MOON_IN" sm
	streams_flow 10
}
# streams_flow N: both sinks got N more datagrams than when called.
streams_flow() {
	local m0 s0 n=$1
	m0=$(wc -l <"$CDIR/usink-moon")
	s0=$(wc -l <"$CDIR/usink-sun")
	poll 30 eval '[ "$(wc -l <"$CDIR/usink-moon")" -ge $((m0 + n)) ] &&
		[ "$(wc -l <"$CDIR/usink-sun")" -ge $((s0 + n)) ]' && return 0
	diag "the UDP streams do not flow: moon got $(($(wc -l <"$CDIR/usink-moon") - m0)), sun $(($(wc -l <"$CDIR/usink-sun") - s0)) datagrams"
	return 1
}
# streams_end: stop the streams and the captures.
streams_end() {
	stream_stop ms
	stream_stop sm
	cap_stop "$CDIR/rcap-moon" "$CDIR/rcap-sun"
}

# GENS_M, GENS_S: the SPIs ("IN OUT") of each CHILD_SA generation so far.
GENS_M=() GENS_S=()
gen_add() { GENS_M+=("$SPIS_M"); GENS_S+=("$SPIS_S"); }

# rekeyed CHILD: both sides agree on a CHILD_SA whose SPIs differ from
# every earlier generation's; it becomes the next generation.
rekeyed() {
	local g
	agree "$1" >/dev/null || return 1
	# (agree: sun's SPIs are moon's the other way round)
	for g in "${GENS_M[@]}"; do
		if [ "${g% *}" = "${SPIS_M% *}" ] || [ "${g#* }" = "${SPIS_M#* }" ]; then
			return 1
		fi
	done
	return 0
}
wait_rekeyed() {	# CHILD SECS
	if poll "$2" rekeyed "$1"; then
		gen_add
		diag "CHILD_SA generation ${#GENS_M[@]}: moon in/out $SPIS_M, sun in/out $SPIS_S"
		return 0
	fi
	diag "no new CHILD_SA $1 on which both sides agree within $2 s:"
	agree "$1"
	return 1
}

# ike_rekeyed OLD: sun's one IKE_SA gw has SPIs other than OLD, moon has one
# IKE_SA gw; both ESTABLISHED with the CHILD_SA of before.
ike_rekeyed() {
	local now
	[ "$(peer_status sun | grep -c '^ike gw ')" = 1 ] &&
	[ "$(peer_status moon | grep -c '^ike gw ')" = 1 ] || return 1
	now=$(ike_spis sun gw)
	[ -n "$now" ] && [ "$now" != "$1" ] || return 1
	# moon, if it says, knows the same new SPIs
	case $(ike_spis moon gw) in "$now" | *-*) ;; *) return 1 ;; esac
	established moon gw net && established sun gw net &&
	agree net >/dev/null && [ "$SPIS_M" = "${GENS_M[-1]}" ]
}

# rekey_wire: the streams' captures show, each way, the outbound SPI of
# every generation (so each carried traffic) and no other; nothing in
# clear.
rekey_wire() {
	local r=0 g mo=() so='' x
	for g in "${GENS_M[@]}"; do mo+=("${g#* }"); done
	for g in "${GENS_S[@]}"; do so+=" ${g#* }"; done
	wire "$CDIR/rcap-moon" >"$CDIR/rcap-moon.w"
	wire "$CDIR/rcap-sun" >"$CDIR/rcap-sun.w"
	eq "ESP SPIs moon -> sun" "$(printf '%s\n' "${mo[@]}" | sort | tr '\n' ' ' | sed 's/ $//')" \
		"$(spis "$CDIR/rcap-moon.w" esp "$MOON_IP" "$SUN_IP")" || r=1
	# shellcheck disable=SC2086 # a list
	eq "ESP SPIs sun -> moon" "$(printf '%s\n' $so | sort | tr '\n' ' ' | sed 's/ $//')" \
		"$(spis "$CDIR/rcap-sun.w" esp "$SUN_IP" "$MOON_IP")" || r=1
	for g in "$CDIR/rcap-moon.w" "$CDIR/rcap-sun.w"; do
		x=$(in_clear "$g" "$MOON_IN" "$SUN_IN")
		[ -z "$x" ] || { diag "in clear on the wire ($g):"; diag "$x"; r=1; }
	done
	return "$r"
}

# under_streams LABEL TOPOLOGY: how the cases that rekey under traffic
# begin: moon and sun running, moon initiates gw/net, both agree on its
# SPIs (the first generation), UDP streams both ways. Status 1, the case
# ended, when a step failed.
under_streams() {
	if ! ti "$1: moon and sun running ($2)" setup "$2" ||
	   ! ti "$1, moon initiates: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		up moon gw net; then
		case_end
		return 1
	fi
	agree net && gen_add
	ti "$1: UDP streams moon -> sun and sun -> moon (datagrams 50 ms apart) pass" \
		streams_begin && return 0
	case_end
	return 1
}

case_rekey() {
	local ike0
	case_begin rekey-by-sun || return 0
	GENS_M=() GENS_S=()
	cfg_net
	under_streams rekey direct || return
	ti "rekey: sun rekeys the CHILD_SA (swanctl --rekey): both sides agree on new SPIs" \
		eval 'sun_rekey child net && wait_rekeyed net "$T_UP" && streams_flow 10'
	# shellcheck disable=SC2034 # used in an eval'd test
	ike0=$(ike_spis sun gw)
	ti "rekey: sun rekeys the IKE_SA: new IKE SPIs, one IKE_SA on each side, the CHILD_SA kept" \
		eval 'sun_rekey ike gw && poll "$T_UP" ike_rekeyed "$ike0" && streams_flow 10'
	ti "rekey: sun rekeys the CHILD_SA again, under the new IKE_SA: new SPIs again" \
		eval 'sun_rekey child net && wait_rekeyed net "$T_UP" && streams_flow 10'
	streams_end
	ti "rekey: moon -> sun stream: no datagram lost" stream_lossless ms usink-sun "$MOON_IN"
	ti "rekey: sun -> moon stream: no datagram lost" stream_lossless sm usink-moon "$SUN_IN"
	ti "rekey: wire: ESP with each generation's SPIs (${#GENS_M[@]}) both ways and no other, nothing in clear" \
		rekey_wire
	traffic rekey tunnel net
	case_end
}

# moon rekeys by itself: its CHILD_SA's rekey_time is 40 s (charon then
# rekeys after 36 to 40 s: rand_time defaults to life_time - rekey_time,
# life_time to rekey_time + 10 %); sun's is an hour. 40 s, not less: on
# a loaded host the steps before the first rekey take 20 s and more, and
# the case expects exactly one rekey between its checks.
case_rekey_moon() {
	case_begin rekey-by-moon || return 0
	GENS_M=() GENS_S=()
	cfg_net
	cfg moon CHILD_REKEY_TIME=40s
	if ! ti "rekey-moon: moon (child rekey_time 40 s) and sun running" setup direct ||
	   ! ti "rekey-moon, moon initiates: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		up moon gw net; then
		case_end
		return
	fi
	agree net && gen_add
	if ! ti "rekey-moon: UDP streams both ways pass" streams_begin; then
		case_end
		return
	fi
	ti "rekey-moon: ping moon -> sun and sun -> moon, 3 each" \
		eval 'ping3 "$MOON" "$SUN_IN" && ping3 "$SUN" "$MOON_IN"'
	ti "rekey-moon: moon rekeys the CHILD_SA by its rekey_time: both sides agree on new SPIs within 60 s" \
		eval 'wait_rekeyed net 60 && streams_flow 10'
	# stop before the next rekeying (36 s later at the earliest)
	streams_end
	ti "rekey-moon: moon -> sun stream: no datagram lost" stream_lossless ms usink-sun "$MOON_IN"
	ti "rekey-moon: sun -> moon stream: no datagram lost" stream_lossless sm usink-moon "$SUN_IN"
	ti "rekey-moon: wire: ESP with both generations' SPIs both ways and no other, nothing in clear" \
		rekey_wire
	ti "rekey-moon: TCP 200 KB moon -> sun, sha256 checked at sun" \
		xfer "$MOON" "$SUN_IN" rekey-moon-ms "$CDIR/sink-sun"
	ti "rekey-moon: TCP 200 KB sun -> moon, sha256 checked at moon" \
		xfer "$SUN" "$MOON_IN" rekey-moon-sm "$CDIR/sink-moon"
	case_end
}

# ---------------------------------------------------------------- 5. DPD
# dpd_cleared: moon has no IKE_SA gw and no SA in its kernel SAD.
dpd_cleared() {
	! ike_exists moon gw && [ "$(peer_sad_count moon)" = 0 ]
}

case_dpd() {
	local t0 re
	case_begin dpd || return 0
	cfg_net
	cfg moon DPD_DELAY=${DPD_DELAY}s DPD_ACTION=clear
	if ti "dpd: moon (dpd_delay ${DPD_DELAY} s, dpd_action clear) and sun running" setup direct &&
	   ti "dpd, moon initiates: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		up moon gw net; then
		traffic dpd tunnel net
		log_mark moon
		t0=$SECONDS
		if ti "dpd: sun's charon killed (SIGKILL: no DELETE)" peer_kill sun; then
			ti "dpd: moon notices and clears its IKE_SA and SAs within $DPD_BOUND s" \
				poll "$DPD_BOUND" dpd_cleared
			diag "dpd: moon cleared them $((SECONDS - t0)) s after the kill"
			re=${DIAG_K[dpd]}
			[ "$PEER" = charon ] && re=${DIAG_I[dpd]}
			ti "dpd: moon's log says why (/$re/)" says moon "$re" 5
		fi
	fi
	case_end
}

# ---------------------------------------------------------------- 6. ACQUIRE
case_acquire() {
	local cap x
	case_begin acquire || return 0
	cap=$CDIR/acap
	cfg_net
	cfg moon START_ACTION=trap
	if ! ti "acquire: moon (start_action trap) and sun running" setup direct; then
		case_end
		return
	fi
	ti "acquire: no IKE_SA on either side before any traffic" \
		eval '! ike_exists moon gw && ! ike_exists sun gw'
	if ! cap_start "$MOON" eth0 "$cap" -Q out; then
		not_ok "acquire: tcpdump"
		case_end
		return
	fi
	ti "acquire: moon pings sun's subnet: the negotiation starts, a ping is answered within 60 s" \
		pingx "$MOON" "1~" + -W 2 -w 60 "$SUN_IN"
	cap_stop "$cap"
	ti "acquire: both sides ESTABLISHED with the CHILD_SA INSTALLED, moon the initiator" \
		eval 'both_established gw net && settled net && initiator moon gw'
	# shellcheck disable=SC2034 # x: used in the eval
	t "acquire: the pings that triggered it did not leave in clear" \
		eval 'wire "$cap" >"$cap.w" && x=$(in_clear "$cap.w" "$MOON_IN" "$SUN_IN") &&
		      { [ -z "$x" ] || { diag "$x"; false; }; }'
	traffic acquire tunnel net
	case_end
}

# ---------------------------------------------------------------- 7. NAT-T
case_natt() {
	case_begin nat-t || return 0
	cfg_net
	cfg moon LOCAL_ADDRS=$MOON_PRIV
	cfg sun REMOTE_ADDRS=%any
	if ti "nat-t: moon ($MOON_PRIV) behind a NAT ($NAT_PUB), sun public, both running" setup nat &&
	   ti "nat-t, moon initiates: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		up moon gw net; then
		traffic nat-t nat net
	fi
	case_end
}

# ---------------------------------------------------------------- 8. misconfigurations
# mis_cfg NAME: moon's setting that differs from sun's.
mis_cfg() {
	case $1 in
	psk) cfg moon PSK="wrong-$PSK" ;;
	dh) cfg moon PROPOSALS=aes256-sha256-modp3072 ;;
	cipher) cfg moon PROPOSALS=aes128-sha256-modp2048 ;;
	ts) cfg moon REMOTE_TS=10.3.0.0/16 ;;
	pfs) cfg moon ESP_PROPOSALS=aes128gcm16 ;;
	version) cfg sun VERSION=1 ;;
	esac
}
declare -A MIS_WHAT=(
	[psk]="wrong PSK"
	[dh]="DH group mismatch (moon modp3072, sun modp2048)"
	[cipher]="IKE cipher mismatch (moon aes128, sun aes256)"
	[ts]="traffic selector mismatch (moon wants 10.3.0.0/16)"
	[pfs]="PFS mismatch (moon no PFS, sun ecp256)"
	[version]="IKE version mismatch (moon IKEv2, sun IKEv1 only)"
)

# diag_re SIDE ROLE NAME: what SIDE must log in ROLE for misconfiguration
# NAME.
diag_re() {
	if [ "${SIDE_KIND[$1]}" = kipsec ]; then
		echo "${DIAG_K[$3]}"
	elif [ "$2" = responder ]; then
		echo "${DIAG_R[$3]}"
	else
		echo "${DIAG_I[$3]}"
	fi
}

# no_child: neither side has a CHILD_SA or an SA in its kernel.
no_child() {
	local s n
	for s in moon sun; do
		n=$(peer_sad_count "$s")
		if [ -n "$(child_spis "$s" gw net)" ] || [ "$n" != 0 ]; then
			diag "$s has a CHILD_SA: $(peer_status "$s"); $n SAs in its kernel"
			return 1
		fi
	done
}

# no_ike: both IKE_SAs terminated, for the next attempt.
no_ike() {
	peer_down moon gw
	peer_down sun gw
	poll 30 eval '! ike_exists moon gw && ! ike_exists sun gw'
}

# mis_attempt NAME INITIATOR: INITIATOR tries; both sides log the reason.
mis_attempt() {
	local n=$1 i=$2 r=sun l
	[ "$i" = sun ] && r=moon
	l="mismatch-$n, $i initiates"
	log_mark moon
	log_mark sun
	peer_up "$i" gw net
	ti "$l: $r (${SIDE_KIND[$r]}, responder) logs /$(diag_re "$r" responder "$n")/" \
		says "$r" "$(diag_re "$r" responder "$n")"
	ti "$l: $i (${SIDE_KIND[$i]}, initiator) logs /$(diag_re "$i" initiator "$n")/" \
		says "$i" "$(diag_re "$i" initiator "$n")"
	ti "$l: no CHILD_SA on either side" no_child
	t "$l: IKE_SAs cleared for what follows" no_ike
}

case_mis() {	# NAME
	local i
	case_begin "mismatch-$1" || return 0
	cfg_net
	mis_cfg "$1"
	if ti "mismatch-$1: ${MIS_WHAT[$1]}: moon and sun running" setup direct; then
		for i in moon sun; do
			mis_attempt "$1" "$i"
		done
	fi
	case_end
}

# PFS is not negotiated in IKE_AUTH (the key exchange methods are stripped
# from the proposals there): the CHILD_SA comes up, and the mismatch shows
# when sun rekeys it (CREATE_CHILD_SA with a KE payload). The CHILD_SA of
# before must survive the refusal.
case_mis_pfs() {
	local before
	case_begin mismatch-pfs || return 0
	cfg_net
	mis_cfg pfs
	if ti "mismatch-pfs: ${MIS_WHAT[pfs]}: moon and sun running" setup direct &&
	   ti "mismatch-pfs, moon initiates: the CHILD_SA comes up (no PFS in IKE_AUTH)" \
		up moon gw net; then
		ti "mismatch-pfs: ping moon -> sun and sun -> moon, 3 each" \
			eval 'ping3 "$MOON" "$SUN_IN" && ping3 "$SUN" "$MOON_IN"'
		agree net
		# shellcheck disable=SC2034 # used in an eval'd test
		before="$SPIS_M/$SPIS_S"
		log_mark moon
		log_mark sun
		sun_rekey child net
		ti "mismatch-pfs, sun rekeys: moon (${SIDE_KIND[moon]}, responder) logs /$(diag_re moon responder pfs)/" \
			says moon "$(diag_re moon responder pfs)"
		ti "mismatch-pfs, sun rekeys: sun (charon, initiator) logs /$(diag_re sun initiator pfs)/" \
			says sun "$(diag_re sun initiator pfs)"
		ti "mismatch-pfs: the CHILD_SA of before stays, the same SPIs on both sides" \
			eval 'agree net && eq "SPIs moon/sun" "$before" "$SPIS_M/$SPIS_S"'
		ti "mismatch-pfs: ping moon -> sun and sun -> moon through it, 3 each" \
			eval 'ping3 "$MOON" "$SUN_IN" && ping3 "$SUN" "$MOON_IN"'
	fi
	case_end
}

# ---------------------------------------------------------------- 9.-11.
# shellcheck source=ike/wireshark.sh
. "$TOP/selftests/ike/wireshark.sh"
# shellcheck source=ike/children.sh
. "$TOP/selftests/ike/children.sh"
# shellcheck source=ike/collision.sh
. "$TOP/selftests/ike/collision.sh"
# shellcheck source=ike/eager.sh
. "$TOP/selftests/ike/eager.sh"
# shellcheck source=ike/ikev1.sh
. "$TOP/selftests/ike/ikev1.sh"

# ---------------------------------------------------------------- main
on_exit case_end
start=$SECONDS
diag "peer under test (moon): $PEER; sun: charon-systemd $(dpkg-query -W -f='${Version}' charon-systemd 2>&1)"
if case_selected cert-rsa || case_selected cert-ecdsa; then
	pki_start
fi
case_psk moon
case_psk sun
case_cert rsa
case_cert ecdsa
case_transport
case_rekey
case_rekey_moon
case_dpd
case_acquire
case_natt
case_mis psk
case_mis dh
case_mis cipher
case_mis ts
case_mis version
case_mis_pfs
case_wireshark
case_children moon
case_children sun
case_collision child
case_collision ike
case_eager
case_ikev1 tunnel
case_ikev1 pfs-transport
diag "all cases in $((SECONDS - start)) s"
exit
}
