#!/bin/bash
# bench-in-ns.sh - one health-check benchmark round, each contender alone in
# a fresh network namespace: N real servers (addresses 127.1.0.1 and up,
# all answered by one bench-srv on port 80) checked every second by TCP
# connect and by HTTP GET.  Contenders: lvsd, the daemon (its checks run in
# the process `lvsd: checks`; the parent gets their results and programs
# IPVS), lvsd's check engine alone (`engine`: tests/netns/hc/hc-run, the
# same code, which reports the start jitter) and keepalived (TCP_CHECK /
# HTTP_GET, delay_loop 1).  lvsd and keepalived need IPVS: run them in the
# VM.
#
#   bench-in-ns.sh -b BUILDDIR [-n N] [-i INTERVAL] [-s SECONDS] [-t "tcp http"]
#                  [-c "lvsd engine keepalived"] [-w WORKDIR]
#
# CPU is user+sys of the contender's processes per wall second between the
# end of the warm-up and the end of the run; RSS the sum of VmRSS at the end
# (PSS too: pages a process shares with others count by share); start
# jitter p99 how late the engine started checks against their schedule.
# The lvsd processes measured are the parent and `lvsd: checks`; the
# failover process (lvsd: failover) is reported apart, in the notes.
set -u
N=10000 S=30 I=1 TYPES="tcp http" WHO="lvsd engine keepalived" B= W=/tmp/hc-bench.$$
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
pss_kb() {
	local t=0 p r
	for p in "$@"; do
		r=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
		t=$((t + ${r:-0}))
	done
	echo $t
}

# lvs.cf of N real servers, 100 per virtual service, as gen_keepalived
gen_lvs() {	# type file
	awk -v n="$N" -v type="$1" -v iv="$I" 'BEGIN {
		print "serial_no = 1\nprimary = 10.199.0.1"
		# no periodic re-read of the kernel table (keepalived has none)
		print "ipvs_resync_interval = 0"
		for (i = 0; i < n; i++) {
			vs = int(i / 100)
			if (i % 100 == 0) {
				if (i > 0)
					print "}"
				printf "virtual vs%d {\n    address = 10.200.%d.%d\n", vs,
				    int(vs / 250), vs % 250 + 1
				printf "    port = 80\n    scheduler = rr\n    check = %s\n", type
				printf "    check_interval = %ds\n    check_timeout = 3s\n", iv
				print "    check_connect_timeout = 3s"
			}
			a = i + 1
			printf "    server rs%d {\n        address = 127.1.%d.%d\n", i,
			    int(a / 256) % 256, a % 256
			print "        port = 80\n    }"
		}
		print "}"
	}' > "$2"
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
	if [ "$1" = engine ]; then
		ip netns exec "$ns" "$B/tests/netns/hc/hc-run" -q -n "$N" -d 0 \
			type="$2" addr=127.1.0.1 port=80 interval=$((I * 1000)) \
			timeout=3000 connect=3000 jitter=$((I * 1000)) > "$out.out" 2> "$out.err" &
		sleep 0.5
		pids=$(pgrep -f "^$B/tests/netns/hc/hc-run -q -n $N -d 0 ")
	elif [ "$1" = lvsd ]; then
		gen_lvs "$2" "$out.cf"
		# state (the control socket) on a local file system, not 9p
		local st
		st=$(mktemp -d /tmp/hcbench-lvsd.XXXXXX)
		ip netns exec "$ns" "$B/lvsd" -n -f "$out.cf" --role primary \
			--state-dir "$st/state" --lib-dir "$st/lib" > "$out.out" 2> "$out.err" &
		local parent=$! i=0
		while ! grep -q " ready: " "$out.err" && [ $i -lt 600 ]; do
			sleep 1; i=$((i + 1))
		done
		pids="$parent $(pgrep -P "$parent" -x lvsd-checks)"
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
	pss=$(pss_kb $pids)
	if [ "$1" = lvsd ]; then
		local fo
		fo=$(pgrep -P "${pids%% *}" -x lvsd-failover)
		[ -z "$fo" ] || echo "# lvsd $2: failover process (not counted): RSS $(rss_kb $fo) kB, PSS $(pss_kb $fo) kB" >&2
		# the servers up: their first success was logged as UP
		up=$(grep -c " UP: " "$out.err")
	fi
	kill $pids 2>/dev/null
	for p in $pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
	if [ "$1" = lvsd ]; then
		:
	elif [ "$1" = engine ]; then
		up=$(sed -n 's/^SUMMARY .* up=\([0-9]*\) .*/\1/p' "$out.out")
		lag=$(sed -n 's/^LAG .*p99=\([0-9]*\) .*/\1/p' "$out.out")
		lag=$(awk -v l="${lag:-0}" 'BEGIN { printf "%.1f", l / 1000 }')
	else
		# keepalived starts servers up and logs only their failures.
		up=$((N - $(grep -E "failed|[Tt]imeout|Removing service" "$out.err" |
			grep -oE "\[127\.[0-9.]+\]" | sort -u | wc -l)))
	fi
	kill "$srv"; wait "$srv" 2>/dev/null
	[ "$1" != lvsd ] || rm -rf "$st"
	ip netns del "$ns"
	awk -v c="$1" -v ty="$2" -v n="$N" -v du=$((u1 - u0)) -v ds=$((s1 - s0)) \
	    -v hz="$HZ" -v t="$(echo "$t1 - $t0" | bc)" -v rss="$rss" -v lag="$lag" \
	    -v up="$up" -v iv="$I" -v pss="$pss" 'BEGIN {
		printf "%-10s %-5s %6d %7.1f %7.1f %7.1f %9.0f %8.1f %8.1f %9s %6s\n", c, ty,
		    n, (du + ds) / hz / t * 100, du / hz / t * 100, ds / hz / t * 100,
		    (du + ds) / hz / t * 1e6 / (n / iv), rss / 1024, pss / 1024, lag, up }'
}

echo "servers=$N, checked every $I s, measured over $((S - WARM)) s after $WARM s"
printf "%-10s %-5s %6s %7s %7s %7s %9s %8s %8s %9s %6s\n" contender type servers \
	"cpu%" "user%" "sys%" "us/check" "rss_MB" "pss_MB" "p99_ms" up
for t in $TYPES; do
	for c in $WHO; do
		if [ "$c" = keepalived ] && ! command -v keepalived >/dev/null; then
			echo "keepalived not installed"; continue
		fi
		one "$c" "$t"
	done
done
