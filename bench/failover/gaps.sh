#!/bin/sh
# gaps.sh - how late a master's adverts come while it is loaded: the gap
# between consecutive adverts (p99, max) of a VRRP master with
# advert_int 100 ms (the backup takes over after ~360 ms of silence),
# captured by a third host, lvsd and keepalived side by side under the
# loads both have:
#   reload-10000-services  five reloads of a file of 10,000 services x 4
#                          real servers (lvsd: IPVS dry run; keepalived:
#                          -P, its VRRP process re-reads the whole file)
#   reload-300000-errors   a reload of a file with 300,000 bad lines
#   parent-SIGSTOP-5s      the parent process stopped for 5 s
# then lvsd's other loads (tests/netns/lvsd-isolation.sh: 64 clients
# pipelining `dump`, 64 idle clients, an include of a FIFO, 10,000 checks
# flapping), which keepalived has no equivalent of.
#   make bench-failover-gaps [SECONDS_PER_LOAD=20]      (root)
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
DRIVER=$top_builddir/lvsd
KEEP_LOGS=
. "$top_srcdir/tests/netns/failover/lib.sh"
command -v keepalived >/dev/null || skip "no keepalived (scripts/install-deps)"
command -v tcpdump >/dev/null || skip "no tcpdump"
S=${SECONDS_PER_LOAD:-20}
setup_topo
GAPS="python3 $top_srcdir/tests/netns/isolation/gaps.py"
now() { date +%s.%N; }

# big FORMAT FILE: 10,000 services x 4 real servers, lvs.cf or keepalived.conf
big() {
	python3 - "$1" "$2" <<'PY'
import sys
fmt, path = sys.argv[1], sys.argv[2]
out = []
for v in range(10000):
    a = "10.%d.%d.%d" % (100 + v // 62500, v // 250 % 250, v % 250 + 1)
    rs = ["10.99.%d.%d" % ((4 * v + s) // 250 % 250, (4 * v + s) % 250 + 1) for s in range(4)]
    if fmt == "lvs":
        out += ["virtual v%d {" % v, "    address = %s" % a, "    port = 80", "    check = none"]
        out += ["    server s%d {\n        address = %s\n    }" % (s, r) for s, r in enumerate(rs)]
    else:
        out += ["virtual_server %s 80 {" % a, "    lb_algo wlc", "    lb_kind NAT", "    protocol TCP"]
        out += ["    real_server %s 80 {\n        weight 1\n    }" % r for r in rs]
    out += ["}"]
open(path, "w").write("\n".join(out) + "\n")
PY
}
bad() { python3 -c 'print("\n".join("bogus%d = 1" % i for i in range(300000)))' >"$1"; }

capture() {	# adverts from the master, 192.168.77.1
	ip netns exec "$NS-c" tcpdump -lnni eth0 -tt "ip proto 112 and src 192.168.77.1" \
	    >"$T/$1.adverts" 2>/dev/null &
	CAP=$!
	PIDS="$PIDS $CAP"
	sleep 1
}
phase() { echo "$1 $P0 $(now)" >>"$T/$2.phases"; }

# ---- lvsd ---------------------------------------------------------------
lvscf() {
	cat <<-CF
	primary = 192.168.77.1
	backup = 192.168.77.2
	backup_active = 1
	vrrp vi {
	    vrid = 63
	    advert_int = 100ms
	}
	virtual web {
	    address = 192.168.77.100 eth0:1
	    port = 80
	    check = none
	    server rs {
	        address = 10.99.250.1
	    }
	}
	$1
	CF
}
lvscf "" >"$T/lvs.cf"
big lvs "$T/big.cf"
bad "$T/bad.cf"
start a a -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-a"
start b b -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-b"
wait_log a "failover: vi BACKUP -> MASTER" 10 || fail "lvsd: a never became master"
capture lvsd
b0=$(wc -l <"$T/b.log")
ctl() { "$top_builddir/lvsctl" --socket "$T/state-a/lvsd.sock" "$@" >/dev/null 2>&1; }
lvscf "include $T/big.cf" >"$T/lvs.cf"
P0=$(now)
for i in 1 2 3 4 5; do
	sed -i "s/port = 8[0-9]$/port = 8$i/" "$T/big.cf"	# a real change each time
	ctl reload
done
sleep 1
phase reload-10000-services lvsd
lvscf "include $T/bad.cf" >"$T/lvs.cf"
P0=$(now)
ctl reload
sleep 2
phase reload-300000-errors lvsd
P0=$(now)
kill -STOP "$(pid_of a)"; sleep 5; kill -CONT "$(pid_of a)"; sleep 1
phase parent-SIGSTOP-5s lvsd
kill "$CAP"
lvsd_master=$(tail -n +$((b0 + 1)) "$T/b.log" | grep -c "failover: vi BACKUP -> MASTER")
kill "$(pid_of a)" "$(pid_of b)"
wait "$(pid_of a)" "$(pid_of b)" 2>/dev/null

# ---- keepalived ---------------------------------------------------------
big ka "$T/big.conf"
kaconf() { # PRIORITY STATE [INCLUDE]
	cat <<-EOC
	global_defs {
	    router_id $2
	    script_user root
	}
	vrrp_instance VI {
	    state $2
	    interface eth0
	    virtual_router_id 63
	    version 3
	    priority $1
	    advert_int 0.1
	    virtual_ipaddress {
	        192.168.77.100/24 dev eth0 label eth0:1
	    }
	}
	${3:+include $3}
	EOC
}
ka() { # NAME NS PRIORITY STATE
	kaconf "$3" "$4" >"$T/ka-$1.conf"
	: >"$T/ka-$1.log"
	ip netns exec "$NS-$2" keepalived -n -l -D -P -f "$T/ka-$1.conf" \
	    -p "$T/ka-$1.pid" -r "$T/ka-$1-vrrp.pid" -c "$T/ka-$1-chk.pid" \
	    >"$T/ka-$1.log" 2>&1 &
	eval "KA_$1=$!"
	PIDS="$PIDS $!"
}
ka a a 200 MASTER
ka b b 100 BACKUP
i=0
until grep -q "Entering MASTER STATE" "$T/ka-a.log" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "Entering MASTER STATE" "$T/ka-a.log" || fail "keepalived: a never became master"
capture keepalived
b0=$(wc -l <"$T/ka-b.log")
kaconf 200 MASTER "$T/big.conf" >"$T/ka-a.conf"
P0=$(now)
for i in 1 2 3 4 5; do
	sed -i "s/ 8[0-9] {$/ 8$i {/" "$T/big.conf"
	kill -HUP "$KA_a"
	sleep 0.5
done
sleep 1
phase reload-10000-services keepalived
kaconf 200 MASTER "$T/bad.cf" >"$T/ka-a.conf"
P0=$(now)
kill -HUP "$KA_a"
sleep 2
phase reload-300000-errors keepalived
P0=$(now)
kill -STOP "$KA_a"; sleep 5; kill -CONT "$KA_a"; sleep 1
phase parent-SIGSTOP-5s keepalived
kill "$CAP"
ka_master=$(tail -n +$((b0 + 1)) "$T/ka-b.log" | grep -c "Entering MASTER STATE")

echo "advert gaps of the master (advert_int 100 ms), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "-- lvsd (the backup became master $lvsd_master time(s) during the loads)"
$GAPS "$T/lvsd.adverts" "$T/lvsd.phases" 100000
echo "-- keepalived $(keepalived --version 2>&1 | head -1 | awk '{print $2}') (the backup became master $ka_master time(s) during the loads)"
$GAPS "$T/keepalived.adverts" "$T/keepalived.phases" 100000
echo "-- lvsd, its other loads (tests/netns/lvsd-isolation.sh)"
SECONDS_PER_LOAD=$S sh "$top_srcdir/tests/netns/lvsd-isolation.sh" 2>&1 |
	grep -E "adverts|flood:|PASS|FAIL"
