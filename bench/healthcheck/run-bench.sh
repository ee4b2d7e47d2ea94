#!/bin/sh
# run-bench.sh - the health-check benchmark (make bench-healthcheck):
# BENCH_SERVERS (10000) real servers checked every second by TCP and by
# HTTP, lvsd's check engine and keepalived one after the other in the same
# run.  keepalived needs IPVS, which this host's kernel lacks, so by default
# both run in the VM of tests/vm/run-in-vm (TCG: compare the contenders
# within one run, not with the host).  BENCH_WHERE=host measures lvsd alone
# on the host in a namespace.  BENCH_INTERVAL (1 s between checks of a
# server), BENCH_SECONDS (30), BENCH_TYPES ("tcp http"),
# BENCH_WHO ("lvsd keepalived").
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
: "${top_srcdir:=$(cd "$here/../.." && pwd -P)}"
: "${top_builddir:=$top_srcdir}"
top_builddir=$(cd "$top_builddir" && pwd -P)
n=${BENCH_SERVERS:-10000}
s=${BENCH_SECONDS:-30}
i=${BENCH_INTERVAL:-1}
types=${BENCH_TYPES:-tcp http}
work=$top_builddir/bench/healthcheck/work
mkdir -p "$work"
if [ "${BENCH_WHERE:-vm}" = host ]; then
	exec bash "$here/bench-in-ns.sh" -b "$top_builddir" -n "$n" -i "$i" -s "$s" \
		-t "$types" -c lvsd -w "$work"
fi
command -v keepalived >/dev/null || "$top_srcdir/scripts/install-deps" || true
exec bash "$top_srcdir/tests/vm/run-in-vm" --mem "${BENCH_MEM:-2048}" \
	--share "$top_builddir" --share "$top_srcdir" -- \
	bash -c "ulimit -n 65536; exec bash '$here/bench-in-ns.sh' -b '$top_builddir' \
		-n '$n' -i '$i' -s '$s' -t '$types' -c '${BENCH_WHO:-lvsd keepalived}' -w '$work'"
