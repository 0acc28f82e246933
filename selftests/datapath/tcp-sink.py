#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP sink for selftests/kipsec-datapath.sh (the client is bash /dev/tcp).

usage: tcp-sink.py READYFILE DIR PORT

Listens on PORT on the IPv6 wildcard address with IPV6_V6ONLY off (IPv4
clients too) and serves connections one at a time until killed. A client
sends one line, a plain NAME, then its data, then closes its side; the
sink writes "LEN SHA256HEX\\n" of the data to DIR/NAME (complete when it
appears: written to NAME.part and renamed). The test compares the digest
with the sender's file. READYFILE is created once the socket listens. A
connection idle for 60 s is dropped (a broken tunnel must not wedge it).
"""
import hashlib
import os
import socket
import sys


def serve(conn, d):
    name = b""
    while not name.endswith(b"\n"):
        c = conn.recv(1)
        if not c:
            return
        name += c
        if len(name) > 100:
            return
    name = os.path.basename(name.decode().strip())
    h = hashlib.sha256()
    n = 0
    while True:
        b = conn.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
    path = os.path.join(d, name)
    with open(path + ".part", "w") as f:
        f.write("%d %s\n" % (n, h.hexdigest()))
    os.rename(path + ".part", path)


def main():
    ready, d, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(8)
    open(ready, "w").close()
    while True:
        conn, peer = s.accept()
        conn.settimeout(60)
        try:
            serve(conn, d)
        except Exception as e:  # report, keep serving
            print("tcp-sink: %s: %r" % (peer[0], e), file=sys.stderr,
                  flush=True)
        finally:
            conn.close()


if __name__ == "__main__":
    main()
