#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP sink for selftests/kipsec-datapath.sh.

usage: udp-sink.py READYFILE PORT...

Binds every PORT on the IPv6 wildcard address with IPV6_V6ONLY off (IPv4
senders too) and prints one line per datagram received, until killed:

    PORT LEN SRCADDR

(an IPv4 source as a dotted quad, not as ::ffff:a.b.c.d), flushed at once.
READYFILE is created once every port is bound.
"""
import select
import socket
import sys


def main():
    ready, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
    socks = {}
    for p in ports:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", p))
        socks[s] = p
    open(ready, "w").close()
    while True:
        r, _, _ = select.select(list(socks), [], [])
        for s in r:
            data, src = s.recvfrom(65536)
            addr = src[0]
            if addr.startswith("::ffff:"):
                addr = addr[7:]
            print("%d %d %s" % (socks[s], len(data), addr), flush=True)


if __name__ == "__main__":
    main()
