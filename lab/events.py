#!/usr/bin/python3
"""events.py [--gap S] PROBE_LOG T_EVENT [T_END] - what the client saw of
one event (a drill, a kill) from the probe.py log: requests started in
[T_EVENT, T_END], those that failed (no answer in 3 s), and the outage:
from the first request that was hurt (failed, or took longer than 0.5 s:
a lost SYN is retransmitted after 1 s) to the next request that was
served promptly.  Prints "requests=N failed=N outage_ms=N", and the
reasons of the failures when there were some.  With --gap S the outage
ends at the first S seconds in which no request was hurt (with several
directors, prompt requests interleave with hurt ones during the outage;
a stall of a loaded machine much later is another matter)."""
import sys

SLOW = 0.5


def main():
    args = sys.argv[1:]
    gap = None
    if args[:1] == ["--gap"]:
        gap, args = float(args[1]), args[2:]
    path, t_ev = args[0], float(args[1])
    t_end = float(args[2]) if len(args) > 2 else float("inf")
    rows = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 3:
                rows.append((float(p[0]), float(p[1]), p[2] != "FAIL",
                             p[3] if p[2] == "FAIL" and len(p) > 3 else ""))
    rows.sort()
    win = [r for r in rows if t_ev <= r[0] <= t_end]
    hurt = [r for r in win if not r[2] or r[1] - r[0] > SLOW]
    if gap is not None:
        for i in range(1, len(hurt)):
            if hurt[i][0] - hurt[i - 1][0] > gap:
                hurt = hurt[:i]
                break
    outage = 0.0
    if hurt:
        last = hurt[-1][0]
        after = [r[0] for r in win if r[0] > last and r[2] and r[1] - r[0] <= SLOW]
        outage = (after[0] if after else win[-1][0]) - hurt[0][0]
    why = sorted({r[3] for r in win if not r[2]})
    print("requests=%d failed=%d outage_ms=%d%s" % (
        len(win), sum(1 for r in win if not r[2]), round(outage * 1000),
        (" (" + ", ".join(why) + ")") if why else ""))


if __name__ == "__main__":
    main()
