#!/usr/bin/python3
"""bench.py - the VIP benchmark: how long a lone director's N virtual
addresses take to add and to remove, lvsd against the floor (vip-floor:
one NETLINK_ROUTE socket, batched requests, every request acked), in the
same run, each contender in a fresh network namespace, several rounds.

  bench.py --lvsd PATH --floor PATH [--before PATH] [--vips N] [--runs R]
           [--work DIR]

Root (network namespaces).  lvsd runs as a lone director with
--ipvs-dry-run (the IPVS table is only logged) and -d, so it logs how long
its batched adds and removals took ("vrrp director: added N addresses (F
failed) in X ms"); besides that the benchmark stamps lvsd's log lines as
they come: from the table applied to "ready" (the addresses, the first
GARP burst, the failover process's start) and from SIGTERM to the IPVS
cleanup (the addresses removed first).  Both contenders' addresses are
counted in the namespace after the add and after the removal.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True


def log(msg):
    print(msg, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=False, **kw)


def vip(i):
    """the i-th address (from 1): 10.200.0.1 ..."""
    v = (10 << 24) | (200 << 16) | i
    return "%d.%d.%d.%d" % (v >> 24 & 255, v >> 16 & 255, v >> 8 & 255, v & 255)


def generate(work, n):
    """lvs.cf (a lone director, one virtual per address, labels eth0:N)
    and vips.txt (the floor's list of the same addresses and labels)"""
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "lvs.cf"), "w") as cf, \
            open(os.path.join(work, "vips.txt"), "w") as lst:
        cf.write("primary = 10.99.0.1\nservice = lvs\nnetwork = direct\n"
                 "ipvs_resync_interval = 0\n")
        for i in range(1, n + 1):
            cf.write("virtual v%d {\n    address = %s eth0:%d\n"
                     "    vip_nmask = 255.255.255.255\n    port = 80\n"
                     "    check = none\n    server s {\n"
                     "        address = 10.99.0.11\n    }\n}\n" % (i, vip(i), i))
            lst.write("%s/32 eth0 eth0:%d\n" % (vip(i), i))


class Netns:
    """a fresh namespace with eth0 (a veth, its peer up) holding
    10.99.0.1/24"""

    def __init__(self, name):
        self.name = name
        sh(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)
        batch = ("link set lo up\nlink add eth0 type veth peer name eth9\n"
                 "link set eth0 up\nlink set eth9 up\n"
                 "addr add 10.99.0.1/24 dev eth0\n")
        if sh(["ip", "netns", "add", name]).returncode or \
                sh(["ip", "-n", name, "-batch", "-"], input=batch.encode()).returncode:
            sys.exit("bench-vips: cannot set up namespace " + name)

    def count(self):
        out = sh(["ip", "-n", self.name, "-4", "-o", "addr", "show", "dev", "eth0"],
                 stdout=subprocess.PIPE, text=True).stdout
        return out.count(" 10.200.")

    def close(self):
        sh(["ip", "netns", "del", self.name])


def floor(path, lst, rnd, n):
    """(add s, del s) of vip-floor, or (None, None)"""
    ns = Netns("vipf%d-%d" % (os.getpid(), rnd))
    r = sh(["ip", "netns", "exec", ns.name, path, "-a", lst],
           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    m = re.search(r"add: n=(\d+) errors=0 time=([\d.]+)s", r.stdout)
    added = ns.count()
    r2 = sh(["ip", "netns", "exec", ns.name, path, "-r", lst],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    m2 = re.search(r"del: n=(\d+) errors=0 time=([\d.]+)s", r2.stdout)
    left = ns.count()
    ns.close()
    if not m or added != n or not m2 or left != 0:
        log("  floor failed (%d added, %d left): %s %s" % (added, left, r.stdout,
                                                         r2.stdout))
        return None, None
    return float(m.group(2)), float(m2.group(2))


class Stamped:
    """reads a process's stderr, each line with its time.monotonic()"""

    def __init__(self, proc):
        self.lines = []
        self.lock = threading.Lock()
        self.t = threading.Thread(target=self.read, args=(proc,), daemon=True)
        self.t.start()

    def read(self, proc):
        for raw in proc.stderr:
            with self.lock:
                self.lines.append((time.monotonic(), raw.decode(errors="replace")))

    def when(self, regex, timeout):
        """(time, match) of the first line matching regex"""
        rx = re.compile(regex)
        end = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < end:
            with self.lock:
                new = self.lines[seen:]
            for t, line in new:
                m = rx.search(line)
                if m:
                    return t, m
            seen += len(new)
            time.sleep(0.01)
        return None, None


def lvsd(path, work, rnd, n):
    """(lvsd's own add ms, ready - table s, lvsd's own removal ms,
    SIGTERM - addresses removed s) or Nones"""
    ns = Netns("vipl%d-%d" % (os.getpid(), rnd))
    run = os.path.join(work, "run-%d" % rnd)
    os.makedirs(run, exist_ok=True)
    p = subprocess.Popen(["ip", "netns", "exec", ns.name, path, "-n", "-d",
                          "-f", os.path.join(work, "lvs.cf"), "--ipvs-dry-run",
                          "--role", "primary", "--state-dir", run, "--lib-dir", run,
                          "--pid-file", run + "/pid"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    out = Stamped(p)
    res = [None] * 4
    t_table, _ = out.when(r"start: IPVS table holds", 300)
    t_ready, _ = out.when(r" ready: ", 300)
    # lvsd's own figure (an lvsd before batching logs none)
    _, added = out.when(r"director: added (\d+) address\S* \((\d+) failed\) in ([\d.]+) ms", 1)
    count = ns.count()
    if t_table is None or t_ready is None or count != n or \
            (added is not None and (int(added.group(1)) != n or added.group(2) != "0")):
        log("  lvsd failed: %d addresses; last lines:\n%s" % (
            count, "".join(l for _, l in out.lines[-10:])))
    else:
        res[0] = float(added.group(3)) / 1000 if added else None
        res[1] = t_ready - t_table
    time.sleep(1)
    t_term = time.monotonic()
    with open(run + "/pid") as f:
        os.kill(int(f.read()), signal.SIGTERM)
    t_gone, _ = out.when(r"removing the IPVS services", 300)
    _, removed = out.when(r"director: removed (\d+) address\S* \((\d+) failed\) in ([\d.]+) ms", 1)
    p.wait(timeout=300)
    left = ns.count()
    ns.close()
    if t_gone is None or left != 0 or (removed is not None and removed.group(2) != "0"):
        log("  lvsd's stop failed: %d addresses left" % left)
    elif res[1] is not None:
        res[2] = float(removed.group(3)) / 1000 if removed else None
        res[3] = t_gone - t_term
    return res


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lvsd", required=True)
    ap.add_argument("--before", default="",
                    help="another lvsd (e.g. one without batching) in the same run")
    ap.add_argument("--floor", required=True)
    ap.add_argument("--vips", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/bench-vips")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench-vips: needs root (network namespaces)")
    generate(a.work, a.vips)
    lst = os.path.join(a.work, "vips.txt")
    log("bench-vips: %d addresses (IPv4 /32, labels eth0:N), %d rounds, kernel %s"
        % (a.vips, a.runs, os.uname().release))
    names = ["lvsd"] + (["before"] if a.before else [])
    paths = {"lvsd": a.lvsd, "before": a.before}
    res = {k: [] for k in ("fa", "fd")}
    for nm in names:
        for k in ("la", "lr", "ld", "lt"):
            res[nm + k] = []
    f = lambda x: "%.3fs" % x if x is not None else "-"
    for rnd in range(a.runs):
        fa, fd = floor(a.floor, lst, rnd, a.vips)
        res["fa"].append(fa)
        res["fd"].append(fd)
        msg = "round %d: floor add %s del %s" % (rnd + 1, f(fa), f(fd))
        for nm in names:
            r = lvsd(paths[nm], a.work, rnd, a.vips)
            for k, v in zip(("la", "lr", "ld", "lt"), r):
                res[nm + k].append(v)
            msg += "; %s add %s (table to ready %s), del %s (SIGTERM to " \
                "addresses gone %s)" % ((nm,) + tuple(f(x) for x in r))
        log(msg)
    log("")
    log("medians of %d rounds:" % a.runs)
    fa, fd = med(res["fa"]), med(res["fd"])
    rows = [("floor: add", "fa", None), ("floor: remove", "fd", None)]
    for nm in names:
        rows += [("%s: add (its batched adds)" % nm, nm + "la", fa),
                 ("%s: table applied -> ready" % nm, nm + "lr", fa),
                 ("%s: remove (its batched removals)" % nm, nm + "ld", fd),
                 ("%s: SIGTERM -> addresses removed" % nm, nm + "lt", fd)]
    for label, k, base in rows:
        m = med(res[k])
        if m is None:
            continue
        ratio = " %6.2fx the floor" % (m / base) if base else ""
        log("  %-40s %.3fs%s  (%s)" % (label, m, ratio,
                                      " ".join(f(x).rstrip("s") for x in res[k])))
    need = ["fa", "fd"] + [nm + k for nm in names for k in ("lr", "lt")]
    return 1 if any(x is None for k in need for x in res[k]) else 0


if __name__ == "__main__":
    sys.exit(main())
