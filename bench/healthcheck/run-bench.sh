#!/bin/sh
# run-bench.sh - the health-check benchmark (make bench-healthcheck): real
# servers on 127/8 checked by TCP and by HTTP, lvsd (the daemon), its check
# engine alone and keepalived one after the other in the same run, for each
# round of BENCH_ROUNDS ("SERVERS:INTERVAL_SECONDS ...").
#
# keepalived needs IPVS, which this host's kernel lacks, so by default both
# run in the VM of tests/vm/run-in-vm.  TCG emulates the kernel ~20x slower
# than the host, so the VM rounds stay below saturation: default
# "100:1 10000:60" (CPU per check at 100 checks/s, memory with 10,000
# servers).  BENCH_WHERE=host measures lvsd's engine alone on the host in
# a namespace, default round "10000:1" (10,000 checks per second).
# BENCH_SECONDS (30) per measurement, BENCH_TYPES ("tcp http"),
# BENCH_WHO ("lvsd engine keepalived").
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
: "${top_srcdir:=$(cd "$here/../.." && pwd -P)}"
: "${top_builddir:=$top_srcdir}"
top_builddir=$(cd "$top_builddir" && pwd -P)
s=${BENCH_SECONDS:-30}
types=${BENCH_TYPES:-tcp http}
work=$top_builddir/bench/healthcheck/work
mkdir -p "$work"
if [ "${BENCH_WHERE:-vm}" = host ]; then
	for r in ${BENCH_ROUNDS:-10000:1}; do
		bash "$here/bench-in-ns.sh" -b "$top_builddir" -n "${r%:*}" \
			-i "${r#*:}" -s "$s" -t "$types" -c engine -w "$work"
	done
	exit 0
fi
command -v keepalived >/dev/null || "$top_srcdir/scripts/install-deps" || true
cmd="ulimit -n 65536"
for r in ${BENCH_ROUNDS:-100:1 10000:60}; do
	cmd="$cmd; bash '$here/bench-in-ns.sh' -b '$top_builddir' -n '${r%:*}' \
		-i '${r#*:}' -s '$s' -t '$types' -c '${BENCH_WHO:-lvsd engine keepalived}' -w '$work'"
done
exec bash "$top_srcdir/tests/vm/run-in-vm" --mem "${BENCH_MEM:-2048}" \
	--share "$top_builddir" --share "$top_srcdir" -- bash -c "$cmd"
