#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make check` runs inside the test VM (via selftests/vm/run.sh), as
# root, cwd = the repo top, the repo's modules installed for modprobe:
#
#   1. modprobe kipsec
#   2. modprobe kipsec_kunit: KUnit runs its suites at load; their KTAP in
#      the kernel log becomes one flat line per leaf case,
#      "ok - kunit: SUITE.CASE" (parameterised: "SUITE.CASE/PARAM");
#      then rmmod kipsec_kunit
#   3. every executable selftests/kipsec-*.sh, each under a timeout, its
#      TAP lines prefixed with the script's name
#   4. rmmod kipsec
#
# Output: flat TAP ("ok - what" / "not ok - what" / "# comment") on stdout.
# Exits non-zero if anything failed.
#
# Usage: guest-check.sh [GLOB] runs the selftests matching GLOB (default
# "kipsec-*.sh"; the guest inherits no environment from the host, so a
# subset is chosen by argument: run.sh KDIR -- selftests/vm/guest-check.sh
# 'kipsec-link*').
# Environment: KIPSEC_SCRIPT_TIMEOUT (seconds per script; default 1200, 3000
# under KIPSEC_DEBUG=1).
set -uo pipefail

# One compound command: bash reads it whole before running any of it, so
# the file can change (an edit, a checkout) while a run is in progress.
{

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

failed=0
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failed=1; }
comment() { sed 's/^/# /'; }

debug=${KIPSEC_DEBUG:-0}
script_timeout=${KIPSEC_SCRIPT_TIMEOUT:-$([ "$debug" = 1 ] && echo 3000 || echo 1200)}

# ---------------------------------------------------------------- 1. load
if out=$(modprobe kipsec 2>&1); then
	pass "modprobe kipsec"
else
	fail "modprobe kipsec"
	comment <<<"$out"
fi

# ---------------------------------------------------------------- 2. KUnit
# Leaf results from KUnit's KTAP (lib/kunit/test.c): per suite at indent 4
# "# Subtest: SUITE", "1..N", case lines "ok N CASE"; a parameterised case
# nests "# Subtest: CASE" and "ok N PARAM" at indent 8; the suite's own
# result "ok N SUITE" is at indent 0. Reads dmesg lines without timestamps.
ktap_to_tap() {
	awk '
	function res(good, name, directive) {
		printf "%s - kunit: %s%s\n", good ? "ok" : "not ok", name, directive
		nres++
		if (!good) {
			nfail++
			sfail++
		}
	}
	function end_suite(why) {
		if (suite != "" && ncases < plan)
			res(0, suite ": " ncases " of " plan " cases reported" why)
		suite = ""
	}
	# "ok N DESC # SKIP why" -> r_ok, r_name, r_dir
	function parse_result(s) {
		r_ok = (s ~ /^ok /)
		sub(/^(not )?ok [0-9]+ ?/, "", s)
		r_dir = ""
		if (match(s, / # (SKIP|skip|TODO|todo).*$/)) {
			r_dir = substr(s, RSTART)
			s = substr(s, 1, RSTART - 1)
		}
		r_name = s
	}
	{
		match($0, /^ */)
		ind = RLENGTH
		s = substr($0, ind + 1)
	}
	s == "kunit: disabled" { disabled = 1; next }
	ind == 4 && s ~ /^# Subtest: / {
		end_suite(" (crashed or stopped early)")
		suite = substr(s, 12); plan = 0; ncases = 0; sfail = 0
		pcase = ""; nsuites++; started[suite] = 1
		next
	}
	suite != "" && ind == 4 && s ~ /^1\.\.[0-9]+$/ { plan = substr(s, 4) + 0; next }
	suite != "" && ind == 8 && s ~ /^# Subtest: / {
		pcase = substr(s, 12); nparams = 0; pfail = 0
		next
	}
	suite != "" && ind == 8 && s ~ /^(not )?ok [0-9]+/ {
		parse_result(s)
		res(r_ok, suite "." pcase "/" r_name, r_dir)
		nparams++
		if (!r_ok)
			pfail++
		next
	}
	suite != "" && ind == 4 && s ~ /^(not )?ok [0-9]+/ {
		parse_result(s)
		ncases++
		if (pcase != "" && pcase == r_name && nparams > 0) {
			# its parameters were the leaves; report a failure they missed
			if (!r_ok && pfail == 0)
				res(0, suite "." r_name, "")
		} else {
			res(r_ok, suite "." r_name, r_dir)
		}
		pcase = ""
		next
	}
	ind == 0 && s ~ /^(not )?ok [0-9]+/ {
		parse_result(s)
		if (suite != "" && r_name == suite) {
			end_suite("")
			if (!r_ok && sfail == 0)
				res(0, r_name " (suite failed)", "")
		} else if (!(r_name in started)) {
			# suite_init failed: no header, just the result line
			nsuites++
			started[r_name] = 1
			res(r_ok, r_name, r_dir)
		}
		next
	}
	END {
		end_suite(" (crashed or printed no result)")
		if (disabled)
			res(0, "KUnit is disabled (boot with kunit.enable=1)", "")
		else if (nsuites == 0)
			res(0, "no KUnit suite ran (no KTAP in the kernel log)", "")
	}'
}

marker="kipsec-guest-check: kunit start $$ $RANDOM"
echo "$marker" >/dev/kmsg
if out=$(modprobe kipsec_kunit 2>&1); then
	kunit_loaded=1
else
	kunit_loaded=0
	fail "modprobe kipsec_kunit"
	comment <<<"$out"
fi
klog=$(dmesg -t | awk -v m="$marker" 'index($0, m) { found = 1; next } found')
kunit_tap=$(ktap_to_tap <<<"$klog")
echo "$kunit_tap"
if grep -q '^not ok' <<<"$kunit_tap"; then
	failed=1
	echo "# KUnit log:"
	comment <<<"$klog"
fi
if [ "$kunit_loaded" = 1 ]; then
	if out=$(rmmod kipsec_kunit 2>&1); then
		pass "rmmod kipsec_kunit"
	else
		fail "rmmod kipsec_kunit"
		comment <<<"$out"
	fi
fi

# ---------------------------------------------------------------- 3. scripts
# run_script SCRIPT: its TAP with "ok N - desc" -> "ok - NAME: desc".
run_script() {
	local script=$1 name rc errf start
	name=$(basename "$script" .sh)
	errf=$(mktemp)
	start=$SECONDS
	echo "# $name: running (timeout ${script_timeout} s)"
	# stdout is parsed as it comes; stderr is kept for a failure report.
	timeout --kill-after=10 "$script_timeout" "$script" </dev/null 2>"$errf" |
		awk -v name="$name" '
		/^(not )?ok([ \t]|$)/ {
			good = ($0 ~ /^ok/)
			s = $0
			sub(/^(not )?ok[ \t]*/, "", s)
			sub(/^[0-9]+[ \t]*/, "", s)
			sub(/^-[ \t]*/, "", s)
			printf "%s - %s: %s\n", good ? "ok" : "not ok", name, s
			nres++
			if (!good)
				nfail++
			fflush()
			next
		}
		/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; haveplan = 1; next }
		/^#/ { print "# " name ": " substr($0, 2); fflush(); next }
		/^[ \t]*$/ { next }
		{ print "# " name ": " $0; fflush() }
		END {
			if (haveplan && plan != nres) {
				printf "not ok - %s: planned %d tests, reported %d\n", name, plan, nres
				nfail++
			}
			# the summary for the shell: results and failures seen
			printf "@@ %d %d\n", nres, nfail > "/dev/stderr"
		}' 2>"$errf.sum"
	rc=${PIPESTATUS[0]}
	local nres=0 nfail=0
	read -r _ nres nfail <"$errf.sum" 2>/dev/null
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "not ok - $name: timed out after ${script_timeout} s"
		nfail=$((nfail + 1))
	elif [ "$rc" != 0 ] && [ "${nfail:-0}" = 0 ]; then
		echo "not ok - $name: exited $rc"
		nfail=$((nfail + 1))
	elif [ "${nres:-0}" = 0 ]; then
		echo "not ok - $name: printed no TAP results"
		nfail=$((nfail + 1))
	fi
	echo "# $name: exit status $rc, $((SECONDS - start)) s"
	if [ "${nfail:-0}" != 0 ]; then
		failed=1
		if [ -s "$errf" ]; then
			echo "# $name: stderr (last 40 lines):"
			tail -n 40 "$errf" | comment
		fi
	fi
	rm -f "$errf" "$errf.sum"
}

nscripts=0
tests_glob=${1:-kipsec-*.sh}
for script in selftests/$tests_glob; do
	[ -f "$script" ] && [ -x "$script" ] || continue
	nscripts=$((nscripts + 1))
	run_script "$script"
done
[ "$nscripts" -gt 0 ] || fail "selftests: no executable selftests/$tests_glob found"

# ---------------------------------------------------------------- 4. unload
if out=$(rmmod kipsec 2>&1); then
	pass "module unloads cleanly"
else
	fail "module unloads cleanly"
	comment <<<"$out"
	lsmod | comment
fi

exit $failed
exit
}
