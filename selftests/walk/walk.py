#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The configuration walk of selftests/kipsec-walk.sh.

usage: walk.py SPEC YNLDIR KIPSEC NS_A NS_B [--cover]

Discovers what the control plane accepts and pushes a datagram through
every accepted combination, both ways, between two namespaces facing each
other over a veth:

  1. the enums and flags (proto, mode, sa-flags) come from the YAML spec;
  2. crypt and auth transform IDs 0..63 with keys of 0..64 bytes are probed
     with sa-new (all flags set, then without each flag, to learn which flags
     an algorithm needs: "gating" flags such as legacy-algs; the others,
     such as esn, are crossed as a dimension of their own);
  3. every proto takes the algorithm shapes sa-new accepts (crypt alone,
     crypt with auth, auth alone);
  4. the cells: proto x mode x families (tunnel-like modes: 4in4, 6in6,
     4in6, 6in4; transport: v4, v6) x UDP encapsulation off/on x every
     subset of the non-gating flags x policy-based (SPD, if_id 0) /
     route-based (kipsec link, if_id) x every accepted algorithm
     combination (each key length). If that is more than WALK_MAX_CELLS
     (default 6000) cells, or with --cover, the crypt x auth pairs rotate
     over the contexts instead: every accepted crypt and auth still in
     every context, every pair in some;
  5. every cell is installed (2 SAs and 2 policies per namespace, its own
     SPIs, reqid and UDP port); a cell the kernel refuses anywhere is
     recorded as refused with the kernel's reason and not walked;
  6. one datagram per accepted cell A->B, echoed B->A; lost ones are sent
     once more and then explained with the per-SA and namespace counters.

Output: "# comment" lines and one "T ok|notok DESCRIPTION" line per test.
"""
import ctypes
import errno
import os
import random
import re
import resource
import select
import socket
import subprocess
import sys
import time

SPEC, YNLDIR, KIPSEC, NS_A, NS_B = sys.argv[1:6]
# every crypt x auth pair in every context, unless that makes more cells
# than this (then the pairs rotate over the contexts: each pair is still
# walked, each algorithm still in every context); --cover: rotate anyway
MAX_CELLS = int(os.environ.get("WALK_MAX_CELLS", "6000"))
FULL = "--cover" not in sys.argv[6:]
# debugging: only the contexts whose label matches this regex; a shell
# command run (with $A and $B set) once the traffic has been sent
ONLY = os.environ.get("WALK_ONLY")
HOOK = os.environ.get("WALK_HOOK")
sys.path.insert(0, YNLDIR)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import SpecFamily  # noqa: E402  the kernel tree's YNL
import nl  # noqa: E402

T0 = time.monotonic()
ID_RANGE = range(0, 64)
KEYLEN_RANGE = range(0, 65)
LINK_IF_ID = 7
PORT_BASE = 20000
SPI_BASE = 0x10000
REPLAY_WINDOW = 64
ENCAP_PORT = 4500
MAC = {NS_A: "02:00:00:00:77:0a", NS_B: "02:00:00:00:77:0b"}
VETH = {NS_A: "vwA", NS_B: "vwB"}
LINK = {NS_A: "kwA", NS_B: "kwB"}
# (role, family) -> (A's address, B's address)
ADDR = {
    ("outer", 4): ("192.0.2.1", "192.0.2.2"),
    ("outer", 6): ("2001:db8::1", "2001:db8::2"),
    # transport mode on a link: addresses of their own, routed into it
    ("route-transport", 4): ("192.0.2.11", "192.0.2.12"),
    ("route-transport", 6): ("2001:db8::11", "2001:db8::12"),
    ("policy-inner", 4): ("10.1.0.1", "10.2.0.1"),
    ("policy-inner", 6): ("fd00:1::1", "fd00:2::1"),
    ("route-inner", 4): ("10.11.0.1", "10.12.0.1"),
    ("route-inner", 6): ("fd00:11::1", "fd00:12::1"),
}


def say(line):
    print(line, flush=True)


def comment(text):
    for line in str(text).splitlines():
        say("# " + line)


def test(good, desc, diags=()):
    for d in diags:
        comment(d)
    say("T %s %s" % ("ok" if good else "notok", desc))
    return good


def elapsed():
    return "%.1f s" % (time.monotonic() - T0)


# ------------------------------------------------------------ namespaces
_libc = ctypes.CDLL(None, use_errno=True)


def setns(name):
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if _libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            e = ctypes.get_errno()
            raise OSError(e, "setns %s: %s" % (name, os.strerror(e)))
    finally:
        os.close(fd)


def sh(args, stdin=None):
    p = subprocess.run(args, input=stdin, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError("%s: exit %d: %s%s" % (" ".join(args), p.returncode,
                                                   p.stdout, p.stderr))
    return p.stdout


def setup_net():
    """veth, addresses, permanent neighbours, policy-based routes; a kipsec
    link per namespace (underlay: the veth) and the routes into it."""
    sh(["ip", "-n", NS_A, "link", "add", VETH[NS_A], "address", MAC[NS_A],
        "type", "veth", "peer", "name", VETH[NS_B], "address", MAC[NS_B],
        "netns", NS_B])
    for me, peer, side in ((NS_A, NS_B, 0), (NS_B, NS_A, 1)):
        v = VETH[me]
        cmds = ["link set %s up" % v]
        for fam in (4, 6):
            nod = " nodad" if fam == 6 else ""
            plen = {4: 24, 6: 64}[fam]
            hostlen = {4: 32, 6: 128}[fam]
            cmds.append("addr add %s/%d dev %s%s" %
                        (ADDR["outer", fam][side], plen, v, nod))
            cmds.append("addr add %s/%d dev %s%s" %
                        (ADDR["route-transport", fam][side], hostlen, v, nod))
            for role in ("policy-inner", "route-inner"):
                cmds.append("addr add %s/%d dev lo" %
                            (ADDR[role, fam][side], hostlen))
            for role in ("outer", "route-transport"):
                cmds.append("neigh replace %s lladdr %s dev %s nud permanent" %
                            (ADDR[role, fam][1 - side], MAC[peer], v))
            # policy-based tunnels: inner packets leave towards the veth,
            # where kipsec's POST_ROUTING hook takes them
            cmds.append("route add %s/%d dev %s" %
                        (ADDR["policy-inner", fam][1 - side], hostlen, v))
        sh(["ip", "-n", me, "-batch", "-"], "\n".join(cmds) + "\n")
        sh(["ip", "netns", "exec", me, KIPSEC, "link", "add", LINK[me],
            "if_id", str(LINK_IF_ID), "underlay", v])
        cmds = ["link set %s up" % LINK[me]]
        for fam in (4, 6):
            hostlen = {4: 32, 6: 128}[fam]
            for role in ("route-inner", "route-transport"):
                cmds.append("route add %s/%d dev %s" %
                            (ADDR[role, fam][1 - side], hostlen, LINK[me]))
        sh(["ip", "-n", me, "-batch", "-"], "\n".join(cmds) + "\n")


# ------------------------------------------------------------ the spec
FAM = SpecFamily(SPEC, "")
SA_ATTRS = FAM.attr_sets["sa"].attrs


def enum_of(attr):
    return FAM.consts[SA_ATTRS[attr].yaml["enum"]].entries


PROTOS = {n: e.user_value() for n, e in enum_of("proto").items()}
MODES = {n: e.user_value() for n, e in enum_of("mode").items()}
FLAGS = {n: e.user_value() for n, e in enum_of("flags").items()}
ALL_FLAGS = 0
for _v in FLAGS.values():
    ALL_FLAGS |= _v
# the SA attributes that carry an algorithm (crypt, auth)
ALG_ATTRS = [n for n, a in SA_ATTRS.items()
             if a.type == "nest" and a.yaml["nested-attributes"] == "alg"]
POL = FAM.attr_sets["policy"].attrs
DIRS = {n: e.user_value() for n, e in
        FAM.consts[POL["dir"].yaml["enum"]].entries.items()}
ACTIONS = {n: e.user_value() for n, e in
           FAM.consts[POL["action"].yaml["enum"]].entries.items()}


def flag_names(mask):
    return "+".join(n for n, v in FLAGS.items() if mask & v) or "none"


def addr_attrs(prefix, addr):
    if ":" in addr:
        return {prefix + "-ipv6": socket.inet_pton(socket.AF_INET6, addr)}
    return {prefix + "-ipv4": int.from_bytes(socket.inet_aton(addr), "big")}


_rng = random.Random(20261207)


def key(n):
    return _rng.randbytes(n)


_probe_keys = {}


def probe_key(n):
    """The same bytes for every probe of a length: cheap to build"""
    if n not in _probe_keys:
        _probe_keys[n] = key(n)
    return _probe_keys[n]


_probe_spi = [0x100000]


def probe_sa(proto, algs, flags, fam=4):
    """An sa-new request for probing: transport mode between the outer
    addresses; algs: {attr: (id, keylen)}."""
    _probe_spi[0] += 1
    a, b = ADDR["outer", fam]
    req = {"spi": _probe_spi[0], "proto": PROTOS[proto],
           "mode": MODES.get("transport", 0), "replay-window": REPLAY_WINDOW,
           "flags": flags}
    req.update(addr_attrs("saddr", a))
    req.update(addr_attrs("daddr", b))
    for attr, (aid, klen) in algs.items():
        req[attr] = {"id": aid, "key": probe_key(klen)}
    return ("sa-new", req)


# ------------------------------------------------------------ probing
def probe(g):
    """Returns (algs, need, gating, shapes): algs[attr] = accepted (id, key
    length) pairs; need[attr][(id, len)] = the flag mask it needs; gating:
    the flags some algorithm needs; shapes[proto] = [(combination, flags)],
    a combination being ((attr, (id, len)), ...), accepted by sa-new."""
    t = time.monotonic()
    nreq = [0]

    def batch(reqs):
        nreq[0] += len(reqs)
        return g.batch(reqs)

    def sweep(proto, attr, fixed):
        """sa-new for every transform ID x key length of attr (with the
        algorithms in fixed). A first pass tries each ID with an empty key:
        an ID answered EOPNOTSUPP is not supported (Documentation/
        netlink.rst: not in kipsec, or not in the kernel's crypto API) and
        its other lengths are not tried; and when all IDs get one and the
        same answer, the refusal does not depend on the algorithm at all
        (AH has no crypt; ESP wants a crypt before it looks at auth), so
        no length is tried either. Returns {(id, len): result}."""
        first = batch([probe_sa(proto, dict(fixed, **{attr: (i, 0)}),
                                ALL_FLAGS) for i in ID_RANGE])
        out = {(i, 0): r for i, r in zip(ID_RANGE, first)}
        if len({(r[0], r[1]) for r in first}) == 1 and first[0][0]:
            return out
        ids = [i for i, r in zip(ID_RANGE, first)
               if r[0] != errno.EOPNOTSUPP]
        cands = [(i, n) for i in ids for n in KEYLEN_RANGE if n]
        res = batch([probe_sa(proto, dict(fixed, **{attr: c}), ALL_FLAGS)
                     for c in cands])
        out.update(zip(cands, res))
        return out

    # witness[attr][c] = (proto, companion algs, kind): how c was seen
    # accepted; kind "ok" (sa-new succeeded) or "miss" (refused only for
    # lack of another algorithm attribute, so c itself parsed)
    witness = {a: {} for a in ALG_ATTRS}
    alone = {}
    for attr in ALG_ATTRS:
        for proto in PROTOS:
            res = sweep(proto, attr, {})
            ok = {c for c, r in res.items() if r[0] == 0}
            miss = {c: r[2] for c, r in res.items()
                    if r[0] and r[2] in ALG_ATTRS and r[2] != attr}
            # when every ID "misses" the other attribute, the kernel
            # refused before looking at this one: that says nothing
            if len({c[0] for c in miss}) == len(ID_RANGE):
                miss = {}
            alone[attr, proto] = miss
            for c in ok:
                witness[attr].setdefault(c, (proto, {}, "ok"))
            for c in miss:
                witness[attr].setdefault(c, (proto, {}, "miss"))
    # an attribute probed again with a companion: an algorithm of another
    # attribute that parsed but wanted this one (auth after a non-AEAD
    # crypt), preferring one that needs no flags
    for attr in ALG_ATTRS:
        for proto in PROTOS:
            others = [o for (o, p), m in alone.items()
                      if p == proto and o != attr and
                      any(w == attr for w in m.values())]
            if not others:
                continue
            other = others[0]
            comps = [c for c, w in alone[other, proto].items() if w == attr]
            res = batch([probe_sa(proto, {other: c}, 0) for c in comps])
            free = [c for c, r in zip(comps, res) if r[2] == attr]
            comp = {other: (free or comps)[0]}
            for c, r in sweep(proto, attr, comp).items():
                if r[0] == 0:
                    witness[attr].setdefault(c, (proto, comp, "ok"))
    algs = {a: sorted(witness[a]) for a in ALG_ATTRS}
    # the flags each needs: none, else the single flags that suffice
    masks = [0] + list(FLAGS.values())
    need = {}
    for attr in ALG_ATTRS:
        need[attr] = {}
        reqs = []
        for c in algs[attr]:
            proto, comp, _ = witness[attr][c]
            reqs += [probe_sa(proto, dict(comp, **{attr: c}), m)
                     for m in masks]
        res = batch(reqs)
        for i, c in enumerate(algs[attr]):
            kind = witness[attr][c][2]
            r = res[i * len(masks):(i + 1) * len(masks)]
            good = [(x[0] == 0) if kind == "ok" else
                    (x[0] != 0 and x[2] in ALG_ATTRS and x[2] != attr)
                    for x in r]
            if good[0]:
                need[attr][c] = 0
            else:
                single = [m for m, gd in zip(masks[1:], good[1:]) if gd]
                need[attr][c] = single[0] if single else ALL_FLAGS
    gating = 0
    for attr in ALG_ATTRS:
        for m in need[attr].values():
            gating |= m
    # shapes: every proto x {one algorithm alone, one of each attribute}
    shapes = {}
    combos = []
    for attr in ALG_ATTRS:
        combos += [((attr, c),) for c in algs[attr]]
    if len(ALG_ATTRS) == 2:
        x, y = ALG_ATTRS
        combos += [((x, c), (y, d)) for c in algs[x] for d in algs[y]]
    for proto in PROTOS:
        reqs = []
        for combo in combos:
            m = 0
            for attr, c in combo:
                m |= need[attr][c]
            reqs.append(probe_sa(proto, dict(combo), m))
        res = batch(reqs)
        shapes[proto] = [(combo, rq["flags"])
                         for combo, r, (_, rq) in zip(combos, res, reqs)
                         if r[0] == 0]
    g.do("sa-flush")
    comment("probe: %d sa-new requests in %.1f s" %
            (nreq[0], time.monotonic() - t))
    return algs, need, gating, shapes


def alg_label(attr, c):
    return "%s %d/%dB" % (attr, c[0], c[1])


# ------------------------------------------------------------ the cells
def families(mode):
    if mode == "transport":
        return [(4, 4), (6, 6)]
    return [(4, 4), (6, 6), (6, 4), (4, 6)]  # (outer, inner)


def fam_label(mode, of, inf):
    if mode == "transport":
        return "v%d" % of
    return "%din%d" % (inf, of)


def contexts(behaviour):
    """Every context: proto, mode, (outer, inner), encap, flag subset,
    route-based or not."""
    subsets = [0]
    for v in behaviour:
        subsets += [s | v for s in subsets]
    for proto in PROTOS:
        for mode in MODES:
            for of, inf in families(mode):
                for encap in (False, True):
                    for fl in subsets:
                        for route in (False, True):
                            yield (proto, mode, of, inf, encap, fl, route)


def ctx_label(ctx):
    proto, mode, of, inf, encap, fl, route = ctx
    return "%s %s %s encap %s flags %s %s" % (
        proto, mode, fam_label(mode, of, inf), "on" if encap else "off",
        flag_names(fl), "route-based" if route else "policy-based")


def choose(shapes, k, full):
    """The algorithm combinations of one context (k: its index): every
    single-algorithm shape; of the pairs, each first algorithm once with a
    partner rotated by k, and more pairs until every partner appears."""
    singles = [s for s in shapes if len(s[0]) == 1]
    pairs = [s for s in shapes if len(s[0]) == 2]
    if full:
        return singles + pairs
    by_first = {}
    for s in pairs:
        by_first.setdefault(s[0][0], []).append(s)
    chosen = []
    seconds_all = sorted({s[0][1] for s in pairs})
    seen = set()
    for i, first in enumerate(sorted(by_first)):
        lst = by_first[first]
        s = lst[(i + k) % len(lst)]
        chosen.append(s)
        seen.add(s[0][1])
    for j, sec in enumerate(seconds_all):
        if sec in seen:
            continue
        cand = [s for s in pairs if s[0][1] == sec]
        chosen.append(cand[(j + k) % len(cand)])
        seen.add(sec)
    return singles + chosen


class Cell:
    pass


def make_cells(shapes_by_proto, behaviour, full):
    cells = []
    for k, ctx in enumerate(contexts(behaviour)):
        proto = ctx[0]
        if ONLY and not re.search(ONLY, ctx_label(ctx)):
            continue
        for combo, need in choose(shapes_by_proto[proto], k, full):
            c = Cell()
            c.idx = len(cells)
            c.ctx = ctx
            (c.proto, c.mode, c.ofam, c.ifam, c.encap, c.bflags,
             c.route) = ctx
            c.combo = combo
            c.flags = c.bflags | need
            cells.append(c)
    return cells


def cell_addrs(c):
    """(outer A, outer B, inner A, inner B)"""
    if c.mode == "transport":
        role = "route-transport" if c.route else "outer"
        a, b = ADDR[role, c.ofam]
        return a, b, a, b
    a, b = ADDR["outer", c.ofam]
    ia, ib = ADDR["route-inner" if c.route else "policy-inner", c.ifam]
    return a, b, ia, ib


def cell_label(c):
    return "cell %d (%s; %s; flags %s)" % (
        c.idx, ctx_label(c.ctx),
        ", ".join(alg_label(a, x) for a, x in c.combo), flag_names(c.flags))


def cell_requests(c):
    """Per namespace: the SA requests, then the policy requests."""
    c.port = PORT_BASE + c.idx
    c.spi_ab = SPI_BASE + 2 * c.idx
    c.spi_ba = c.spi_ab + 1
    c.reqid = c.idx + 1
    oa, ob, ia, ib = cell_addrs(c)
    c.addrs = (oa, ob, ia, ib)
    keys = {}

    def sa(src, dst, spi):
        req = {"spi": spi, "proto": PROTOS[c.proto], "mode": MODES[c.mode],
               "replay-window": REPLAY_WINDOW, "flags": c.flags,
               "reqid": c.reqid}
        req.update(addr_attrs("saddr", src))
        req.update(addr_attrs("daddr", dst))
        for attr, (aid, klen) in c.combo:
            if (spi, attr) not in keys:
                keys[spi, attr] = key(klen)
            req[attr] = {"id": aid, "key": keys[spi, attr]}
        if c.route:
            req["if-id"] = LINK_IF_ID
        if c.encap:
            req["encap-sport"] = ENCAP_PORT
            req["encap-dport"] = ENCAP_PORT
        return ("sa-new", req)

    def pol(d, src, dst, osrc, odst):
        sel = {"proto": socket.IPPROTO_UDP, "dport-min": c.port}
        sel.update(addr_attrs("saddr", src))
        sel.update(addr_attrs("daddr", dst))
        tmpl = {"proto": PROTOS[c.proto], "mode": MODES[c.mode],
                "reqid": c.reqid}
        if c.mode != "transport":
            tmpl.update(addr_attrs("saddr", osrc))
            tmpl.update(addr_attrs("daddr", odst))
        req = {"dir": DIRS[d], "action": ACTIONS["protect"], "selector": sel,
               "template": tmpl}
        if c.route:
            req["if-id"] = LINK_IF_ID
        return ("policy-new", req)

    sas = [sa(oa, ob, c.spi_ab), sa(ob, oa, c.spi_ba)]
    pa = [pol("out", ia, ib, oa, ob), pol("in", ib, ia, ob, oa)]
    pb = [pol("out", ib, ia, ob, oa), pol("in", ia, ib, oa, ob)]
    return sas, pa, pb


def install(gs, cells):
    """Installs every cell in both namespaces; sets c.refused to the first
    refusal (op, errno name, extack message) or None."""
    t = time.monotonic()
    plan = {c.idx: cell_requests(c) for c in cells}
    for c in cells:
        c.refused = None
    nreq = 0
    for phase in ("sa", "policy"):
        for ns_i, ns in enumerate((NS_A, NS_B)):
            reqs, owner = [], []
            for c in cells:
                if c.refused:
                    continue
                sas, pa, pb = plan[c.idx]
                rs = sas if phase == "sa" else (pa if ns_i == 0 else pb)
                reqs += rs
                owner += [c] * len(rs)
            res = gs[ns].batch(reqs)
            nreq += len(reqs)
            for c, (op, _), (err, msg, _m) in zip(owner, reqs, res):
                if err and not c.refused:
                    c.refused = (op, errno.errorcode.get(err, str(err)),
                                 msg or "(no extack message)")
    comment("install: %d requests in %.1f s" % (nreq, time.monotonic() - t))


# ------------------------------------------------------------ traffic
def open_sockets(cells):
    resource.setrlimit(resource.RLIMIT_NOFILE, (1 << 20, 1 << 20))
    for ns, side in ((NS_A, 0), (NS_B, 1)):
        setns(ns)
        for c in cells:
            af = socket.AF_INET6 if c.ifam == 6 else socket.AF_INET
            s = socket.socket(af, socket.SOCK_DGRAM)
            s.setblocking(False)
            s.bind((c.addrs[2 + side], c.port))
            if side == 0:
                c.sa_ = s
            else:
                c.sb_ = s


def payload(c, d):
    return b"kipsec-walk cell %d %s" % (c.idx, d)


def send(c, side):
    """A->B (side 0) or the echo B->A (side 1); False on a send error."""
    s, dst, d = ((c.sa_, c.addrs[3], b"AB") if side == 0 else
                 (c.sb_, c.addrs[2], b"BA"))
    try:
        s.sendto(payload(c, d), (dst, c.port))
        return True
    except OSError as e:
        c.send_err.append("%s: %s" % (d.decode(), os.strerror(e.errno)))
        return False


def traffic(cells, window=128, wait=3.0):
    """Sends what has not arrived yet: the datagram A->B, or where only its
    echo is missing, the echo B->A; B echoes every arrival at once. Up to
    `window` cells are in flight; a cell is given up after `wait` seconds
    without news. Sets c.ab, c.ba (arrived), c.resent."""
    ep = select.epoll()
    fdmap = {}
    for c in cells:
        fdmap[c.sa_.fileno()] = (c, 0)
        fdmap[c.sb_.fileno()] = (c, 1)
        ep.register(c.sa_.fileno(), select.EPOLLIN)
        ep.register(c.sb_.fileno(), select.EPOLLIN)
    inflight = {}  # cell -> deadline

    def receive(fd):
        c, side = fdmap[fd]
        sock = c.sb_ if side else c.sa_
        while True:
            try:
                data = sock.recv(2048)
            except BlockingIOError:
                return
            if side == 1 and data == payload(c, b"AB"):
                if not c.ab:
                    c.ab = True
                    send(c, 1)
                    if c in inflight:
                        inflight[c] = time.monotonic() + wait
            elif side == 0 and data == payload(c, b"BA"):
                if not c.ba:
                    c.ba = True
                    inflight.pop(c, None)
            else:
                c.send_err.append("unexpected datagram %r on %s" %
                                  (data, "B" if side else "A"))

    todo = iter(cells)
    more = True
    while more or inflight:
        while more and len(inflight) < window:
            c = next(todo, None)
            if c is None:
                more = False
                break
            if c.sends:
                c.resent = True
            c.sends += 1
            if not c.ab:
                ok = send(c, 0)
            else:
                ok = send(c, 1)
            if ok:
                inflight[c] = time.monotonic() + wait
        for fd, _ in ep.poll(0.05):
            receive(fd)
        now = time.monotonic()
        for c in [c for c, t in inflight.items() if t < now]:
            del inflight[c]
    ep.close()


def sa_stats(g):
    """{(spi, daddr bytes): stats dict}"""
    out = {}
    for sa in g.dump("sa-get"):
        d = sa.get("daddr-ipv4")
        d = d.to_bytes(4, "big") if d is not None else sa.get("daddr-ipv6")
        out[sa["spi"], d] = sa.get("stats", {})
    return out


def daddr_key(addr):
    if ":" in addr:
        return socket.inet_pton(socket.AF_INET6, addr)
    return socket.inet_aton(addr)


def snmp(ns):
    """The namespace's /proc/net/snmp, snmp6 and netstat counters."""
    setns(ns)
    out = {}
    for f in ("snmp", "netstat"):
        with open("/proc/net/" + f) as fh:
            lines = fh.read().splitlines()
        for h, v in zip(lines[0::2], lines[1::2]):
            hp, vp = h.split(), v.split()
            for k, x in zip(hp[1:], vp[1:]):
                out[hp[0] + k] = int(x)
    with open("/proc/net/snmp6") as fh:
        for line in fh:
            k, x = line.split()
            out[k] = int(x)
    return out


def delta(before, after):
    return {k: after[k] - before.get(k, 0) for k in after
            if after[k] != before.get(k, 0)}


class Kmsg:
    """The kernel log records written from now on (/dev/kmsg)."""

    def __init__(self):
        try:
            self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
            os.lseek(self.fd, 0, os.SEEK_END)
        except OSError as e:
            self.fd = None
            self.err = str(e)

    def read(self):
        """[(level, message)] since the last call"""
        out = []
        while self.fd is not None:
            try:
                rec = os.read(self.fd, 8192).decode(errors="replace")
            except BlockingIOError:
                break
            except OSError as e:
                if e.errno == errno.EPIPE:  # overwritten: go on
                    continue
                raise
            head, _, msg = rec.partition(";")
            out.append((int(head.split(",")[0]) & 7,
                        msg.split("\n")[0]))
        return out


# ------------------------------------------------------------ main
def main():
    kmsg = Kmsg()
    comment("spec: proto %s; mode %s; sa-flags %s; algorithm attributes %s" %
            (sorted(PROTOS), sorted(MODES), sorted(FLAGS), ALG_ATTRS))
    setns(NS_A)
    try:
        setup_net()
    except RuntimeError as e:
        test(False, "walk: namespaces, veth, kipsec links, routes", [str(e)])
        return
    test(True, "walk: namespaces, veth, kipsec links (if_id %d), routes" %
         LINK_IF_ID)
    setns(NS_A)
    ga = nl.Genl(FAM, "kipsec")
    setns(NS_B)
    gb = nl.Genl(FAM, "kipsec")
    gs = {NS_A: ga, NS_B: gb}

    # ---- 1. probe
    setns(NS_A)
    algs, need, gating, shapes = probe(ga)
    behaviour = [v for v in FLAGS.values() if not v & gating]
    diags = []
    for attr in ALG_ATTRS:
        ids = sorted({c[0] for c in algs[attr]})
        diags.append("probe: %s: %d IDs accepted (of %d probed), %d (ID, key "
                     "length) pairs accepted, %d refused or not supported" %
                     (attr, len(ids), len(ID_RANGE), len(algs[attr]),
                      len(ID_RANGE) * len(KEYLEN_RANGE) - len(algs[attr])))
        for i in ids:
            lens = [c[1] for c in algs[attr] if c[0] == i]
            fl = {need[attr][c] for c in algs[attr] if c[0] == i}
            diags.append("probe:   %s %d: key bytes %s%s" % (
                attr, i, lens, "" if fl == {0} else
                " (needs flags %s)" % ",".join(flag_names(m) for m in fl)))
    diags.append("probe: gating flags (some algorithm needs them): %s; "
                 "flags crossed as a dimension: %s" %
                 (flag_names(gating),
                  ", ".join(flag_names(v) for v in behaviour) or "none"))
    for proto in PROTOS:
        kinds = {}
        for combo, _ in shapes[proto]:
            kinds.setdefault("+".join(a for a, _ in combo), 0)
            kinds["+".join(a for a, _ in combo)] += 1
        diags.append("probe: %s accepts %d algorithm combinations: %s" %
                     (proto, len(shapes[proto]),
                      ", ".join("%d %s" % (n, k) for k, n in kinds.items())
                      or "none"))
    test(all(algs[a] for a in ALG_ATTRS) and
         any(shapes[p] for p in PROTOS),
         "walk: probe of transform IDs %d-%d x key lengths %d-%d bytes: "
         "every algorithm attribute has accepted algorithms (%s)" %
         (ID_RANGE[0], ID_RANGE[-1], KEYLEN_RANGE[0], KEYLEN_RANGE[-1],
          elapsed()), diags)

    # ---- 2. cells
    full = FULL
    cells = make_cells(shapes, behaviour, full)
    if full and len(cells) > MAX_CELLS:
        comment("cells: the full algorithm cross makes %d cells, more than "
                "%d: rotating the crypt x auth pairs instead" %
                (len(cells), MAX_CELLS))
        full = False
        cells = make_cells(shapes, behaviour, full)
    if PORT_BASE + len(cells) > 65000:
        test(False, "walk: %d cells do not fit the UDP port range" %
             len(cells))
        return
    install(gs, cells)
    walked = [c for c in cells if not c.refused]
    refused = [c for c in cells if c.refused]
    comment("cells: %d generated (%s), %d accepted and walked, %d refused" %
            (len(cells), "full algorithm cross" if full else
             "covering design", len(walked), len(refused)))
    reasons = {}
    for c in refused:
        reasons.setdefault(c.refused, []).append(c)
    for (op, err, msg), lst in sorted(reasons.items(),
                                      key=lambda x: -len(x[1])):
        comment("refused: %d cells: %s %s: %s (e.g. %s)" %
                (len(lst), op, err, msg, cell_label(lst[0])))
    # per dimension
    dims = [
        ("proto", lambda c: c.proto),
        ("mode", lambda c: c.mode),
        ("families", lambda c: fam_label(c.mode, c.ofam, c.ifam)),
        ("encap", lambda c: "on" if c.encap else "off"),
        ("flags", lambda c: flag_names(c.flags)),
        ("binding", lambda c: "route-based" if c.route else "policy-based"),
    ] + [(attr, lambda c, attr=attr: dict(c.combo).get(attr) and
          "%d/%dB" % dict(c.combo)[attr] or "none") for attr in ALG_ATTRS]
    for name, fn in dims:
        counts = {}
        for c in cells:
            v = fn(c)
            counts.setdefault(v, [0, 0])
            counts[v][1 if c.refused else 0] += 1
        comment("dimension %s: %s" % (name, "; ".join(
            "%s %d accepted/%d refused" % (v, a, r)
            for v, (a, r) in sorted(counts.items(), key=lambda x: str(x[0])))))
    test(bool(walked), "walk: %d of %d cells accepted by the control plane "
         "(%s)" % (len(walked), len(cells), elapsed()))

    # ---- 3. traffic
    stats0 = {ns: gs[ns].do("stats-get") for ns in gs}
    snmp0 = {ns: snmp(ns) for ns in gs}
    open_sockets(walked)
    # the encapsulation sockets, one per namespace, as an IKE daemon's
    encs = []
    for ns in (NS_A, NS_B):
        setns(ns)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", ENCAP_PORT))
        gs[ns].do("encap-set", {"fd": s.fileno()})
        encs.append(s)
    t = time.monotonic()
    for c in walked:
        c.send_err = []
        c.ab = c.ba = c.resent = False
        c.sends = 0
    traffic(walked)
    first_lost = [c for c in walked if not (c.ab and c.ba)]
    comment("traffic: %d cells, %d datagrams each way, %d lost at the "
            "first try, %.1f s" % (len(walked), len(walked), len(first_lost),
                                    time.monotonic() - t))
    if first_lost:
        # all at once: one wait for all of them
        traffic(first_lost, window=len(first_lost))
    lost = [c for c in walked if not (c.ab and c.ba)]
    stats2 = {ns: gs[ns].do("stats-get") for ns in gs}
    sas = {ns: sa_stats(gs[ns]) for ns in gs}
    comment("traffic: %d cells still lost after one more try (%s)" %
            (len(lost), elapsed()))
    snmp2 = {ns: snmp(ns) for ns in gs}
    for ns in gs:
        d = delta(stats0[ns], stats2[ns])
        comment("stats-get %s: counters that moved: %s" %
                ("A" if ns == NS_A else "B", d or "none"))
        d = delta(snmp0[ns], snmp2[ns])
        comment("kernel SNMP counters of %s (drop reasons only): %s" % (
            "A" if ns == NS_A else "B",
            ", ".join("%s +%d" % (k, v) for k, v in sorted(d.items())
                      if re.search("Err|Drop|No[A-Z]|Discard|Fail|Unknown"
                                   "|Truncated|Prune|Overflow", k))
            or "none"))
    if HOOK:
        subprocess.run(["bash", "-c", HOOK],
                       env=dict(os.environ, A=NS_A, B=NS_B))

    def sa_of(ns, c, spi, dst):
        return sas[ns].get((spi, daddr_key(dst)), None)

    # ---- 4. verdicts, per context
    by_ctx = {}
    for c in walked:
        by_ctx.setdefault(c.ctx, []).append(c)
    refused_ctx = {}
    for c in refused:
        refused_ctx.setdefault(c.ctx, []).append(c)
    errs = ("integrity-failures", "replay-drops", "other-errors")
    for ctx in contexts(behaviour):
        if ONLY and not re.search(ONLY, ctx_label(ctx)):
            continue
        lst = by_ctx.get(ctx)
        if not lst:
            r = refused_ctx.get(ctx, [])
            comment("context refused, not walked: %s (%d cells; %s)" %
                    (ctx_label(ctx), len(r),
                     "%s %s: %s" % r[0].refused if r else "no cells"))
            continue
        bad = []
        for c in lst:
            oa, ob, ia, ib = c.addrs
            problems = []
            for d, ok, sent, src_ns, dst_ns, spi, dst in (
                    ("A->B", c.ab, True, NS_A, NS_B, c.spi_ab, ob),
                    ("B->A", c.ba, c.ab, NS_B, NS_A, c.spi_ba, oa)):
                out_sa = sa_of(src_ns, c, spi, dst) or {}
                in_sa = sa_of(dst_ns, c, spi, dst) or {}
                if not ok and not sent:
                    problems.append("%s not sent (nothing to echo)" % d)
                elif not ok:
                    counted = ["%s %s" % (k, v) for k, v in
                               sorted(out_sa.items()) + sorted(in_sa.items())
                               if k in errs and v]
                    problems.append(
                        "%s lost: sender's SA packets %s, receiver's SA "
                        "packets %s; %s" %
                        (d, out_sa.get("packets"), in_sa.get("packets"),
                         "counted by the SAs: %s" % ", ".join(counted)
                         if counted else "no SA counted a drop "
                         "(integrity-failures, replay-drops, other-errors "
                         "all 0)"))
                elif not out_sa.get("packets") or not in_sa.get("packets"):
                    problems.append(
                        "%s arrived, but not through the SAs (sender's "
                        "packets %s, receiver's %s): sent in the clear?" %
                        (d, out_sa.get("packets"), in_sa.get("packets")))
            if c.send_err:
                problems.append("send: %s" % "; ".join(c.send_err))
            if problems:
                bad.append((c, problems))
        # coverage: every accepted algorithm of the proto carried traffic
        covered = {a: set() for a in ALG_ATTRS}
        for c in lst:
            for attr, x in c.combo:
                covered[attr].add(x)
        want = {a: set() for a in ALG_ATTRS}
        for combo, _ in shapes[ctx[0]]:
            for attr, x in combo:
                want[attr].add(x)
        missing = ["%s %d/%dB" % (a, x[0], x[1]) for a in ALG_ATTRS
                   for x in sorted(want[a] - covered[a])]
        retried = [c for c in lst if c.resent and c.ab and c.ba]
        # one line per symptom, with the cells that show it
        symptoms = {}
        for c, ps in bad:
            symptoms.setdefault(" / ".join(ps), []).append(c)
        diags = []
        for sym, cs in symptoms.items():
            diags.append("%d of %d cells: %s" % (len(cs), len(lst), sym))
            diags.append("  cells %s%s" % (", ".join(
                "%d (%s)" % (c.idx, ", ".join(alg_label(a, x)
                                              for a, x in c.combo))
                for c in cs[:12]), ", ... (%d more)" % (len(cs) - 12)
                if len(cs) > 12 else ""))
        if missing:
            diags.append("algorithms accepted but not walked here: %s" %
                         ", ".join(missing))
        if retried:
            diags.append("passed only at the second try: %s" %
                         ", ".join(str(c.idx) for c in retried))
        r = refused_ctx.get(ctx, [])
        test(not bad and not missing,
             "walk: %s: %d cells, a datagram each way through each%s" %
             (ctx_label(ctx), len(lst),
              " (%d more refused)" % len(r) if r else ""), diags)
    if kmsg.fd is None:
        test(False, "walk: the kernel log can be read", [kmsg.err])
    else:
        log = kmsg.read()
        bad = ["<%d> %s" % (lvl, m) for lvl, m in log if lvl <= 4]
        shown = bad[:20] + (["... and %d more" % (len(bad) - 20)]
                            if len(bad) > 20 else [])
        test(not bad, "walk: no kernel log message at warning level or "
             "above during the walk (%d messages in all)" % len(log),
             ["kernel log: " + m for m in shown])
    comment("walked %d combinations (%d datagrams), refused %d; %s" %
            (len(walked), 2 * len(walked), len(refused), elapsed()))
    for ns in gs:
        gs[ns].do("encap-del")
    for s in encs:
        s.close()


if __name__ == "__main__":
    main()
