#!/usr/bin/env python3
"""One verdict per way of reading an lvs.cf: `lvsd -t` (both roles and
each role), a real start (as primary or backup, alternately) and a reload
of a running daemon (as primary).  A file is refused by all of them or by
none; a start or reload may otherwise fail only for I/O (an interface that
is not there), which is counted and shown.

usage: verdicts.py LVSD LVSCTL NETNS WORKDIR FILE...  (exit 0: all agree)"""
import os
import shutil
import subprocess
import sys
import time

LVSD, LVSCTL, NS, WORK = sys.argv[1:5]
FILES = sys.argv[5:]


def check(path, role=None):
    args = [LVSD, "-t", "-f", path] + (["--role", role] if role else [])
    return subprocess.run(args, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)


def daemon(path, role, tag):
    run = os.path.join(WORK, tag)
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(run)
    log = open(os.path.join(run, "log"), "w+")
    p = subprocess.Popen(["ip", "netns", "exec", NS, LVSD, "-n", "--role", role,
                          "--ipvs-dry-run", "-f", path, "--state-dir", run,
                          "--lib-dir", run, "--socket",
                          os.path.join(run, "sock")],
                         stdout=subprocess.DEVNULL, stderr=log)
    return p, log, run


def wait_ready(p, log, timeout=10.0):
    """'ready', or the exit code of a daemon that did not start."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        log.seek(0)
        if " ready: " in log.read():
            return "ready"
        rc = p.poll()
        if rc is not None:
            return rc
        time.sleep(0.005)
    return "timeout"


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return p.returncode


def start_verdict(path, role):
    p, log, run = daemon(path, role, "start")
    v = wait_ready(p, log)
    rc = stop(p)
    log.seek(0)
    text = log.read()
    log.close()
    if "ERROR: " in text and "Sanitizer" in text:
        return "sanitizer", text
    return v, text


def reload_verdict(live_cf, sock, path):
    shutil.copyfile(path, live_cf)
    r = subprocess.run([LVSCTL, "--socket", sock, "reload"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode == 0:
        return "applied", r.stdout
    if "not reloaded, nothing changed" in r.stdout:
        return "rejected", r.stdout
    if "reload failed" in r.stdout:
        return "failed", r.stdout
    return "rc=%d" % r.returncode, r.stdout


def main():
    bad = []
    io_failures = []
    counts = {"accepted": 0, "refused": 0}
    live_cf = os.path.join(WORK, "live.cf")
    shutil.copyfile(FILES[0], live_cf)
    live, live_log, live_run = daemon(live_cf, "primary", "live")
    if wait_ready(live, live_log) != "ready":
        live_log.seek(0)
        print("the reload daemon did not start:\n" + live_log.read())
        return 1
    sock = os.path.join(live_run, "sock")
    for i, f in enumerate(FILES):
        role = "primary" if i % 2 == 0 else "backup"
        both = check(f).returncode
        primary = check(f, "primary").returncode
        backup = check(f, "backup").returncode
        mine = primary if role == "primary" else backup
        counts["accepted" if both == 0 else "refused"] += 1
        if both not in (0, 2) or (both == 0) != (primary == 0 and backup == 0):
            bad.append("%s: -t %d, -t --role primary %d, backup %d"
                       % (f, both, primary, backup))
            continue
        sv, stext = start_verdict(f, role)
        if mine == 2 and sv != 2:
            bad.append("%s: -t --role %s refuses, start gives %s\n%s"
                       % (f, role, sv, stext[-600:]))
        elif mine == 0 and sv not in ("ready", 1):
            bad.append("%s: -t --role %s accepts, start gives %s\n%s"
                       % (f, role, sv, stext[-600:]))
        elif mine == 0 and sv == 1:
            io_failures.append("%s (start as %s): %s" % (
                f, role, stext.strip().splitlines()[-1]))
        rv, rtext = reload_verdict(live_cf, sock, f)
        if live.poll() is not None:
            live_log.seek(0)
            bad.append("%s: the daemon died on reload\n%s"
                       % (f, live_log.read()[-2000:]))
            break
        if (primary == 2) != (rv == "rejected") or rv.startswith("rc="):
            bad.append("%s: -t --role primary %d, reload %s\n%s"
                       % (f, primary, rv, rtext[-600:]))
        elif rv == "failed":
            io_failures.append("%s (reload): %s" % (
                f, rtext.strip().splitlines()[0]))
    rc = stop(live)
    live_log.seek(0)
    ltext = live_log.read()
    if rc != 0 or ("ERROR: " in ltext and "Sanitizer" in ltext):
        bad.append("the reload daemon exited %s\n%s" % (rc, ltext[-2000:]))
    print("%d files: %d accepted and started, %d refused by every reader; "
          "%d start/reload I/O failures of accepted files"
          % (len(FILES), counts["accepted"], counts["refused"],
             len(io_failures)))
    for x in io_failures[:10]:
        print("  I/O: " + x)
    for b in bad:
        print("DISAGREE: " + b)
    return 1 if bad else 0


sys.exit(main())
