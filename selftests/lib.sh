#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the kipsec selftests (selftests/kipsec-*.sh). Source it:
#
#	. "$(dirname "$0")/lib.sh"
#
# Every script runs as root inside the test VM with the module loaded, cwd =
# repo top and tools/kipsec on PATH. It prints TAP ("ok N - what",
# "not ok N - what", "# diagnostics") on stdout and exits non-zero when any
# test failed. Commands run in fresh network namespaces (ns_fresh), deleted
# by an EXIT trap, so scripts and test groups never see each other's objects.
#
# Expected values in the scripts come from Documentation/netlink.rst, the
# IANA IKEv2 registries and what the test sent, never from program output.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KSRC=${KSRC:-/root/.cache/kipsec/linux-source-6.12}
SPEC=$TOP/Documentation/netlink/specs/kipsec.yaml
YNL_CLI=$KSRC/tools/net/ynl/cli.py
YNL_SCHEMA=$KSRC/Documentation/netlink/genetlink.yaml	# for kipsec-ynl.sh
PYTHON=/usr/bin/python3		# Debian's, which has python3-yaml
KIPSEC=${KIPSEC:-kipsec}

export LC_ALL=C

_tap_n=0
_tap_failed=0
_ns_list=()
NS=

# Per-script scratch directory, removed on exit.
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/kipsec-test.XXXXXX")

# ---------------------------------------------------------------- TAP

diag() { local l; while IFS= read -r l; do echo "# $l"; done <<<"$*"; }

ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $*"
}

# t DESC CMD...: one TAP line, ok iff CMD succeeds; returns CMD's status.
# CMD prints diagnostics (as "# " lines via diag) when it fails.
t() {
	local desc=$1
	shift
	if "$@"; then
		ok "$desc"
		return 0
	fi
	not_ok "$desc"
	return 1
}

# tap_done: plan line and exit status; called from the EXIT trap.
tap_done() {
	echo "1..$_tap_n"
	if [ "$_tap_failed" -ne 0 ]; then
		echo "# $_tap_failed of $_tap_n tests failed"
		return 1
	fi
	echo "# all $_tap_n tests passed"
	return 0
}

# bail MSG: a missing prerequisite is a failure, never a skip.
bail() {
	not_ok "$*"
	exit 1
}

# ---------------------------------------------------------------- assertions

# eq WHAT EXPECTED GOT
eq() {
	[ "$2" = "$3" ] && return 0
	diag "$1: expected '$2', got '$3'"
	return 1
}

# contains WHAT HAYSTACK ERE: case-insensitive extended regex match.
contains() {
	grep -qiE -- "$3" <<<"$2" && return 0
	diag "$1: /$3/ not found in:"
	diag "$2"
	return 1
}

# lacks WHAT HAYSTACK ERE
lacks() {
	grep -qiE -- "$3" <<<"$2" || return 0
	diag "$1: /$3/ unexpectedly found in:"
	diag "$(grep -iE -- "$3" <<<"$2")"
	return 1
}

# run CMD...: runs CMD, output (stdout+stderr) in $OUT, status in $RC.
run() {
	OUT=$("$@" 2>&1)
	RC=$?
}

# must CMD...: CMD must succeed; output in $OUT.
must() {
	run "$@"
	[ "$RC" -eq 0 ] && return 0
	diag "command failed (exit $RC): $*"
	diag "$OUT"
	return 1
}

# expect_fail ERRNO_TEXT EXTACK_ERE -- CMD...
# CMD must exit with status 1 and its stdout+stderr must contain the
# strerror text ERRNO_TEXT (e.g. "Invalid argument") and match EXTACK_ERE
# (case-insensitive extended regex; the extack message or, for YNL, the
# offending attribute path). Works for the kipsec tool ("kipsec: OP:
# STRERROR: EXTACK" on stderr) and for ynl (cli.py prints "Netlink error:
# STRERROR" and the decoded extack).
expect_fail() {
	local errtext=$1 ext=$2
	shift 2
	[ "$1" = "--" ] && shift
	run "$@"
	if [ "$RC" -ne 1 ]; then
		diag "expected exit status 1, got $RC: $*"
		diag "$OUT"
		return 1
	fi
	if ! grep -qF -- "$errtext" <<<"$OUT"; then
		diag "expected error '$errtext': $*"
		diag "$OUT"
		return 1
	fi
	if [ -n "$ext" ] && ! grep -qiE -- "$ext" <<<"$OUT"; then
		diag "extack does not match /$ext/: $*"
		diag "$OUT"
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------- namespaces

_exit_hooks=()
# on_exit CMD: run CMD (a string, eval'd) at exit, before namespaces go.
on_exit() { _exit_hooks+=("$1"); }

_cleanup() {
	local rc=$? ns h
	for h in "${_exit_hooks[@]}"; do
		eval "$h"
	done
	for ns in "${_ns_list[@]}"; do
		ns_del "$ns"
	done
	[ -n "${_bg_pids[*]}" ] && kill "${_bg_pids[@]}" 2>/dev/null
	rm -rf "$TMPD"
	tap_done || exit 1
	[ "$rc" -eq 0 ] || exit "$rc"
	exit 0
}
trap _cleanup EXIT
_bg_pids=()

_ns_seq=0
# ns_new VAR: create a namespace with lo up, deleted on exit; its name in VAR.
ns_new() {
	_ns_seq=$((_ns_seq + 1))
	local ns="kst-$$-$_ns_seq"
	ip netns add "$ns" || return 1
	_ns_list+=("$ns")
	ip -n "$ns" link set lo up
	printf -v "$1" %s "$ns"
}

# ns_fresh: delete the current $NS and make a new one (for one test group).
ns_fresh() {
	[ -n "$NS" ] && ns_del "$NS"
	_ns_seq=$((_ns_seq + 1))
	NS="kst-$$-$_ns_seq"
	ip netns add "$NS" || bail "ip netns add $NS"
	ip -n "$NS" link set lo up
	_ns_list+=("$NS")
	[ -n "${YNL_AUTO:-}" ] && ynl_start "$NS"
	return 0
}

# ns_track NS: delete NS on exit.
ns_track() { _ns_list+=("$1"); }

ns_del() {
	ynl_stop "$1"
	ip netns del "$1" 2>/dev/null
}

# nsx CMD...: run CMD in $NS.
nsx() { ip netns exec "$NS" "$@"; }

# kip ARGS...: the kipsec tool in $NS.
kip() { ip netns exec "$NS" "$KIPSEC" "$@"; }

# bg_track PID: kill on exit.
bg_track() { _bg_pids+=("$1"); }

# ---------------------------------------------------------------- YNL

# ynl [--ns NS] do|dump OP [JSON]: a request through the kernel tree's YNL
# library (tools/net/ynl) with the kipsec spec, in $NS (or NS). Prints the
# reply as JSON on success; on a netlink error prints "Netlink error:
# STRERROR" and the decoded extack (message and offending attribute path)
# and returns 1, exactly as cli.py does. Used to send requests the kipsec
# tool would refuse itself, so the KERNEL's checks are tested, and to check
# the kernel against the spec.
#
# Starting Python under TCG costs seconds, so after `ynl_start` a namespace
# gets one persistent YNL process fed over FIFOs; without it (or with
# YNL_ONESHOT=1) every call runs cli.py itself.
ynl() {
	local ns=$NS
	if [ "$1" = --ns ]; then ns=$2; shift 2; fi
	local mode=$1 op=$2 json=${3:-"{}"} line rc=
	if [ -n "${YNL_ONESHOT:-}" ] || [ -z "${_ynl_w[$ns]:-}" ]; then
		ynl_cli --ns "$ns" "$mode" "$op" "$json"
		return
	fi
	# one request per line: the server reads lines
	printf '{"mode": "%s", "op": "%s", "attrs": %s}\n' "$mode" "$op" \
		"${json//$'\n'/ }" >&"${_ynl_w[$ns]}"
	while IFS= read -r -t 120 -u "${_ynl_r[$ns]}" line; do
		if [ "${line:0:1}" = $'\x1e' ]; then
			rc=${line:1}
			break
		fi
		printf '%s\n' "$line"
	done
	if [ -z "$rc" ]; then
		echo "ynl: YNL process for $ns died or timed out"
		return 3
	fi
	return "$rc"
}

# ynl_cli [--ns NS] do|dump OP [JSON]: the same through cli.py, one process
# per request.
ynl_cli() {
	local ns=$NS
	if [ "$1" = --ns ]; then ns=$2; shift 2; fi
	local mode=$1 op=$2 json=${3:-}
	local args=(--spec "$SPEC" --no-schema --output-json "--$mode" "$op")
	[ -n "$json" ] && args+=(--json "$json")
	ip netns exec "$ns" "$PYTHON" "$YNL_CLI" "${args[@]}"
}

_YNL_SERVER='
import sys, json, os
sys.path.insert(0, sys.argv[2])
from lib import YnlFamily, NlError

class Enc(json.JSONEncoder):
    def default(self, obj):
        if isinstance(obj, bytes):
            return bytes.hex(obj)
        if isinstance(obj, set):
            return sorted(obj)
        return json.JSONEncoder.default(self, obj)

ynl = YnlFamily(sys.argv[1], "")
for line in sys.stdin:
    rc = 0
    try:
        req = json.loads(line)
        if req["mode"] == "dump":
            reply = ynl.dump(req["op"], req["attrs"])
        else:
            reply = ynl.do(req["op"], req["attrs"], None)
        print(json.dumps(reply, cls=Enc))
    except NlError as e:
        print(e)
        rc = 1
    except Exception as e:
        print("ynl exception: %r" % (e,))
        rc = 2
    print("\x1e%d" % rc, flush=True)
'
declare -A _ynl_w=() _ynl_r=() _ynl_pid=()

# ynl_start [NS]: start the persistent YNL process for NS (default $NS).
# Must run in the main shell (not in $(...)).
ynl_start() {
	local ns=${1:-$NS} fin fout w r
	fin=$TMPD/ynl-$ns.in
	fout=$TMPD/ynl-$ns.out
	mkfifo "$fin" "$fout" || return 1
	ip netns exec "$ns" "$PYTHON" -c "$_YNL_SERVER" "$SPEC" \
		"$KSRC/tools/net/ynl" <"$fin" >"$fout" 2>&1 &
	_ynl_pid[$ns]=$!
	exec {w}>"$fin"
	exec {r}<"$fout"
	_ynl_w[$ns]=$w
	_ynl_r[$ns]=$r
}

# ynl_stop NS
ynl_stop() {
	local ns=$1 w=${_ynl_w[$1]:-} r=${_ynl_r[$1]:-}
	[ -n "$w" ] || return 0
	exec {w}>&-
	exec {r}<&-
	# other children may hold the FIFO open too: no waiting for EOF
	kill "${_ynl_pid[$ns]}" 2>/dev/null
	wait "${_ynl_pid[$ns]}" 2>/dev/null
	unset "_ynl_w[$ns]" "_ynl_r[$ns]" "_ynl_pid[$ns]"
}

# spec_counters: the drop counters of the spec's stats attribute set, in
# its order, without the pad, one a line, read with the YNL library.
spec_counters() {
	"$PYTHON" - "$SPEC" "$YNL_SCHEMA" "$KSRC/tools/net/ynl" <<-'EOF'
		import sys
		sys.path.insert(0, sys.argv[3])
		from lib import SpecFamily
		family = SpecFamily(sys.argv[1], sys.argv[2])
		for attr in family.attr_sets["stats"].attrs.values():
		    if attr.type != "pad":
		        print(attr.name)
	EOF
}

# ynl_check: prerequisites for ynl.
ynl_check() {
	[ -x "$PYTHON" ] || bail "$PYTHON missing"
	[ -f "$YNL_CLI" ] || bail "YNL CLI $YNL_CLI missing (KSRC=$KSRC)"
	"$PYTHON" -c 'import yaml' 2>/dev/null || bail "python3-yaml missing for $PYTHON"
}

# ip4 A.B.C.D: the address as the integer YNL wants for a u32 attribute.
ip4() {
	local a b c d
	IFS=. read -r a b c d <<<"$1"
	echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

# ip6 ADDR: the 16-byte address as 32 hex digits (YNL binary attribute).
ip6() {
	local a=$1 head tail g out="" i
	local -a h=() tl=()
	if [[ $a == *::* ]]; then
		head=${a%%::*}
		tail=${a#*::}
	else
		head=$a
		tail=
	fi
	[ -n "$head" ] && IFS=: read -r -a h <<<"$head"
	[ -n "$tail" ] && IFS=: read -r -a tl <<<"$tail"
	for g in "${h[@]}"; do out+=$(printf '%04x' "0x$g"); done
	for ((i = ${#h[@]} + ${#tl[@]}; i < 8; i++)); do out+=0000; done
	for g in "${tl[@]}"; do out+=$(printf '%04x' "0x$g"); done
	echo "$out"
}

# hexkey NBYTES [SEED]: a deterministic key of NBYTES bytes as hex
# (the tool's key syntax is 0x + hex).
hexkey() {
	local k
	keygen k "$1" "${2:-1}"
	echo "$k"
}

# keygen VAR NBYTES [SEED]: the same key as hexkey, into VAR (no subshell:
# forks cost milliseconds each under TCG).
keygen() {
	local i b out=""
	for ((i = 0; i < $2; i++)); do
		printf -v b '%02x' $(((i * 7 + ${3:-1} * 13 + 1) % 256))
		out+=$b
	done
	printf -v "$1" %s "$out"
}

# jqr JSON FILTER: jq -r on a string.
jqr() { jq -r "$2" <<<"$1"; }

# ---------------------------------------------------------------- snapshots

# snapshot: everything the SAD, SPD and limits of $NS show, through the
# tool (one process: under TCG each costs), independently of YNL.
snapshot() {
	"$KIPSEC" -n "$NS" -batch - <<<$'sa show\npolicy show\nlimits show' 2>&1
}

# unchanged_after CMD...: takes a snapshot, runs CMD (its status in $RC,
# output in $OUT), takes another and fails if they differ.
SNAP_BEFORE=
snap_take() { SNAP_BEFORE=$(snapshot); }
snap_same() {
	local after
	after=$(snapshot)
	[ "$SNAP_BEFORE" = "$after" ] && return 0
	diag "database changed by a rejected request:"
	diag "$(diff <(echo "$SNAP_BEFORE") <(echo "$after"))"
	return 1
}

# reject ERRNO_TEXT EXTACK_ERE -- CMD...: CMD fails with ERRNO_TEXT and an
# extack matching EXTACK_ERE, and the databases are unchanged.
reject() {
	local r=0
	snap_take
	expect_fail "$@" || r=1
	snap_same || r=1
	return $r
}

# tool_check: the kipsec tool must be on PATH.
tool_check() {
	command -v "$KIPSEC" >/dev/null || bail "kipsec tool not on PATH"
}

# module_check: the genl family must be registered.
module_check() {
	[ -d /sys/module/kipsec ] || bail "module kipsec not loaded"
}
