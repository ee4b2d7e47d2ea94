#!/bin/bash
# bench-apply.sh - IPVS apply benchmark, run INSIDE the VM (real kernel):
#   tests/vm/run-in-vm --share "$top_srcdir" --share "$top_builddir" -- \
#     env top_builddir="$top_builddir" bash tests/vm/ipvs/bench-apply.sh [N] [RUNS]
# For RUNS rounds (default 3), each measurement in a fresh network
# namespace (IPVS's destination trash would slow a reused one):
#   (a) ipvs-tool: open + apply N services x 4 destinations (NAT) from empty,
#       then in the same run a 1 % change (N*4/100 weights) and a no-op;
#   (b) ipvsadm -R of the identical table (the ipvsadm -Sn dump of (a)).
# Prints each round and the medians; the ratios compare (a) with (b).
set -u
n=${1:-10000}
runs=${2:-3}
: "${top_builddir:?}"
tool=$top_builddir/tests/vm/ipvs/ipvs-tool
work=$(mktemp -d /tmp/bench-apply.XXXXXX)
edits=$((n * 4 / 100))
modprobe ip_vs
modprobe ip_vs_wlc

now_us() { echo "${EPOCHREALTIME/./}"; }
fresh_ns() {
	ip netns del bench 2>/dev/null
	ip netns add bench
	ip -n bench link set lo up
	ip -n bench link add d0 type dummy
	ip -n bench link set d0 up
	ip -n bench route add default dev d0
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ms() { echo $(($1 / 1000)); }

a_all="" b_all="" d_all="" apply_all=""
for r in $(seq 1 "$runs"); do
	fresh_ns
	t0=$(now_us)
	ip netns exec bench "$tool" -h "$n" gen "$n" edit "$edits" edit "$edits" >"$work/a.out" 2>"$work/a.err" ||
		{ cat "$work/a.err"; exit 1; }
	ta=$(($(now_us) - t0))
	ip netns exec bench ipvsadm -Sn >"$work/table"
	rules=$(wc -l <"$work/table")
	gen=$(grep '^gen' "$work/a.out")
	chg=$(grep '^edit' "$work/a.out" | sed -n 1p)
	noop=$(grep '^edit' "$work/a.out" | sed -n 2p)
	tapply=$(echo "$gen" | sed 's/.*time=\([0-9.]*\)s.*/\1/')
	tchg=$(echo "$chg" | sed 's/.*time=\([0-9.]*\)s.*/\1/')
	fresh_ns
	t0=$(now_us)
	ip netns exec bench ipvsadm -R <"$work/table" || exit 1
	tb=$(($(now_us) - t0))
	[ "$(ip netns exec bench ipvsadm -Sn | wc -l)" = "$rules" ] || { echo "ipvsadm -R lost rules"; exit 1; }
	echo "round $r: rules=$rules"
	echo "  (a) lvsd driver, whole process: $(ms $ta) ms (apply alone ${tapply}s)"
	echo "      $gen"
	echo "  (d) 1% change: $chg"
	echo "      no-op:     $noop"
	echo "  (b) ipvsadm -R: $(ms $tb) ms"
	a_all="$a_all $ta" b_all="$b_all $tb"
	d_all="$d_all $tchg" apply_all="$apply_all $tapply"
done
ip netns del bench
ma=$(echo $a_all | tr ' ' '\n' | median)
mb=$(echo $b_all | tr ' ' '\n' | median)
md=$(echo $d_all | tr ' ' '\n' | median)
mapply=$(echo $apply_all | tr ' ' '\n' | median)
echo "medians over $runs rounds, $n services x 4 destinations:"
echo "  (a) lvsd driver start to complete table: $(ms $ma) ms (apply alone ${mapply}s)"
echo "  (b) ipvsadm -R of the same table:        $(ms $mb) ms"
awk -v a="$ma" -v b="$mb" -v d="$md" 'BEGIN {
	printf "  (a)/(b) = %.3f\n", a / b
	printf "  (d) 1%% change: %.3f s = %.2f%% of (a)\n", d, 100 * d * 1e6 / a }'
rm -rf "$work"
