#!/bin/bash
# bench-in-ns.sh - one health-check benchmark round, each contender alone in
# a fresh network namespace: N real servers (addresses 127.1.0.1 and up,
# all answered by one bench-srv on port 80) checked every second by TCP
# connect and by HTTP GET.  Contenders: lvsd's check engine (through
# tests/netns/hc/hc-run, the same code the daemon links) and keepalived
# (TCP_CHECK / HTTP_GET, delay_loop 1, needs IPVS: run it in the VM).
#
#   bench-in-ns.sh -b BUILDDIR [-n N] [-i INTERVAL] [-s SECONDS] [-t "tcp http"]
#                  [-c "lvsd keepalived"] [-w WORKDIR]
#
# CPU is user+sys of the contender's processes per wall second between the
# end of the warm-up and the end of the run; RSS the sum of VmRSS at the end;
# start jitter p99 how late lvsd started checks against their schedule.
set -u
N=10000 S=30 I=1 TYPES="tcp http" WHO="lvsd keepalived" B= W=/tmp/hc-bench.$$
while getopts "b:i:n:s:t:c:w:" o; do
	case $o in
	b) B=$OPTARG ;; i) I=$OPTARG ;; n) N=$OPTARG ;; s) S=$OPTARG ;;
	t) TYPES=$OPTARG ;;
	c) WHO=$OPTARG ;; w) W=$OPTARG ;; *) exit 2 ;;
	esac
done
[ -n "$B" ] || { echo "usage: $0 -b BUILDDIR [...]" >&2; exit 2; }
mkdir -p "$W"
HZ=$(getconf CLK_TCK)
WARM=$((S / 3))

# user and sys ticks summed over the given pids
ticks() {
	local u=0 s=0 p f
	for p in "$@"; do
		f=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) || continue
		u=$((u + ${f% *})); s=$((s + ${f#* }))
	done
	echo "$u $s"
}
rss_kb() {
	local t=0 p r
	for p in "$@"; do
		r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		t=$((t + ${r:-0}))
	done
	echo $t
}

gen_keepalived() {	# type file
	local i=0 vs
	{
		printf "global_defs {\n  router_id hcbench\n}\n"
		while [ $i -lt "$N" ]; do
			vs=$((i / 100))
			echo "virtual_server 10.200.$((vs / 250)).$((vs % 250 + 1)) 80 {"
			echo "  delay_loop $I"
			echo "  lb_algo rr"
			echo "  lb_kind NAT"
			echo "  protocol TCP"
			for _ in $(seq 1 100); do
				[ $i -lt "$N" ] || break
				a=$((16777216 * 127 + 65536 + i + 1))
				ip="$((a >> 24 & 255)).$((a >> 16 & 255)).$((a >> 8 & 255)).$((a & 255))"
				echo "  real_server $ip 80 {"
				echo "    weight 1"
				if [ "$1" = tcp ]; then
					echo "    TCP_CHECK {"
				else
					echo "    HTTP_GET {"
					echo "      url {"
					echo "        path /"
					echo "        status_code 200"
					echo "      }"
				fi
				echo "      connect_timeout 3"
				echo "    }"
				echo "  }"
				i=$((i + 1))
			done
			echo "}"
		done
	} > "$2"
}

# Prints: contender type N cpu% user% sys% us/check rss_MB lag_p99_ms up
one() {	# contender type
	local ns=hcbench-$$-$1-$2 pids u0 s0 t0 u1 s1 t1 rss up lag="-" out
	out=$W/$1-$2
	ip netns add "$ns" && ip -n "$ns" link set lo up
	# keepalived's IPVS needs a unicast route for its real servers.
	ip -n "$ns" link add vm0 type dummy 2>/dev/null && ip -n "$ns" link set vm0 up &&
		ip -n "$ns" addr add 10.199.0.1/24 dev vm0 && ip -n "$ns" route add default dev vm0
	ip netns exec "$ns" "$B/bench/healthcheck/bench-srv" 80 &
	local srv=$!
	sleep 0.5
	if [ "$1" = lvsd ]; then
		ip netns exec "$ns" "$B/tests/netns/hc/hc-run" -q -n "$N" -d 0 \
			type="$2" addr=127.1.0.1 port=80 interval=$((I * 1000)) \
			timeout=3000 connect=3000 jitter=$((I * 1000)) > "$out.out" 2> "$out.err" &
		sleep 0.5
		pids=$(pgrep -f "^$B/tests/netns/hc/hc-run -q -n $N -d 0 ")
	else
		gen_keepalived "$2" "$out.conf"
		ip netns exec "$ns" keepalived -n -C -l -f "$out.conf" -p "$W/ka.pid" \
			-c "$W/ka-check.pid" > "$out.err" 2>&1 &
		sleep 1
		pids=$(pgrep -x keepalived)
	fi
	if [ "$1" = keepalived ]; then
		# Under TCG keepalived needs minutes to activate 10,000 checkers:
		# measure once all are running.
		local i=0
		while [ "$(grep -c "Activating healthchecker" "$out.err")" -lt "$N" ] &&
		    [ $i -lt 600 ]; do
			sleep 1; i=$((i + 1))
		done
	fi
	sleep "$WARM"
	# Again: keepalived's checker child exists only after a while.
	[ "$1" = keepalived ] && pids=$(pgrep -x keepalived)
	pids=$(echo $pids)
	read -r u0 s0 < <(ticks $pids); t0=$(date +%s.%N)
	sleep $((S - WARM))
	read -r u1 s1 < <(ticks $pids); t1=$(date +%s.%N)
	rss=$(rss_kb $pids)
	kill $pids 2>/dev/null
	for p in $pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
	if [ "$1" = lvsd ]; then
		up=$(sed -n 's/^SUMMARY .* up=\([0-9]*\) .*/\1/p' "$out.out")
		lag=$(sed -n 's/^LAG .*p99=\([0-9]*\) .*/\1/p' "$out.out")
		lag=$(awk -v l="${lag:-0}" 'BEGIN { printf "%.1f", l / 1000 }')
	else
		# keepalived starts servers up and logs only their failures.
		up=$((N - $(grep -E "failed|[Tt]imeout|Removing service" "$out.err" |
			grep -oE "\[127\.[0-9.]+\]" | sort -u | wc -l)))
	fi
	kill "$srv"; wait "$srv" 2>/dev/null
	ip netns del "$ns"
	awk -v c="$1" -v ty="$2" -v n="$N" -v du=$((u1 - u0)) -v ds=$((s1 - s0)) \
	    -v hz="$HZ" -v t="$(echo "$t1 - $t0" | bc)" -v rss="$rss" -v lag="$lag" \
	    -v up="$up" -v iv="$I" 'BEGIN {
		printf "%-10s %-5s %6d %7.1f %7.1f %7.1f %9.0f %8.1f %9s %6s\n", c, ty,
		    n, (du + ds) / hz / t * 100, du / hz / t * 100, ds / hz / t * 100,
		    (du + ds) / hz / t * 1e6 / (n / iv), rss / 1024, lag, up }'
}

echo "servers=$N, checked every $I s, measured over $((S - WARM)) s after $WARM s"
printf "%-10s %-5s %6s %7s %7s %7s %9s %8s %9s %6s\n" contender type servers \
	"cpu%" "user%" "sys%" "us/check" "rss_MB" "p99_ms" up
for t in $TYPES; do
	for c in $WHO; do
		if [ "$c" = keepalived ] && ! command -v keepalived >/dev/null; then
			echo "keepalived not installed"; continue
		fi
		one "$c" "$t"
	done
done
