#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP file server for selftests/kipsec-esp.sh (the client is bash /dev/tcp).

usage: xfer-server.py DIR READYFILE PORT...

Listens on every PORT (see ../py/tcpserve.py). A connection sends one
request line:

  PUT NAME LEN\\n<LEN bytes>  stores the bytes as DIR/NAME, then answers
                              "OK LEN\\n" once the file is complete on disk
                              (or "ERR ...\\n" if fewer bytes arrived);
  GET PATH\\n                 answers with the bytes of DIR/PATH and closes.

NAME is a plain file name, PATH may name a file outside DIR. The test,
not this server, compares checksums.
"""
import os
import socket
import sys

sys.dont_write_bytecode = True  # the tree may be read-only (the VM)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "py"))
from tcpserve import listen_and_serve  # noqa: E402


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
    listen_and_serve("xfer-server", ports, ready, lambda c: serve(c, d))


if __name__ == "__main__":
    main()
