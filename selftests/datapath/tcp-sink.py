#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP sink for selftests/kipsec-datapath.sh (the client is bash /dev/tcp).

usage: tcp-sink.py READYFILE DIR PORT

Listens on PORT on the IPv6 wildcard address with IPV6_V6ONLY off (IPv4
clients too) and serves connections one at a time until killed. A client
sends one line, a plain NAME, then its data, then closes its side; the
sink writes "LEN SHA256HEX\\n" of the data to DIR/NAME (complete when it
appears: written to NAME.part and renamed). The test compares the digest
with the sender's file. READYFILE: see ../py/tcpserve.py.
"""
import hashlib
import os
import sys

sys.dont_write_bytecode = True  # the tree may be read-only (the VM)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "py"))
from tcpserve import listen_and_serve  # noqa: E402


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
    listen_and_serve("tcp-sink", [port], ready, lambda c: serve(c, d))


if __name__ == "__main__":
    main()
