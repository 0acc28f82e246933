#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The native XFRM side's NAT-T socket, for selftests/kipsec-datapath.sh.

usage: encap-peer.py READYFILE PORT < COMMANDS

What an IKE daemon does for XFRM (RFC 3948): a UDP socket bound to
0.0.0.0:PORT with the UDP_ENCAP socket option set to UDP_ENCAP_ESPINUDP
(SOL_UDP 17, UDP_ENCAP 100, value 2), so that XFRM decapsulates the
ESP-in-UDP arriving on the port, and, like IKE daemons' sockets, a socket
policy that lets its own datagrams bypass IPsec both ways (IP_XFRM_POLICY
with an allow policy per direction, as strongSwan does): XFRM policies
covering the peer must not encrypt IKE or keepalives. READYFILE is created
once it is set up.
Then it reads commands, one per line, from standard input:

    SPORT HEXBYTES ADDR DPORT

sends the bytes as one datagram to ADDR:DPORT, from this socket if SPORT
is PORT, else from a new socket bound to SPORT; and prints "sent N" or
the error, flushed. It runs until standard input ends.
"""
import socket
import sys

SOL_UDP = 17
UDP_ENCAP = 100
UDP_ENCAP_ESPINUDP = 2
IP_XFRM_POLICY = 17
XFRM_POLICY_IN, XFRM_POLICY_OUT = 0, 1


def bypass(s):
    """struct xfrm_userpolicy_info (168 bytes), all zero but sel.family
    (offset 40), dir (160) and action (161, XFRM_POLICY_ALLOW = 0)."""
    for d in (XFRM_POLICY_IN, XFRM_POLICY_OUT):
        p = bytearray(168)
        p[40:42] = socket.AF_INET.to_bytes(2, sys.byteorder)
        p[160] = d
        s.setsockopt(socket.IPPROTO_IP, IP_XFRM_POLICY, bytes(p))


def main():
    ready, port = sys.argv[1], int(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.setsockopt(SOL_UDP, UDP_ENCAP, UDP_ENCAP_ESPINUDP)
    bypass(s)
    open(ready, "w").close()
    for line in sys.stdin:
        w = line.split()
        if len(w) != 4:
            continue
        sport, data, addr, dport = int(w[0]), bytes.fromhex(w[1]), w[2], int(w[3])
        try:
            if sport == port:
                n = s.sendto(data, (addr, dport))
            else:
                t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                t.bind(("0.0.0.0", sport))
                bypass(t)
                n = t.sendto(data, (addr, dport))
                t.close()
            print("sent %d" % n, flush=True)
        except OSError as e:
            print("error %r" % (e,), flush=True)


if __name__ == "__main__":
    main()
