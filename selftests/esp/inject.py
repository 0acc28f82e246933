#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Re-inject captured ESP packets onto a wire, for selftests/kipsec-esp.sh.

usage: inject.py PCAP IFACE SPI [--seq N[,N...]] [--flip OFFSET]

Reads PCAP (classic pcap as written by `tcpdump -w`, Ethernet link type,
either byte order, micro- or nanosecond timestamps), selects the ESP
packets (IPv4 protocol 50, or IPv6 next header 50 right after the fixed
header) whose SPI is SPI (decimal or 0x hex), optionally only those whose
sequence number is in --seq, and sends each frame unchanged, as captured,
through an AF_PACKET socket bound to IFACE. With --flip, the byte at
OFFSET bytes after the start of the ESP header (SPI, sequence number, IV,
then ciphertext) is XORed with 0x01 first; OFFSET must fall before the ICV
(the last 8 to 32 bytes), which the script checks loosely (at least 32
bytes must follow it).

Prints "sent N" and exits 0 if at least one packet was sent, 1 otherwise.
"""
import argparse
import socket
import struct
import sys


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        sys.exit("inject.py: %s is not a classic pcap file" % path)
    linktype = struct.unpack(end + "I", data[20:24])[0]
    if linktype != 1:
        sys.exit("inject.py: link type %d, want 1 (Ethernet)" % linktype)
    off = 24
    while off + 16 <= len(data):
        _, _, incl, orig = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        if off + incl > len(data):
            break  # a record tcpdump was still writing
        if incl != orig:
            sys.exit("inject.py: truncated frame in capture (snaplen)")
        yield data[off:off + incl]
        off += incl


def esp_offset(fr):
    """Offset of the ESP header in an Ethernet frame, or None."""
    if len(fr) < 14:
        return None
    etype = struct.unpack("!H", fr[12:14])[0]
    if etype == 0x0800 and len(fr) >= 34:
        ihl = (fr[14] & 0x0F) * 4
        if fr[23] == 50:
            return 14 + ihl
    elif etype == 0x86DD and len(fr) >= 54:
        if fr[20] == 50:
            return 54
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pcap")
    ap.add_argument("iface")
    ap.add_argument("spi", type=lambda s: int(s, 0))
    ap.add_argument("--seq", default="")
    ap.add_argument("--flip", type=int)
    a = ap.parse_args()
    seqs = {int(s, 0) for s in a.seq.split(",") if s}

    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((a.iface, 0))
    sent = 0
    for fr in frames(a.pcap):
        e = esp_offset(fr)
        if e is None or len(fr) < e + 8:
            continue
        spi, seq = struct.unpack("!II", fr[e:e + 8])
        if spi != a.spi or (seqs and seq not in seqs):
            continue
        if a.flip is not None:
            i = e + a.flip
            if i + 32 > len(fr):
                sys.exit("inject.py: --flip %d is past the payload" % a.flip)
            fr = fr[:i] + bytes([fr[i] ^ 1]) + fr[i + 1:]
        sock.send(fr)
        sent += 1
    print("sent %d" % sent)
    return 0 if sent else 1


if __name__ == "__main__":
    sys.exit(main())
