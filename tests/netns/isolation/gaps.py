#!/usr/bin/env python3
"""Advert gaps per phase, from `tcpdump -tt` lines and a phase log.

  gaps.py ADVERTS PHASES LIMIT_MS

ADVERTS: tcpdump -tt output of the master's adverts.  PHASES: lines
"NAME START END" (wall-clock seconds).  Prints per phase the adverts seen,
the p99 and the longest gap (ms); exits 1 if a gap within a phase passes
LIMIT_MS or a phase saw no advert.
"""
import sys


def main():
    times = []
    with open(sys.argv[1]) as f:
        for line in f:
            try:
                times.append(float(line.split()[0]))
            except (ValueError, IndexError):
                pass
    limit = float(sys.argv[3])
    bad = False
    with open(sys.argv[2]) as f:
        for line in f:
            name, start, end = line.split()
            start, end = float(start), float(end)
            ts = [t for t in times if start <= t <= end]
            gaps = sorted((b - a) * 1000 for a, b in zip(ts, ts[1:]))
            if not gaps:
                print("%-24s no adverts captured" % name)
                bad = True
                continue
            p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
            print("%-24s adverts %5d  gap p99 %4.0f ms  max %4.0f ms" % (
                name, len(ts), p99, gaps[-1]))
            if gaps[-1] > limit:
                bad = True
    sys.exit(1 if bad else 0)


main()
