#!/usr/bin/python3
"""gen.py - write one IPVS table in the forms the ipvs-apply benchmark feeds
to each contender: SERVICES TCP virtual services (VIP 10.100.x.y:80, wlc),
each with RS NAT real servers (172.16.x.y:8080, distinct per service,
weights 1..5).

  gen.py [--services N] [--rs N] [--edits N] OUTDIR

writes into OUTDIR:
  lvs.cf           piranha syntax (service = lvs, network = nat) plus lvsd's
                   "check = none" per virtual: servers count as up, as in
                   keepalived.conf without checkers
  lvs-edited.cf    the same with EDITS real servers' weights changed (the 1 %
                   change of benchmark (d); spread over the table)
  keepalived.conf  virtual_server blocks, no checkers
  keepalived-edited.conf  the same with lvs-edited.cf's weights (the 1 %
                   change of benchmark (e), keepalived's reload)
  ipvsadm.rules    ipvsadm-restore input of the same table
  edits.txt        one "VIP:PORT RIP:PORT NEW_WEIGHT" line per edited server
  meta.txt         services, destinations and edits as key=value lines
"""
import argparse
import os
import sys

VPORT = 80
RPORT = 8080
SCHED = "wlc"


def ip4(base, n):
    """base is a 32-bit int; returns the dotted quad of base + n"""
    v = base + n
    return "%d.%d.%d.%d" % (v >> 24 & 255, v >> 16 & 255, v >> 8 & 255, v & 255)


VIP_BASE = (10 << 24) | (100 << 16)        # 10.100.0.0/16 (+ 10.101...)
RIP_BASE = (172 << 24) | (16 << 16)        # 172.16.0.0/12


def table(services, rs):
    """[(vip, [(rip, weight), ...]), ...]"""
    out = []
    for i in range(services):
        vip = ip4(VIP_BASE, i + 1)
        dests = [(ip4(RIP_BASE, i * rs + j + 1), 1 + (i * rs + j) % 5)
                 for j in range(rs)]
        out.append((vip, dests))
    return out


def edited(tab, edits):
    """the same table with EDITS weights changed, spread evenly; returns the
    new table and the list of (vip, rip, weight) edits"""
    total = sum(len(d) for _, d in tab)
    if edits > total:
        sys.exit("gen.py: more edits than real servers")
    step = total / edits if edits else 0
    picks = {int(k * step) for k in range(edits)}
    new, changes, n = [], [], 0
    for vip, dests in tab:
        nd = []
        for rip, w in dests:
            if n in picks:
                w2 = w % 5 + 1 + 5        # 6..10: never a weight of the base
                changes.append((vip, rip, w2))
                w = w2
            nd.append((rip, w))
            n += 1
        new.append((vip, nd))
    return new, changes


def write_lvs_cf(path, tab):
    with open(path, "w") as f:
        f.write("# ipvs-apply benchmark: %d virtual services\n" % len(tab))
        f.write("serial_no = 1\nprimary = 10.99.0.1\nservice = lvs\n"
                "network = nat\nnat_router = 10.99.1.1 eth1:1\n"
                "nat_nmask = 255.255.255.0\n")
        # lvsd's periodic consistency check re-reads the whole kernel table
        # in one blocking pass (10,000 services: ~5 s under TCG); at its
        # default 60 s it lands inside some rounds' reload measurements.
        # keepalived has no such check.
        f.write("ipvs_resync_interval = 0\n")
        for i, (vip, dests) in enumerate(tab):
            f.write("virtual vs%d {\n" % (i + 1))
            f.write("    active = 1\n    address = %s eth0:1\n" % vip)
            f.write("    vip_nmask = 255.255.255.255\n")
            f.write("    port = %d\n    protocol = tcp\n" % VPORT)
            f.write("    scheduler = %s\n" % SCHED)
            # the lvsd extension for "no checker" (keepalived.conf has none)
            f.write("    check = none\n")
            for j, (rip, w) in enumerate(dests):
                f.write("    server rs%d {\n" % (j + 1))
                f.write("        address = %s\n        port = %d\n" % (rip, RPORT))
                f.write("        active = 1\n        weight = %d\n    }\n" % w)
            f.write("}\n")


def write_keepalived(path, tab):
    with open(path, "w") as f:
        f.write("# ipvs-apply benchmark: %d virtual services, no checkers\n"
                % len(tab))
        f.write("global_defs {\n    router_id ipvs_apply_bench\n}\n")
        for vip, dests in tab:
            f.write("virtual_server %s %d {\n" % (vip, VPORT))
            f.write("    delay_loop 3600\n    lb_algo %s\n    lb_kind NAT\n"
                    "    protocol TCP\n" % SCHED)
            for rip, w in dests:
                f.write("    real_server %s %d {\n        weight %d\n    }\n"
                        % (rip, RPORT, w))
            f.write("}\n")


def write_rules(path, tab):
    with open(path, "w") as f:
        for vip, dests in tab:
            f.write("-A -t %s:%d -s %s\n" % (vip, VPORT, SCHED))
            for rip, w in dests:
                f.write("-a -t %s:%d -r %s:%d -m -w %d\n"
                        % (vip, VPORT, rip, RPORT, w))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--services", type=int, default=10000)
    ap.add_argument("--rs", type=int, default=4)
    ap.add_argument("--edits", type=int, default=400)
    ap.add_argument("outdir")
    a = ap.parse_args()
    if a.services < 1 or a.services > 60000 or a.rs < 1 or a.rs > 16:
        sys.exit("gen.py: 1..60000 services, 1..16 real servers each")
    os.makedirs(a.outdir, exist_ok=True)
    tab = table(a.services, a.rs)
    new, changes = edited(tab, a.edits)
    write_lvs_cf(os.path.join(a.outdir, "lvs.cf"), tab)
    write_lvs_cf(os.path.join(a.outdir, "lvs-edited.cf"), new)
    write_keepalived(os.path.join(a.outdir, "keepalived.conf"), tab)
    write_keepalived(os.path.join(a.outdir, "keepalived-edited.conf"), new)
    write_rules(os.path.join(a.outdir, "ipvsadm.rules"), tab)
    with open(os.path.join(a.outdir, "edits.txt"), "w") as f:
        for vip, rip, w in changes:
            f.write("%s:%d %s:%d %d\n" % (vip, VPORT, rip, RPORT, w))
    with open(os.path.join(a.outdir, "meta.txt"), "w") as f:
        f.write("services=%d\ndestinations=%d\nedits=%d\nscheduler=%s\n"
                % (len(tab), len(tab) * a.rs, len(changes), SCHED))


if __name__ == "__main__":
    main()
