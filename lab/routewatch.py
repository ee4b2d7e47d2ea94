#!/usr/bin/python3
"""routewatch.py MONITOR_LOG PREFIX T0 - when the router's kernel changed
its route to PREFIX after T0 (wall-clock seconds, `date +%s.%N`), from the
output of `ip -ts monitor route`: prints "MS NEXTHOPS", the milliseconds
from T0 to the first change, and how many next hops the route had then
(0: removed), or "- -" if it did not change."""
import datetime
import sys


def changes(path, prefix):
    """[time, next hops] of each message about prefix, in order"""
    cur, multi = None, 0
    with open(path) as f:
        for line in f:
            if line.startswith("["):
                if cur:
                    yield [cur[0], cur[1] and (multi or 1)]
                cur, multi = None, 0
                stamp, _, rest = line[1:].partition("] ")
                words = rest.split()
                deleted = words[:1] == ["Deleted"]
                if deleted:
                    words = words[1:]
                if words[:1] == [prefix]:
                    t = datetime.datetime.fromisoformat(stamp).timestamp()
                    cur = [t, 0 if deleted else 1]
            elif cur and line.split()[:1] == ["nexthop"]:
                multi += 1
    if cur:
        yield [cur[0], cur[1] and (multi or 1)]


def main():
    path, prefix, t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
    for t, hops in changes(path, prefix):
        if t >= t0:
            print("%d %d" % (round((t - t0) * 1000), hops))
            return
    print("- -")


if __name__ == "__main__":
    main()
