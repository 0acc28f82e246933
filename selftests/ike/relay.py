#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A two-port Ethernet relay that can hold back IKE, for
selftests/kipsec-ike.sh (the rekey collision cases).

usage: relay.py READYFILE PORT_A PORT_B

Copies every frame that arrives on interface PORT_A out of PORT_B and the
other way round (AF_PACKET sockets; the interfaces should be promiscuous),
so the two hosts behind it see one Ethernet segment. The test kernel has
no qdiscs (no netem), so this is how the test makes two IKE requests
cross deterministically:

  SIGUSR1  hold: IKE messages (UDP port 500, or 4500 with the four zero
           bytes of the non-ESP marker) are queued instead of copied;
           everything else (ESP, ARP, ...) still passes.
  SIGHUP   hold answers: only the responses that key a CHILD_SA
           (IKE_AUTH, CREATE_CHILD_SA) are queued, so the initiator
           cannot install what the responder already uses.
  SIGUSR2  release: the queued messages go out, in the order they came,
           and IKE passes again.

It prints one line per event, flushed:

  ready | hold | hold-answers | release N
  held|passed|released A>B EXCH request|response MID

(A>B: from PORT_A to PORT_B; EXCH the IKE exchange type as a number, 35
IKE_AUTH, 36 CREATE_CHILD_SA; MID the message ID). READYFILE is created once both
ports are open.

A frame that the sender's kernel left with its checksum to be completed
(a veth keeps CHECKSUM_PARTIAL: the auxiliary data says
TP_STATUS_CSUMNOTREADY) gets its TCP or UDP checksum computed here, or
the receiver would drop it.
"""
import array
import select
import signal
import socket
import struct
import sys

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_CSUMNOTREADY = 1 << 3
AUX = struct.Struct("=IIIHHHH")		# struct tpacket_auxdata

IKE_AUTH, CREATE_CHILD_SA = 35, 36

hold = None		# what a signal asks to hold from now on
release = False


def on_hold(*_):
    global hold
    hold = "hold"


def on_hold_answers(*_):
    global hold
    hold = "hold-answers"


def on_release(*_):
    global release
    release = True


def csum(data):
    """The Internet checksum of data (RFC 1071), as an int."""
    if len(data) % 2:
        data += b"\0"
    a = array.array("H", data)
    if sys.byteorder == "little":
        a.byteswap()
    s = sum(a)
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def l3(frame):
    """(version, proto, l4 offset, pseudo-header) of an IP frame, or None
    (not IP, or a fragment but the first)."""
    if len(frame) < 14:
        return None
    et = struct.unpack_from("!H", frame, 12)[0]
    if et == 0x0800 and len(frame) >= 34:
        ihl = (frame[14] & 0xf) * 4
        if struct.unpack_from("!H", frame, 20)[0] & 0x1fff:
            return None
        tot = struct.unpack_from("!H", frame, 16)[0]
        proto = frame[23]
        l4len = tot - ihl
        ph = frame[26:34] + struct.pack("!BBH", 0, proto, l4len)
        return 4, proto, 14 + ihl, l4len, ph
    if et == 0x86dd and len(frame) >= 54:
        plen = struct.unpack_from("!H", frame, 18)[0]
        proto = frame[20]
        ph = frame[22:54] + struct.pack("!IxxxB", plen, proto)
        return 6, proto, 54, plen, ph
    return None


def fix_csum(frame):
    """frame with its TCP or UDP checksum filled in."""
    ip = l3(frame)
    if not ip or ip[1] not in (6, 17):
        return frame
    _, proto, off, l4len, ph = ip
    f = bytearray(frame)
    pos = off + (16 if proto == 6 else 6)
    if pos + 2 > len(f) or off + l4len > len(f):
        return frame
    f[pos:pos + 2] = b"\0\0"
    c = csum(bytes(ph) + bytes(f[off:off + l4len]))
    if proto == 17 and c == 0:
        c = 0xffff
    struct.pack_into("!H", f, pos, c)
    return bytes(f)


def ike(frame):
    """(exchange type, response?, message ID) of an IKE message, or None."""
    ip = l3(frame)
    if not ip or ip[1] != 17:
        return None
    off = ip[2]
    if len(frame) < off + 8:
        return None
    sport, dport = struct.unpack_from("!HH", frame, off)
    p = off + 8
    if 4500 in (sport, dport):
        if frame[p:p + 4] != b"\0\0\0\0":
            return None		# ESP in UDP, or a keepalive
        p += 4
    elif 500 not in (sport, dport):
        return None
    if len(frame) < p + 28:
        return None
    exch, flags = frame[p + 18], frame[p + 19]
    mid = struct.unpack_from("!I", frame, p + 20)[0]
    return exch, bool(flags & 0x20), mid


def held(holding, m):
    """Whether IKE message m is to be held."""
    if holding == "hold-answers":
        return m[1] and m[0] in (IKE_AUTH, CREATE_CHILD_SA)
    return holding == "hold"


def say(*w):
    print(*w, flush=True)


def describe(what, d, m):
    say(what, d, m[0], "response" if m[1] else "request", m[2])


def main():
    global hold, release
    ready, name_a, name_b = sys.argv[1:4]
    signal.signal(signal.SIGUSR1, on_hold)
    signal.signal(signal.SIGHUP, on_hold_answers)
    signal.signal(signal.SIGUSR2, on_release)
    socks = {}
    for name in (name_a, name_b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
        s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        s.bind((name, ETH_P_ALL))
        socks[name] = s
    a, b = socks[name_a], socks[name_b]
    other = {a: (b, name_a + ">" + name_b), b: (a, name_b + ">" + name_a)}
    queue = []
    holding = None		# None, "hold" or "hold-answers"
    open(ready, "w").close()
    say("ready")
    while True:
        if hold and not holding:
            holding = hold
            hold = None
            say(holding)
        if release:
            release = False
            holding = None
            say("release", len(queue))
            for out, d, frame, m in queue:
                out.send(frame)
                describe("released", d, m)
            queue = []
        try:
            r, _, _ = select.select([a, b], [], [], 0.1)
        except InterruptedError:
            continue
        for s in r:
            frame, anc, _, addr = s.recvmsg(65600, socket.CMSG_SPACE(AUX.size))
            if addr[2] == PACKET_OUTGOING:
                continue
            for level, kind, data in anc:
                if level == SOL_PACKET and kind == PACKET_AUXDATA and \
                        len(data) >= AUX.size and \
                        AUX.unpack_from(data)[0] & TP_STATUS_CSUMNOTREADY:
                    frame = fix_csum(frame)
            out, d = other[s]
            m = ike(frame)
            if m and held(holding, m):
                queue.append((out, d, frame, m))
                describe("held", d, m)
                continue
            try:
                out.send(frame)
            except OSError as e:
                say("error", d, len(frame), e)
                continue
            if m:
                describe("passed", d, m)


if __name__ == "__main__":
    main()
