#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ESP interoperation: kipsec's route-based data path against native XFRM
# (and against itself), over a veth pair between two fresh namespaces per
# case:
#
#   namespace A (kipsec)                       namespace B (native XFRM)
#   ipsec0 (kipsec link, if_id 1,              ipsec1 (xfrm interface,
#           underlay vethA)                            if_id 1, dev vethB)
#     inner IA, route to NB                      inner IB, route to NA
#   vethA  OA  <------------ veth ------------>  vethB  OB
#
# Outer OA/OB: 192.0.2.1/.2 or 2001:db8::1/::2. Inner networks NA/NB:
# 10.1.0.0/24 and 10.2.0.0/24 (IA 10.1.0.1, IB 10.2.0.1), or 2001:db8:1::/64
# and 2001:db8:2::/64. Each side has one SA per direction (tunnel mode,
# replay window 64, reqid 7, if_id 1; different SPIs and keys per direction
# and per case) and an out and an in policy NA <-> NB with a tunnel template
# whose addresses, reqid and if_id match. A side is configured by
# configure_kipsec NS SIDE or configure_xfrm NS SIDE (SIDE a or b).
#
# Cases (each a few TAP lines, "CASE: what"):
#   - every algorithm of Documentation/netlink.rst, 4in4, A kipsec, B XFRM;
#   - the four inner/outer family combinations;
#   - replay and integrity: B's ESP captured on vethA, injected again from
#     B's end of the veth (AF_PACKET), as is or with a ciphertext byte
#     flipped: A drops and counts them (SA and namespace counters), answers
#     none, and the tunnel still works;
#   - coexistence: a native XFRM transport-mode SA pair in A and B too, for
#     one TCP port between the outer addresses; both carry traffic;
#   - kipsec <-> kipsec for a few algorithms and families.
# Per data case: ping 3 times A->B then B->A (all answered), a 200 KB TCP
# transfer each way whose sha256 is compared at the receiver, then the
# capture on vethA (tcpdump -w, its decoding printed as it goes) must show
# ESP with the configured SPI in each direction, sequence numbers 1..6 for
# the pings and then every following number once (in any order: a veth
# can reorder), no inner address in clear, and A's SA packet counters must
# equal the number of ESP packets on the wire.

# KIPSEC_ESP_PEER_ONLY=xfrm: both sides are native XFRM (an xfrm interface
# in A as well); proves the topology, keys and checks without kipsec's data
# path (the module and tool are then not needed). KIPSEC_ESP_FILTER=ERE runs
# only the cases whose name matches, KIPSEC_ESP_TIMING=1 prints where each
# case spends its time (development).
#
# Tools: iproute2, iputils ping, tcpdump, coreutils, jq, Debian's
# /usr/bin/python3 (selftests/esp/*.py: the TCP server, the re-injector);
# the TCP client is bash's /dev/tcp. A missing one is a failure.

# One compound command: bash reads it whole before running any of it, so
# the file can change (an edit, a checkout) while a run is in progress.
# shellcheck disable=SC2317 # (the exit at its end hides every function)
{

. "$(dirname "$0")/lib.sh"

ESPDIR=$TOP/selftests/esp
PEER_ONLY=${KIPSEC_ESP_PEER_ONLY:-}
FILTER=${KIPSEC_ESP_FILTER:-}
XFER_BYTES=204800	# per direction
TUN_MTU=1380		# + the worst ESP/IPv6 overhead (113 bytes) < 1500
IFID=1
REQID=7
PORT=5000		# the TCP server, over the tunnel
NPORT=7000		# the TCP server, over native XFRM transport mode

case $PEER_ONLY in
'')	IMPL=kipsec
	module_check
	tool_check ;;
xfrm)	IMPL=xfrm
	diag "KIPSEC_ESP_PEER_ONLY=xfrm: both sides are native XFRM" ;;
*)	bail "KIPSEC_ESP_PEER_ONLY='$PEER_ONLY': only 'xfrm' is known" ;;
esac

need() { command -v "$1" >/dev/null || bail "$1 is not installed (Debian package $2)"; }
need ip iproute2
need ping iputils-ping
need tcpdump tcpdump
need sha256sum coreutils
need timeout coreutils
need jq jq
[ -x "$PYTHON" ] || bail "$PYTHON is not installed (Debian package python3)"
if ! [ -r "$ESPDIR/xfer-server.py" ] || ! [ -r "$ESPDIR/inject.py" ]; then
	bail "selftests/esp/*.py missing"
fi

head -c "$XFER_BYTES" /dev/urandom >"$TMPD/data-ab" || bail "no random data"
head -c "$XFER_BYTES" /dev/urandom >"$TMPD/data-ba" || bail "no random data"
SHA_AB=$(sha256sum <"$TMPD/data-ab" | cut -d' ' -f1)
SHA_BA=$(sha256sum <"$TMPD/data-ba" | cut -d' ' -f1)


# ---------------------------------------------------------------- algorithms
# label  kipsec-enc enc-key-bytes  kipsec-auth auth-key-bytes
#        XFRM-enc-or-aead  XFRM-auth (- = AEAD)  ICV-bits  legacy
# Key lengths include the salt (GCM, GMAC, ChaCha20: 4 bytes; CCM: 3) or
# the CTR nonce (4), as both kipsec and XFRM take them.
ALGS=(
	"gcm16-128 aes-gcm-16 20 - 0 rfc4106(gcm(aes)) - 128 0"
	"gcm16-192 aes-gcm-16 28 - 0 rfc4106(gcm(aes)) - 128 0"
	"gcm16-256 aes-gcm-16 36 - 0 rfc4106(gcm(aes)) - 128 0"
	"gcm8-128 aes-gcm-8 20 - 0 rfc4106(gcm(aes)) - 64 0"
	"gcm12-192 aes-gcm-12 28 - 0 rfc4106(gcm(aes)) - 96 0"
	"ccm16-128 aes-ccm-16 19 - 0 rfc4309(ccm(aes)) - 128 0"
	"ccm16-256 aes-ccm-16 35 - 0 rfc4309(ccm(aes)) - 128 0"
	"ccm8-192 aes-ccm-8 27 - 0 rfc4309(ccm(aes)) - 64 0"
	"ccm12-128 aes-ccm-12 19 - 0 rfc4309(ccm(aes)) - 96 0"
	"chacha20-poly1305 chacha20-poly1305 36 - 0 rfc7539esp(chacha20,poly1305) - 128 0"
	"gmac-128 aes-gmac 20 - 0 rfc4543(gcm(aes)) - 128 0"
	"gmac-256 aes-gmac 36 - 0 rfc4543(gcm(aes)) - 128 0"
	"cbc128-sha1 aes-cbc 16 hmac-sha1-96 20 cbc(aes) hmac(sha1) 96 0"
	"cbc128-sha256 aes-cbc 16 hmac-sha2-256-128 32 cbc(aes) hmac(sha256) 128 0"
	"cbc128-sha384 aes-cbc 16 hmac-sha2-384-192 48 cbc(aes) hmac(sha384) 192 0"
	"cbc128-sha512 aes-cbc 16 hmac-sha2-512-256 64 cbc(aes) hmac(sha512) 256 0"
	"cbc128-xcbc aes-cbc 16 aes-xcbc-96 16 cbc(aes) xcbc(aes) 96 0"
	"cbc128-cmac aes-cbc 16 aes-cmac-96 16 cbc(aes) cmac(aes) 96 0"
	"cbc192-sha256 aes-cbc 24 hmac-sha2-256-128 32 cbc(aes) hmac(sha256) 128 0"
	"cbc256-sha512 aes-cbc 32 hmac-sha2-512-256 64 cbc(aes) hmac(sha512) 256 0"
	"ctr128-sha1 aes-ctr 20 hmac-sha1-96 20 rfc3686(ctr(aes)) hmac(sha1) 96 0"
	"ctr128-sha256 aes-ctr 20 hmac-sha2-256-128 32 rfc3686(ctr(aes)) hmac(sha256) 128 0"
	"ctr128-sha384 aes-ctr 20 hmac-sha2-384-192 48 rfc3686(ctr(aes)) hmac(sha384) 192 0"
	"ctr128-sha512 aes-ctr 20 hmac-sha2-512-256 64 rfc3686(ctr(aes)) hmac(sha512) 256 0"
	"ctr128-xcbc aes-ctr 20 aes-xcbc-96 16 rfc3686(ctr(aes)) xcbc(aes) 96 0"
	"ctr128-cmac aes-ctr 20 aes-cmac-96 16 rfc3686(ctr(aes)) cmac(aes) 96 0"
	"ctr192-sha256 aes-ctr 28 hmac-sha2-256-128 32 rfc3686(ctr(aes)) hmac(sha256) 128 0"
	"ctr256-sha512 aes-ctr 36 hmac-sha2-512-256 64 rfc3686(ctr(aes)) hmac(sha512) 256 0"
	"null-sha256 null 0 hmac-sha2-256-128 32 ecb(cipher_null) hmac(sha256) 128 0"
	"3des-sha1 3des-cbc 24 hmac-sha1-96 20 cbc(des3_ede) hmac(sha1) 96 1"
	"des-sha1 des-cbc 8 hmac-sha1-96 20 cbc(des) hmac(sha1) 96 1"
	"cbc128-md5 aes-cbc 16 hmac-md5-96 16 cbc(aes) hmac(md5) 96 1"
)

# alg_set LABEL: ALG KENC KLEN KAUTH ALEN XENC XAUTH ICV LEGACY
alg_set() {
	local row
	for row in "${ALGS[@]}"; do
		read -r ALG KENC KLEN KAUTH ALEN XENC XAUTH ICV LEGACY <<<"$row"
		[ "$ALG" = "$1" ] && return 0
	done
	echo "kipsec-esp.sh: no algorithm $1" >&2
	exit 2
}

# kipsec_alg EKEY AKEY: the tool's words for the algorithms and keys.
kipsec_alg() {
	local w="enc $KENC 0x$1"
	[ "$KAUTH" != - ] && w+=" auth $KAUTH 0x$2"
	[ "$LEGACY" = 1 ] && w+=" legacy"
	echo "$w"
}

# xfrm_alg EKEY AKEY: the same for ip xfrm (-batch), in the array XA.
xfrm_alg() {
	if [ "$XAUTH" = - ]; then
		XA=(aead "$XENC" "0x$1" "$ICV")
		return
	fi
	# the empty key of ecb(cipher_null): "" (ip -batch honours quotes)
	if [ -n "$1" ]; then XA=(enc "$XENC" "0x$1"); else XA=(enc "$XENC" '""'); fi
	XA+=(auth-trunc "$XAUTH" "0x$2" "$ICV")
}

# ---------------------------------------------------------------- topology
# set_family XinY (inner X, outer Y): OA OB OPLEN IA IB IPLEN NA NB
set_family() {
	case $1 in
	?in4) OA=192.0.2.1 OB=192.0.2.2 OPLEN=24 ;;
	?in6) OA=2001:db8::1 OB=2001:db8::2 OPLEN=64 ;;
	esac
	case $1 in
	4in?) IA=10.1.0.1 IB=10.2.0.1 IPLEN=32 NA=10.1.0.0/24 NB=10.2.0.0/24 ;;
	6in?) IA=2001:db8:1::1 IB=2001:db8:2::1 IPLEN=128
	      NA=2001:db8:1::/64 NB=2001:db8:2::/64 ;;
	esac
}

# batch TOOL NS FILE: run FILE's commands in NS (or, for ip, "" for the
# current one) with `ip -batch` (TOOL ip) or `kipsec -batch` (TOOL
# kipsec): one process for a side's whole setup.
batch() {
	local tool=$1 ns=$2 f=$3
	if [ "$tool" = ip ] && [ -z "$ns" ]; then
		run ip -batch "$f"
	elif [ "$tool" = ip ]; then
		run ip -n "$ns" -batch "$f"
	else
		run "$KIPSEC" -n "$ns" -batch "$f"
	fi
	[ "$RC" -eq 0 ] && return 0
	diag "$tool -batch in $ns failed (exit $RC): $OUT"
	diag "$(grep -n . "$f")"
	return 1
}

# nodad ADDR: "nodad" for an IPv6 address (usable at once), else nothing.
nodad() { [[ $1 == *:* ]] && echo nodad; }

NSA='' NSB=''
# topo_new: fresh namespaces NSA, NSB (the previous case's deleted) joined
# by a veth pair, vethA in NSA and vethB in NSB, still down and without
# addresses (configure_* does that in the same batch as the rest of its
# side). One `ip -batch`.
topo_new() {
	local old_a=$NSA old_b=$NSB
	_ns_seq=$((_ns_seq + 2))
	NSA="kst-$$-$((_ns_seq - 1))" NSB="kst-$$-$_ns_seq"
	ns_track "$NSA"
	ns_track "$NSB"
	{
		[ -n "$old_a" ] && echo "netns del $old_a"
		[ -n "$old_b" ] && echo "netns del $old_b"
		echo "netns add $NSA"
		echo "netns add $NSB"
		echo "link add vethA netns $NSA type veth peer name vethB netns $NSB"
	} >"$CDIR/topo.ip"
	batch ip "" "$CDIR/topo.ip"
}

# side a|b: the point of view of one side, for the configure functions.
side() {
	if [ "$1" = a ]; then
		S_NS=$NSA L_OUT=$OA R_OUT=$OB L_IN=$IA L_NET=$NA R_NET=$NB
		SPI_OUT=$SPI_AB SPI_IN=$SPI_BA UL=vethA TUN=ipsec0
		EK_OUT=$EK_AB AK_OUT=$AK_AB EK_IN=$EK_BA AK_IN=$AK_BA
	else
		S_NS=$NSB L_OUT=$OB R_OUT=$OA L_IN=$IB L_NET=$NB R_NET=$NA
		SPI_OUT=$SPI_BA SPI_IN=$SPI_AB UL=vethB TUN=ipsec1
		EK_OUT=$EK_BA AK_OUT=$AK_BA EK_IN=$EK_AB AK_IN=$AK_AB
	fi
}

# sa_dir out|in: SRC DST SPI EK AK of that direction's SA
sa_dir() {
	if [ "$1" = out ]; then
		SRC=$L_OUT DST=$R_OUT SPI=$SPI_OUT EK=$EK_OUT AK=$AK_OUT
	else
		SRC=$R_OUT DST=$L_OUT SPI=$SPI_IN EK=$EK_IN AK=$AK_IN
	fi
}

# ip_lines: `ip -batch` lines for lo, the underlay with the outer address,
# and the tunnel device (which must exist by then) up with the inner
# address and the route to the peer's inner network.
ip_lines() {
	echo "link set lo up"
	echo "address add $L_OUT/$OPLEN dev $UL $(nodad "$L_OUT")"
	echo "link set $UL up"
	echo "link set $TUN mtu $TUN_MTU up"
	echo "address add $L_IN/$IPLEN dev $TUN $(nodad "$L_IN")"
	echo "route add $R_NET dev $TUN src $L_IN"
}

# --- kipsec: `kipsec -batch` lines
kipsec_sa_line() {	# out|in
	sa_dir "$1"
	echo "sa add src $SRC dst $DST proto esp spi $SPI mode tunnel" \
		"$(kipsec_alg "$EK" "$AK")" \
		"replay-window 64 if_id $IFID reqid $REQID"
}
kipsec_sa() {	# out|in: add one SA now
	kipsec_sa_line "$1" >"$CDIR/sa.kipsec"
	batch kipsec "$S_NS" "$CDIR/sa.kipsec"
}
# configure_kipsec NS a|b [no-in-sa]: a kipsec link, SAs and policies bound
# to its if_id, the tunnel device's addresses and route.
configure_kipsec() {
	side "$2"
	[ "$S_NS" = "$1" ] || { diag "configure_kipsec: $1 is not side $2"; return 1; }
	{
		echo "link add $TUN if_id $IFID underlay $UL"
		kipsec_sa_line out
		[ "${3:-}" = no-in-sa ] || kipsec_sa_line in
		echo "policy add dir out src $L_NET dst $R_NET if_id $IFID" \
			"action protect tmpl proto esp mode tunnel reqid $REQID" \
			"src $L_OUT dst $R_OUT"
		echo "policy add dir in src $R_NET dst $L_NET if_id $IFID" \
			"action protect tmpl proto esp mode tunnel reqid $REQID" \
			"src $R_OUT dst $L_OUT"
	} >"$CDIR/$2.kipsec"
	ip_lines >"$CDIR/$2.ip"
	batch kipsec "$S_NS" "$CDIR/$2.kipsec" && batch ip "$S_NS" "$CDIR/$2.ip"
}

# --- native XFRM: an xfrm interface (route-based, like a kipsec link)
# flag af-unspec: no selector family. Without it the state's (empty)
# selector gets the outer family and never matches an inner flow of the
# other family (xfrm_state_look_at), so 4in6 and 6in4 find no SA.
xfrm_sa_line() {	# out|in
	sa_dir "$1"
	xfrm_alg "$EK" "$AK"
	echo "xfrm state add src $SRC dst $DST proto esp spi $SPI" \
		"reqid $REQID mode tunnel replay-window 64 flag af-unspec" \
		"if_id $IFID ${XA[*]}"
}
xfrm_sa() {	# out|in: add one SA now
	xfrm_sa_line "$1" >"$CDIR/sa.ip"
	batch ip "$S_NS" "$CDIR/sa.ip"
}
# configure_xfrm NS a|b [no-in-sa]
configure_xfrm() {
	side "$2"
	[ "$S_NS" = "$1" ] || { diag "configure_xfrm: $1 is not side $2"; return 1; }
	{
		echo "link add $TUN type xfrm dev $UL if_id $IFID"
		ip_lines
		xfrm_sa_line out
		[ "${3:-}" = no-in-sa ] || xfrm_sa_line in
		echo "xfrm policy add src $L_NET dst $R_NET dir out if_id $IFID" \
			"tmpl src $L_OUT dst $R_OUT proto esp reqid $REQID mode tunnel"
		echo "xfrm policy add src $R_NET dst $L_NET dir in if_id $IFID" \
			"tmpl src $R_OUT dst $L_OUT proto esp reqid $REQID mode tunnel"
	} >"$CDIR/$2.ip"
	batch ip "$S_NS" "$CDIR/$2.ip"
}

# ---------------------------------------------------------------- counters
declare -A CTR=()
# ctrs_read NS IMPL: NS's counters into CTR, in one or two processes:
#   CTR[SPI packets|replay|integrity] for every SA (SPI as 0x%08x; replay
#       = duplicates + left of the window, integrity = ICV failures),
#   CTR[ns_replay], CTR[ns_integrity]: the namespace's drop counters,
#   CTR[xfrm_nostates]: XfrmInNoStates.
# Native XFRM always (ip -s xfrm state: "84(bytes), 1(packets)" under
# "lifetime current:", "replay-window N replay N failed N" under "stats:";
# /proc/net/xfrm_stat: XfrmInStateSeqError counts replays, and
# XfrmInStateProtoError ESP ICV failures, -EBADMSG from esp_input); with
# IMPL kipsec also `kipsec -j -s sa show` (stats.packets, replay_drops,
# integrity_failures) and `kipsec -j stats` (the per-namespace drop
# reasons in-replay, in-integrity...), whose values override.
ctrs_read() {
	local ns=$1 impl=$2 out line spi=
	CTR=()
	out=$(ip netns exec "$ns" sh -c 'ip -s xfrm state; echo @@; cat /proc/net/xfrm_stat')
	while IFS= read -r line; do
		if [[ $line =~ proto\ [a-z]+\ spi\ (0x[0-9a-f]+) ]]; then
			spi=${BASH_REMATCH[1]}
		elif [[ $line =~ ^[[:space:]]*([0-9]+)\(bytes\),\ ([0-9]+)\(packets\) ]]; then
			CTR[$spi packets]=${BASH_REMATCH[2]}
		elif [[ $line =~ replay-window\ ([0-9]+)\ replay\ ([0-9]+)\ failed\ ([0-9]+) ]]; then
			CTR[$spi replay]=$((BASH_REMATCH[1] + BASH_REMATCH[2]))
			CTR[$spi integrity]=${BASH_REMATCH[3]}
		elif [[ $line =~ ^(Xfrm[A-Za-z]+)[[:space:]]+([0-9]+) ]]; then
			CTR[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		fi
	done <<<"$out"
	CTR[xfrm_nostates]=${CTR[XfrmInNoStates]:-}
	if [ "$impl" = xfrm ]; then
		CTR[ns_replay]=${CTR[XfrmInStateSeqError]:-}
		CTR[ns_integrity]=${CTR[XfrmInStateProtoError]:-}
		return 0
	fi
	out=$(ip netns exec "$ns" sh -c '"$1" -j -s sa show; echo; echo @@;
		"$1" -j stats' _ "$KIPSEC" 2>&1)
	while read -r spi a b c; do
		CTR[$spi packets]=$a CTR[$spi replay]=$b CTR[$spi integrity]=$c
	done < <(jq -r '.[] | "\(.spi) \(.stats.packets) \(.stats.replay_drops) \(.stats.integrity_failures)"' \
		<<<"${out%%@@*}" 2>/dev/null)
	CTR[ns_replay]=$(kipsec_stat in-replay "${out#*@@}")
	CTR[ns_integrity]=$(kipsec_stat in-integrity "${out#*@@}")
}

# kipsec_stat NAME JSON: counter NAME (in-replay, in-integrity) from the
# output of `kipsec -j stats`, {"in-malformed":N,...,"in-replay":N,...}
# (Documentation/kipsec.8.rst; the plain output is "NAME N" per line).
kipsec_stat() { jq -r --arg k "$1" '.[$k] // empty' <<<"$2" 2>/dev/null; }

# ---------------------------------------------------------------- helpers
# tmark WHAT: with KIPSEC_ESP_TIMING=1, the time since the case began.
tmark() {
	[ "${KIPSEC_ESP_TIMING:-0}" = 1 ] || return 0
	diag "t+$(( $(date +%s%N) / 1000000 - CASE_MS )) ms: $1"
}

CAP_PID='' SRV_PID='' CAP_DROPPED=0

# cap_start NS DEV FILE: tcpdump on DEV writing FILE (pcap, for
# re-injection) and printing its decoding to FILE.txt as it goes (so no
# second tcpdump has to read it back); back once it listens.
cap_start() {
	local i
	rm -f "$3" "$3.txt"
	ip netns exec "$1" tcpdump -Z root -n -U -s 0 -B 32768 -i "$2" \
		-w "$3" --print -l >"$3.txt" 2>"$3.err" &
	CAP_PID=$!
	for ((i = 0; i < 200; i++)); do
		grep -q "listening on" "$3.err" 2>/dev/null && return 0
		kill -0 "$CAP_PID" 2>/dev/null || break
		sleep 0.1
	done
	diag "tcpdump did not start:"
	diag "$(cat "$3.err")"
	return 1
}

# cap_sync FILE: a ping from A to B's outer address (clear text, no policy
# covers it), and a wait until tcpdump has printed its reply: the capture
# has caught up with everything sent before (a loaded TCG guest may not
# schedule tcpdump for a while, and on SIGINT it drops what it has not
# read yet).
cap_sync() {
	local i
	ip netns exec "$NSA" ping -n -c 1 -W 3 "$OB" >/dev/null 2>&1
	for ((i = 0; i < 100; i++)); do
		grep -qE "IP6? $OB > $OA: ICMP.*echo reply" "$1.txt" && return 0
		sleep 0.1
	done
	diag "cap_sync: the marker ping's reply never showed in the capture"
}

# cap_stop FILE: stop tcpdump; CAP_DROPPED = packets it lost.
cap_stop() {
	[ -n "$CAP_PID" ] || return 0
	kill -INT "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=''
	CAP_DROPPED=$(sed -nE 's/^([0-9]+) packets? dropped by kernel.*/\1/p' "$1.err")
	CAP_DROPPED=${CAP_DROPPED:-unknown}
}

# srv_start NS DIR PORT...: the TCP server, in the background.
srv_start() {
	local ns=$1 dir=$2
	shift 2
	mkdir -p "$dir"
	rm -f "$dir.ready"
	ip netns exec "$ns" "$PYTHON" "$ESPDIR/xfer-server.py" "$dir" \
		"$dir.ready" "$@" >"$dir.log" 2>&1 &
	SRV_PID=$!
}
srv_wait() {	# DIR
	local i
	for ((i = 0; i < 300; i++)); do
		[ -e "$1.ready" ] && return 0
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
	done
	diag "the TCP server did not start:"
	diag "$(cat "$1.log")"
	return 1
}
srv_stop() {
	[ -n "$SRV_PID" ] || return 0
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=
}

case_stop() {
	[ -n "$CAP_PID" ] && { kill "$CAP_PID"; wait "$CAP_PID"; } 2>/dev/null
	CAP_PID=
	srv_stop
}
on_exit case_stop


# ping_both: 3 pings A->B, then 3 B->A (even if the first failed).
ping_both() {
	local r=0
	ping_n "$NSA" "$IB" 3 || r=1
	ping_n "$NSB" "$IA" 3 || r=1
	return "$r"
}

# ping_n NS DST N: N echo requests 0.2 s apart, all answered.
ping_n() {
	run ip netns exec "$1" ping -n -c "$3" -i 0.2 -W 5 "$2"
	grep -qE "^$3 packets transmitted, $3 received" <<<"$OUT" && return 0
	diag "ping $2 from $1 (exit $RC):"
	diag "$OUT"
	return 1
}

# case_state: diagnostics when traffic failed.
case_state() {
	local ns impl
	for ns in "$NSA:$IMPL_A" "$NSB:$IMPL_B"; do
		impl=${ns#*:}
		ns=${ns%%:*}
		diag "--- $ns ($impl)"
		if [ "$impl" = kipsec ]; then
			diag "$(ip netns exec "$ns" "$KIPSEC" -s sa show 2>&1)"
			diag "$(ip netns exec "$ns" "$KIPSEC" stats 2>&1)"
		else
			diag "$(ip -n "$ns" -s xfrm state 2>&1 | grep -E '^src|spi|packets\)|replay-window [0-9]+ replay')"
			diag "$(ip netns exec "$ns" cat /proc/net/xfrm_stat | awk '$2 != 0')"
		fi
		diag "$(ip -n "$ns" -s link show 2>&1 | grep -A5 -E 'ipsec[01]')"
	done
}

# tcp_put NS HOST PORT FILE NAME: send FILE as NAME to the server; it
# answers "OK LEN" once the file is complete on its disk.
tcp_put() {
	run ip netns exec "$1" timeout 20 bash -c '
		exec 3<>"/dev/tcp/$1/$2" || exit 1
		{ printf "PUT %s %d\n" "$4" "$(stat -c %s "$3")"; cat "$3"; } >&3 ||
			exit 1
		read -r -t 20 ok n <&3 && echo "$ok $n" && [ "$ok" = OK ]' \
		_ "$2" "$3" "$4" "$5"
	[ "$RC" -eq 0 ] && return 0
	diag "TCP PUT $5 to $2 port $3 from $1 failed (exit $RC): $OUT"
	return 1
}
# tcp_get NS HOST PORT NAME OUTFILE: fetch NAME from the server.
tcp_get() {
	run ip netns exec "$1" timeout 20 bash -c '
		exec 3<>"/dev/tcp/$1/$2" || exit 1
		printf "GET %s\n" "$3" >&3 || exit 1
		cat <&3 >"$4"' _ "$2" "$3" "$4" "$5"
	[ "$RC" -eq 0 ] && return 0
	diag "TCP GET $4 from $2 port $3 to $1 failed (exit $RC): $OUT"
	return 1
}
# same_file WHAT SHA256 RECEIVED: the sha256 of the file the receiver got
# is the sender's.
same_file() {
	local b
	b=$(sha256sum <"$3" 2>/dev/null | cut -d' ' -f1)
	[ "$2" = "$b" ] && return 0
	diag "$1: sha256 $b ($(stat -c %s "$3" 2>/dev/null || echo no) bytes) at the receiver, $2 sent"
	return 1
}
# xfer_ab HOST PORT: A sends data-ab to B's server, checked at B.
xfer_ab() {
	rm -f "$SRV/ab"
	tcp_put "$NSA" "$1" "$2" "$TMPD/data-ab" ab &&
	same_file "A->B" "$SHA_AB" "$SRV/ab"
}
# xfer_ba HOST PORT: B's server sends data-ba to A, checked at A.
xfer_ba() {
	rm -f "$CDIR/ba"
	tcp_get "$NSA" "$1" "$2" ../../data-ba "$CDIR/ba" &&
	same_file "B->A" "$SHA_BA" "$CDIR/ba"
}

# wire_parse CAP: indexes tcpdump's decoding of the capture (CAP.txt),
# ESP as
#   "IP 192.0.2.1 > 192.0.2.2: ESP(spi=0x00010011,seq=0x1), length 120":
# WSEQ["SRC DST SPI"] = the sequence numbers (decimal) in capture order,
# WCNT["SRC DST SPI"] = their number; WIP = every other IPv4/IPv6 line.
declare -A WSEQ=() WCNT=()
WIP=()
wire_parse() {
	local kind a b c d line
	WSEQ=() WCNT=() WIP=()
	# E SRC DST SPI SEQ for ESP; I LINE for other IP packets
	while read -r kind a b c d; do
		if [ "$kind" = E ]; then
			WSEQ[$a $b $c]+=" $((d))"
			WCNT[$a $b $c]=$((${WCNT[$a $b $c]:-0} + 1))
		else
			WIP+=("$a $b $c $d")
		fi
	done < <(awk '
		($2 == "IP" || $2 == "IP6") && $4 == ">" {
			if ($6 ~ /^ESP\(spi=0x[0-9a-f]+,seq=0x[0-9a-f]+\)/) {
				split($6, f, /[=,)]/)
				print "E", $3, substr($5, 1, length($5) - 1), f[2], f[4]
			} else {
				print "I", $0
			}
		}' "$1.txt")
}

# seq_check WHAT SRC DST SPI NFIRST [gaps-ok]: the ESP packets SRC->DST
# with SPI are numbered 1..NFIRST first (the pings, one at a time), then
# the others carry the numbers after that, each once, in any order (a veth
# delivers through per-CPU backlogs, so packets that two CPUs sent can
# swap places on the wire), without gaps unless tcpdump lost packets or
# gaps-ok is given (packets that B sent and the veth lost before A's
# capture saw them).
seq_check() {
	local what=$1 nfirst=$5 i=0 s prev
	local -a seqs sorted
	read -r -a seqs <<<"${WSEQ[$2 $3 $4]:-}"
	if [ "${#seqs[@]}" -lt "$nfirst" ]; then
		diag "$what: ${#seqs[@]} ESP packets with spi $4 from $2, expected at least $nfirst"
		return 1
	fi
	for ((i = 1; i <= nfirst; i++)); do
		[ "${seqs[i - 1]}" -eq "$i" ] && continue
		diag "$what: ESP packet $i with spi $4 has seq ${seqs[i - 1]}, expected $i (first ones: ${seqs[*]:0:12})"
		return 1
	done
	mapfile -t sorted < <(printf '%s\n' "${seqs[@]}" | sort -n)
	prev=0
	for s in "${sorted[@]}"; do
		if [ "$s" -eq "$prev" ]; then
			diag "$what: seq $s twice (spi $4)"
			return 1
		fi
		if [ "$s" -ne $((prev + 1)) ] && [ "$CAP_DROPPED" = 0 ]; then
			if [ "${6:-}" = gaps-ok ]; then
				diag "$what: seq $((prev + 1))..$((s - 1)) not seen on vethA (spi $4)"
			else
				diag "$what: seq $((prev + 1))..$((s - 1)) missing (spi $4, ${#seqs[@]} packets)"
				return 1
			fi
		fi
		prev=$s
	done
}

# esp_count SRC DST SPI
esp_count() { echo "${WCNT[$1 $2 $3]:-0}"; }

# spis_only SRC DST SPI...: every ESP packet SRC->DST carries one of SPI.
spis_only() {
	local s=$1 d=$2 k bad=
	shift 2
	for k in "${!WCNT[@]}"; do
		[[ $k == "$s $d "* ]] || continue
		[[ " $* " == *" ${k##* } "* ]] || bad+=" ${k##* } (${WCNT[$k]})"
	done
	[ -z "$bad" ] && return 0
	diag "ESP $s -> $d with unexpected SPIs (packets):$bad"
	return 1
}

# hostport X: tcpdump's ADDR or ADDR.PORT into H and P.
hostport() {
	H=$1 P=
	if [[ $1 == *:* ]]; then
		[[ $1 =~ ^(.*)\.([0-9]+)$ ]] && H=${BASH_REMATCH[1]} P=${BASH_REMATCH[2]}
	elif [[ $1 =~ ^([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)\.([0-9]+)$ ]]; then
		H=${BASH_REMATCH[1]} P=${BASH_REMATCH[2]}
	fi
}

# clear_none WHAT ADDR|:PORT...: no packet on the wire other than ESP has
# one of these addresses or ports as source or destination.
clear_none() {
	local what=$1 line x bad=()
	local re=' IP6? ([^ ]+) > ([^ ]+): '
	shift
	for line in "${WIP[@]}"; do
		[[ $line =~ $re ]] || continue
		for x in "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"; do
			hostport "$x"
			if [[ " $* " == *" $H "* ]] ||
			   { [ -n "$P" ] && [[ " $* " == *" :$P "* ]]; }; then
				bad+=("$line")
				break
			fi
		done
	done
	[ "${#bad[@]}" -eq 0 ] && return 0
	diag "$what on the wire in clear (${#bad[@]} packets):"
	diag "$(printf '%s\n' "${bad[@]:0:5}")"
	return 1
}

# wire_ok CAP NFIRST: the tunnel's ESP on vethA as configured.
wire_ok() {
	local r=0
	[ "$CAP_DROPPED" = 0 ] || diag "tcpdump dropped $CAP_DROPPED packets"
	seq_check "A->B" "$OA" "$OB" "$SPI_AB" "$2" || r=1
	seq_check "B->A" "$OB" "$OA" "$SPI_BA" "$2" gaps-ok || r=1
	# shellcheck disable=SC2086 # EXTRA_*: none or one more SPI
	spis_only "$OA" "$OB" "$SPI_AB" $EXTRA_AB || r=1
	# shellcheck disable=SC2086
	spis_only "$OB" "$OA" "$SPI_BA" $EXTRA_BA || r=1
	clear_none "inner addresses" "$IA" "$IB" || r=1
	[ "$r" = 0 ] || diag "capture: $(wc -l <"$1.txt") packets; first lines:
$(head -n 8 "$1.txt")"
	return "$r"
}

# counters_ok: A's SA packet counters (C_OUT, C_IN: read once the traffic
# settled and the capture caught up, before it stopped) equal the ESP
# packets on vethA. When tcpdump reports packets "dropped by kernel" (a
# slow debug kernel), those are the ones the capture missed: each counter
# may exceed what the capture saw, by CAP_DROPPED in all, never less.
counters_ok() {
	local w_out w_in
	w_out=$(esp_count "$OA" "$OB" "$SPI_AB")
	w_in=$(esp_count "$OB" "$OA" "$SPI_BA")
	if [ "$CAP_DROPPED" = 0 ]; then
		eq "A's outbound SA $SPI_AB packets (ESP A->B on the wire: $w_out)" \
			"$w_out" "$C_OUT" || return 1
		eq "A's inbound SA $SPI_BA packets (ESP B->A on the wire: $w_in)" \
			"$w_in" "$C_IN"
		return
	fi
	((C_OUT >= w_out && C_IN >= w_in &&
	  C_OUT - w_out + C_IN - w_in == CAP_DROPPED)) && return 0
	diag "A's SA packets out $C_OUT in $C_IN; ESP on the wire $w_out and $w_in, plus $CAP_DROPPED the capture dropped"
	return 1
}

# ---------------------------------------------------------------- cases
CASE_N=0
EK_AB='' EK_BA='' AK_AB='' AK_BA=''
# case_begin NAME FAMILY ALG IMPL_A IMPL_B: 0 if the case is to run; sets
# the case's SPIs, keys and directories.
case_begin() {
	CASE_N=$((CASE_N + 1))
	CASE=$1
	if [ -n "$FILTER" ] && ! grep -qE -- "$FILTER" <<<"$CASE"; then
		return 1
	fi
	FAM=$2
	IMPL_A=$4 IMPL_B=$5
	set_family "$FAM"
	alg_set "$3"
	SPI_AB=$(printf '0x%08x' $((0x10000 + CASE_N * 16 + 1)))
	SPI_BA=$(printf '0x%08x' $((0x10000 + CASE_N * 16 + 2)))
	keygen EK_AB "$KLEN" $((CASE_N * 4 + 1))
	keygen EK_BA "$KLEN" $((CASE_N * 4 + 2))
	keygen AK_AB "$ALEN" $((CASE_N * 4 + 3))
	keygen AK_BA "$ALEN" $((CASE_N * 4 + 4))
	CDIR=$TMPD/case$CASE_N
	SRV=$CDIR/srv
	mkdir -p "$CDIR"
	EXTRA_AB='' EXTRA_BA=''
	diag "case $CASE_N: $CASE ($ALG $FAM, A $IMPL_A, B $IMPL_B, spi A->B $SPI_AB B->A $SPI_BA)"
	CASE_T0=$SECONDS
	CASE_MS=$(( $(date +%s%N) / 1000000 ))
}
case_end() {
	case_stop
	diag "case $CASE_N took $((SECONDS - CASE_T0)) s"
}

# setup [no-in-sa]: fresh namespaces, the TCP server in B (it starts while
# the sides are configured), then A and B configured. One TAP line.
setup() {
	local what="$CASE: configure A ($IMPL_A) and B ($IMPL_B)"
	[ "${1:-}" = no-in-sa ] && what+=", A without its inbound SA"
	if topo_new; then
		# shellcheck disable=SC2086 # none or more ports
		srv_start "$NSB" "$SRV" "$PORT" ${SRV_PORTS:-}
		if "configure_$IMPL_A" "$NSA" a "${1:-}" &&
		   "configure_$IMPL_B" "$NSB" b; then
			ok "$what"
			return 0
		fi
	fi
	not_ok "$what"
	return 1
}

# roles kx|kk: A is kipsec and B XFRM, or both kipsec (with
# KIPSEC_ESP_PEER_ONLY=xfrm: XFRM wherever kipsec would be). R_A R_B ROLES
roles() {
	case $1 in
	kx) R_A=$IMPL R_B=xfrm ROLES=kipsec-xfrm ;;
	kk) R_A=$IMPL R_B=$IMPL ROLES=kipsec-kipsec ;;
	esac
}

# esp_case FAMILY ALG kx|kk: the data-path checks.
esp_case() {
	local cap
	roles "$3"
	case_begin "$1 $2 $ROLES" "$1" "$2" "$R_A" "$R_B" || return 0
	cap=$CDIR/cap
	setup || { case_end; return; }
	tmark configured
	if ! cap_start "$NSA" vethA "$cap"; then
		not_ok "$CASE: tcpdump on vethA"
		case_end
		return
	fi
	if t "$CASE: ping A->B and B->A, 3 each" ping_both; then
		tmark pinged
		srv_wait "$SRV"
		tmark "server ready"
		t "$CASE: TCP $XFER_BYTES bytes A->B, sha256 checked at B" \
			xfer_ab "$IB" "$PORT"
		t "$CASE: TCP $XFER_BYTES bytes B->A, sha256 checked at A" \
			xfer_ba "$IB" "$PORT"
	else
		case_state
		not_ok "$CASE: TCP A->B (not attempted: no connectivity)"
		not_ok "$CASE: TCP B->A (not attempted: no connectivity)"
	fi
	tmark transferred
	sleep 0.5	# the last ACKs and FINs
	cap_sync "$cap"
	ctrs_read "$NSA" "$IMPL_A"
	C_OUT=${CTR[$SPI_AB packets]:-} C_IN=${CTR[$SPI_BA packets]:-}
	cap_stop "$cap"
	wire_parse "$cap"
	tmark "capture parsed"
	t "$CASE: wire: ESP spi $SPI_AB A->B and $SPI_BA B->A, seq 1..6 then the next ones, no clear text" \
		wire_ok "$cap" 6
	t "$CASE: A's SA packet counters equal the ESP packets on the wire" \
		counters_ok
	case_end
}

# ---------------------------------------------------------------- replay
# ctr_get NAME: A's counter NAME from CTR (after ctrs_read) into V:
# in_packets, in_replay, in_integrity (A's inbound SA), out_packets (A's
# outbound SA), ns_replay, ns_integrity, xfrm_nostates.
ctr_get() {
	case $1 in
	in_*) V=${CTR[$SPI_BA ${1#in_}]:-} ;;
	out_*) V=${CTR[$SPI_AB ${1#out_}]:-} ;;
	*) V=${CTR[$1]:-} ;;
	esac
}
declare -A BASE=()
ctr_base() {
	local c
	ctrs_read "$NSA" "$IMPL_A"
	for c in "$@"; do
		ctr_get "$c"
		BASE[$c]=$V
	done
}
# ctr_expect NAME:DELTA...: each counter moved by DELTA since ctr_base (or
# the last ctr_expect); polls up to 6 s for the packets to be processed.
ctr_expect() {
	local try spec c want bad
	for ((try = 0; try < 12; try++)); do
		[ "$try" -gt 0 ] && sleep 0.5
		ctrs_read "$NSA" "$IMPL_A"
		bad=
		for spec in "$@"; do
			c=${spec%%:*}
			ctr_get "$c"
			if [ -z "${BASE[$c]}" ]; then
				bad+="$c: no value before; "
				continue
			fi
			want=$((BASE[$c] + ${spec#*:}))
			[ "$V" = "$want" ] ||
				bad+="$c: expected $want (${BASE[$c]} + ${spec#*:}), got '$V'; "
		done
		[ -z "$bad" ] && break
	done
	for spec in "$@"; do
		c=${spec%%:*}
		ctr_get "$c"
		BASE[$c]=$V
	done
	[ -z "$bad" ] && return 0
	diag "${bad%; }"
	return 1
}

# inject CAP SPI [--seq L] [--flip N]: B puts captured frames on vethB again.
inject() {
	local cap=$1 spi=$2
	shift 2
	run ip netns exec "$NSB" timeout 60 "$PYTHON" "$ESPDIR/inject.py" \
		"$cap" vethB "$spi" "$@"
	[ "$RC" -eq 0 ] && return 0
	diag "inject.py $spi $* (exit $RC): $OUT"
	return 1
}

# ping_lost NS DST: one echo request, not answered.
ping_lost() {
	run ip netns exec "$1" ping -n -c 1 -W 2 "$2"
	grep -qE "^1 packets transmitted, 0 received" <<<"$OUT" && return 0
	diag "ping $2 from $1 should have failed (exit $RC):"
	diag "$OUT"
	return 1
}

# b_seqs_are CAP LIST: the ESP packets B->A on the wire have these seqs.
b_seqs_are() {
	eq "seqs of ESP B->A spi $SPI_BA on vethA" "$2" "${WSEQ[$OB $OA $SPI_BA]# }"
}

add_in_sa() { side a; "${IMPL_A}_sa" in; }

# esp_replay_case FAMILY ALG ROLES: B's ESP captured on vethA and injected
# again from B. B's first packet (seq 1) reaches A before A has its inbound
# SA, so A never accepted it: later it serves, altered, for the integrity
# check (a replay check before decryption cannot hide it), then unaltered
# (accepted: a failed packet must not move the window), then again (a
# replay).
esp_replay_case() {
	local cap
	roles "$3"
	case_begin "$1 $2 replay+integrity $ROLES" "$1" "$2" "$R_A" "$R_B" ||
		return 0
	cap=$CDIR/cap
	setup no-in-sa || { case_end; return; }
	cap_start "$NSA" vethA "$cap" || { not_ok "$CASE: tcpdump"; case_end; return; }
	ctr_base xfrm_nostates
	t "$CASE: B->A ping before A has the inbound SA: lost, XfrmInNoStates +1" \
		eval 'ping_lost "$NSB" "$IA" && ctr_expect xfrm_nostates:1'
	t "$CASE: add A's inbound SA" add_in_sa
	t "$CASE: ping B->A, 3" ping_n "$NSB" "$IA" 3
	cap_sync "$cap"
	cap_stop "$cap"
	wire_parse "$cap"
	t "$CASE: wire: B->A seq 1 (lost), 2, 3, 4" b_seqs_are "$cap" "1 2 3 4"
	ctr_base in_packets in_replay in_integrity out_packets ns_replay ns_integrity
	t "$CASE: seq 2-4 injected again: dropped as replays (SA +3), none answered" \
		eval 'inject "$cap" "$SPI_BA" --seq 2,3,4 &&
		ctr_expect in_replay:3 in_packets:0 in_integrity:0 out_packets:0'
	t "$CASE: namespace replay counter +3" ctr_expect ns_replay:3 ns_integrity:0
	t "$CASE: seq 1 with a ciphertext byte flipped: dropped, SA integrity failures +1" \
		eval 'inject "$cap" "$SPI_BA" --seq 1 --flip 28 &&
		ctr_expect in_integrity:1 in_replay:0 in_packets:0 out_packets:0'
	t "$CASE: namespace integrity counter +1" ctr_expect ns_integrity:1 ns_replay:0
	t "$CASE: seq 1 as sent (inside the window, never accepted): accepted and answered" \
		eval 'inject "$cap" "$SPI_BA" --seq 1 &&
		ctr_expect in_packets:1 out_packets:1 in_replay:0 in_integrity:0'
	t "$CASE: seq 1 once more: a replay" \
		eval 'inject "$cap" "$SPI_BA" --seq 1 &&
		ctr_expect in_replay:1 in_packets:0 out_packets:0 in_integrity:0'
	t "$CASE: ping A->B and B->A still work" ping_both
	case_end
}

# ---------------------------------------------------------------- coexistence
TSPI_AB=0x00007001
TSPI_BA=0x00007002
# xfrm_transport NS a|b: native XFRM transport-mode ESP (AES-CBC,
# HMAC-SHA-256-128, if_id 0, reqid 70) between the outer addresses for TCP
# port NPORT only, the server's port in B.
xfrm_transport() {
	local ns=$1 ek_ab ak_ab ek_ba ak_ba sel_ab sel_ba
	keygen ek_ab 16 91
	keygen ak_ab 32 92
	keygen ek_ba 16 93
	keygen ak_ba 32 94
	sel_ab=(src "$OA" dst "$OB" proto tcp dport "$NPORT")
	sel_ba=(src "$OB" dst "$OA" proto tcp sport "$NPORT")
	must ip -n "$ns" xfrm state add src "$OA" dst "$OB" proto esp \
		spi "$TSPI_AB" reqid 70 mode transport replay-window 64 \
		enc 'cbc(aes)' "0x$ek_ab" auth-trunc 'hmac(sha256)' "0x$ak_ab" 128 &&
	must ip -n "$ns" xfrm state add src "$OB" dst "$OA" proto esp \
		spi "$TSPI_BA" reqid 70 mode transport replay-window 64 \
		enc 'cbc(aes)' "0x$ek_ba" auth-trunc 'hmac(sha256)' "0x$ak_ba" 128 ||
		return 1
	if [ "$2" = a ]; then
		must ip -n "$ns" xfrm policy add "${sel_ab[@]}" dir out tmpl \
			src "$OA" dst "$OB" proto esp reqid 70 mode transport &&
		must ip -n "$ns" xfrm policy add "${sel_ba[@]}" dir in tmpl \
			src "$OB" dst "$OA" proto esp reqid 70 mode transport
	else
		must ip -n "$ns" xfrm policy add "${sel_ba[@]}" dir out tmpl \
			src "$OB" dst "$OA" proto esp reqid 70 mode transport &&
		must ip -n "$ns" xfrm policy add "${sel_ab[@]}" dir in tmpl \
			src "$OA" dst "$OB" proto esp reqid 70 mode transport
	fi
}

native_wire_ok() {
	seq_check "native A->B" "$OA" "$OB" "$TSPI_AB" 1 &&
	seq_check "native B->A" "$OB" "$OA" "$TSPI_BA" 1 gaps-ok &&
	clear_none "TCP port $NPORT" ":$NPORT"
}
native_counters_ok() {
	local r=0
	eq "A's native SA $TSPI_AB packets" \
		"$(esp_count "$OA" "$OB" "$TSPI_AB")" "$N_OUT" || r=1
	eq "A's native SA $TSPI_BA packets" \
		"$(esp_count "$OB" "$OA" "$TSPI_BA")" "$N_IN" || r=1
	return "$r"
}

# esp_coexist_case: a kipsec tunnel and native XFRM transport mode in one
# namespace, over the same underlay and outer addresses, told apart by SPI.
esp_coexist_case() {
	local cap
	roles kx
	case_begin "4in4 gcm16-128 + native XFRM transport $ROLES" 4in4 gcm16-128 \
		"$R_A" "$R_B" || return 0
	cap=$CDIR/cap
	SRV_PORTS=$NPORT setup || { case_end; return; }
	t "$CASE: native XFRM transport SAs and policies for TCP port $NPORT in A and B" \
		eval 'xfrm_transport "$NSA" a && xfrm_transport "$NSB" b'
	cap_start "$NSA" vethA "$cap" ||
		{ not_ok "$CASE: tcpdump"; case_end; return; }
	t "$CASE: tunnel: ping A->B and B->A, 3 each" ping_both
	srv_wait "$SRV"
	t "$CASE: tunnel: TCP both ways, sha256 checked" \
		eval 'xfer_ab "$IB" "$PORT" && xfer_ba "$IB" "$PORT"'
	t "$CASE: native transport: TCP both ways to $OB port $NPORT, sha256 checked" \
		eval 'xfer_ab "$OB" "$NPORT" && xfer_ba "$OB" "$NPORT"'
	sleep 0.5
	cap_sync "$cap"
	ctrs_read "$NSA" "$IMPL_A"
	C_OUT=${CTR[$SPI_AB packets]:-} C_IN=${CTR[$SPI_BA packets]:-}
	N_OUT=${CTR[$TSPI_AB packets]:-} N_IN=${CTR[$TSPI_BA packets]:-}
	cap_stop "$cap"
	wire_parse "$cap"
	EXTRA_AB=$TSPI_AB EXTRA_BA=$TSPI_BA
	t "$CASE: wire: tunnel ESP as configured, seq 1..6 then the next ones, no clear text" \
		wire_ok "$cap" 6
	t "$CASE: wire: native ESP spi $TSPI_AB and $TSPI_BA seq from 1, no clear TCP $NPORT" \
		native_wire_ok "$cap"
	t "$CASE: A's tunnel SA packet counters equal the wire" counters_ok
	t "$CASE: A's native SA packet counters equal the wire" native_counters_ok
	case_end
}

# ---------------------------------------------------------------- main
start=$SECONDS
for row in "${ALGS[@]}"; do
	read -r alg _ <<<"$row"
	esp_case 4in4 "$alg" kx
done
for fam in 6in6 4in6 6in4; do
	esp_case "$fam" gcm16-128 kx
done
esp_case 6in6 cbc256-sha512 kx
esp_case 4in6 chacha20-poly1305 kx
esp_replay_case 4in4 gcm16-128 kx
esp_replay_case 6in6 cbc128-sha256 kx
esp_coexist_case
esp_case 4in4 gcm16-128 kk
esp_case 6in6 chacha20-poly1305 kk
esp_case 4in6 cbc128-sha256 kk
esp_case 6in4 ctr256-sha512 kk
esp_case 4in4 gmac-256 kk
esp_case 4in4 3des-sha1 kk
esp_replay_case 4in4 ccm16-128 kk
diag "$CASE_N cases in $((SECONDS - start)) s"
exit
}
