#!/bin/sh
# run-bench.sh - the IPVS apply benchmark (make bench-ipvs-apply): generate a
# table of BENCH_SERVICES (10000) virtual services x BENCH_RS (4) NAT real
# servers as lvs.cf, keepalived.conf and ipvsadm-restore input (gen.py),
# then boot one VM (tests/vm/run-in-vm) and measure in it, BENCH_RUNS (3)
# rounds, each contender in a fresh network namespace: (b) ipvsadm -R,
# (f) the floor (ipvs-floor: one socket, batched requests, each acked),
# (v) lvsd's virtual addresses through vip-floor (the same, rtnetlink),
# (c) keepalived, (e) keepalived reloading a 1 % change, and (a)/(d) lvsd
# starting and reloading the same change once it programs IPVS. Prints a
# table of medians and their ratios to (b). BENCH_ONLY=b,f,v,c,e,a picks
# contenders (bench/reload: c,e,a).
# Times are TCG-emulated: compare ratios within one run, not absolute times
# with other machines.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
: "${top_srcdir:=$(cd "$here/../.." && pwd -P)}"
: "${top_builddir:=$top_srcdir}"
top_srcdir=$(cd "$top_srcdir" && pwd -P)
top_builddir=$(cd "$top_builddir" && pwd -P)
work=$top_builddir/bench/ipvs-apply/work
mkdir -p "$work"
python3 "$top_srcdir/bench/ipvs-apply/gen.py" --services "${BENCH_SERVICES:-10000}" \
	--rs "${BENCH_RS:-4}" --edits "${BENCH_EDITS:-400}" "$work"
command -v keepalived >/dev/null || "$top_srcdir/scripts/install-deps" || true
t0=$(date +%s)
rc=0
bash "$top_srcdir/tests/vm/run-in-vm" --mem "${BENCH_MEM:-2048}" \
	--share "$top_srcdir" --share "$top_builddir" -- \
	/usr/bin/python3 "$top_srcdir/bench/ipvs-apply/bench-in-vm.py" --dir "$work" \
	--runs "${BENCH_RUNS:-3}" --lvsd "$top_builddir/lvsd" \
	--floor "$top_builddir/bench/ipvs-apply/ipvs-floor" \
	--vip-floor "$top_builddir/bench/vips/vip-floor" --only "${BENCH_ONLY:-b,f,v,c,e,a}" || rc=$?
echo "bench-ipvs-apply: VM wall time $(($(date +%s) - t0)) s, exit status $rc"
exit $rc
