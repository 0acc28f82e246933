# SPDX-License-Identifier: GPL-2.0
"""A small, fast generic netlink client for the kipsec walk.

The attribute, operation and enum numbers come from the YAML spec through
the kernel tree's YNL library (SpecFamily); the messages are built and
parsed here, and many requests go to the kernel in one sendmsg() (the
kernel runs every message of a netlink datagram in turn and acks each),
which is what makes probing thousands of requests cheap under TCG.
"""
import errno
import os
import socket
import struct

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
SO_SNDBUFFORCE = 32
SO_RCVBUFFORCE = 33

NLM_F_REQUEST = 1
NLM_F_MULTI = 2
NLM_F_ACK = 4
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_MISS_TYPE = 5

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

_INT = {"u8": "B", "u16": "H", "u32": "I", "u64": "Q",
        "s8": "b", "s16": "h", "s32": "i", "s64": "q"}


def nla(atype, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, atype) + payload + b"\0" * (-n % 4)


def nla_iter(data):
    off = 0
    while off + 4 <= len(data):
        n, t = struct.unpack_from("=HH", data, off)
        if n < 4:
            break
        yield t & 0x3fff, data[off + 4:off + n]
        off += (n + 3) & ~3


class Codec:
    """Spec-driven encoding and decoding of attribute sets."""

    def __init__(self, family):
        self.fam = family

    def enc(self, setname, d):
        aset = self.fam.attr_sets[setname]
        out = []
        for name, v in d.items():
            a = aset.attrs[name]
            if a.type == "nest":
                out.append(nla(a.value | NLA_F_NESTED,
                               self.enc(a.yaml["nested-attributes"], v)))
            elif a.type in _INT:
                bo = ">" if a.byte_order == "big-endian" else "="
                out.append(nla(a.value, struct.pack(bo + _INT[a.type], v)))
            elif a.type == "binary":
                out.append(nla(a.value, bytes(v)))
            elif a.type == "string":
                out.append(nla(a.value, v.encode() + b"\0"))
            elif a.type == "flag":
                if v:
                    out.append(nla(a.value, b""))
            else:
                raise ValueError("cannot encode %s.%s (%s)" %
                                 (setname, name, a.type))
        return b"".join(out)

    def dec(self, setname, data):
        aset = self.fam.attr_sets[setname]
        out = {}
        for t, p in nla_iter(data):
            a = aset.attrs_by_val.get(t)
            if a is None:
                continue
            if a.type == "nest":
                out[a.name] = self.dec(a.yaml["nested-attributes"], p)
            elif a.type in _INT:
                bo = ">" if a.byte_order == "big-endian" else "="
                fmt = bo + _INT[a.type]
                if len(p) == struct.calcsize(fmt):
                    out[a.name] = struct.unpack(fmt, p)[0]
            elif a.type == "pad":
                continue
            else:
                out[a.name] = p
        return out


class NlError(Exception):
    pass


class Genl:
    """A genetlink socket of the network namespace it is created in."""

    def __init__(self, family, name):
        self.fam = family
        self.codec = Codec(family)
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        for opt in (SO_SNDBUFFORCE, SO_RCVBUFFORCE):
            try:
                s.setsockopt(socket.SOL_SOCKET, opt, 16 << 20)
            except OSError:
                pass
        s.bind((0, 0))
        self.s = s
        self.seq = 1
        self.fid = GENL_ID_CTRL
        reply = self._do_raw(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                             nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        fid = None
        for t, p in nla_iter(reply):
            if t == CTRL_ATTR_FAMILY_ID:
                fid = struct.unpack("=H", p[:2])[0]
        if fid is None:
            raise NlError("genl family %s not found" % name)
        self.fid = fid

    def _msg(self, ftype, cmd, payload, flags):
        self.seq += 1
        hdr = struct.pack("=IHHII", 16 + 4 + len(payload), ftype, flags,
                          self.seq, 0)
        return self.seq, hdr + struct.pack("=BBH", cmd, 1, 0) + payload

    def _recv(self):
        data = self.s.recv(1 << 22)
        off = 0
        while off + 16 <= len(data):
            n, t, f, seq, _ = struct.unpack_from("=IHHII", data, off)
            yield t, f, seq, data[off + 16:off + n]
            off += (n + 3) & ~3

    @staticmethod
    def _err(payload, flags):
        """(errno, extack message, missing attribute type or None)"""
        err = -struct.unpack_from("=i", payload)[0]
        msg, miss = "", None
        if flags & NLM_F_ACK_TLVS:
            # the request's header follows (NETLINK_CAP_ACK: header only)
            for t, p in nla_iter(payload[4 + 16:]):
                if t == NLMSGERR_ATTR_MSG:
                    msg = p.rstrip(b"\0").decode(errors="replace")
                elif t == NLMSGERR_ATTR_MISS_TYPE:
                    miss = struct.unpack("=I", p[:4])[0]
        return err, msg, miss

    def _do_raw(self, ftype, cmd, payload):
        seq, m = self._msg(ftype, cmd, payload, NLM_F_REQUEST | NLM_F_ACK)
        self.s.send(m)
        reply = b""
        while True:
            for t, f, s, p in self._recv():
                if s != seq:
                    continue
                if t == NLMSG_ERROR:
                    err, msg, _ = self._err(p, f)
                    if err:
                        raise NlError("%s: %s" % (os.strerror(err), msg))
                    return reply
                reply = p[4:]

    def do(self, op, attrs=None):
        """One request; returns the decoded reply (or {})."""
        o = self.fam.msgs[op]
        reply = self._do_raw(self.fid, o.req_value,
                             self.codec.enc(o.attr_set.name, attrs or {}))
        return self.codec.dec(o.attr_set.name, reply) if reply else {}

    def batch(self, reqs, chunk=256):
        """reqs: [(op, attrs)]. Returns [(errno, extack msg, miss type name)]
        in order, errno 0 for success. Up to chunk requests per datagram."""
        res = []
        for i in range(0, len(reqs), chunk):
            part = reqs[i:i + chunk]
            seqs, msgs = [], []
            for op, attrs in part:
                o = self.fam.msgs[op]
                seq, m = self._msg(self.fid, o.req_value,
                                   self.codec.enc(o.attr_set.name, attrs),
                                   NLM_F_REQUEST | NLM_F_ACK)
                seqs.append(seq)
                msgs.append(m)
            self.s.send(b"".join(msgs))
            got = {}
            while len(got) < len(seqs):
                for t, f, s, p in self._recv():
                    if t == NLMSG_ERROR:
                        got[s] = self._err(p, f)
            for (op, _), seq in zip(part, seqs):
                err, msg, miss = got[seq]
                if miss is not None:
                    aset = self.fam.msgs[op].attr_set
                    a = aset.attrs_by_val.get(miss)
                    miss = a.name if a else str(miss)
                res.append((err, msg, miss))
        return res

    def dump(self, op, attrs=None):
        o = self.fam.msgs[op]
        seq, m = self._msg(self.fid, o.req_value,
                           self.codec.enc(o.attr_set.name, attrs or {}),
                           NLM_F_REQUEST | NLM_F_DUMP)
        self.s.send(m)
        out = []
        while True:
            for t, f, s, p in self._recv():
                if s != seq:
                    continue
                if t == NLMSG_DONE:
                    return out
                if t == NLMSG_ERROR:
                    err, msg, _ = self._err(p, f)
                    if err:
                        raise NlError("%s: %s" % (os.strerror(err), msg))
                    return out
                out.append(self.codec.dec(o.attr_set.name, p[4:]))


def strerror(err):
    return errno.errorcode.get(err, str(err))
