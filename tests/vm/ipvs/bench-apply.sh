#!/bin/bash
# bench-apply.sh - IPVS apply benchmark, run INSIDE the VM (real kernel):
#   tests/vm/run-in-vm --share "$top_srcdir" --share "$top_builddir" -- \
#     env top_builddir="$top_builddir" bash tests/vm/ipvs/bench-apply.sh [N] [RUNS]
# For RUNS rounds (default 3), each measurement in a fresh network
# namespace (IPVS's destination trash would slow a reused one):
#   (a) ipvs-tool: open + apply N services x 4 destinations (NAT) from empty,
#       then in the same run a 1 % change (N*4/100 weights) and a no-op;
#   (b) ipvsadm -R of the identical table (the ipvsadm -Sn dump of (a));
#   (c) keepalived (if installed) with the equivalent keepalived.conf and
#       no checkers: start until the kernel table is complete.
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

# keepalived.conf equivalent to ipvs-tool's "gen N" table
kconf() {
	local i j
	echo 'global_defs { router_id bench }'
	for ((i = 0; i < n; i++)); do
		printf 'virtual_server 10.%d.%d.%d 80 {\n lb_algo wlc\n lb_kind NAT\n protocol TCP\n' \
			$(((i + 1) >> 16)) $((((i + 1) >> 8) & 255)) $(((i + 1) & 255))
		for ((j = 0; j < 4; j++)); do
			local x=$(((j << 12) + i % 4000 + 1))
			printf ' real_server 172.16.%d.%d %d { weight 1 }\n' $((x >> 8)) $((x & 255)) $((8080 + i / 4000))
		done
		echo '}'
	done
}
run_keepalived() { # prints the time in us until the table is complete
	local last=$n
	fresh_ns
	# Polling must not steal the (emulated) CPU from keepalived: reading
	# /proc/net/ip_vs costs O(table); so first wait, cheaply, for the last
	# service's 4 destinations (one small query), then check the count.
	ip netns exec bench bash -c '
		work=$1 want=$2 lastvip=$3
		t0=${EPOCHREALTIME/./}
		keepalived -n -C -l -f "$work/keepalived.conf" \
			-p "$work/k.pid" -c "$work/kc.pid" >"$work/k.log" 2>&1 &
		pid=$!
		while :; do
			kill -0 $pid 2>/dev/null || { echo "keepalived died" >&2; exit 1; }
			if [ "$(ipvsadm -Ln -t "$lastvip:80" 2>/dev/null | grep -c -- "->")" -ge 5 ]; then
				t1=${EPOCHREALTIME/./}
				mapfile -t l </proc/net/ip_vs
				[ ${#l[@]} -ge "$want" ] && break
			fi
			read -r -t 0.3 <>"$work/fifo"
		done
		echo $((t1 - t0))
		kill $pid; wait $pid 2>/dev/null
		exit 0' keepalived-bench "$work" $((3 + n * 5)) \
		"10.$(((last) >> 16)).$((((last) >> 8) & 255)).$(((last) & 255))"
}
have_keepalived=0
mkfifo "$work/fifo"
command -v keepalived >/dev/null && { have_keepalived=1; kconf >"$work/keepalived.conf"; }

a_all="" b_all="" c_all="" d_all="" apply_all=""
for r in $(seq 1 "$runs"); do
	fresh_ns
	rm -f "$work/state"
	t0=$(now_us)
	ip netns exec bench "$tool" -s "$work/state" -h "$n" gen "$n" >"$work/a.out" 2>"$work/a.err" ||
		{ cat "$work/a.err"; exit 1; }
	ta=$(($(now_us) - t0))
	gen=$(grep '^gen' "$work/a.out")
	ip netns exec bench ipvsadm -Sn >"$work/table"
	rules=$(wc -l <"$work/table")
	# a second run: dumps the kernel (mirror), re-applies the same table
	# (must send nothing), then the 1 % change and a no-op
	t0=$(now_us)
	ip netns exec bench "$tool" -s "$work/state" -h "$n" gen "$n" edit "$edits" edit "$edits" \
		>"$work/d.out" 2>"$work/d.err" || { cat "$work/d.err"; exit 1; }
	td=$(($(now_us) - t0))
	regen=$(grep '^gen' "$work/d.out")
	opened=$(grep '^open' "$work/d.out")
	chg=$(grep '^edit' "$work/d.out" | sed -n 1p)
	noop=$(grep '^edit' "$work/d.out" | sed -n 2p)
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
	echo "  restart on the full table ($(ms $td) ms in all): $opened (dump)"
	echo "      same table: $regen"
	echo "  (d) 1% change: $chg"
	echo "      no-op:     $noop"
	echo "  (b) ipvsadm -R: $(ms $tb) ms"
	if [ $have_keepalived = 1 ]; then
		tc=$(run_keepalived) || exit 1
		echo "  (c) keepalived -C start to complete table: $(ms $tc) ms"
		c_all="$c_all $tc"
	fi
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
mc=1
if [ $have_keepalived = 1 ]; then
	mc=$(echo $c_all | tr ' ' '\n' | median)
	echo "  (c) keepalived, no checkers:             $(ms $mc) ms"
fi
awk -v a="$ma" -v b="$mb" -v c="$mc" -v d="$md" -v k=$have_keepalived 'BEGIN {
	printf "  (a)/(b) = %.3f\n", a / b
	if (k) printf "  (a)/(c) = %.3f   (c)/(b) = %.3f\n", a / c, c / b
	printf "  (d) 1%% change: %.3f s = %.2f%% of (a)\n", d, 100 * d * 1e6 / a }'
rm -rf "$work"
