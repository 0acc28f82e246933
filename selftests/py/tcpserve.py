# SPDX-License-Identifier: GPL-2.0
"""The accept loop of the selftests' TCP servers (tcp-sink.py, xfer-server.py).

Listens on every port on the IPv6 wildcard address with IPV6_V6ONLY off (so
IPv4 clients are served too), creates READYFILE once all listen, and serves
one connection at a time, forever (the test kills the server). Each
connection has a 60 s inactivity timeout so a broken tunnel cannot wedge the
server; an error is reported on stderr and the server keeps serving.
"""
import select
import socket
import sys


def listen_and_serve(name, ports, ready, serve):
    socks = []
    for p in ports:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", p))
        s.listen(8)
        socks.append(s)
    open(ready, "w").close()
    while True:
        r, _, _ = select.select(socks, [], [])
        for s in r:
            conn, peer = s.accept()
            conn.settimeout(60)
            try:
                serve(conn)
            except Exception as e:  # report, keep serving
                print("%s: %s: %r" % (name, peer[0], e), file=sys.stderr,
                      flush=True)
            finally:
                conn.close()
