#!/usr/bin/python3
"""bench-in-vm.py - the ipvs-apply benchmark proper; runs as root on a
kernel with IPVS (inside tests/vm/run-in-vm; run-bench.sh starts it).

  bench-in-vm.py --dir DIR [--runs N] [--lvsd PATH] [--floor PATH]
                 [--vip-floor PATH] [--only b,f,v,c,e,a]

DIR holds gen.py's output. Every measurement runs in a fresh network
namespace (IPVS keeps deleted destinations in a per-namespace trash that
slows later adds), each contender once per round, N rounds; medians are
printed with their ratio to (b):
  (b) ipvsadm -R of ipvsadm.rules (synchronous: until it exits)
  (f) the floor: ipvs-floor (floor.c) loads ipvsadm.rules through one
      netlink socket, batched requests, each acked (until it exits)
  (v) the virtual addresses lvsd adds as a lone director (one per
      virtual, lvs.cf's "address = IP eth0:1"), added and then removed by
      bench/vips/vip-floor (one socket, batched, each acked); lvsd's own
      "addresses..ready" phase of (a) is compared with it
  (c) keepalived -C with keepalived.conf, from exec to complete table
  (e) the keepalived of (c): keepalived-edited.conf + SIGHUP until the
      kernel shows the 400 new weights; then a no-op SIGHUP until
      keepalived logs "Reload complete" (e implies c)
  (a) lvsd -n -f lvs.cf --role primary, from exec to complete table
  (d) lvsd: lvs-edited.cf + SIGHUP until the kernel shows the 400 new
      weights; then a no-op SIGHUP until lvsd logs a reload line
(a)/(d) only when `lvsd --help` offers --dry-run (the IPVS driver is in).
(d) and (e) are the same change and the same completion test (reloads()),
so (d)/(e) compares the two daemons' reloads.
"Complete": three sentinel services (first, middle and last of the file)
are polled every POLL seconds over generic netlink (ipvs_probe.py: a few
small messages); once they are complete, the whole table is counted from
/proc/PID/net/ip_vs of a process in the namespace. Reading that file costs
enough under TCG to slow the contender down, so it is read at most every
2x its own cost. Times carry up to one poll interval of slack.
"""
import argparse
import os
import re
import signal
import statistics
import shutil
import subprocess
import sys
import threading
import time

# the source tree is a writable share in the VM: leave no __pycache__ in it
sys.dont_write_bytecode = True
from ipvs_probe import IpvsProbe

POLL = 0.05
DEADLINE = float(os.environ.get("BENCH_DEADLINE", "600"))


def log(msg):
    print(msg, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, **kw)


class Netns:
    """a fresh network namespace with lo, dummy eth0/eth1 (the director's
    addresses 10.99.0.1, 10.99.1.2) and default routes, so IPVS accepts the
    real servers and lvsd finds its primary address; an anchor process in
    it gives /proc/PID/net/ip_vs"""

    def __init__(self, name):
        self.name = name
        run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)
        if run(["ip", "netns", "add", name]).returncode:
            sys.exit("cannot create netns " + name)
        batch = ("link set lo up\nlink add eth0 type dummy\nlink set eth0 up\n"
                 "link add eth1 type dummy\nlink set eth1 up\n"
                 "addr add 10.99.0.1/24 dev eth0\naddr add 10.99.1.2/24 dev eth1\n"
                 "route add default dev eth0\nroute add ::/0 dev eth0\n")
        if run(["ip", "-n", name, "-batch", "-"], input=batch.encode()).returncode:
            sys.exit("cannot set up netns " + name)
        self.anchor = subprocess.Popen(["ip", "netns", "exec", name, "sleep", "100000"])
        want = os.stat("/run/netns/" + name).st_ino
        for _ in range(400):
            try:
                if os.stat("/proc/%d/ns/net" % self.anchor.pid).st_ino == want:
                    break
            except OSError:
                pass
            time.sleep(0.01)
        else:
            sys.exit("anchor process did not enter " + name)

    def read_table(self):
        with open("/proc/%d/net/ip_vs" % self.anchor.pid, "rb") as f:
            return f.read()

    def counts(self):
        data = self.read_table()
        return data.count(b"\nTCP "), data.count(b"\n  -> ") - 1

    def exec(self, cmd, **kw):
        return run(["ip", "netns", "exec", self.name] + cmd, **kw)

    def close(self):
        t = time.monotonic()
        self.exec(["ipvsadm", "-C"])
        flush = time.monotonic() - t
        pids = run(["ip", "netns", "pids", self.name], stdout=subprocess.PIPE,
                   text=True).stdout.split()
        for p in pids:
            try:
                os.kill(int(p), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        self.anchor.wait()
        run(["ip", "netns", "del", self.name])
        return flush


def wait_until(probe_ok, full_ok, proc, t0):
    """poll the cheap probe_ok() every POLL s; once it holds, full_ok()
    (expensive) at most every 2x its cost; returns seconds since t0 or None
    on timeout / early exit of proc"""
    next_full = 0.0
    while True:
        now = time.monotonic()
        if now >= next_full and probe_ok():
            ok = full_ok()
            done = time.monotonic()
            if ok:
                return now - t0
            next_full = done + 2 * (done - now)
        if now - t0 > DEADLINE or (proc is not None and proc.poll() is not None):
            return None
        time.sleep(POLL)


def wait_complete(ns, probe, table, proc, t0):
    """until the kernel holds the whole table (sentinels, then counts)"""
    want = table["want"]
    sentinels = table["sentinels"]
    return wait_until(lambda: all(probe.dests(v, p) == d for v, p, d in sentinels),
                      lambda: ns.counts() == want, proc, t0)


def wait_log(path, start, regex, t0, limit=DEADLINE):
    """(seconds from t0, match) once a line matching regex appears in path
    after byte offset start; (None, None) after limit seconds"""
    rx = re.compile(regex)
    while time.monotonic() - t0 < limit:
        with open(path, "rb") as f:
            f.seek(start)
            m = rx.search(f.read().decode(errors="replace"))
            if m:
                return time.monotonic() - t0, m
        time.sleep(POLL)
    return None, None


def wait_weights(ns, probe, table, edits, proc, t0):
    """until the kernel shows every edited weight: the first and last edited
    server over netlink, then all of them from /proc (weights_applied); the
    1 % change of lvsd (d) and keepalived (e) ends here"""
    first, last = table["edit_sentinels"]
    return wait_until(
        lambda: all(probe.dests(v, pt).get(r) == w for v, pt, r, w in (first, last)),
        lambda: weights_applied(ns, edits), proc, t0)


def install(src, dst):
    """copy src to dst through dst.new and a rename, so a daemon that reads
    dst on SIGHUP sees the old or the new file, never half of one (the
    contenders run on copies in /run: / is read-only in the VM)"""
    with open(src, "rb") as s, open(dst + ".new", "wb") as o:
        o.write(s.read())
    os.rename(dst + ".new", dst)


def stop(p, timeout):
    """SIGTERM, then SIGKILL after timeout seconds"""
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def reloads(p, ns, probe, table, edits, cf, edited, logf, done):
    """the reloads of (d) and (e) on daemon p, which runs on its config file
    cf and logs to logf: edited (the 1 % change) over cf and SIGHUP, timed
    until the kernel shows the new weights; then, once p has logged a line
    matching regex done for it (so the no-op starts on an idle daemon), a
    SIGHUP with cf unchanged, timed until p logs done again; then another
    (lvsd: the file, written just before the change, was read again by the
    first no-op and recorded as settled, so this one does not read it).
    Returns (change s, no-op s, second no-op s, done match of the change,
    done match of the no-op, monotonic time of the change's SIGHUP); None
    where it did not happen"""
    install(edited, cf)
    pos = os.path.getsize(logf)
    t1 = time.monotonic()
    p.send_signal(signal.SIGHUP)
    change = wait_weights(ns, probe, table, edits, p, t1)
    mchange = wait_log(logf, pos, done, t1)[1]
    time.sleep(1)
    pos = os.path.getsize(logf)
    t2 = time.monotonic()
    p.send_signal(signal.SIGHUP)
    noop, mnoop = wait_log(logf, pos, done, t2)
    time.sleep(1)
    pos = os.path.getsize(logf)
    t3 = time.monotonic()
    p.send_signal(signal.SIGHUP)
    noop2 = wait_log(logf, pos, done, t3)[0]
    return change, noop, noop2, mchange, mnoop, t1


def sentinels(text):
    """[(vip, port, {"rip:port": weight})] of the first, middle and last
    service of ipvsadm-restore text"""
    svcs, order = {}, []
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 3 and f[0] == "-A":
            svcs[f[2]] = {}
            order.append(f[2])
        elif len(f) >= 8 and f[0] == "-a":
            svcs[f[2]][f[4]] = int(f[7])
    out = []
    for k in sorted({0, len(order) // 2, len(order) - 1}):
        vip, port = order[k].rsplit(":", 1)
        out.append((vip, int(port), svcs[order[k]]))
    return out


def normalize_rules(text):
    lines = (" ".join(l.split()) for l in text.splitlines())
    return sorted(l for l in lines if l)


def verify_full(ns, rules, what):
    """the kernel table equals ipvsadm.rules (order ignored)"""
    out = ns.exec(["ipvsadm", "-Sn"], stdout=subprocess.PIPE, text=True).stdout
    have = normalize_rules(out)
    if have == rules:
        log("  verified: %s table == ipvsadm.rules (%d rules)" % (what, len(have)))
        return True
    missing = len(set(rules) - set(have))
    extra = len(set(have) - set(rules))
    log("  MISMATCH: %s table vs ipvsadm.rules: %d missing, %d extra"
        % (what, missing, extra))
    return False


def hexaddr(hostport):
    host, port = hostport.rsplit(":", 1)
    return "%02X%02X%02X%02X:%04X" % (tuple(int(x) for x in host.split(".")) + (int(port),))


def weights_applied(ns, edits):
    """every edited (service, dest) shows its new weight in the kernel"""
    want = dict(edits)
    got = 0
    svc = None
    for line in ns.read_table().decode().splitlines():
        f = line.split()
        if not f:
            continue
        if f[0] == "TCP":
            svc = f[1]
        elif f[0] == "->" and svc is not None and (svc, f[1]) in want:
            if f[3] != want[(svc, f[1])]:
                return False
            got += 1
    return got == len(want)


def bench_ipvsadm(d, rnd, want, rules, verify):
    ns = Netns("bench-b-%d" % rnd)
    with open(os.path.join(d, "ipvsadm.rules"), "rb") as f:
        t0 = time.monotonic()
        rc = ns.exec(["ipvsadm", "-R"], stdin=f).returncode
        t = time.monotonic() - t0
    ok = rc == 0 and ns.counts() == want
    if not ok:
        log("  (b) ipvsadm -R failed: status %d, table %s" % (rc, ns.counts()))
    if ok and verify:
        ok = verify_full(ns, rules, "ipvsadm -R")
    fl = ns.close()
    return (t if ok else None), fl


def bench_floor(d, rnd, want, rules, verify, floor):
    """(f) the floor: the benchmark's own loader (floor.c: one netlink
    socket, batched requests, every request acked) of ipvsadm.rules, from
    exec to exit like (b); returns seconds or None"""
    ns = Netns("bench-f-%d" % rnd)
    t0 = time.monotonic()
    r = ns.exec([floor, os.path.join(d, "ipvsadm.rules")], stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True)
    t = time.monotonic() - t0
    ok = r.returncode == 0 and ns.counts() == want
    if not ok:
        log("  (f) floor failed: status %d, table %s: %s"
            % (r.returncode, ns.counts(), r.stdout.strip()[-500:]))
    else:
        log("  (f) " + r.stdout.strip())
    if ok and verify:
        ok = verify_full(ns, rules, "floor")
    ns.close()
    return t if ok else None


def vip_list(d):
    """the floor's list of lvsd's virtual addresses: each virtual's
    address of lvs.cf with its vip_nmask (/32 here) and label"""
    path = "/run/bench-vips.txt"
    rx = re.compile(r"^\s*address = (\d+\.\d+\.\d+\.\d+) (\w+)(:\w+)?\s*$")
    with open(os.path.join(d, "lvs.cf")) as cf, open(path, "w") as out:
        for line in cf:
            m = rx.match(line)
            if m and m.group(3):		# a virtual's "IP dev:alias"
                out.write("%s/32 %s %s%s\n" % (m.group(1), m.group(2),
                                              m.group(2), m.group(3)))
    return path


def bench_vip_floor(d, rnd, floor):
    """(v) the addresses lvsd adds as a lone director (one per virtual),
    added then removed by the benchmark's own vip-floor (one
    NETLINK_ROUTE socket, batched requests, each acked); returns (add s,
    remove s) from exec to exit, or Nones"""
    lst = vip_list(d)
    n = sum(1 for _ in open(lst))
    ns = Netns("bench-v-%d" % rnd)
    res = []
    for flag in ("-a", "-r"):
        t0 = time.monotonic()
        r = ns.exec([floor, flag, lst], stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True)
        t = time.monotonic() - t0
        have = ns.exec(["ip", "-4", "-o", "addr", "show", "dev", "eth0"],
                       stdout=subprocess.PIPE, text=True).stdout.count(" 10.100.")
        ok = r.returncode == 0 and have == (n if flag == "-a" else 0)
        log("  (v) %s (%d addresses on eth0)" % (r.stdout.strip(), have))
        res.append(t if ok else None)
    ns.close()
    return res


# keepalived's parent logs this once every child has reported the end of a
# reload (2.2: over an eventfd, for systemd's READY=1); at start it logs
# "Startup complete"
KA_RELOAD_DONE = r"Reload complete"


def bench_keepalived(d, rnd, table, rules, verify, edits, reload):
    """(c), then (e) with the same process when reload: returns (start,
    change, no-op) seconds, None = failed / not run"""
    ns = Netns("bench-c-%d" % rnd)
    probe = IpvsProbe(ns.name)
    run_dir = "/run/bench-ka-%d" % rnd
    os.makedirs(run_dir, exist_ok=True)
    conf = os.path.join(run_dir, "keepalived.conf")
    install(os.path.join(d, "keepalived.conf"), conf)
    logf = os.path.join(run_dir, "log")
    out = open(logf, "wb")
    cmd = ["keepalived", "-n", "-C", "-G", "-l", "-I", "-f", conf,
           "-p", run_dir + "/ka.pid", "-c", run_dir + "/ka-check.pid"]
    t0 = time.monotonic()
    p = subprocess.Popen(["ip", "netns", "exec", ns.name] + cmd,
                         stdout=out, stderr=subprocess.STDOUT)
    start = wait_complete(ns, probe, table, p, t0)
    change = noop = None
    if start is None:
        log("  (c) keepalived did not complete the table: %s" % (ns.counts(),))
        out.flush()
        with open(logf, "rb") as f:
            log(f.read()[-2000:].decode(errors="replace"))
    elif verify and not verify_full(ns, rules, "keepalived"):
        start = None
    if start is not None and reload:
        change, noop, _, mchange, _, _ = reloads(
            p, ns, probe, table, edits, conf,
            os.path.join(d, "keepalived-edited.conf"), logf, KA_RELOAD_DONE)
        if change is None:
            log("  (e) keepalived did not apply the 1 % change")
        if mchange is None or noop is None:
            log("  (e) keepalived did not log \"%s\" after a reload" % KA_RELOAD_DONE)
    probe.close()
    stop(p, 60)
    out.close()
    ns.close()
    return start, change, noop


LVSD_HAS_STATE_DIR = False


def lvsd_measurable(lvsd):
    """lvsd programs IPVS once its --help offers --dry-run"""
    global LVSD_HAS_STATE_DIR
    if not lvsd or not os.access(lvsd, os.X_OK):
        return False
    r = run([lvsd, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # / is read-only in the VM: the state file goes to /run
    LVSD_HAS_STATE_DIR = "--state-dir" in r.stdout
    return "--dry-run" in r.stdout


# lvsd's line once it has started (table applied, addresses added)
LVSD_READY = r" ready: "

# lvsd's line at the end of a reload; group 1 = netlink messages sent
# (none: the files were unchanged, nothing was applied)
RELOAD_DONE = os.environ.get("LVSD_RELOAD_DONE",
                             r"reload: (?:IPVS table holds.*\((\d+) messages?|.* unchanged \()")


def msgs(m):
    """the message count a RELOAD_DONE match carries, or None"""
    try:
        if m and m.group(1) is None and "unchanged" in m.group(0):
            return 0
        return int(m.group(1)) if m else None
    except (IndexError, ValueError, TypeError):
        return None


def stamp_lines(src, out, t0):
    """copies lvsd's output to out, each line prefixed with the seconds
    since t0 at which the benchmark read it"""
    for line in src:
        out.write(b"%.3f " % (time.monotonic() - t0) + line)
        out.flush()


def stamp_of(logf, regex):
    """the stamp of the first line of logf matching regex, or None"""
    rx = re.compile(regex)
    with open(logf, "rb") as f:
        for line in f:
            text = line.decode(errors="replace")
            if rx.search(text):
                return float(text.split(" ", 1)[0])
    return None


def phases(logf):
    """lvsd's start from its stamped log: exec to the end of reading and
    planning lvs.cf (the checks process is started right after opening
    IPVS), then the first apply (to the line that reports it), then the
    addresses (to ready)"""
    a = stamp_of(logf, r"checks process started")
    b = stamp_of(logf, r"start: IPVS table holds")
    c = stamp_of(logf, LVSD_READY)
    return {"exec..planned": a, "apply": b - a if a and b else None,
            "addresses..ready": c - b if b and c else None}


def timed(cmd):
    t = time.monotonic()
    r = run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t if r.returncode == 0 else None


def start_path(lvsd, cf):
    """what lvsd's start costs before any IPVS work: loading the program
    (lvsd --version, median of 3) and reading and checking lvs.cf for this
    role (lvsd -t), each a process of its own"""
    load = med([timed([lvsd, "--version"]) for _ in range(3)])
    return {"load": load,
            "-t": timed([lvsd, "-t", "-f", cf, "--role", "primary"])}


def bench_lvsd(d, rnd, table, rules, verify, lvsd, edits):
    """returns (start, change, noop, second noop) seconds (None = failed /
    not seen) and the netlink messages lvsd reported for the change and the
    no-op"""
    want = table["want"]
    ns = Netns("bench-a-%d" % rnd)
    probe = IpvsProbe(ns.name)
    work = "/run/bench-lvsd-%d" % rnd
    os.makedirs(work, exist_ok=True)
    cf = os.path.join(work, "lvs.cf")
    install(os.path.join(d, "lvs.cf"), cf)
    logf = os.path.join(work, "log")
    out = open(logf, "wb")
    profile = start_path(lvsd, cf)
    cmd = [lvsd, "-n", "-f", cf, "--role", "primary", "--pid-file", work + "/pid"]
    if LVSD_HAS_STATE_DIR:
        os.makedirs(work + "/state", exist_ok=True)
        cmd += ["--state-dir", work + "/state", "--lib-dir", work + "/state"]
    t0 = time.monotonic()
    p = subprocess.Popen(["ip", "netns", "exec", ns.name] + cmd,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    stamper = threading.Thread(target=stamp_lines, args=(p.stdout, out, t0),
                               daemon=True)
    stamper.start()
    start = wait_complete(ns, probe, table, p, t0)
    change = noop = noop2 = nchange = nnoop = None
    if start is None:
        log("  (a) lvsd did not complete the table: %s" % (ns.counts(),))
    elif verify and not verify_full(ns, rules, "lvsd"):
        start = None
    if start is not None:
        # The table is complete before lvsd is ready: a lone director
        # then adds its virtual addresses (here one per service, 10,000:
        # ~1 ms each under TCG).  A SIGHUP meanwhile waits for the end of
        # the start, which is not the reload's time.
        ready, _ = wait_log(logf, 0, LVSD_READY, t0, DEADLINE)
        if ready is None:
            log("  (a) lvsd never logged that it is ready")
            start = None
        else:
            log("  (a) lvsd ready (virtual addresses added) after %.3fs" % ready)
            profile.update(phases(logf))
            log("  (a) start path: %s" % ", ".join(
                "%s %.3fs" % (k, v) for k, v in profile.items() if v is not None))
    if start is not None:
        change, noop, noop2, mchange, mnoop, sent = reloads(
            p, ns, probe, table, edits, cf, os.path.join(d, "lvs-edited.cf"),
            logf, RELOAD_DONE)
        # the change's own phases, from the stamped log
        valid = stamp_of(logf, r"reload: .* is valid")
        held = stamp_of(logf, r"reload: IPVS table holds")
        profile["reload: SIGHUP..planned"] = valid - (sent - t0) if valid else None
        profile["reload: planned..applied"] = held - valid if valid and held else None
        if change is None:
            log("  (d) lvsd did not apply the 1 % change")
        nchange, nnoop = msgs(mchange), msgs(mnoop)
    stop(p, 120)
    stamper.join(timeout=10)
    out.close()
    if p.returncode not in (0, None) and start is None:
        with open(logf, "rb") as f:
            log(f.read()[-2000:].decode(errors="replace"))
    probe.close()
    ns.close()
    return start, change, noop, noop2, nchange, nnoop, profile


def ratios(xs, ys):
    """per-round ratios x/y, as text"""
    return " ".join("%.2f" % (x / y) if x and y else "-" for x, y in zip(xs, ys))


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(t, base):
    if t is None:
        return "%10s" % "failed"
    r = ("%7.3fx" % (t / base)) if base else "       -"
    return "%9.3fs %s" % (t, r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--lvsd", default="")
    ap.add_argument("--only", default="b,f,v,c,e,a")
    ap.add_argument("--floor", default="")
    ap.add_argument("--vip-floor", default="")
    a = ap.parse_args()
    if not os.path.exists("/proc/net/ip_vs"):
        run(["modprobe", "ip_vs"])
    if not os.path.exists("/proc/net/ip_vs"):
        sys.exit("bench: this kernel has no IPVS")
    run(["modprobe", "ip_vs_wlc"])
    meta = dict(l.strip().split("=", 1) for l in open(os.path.join(a.dir, "meta.txt")))
    want = (int(meta["services"]), int(meta["destinations"]))
    with open(os.path.join(a.dir, "ipvsadm.rules")) as f:
        text = f.read()
    rules = normalize_rules(text)
    table = {"want": want, "sentinels": sentinels(text)}
    edits, raw = [], []
    for line in open(os.path.join(a.dir, "edits.txt")):
        v, r, w = line.split()
        edits.append(((hexaddr(v), hexaddr(r)), w))
        vip, vport = v.rsplit(":", 1)
        raw.append((vip, int(vport), r, int(w)))
    table["edit_sentinels"] = (raw[0], raw[-1]) if raw else None
    only = set(a.only.split(","))
    # The contenders' programs on the guest's tmpfs: loading them from the
    # 9p share costs each exec time that depends on the host's load.
    os.makedirs("/run/bench-bin", exist_ok=True)
    for attr in ("lvsd", "floor", "vip_floor"):
        path = getattr(a, attr)
        if path and os.access(path, os.X_OK):
            copy = os.path.join("/run/bench-bin", os.path.basename(path))
            shutil.copy2(path, copy)
            setattr(a, attr, copy)
    # (e) reloads the keepalived of (c): one implies the other's start
    ka_on = bool(only & {"c", "e"})
    lvsd_ok = "a" in only and lvsd_measurable(a.lvsd)
    ka = run(["keepalived", "--version"], stdout=subprocess.PIPE,
             stderr=subprocess.STDOUT, text=True).stdout.split("\n")[0]
    log("ipvs-apply: %d services x %d real servers (NAT, %s), %d rounds, "
        "kernel %s, %s" % (want[0], want[1] // want[0], meta["scheduler"],
                           a.runs, os.uname().release, ka.strip()))
    res = {k: [] for k in ("b", "f", "va", "vr", "c", "e", "en", "a", "d", "n",
                           "n2", "dm", "nm")}
    vfloor_ok = "v" in only and os.access(a.vip_floor, os.X_OK)
    floor_ok = "f" in only and os.access(a.floor, os.X_OK)
    if "f" in only and not floor_ok:
        log("(f) the floor program %r is not built" % a.floor)
    flushes = []
    for rnd in range(a.runs):
        verify = rnd == 0
        if "b" in only:
            t, fl = bench_ipvsadm(a.dir, rnd, want, rules, verify)
            res["b"].append(t)
            flushes.append(fl)
            log("round %d: (b) ipvsadm -R %s" % (rnd + 1, fmt(t, None)))
            time.sleep(1)
        if floor_ok:
            t = bench_floor(a.dir, rnd, want, rules, verify, a.floor)
            res["f"].append(t)
            log("round %d: (f) floor %s" % (rnd + 1, fmt(t, None)))
            time.sleep(1)
        if vfloor_ok:
            va, vr = bench_vip_floor(a.dir, rnd, a.vip_floor)
            res["va"].append(va)
            res["vr"].append(vr)
            log("round %d: (v) vip floor add %s, remove %s" % (rnd + 1, fmt(va, None),
                                                               fmt(vr, None)))
            time.sleep(1)
        if ka_on:
            s, c, n = bench_keepalived(a.dir, rnd, table, rules, verify, edits,
                                       "e" in only)
            res["c"].append(s)
            msg = "round %d: (c) keepalived %s" % (rnd + 1, fmt(s, None))
            if "e" in only:
                res["e"].append(c)
                res["en"].append(n)
                msg += ", (e) 1%% change %s, no-op %s" % (fmt(c, None), fmt(n, None))
            log(msg)
            time.sleep(1)
        if lvsd_ok:
            s, c, n, n2, cm, nm, prof = bench_lvsd(a.dir, rnd, table, rules, verify,
                                               a.lvsd, edits)
            for k, v in prof.items():
                res.setdefault("p:" + k, []).append(v)
            res["a"].append(s)
            res["d"].append(c)
            res["n"].append(n)
            res["n2"].append(n2)
            res["dm"].append(cm)
            res["nm"].append(nm)
            log("round %d: (a) lvsd start %s, (d) 1%% change %s (%s msgs), no-op %s (%s msgs), "
                "again %s" % (rnd + 1, fmt(s, None), fmt(c, None), cm, fmt(n, None), nm,
                              fmt(n2, None)))
            time.sleep(1)
    base = med(res["b"])
    log("")
    log("results (medians of %d rounds; ratio to (b)):" % a.runs)

    def row(label, t, extra=""):
        log("  %-40s %s%s" % (label, fmt(t, base), extra))

    change = "1%% change (%d weights)" % len(edits)
    if "b" in only:
        row("(b) ipvsadm -R", base)
    if floor_ok:
        row("(f) floor (one socket, batched, acked)", med(res["f"]))
    if vfloor_ok:
        row("(v) vip floor: add the addresses", med(res["va"]))
        row("(v) vip floor: remove them", med(res["vr"]))
    if ka_on:
        row("(c) keepalived start", med(res["c"]))
    if "e" in only:
        row("(e) keepalived " + change, med(res["e"]))
        row("(e) keepalived no-op reload", med(res["en"]))
    if lvsd_ok:
        sa = med(res["a"])
        row("(a) lvsd start", sa)
        row("(d) lvsd " + change, med(res["d"]), "  netlink messages: %s (target %d)"
            % (res["dm"], len(edits)))
        row("(d) lvsd no-op reload", med(res["n"]), "  netlink messages: %s (target 0)"
            % res["nm"])
        row("(d) lvsd no-op reload again (settled)", med(res["n2"]))
        for k in [k for k in res if k.startswith("p:")]:
            row("(a) of which: " + k[2:], med(res[k]))
        if sa and med(res["f"]):
            log("  (a)/(f) = %.3f  (lvsd's start / the floor; per round: %s)"
                % (sa / med(res["f"]), ratios(res["a"], res["f"])))
        ar = res.get("p:addresses..ready", [])
        if med(ar) and med(res["va"]):
            log("  (a) addresses..ready / (v) add = %.3f  (per round: %s)"
                % (med(ar) / med(res["va"]), ratios(ar, res["va"])))
        if sa and med(res["c"]):
            log("  (a)/(c) = %.3f" % (sa / med(res["c"])))
        if sa and med(res["d"]):
            log("  (d)/(a) = %.3f  (per round: %s)" % (med(res["d"]) / sa,
                                                      ratios(res["d"], res["a"])))
        for k, what in (("n", "no-op"), ("n2", "no-op again")):
            if sa and med(res[k]):
                log("  %s/(a) = %.3f  (per round: %s)" % (what, med(res[k]) / sa,
                                                         ratios(res[k], res["a"])))
        # issue 6: lvsd's reload against keepalived's, same change, same run
        if med(res["d"]) and med(res["e"]):
            log("  (d)/(e) = %.3f  (lvsd / keepalived, 1%% change)"
                % (med(res["d"]) / med(res["e"])))
        if med(res["n"]) and med(res["en"]):
            log("  no-op (d)/(e) = %.3f  (lvsd / keepalived, no-op reload)"
                % (med(res["n"]) / med(res["en"])))
    elif "a" in only:
        log("  %-40s lvsd: not yet measurable" % "(a) lvsd start")
        log("  %-40s lvsd: not yet measurable" % "(d) lvsd change / no-op")
    if flushes and med(flushes):
        log("  %-40s %9.3fs" % ("(info) ipvsadm -C of the table", med(flushes)))
    failed = any(x is None for k in ("b", "f", "va", "vr", "c", "e", "a", "d")
                 for x in res[k])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
