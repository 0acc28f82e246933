#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP file server for selftests/kipsec-esp.sh (the client is bash /dev/tcp).

usage: xfer-server.py DIR READYFILE PORT...

Listens on every PORT on the IPv6 wildcard address with IPV6_V6ONLY off (so
IPv4 clients are served too) and serves one connection at a time, forever
(the test kills it). A connection sends one request line:

  PUT NAME LEN\\n<LEN bytes>  stores the bytes as DIR/NAME, then answers
                              "OK LEN\\n" once the file is complete on disk
                              (or "ERR ...\\n" if fewer bytes arrived);
  GET PATH\\n                 answers with the bytes of DIR/PATH and closes.

NAME is a plain file name, PATH may name a file outside DIR. The test,
not this server, compares checksums.
Creates READYFILE once every port listens. Each connection has a 60 s
inactivity timeout so a broken tunnel cannot wedge the server.
"""
import os
import select
import socket
import sys


def recv_line(conn):
    buf = b""
    while not buf.endswith(b"\n"):
        c = conn.recv(1)
        if not c:
            raise EOFError("connection closed before the request line ended")
        buf += c
        if len(buf) > 200:
            raise ValueError("request line too long")
    return buf.decode().split()


def serve(conn, d):
    req = recv_line(conn)
    if req[0] == "PUT":
        path = os.path.join(d, os.path.basename(req[1]))
        want = int(req[2])
        got = 0
        with open(path + ".part", "wb") as f:
            while got < want:
                b = conn.recv(min(65536, want - got))
                if not b:
                    break
                f.write(b)
                got += len(b)
        if got != want:
            conn.sendall(b"ERR short %d\n" % got)
            return
        os.rename(path + ".part", path)
        conn.sendall(b"OK %d\n" % got)
    elif req[0] == "GET":
        with open(os.path.join(d, req[1]), "rb") as f:
            conn.sendall(f.read())
        conn.shutdown(socket.SHUT_WR)
    else:
        conn.sendall(b"ERR bad request\n")


def main():
    d, ready, ports = sys.argv[1], sys.argv[2], [int(p) for p in sys.argv[3:]]
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
                serve(conn, d)
            except Exception as e:  # report, keep serving
                print("xfer-server: %s: %r" % (peer[0], e), file=sys.stderr,
                      flush=True)
            finally:
                conn.close()


if __name__ == "__main__":
    main()
