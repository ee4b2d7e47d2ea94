#!/usr/bin/env python3
"""Mutations of lvs.cf files, seeded: `mutate.py N OUTDIR FILE...` writes
N files OUTDIR/mNNN.cf, each a copy of one input with one to three edits
that a person editing lvs.cf could make (a line lost, duplicated or moved,
a value changed, a brace missing, a block added, a name made long, a key
moved into the wrong block).  Some stay valid, most do not: the corpus
test only asks that every way of reading a file agrees on which."""
import os
import random
import re
import sys

VALUES = ["0", "1", "2", "-1", "255", "256", "65536", "99999", "", "abc",
          "eth0", "eth9", "eth0:7", "10.0.0.300", "10.1.0.1", "10.0.0.1 eth0:1",
          "2001:db8::1", "fe80::1 eth0", "1s", "100ms", "0ms", "wlc", "mh", "sh",
          "direct", "tunnel", "nat", "none", "tcp", "udp", "http", "https",
          "exec", '"unterminated', "/bin/true", "200-299", "sha256:00"]
KEYS = ["quiesce_server = 1", "network = direct", "network = tunnel",
        "port = 8080", "vrrp = nowhere", "check = exec", "check = none",
        "pmask = 0", "persistent = 60", "fwmark = 7", "protocol = udp",
        "one_packet = 1", "hash_port = 1", "scheduler = mh", "weight = 0",
        "active = 0", "vrid = 9", "unicast = 1", "backup_active = 1",
        "heartbeat = 1", "drain_time = 1s", "advert_int = 150ms",
        "version = 2", "auth_pass = longerthan8", "check_port = 0",
        "http_status = 999", "tunnel_type = gue", "address = 10.1.0.1",
        "sorry_server = 10.1.0.1:80", "interface = eth1"]
BLOCKS = ["vrrp extra {\n    vrid = 9\n    interface = eth0\n}\n",
          "vrrp extra6 {\n    vrid = 10\n}\n",
          "virtual added {\n    address = 10.0.0.9 eth0:9\n    port = 80\n"
          "    server a {\n        address = 10.1.0.9\n    }\n}\n",
          "virtual added6 {\n    address = 2001:db8::9 eth0\n    port = 80\n"
          "    check = none\n    server a {\n        address = 2001:db8::19\n"
          "    }\n}\n"]
NAME = re.compile(r"^(\s*(?:virtual|server|vrrp|failover)\s+)(\S+)(\s*\{.*)$")
ASSIGN = re.compile(r"^(\s*[A-Za-z_]+\s*=\s*)(.*)$")


def mutate(lines, r):
    kind = r.randrange(9)
    i = r.randrange(len(lines)) if lines else 0
    if kind == 0 and lines:
        del lines[i]
    elif kind == 1 and lines:
        lines.insert(i, lines[i])
    elif kind == 2:
        hits = [k for k, l in enumerate(lines) if ASSIGN.match(l)]
        if hits:
            k = r.choice(hits)
            m = ASSIGN.match(lines[k])
            lines[k] = m.group(1) + r.choice(VALUES) + "\n"
    elif kind == 3:
        lines.insert(r.randrange(len(lines) + 1), r.choice(BLOCKS))
    elif kind == 4:
        hits = [k for k, l in enumerate(lines) if NAME.match(l)]
        if hits:
            k = r.choice(hits)
            m = NAME.match(lines[k].rstrip("\n"))
            long = m.group(2) + "_" + "x" * r.choice([30, 62, 63])
            lines[k] = m.group(1) + long[:r.choice([40, 63, 64])] + m.group(3) + "\n"
    elif kind == 5:
        hits = [k for k, l in enumerate(lines) if l.strip() == "}"]
        if hits:
            del lines[r.choice(hits)]
    elif kind == 6 and len(lines) > 1:
        j = min(i + 1, len(lines) - 1)
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines.insert(r.randrange(len(lines) + 1), "    " + r.choice(KEYS) + "\n")


def main():
    n, out, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    texts = []
    for f in files:
        with open(f) as fh:
            texts.append(fh.read())
    r = random.Random(20261201)
    for k in range(n):
        lines = texts[k % len(texts)].splitlines(True)
        for _ in range(r.choice([1, 1, 2, 3])):
            mutate(lines, r)
        with open(os.path.join(out, "m%03d.cf" % k), "w") as fh:
            fh.write("".join(lines))


main()
