#!/bin/sh
# run-bench.sh - make bench-parse: `lvsd -t` (parse, validate and the plan
# of both roles) on gen.py's table of 1,000 and 10,000 services x 4 real
# servers, beside `keepalived -t` on the same tables (keepalived.conf) and
# lvsd's process floor (`lvsd -V`: starting the program, its libraries),
# alternating in one run on the host.  BENCH_RUNS (10) runs of each;
# BENCH_BASE=/path/to/another/lvsd adds that binary (before/after).
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
: "${top_srcdir:=$(cd "$here/../.." && pwd -P)}"
: "${top_builddir:=$top_srcdir}"
top_builddir=$(cd "$top_builddir" && pwd -P)
runs=${BENCH_RUNS:-10}
work=$top_builddir/bench/parse/work
lvsd=$top_builddir/lvsd
mkdir -p "$work"
command -v keepalived >/dev/null || "$top_srcdir/scripts/install-deps" || true
for n in 1000 10000; do
	[ -s "$work/$n/lvs.cf" ] || python3 "$top_srcdir/bench/ipvs-apply/gen.py" \
		--services "$n" --rs 4 --edits 0 "$work/$n" >/dev/null
done
set -- "floor:-:$lvsd -V"
for n in 1000 10000; do
	set -- "$@" "lvsd-$n:$work/$n/lvs.cf:$lvsd -t -f $work/$n/lvs.cf"
	[ -z "${BENCH_BASE:-}" ] ||
		set -- "$@" "base-$n:$work/$n/lvs.cf:$BENCH_BASE -t -f $work/$n/lvs.cf"
	! command -v keepalived >/dev/null ||
		set -- "$@" "keepalived-$n:$work/$n/keepalived.conf:keepalived -t -f $work/$n/keepalived.conf"
done
echo "lvsd -t and keepalived -t, $runs runs each, alternating ($(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg))"
RUNSTAT=$top_builddir/bench/parse/runstat python3 "$here/measure.py" "$runs" "$@" |
	tee "$work/results.txt" | grep -v '^RESULT'
# Same-run ratios
awk '/^RESULT/ {
	split($0, f, " "); l = f[2]
	for (i = 3; i <= NF; i++) { split(f[i], kv, "="); v[l, kv[1]] = kv[2] }
	labels[l] = 1
}
END {
	for (n = 1000; n <= 10000; n *= 10) {
		a = "lvsd-" n; k = "keepalived-" n
		if ((a, "cpu_ms") in v && (k, "cpu_ms") in v)
			printf "%d services: lvsd/keepalived wall %.2f, cpu %.2f, RSS %.2f\n",
			    n, v[a, "wall_ms"] / v[k, "wall_ms"], v[a, "cpu_ms"] / v[k, "cpu_ms"],
			    v[a, "rss_bytes"] / v[k, "rss_bytes"]
		if ((a, "wall_ms") in v && ("floor", "wall_ms") in v)
			printf "%d services: lvsd above its floor: wall %.1f ms, cpu %.1f ms, RSS %.2f MB (%.2f bytes a byte)\n",
			    n, v[a, "wall_ms"] - v["floor", "wall_ms"], v[a, "cpu_ms"] - v["floor", "cpu_ms"],
			    (v[a, "rss_bytes"] - v["floor", "rss_bytes"]) / 1e6,
			    (v[a, "rss_bytes"] - v["floor", "rss_bytes"]) / v[a, "file_bytes"]
		b = "base-" n
		if ((b, "wall_ms") in v)
			printf "%d services: lvsd/base wall %.2f, cpu %.2f, RSS %.2f\n", n,
			    v[a, "wall_ms"] / v[b, "wall_ms"], v[a, "cpu_ms"] / v[b, "cpu_ms"],
			    v[a, "rss_bytes"] / v[b, "rss_bytes"]
	}
}' "$work/results.txt"
