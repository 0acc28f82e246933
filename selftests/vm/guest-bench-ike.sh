#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The IKE part of `make bench`, inside the test VM (selftests/vm/run.sh:
# root, cwd = the repo top, tools/kipsec on PATH, kipsec.ko installed for
# modprobe): IKE_SA + CHILD_SA establishments per second with our daemon
# (kipsec ike) as responder versus strongSwan's charon (charon-systemd),
# and the memory each takes per established IKE SA.
#
# Each responder runs twice, in the order kipsec, charon, charon, kipsec
# (a slow spell of the VM weighs on both alike), each time started afresh
# in a fresh pair of namespaces joined by a veth (init 192.168.0.2: the
# load generator; resp 192.168.0.1: the responder), under the same load: tools/kipsec/bench/ike_load establishes
# $W warm-up IKE SAs, then N (default 1000; $1 or KIPSEC_BENCH_IKE_N)
# more with C (default 32; $2 or KIPSEC_BENCH_IKE_C) negotiations in
# flight. Each has one CHILD_SA; PSK; IKE aes128-sha256-ecp256, ESP
# aes128gcm16; IDi load-J.test, TSi 10.128.J/32, TSr 10.129.J/32, which
# both responders narrow their 10.128.0.0/16 <-> 10.129.0.0/16 to, and
# install in the kernel (kipsec.ko; XFRM through kernel-netlink).
#
# The two configurations say the same: one connection from any address
# and identity, one PSK, one child, logging one line per SA to a file.
# charon's DoS thresholds are set to the daemon's fixed ones (cookies
# above 10 half-open IKE SAs, drops above 1000), its IKE SA table sized
# for thousands of SAs (the default is one bucket), and it runs no
# updown script (kipsec runs none); uniqueness is off (unique = never;
# kipsec has no such check).
#
# Measured: the rate ike_load reports (first IKE_SA_INIT to the last
# IKE_AUTH response, every AUTH verified), the responder's VmRSS and
# RssAnon (/proc/PID/status; charon-systemd is one process) after the
# warm-up and after the N, and its CPU time in between (user + system:
# the system part is mostly the SAs going into the kernel); the table has
# the mean of the two runs and each run. Both responders must then list
# N + W established IKE SAs with their CHILD_SA, and the kernel 2 (N + W)
# ESP SAs. Under TCG only the ratios mean anything. The numbers never fail the run: it fails (exit 1) only when
# something breaks. The table also goes to $KIPSEC_RESULTS/bench-ike.txt.
set -uo pipefail
export LC_ALL=C

N=${1:-${KIPSEC_BENCH_IKE_N:-1000}}
C=${2:-${KIPSEC_BENCH_IKE_C:-32}}
W=16	# warm-up SAs: first-use costs (pages, caches) stay out of the figures
case $N$C in '' | *[!0-9]*) echo "guest-bench-ike: bad N '$N' or C '$C'" >&2; exit 2 ;; esac
if [ "$N" -eq 0 ] || [ "$C" -eq 0 ] || [ $((N + W)) -gt 65534 ]; then
	echo "guest-bench-ike: N must be 1..$((65534 - W)), C at least 1" >&2
	exit 2
fi
out=${KIPSEC_RESULTS:-/tmp}/bench-ike.txt
LOAD=$PWD/tools/kipsec/bench/ike_load
PSK=bench-psk-0123456789
NS_I=bike-init
NS_R=bike-resp
T=$(mktemp -d /tmp/kipsec-bench-ike.XXXXXX) || exit 1
failed=0
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	ip netns del "$NS_I" 2>/dev/null
	ip netns del "$NS_R" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

log() { echo "# [$(cut -d' ' -f1 /proc/uptime)] $*"; }
broken() { echo "not ok - bench-ike: $*"; failed=1; }

# status_kb PID FIELD -> kB
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
# cpu_ticks PID -> utime + stime of the process (all its threads);
# sys_ticks PID -> stime alone: in the kernel (installing the SAs)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
sys_ticks() { awk '{ print $15 }' "/proc/$1/stat"; }

netns_up() {
	ip netns add "$NS_I" && ip netns add "$NS_R" &&
		ip -n "$NS_I" link set lo up && ip -n "$NS_R" link set lo up &&
		ip -n "$NS_I" link add eth0 type veth peer name eth0 netns "$NS_R" &&
		ip -n "$NS_I" addr add 192.168.0.2/24 dev eth0 &&
		ip -n "$NS_R" addr add 192.168.0.1/24 dev eth0 &&
		ip -n "$NS_I" link set eth0 up && ip -n "$NS_R" link set eth0 up
}

netns_down() {
	ip netns del "$NS_I" 2>/dev/null
	ip netns del "$NS_R" 2>/dev/null
}

# wait_for FILE: up to 10 s for a socket to appear
wait_for() {
	local tries=50
	while [ "$tries" -gt 0 ]; do
		[ -S "$1" ] && return 0
		sleep 0.2
		tries=$((tries - 1))
	done
	return 1
}

# ------------------------------------------------------------ configurations
# The connection both responders get, in swanctl.conf's vocabulary. $1 is
# what charon has and kipsec refuses (kipsec has no uniqueness check).
swanctl_conf() {
	cat <<EOF
connections {
   load {
      version = 2
      local_addrs = 192.168.0.1
      remote_addrs = %any
      proposals = aes128-sha256-ecp256
      $1
      local {
         auth = psk
         id = resp.test
      }
      remote {
         auth = psk
      }
      children {
         net {
            local_ts = 10.129.0.0/16
            remote_ts = 10.128.0.0/16
            esp_proposals = aes128gcm16
         }
      }
   }
}
secrets {
   ike-load {
      secret = "$PSK"
   }
}
EOF
}

strongswan_conf() {
	cat <<EOF
charon {
  # no updown: it would run a script per CHILD_SA
  load = random nonce openssl kdf aes sha1 sha2 hmac gcm kernel-netlink socket-default vici
  port = 500
  port_nat_t = 4500
  install_routes = no
  install_virtual_ip = no
  # kipsec ike's fixed thresholds (ike/cookie.c): cookies above 10
  # half-open IKE SAs, drops above 1000 (one initiator address here)
  cookie_threshold = 10
  cookie_threshold_ip = 10
  block_threshold = 1000
  # the default is one bucket: every lookup would walk all the SAs
  ikesa_table_size = 4096
  ikesa_table_segments = 16
  plugins {
    vici {
      socket = unix://$T/charon.vici
    }
  }
  filelog {
    charonlog {
      path = $T/charon.log
      time_format = %T
      default = 0
      append = no
    }
    stderr {
      default = -1
    }
  }
}
charon-systemd {
  journal {
    default = -1
  }
}
swanctl {
  socket = unix://$T/charon.vici
  load = random openssl
}
EOF
}

# ------------------------------------------------------------ responders
# start_R / count_R / stop_R for R in kipsec and charon: start sets $pid
# to the responder's process (ip netns exec and env exec it in place).
start_kipsec() {
	rm -f "$T/kipsec.sock"	# the last run's, or wait_for would not wait
	swanctl_conf "" >"$T/kipsec.conf"
	ip netns exec "$NS_R" kipsec ike --config "$T/kipsec.conf" \
		--control "$T/kipsec.sock" >"$T/kipsec.log" 2>&1 &
	pid=$!
	wait_for "$T/kipsec.sock"
}

count_kipsec() {
	ip netns exec "$NS_R" kipsec -C "$T/kipsec.sock" -j status >"$T/kipsec.status" &&
		jq '[.ike_sas[] | select(.state == "ESTABLISHED" and
			(.child_sas | length) == 1)] | length' "$T/kipsec.status"
}

# ESP SAs in the responder's kernel: two per CHILD_SA
ksas_kipsec() { ip netns exec "$NS_R" kipsec sa show | grep -c '^src '; }

SW() { ip netns exec "$NS_R" env STRONGSWAN_CONF="$T/strongswan.conf" swanctl "$@"; }

start_charon() {
	mkdir -p "$T/swanctl"
	rm -f "$T/charon.vici"
	strongswan_conf >"$T/strongswan.conf"
	swanctl_conf "unique = never" >"$T/swanctl/swanctl.conf"
	ip netns exec "$NS_R" env STRONGSWAN_CONF="$T/strongswan.conf" \
		/usr/sbin/charon-systemd >"$T/charon.stderr" 2>&1 &
	pid=$!
	wait_for "$T/charon.vici" &&
		SW --load-all --file "$T/swanctl/swanctl.conf" >"$T/swanctl.out" 2>&1
}

# IKE SAs ESTABLISHED with their CHILD_SA INSTALLED: one line each
count_charon() {
	SW --list-sas --raw >"$T/charon.sas" &&
		grep -c 'state=ESTABLISHED.*state=INSTALLED' "$T/charon.sas"
}

ksas_charon() { ip -n "$NS_R" xfrm state count | awk '{ print $NF }'; }

# leave little for the kernel to free in the background after netns_down
flush_kipsec() { ip netns exec "$NS_R" kipsec policy flush; ip netns exec "$NS_R" kipsec sa flush; }
flush_charon() { ip -n "$NS_R" xfrm policy flush; ip -n "$NS_R" xfrm state flush; }

stop_responder() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
}

# load R: ike_load's output into $T/R.load; 0 if all established
load() {
	local r=$1
	shift
	ip netns exec "$NS_I" "$LOAD" "$@" 192.168.0.1 >"$T/$r.load" 2>&1
}

# after R WORD -> the token after WORD in ike_load's output ("established
# N in T s: R/s", "failed F, retransmissions X, cookies Y, ... CPU U s")
after() {
	awk -v w="$2" '{
		for (i = 1; i < NF; i++)
			if ($i == w) { v = $(i + 1); sub(/(,|\/s)$/, "", v); print v; exit }
	}' "$T/$1.load"
}

# measure R NAME RUN: one run of one responder, in fresh namespaces,
# into R[R$RUN_...]
measure() {
	local r=$1 name=$2 p=$1$3 t0 c0 s0 got

	netns_up || { broken "$name: cannot set up the namespaces"; return; }
	if ! "start_$r"; then
		broken "$name: did not start: $(tail -n 3 "$T/$r.log" "$T/charon.stderr" "$T/swanctl.out" 2>/dev/null)"
		stop_responder
		netns_down
		return
	fi
	log "$name, run $3: pid $pid, VmRSS $(status_kb "$pid" VmRSS) kB; $W warm-up SAs"
	load "$r" -n "$W" -c "$W" || broken "$name: warm-up: $(tail -n 4 "$T/$r.load")"
	R[${p}_warm]=$(after "$r" in)
	sleep 1
	R[${p}_rss0]=$(status_kb "$pid" VmRSS)
	R[${p}_anon0]=$(status_kb "$pid" RssAnon)
	c0=$(cpu_ticks "$pid")
	s0=$(sys_ticks "$pid")
	log "$name, run $3: VmRSS ${R[${p}_rss0]} kB; $N SAs, $C in flight"
	t0=$SECONDS
	load "$r" -n "$N" -c "$C" -b "$W" ||
		broken "$name: ike_load (exit $?): $(tail -n 6 "$T/$r.load")"
	sleep 1
	R[${p}_rss1]=$(status_kb "$pid" VmRSS)
	R[${p}_anon1]=$(status_kb "$pid" RssAnon)
	R[${p}_cpu]=$(( $(cpu_ticks "$pid") - c0 ))
	R[${p}_sys]=$(( $(sys_ticks "$pid") - s0 ))
	sed 's/^/# ike_load: /' "$T/$r.load"
	R[${p}_secs]=$(after "$r" in)
	R[${p}_rate]=$(after "$r" s:)
	R[${p}_failed]=$(after "$r" failed)
	R[${p}_retr]=$(after "$r" retransmissions)
	R[${p}_cookies]=$(after "$r" cookies)
	R[${p}_restarts]=$(after "$r" restarts)
	R[${p}_icpu]=$(after "$r" CPU)
	got=$("count_$r")
	R[${p}_count]=${got:-?}
	[ "${R[${p}_count]}" = $((N + W)) ] ||
		broken "$name: lists ${R[${p}_count]} established IKE SAs with a CHILD_SA, not $((N + W))"
	got=$("ksas_$r")
	R[${p}_ksas]=${got:-?}
	[ "${R[${p}_ksas]}" = $((2 * (N + W))) ] ||
		broken "$name: ${R[${p}_ksas]} ESP SAs in the kernel, not $((2 * (N + W)))"
	log "$name, run $3: ${R[${p}_rate]} SAs/s, VmRSS ${R[${p}_rss1]} kB, ${R[${p}_count]} established ($((SECONDS - t0)) s)"
	stop_responder
	"flush_$r"
	netns_down
	# what the kernel frees after the namespace is gone stays out of the next run
	sleep 2
}

# ------------------------------------------------------------ run
declare -A R
log "N = $N IKE SAs (+ $W warm-up), $C in flight; $(nproc) CPUs; kernel $(uname -r)"
[ -x "$LOAD" ] || { broken "no $LOAD (make -C tools/kipsec/bench)"; exit 1; }
modprobe kipsec || { broken "modprobe kipsec"; exit 1; }
# K C C K: a slow spell of the VM (TCG, a shared host) weighs on both alike
measure kipsec "kipsec ike" 1
measure charon "charon" 1
measure charon "charon" 2
measure kipsec "kipsec ike" 2
# what the responders logged besides their line per SA and their shutdown
grep -v 'established\|started:\|stopping\|^$' "$T/kipsec.log" 2>/dev/null |
	head -n 20 | sed 's/^/# kipsec ike: /'
grep -v 'established\|is initiating\|deleting IKE_SA\|^$' "$T/charon.log" 2>/dev/null |
	head -n 20 | sed 's/^/# charon: /'

TCK=$(getconf CLK_TCK)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
# derive P: per-run figures from the raw ones, if the run got that far
derive() {
	local p=$1

	[ -n "${R[${p}_icpu]:-}" ] || return 0
	R[${p}_mem]=$(awk -v a="${R[${p}_rss0]}" -v b="${R[${p}_rss1]}" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')
	R[${p}_anon]=$(awk -v a="${R[${p}_anon0]}" -v b="${R[${p}_anon1]}" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')
	R[${p}_cpums]=$(awk -v t="${R[${p}_cpu]}" -v hz="$TCK" -v n="$N" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
	R[${p}_sysms]=$(awk -v t="${R[${p}_sys]}" -v hz="$TCK" -v n="$N" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')
	R[${p}_busy]=$(awk -v c="${R[${p}_icpu]}" -v t="${R[${p}_secs]}" 'BEGIN { if (t > 0) printf "%.0f", c * 100 / t; else print 0 }')
}
# mean R FIELD FORMAT: over the two runs, into R[R_FIELD]
mean() {
	[ -n "${R[${1}1_$2]:-}" ] && [ -n "${R[${1}2_$2]:-}" ] || return 0
	R[${1}_$2]=$(awk -v a="${R[${1}1_$2]}" -v b="${R[${1}2_$2]}" -v f="$3" 'BEGIN { printf f, (a + b) / 2 }')
}
verdict() { awk -v r="$1" -v t="$2" -v le="$3" 'BEGIN { if (r == "-") print "no figure"; else if (le ? r <= t : r >= t) print "met"; else print "NOT met" }'; }
for r in kipsec charon; do
	derive "${r}1"
	derive "${r}2"
	mean "$r" rate %.1f
	mean "$r" secs %.3f
	mean "$r" mem %.0f
	mean "$r" anon %.0f
	mean "$r" cpums %.2f
	mean "$r" busy %.0f%%
done
r_rate=$(ratio "${R[kipsec_rate]:-}" "${R[charon_rate]:-}")
r_mem=$(ratio "${R[kipsec_mem]:-}" "${R[charon_mem]:-}")
# row LABEL FIELD [ratio]: the means of both and their ratio, or the runs
row() {
	if [ "${3:-}" = ratio ]; then
		printf '%-36s %12s %12s %8s\n' "$1" "${R[kipsec_$2]:--}" \
			"${R[charon_$2]:--}" \
			"$(ratio "${R[kipsec_$2]:-}" "${R[charon_$2]:-}")"
	else
		printf '%-36s %12s %12s\n' "$1" \
			"${R[kipsec1_$2]:--} ${R[kipsec2_$2]:--}" \
			"${R[charon1_$2]:--} ${R[charon2_$2]:--}"
	fi
}
{
	echo
	echo "IKE responder: kipsec ike vs charon (strongSwan $(dpkg-query -W -f '${Version}' charon-systemd 2>/dev/null || echo ?)), same VM run"
	echo "$N IKE SAs with one CHILD_SA each after $W warm-up SAs, $C negotiations in flight (tools/kipsec/bench/ike_load),"
	echo "PSK, IKE aes128-sha256-ecp256, ESP aes128gcm16, SAs installed in the kernel; ratio = kipsec / charon;"
	echo "mean of 2 runs each (order K C C K), then each run"
	echo
	printf '%-36s %12s %12s %8s\n' "" "kipsec ike" charon ratio
	row "establishments per second" rate ratio
	row "VmRSS growth per IKE SA (B)" mem ratio
	row "RssAnon growth per IKE SA (B)" anon ratio
	row "responder CPU per IKE SA (ms)" cpums ratio
	row "time for the N (s)" secs ratio
	echo
	row "establishments per second" rate
	row "VmRSS growth per IKE SA (B)" mem
	row "responder CPU per IKE SA (ms)" cpums
	row "  of which in the kernel (ms)" sysms
	row "VmRSS after warm-up (kB)" rss0
	row "VmRSS after the N (kB)" rss1
	row "established (listed by the responder)" count
	row "ESP SAs in the kernel" ksas
	row "failed negotiations" failed
	row "retransmissions" retr
	row "cookies" cookies
	row "restarts (cookie after retransmit)" restarts
	row "load generator busy (% of one CPU)" busy
	row "the $W warm-up SAs (s)" warm
	echo
	echo "targets: rate at least 2x charon's: $(verdict "$r_rate" 2 0); memory per IKE SA at most half: $(verdict "$r_mem" 0.5 1)"
	echo "(rate: from the first IKE_SA_INIT to the last IKE_AUTH response; the load generator shares the"
	echo "VM's $(nproc) vCPUs with the responder. Memory: the responder process only, not the kernel's SAs.)"
} >"$out"
cat "$out"

if [ "$failed" = 0 ]; then
	echo "ok - bench-ike: $N IKE SAs established with kipsec ike and with charon"
fi
exit "$failed"
