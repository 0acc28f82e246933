# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2016 # (eval'd test code is in single quotes on purpose)
#
# Case 13 of selftests/kipsec-ike.sh (sourced by it, after net.sh and
# peer.sh): IKEv1 with charon, moon responding (kipsec ike answers IKEv1
# as responder only: `kipsec up` of a version = 1 connection is refused).
# Both sides' connection gw is version = 1, IKE aes256-sha256-modp2048 with
# pre-shared keys; sun's charon initiates Main Mode and Quick Mode.
#
#   ikev1-tunnel: CHILD_SA net (10.1.0.0/16 <-> 10.2.0.0/16), ESP
#     aes128-sha256 without PFS;
#   ikev1-pfs-transport: CHILD_SA host between 192.168.0.1 and
#     192.168.0.2 in transport mode, ESP aes128-sha256-modp2048 (a KE
#     payload in Quick Mode).
# Each: both sides list the IKE_SA ESTABLISHED and the CHILD_SA INSTALLED
# with the same SPIs, charon logged Main Mode and Quick Mode, then
# `traffic` (pings, 200 KB of TCP each way, ESP on the wire with those
# SPIs, nothing in clear); then sun deletes the IKE_SA and moon forgets
# it and its SAs.

# CHARON_V1: what charon 5.9.8 logs as an IKEv1 initiator (the strings in
# libcharon.so).
CHARON_V1_MM='initiating Main Mode IKE_SA gw'
CHARON_V1_QM='CHILD_SA [a-z]+\{[0-9]+\} established'

# ikev1_gone: moon has no IKE_SA gw and no SA in its kernel.
ikev1_gone() {
	! ike_exists moon gw && [ "$(peer_sad_count moon)" = 0 ]
}

case_ikev1() {	# tunnel|pfs-transport
	local l=ikev1-$1 child=net mode=tunnel
	case_begin "$l" || return 0
	cfg_net
	cfg both VERSION=1 ESP_PROPOSALS=aes128-sha256
	if [ "$1" = pfs-transport ]; then
		child=host mode=transport
		cfg both CHILD=host MODE=transport \
			ESP_PROPOSALS=aes128-sha256-modp2048
		cfg moon LOCAL_TS="$MOON_IP/32" REMOTE_TS="$SUN_IP/32"
		cfg sun LOCAL_TS="$SUN_IP/32" REMOTE_TS="$MOON_IP/32"
	fi
	if ! ti "$l: moon ($PEER) and sun (charon) running, both version = 1" setup direct; then
		case_end
		return
	fi
	log_mark sun
	if ti "$l: sun initiates IKEv1: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		up sun gw "$child"; then
		ti "$l: charon logged Main Mode and Quick Mode (/$CHARON_V1_MM/, /$CHARON_V1_QM/)" \
			eval 'says sun "$CHARON_V1_MM" 5 && says sun "$CHARON_V1_QM" 5'
		traffic "$l" "$mode" "$child"
		ti "$l: sun deletes the IKE_SA: moon forgets it and its SAs" \
			eval 'peer_down sun gw && poll 30 ikev1_gone'
	fi
	case_end
}
