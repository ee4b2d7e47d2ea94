#!/usr/bin/python3
"""summary.py "EVENT|requests=N failed=N outage_ms=N [router_ms=N]"... - per
kind of event (drill, return, director dies, restart): count, failed
requests, and the outage's p50 / p95 / max; with router_ms (the ECMP lab:
when the router's route changed), its p50 and max too."""
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
        k = kinds.setdefault(kind, {"n": 0, "failed": 0, "out": [], "rt": []})
        k["n"] += 1
        k["failed"] += int(d["failed"])
        k["out"].append(int(d["outage_ms"]))
        if d.get("router_ms", "-").isdigit():
            k["rt"].append(int(d["router_ms"]))
    router = any(k["rt"] for k in kinds.values())
    print("%-26s %6s %8s %8s %8s %8s" % ("kind", "events", "failed",
                                          "p50 ms", "p95 ms", "max ms")
          + ("   router: p50 ms   max ms" if router else ""))
    for kind, k in kinds.items():
        line = "%-26s %6d %8d %8d %8d %8d" % (
            kind, k["n"], k["failed"], pct(k["out"], 50), pct(k["out"], 95),
            max(k["out"]))
        if k["rt"]:
            line += "   %16d %8d" % (pct(k["rt"], 50), max(k["rt"]))
        print(line)


if __name__ == "__main__":
    main()
