#!/usr/bin/python3
"""routewatch.py MONITOR_LOG PREFIX T0 [+ADDR | -ADDR] - when the router's
kernel changed its route to PREFIX after T0 (wall-clock seconds, `date
+%s.%N`), from the output of `ip -ts monitor route`: prints "MS NEXTHOPS",
the milliseconds from T0 to the first change (with +ADDR: the first that
has ADDR among its next hops; -ADDR: the first without it), and how many
next hops the route had then (0: removed); "- -" if none."""
import datetime
import sys


def changes(path, prefix):
    """(time, [next hop addresses]) of each message about prefix"""
    cur = None
    with open(path) as f:
        for line in f:
            words = line.split()
            if line.startswith("["):
                if cur:
                    yield cur
                cur = None
                stamp, _, rest = line[1:].partition("] ")
                words = rest.split()
                deleted = words[:1] == ["Deleted"]
                if deleted:
                    words = words[1:]
                if words[:1] == [prefix]:
                    t = datetime.datetime.fromisoformat(stamp).timestamp()
                    cur = (t, [] if deleted else
                           [words[i + 1] for i, w in enumerate(words[:-1]) if w == "via"])
            elif cur and cur[1] is not None and words[:1] == ["nexthop"] and "via" in words:
                cur[1].append(words[words.index("via") + 1])
    if cur:
        yield cur


def main():
    path, prefix, t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
    cond = sys.argv[4] if len(sys.argv) > 4 else ""
    for t, hops in changes(path, prefix):
        if t < t0:
            continue
        if cond[:1] == "+" and cond[1:] not in hops:
            continue
        if cond[:1] == "-" and cond[1:] in hops:
            continue
        print("%d %d" % (round((t - t0) * 1000), len(hops)))
        return
    print("- -")


if __name__ == "__main__":
    main()
