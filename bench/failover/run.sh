#!/bin/sh
# Failover benchmark: two directors on a bridge in network namespaces, first
# lvsd (the daemon itself, from one lvs.cf, IPVS dry-run: this tier runs
# where the kernel may lack IPVS), then Debian's keepalived, interleaved; a
# client sends a UDP probe to the VIP every 5 ms and a responder bound to
# the VIP on each director answers with its name.  The master is killed
# with SIGKILL ROUNDS times; the figure is the time from the kill to the
# first probe answered by the backup.  Also the planned switchovers: a
# clean stop (SIGTERM: priority 0) for both, and lvsd's drill (`lvsctl
# failover`: priority 0 while the daemon keeps running).
#
#   sudo bench/failover/run.sh [ROUNDS]     (top_builddir=... if not ./build)
#   make bench-failover [BENCH_ROUNDS=20]
#
# Advert intervals 1 s and 0.1 s (VRRPv3).  Prints a table in Markdown.
ROUNDS=${1:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:=$(cd "$HERE/../.." && pwd)/build}"
DRIVER=$top_builddir/lvsd
. "$HERE/../../tests/netns/failover/lib.sh"
command -v keepalived >/dev/null || skip "no keepalived"
PROBE=$top_builddir/bench/failover/probe
[ -x "$PROBE" ] || skip "no $PROBE (make bench/failover/probe)"
setup_topo

VIP=192.168.77.100
RES=$T/results
: >"$RES"
for n in a b; do
	ip netns exec "$NS-$n" "$PROBE" serve $n $VIP 7 &
	PIDS="$PIDS $!"
done
ip netns exec "$NS-c" "$PROBE" client $VIP 7 5000 >"$T/probe.log" &
PIDS="$PIDS $!"

# lvs_cf CS: the one file both lvsd directors read (a is the primary)
lvs_cf() {
	cat >"$T/lvs-$1.cf" <<EOC
primary = 192.168.77.1
backup = 192.168.77.2
backup_active = 1
vrrp vi {
    vrid = 51
    advert_int = $(($1 * 10))ms
    priority_primary = 200
    priority_backup = 100
    garp_repeat = 5
    garp_delay = 200ms
}
virtual probe {
    address = $VIP eth0:1
    vip_nmask = 24
    protocol = udp
    port = 7
    check = none
    server rs {
        address = 192.168.77.50
    }
}
EOC
}

# director IMPL NODE PRIO CS: starts it, sets DPIDS to what a kill -9 hits
director() {
	if [ "$1" = lvsd ]; then
		[ -f "$T/lvs-$4.cf" ] || lvs_cf "$4"
		rm -rf "$T/state-$2"
		start "$2" "$2" -n -f "$T/lvs-$4.cf" --ipvs-dry-run \
		    --state-dir "$T/state-$2" --lib-dir "$T/lib-$2"
		DPIDS=$(pid_of "$2")
		return
	fi
	cat >"$T/ka-$2.conf" <<EOC
global_defs {
	router_id ka-$2
}
vrrp_instance VI {
	state BACKUP
	interface eth0
	virtual_router_id 51
	version 3
	priority $3
	advert_int $(awk "BEGIN { print $4 / 100 }")
	virtual_ipaddress {
		$VIP/24 dev eth0 label eth0:1
	}
}
EOC
	rm -f "$T/ka-$2.vpid"
	ip netns exec "$NS-$2" keepalived -n -l -G -P -f "$T/ka-$2.conf" \
	    -p "$T/ka-$2.pid" -r "$T/ka-$2.vpid" -c "$T/ka-$2.cpid" \
	    >"$T/ka-$2.log" 2>&1 &
	kp=$!
	PIDS="$PIDS $kp"
	i=0
	while [ ! -s "$T/ka-$2.vpid" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
	# The VRRP child first: killed after its parent, it would get
	# keepalived's parent-death signal and stop cleanly (priority 0).
	DPIDS="$(cat "$T/ka-$2.vpid" 2>/dev/null) $kp"
}

# answered_by NODE SINCE_MS TIMEOUT_S: waits for "R t NODE" with t > SINCE
answered_by() {
	end=$(($(date +%s) + $3))
	while [ "$(date +%s)" -le $end ]; do
		t=$(awk -v s="$2" -v n="$1" '$1 == "R" && $2 > s && $3 == n { print $2; exit }' "$T/probe.log")
		[ -n "$t" ] && { echo "$t"; return 0; }
		sleep 0.02
	done
	return 1
}

mono() { "$PROBE" now | awk '{ print $2 }'; }

reap() {
	kill -9 "$@" 2>/dev/null
	for p in "$@"; do wait "$p" 2>/dev/null; done
}

# one_round IMPL CS HOW: a master, then HOW (kill9|stop|drill) hits it
one_round() {
	t0=$(mono)
	director "$1" a 200 "$2"
	apids=$DPIDS
	if ! answered_by a "$t0" 15 >/dev/null; then
		echo "$1 $2 $3: a never answered" >&2
		reap $apids
		return 1
	fi
	# Steady state: past the GARP burst of the takeover and the client's
	# ARP locktime (1 s, during which Linux ignores a new MAC for the
	# VIP), at a random phase of the advert timer.
	sleep "$(awk -v c="$2" 'BEGIN { srand(); print 2.2 + c / 100 * rand() }')"
	case $3 in
	kill9) k=$("$PROBE" kill 9 $apids | awk '{ print $2 }') ;;
	stop) k=$("$PROBE" kill 15 $apids | awk '{ print $2 }') ;;
	drill)	# from just before lvsctl starts; a holds backup afterwards
		k=$("$PROBE" now | awk '{ print $2 }')
		"$top_builddir/lvsctl" --socket "$T/state-a/lvsd.sock" failover \
		    --hold 60 >/dev/null || echo "$1 $2 drill refused" >&2 ;;
	esac
	# valid only if a alone was answering when it was hit
	last=$(awk -v k="$k" '$1 == "R" && $2 < k { n = $3 } END { print n }' "$T/probe.log")
	if [ "$last" != a ]; then
		echo "$1 $2 $3 invalid" >>"$RES"
		echo "$1 $2 $3: b was answering before the kill; round discarded" >&2
	elif r=$(answered_by b "$k" 15); then
		echo "$1 $2 $3 $(awk -v r="$r" -v k="$k" 'BEGIN { printf "%.1f", r - k }')" >>"$RES"
	else
		echo "$1 $2 $3: b never answered" >&2
	fi
	reap $apids
}

# Blocks of ROUNDS/4 kills, alternating lvsd and keepalived, so both see
# the same background load on a shared machine.
for cs in 100 10; do
	for blk in 1 2 3 4; do
		for impl in lvsd keepalived; do
			director $impl b 100 $cs
			bpids=$DPIDS
			sleep 0.5
			for i in $(seq $((ROUNDS / 4))); do one_round $impl $cs kill9; done
			for i in 1 2; do one_round $impl $cs stop; done
			if [ $impl = lvsd ]; then
				for i in 1 2; do one_round $impl $cs drill; done
			fi
			kill -15 $bpids 2>/dev/null
			for p in $bpids; do wait "$p" 2>/dev/null; done
		done
	done
done

echo "| director | advert | event | n | min ms | median ms | p95 ms | max ms | master-down ms | discarded |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for impl in lvsd keepalived; do
	for cs in 100 10; do
		for how in kill9 stop drill; do
			grep "^$impl $cs $how [0-9]" "$RES" | awk '{ print $4 }' | sort -n >"$T/v"
			n=$(wc -l <"$T/v")
			bad=$(grep -c "^$impl $cs $how invalid" "$RES")
			[ "$n" -gt 0 ] || continue
			awk -v impl=$impl -v cs=$cs -v how=$how -v n="$n" -v bad="$bad" '
			    { v[NR] = $1 }
			    END {
				md = 3 * cs * 10 + (256 - 100) * cs * 10 / 256
				p95 = v[int(0.95 * n + 0.999)]
				med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
				printf "| %s | %d ms | %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %d |\n",
				    impl, cs * 10, how, n, v[1], med, p95, v[n], md, bad
			    }' "$T/v"
		done
	done
done
cp "$RES" "${RESULTS_OUT:-/tmp/failover-bench-results.txt}"
