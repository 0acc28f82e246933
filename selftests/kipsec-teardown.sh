#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Namespace teardown and module unload at scale: a namespace holding
# KIPSEC_DEFAULT_MAX_SAS (131072) SAs is deleted, then `rmmod kipsec` (which
# waits for the namespace's pernet exit) unloads the module.
#
#   1. quiet: 131072 SAs, nothing else;
#   2. busy: the SAs bound to a kipsec link, pings through the tunnel from
#      a native XFRM peer while the namespace goes, `kipsec -j monitor` open
#      in the namespace until its deletion and in the initial namespace
#      throughout. While the SAs are being torn down, link changes in
#      another namespace must go on: the pernet exit must not hold the RTNL
#      for the SAs. A probe there changes a link's MTU over rtnetlink
#      again and again and, after each change, reads the teardown's
#      progress: the references on the rfc4106(gcm(aes)) transforms in
#      /proc/crypto, one per kipsec SA, which fall as the SAs are freed.
#      Some change must complete once the first SAs are freed and while
#      more than three quarters of them are still held; with the RTNL held
#      for the flush none can, and by the time it is free again about half
#      of the SAs or more are freed;
#   3. unload: `rmmod kipsec` while a namespace with a kipsec link and
#      131072 SAs bound to it lives on: the module deletes the link under
#      the RTNL, which must not be held for the SAs either (the same probe).
#
# Every SA shares the same addresses, so all of them are found by one
# outbound key. Checked: the namespace and the module go away, every SA's
# transform is freed, no event reaches a monitor for SAs torn down, and
# (run.sh) the kernel log stays clean. Times are printed, never asserted:
# under TCG they say little.

. "$(dirname "$0")/lib.sh"

module_check
tool_check
for c in ping bc "$PYTHON"; do
	command -v "$c" >/dev/null || bail "$c missing"
done

# The module's default limit; under the debug kernel (KASAN and kmemleak
# track every allocation) adding and freeing 131072 SAs takes most of an
# hour, so a debug run checks the same structure with 16384.
N=131072
[ "${KIPSEC_DEBUG:-0}" = 1 ] && N=16384
KEY=0x$(hexkey 20 1)
KEY2=0x$(hexkey 20 2)
AEAD="rfc4106(gcm(aes))"

reload() {
	[ -d /sys/module/kipsec ] && return 0
	modprobe kipsec 2>/dev/null || insmod "$TOP/net/kipsec/kipsec.ko"
}
on_exit reload

now() { cut -d' ' -f1 /proc/uptime; }
since() { echo "$(now) - $1" | bc; }

# the references held on rfc4106(gcm(aes)): one per transform in use
aead_refs() {
	awk -v a="$AEAD" '$1 == "name" { n = $3 }
		$1 == "refcnt" && n == a { s += $3 }
		END { print s + 0 }' /proc/crypto
}

# add_sas NS COUNT [WORDS...]: COUNT SAs 10.0.0.1 -> 10.0.0.2, spi
# 0x10000.., WORDS appended to each, in one `kipsec -batch`; the namespace
# then holds N.
add_sas() {
	local ns=$1 count=$2 start
	shift 2
	awk -v n="$count" -v k="$KEY" -v x="$*" 'BEGIN { for (i = 0; i < n; i++)
		printf "sa add src 10.0.0.1 dst 10.0.0.2 proto esp spi %d mode tunnel enc aes-gcm-16 %s %s\n",
			65536 + i, k, x }' >"$TMPD/sa.batch"
	start=$(now)
	must "$KIPSEC" -n "$ns" -batch "$TMPD/sa.batch" || return 1
	diag "adding $count SAs: $(since "$start") s"
	eq "sa_count" "$N" "$("$KIPSEC" -n "$ns" -j limits show | jq .sa_count)" ||
		return 1
	HELD=$(($(aead_refs) - BASE))
	[ "$HELD" -ge "$N" ] && return 0
	diag "$N SAs hold $HELD references on $AEAD"
	return 1
}

# gone NS: the namespace is no longer listed.
gone() {
	! ip netns list | grep -qw "$1" && return 0
	diag "namespace $1 still listed"
	return 1
}

# unload: rmmod waits for every pending pernet exit; afterwards no kipsec
# transform is left.
unload() {
	must rmmod kipsec || return 1
	[ ! -d /sys/module/kipsec ] || { diag "module still loaded"; return 1; }
	eq "$AEAD references after rmmod" "$BASE" "$(aead_refs)"
}

# The probe (in a namespace with link LINK): one line "UPTIME REFS" after
# each MTU change of LINK, until killed.
PROBE='
import socket, struct, sys, time
index = socket.if_nametoindex(sys.argv[1])
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
RTM_NEWLINK, NLM_F_REQUEST, NLM_F_ACK, IFLA_MTU = 16, 1, 4, 4
def refs():
    name, n = None, 0
    with open("/proc/crypto") as f:
        for line in f:
            k, _, v = line.partition(":")
            k, v = k.strip(), v.strip()
            if k == "name":
                name = v
            elif k == "refcnt" and name == "rfc4106(gcm(aes))":
                n += int(v)
    return n
seq = 0
while True:
    seq += 1
    body = struct.pack("BxHiII", socket.AF_UNSPEC, 0, index, 0, 0)
    body += struct.pack("HHI", 8, IFLA_MTU, 1400 + seq % 2 * 100)
    s.send(struct.pack("IHHII", 16 + len(body), RTM_NEWLINK,
                       NLM_F_REQUEST | NLM_F_ACK, seq, 0) + body)
    err = struct.unpack("i", s.recv(4096)[16:20])[0]
    if err:
        sys.exit("RTM_NEWLINK: error %d" % err)
    with open("/proc/uptime") as f:
        up = f.read().split()[0]
    print(up, refs(), flush=True)
    time.sleep(0.005)
'

# probe_start: the probe in P on tdp0, writing $TMPD/probe; back once it
# has completed a change.
probe_start() {
	local i
	: >"$TMPD/probe"
	ip netns exec "$P" "$PYTHON" -c "$PROBE" tdp0 >"$TMPD/probe" 2>&1 &
	PROBE_PID=$!
	bg_track "$PROBE_PID"
	for ((i = 0; i < 600; i++)); do
		[ -s "$TMPD/probe" ] && break
		sleep 0.1
	done
	[ -s "$TMPD/probe" ] && return 0
	diag "the rtnetlink probe did not start"
	return 1
}

# probe_check START END: stop the probe; of its changes between START and
# END (uptimes), print how many, the longest wait for one and how many saw
# between 3/4 and all of the HELD references; fail if none did.
probe_check() {
	local n gap early
	kill "$PROBE_PID"
	wait "$PROBE_PID" 2>/dev/null
	read -r n gap early < <(awk -v s="$1" -v e="$2" -v b="$BASE" -v h="$HELD" '
		$1 >= s && $1 <= e {
			n++
			if (last && $1 - last > gap)
				gap = $1 - last
			last = $1
			if ($2 - b < h && ($2 - b) * 4 > h * 3)
				early++
		}
		$1 < s { last = $1 }
		END { printf "%d %.2f %d\n", n, gap, early }' "$TMPD/probe")
	diag "rtnetlink changes in P meanwhile: $n, longest wait $gap s, $early with 3/4 to all of $HELD SA transforms held"
	[ "${early:-0}" -gt 0 ] && return 0
	diag "no link change completed while the SAs were being torn down: $(tail -n 3 "$TMPD/probe")"
	return 1
}

# ------------------------------------------------------------ 1. quiet
BASE=$(aead_refs)
ns_new Q || bail "ip netns add"
t "$N SAs in a namespace" add_sas "$Q" "$N"

quiet_teardown() {
	local start
	start=$(now)
	must ip netns del "$Q" || return 1
	unload || return 1
	diag "teardown of $N SAs (ip netns del to rmmod done): $(since "$start") s"
	gone "$Q"
}
t "quiet: the namespace and the module go, every transform freed" \
	quiet_teardown
t "modprobe kipsec" must modprobe kipsec

# ------------------------------------------------------------ 2. busy
# P: native XFRM, policy-based, 10.9.0.1 behind 10.0.0.1. T: kipsec link
# kst5 (if_id 5) with one SA to P and N - 1 from it, 10.9.0.2 behind
# 10.0.0.2.
ns_new P || bail "ip netns add"
ns_new T || bail "ip netns add"
busy_setup() {
	must ip link add p0 netns "$P" type veth peer name t0 netns "$T" ||
		return 1
	cat >"$TMPD/p.ip" <<-EOF
		link set p0 up
		address add 10.0.0.1/24 dev p0
		address add 10.9.0.1/32 dev lo
		route add 10.9.0.2/32 via 10.0.0.2 src 10.9.0.1
		xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 65536 reqid 1 mode tunnel aead $AEAD $KEY 128
		xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 512 reqid 1 mode tunnel aead $AEAD $KEY2 128
		xfrm policy add dir out src 10.9.0.1/32 dst 10.9.0.2/32 tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid 1 mode tunnel
		xfrm policy add dir in src 10.9.0.2/32 dst 10.9.0.1/32 tmpl src 10.0.0.2 dst 10.0.0.1 proto esp reqid 1 mode tunnel
	EOF
	must ip -n "$P" -batch "$TMPD/p.ip" || return 1
	BASE=$(aead_refs)
	cat >"$TMPD/t.kipsec" <<-EOF
		link add kst5 if_id 5 underlay t0
		sa add src 10.0.0.2 dst 10.0.0.1 proto esp spi 512 mode tunnel enc aes-gcm-16 $KEY2 if_id 5 reqid 1
		policy add dir out src 10.9.0.2/32 dst 10.9.0.1/32 if_id 5 action protect tmpl proto esp mode tunnel reqid 1 src 10.0.0.2 dst 10.0.0.1
		policy add dir in src 10.9.0.1/32 dst 10.9.0.2/32 if_id 5 action protect tmpl proto esp mode tunnel reqid 1 src 10.0.0.1 dst 10.0.0.2
	EOF
	must "$KIPSEC" -n "$T" -batch "$TMPD/t.kipsec" || return 1
	cat >"$TMPD/t.ip" <<-EOF
		link set t0 up
		address add 10.0.0.2/24 dev t0
		link set kst5 up
		address add 10.9.0.2/32 dev kst5
		route add 10.9.0.1/32 dev kst5 src 10.9.0.2
	EOF
	must ip -n "$T" -batch "$TMPD/t.ip" || return 1
	# the SA P sends through (spi 0x10000) is the oldest of them
	add_sas "$T" $((N - 1)) if_id 5 reqid 1
}
t "busy: link, $N SAs and policies in T, XFRM peer in P" busy_setup

MON_T=$TMPD/monitor-t.json
MON_I=$TMPD/monitor-init.json
busy_traffic() {
	ip netns exec "$T" "$KIPSEC" -j monitor >"$MON_T" 2>&1 &
	MON_T_PID=$!
	"$KIPSEC" -j monitor >"$MON_I" 2>&1 &
	MON_I_PID=$!
	bg_track "$MON_T_PID"
	bg_track "$MON_I_PID"
	must ip netns exec "$P" ping -c 3 -W 5 -I 10.9.0.1 10.9.0.2 || return 1
	# and pings go on until P goes at exit
	ip netns exec "$P" ping -q -i 0.02 -I 10.9.0.1 10.9.0.2 >/dev/null 2>&1 &
	bg_track $!
	must ip -n "$P" link add tdp0 type veth peer name tdp1 || return 1
	probe_start || return 1
	local p
	p=$("$KIPSEC" -n "$T" -j -s sa get dst 10.0.0.2 proto esp spi 0x10000 |
		jq 'if type == "array" then .[0] else . end | .stats.packets')
	[ "${p:-0}" -ge 3 ] && return 0
	diag "SA 0x10000 counted ${p:-nothing} packets"
	return 1
}
t "busy: pings through the tunnel, monitors open in T and init" busy_traffic

# The namespace's last reference goes with T's monitor.
busy_teardown() {
	local start end r=0
	must ip netns del "$T" || return 1
	start=$(now)
	kill "$MON_T_PID"
	wait "$MON_T_PID" 2>/dev/null
	unload || r=1
	end=$(now)
	diag "teardown of $N SAs with traffic and monitors (monitor gone to rmmod done): $(echo "$end - $start" | bc) s"
	gone "$T" || r=1
	probe_check "$start" "$end" || r=1
	return $r
}
t "busy: T and the module go, every transform freed, the RTNL not held up" \
	busy_teardown

monitors() {
	local r=0
	kill "$MON_I_PID" 2>/dev/null
	wait "$MON_I_PID" 2>/dev/null
	# events are per namespace; the module went under this one
	lacks "init's monitor" "$(cat "$MON_I")" '"event"' || r=1
	lacks "T's monitor" "$(cat "$MON_T")" '"event": *"expire"' || r=1
	diag "events seen by T's monitor: $(grep -c '"event"' "$MON_T")"
	return $r
}
t "no expire event for the SAs torn down" monitors
t "modprobe kipsec" must modprobe kipsec

# ------------------------------------------------------------ 3. unload
# rmmod with the namespace alive: the module deletes its links under the
# RTNL, which must not be held for the SAs either.
ns_new U || bail "ip netns add"
live_setup() {
	must "$KIPSEC" -n "$U" link add kst5 if_id 5 || return 1
	BASE=$(aead_refs)
	add_sas "$U" "$N" if_id 5 reqid 1 || return 1
	probe_start
}
t "unload: a live namespace with a link and $N SAs bound to it" live_setup

live_unload() {
	local start end r=0
	start=$(now)
	unload || r=1
	end=$(now)
	diag "rmmod with $N SAs in a live namespace: $(echo "$end - $start" | bc) s"
	probe_check "$start" "$end" || r=1
	must ip -n "$U" -d link show || return 1
	lacks "links in $U" "$OUT" "kipsec|kst5" || r=1
	return $r
}
t "unload: the module goes, every transform freed, the RTNL not held up" \
	live_unload
t "modprobe kipsec" must modprobe kipsec
