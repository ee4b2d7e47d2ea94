#!/usr/bin/python3
"""measure.py RUNS LABEL:FILE:COMMAND... - runs each command RUNS times
alternating (so a load on the machine falls on all of them alike), and
prints per command: wall time, CPU time (user + system) and peak RSS of
the process (getrusage of the child), median and minimum over the runs,
and peak RSS per byte of FILE, as runstat (RUNSTAT, default on PATH)
measures them.  COMMAND is split on blanks; it must exit 0.  Output: one line per command, then "RESULT label key=value ..." lines
for scripts."""
import os
import statistics
import subprocess
import sys


RUNSTAT = os.environ.get("RUNSTAT", "runstat")


def run_once(argv):
    """runstat (bench/parse/runstat.c) runs the command: its child is a
    copy of a small program, which holds almost nothing before it execs
    (a fork of this interpreter would, and ru_maxrss would count it)."""
    p = subprocess.run([RUNSTAT] + argv, stdout=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("measure.py: %s failed (status %d)" % (" ".join(argv),
                                                        p.returncode))
    wall, cpu, rss = p.stdout.split()
    return int(wall) / 1e6, int(cpu) / 1e6, int(rss)


def main():
    runs = int(sys.argv[1])
    cmds = []
    for spec in sys.argv[2:]:
        label, path, cmd = spec.split(":", 2)
        cmds.append((label, path, cmd.split()))
    res = {label: [] for label, _, _ in cmds}
    for _ in range(runs):
        for label, _, argv in cmds:
            res[label].append(run_once(argv))
    print("%-24s %9s %9s %9s %9s %9s %8s" % ("", "wall_ms", "min", "cpu_ms",
          "min", "rss_MB", "B/B"))
    for label, path, _ in cmds:
        walls = [r[0] * 1000 for r in res[label]]
        cpus = [r[1] * 1000 for r in res[label]]
        rss = max(r[2] for r in res[label]) * 1024
        size = os.path.getsize(path) if path not in ("", "-") else 0
        bpb = rss / size if size else 0
        print("%-24s %9.1f %9.1f %9.1f %9.1f %9.1f %8.2f" % (
            label, statistics.median(walls), min(walls),
            statistics.median(cpus), min(cpus), rss / 1e6, bpb))
        print("RESULT %s wall_ms=%.1f wall_min_ms=%.1f cpu_ms=%.1f "
              "cpu_min_ms=%.1f rss_bytes=%d file_bytes=%d" % (
                  label, statistics.median(walls), min(walls),
                  statistics.median(cpus), min(cpus), rss, size))


if __name__ == "__main__":
    main()
