# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2016 # (eval'd test code is in single quotes on purpose)
#
# Case 9 of selftests/kipsec-ike.sh (sourced by it, after net.sh and
# peer.sh): `kipsec ike --wireshark-keys DIR` writes Wireshark's
# ikev2_decryption_table and esp_sa, and Debian's tshark (4.0) decrypts a
# capture of the link with them and nothing without them.
#
# moon runs with --wireshark-keys; tcpdump records moon's eth0, both
# directions, while moon brings the tunnel up and `traffic` sends pings
# and TCP both ways. tshark then reads the capture twice, with the key
# files as its configuration (WIRESHARK_CONFIG_DIR, where Wireshark looks
# for its UAT files; tools/kipsec/tests/test_ike_keylog.c does the same)
# and with an empty configuration:
#   - with the keys, the IKE_AUTH request shows the IDi moon.test and the
#     response the IDr sun.test (isakmp.id.data.fqdn inside the decrypted
#     SK payload); every ESP packet of each direction's SPI decrypts to
#     the tunnel's inner addresses (10.1.0.1 <-> 10.2.0.1) with ICMP echo
#     requests and replies and TCP (port 5001) inside, ICV good; and no
#     ESP packet at all stays encrypted;
#   - without them the same frames are there (IKE_AUTH messages, ESP with
#     those SPIs) and none of that shows.
# tshark's standard error must be empty but for its warning about root: a
# key line it refuses ("Error loading table") fails the case.
#
# charon writes no Wireshark key files: with KIPSEC_IKE_PEER=charon the
# case reports one "# SKIP" result saying so and runs nothing.

# pcap_start NS DEV FILE: tcpdump writing a pcap of DEV's IKE and ESP
# (both directions) to FILE, flushed packet by packet (cap_start's
# decoding capture, with -w -: the pcap on its standard output). Only IKE
# and ESP: the receiving side's stack (kipsec.ko as XFRM) hands the
# decrypted inner packet back in on the same interface, where tcpdump sees
# it too, yet it never was on the wire (that nothing crosses in clear is
# traffic's wire check).
pcap_start() {
	cap_start "$1" "$2" "$3" -U -w - 'esp or udp port 500 or udp port 4500'
}
# ws_fields CONFDIR PCAP OUT: what tshark shows of each frame of PCAP with
# the Wireshark configuration directory CONFDIR, one line per frame in
# OUT, tab-separated (a field's occurrences joined by commas, so a
# decrypted tunnel-mode packet's ip.src is "OUTER,INNER"):
#   1 frame  2 esp.spi  3 ip.src  4 ip.dst  5 icmp.type  6 tcp.srcport
#   7 tcp.dstport  8 esp.icv_good  9 esp.icv_bad  10 isakmp.exchangetype
#   11 isakmp.flag_r  12 isakmp.id.data.fqdn
ws_fields() {
	local err
	WIRESHARK_CONFIG_DIR=$1 tshark -n -r "$2" \
		-o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE \
		-T fields -E separator=/t -E occurrence=a -E aggregator=, \
		-e frame.number -e esp.spi -e ip.src -e ip.dst -e icmp.type \
		-e tcp.srcport -e tcp.dstport -e esp.icv_good -e esp.icv_bad \
		-e isakmp.exchangetype -e isakmp.flag_r -e isakmp.id.data.fqdn \
		>"$3" 2>"$3.err"
	RC=$?
	err=$(grep -v 'Running as user' "$3.err")
	if [ "$RC" -ne 0 ] || [ -n "$err" ]; then
		diag "tshark -r $2 (configuration $1) exit $RC: $err"
		return 1
	fi
	[ -s "$3" ] && return 0
	diag "tshark read no frame from $2"
	return 1
}

# ws_esp FIELDS SPI OSRC ODST ISRC IDST: "ESP DEC ECHO REPLY TCP GOOD BAD",
# the frames of ESP SPI (between OSRC and ODST) in FIELDS, those shown
# decrypted with inner ISRC -> IDST, among these the ICMP echo requests,
# echo replies and TCP segments (port 5001), and the frames with the ICV
# called good and bad.
ws_esp() {
	awk -F'\t' -v spi="$2" -v src="$3,$5" -v dst="$4,$6" -v osrc="$3" '
	function n(x) { x = tolower(x); sub(/^0x0*/, "", x); return x }
	function yes(x) { return x ~ /^(1|True)$/ }
	n($2) == n(spi) && substr($3, 1, length(osrc)) == osrc {
		esp++
		if ($3 == src && $4 == dst) {
			dec++
			if ($5 == "8") echo++
			if ($5 == "0") reply++
			if ($6 == "5001" || $7 == "5001") tcp++
		}
		if (yes($8)) good++
		if (yes($9)) bad++
	}
	END { print esp + 0, dec + 0, echo + 0, reply + 0, tcp + 0, good + 0, bad + 0 }' "$1"
}

# ws_ike FIELDS: "AUTH IDI IDR FQDN": IKE_AUTH messages (exchange type 35),
# requests showing the IDi moon.test, responses showing the IDr sun.test,
# and frames showing any FQDN identity at all.
ws_ike() {
	awk -F'\t' '
	function yes(x) { return x ~ /^(1|True)$/ }
	$12 != "" { fqdn++ }
	$10 == "35" {
		auth++
		if (!yes($11) && $12 ~ /(^|,)moon\.test(,|$)/) idi++
		if (yes($11) && $12 ~ /(^|,)sun\.test(,|$)/) idr++
	}
	END { print auth + 0, idi + 0, idr + 0, fqdn + 0 }' "$1"
}

# ws_esp_dir FIELDS m2s|s2m: the outbound SPI, outer and inner source and
# destination of that direction (moon to sun, sun to moon), then what
# ws_esp counts of it.
ws_esp_dir() {
	local spi os od is id

	if [ "$2" = m2s ]; then
		spi=${SPIS_M#* } os=$MOON_IP od=$SUN_IP is=$MOON_IN id=$SUN_IN
	else
		spi=${SPIS_S#* } os=$SUN_IP od=$MOON_IP is=$SUN_IN id=$MOON_IN
	fi
	echo "$spi $os $od $is $id $(ws_esp "$1" "$spi" "$os" "$od" "$is" "$id")"
}

# ws_decrypts FIELDS: with the keys, IKE_AUTH shows both identities and
# every ESP packet of both SPIs decrypts to the tunnel's traffic.
ws_decrypts() {
	local f=$1 r=0 auth idi idr fqdn esp dec echo reply tcp good bad d
	local spi os od is id
	read -r auth idi idr fqdn <<<"$(ws_ike "$f")"
	diag "with the keys: $auth IKE_AUTH messages, $idi requests showing IDi moon.test, $idr responses showing IDr sun.test"
	if [ "$auth" -lt 2 ] || [ "$idi" -lt 1 ] || [ "$idr" -lt 1 ]; then
		diag "IKE_AUTH not decrypted: expected a request with IDi moon.test and a response with IDr sun.test"
		r=1
	fi
	for d in m2s s2m; do
		read -r spi os od is id esp dec echo reply tcp good bad \
			<<<"$(ws_esp_dir "$f" "$d")"
		diag "ESP $spi $os -> $od: $esp packets, $dec decrypted to $is -> $id ($echo echo requests, $reply echo replies, $tcp TCP), ICV good $good, bad $bad"
		if [ "$esp" -lt 100 ] || [ "$dec" != "$esp" ] || [ "$echo" -lt 3 ] ||
		   [ "$reply" -lt 3 ] || [ "$tcp" -lt 100 ] || [ "$good" != "$esp" ] ||
		   [ "$bad" != 0 ]; then
			diag "expected: at least 100 packets, all decrypted with the ICV good, at least 3 echo requests, 3 echo replies and 100 TCP segments"
			r=1
		fi
	done
	# and any other ESP too (an earlier generation: kipsec ike rekeys
	# at once when the child's proposals have a key exchange method)
	d=$(awk -F'\t' '$2 != "" && $3 !~ /,/' "$f")
	if [ -n "$d" ]; then
		diag "ESP not decrypted with the keys ($(wc -l <<<"$d") frames): $(head -n 3 <<<"$d")"
		r=1
	fi
	return "$r"
}

# ws_opaque FIELDS: without the keys, the same messages are there and
# nothing inside them shows.
ws_opaque() {
	local f=$1 r=0 auth idi idr fqdn esp dec echo reply tcp good bad d
	local spi os od is id
	read -r auth idi idr fqdn <<<"$(ws_ike "$f")"
	diag "without the keys: $auth IKE_AUTH messages, $fqdn frames showing an FQDN identity"
	[ "$auth" -ge 2 ] && [ "$fqdn" = 0 ] || r=1
	for d in m2s s2m; do
		read -r spi os od is id esp dec echo reply tcp good bad \
			<<<"$(ws_esp_dir "$f" "$d")"
		diag "ESP $spi $os -> $od: $esp packets, $dec decrypted ($echo echo requests, $reply echo replies, $tcp TCP)"
		[ "$esp" -ge 100 ] && [ "$dec" = 0 ] && [ "$echo" = 0 ] &&
			[ "$reply" = 0 ] && [ "$tcp" = 0 ] || r=1
	done
	# nothing of the inner traffic anywhere, whichever SPI
	if awk -F'\t' '$5 != "" || $6 != "" || $3 ~ /,/ { exit 1 }' "$f"; then
		:
	else
		diag "inner traffic shown without the keys: $(awk -F'\t' '$5 != "" || $6 != "" || $3 ~ /,/' "$f" | head -n 3)"
		r=1
	fi
	return "$r"
}

# ws_keyfiles DIR: moon wrote both key files, a line each at least.
ws_keyfiles() {
	local f r=0
	for f in ikev2_decryption_table esp_sa; do
		if [ ! -s "$1/$f" ]; then
			diag "$1/$f: missing or empty"
			r=1
		fi
	done
	[ "$r" = 0 ] && diag "esp_sa: $(wc -l <"$1/esp_sa") lines, ikev2_decryption_table: $(wc -l <"$1/ikev2_decryption_table")"
	return "$r"
}

case_wireshark() {
	local keys cap=$CDIR/link.pcap empty
	case_selected wireshark || return 0
	if [ "$PEER" != kipsec ]; then
		# (no case_begin: nothing runs)
		ok "wireshark: tshark decrypts IKE_AUTH and ESP with moon's key files # SKIP moon runs charon, which writes no Wireshark key files: the case is for kipsec ike --wireshark-keys"
		return 0
	fi
	case_begin wireshark || return 0
	cap=$CDIR/link.pcap
	keys=$CDIR/wireshark-keys
	empty=$CDIR/wireshark-empty
	mkdir -p "$keys" "$empty"
	cfg_net
	if ! ti "wireshark: moon (kipsec ike --wireshark-keys) and sun running" \
		eval 'topo_direct && peers && SIDE_ARGS[moon]="--wireshark-keys $keys" && peers_start'; then
		case_end
		return
	fi
	if ! pcap_start "$MOON" eth0 "$cap"; then
		not_ok "wireshark: tcpdump -w"
		case_end
		return
	fi
	if ti "wireshark, moon initiates: IKE_SA ESTABLISHED and CHILD_SA INSTALLED on both sides" \
		up moon gw net; then
		traffic wireshark tunnel net
	fi
	cap_stop "$cap"
	agree net
	ti "wireshark: moon wrote ikev2_decryption_table and esp_sa" ws_keyfiles "$keys"
	if ti "wireshark: tshark reads the capture with the key files" \
		ws_fields "$keys" "$cap" "$CDIR/with-keys"; then
		t "wireshark: with the keys, IKE_AUTH shows IDi moon.test and IDr sun.test; all ESP of both SPIs decrypts to ICMP echo and TCP between $MOON_IN and $SUN_IN, ICV good" \
			ws_decrypts "$CDIR/with-keys"
	fi
	if ti "wireshark: tshark reads the capture without keys" \
		ws_fields "$empty" "$cap" "$CDIR/without-keys"; then
		t "wireshark: without the keys, the same IKE_AUTH messages and ESP packets are there and nothing inside shows" \
			ws_opaque "$CDIR/without-keys"
	fi
	case_end
}
