# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2016 # (eval'd code is in single quotes on purpose)
#
# The two IKE peers of selftests/kipsec-ike.sh behind one set of functions,
# whatever runs them. Sourced after ../lib.sh and net.sh.
#
# Sides: "sun" is always strongSwan's charon-systemd (kernel-netlink, so
# its SAs are native XFRM's). "moon" is the peer under test, $PEER:
#   kipsec  `kipsec ike` (tools/kipsec), its SAs in kipsec.ko;
#   charon  a second charon-systemd configured the same way: proves the
#           harness itself, every case must pass charon <-> charon.
# Each side's files are in $CDIR/SIDE: its configuration, its log, its
# control socket (charon: VICI; kipsec: the --control socket).
#
# A case describes the connection once per side (cfg), then peers_start
# renders each side's configuration (charon: strongswan.conf.in and
# swanctl.conf.in; kipsec: kipsec.conf.in), starts both and waits for them.
# Everything else a case does goes through:
#   peer_up SIDE CONN CHILD    initiate
#   peer_down SIDE CONN        terminate the IKE_SA
#   peer_status SIDE           the SAs, normalised (below)
#   established SIDE CONN CHILD, both_established CONN CHILD [SECS],
#   child_spis SIDE CONN CHILD, ike_exists SIDE CONN, ike_role SIDE CONN,
#   ike_spis SIDE CONN
#   peer_sad_count SIDE        SAs in the side's kernel SAD
#   log_mark SIDE, says SIDE ERE [SECS]   the side's diagnostics since a mark
#   peer_stop SIDE, peer_kill SIDE
#   sun_rekey child|ike NAME   (charon only: swanctl --rekey)
#   peer_rekey SIDE child|ike NAME   (either: start a rekeying, return at
#                              once; kipsec: `kipsec rekey [--ike] NAME`)
#
# peer_status prints one line per SA:
#   ike CONN STATE ROLE IKESPIS          ROLE initiator|responder|-
#   child CONN CHILD STATE SPI_IN SPI_OUT   SPIs as 0x%08x
# with charon's states (ESTABLISHED, INSTALLED, REKEYED, ...). The only
# assumption about `kipsec status -j` is in kipsec_status.

IKEDIR=$TOP/selftests/ike
T_UP=60			# seconds an IKE_SA with its CHILD_SA may take (TCG)

declare -A SIDE_NS=() SIDE_KIND=() SIDE_DIR=() SIDE_PID=() LOG_MARK=()
# SIDE_ARGS[SIDE]: more options for that side's `kipsec ike` in this case
# (words), set between peers and peers_start.
declare -A SIDE_ARGS=()

# ---------------------------------------------------------------- settings
# The settings a case gives each side; a template line whose setting is
# empty is left out (the implementation's default applies). DIR is the
# side's directory.
# CHILD2, LOCAL_TS2, REMOTE_TS2: a second child of the connection (its
# other settings are the first child's).
CFG_KEYS=(VERSION CONN CHILD LOCAL_ADDRS REMOTE_ADDRS PROPOSALS MOBIKE DPD_DELAY
	IKE_REKEY_TIME INTERFACE AUTH LOCAL_ID REMOTE_ID LOCAL_CERT CACERT
	LOCAL_KEY PSK LOCAL_TS REMOTE_TS ESP_PROPOSALS MODE START_ACTION
	CHILD_REKEY_TIME CHILD_LIFE_TIME DPD_ACTION CHILD2 LOCAL_TS2
	REMOTE_TS2 DIR)
declare -A CFG=()

cfg_reset() {
	local s k
	CFG=()
	for s in moon sun; do
		for k in "${CFG_KEYS[@]}"; do
			CFG[$s.$k]=
		done
		CFG[$s.DIR]=${SIDE_DIR[$s]:-}
	done
}

# cfg moon|sun|both KEY=VALUE...
cfg() {
	local sides=$1 s kv
	shift
	[ "$sides" = both ] && sides="moon sun"
	for kv in "$@"; do
		for s in $sides; do
			if [ -z "${CFG[$s.${kv%%=*}]+set}" ]; then
				diag "cfg: no setting ${kv%%=*}"
				return 1
			fi
			CFG[$s.${kv%%=*}]=${kv#*=}
		done
	done
}

# cfg_mutate: KIPSEC_IKE_MUTATE="SIDE.KEY=VALUE ..." changes settings after
# the case made them: a development aid to see that the cases can fail
# (e.g. moon.PSK=wrong must fail every PSK case).
cfg_mutate() {
	local m
	for m in ${KIPSEC_IKE_MUTATE:-}; do
		diag "KIPSEC_IKE_MUTATE: $m"
		CFG[${m%%=*}]=${m#*=}
	done
}

# render TEMPLATE SIDE: TEMPLATE with SIDE's settings on stdout. @KEY@ is
# replaced by the setting; a line with an empty setting is dropped; lines
# between "@if KEY" and "@end" are kept only if KEY is set; comment lines
# are copied as they are. A key the template names that is not a setting
# is an error.
render() {
	local k vals=$CDIR/render-$2.vals
	for k in "${CFG_KEYS[@]}"; do
		printf '%s\t%s\n' "$k" "${CFG[$2.$k]}"
	done >"$vals"
	awk -F'\t' -v tpl="$1" '
	function fail(k) {
		printf "%s:%d: no setting %s\n", tpl, FNR, k >"/dev/stderr"
		bad = 1
		exit 1
	}
	BEGIN { keep = 1 }
	NR == FNR { v[$1] = $2; next }
	/^@if / {
		split($0, w, " ")
		if (!(w[2] in v))
			fail(w[2])
		stack[++sp] = keep
		keep = keep && v[w[2]] != ""
		next
	}
	/^@end/ { keep = stack[sp--]; next }
	!keep { next }
	/^[ \t]*#/ { print; next }
	{
		line = $0
		out = ""
		empty = 0
		while ((i = index(line, "@")) > 0) {
			rest = substr(line, i + 1)
			j = index(rest, "@")
			key = substr(rest, 1, j - 1)
			if (j == 0 || key !~ /^[A-Z][A-Z_0-9]*$/) {
				out = out substr(line, 1, i)
				line = rest
				continue
			}
			if (!(key in v))
				fail(key)
			if (v[key] == "")
				empty = 1
			out = out substr(line, 1, i - 1) v[key]
			line = substr(rest, j + 1)
		}
		if (!empty)
			print out line
	}
	END { exit bad }' "$vals" "$1"
}

# ---------------------------------------------------------------- charon
# sw SIDE ARGS...: swanctl talking to SIDE's charon. Only loading the
# credentials needs swanctl's plugins (strongswan.conf's list); queries and
# commands use query.conf, which loads no crypto: each swanctl costs
# about a second under TCG, and the cases poll with it.
sw() {
	local d=${SIDE_DIR[$1]} conf=query.conf
	[ "$2" = --load-all ] && conf=strongswan.conf
	ip netns exec "${SIDE_NS[$1]}" env STRONGSWAN_CONF="$d/$conf" \
		SWANCTL_DIR="$d/swanctl" swanctl "${@:2}"
}

charon_config() {	# SIDE
	local s=$1 d=${SIDE_DIR[$1]} sub
	# without DIR every instance would share charon's default socket
	if [ -z "$d" ] || [ "${CFG[$s.DIR]}" != "$d" ]; then
		diag "$s: no directory"
		return 1
	fi
	# every directory swanctl looks into, so its log has no "opening
	# directory failed" lines
	for sub in conf.d x509 x509ca x509aa x509ocsp x509ac x509crl pubkey \
		private rsa ecdsa bliss pkcs8 pkcs12; do
		mkdir -p "$d/swanctl/$sub" || return 1
	done
	render "$IKEDIR/strongswan.conf.in" "$s" >"$d/strongswan.conf" &&
	render "$IKEDIR/swanctl.conf.in" "$s" >"$d/swanctl/swanctl.conf" ||
		return 1
	printf 'swanctl {\n\tsocket = unix://%s/charon.vici\n\tload = random\n}\n' \
		"$d" >"$d/query.conf"
	# charon finds private keys in private/ (swanctl --load-creds)
	if [ -n "${CFG[$s.LOCAL_KEY]}" ]; then
		cp "${CFG[$s.LOCAL_KEY]}" "$d/swanctl/private/" || return 1
	fi
}

# charon_launch SIDE: charon-systemd, not /usr/lib/ipsec/charon, whose
# fixed pid file would keep a second instance from starting.
charon_launch() {
	local d=${SIDE_DIR[$1]} pid
	bg pid ip netns exec "${SIDE_NS[$1]}" env STRONGSWAN_CONF="$d/strongswan.conf" \
		charon-systemd >"$d/stderr.log" 2>&1
	SIDE_PID[$1]=$pid
}

# alive SIDE: SIDE's daemon runs.
alive() { [ -n "${SIDE_PID[$1]}" ] && kill -0 "${SIDE_PID[$1]}" 2>/dev/null; }

# answers SIDE CMD...: poll until CMD succeeds while SIDE's daemon runs;
# if it does not, the daemon's output as diagnostics.
answers() {
	local s=$1 f _cmd
	shift
	_cmd=("$@")
	poll "$T_UP" eval 'alive "$s" && "${_cmd[@]}" >/dev/null 2>&1 || ! alive "$s"' &&
		alive "$s" && "$@" >/dev/null 2>&1 && return 0
	alive "$s" || diag "$s: ${SIDE_KIND[$s]} died"
	diag "$s: ${SIDE_KIND[$s]} did not answer ($*) within $T_UP s; its output:"
	for f in "${SIDE_DIR[$s]}"/*.log; do
		diag "$f: $(tail -n 20 "$f")"
	done
	return 1
}

# charon_ready SIDE: VICI answers, then credentials and the connection load.
charon_ready() {
	local s=$1
	answers "$s" sw "$s" --stats || return 1
	run sw "$s" --load-all --noprompt
	if [ "$RC" -ne 0 ] || ! grep -q "successfully loaded 1 connections" <<<"$OUT"; then
		diag "$s: swanctl --load-all failed (exit $RC):"
		diag "$OUT"
		return 1
	fi
}

# charon_status SIDE: swanctl --list-sas --raw (one line per IKE_SA:
# "list-sa event {CONN {key=value ... child-sas {CHILD-N {key=value ...}}}}")
# as peer_status lines.
charon_status() {
	local out
	out=$(sw "$1" --list-sas --raw 2>&1) || { echo "$out" >&2; return 1; }
	awk '{
		gsub(/\{/, " { ")
		gsub(/\}/, " } ")
		n = split($0, t, /[ \t]+/)
		depth = 0
		prev = ""
		for (i = 1; i <= n; i++) {
			x = t[i]
			if (x == "")
				continue
			if (x == "{") {
				name[++depth] = prev
				if (depth == 2)
					split("", I)
				if (depth == 4)
					split("", C)
			} else if (x == "}") {
				if (depth == 4)
					print "child", name[2], C["name"], C["state"], \
						C["spi-in"], C["spi-out"]
				if (depth == 2)
					print "ike", name[2], I["state"], \
						I["initiator"] == "yes" ? "initiator" : "responder", \
						I["initiator-spi"] "_" I["responder-spi"]
				depth--
			} else if ((p = index(x, "=")) > 0) {
				if (depth == 2)
					I[substr(x, 1, p - 1)] = substr(x, p + 1)
				else if (depth == 4)
					C[substr(x, 1, p - 1)] = substr(x, p + 1)
			}
			prev = x
		}
	}' <<<"$out"
}

charon_up() {	# SIDE CONN CHILD
	sw "$1" --initiate --ike "$2" --child "$3" --timeout "$T_UP" \
		>"${SIDE_DIR[$1]}/initiate.log" 2>&1
}

charon_down() {	# SIDE CONN
	sw "$1" --terminate --ike "$2" --timeout 30 >/dev/null 2>&1
}

charon_sad_count() {	# SIDE
	ip -n "${SIDE_NS[$1]}" xfrm state | grep -c '^src '
}

charon_log() { cat "$(log_file "$1")" 2>/dev/null; }

# ---------------------------------------------------------------- kipsec
# kipsec_ctl SIDE ARGS...: the kipsec CLI on SIDE's control socket.
kipsec_ctl() {
	ip netns exec "${SIDE_NS[$1]}" "$KIPSEC" --control "${SIDE_DIR[$1]}/kipsec.ctl" "${@:2}"
}

# kipsec_config SIDE: kipsec.conf.in rendered, the private key in
# private/ beside it (swanctl's layout), and `kipsec ike --check` must
# accept it.
kipsec_config() {
	local f=${SIDE_DIR[$1]}/kipsec.conf
	render "$IKEDIR/kipsec.conf.in" "$1" >"$f" || return 1
	if [ -n "${CFG[$1.LOCAL_KEY]}" ]; then
		mkdir -p "${SIDE_DIR[$1]}/private" &&
		cp "${CFG[$1.LOCAL_KEY]}" "${SIDE_DIR[$1]}/private/" || return 1
	fi
	run "$KIPSEC" ike --check "$f"
	[ "$RC" -eq 0 ] && return 0
	diag "$1: kipsec ike --check refused $f (exit $RC):"
	diag "$OUT"
	diag "$(grep -n . "$f")"
	return 1
}

# KIPSEC_IKE_ARGS: more options for `kipsec ike`. By default the
# retransmission schedule charon gets in strongswan.conf.in, give or take
# (3 retransmissions, the first after 2 s; kipsec doubles the timeout):
# DPD and the failure cases end within their bounds.
read -r -a KIPSEC_IKE_ARGS \
	<<<"${KIPSEC_IKE_ARGS-"--retransmit-tries 3 --retransmit-timeout 2000"}"

# kipsec_launch SIDE: the daemon in the foreground of a background job,
# its stderr (the log) in SIDE/kipsec.log. KIPSEC_IKE_DEBUG=1: --debug
# (the failure cases then still look for the diagnostics at any level).
kipsec_launch() {
	local d=${SIDE_DIR[$1]} pid args
	args=(ike --config "$d/kipsec.conf" --control "$d/kipsec.ctl"
		"${KIPSEC_IKE_ARGS[@]}")
	# shellcheck disable=SC2206 # words
	args+=(${SIDE_ARGS[$1]:-})
	[ "${KIPSEC_IKE_DEBUG:-0}" = 1 ] && args+=(--debug)
	bg pid ip netns exec "${SIDE_NS[$1]}" "$KIPSEC" "${args[@]}" \
		>"$d/kipsec.log" 2>&1
	SIDE_PID[$1]=$pid
}

kipsec_ready() { answers "$1" kipsec_ctl "$1" status; }

# kipsec_status SIDE: the daemon's SAs as peer_status lines. THE ONE PLACE
# that assumes the shape of `kipsec --control SOCK status -j`:
#   {"ike_sas": [{"name": CONN, "state": "ESTABLISHED",
#                 "role": "initiator"|"responder",          (optional)
#                 "spi_i": "16 hex digits", "spi_r": "..",   (optional)
#                 "child_sas": [{"name": CHILD, "state": "INSTALLED",
#                                "spi_in": "0x..", "spi_out": "0x.."}]}]}
# States as charon names them; other members are ignored.
kipsec_status() {
	local j
	j=$(kipsec_ctl "$1" status -j) || return 1
	jq -r '.ike_sas[]? | . as $i |
		"ike \(.name) \(.state) \(.role // "-") \(.spi_i // "-")_\(.spi_r // "-")",
		(.child_sas[]? | "child \($i.name) \(.name) \(.state) \(.spi_in // "-") \(.spi_out // "-")")' \
		<<<"$j"
}

kipsec_up() { kipsec_ctl "$1" up "$2" >"${SIDE_DIR[$1]}/initiate.log" 2>&1; }
kipsec_down() { kipsec_ctl "$1" down "$2" >/dev/null 2>&1; }

kipsec_sad_count() {	# SIDE
	"$KIPSEC" -n "${SIDE_NS[$1]}" -j sa show | jq length
}

# kipsec_log SIDE: the daemon's log, then what `kipsec status` says.
kipsec_log() {
	cat "$(log_file "$1")" 2>/dev/null
	kipsec_ctl "$1" status 2>&1
}

# ---------------------------------------------------------------- generic
# peer_add SIDE NS KIND: SIDE runs KIND in NS (stopped by case_end).
peer_add() {
	SIDE_NS[$1]=$2
	SIDE_KIND[$1]=$3
	SIDE_DIR[$1]=$CDIR/$1
	CFG[$1.DIR]=$CDIR/$1
	SIDE_PID[$1]=
	SIDE_ARGS[$1]=
	LOG_MARK[$1]=0
	mkdir -p "$CDIR/$1"
	CASE_STOP+=("peer_stop $1")
}

# peers: moon (the peer under test) in $MOON, sun (charon) in $SUN.
peers() {
	peer_add moon "$MOON" "$PEER"
	peer_add sun "$SUN" charon
}

# peers_start: both sides' configurations from the settings, both daemons
# started (in parallel: each takes seconds under TCG) and ready.
peers_start() {
	local s
	cfg_mutate
	for s in sun moon; do
		"${SIDE_KIND[$s]}_config" "$s" || return 1
	done
	for s in sun moon; do
		"${SIDE_KIND[$s]}_launch" "$s"
	done
	for s in sun moon; do
		"${SIDE_KIND[$s]}_ready" "$s" || return 1
	done
}

# peer_stop SIDE: SIGTERM, SIGKILL after 15 s.
peer_stop() {
	local p=${SIDE_PID[$1]:-}
	[ -n "$p" ] || return 0
	kill "$p" 2>/dev/null
	poll 15 eval '! kill -0 "$p" 2>/dev/null' || kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	SIDE_PID[$1]=
	return 0
}

# peer_kill SIDE: SIGKILL: the daemon dies without a word to its peer.
peer_kill() {
	local p=${SIDE_PID[$1]:-}
	[ -n "$p" ] || return 1
	kill -9 "$p" && wait "$p" 2>/dev/null
	SIDE_PID[$1]=
	return 0
}

peer_up() { "${SIDE_KIND[$1]}_up" "$@"; }		# SIDE CONN CHILD
peer_down() { "${SIDE_KIND[$1]}_down" "$@"; }	# SIDE CONN
peer_sad_count() { "${SIDE_KIND[$1]}_sad_count" "$1"; }

# peer_status SIDE: see the top of this file.
peer_status() {
	"${SIDE_KIND[$1]}_status" "$1" | awk '
	function h(s) {
		s = tolower(s)
		sub(/^0x/, "", s)
		if (s == "" || s == "-" || s == "null")
			return "-"
		while (length(s) < 8)
			s = "0" s
		return "0x" s
	}
	$1 == "child" { $5 = h($5); $6 = h($6) }
	{ print }'
}

# established SIDE CONN CHILD: IKE_SA CONN ESTABLISHED with CHILD INSTALLED.
established() {
	local st
	st=$(peer_status "$1") || return 1
	grep -qx "ike $2 ESTABLISHED .*" <<<"$st" &&
	grep -qx "child $2 $3 INSTALLED .*" <<<"$st"
}

# both_established CONN CHILD [SECS]: both sides, within SECS (T_UP).
both_established() {
	local s
	for s in moon sun; do
		if ! poll "${3:-$T_UP}" established "$s" "$1" "$2"; then
			diag "$s (${SIDE_KIND[$s]}): no IKE_SA $1 ESTABLISHED with CHILD_SA $2 INSTALLED within ${3:-$T_UP} s"
			return 1
		fi
	done
}

# child_spis SIDE CONN CHILD: "SPI_IN SPI_OUT" of each INSTALLED CHILD.
child_spis() {
	peer_status "$1" | awk -v c="$2" -v n="$3" \
		'$1 == "child" && $2 == c && $3 == n && $4 == "INSTALLED" { print $5, $6 }'
}

ike_exists() {	# SIDE CONN
	peer_status "$1" | grep -q "^ike $2 "
}
ike_role() {	# SIDE CONN
	peer_status "$1" | awk -v c="$2" '$1 == "ike" && $2 == c { print $4 }'
}
ike_spis() {	# SIDE CONN
	peer_status "$1" | awk -v c="$2" '$1 == "ike" && $2 == c && $3 == "ESTABLISHED" { print $5 }'
}

# log_mark SIDE: says and log_since look at what SIDE logs from now on.
log_file() { echo "${SIDE_DIR[$1]}/${SIDE_KIND[$1]}.log"; }
log_mark() {
	LOG_MARK[$1]=$({ wc -l <"$(log_file "$1")"; } 2>/dev/null || echo 0)
}
# log_since SIDE: its log since the mark; for kipsec, then what `kipsec
# status` says now (its "last failure" lines).
log_since() {
	tail -n +$((LOG_MARK[$1] + 1)) "$(log_file "$1")" 2>/dev/null
	[ "${SIDE_KIND[$1]}" = kipsec ] && kipsec_ctl "$1" status 2>&1
	return 0
}

# says SIDE ERE [SECS]: SIDE's log since log_mark (for kipsec: and
# `kipsec status`) matches ERE (case-insensitive) within SECS (T_UP).
says() {
	local s=$1 re=$2
	poll "${3:-$T_UP}" eval 'log_since "$s" | grep -qiE -- "$re"' && return 0
	diag "$s (${SIDE_KIND[$s]}): /$re/ not logged within ${3:-$T_UP} s; its last lines:"
	diag "$(log_since "$s" | tail -n 15)"
	return 1
}

# sun_rekey child|ike NAME: swanctl --rekey (sun is always charon).
sun_rekey() {
	run sw sun --rekey "--$1" "$2"
	[ "$RC" -eq 0 ] && return 0
	diag "swanctl --rekey --$1 $2 on sun failed (exit $RC): $OUT"
	return 1
}

# peer_rekey SIDE child|ike NAME: SIDE starts rekeying the CHILD_SA NAME
# or the IKE_SA NAME and returns once the request is under way (swanctl
# --rekey returns at once; `kipsec rekey` once the request is sent).
charon_rekey() {	# SIDE child|ike NAME
	sw "$1" --rekey "--$2" "$3"
}
kipsec_rekey() {	# SIDE child|ike NAME
	if [ "$2" = ike ]; then
		kipsec_ctl "$1" rekey --ike "$3"
	else
		kipsec_ctl "$1" rekey "$3"
	fi
}
peer_rekey() {
	run "${SIDE_KIND[$1]}_rekey" "$@"
	[ "$RC" -eq 0 ] && return 0
	diag "$1 (${SIDE_KIND[$1]}): rekeying $2 SA $3 failed (exit $RC): $OUT"
	return 1
}

# ike_dump: both sides' state and log tails as diagnostics.
ike_dump() {
	local s
	for s in moon sun; do
		[ -n "${SIDE_NS[$s]:-}" ] || continue
		diag "--- $s (${SIDE_KIND[$s]}): SAs"
		diag "$(peer_status "$s" 2>&1)"
		diag "--- $s: kernel SAD"
		if [ "${SIDE_KIND[$s]}" = kipsec ]; then
			diag "$("$KIPSEC" -n "${SIDE_NS[$s]}" -s sa show 2>&1 | grep -E 'spi|stats')"
		else
			diag "$(ip -n "${SIDE_NS[$s]}" -s xfrm state 2>&1 | grep -E 'proto esp|[0-9]\(bytes\)')"
		fi
		diag "--- $s: last log lines"
		diag "$("${SIDE_KIND[$s]}_log" "$s" 2>&1 | tail -n 25)"
	done
}

# ti DESC CMD...: t, with ike_dump after a failure.
ti() {
	t "$@" && return 0
	ike_dump
	return 1
}
