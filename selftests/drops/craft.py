#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Craft single packets for selftests/kipsec-drops.sh, stdlib only.

usage: craft.py COMMAND [OPTIONS]      send one packet (or one datagram)
       craft.py serve [CPU]            read one "COMMAND [OPTIONS]" per line
                                       from standard input, send, print
                                       "sent LEN inner ILEN" or "error ...",
                                       flushed (Python starts slowly under
                                       TCG: one process serves a whole run);
                                       on CPU only, if given, so that what
                                       it sends over a veth is received in
                                       the order it was sent (one backlog)

Commands:

  esp    an ESP packet (RFC 4303) with ENCR_NULL (RFC 2410, no IV, block
         size 4) and AUTH_HMAC_SHA2_256_128 (RFC 4868: the ICV is the first
         16 bytes of HMAC-SHA256(key, SPI | seq | payload | padding | pad
         length | next header)), in an Ethernet frame sent through an
         AF_PACKET socket on --dev:
           --family 4|6 --src A --dst A --smac M --dmac M --dev IF
           --spi N --seq N --key HEX        (32 bytes)
           --mode tunnel|transport          (what the payload is: the inner
                                             IP packet, or its upper layer)
           --inner icmp4|icmp6|none         an echo request, or no payload
           --inner-src A --inner-dst A --inner-tos N
           --inner-len N                    tunnel mode, IPv4: tot_len says N
                                            (the data stays as it is)
           --id N                           the echo request's id and sequence
           --outer-tos N                    outer TOS / traffic class (ECN)
         faults:
           --nexthdr N                      the trailer's next header
                                            (default: 4/41 in tunnel mode,
                                            1/58 in transport mode)
           --pad-bad                        padding 1, 2, 3... with the last
                                            byte wrong (padding length >= 2)
           --pad-extra N                    N more bytes of padding (kept a
                                            multiple of 4 overall)
           --bad-icv                        flip a bit of the ICV
           --truncate                       no payload and no trailer: SPI,
                                            seq and the ICV only
           --misalign                       one byte more ciphertext (not a
                                            multiple of 4 bytes)
           --udp-encap PORT                 RFC 3948: in UDP from and to
                                            PORT (IPv4, checksum 0)
           --count N                        N such packets, seq, seq + 1...
  clear  the inner packet alone, in the clear, same options (--inner-*)
         and --udp-dport N for a UDP datagram instead of the echo request
  gso    one UDP send of --segments N datagrams of --size bytes with
         UDP_SEGMENT (generic segmentation offload: the stack makes N
         packets of one skb) to --dst --port; with --fifo-cpu N, sent
         from CPU N as a SCHED_FIFO task (so no normal task, no kworker,
         runs on that CPU before the send system call is done)
  frame  --dev IF --hex BYTES: the bytes as they are, through AF_PACKET

Prints "sent LEN inner ILEN": the bytes sent (in all) and the length of
the inner packet (what an SA counts in bytes: the ESP payload after decryption).
"""
import argparse
import hashlib
import hmac
import os
import shlex
import socket
import struct
import sys

ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
SOL_UDP, UDP_SEGMENT = 17, 103


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(src, dst, proto, payload, tos=0, tot_len=None, ident=0x1234):
    n = 20 + len(payload) if tot_len is None else tot_len
    h = struct.pack("!BBHHHBBH4s4s", 0x45, tos, n, ident, 0x4000, 64, proto,
                    0, socket.inet_pton(socket.AF_INET, src),
                    socket.inet_pton(socket.AF_INET, dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nh, payload, tclass=0):
    first = (6 << 28) | (tclass << 20)
    return struct.pack("!IHBB16s16s", first, len(payload), nh, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def echo4(ident):
    body = struct.pack("!BBHHH", 8, 0, 0, ident, 1) + b"kipsec-drops!!!!"
    return body[:2] + struct.pack("!H", csum(body)) + body[4:]


def echo6(src, dst, ident):
    body = struct.pack("!BBHHH", 128, 0, 0, ident, 1) + b"kipsec-drops!!!!"
    pseudo = (socket.inet_pton(socket.AF_INET6, src) +
              socket.inet_pton(socket.AF_INET6, dst) +
              struct.pack("!IxxxB", len(body), 58))
    return body[:2] + struct.pack("!H", csum(pseudo + body)) + body[4:]


def udp4(src, dst, sport, dport, data):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    pseudo = (socket.inet_pton(socket.AF_INET, src) +
              socket.inet_pton(socket.AF_INET, dst) +
              struct.pack("!xBH", 17, len(u)))
    c = csum(pseudo + u) or 0xFFFF
    return u[:6] + struct.pack("!H", c) + u[8:]


def inner_packet(a):
    """(payload, next header): the inner IP packet (tunnel mode, clear) or
    its upper layer (transport mode)."""
    fam = 6 if a.inner == "icmp6" or ":" in (a.inner_dst or "") else 4
    if a.inner == "none":
        return b"", 59
    if a.udp_dport is not None:
        up, proto = udp4(a.inner_src, a.inner_dst, 40000, a.udp_dport,
                         b"kipsec-drops"), 17
    elif fam == 4:
        up, proto = echo4(a.id), 1
    else:
        up, proto = echo6(a.inner_src, a.inner_dst, a.id), 58
    if a.mode == "transport" and a.cmd == "esp":
        return up, proto
    if fam == 4:
        tot = a.inner_len
        return ip4(a.inner_src, a.inner_dst, proto, up, a.inner_tos, tot), 4
    return ip6(a.inner_src, a.inner_dst, proto, up, a.inner_tos), 41


def esp(a, payload, nh):
    key = bytes.fromhex(a.key[2:] if a.key.startswith("0x") else a.key)
    hdr = struct.pack("!II", a.spi, a.seq)
    if a.truncate:
        body = b""
    else:
        padlen = (-(len(payload) + 2)) % 4 + a.pad_extra
        pad = bytearray(range(1, padlen + 1))
        if a.pad_bad:
            if padlen < 2:
                padlen += 4
                pad = bytearray(range(1, padlen + 1))
            pad[-1] ^= 0x80
        body = payload + bytes(pad) + bytes([padlen, nh])
        if a.misalign:
            body = payload + b"\0" + bytes(pad) + bytes([padlen, nh])
    icv = bytearray(hmac.new(key, hdr + body, hashlib.sha256).digest()[:16])
    if a.bad_icv:
        icv[5] ^= 0x10
    return hdr + body + bytes(icv)


def eth(a, etype, packet):
    mac = lambda m: bytes.fromhex(m.replace(":", ""))
    return mac(a.dmac) + mac(a.smac) + struct.pack("!H", etype) + packet


def send_frame(dev, frame):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    try:
        s.bind((dev, 0))
        return s.send(frame)
    finally:
        s.close()


def cmd_esp(a):
    payload, nh = inner_packet(a)
    if a.inner != "none" and a.nexthdr is None and a.mode == "tunnel":
        nh = 41 if a.inner == "icmp6" else 4
    if a.nexthdr is not None:
        nh = a.nexthdr
    sent = 0
    for i in range(a.count):
        e = esp(a, payload, nh)
        a.seq += 1
        if a.family == 4:
            if a.udp_encap:
                u = struct.pack("!HHHH", a.udp_encap, a.udp_encap,
                                8 + len(e), 0)
                pkt = ip4(a.src, a.dst, 17, u + e, a.outer_tos)
            else:
                pkt = ip4(a.src, a.dst, 50, e, a.outer_tos)
            sent += send_frame(a.dev, eth(a, ETH_P_IP, pkt))
        else:
            pkt = ip6(a.src, a.dst, 50, e, a.outer_tos)
            sent += send_frame(a.dev, eth(a, ETH_P_IPV6, pkt))
    return sent, len(payload)


def cmd_clear(a):
    pkt, nh = inner_packet(a)
    etype = ETH_P_IPV6 if nh == 41 else ETH_P_IP
    return send_frame(a.dev, eth(a, etype, pkt)), len(pkt)


def cmd_gso(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    cpus = os.sched_getaffinity(0)
    try:
        s.setsockopt(SOL_UDP, UDP_SEGMENT, a.size)
        if a.fifo_cpu is not None:
            # nothing of normal priority runs on that CPU until the
            # send is done
            os.sched_setaffinity(0, {a.fifo_cpu})
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))
        n = s.sendto(b"g" * (a.size * a.segments), (a.dst, a.port))
    finally:
        if a.fifo_cpu is not None:
            os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
            os.sched_setaffinity(0, cpus)
        s.close()
    return n, a.size


def cmd_frame(a):
    return send_frame(a.dev, bytes.fromhex(a.hex)), 0


def parser():
    ap = argparse.ArgumentParser(prog="craft.py", exit_on_error=False)
    ap.add_argument("cmd", choices=("esp", "clear", "gso", "frame"))
    num = lambda s: int(s, 0)
    ap.add_argument("--family", type=int, choices=(4, 6), default=4)
    ap.add_argument("--src")
    ap.add_argument("--dst")
    ap.add_argument("--smac", default="02:00:00:00:00:02")
    ap.add_argument("--dmac", default="02:00:00:00:00:01")
    ap.add_argument("--dev")
    ap.add_argument("--spi", type=num)
    ap.add_argument("--seq", type=num)
    ap.add_argument("--key")
    ap.add_argument("--mode", choices=("tunnel", "transport"),
                    default="tunnel")
    ap.add_argument("--inner", choices=("icmp4", "icmp6", "none"),
                    default="icmp4")
    ap.add_argument("--inner-src")
    ap.add_argument("--inner-dst")
    ap.add_argument("--inner-tos", type=num, default=0)
    ap.add_argument("--inner-len", type=num)
    ap.add_argument("--id", type=num, default=1)
    ap.add_argument("--udp-dport", type=num)
    ap.add_argument("--outer-tos", type=num, default=0)
    ap.add_argument("--nexthdr", type=num)
    ap.add_argument("--pad-bad", action="store_true")
    ap.add_argument("--pad-extra", type=num, default=0)
    ap.add_argument("--bad-icv", action="store_true")
    ap.add_argument("--truncate", action="store_true")
    ap.add_argument("--misalign", action="store_true")
    ap.add_argument("--udp-encap", type=num)
    ap.add_argument("--count", type=num, default=1)
    ap.add_argument("--segments", type=num, default=2)
    ap.add_argument("--size", type=num, default=100)
    ap.add_argument("--port", type=num, default=9)
    ap.add_argument("--fifo-cpu", type=num)
    ap.add_argument("--hex")
    return ap


CMDS = {"esp": cmd_esp, "clear": cmd_clear, "gso": cmd_gso,
        "frame": cmd_frame}


def one(ap, argv):
    a = ap.parse_args(argv)
    if a.pad_extra % 4:
        raise ValueError("--pad-extra must be a multiple of 4")
    n, inner = CMDS[a.cmd](a)
    return "sent %d inner %d" % (n, inner)


def main():
    ap = parser()
    if sys.argv[1:2] != ["serve"]:
        print(one(ap, sys.argv[1:]))
        return 0
    if len(sys.argv) > 2:
        os.sched_setaffinity(0, {int(sys.argv[2])})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = one(ap, shlex.split(line))
        except (OSError, ValueError, argparse.ArgumentError) as e:
            out = "error %s" % e
        except SystemExit:
            out = "error usage: %s" % line.strip()
        print(out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
