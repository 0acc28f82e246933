# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2016 # (eval'd test code is in single quotes on purpose)
#
# Case 11 of selftests/kipsec-ike.sh (sourced by it, after net.sh and
# peer.sh): rekey collisions (RFC 7296 2.8.1 for a CHILD_SA, 2.8.2 for
# the IKE_SA): both sides start rekeying the same SA, their requests
# cross.
#
# To make them cross every time, moon and sun are joined through a relay
# (net.sh's topo_relay: a namespace between them whose selftests/ike/relay.py
# copies frames from one veth to the other; the test kernel has no qdiscs,
# so no netem). The relay holds IKE back on request: sun starts rekeying
# (swanctl --rekey), the relay holds its CREATE_CHILD_SA request; moon
# starts rekeying the same SA (kipsec: `kipsec rekey net` or `kipsec
# rekey --ike gw`; charon: swanctl --rekey), the relay holds that request
# too; then it lets both go at once. Each side then receives the other's
# request while its own is unanswered: a collision, whatever the timing.
# ESP passes meanwhile.
#
#   collision-child: the CHILD_SA net. Afterwards sun's charon has logged
#     the collision and how it ended ("detected CHILD_REKEY collision with
#     CHILD_REKEY", "CHILD_SA rekey collision won|lost", strongSwan
#     5.9.8's child_rekey.c); each side has exactly one CHILD_SA net (the
#     redundant one deleted) with SPIs new and agreed, and two SAs in its
#     kernel; with charon as moon too, one side won and the other lost.
#   collision-ike: the IKE_SA gw, likewise ("detected IKE_REKEY collision
#     with IKE_REKEY", "IKE_SA rekey collision won|lost", ike_rekey.c):
#     one IKE_SA per side, new SPIs on which both agree, the CHILD_SA
#     unchanged; then sun rekeys the CHILD_SA in the surviving IKE_SA.
# Both: UDP streams each way (the rekey case's) run throughout and lose
# nothing; then `traffic` (pings, TCP both ways, the wire).

# What charon logs (DBG1, strongSwan 5.9.8: the strings in libcharon.so).
COLL_DETECT_CHILD='detected CHILD_REKEY collision with CHILD_REKEY'
COLL_END_CHILD='CHILD_SA rekey collision (won|lost)'
COLL_DETECT_IKE='detected IKE_REKEY collision with IKE_REKEY'
COLL_END_IKE='IKE_SA rekey collision (won|lost)'

# collide child|ike NAME: IKE held, sun starts rekeying NAME, its request
# held, moon starts rekeying NAME, its request held, both released.
collide() {
	local r=0
	relay_hold || return 1
	if ! peer_rekey sun "$1" "$2"; then
		r=1
	elif ! poll 20 relay_says '^held tosun>tomoon 36 request '; then
		diag "no CREATE_CHILD_SA request from sun within 20 s"
		r=1
	elif ! peer_rekey moon "$1" "$2"; then
		r=1
	elif ! poll 20 relay_says '^held tomoon>tosun 36 request '; then
		diag "no CREATE_CHILD_SA request from moon within 20 s"
		r=1
	fi
	relay_release || r=1
	diag "relay: $(tail -n +$((RELAY_MARK + 1)) "$RELAY_LOG" | grep -E '^(held|release)' | tr '\n' ';')"
	return "$r"
}

# one_child CHILD: each side lists exactly one CHILD_SA CHILD (in any
# state) and has two SAs in its kernel; they agree on its SPIs, which
# are new (rekeyed).
one_child() {
	local s
	for s in moon sun; do
		[ "$(peer_status "$s" | grep -c "^child gw $1 ")" = 1 ] || return 1
		[ "$(peer_sad_count "$s")" = 2 ] || return 1
	done
	rekeyed "$1"
}
one_child_diag() {
	local s
	for s in moon sun; do
		diag "$s: $(peer_status "$s" | tr '\n' ';') $(peer_sad_count "$s") SAs in its kernel"
	done
}

# resolved DETECT END: sun (charon) logged DETECT and END since log_mark;
# so did moon if it is charon (kipsec logs "... rekey collision won|lost
# (RFC 7296 2.8.N)"); exactly one of them won: the nonces were compared
# the same way on both sides.
resolved() {
	local w=0 s
	says sun "$1" 5 && says sun "$2" 5 || return 1
	if [ "$PEER" = charon ]; then
		says moon "$1" 5 && says moon "$2" 5 || return 1
	else
		says moon 'rekey collision (won|lost) \(RFC 7296' 5 || return 1
	fi
	for s in moon sun; do
		log_since "$s" | grep -qE -- 'rekey collision won' && w=$((w + 1))
	done
	eq "sides that won the collision" 1 "$w"
}

case_collision() {	# child|ike
	local k=$1 l="collision-$1" ike0 det end
	case_begin "$l" || return 0
	# shellcheck disable=SC2034 # (kipsec-ike.sh's, for rekeyed)
	GENS_M=() GENS_S=()
	cfg_net
	under_streams "$l" relay || return
	log_mark moon
	log_mark sun
	if [ "$k" = child ]; then
		det=$COLL_DETECT_CHILD end=$COLL_END_CHILD
		ti "$l: sun and moon both start rekeying CHILD_SA net; the relay lets their requests cross" \
			collide child net
		ti "$l: charon logged the collision and its end (/$det/, /$end/)" \
			resolved "$det" "$end"
		ti "$l: one CHILD_SA net on each side (the redundant one deleted), new SPIs on which both agree, two SAs in each kernel" \
			eval 'poll "$T_UP" one_child net || { one_child_diag; false; }'
		gen_add
	else
		det=$COLL_DETECT_IKE end=$COLL_END_IKE
		# shellcheck disable=SC2034 # used in an eval'd test
		ike0=$(ike_spis sun gw)
		ti "$l: sun and moon both start rekeying IKE_SA gw; the relay lets their requests cross" \
			collide ike gw
		ti "$l: charon logged the collision and its end (/$det/, /$end/)" \
			resolved "$det" "$end"
		ti "$l: one IKE_SA gw on each side (the redundant one deleted), new SPIs on which both agree, the CHILD_SA kept" \
			eval 'poll "$T_UP" ike_rekeyed "$ike0" || { one_child_diag; false; }'
		ti "$l: sun rekeys the CHILD_SA in the surviving IKE_SA: new SPIs on which both agree" \
			eval 'sun_rekey child net && wait_rekeyed net "$T_UP"'
	fi
	ti "$l: the UDP streams flow" streams_flow 10
	streams_end
	ti "$l: moon -> sun stream: no datagram lost" stream_lossless ms usink-sun "$MOON_IN"
	ti "$l: sun -> moon stream: no datagram lost" stream_lossless sm usink-moon "$SUN_IN"
	traffic "$l" tunnel net
	case_end
}
