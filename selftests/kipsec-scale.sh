#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 10,000 SAs: added (through the kernel tree's YNL library, batched: the
# tool has no batch mode and 10,000 process spawns under TCG take minutes),
# dumped by the tool and by YNL (count 10000, every SPI once), counted by
# limits, flushed (count 0). Times are printed, never asserted.

. "$(dirname "$0")/lib.sh"

module_check
tool_check
ynl_check
ns_fresh

N=10000

# Adds N SAs spi 0x10000.. to 10.0.0.2 (every 4th IPv6 to 2001:db8::2,
# every 5th AH) with do_multi batches of 100; prints how many were acked.
ADDER='
import sys, time
sys.path.insert(0, sys.argv[2])
from lib import YnlFamily, NlError
n = int(sys.argv[3])
ynl = YnlFamily(sys.argv[1], "")
key = "00112233445566778899aabbccddeeff01020304"
akey = "00112233445566778899aabbccddeeff0011223344556677889900aabbccddee"
d6 = bytes.fromhex("20010db8000000000000000000000002")
s6 = bytes.fromhex("20010db8000000000000000000000001")
ok = 0
batch = []
def flush():
    global ok, batch
    if not batch:
        return
    try:
        ynl.do_multi(batch)
        ok += len(batch)
    except NlError as e:
        print("error after %d: %s" % (ok, e), file=sys.stderr)
        sys.exit(1)
    batch = []
t0 = time.time()
for i in range(n):
    a = {"spi": 0x10000 + i, "mode": "tunnel"}
    if i % 4 == 3:
        a["saddr-ipv6"] = s6; a["daddr-ipv6"] = d6
    else:
        a["saddr-ipv4"] = 0x0a000001; a["daddr-ipv4"] = 0x0a000002
    if i % 5 == 4:
        a["proto"] = "ah"; a["auth"] = {"id": 12, "key": akey}
    else:
        a["proto"] = "esp"; a["crypt"] = {"id": 20, "key": key}
    batch.append(("sa-new", a, []))
    if len(batch) == 100:
        flush()
flush()
print(ok)
print("%.1f s" % (time.time() - t0), file=sys.stderr)
'

add_all() {
	local start=$SECONDS got
	got=$(ip netns exec "$NS" "$PYTHON" -c "$ADDER" "$SPEC" \
		"$KSRC/tools/net/ynl" "$N" 2>"$TMPD/adder.err")
	local rc=$?
	diag "adding $N SAs: $((SECONDS - start)) s ($(cat "$TMPD/adder.err"))"
	[ "$rc" = 0 ] || { diag "adder failed: $(cat "$TMPD/adder.err")"; return 1; }
	eq "SAs acked" "$N" "$got"
}
t "$N SAs added through YNL" add_all

tool_dump() {
	local start=$SECONDS
	kip -j sa show >"$TMPD/dump.json" || { diag "sa show failed"; return 1; }
	diag "kipsec -j sa show of $N SAs: $((SECONDS - start)) s"
	eq "SAs in kipsec -j sa show" "$N" "$(jq length "$TMPD/dump.json")" \
		|| return 1
	eq "distinct (spi, dst, proto)" "$N" \
		"$(jq -r '.[] | "\(.spi) \(.dst) \(.proto)"' "$TMPD/dump.json" | sort -u | wc -l)" \
		|| return 1
	# exactly the SPIs sent: 0x10000 .. 0x10000 + N - 1
	eq "lowest and highest SPI" "0x00010000 $(printf '0x%08x' $((0x10000 + N - 1)))" \
		"$(jq -r '[.[] | .spi] | sort | "\(first) \(last)"' "$TMPD/dump.json")" \
		|| return 1
	eq "AH SAs" $((N / 5)) \
		"$(jq '[.[] | select(.proto == "ah")] | length' "$TMPD/dump.json")" \
		|| return 1
	eq "IPv6 SAs" $((N / 4)) \
		"$(jq '[.[] | select(.dst == "2001:db8::2")] | length' "$TMPD/dump.json")"
}
t "kipsec -j sa show lists all $N, each once" tool_dump

text_dump() {
	local n
	n=$(kip sa show | grep -c '^src ')
	eq "stanzas in kipsec sa show" "$N" "$n"
}
t "kipsec sa show (text) prints $N stanzas" text_dump

ynl_dump() {
	local start=$SECONDS
	ynl_cli dump sa-get >"$TMPD/ynl.json" 2>&1 || {
		diag "ynl dump failed: $(tail -5 "$TMPD/ynl.json")"
		return 1
	}
	diag "YNL dump of $N SAs: $((SECONDS - start)) s"
	eq "SAs in the YNL dump" "$N" "$(jq length "$TMPD/ynl.json")"
}
t "the raw sa-get dump has $N entries" ynl_dump

t "limits sa_count is $N" eval \
	'eq sa_count "$N" "$(kip -j limits show | jq .sa_count)"'

get_some() {
	must kip sa get dst 10.0.0.2 proto esp spi 0x10000 || return 1
	must kip sa get dst 2001:db8::2 proto esp spi $((0x10000 + 7)) || return 1
	must kip sa get dst 2001:db8::2 proto ah spi $((0x10000 + N - 1))
}
t "sa get finds the first, a v6 and the last SA" get_some

flush() {
	local start=$SECONDS
	must kip sa flush || return 1
	diag "flush of $N SAs: $((SECONDS - start)) s"
	eq "sa_count after flush" 0 "$(kip -j limits show | jq .sa_count)" \
		|| return 1
	eq "dump after flush" 0 "$(kip -j sa show | jq length)"
}
t "sa flush: count 0, dump empty" flush
