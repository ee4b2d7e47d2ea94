#!/usr/bin/python3
"""summary.py "EVENT|requests=N failed=N outage_ms=N"... - per kind of
event (drill, return, director dies, restart): count, failed requests, and the
outage's p50 / p95 / max."""
import sys


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def main():
    kinds = {}
    for arg in sys.argv[1:]:
        name, _, vals = arg.partition("|")
        kind = name.split(":")[0].split(" (")[0]
        kind = "director dies" if " dies" in kind else \
            "restart (preempt)" if kind.startswith("restart") else kind
        d = dict(x.split("=", 1) for x in vals.split() if "=" in x)
        k = kinds.setdefault(kind, {"n": 0, "failed": 0, "out": []})
        k["n"] += 1
        k["failed"] += int(d["failed"])
        k["out"].append(int(d["outage_ms"]))
    print("%-26s %6s %8s %8s %8s %8s" % ("kind", "events", "failed",
                                          "p50 ms", "p95 ms", "max ms"))
    for kind, k in kinds.items():
        print("%-26s %6d %8d %8d %8d %8d" % (kind, k["n"], k["failed"],
              pct(k["out"], 50), pct(k["out"], 95), max(k["out"])))


if __name__ == "__main__":
    main()
