# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2016 # (eval'd test code is in single quotes on purpose)
# shellcheck disable=SC2153 # (MOON_IP, SPIS_M, ...: net.sh's, kipsec-ike.sh's)
#
# Case 10 of selftests/kipsec-ike.sh (sourced by it, after net.sh and
# peer.sh): one connection, two CHILD_SAs (RFC 7296 1.3.1).
#
# Connection gw has children net1 (10.1.1.0/24 <-> 10.2.1.0/24) and net2
# (10.1.2.0/24 <-> 10.2.2.0/24); moon has the hosts 10.1.1.1 and 10.1.2.1,
# sun 10.2.1.1 and 10.2.2.1, each routed to the other side's with its
# own subnet's address as source (topo_multi), so each pair's traffic
# matches exactly one child.
#
#   children-moon-initiates: moon brings the connection up: kipsec: `kipsec
#       up gw` must bring up both children, the first in IKE_AUTH and the
#       second with CREATE_CHILD_SA; charon: swanctl --initiate of net1,
#       then of net2 (which charon negotiates in the IKE_SA it has);
#   children-sun-initiates: sun initiates net1, then net2.
# In each: both sides report both CHILD_SAs INSTALLED with matching SPIs;
# sun's log shows one CREATE_CHILD_SA exchange that is not a rekeying
# (traffic selectors, no REKEY_SA); pings between each pair of hosts
# travel, each way, in ESP with that child's SPI and no other; then sun
# rekeys one child (swanctl --rekey --child): it gets new SPIs on both
# sides and the other keeps its own; then sun deletes the first one
# (swanctl --terminate --child): neither side has it any more, moon's
# kernel keeps only the other child's two SAs, the IKE_SA stays, and the
# other child still carries its pairs' pings in its own SPIs.
# moon-initiates rekeys net2 (the CREATE_CHILD_SA one) and deletes net1
# (the IKE_AUTH one); sun-initiates the other way round.

MOON_IN1=10.1.1.1 MOON_IN2=10.1.2.1 SUN_IN1=10.2.1.1 SUN_IN2=10.2.2.1

# cfg_multi: cfg_net with the two children.
cfg_multi() {
	cfg_net
	cfg both CHILD=net1 CHILD2=net2 &&
	cfg moon LOCAL_TS=10.1.1.0/24 REMOTE_TS=10.2.1.0/24 \
		LOCAL_TS2=10.1.2.0/24 REMOTE_TS2=10.2.2.0/24 &&
	cfg sun LOCAL_TS=10.2.1.0/24 REMOTE_TS=10.1.1.0/24 \
		LOCAL_TS2=10.2.2.0/24 REMOTE_TS2=10.1.2.0/24
}

# topo_multi: topo_direct and the four hosts with their routes.
topo_multi() {
	topo_direct || return 1
	ipb "$MOON" <<-EOF || return 1
	address add $MOON_IN1/32 dev dummy0
	address add $MOON_IN2/32 dev dummy0
	route add 10.2.1.0/24 via $SUN_IP src $MOON_IN1
	route add 10.2.2.0/24 via $SUN_IP src $MOON_IN2
	EOF
	ipb "$SUN" <<-EOF
	address add $SUN_IN1/32 dev dummy0
	address add $SUN_IN2/32 dev dummy0
	route add 10.1.1.0/24 via $MOON_IP src $SUN_IN1
	route add 10.1.2.0/24 via $MOON_IP src $SUN_IN2
	EOF
}

# multi_up SIDE: SIDE brings up connection gw with both children. kipsec:
# `kipsec up gw`, which must negotiate every child of the connection;
# charon (swanctl initiates one child at a time): net1, then net2.
multi_up() {
	if [ "${SIDE_KIND[$1]}" = kipsec ]; then
		kipsec_up "$1" gw
	else
		charon_up "$1" gw net1 &&
		cp "${SIDE_DIR[$1]}/initiate.log" "${SIDE_DIR[$1]}/initiate-net1.log" &&
		charon_up "$1" gw net2
	fi
}

# both_children: both sides report net1 and net2 INSTALLED within T_UP and
# agree on each (30 s more for a PFS check rekeying to settle); their
# SPIs in SPIS1_M, SPIS1_S, SPIS2_M, SPIS2_S ("IN OUT").
SPIS1_M='' SPIS1_S='' SPIS2_M='' SPIS2_S=''
both_children() {
	both_established gw net1 && both_established gw net2 &&
	settled net1 && SPIS1_M=$SPIS_M && SPIS1_S=$SPIS_S &&
	settled net2 && SPIS2_M=$SPIS_M && SPIS2_S=$SPIS_S || return 1
	diag "net1: moon in/out $SPIS1_M, sun in/out $SPIS1_S; net2: moon in/out $SPIS2_M, sun in/out $SPIS2_S"
	[ "$SPIS1_M" != "$SPIS2_M" ] && return 0
	diag "net1 and net2 have the same SPIs"
	return 1
}

# child_exchange: sun's log shows a CREATE_CHILD_SA request, sent or
# received, with traffic selectors and no REKEY_SA: a new child, not a
# rekeying.
child_exchange() {
	local l
	l=$(grep -E '(parsed|generating) CREATE_CHILD_SA request [0-9]+ \[.* TSi TSr' \
		"$(log_file sun)" | grep -v REKEY_SA)
	if [ -n "$l" ]; then
		diag "sun: $(head -n 1 <<<"$l")"
		return 0
	fi
	diag "sun's log has no CREATE_CHILD_SA request for a new child:"
	diag "$(grep -E 'IKE_AUTH|CREATE_CHILD_SA' "$(log_file sun)")"
	return 1
}

# child_wire LABEL N: pings between the hosts of child netN both ways;
# moon's and sun's egress captures show them in ESP with that child's
# outbound SPIs (agree netN now) and no other, nothing in clear.
child_wire() {
	local l=$1 n=$2 ma sa cm=$CDIR/cw-moon cs=$CDIR/cw-sun r=0 mo so x
	ma=MOON_IN$n sa=SUN_IN$n
	ma=${!ma} sa=${!sa}
	agree "net$n" || return 1
	mo=${SPIS_M#* } so=${SPIS_S#* }
	cap_start "$MOON" eth0 "$cm" -Q out && cap_start "$SUN" eth0 "$cs" -Q out ||
		return 1
	ping3 "$MOON" "$sa" && ping3 "$SUN" "$ma" || r=1
	cap_stop "$cm" "$cs"
	wire "$cm" >"$cm.w"
	wire "$cs" >"$cs.w"
	eq "$l: ESP moon -> sun for $ma <-> $sa: SPIs" "$mo" "$(spis "$cm.w" esp "$MOON_IP" "$SUN_IP")" || r=1
	eq "$l: ESP sun -> moon for $ma <-> $sa: SPIs" "$so" "$(spis "$cs.w" esp "$SUN_IP" "$MOON_IP")" || r=1
	x=$(npk "$cm.w" esp "$MOON_IP" "$SUN_IP" "$mo")
	[ "$x" -ge 6 ] || { diag "$l: $x ESP packets moon -> sun (6 expected)"; r=1; }
	x=$(npk "$cs.w" esp "$SUN_IP" "$MOON_IP" "$so")
	[ "$x" -ge 6 ] || { diag "$l: $x ESP packets sun -> moon (6 expected)"; r=1; }
	for x in "$cm.w" "$cs.w"; do
		x=$(in_clear "$x" "$MOON_IN1" "$MOON_IN2" "$SUN_IN1" "$SUN_IN2")
		[ -z "$x" ] || { diag "$l: in clear on the wire:"; diag "$x"; r=1; }
	done
	return "$r"
}

# child_renewed N OLD_M OLD_S: both sides agree on child netN with SPIs
# other than OLD_M's (moon's "IN OUT" before) and OLD_S's.
child_renewed() {
	agree "net$1" >/dev/null || return 1
	[ "${SPIS_M% *}" != "${2% *}" ] && [ "${SPIS_M#* }" != "${2#* }" ] &&
	[ "${SPIS_S% *}" != "${3% *}" ] && [ "${SPIS_S#* }" != "${3#* }" ]
}
# child_same N M S: both sides agree on child netN with SPIs M and S.
child_same() {
	agree "net$1" && eq "net$1's SPIs, moon/sun" "$2/$3" "$SPIS_M/$SPIS_S"
}

# child_gone N: neither side lists child netN in any state; moon's kernel
# has two SAs (the other child's); the IKE_SA is ESTABLISHED on both.
child_gone() {
	local s
	for s in moon sun; do
		peer_status "$s" | grep -q "^child gw net$1 " && return 1
		peer_status "$s" | grep -q '^ike gw ESTABLISHED ' || return 1
	done
	[ "$(peer_sad_count moon)" = 2 ]
}

case_children() {	# INITIATOR
	local i=$1 l="children-$1" rk dl m s
	case_begin "children-$i-initiates" || return 0
	rk=2 dl=1
	[ "$i" = sun ] && { rk=1 dl=2; }
	cfg_multi
	if ! ti "$l: moon and sun running, connection gw with children net1 (10.1.1.0/24 <-> 10.2.1.0/24) and net2 (10.1.2.0/24 <-> 10.2.2.0/24)" \
		setup multi; then
		case_end
		return
	fi
	log_mark sun
	multi_up "$i"
	if ! ti "$l: $i brings up gw: both sides report net1 and net2 INSTALLED and agree on the SPIs of each" \
		both_children; then
		diag "initiation on $i: $(cat "${SIDE_DIR[$i]}"/initiate*.log 2>/dev/null)"
		case_end
		return
	fi
	t "$l: $i is the IKE initiator" initiator "$i" gw
	t "$l: sun's log: the second child came with CREATE_CHILD_SA (traffic selectors, no REKEY_SA)" \
		child_exchange
	ti "$l: pings $MOON_IN1 <-> $SUN_IN1 travel in net1's SPIs, both ways, and in no other" \
		child_wire "$l" 1
	ti "$l: pings $MOON_IN2 <-> $SUN_IN2 travel in net2's SPIs, both ways, and in no other" \
		child_wire "$l" 2

	m=SPIS${rk}_M s=SPIS${rk}_S
	ti "$l: sun rekeys net$rk (swanctl --rekey --child): new SPIs on which both sides agree" \
		eval 'sun_rekey child "net$rk" && poll "$T_UP" child_renewed "$rk" "${!m}" "${!s}" ||
		      { agree "net$rk"; false; }'
	# shellcheck disable=SC2034 # (read by the evals)
	{ m=SPIS${dl}_M s=SPIS${dl}_S; }
	ti "$l: net$dl is untouched, the same SPIs on both sides" \
		eval 'child_same "$dl" "${!m}" "${!s}"'
	ti "$l: pings $MOON_IN1 <-> $SUN_IN1 travel in net1's SPIs, and in no other" \
		child_wire "$l" 1
	ti "$l: pings $MOON_IN2 <-> $SUN_IN2 travel in net2's SPIs, and in no other" \
		child_wire "$l" 2

	# the survivor's SPIs now (net$rk's are new)
	agree "net$rk" >/dev/null
	m=$SPIS_M s=$SPIS_S
	run sw sun --terminate --child "net$dl" --timeout 30
	[ "$RC" -eq 0 ] || diag "swanctl --terminate --child net$dl: exit $RC: $OUT"
	ti "$l: sun deletes net$dl (swanctl --terminate --child): gone on both sides, moon's kernel has net$rk's two SAs, the IKE_SA stays" \
		poll "$T_UP" child_gone "$dl"
	ti "$l: net$rk stays, the same SPIs on both sides" \
		child_same "$rk" "$m" "$s"
	ti "$l: pings between net$rk's hosts still travel in its SPIs" \
		child_wire "$l" "$rk"
	case_end
}
