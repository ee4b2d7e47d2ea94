#!/bin/sh
# lvsd's own announcement (an `announce` block) through BIRD 2: a director
# (lvsd with an IPVS dry run, and BIRD with etc/bird-lvsd.conf), a router
# (BIRD with etc/bird-router-ecmp.conf) and two real servers on a switch.
# lvsd's routes appear in its table with its protocol, the director's
# BIRD learns them and the router gets them over BGP; `lvsctl withdraw`
# takes them off the router and `lvsctl restore` brings them back (status
# and metrics say so; the withdrawal survives a restart); a reload adds
# and removes an address (IPv4 and IPv6) without touching the others; a service whose
# health checks fall below its quorum takes its address off the router,
# the other address stays; SIGTERM removes the routes first (the address
# stays on lo for stop_delay); a kill -9 of the parent has the failover
# process withdraw; after a kill -9 of both the routes stay, and the next
# start removes a stale one and keeps the wanted ones (no flap).
. "$(dirname "$0")/announce/lib.sh"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
command -v bird >/dev/null && command -v birdc >/dev/null || skip "no BIRD 2 (bird2)"
command -v python3 >/dev/null || skip "no python3"
LVSD=$top_builddir/lvsd
LVSCTL=$top_builddir/lvsctl
[ -x "$LVSD" ] && [ -x "$LVSCTL" ] || skip "build lvsd first"
export LVSCTL_SOCKET="$T/run/lvsd.sock"
ms() { echo $(($(date +%s%N) / 1000000)); }

new_ns sw
new_ns d
new_ns r
new_ns s
in_ns sw ip link add br0 type bridge
in_ns sw ip link set br0 up
i=1
for n in r d s; do
	in_ns sw ip link add "p$n" type veth peer name eth0 netns "$NS-$n"
	in_ns sw ip link set "p$n" master br0 up
	in_ns $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	in_ns $n ip addr add "10.77.0.$i/24" dev eth0
	in_ns $n ip addr add "fd00:77::$i/64" dev eth0 nodad
	in_ns $n ip link set eth0 up
	i=$((i + 1))
done
in_ns s ip addr add 10.77.0.11/24 dev eth0
in_ns s ip addr add 10.77.0.12/24 dev eth0

# rs N: a real server's listener (TCP health checks reach it)
rs() {
	ip netns exec "$NS-s" python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 8080)); s.listen(64)
while True:
    c, _ = s.accept(); c.close()' "10.77.0.1$1" &
	eval "RS$1=$!"
	PIDS="$PIDS $!"
}
# wait_rs N: until real server N accepts (python starts slowly on a
# loaded machine; a check that finds no listener marks the server down)
wait_rs() {
	_end=$(($(ms) + 10000))
	until in_ns s python3 -c 'import socket, sys; socket.create_connection((sys.argv[1], 8080), 1)' \
	    "10.77.0.1$1" 2>/dev/null; do
		[ "$(ms)" -lt $_end ] || fail "rs$1's listener did not start"
		sleep 0.1
	done
}
rs 1
rs 2
wait_rs 1
wait_rs 2

BFD_MS=200 BFD_MULT=5
conf() { sh "$(dirname "$0")/announce/birdconf.sh" "$@" BFD_MS=$BFD_MS BFD_MULT=$BFD_MULT; }
conf "$top_srcdir/etc/bird-lvsd.conf" "$T/d.conf" "$T/d-bird.log" LVSD_PROTO=201 \
	LOCAL4=10.77.0.2 ROUTER4=10.77.0.1 LOCAL6=fd00:77::2 ROUTER6=fd00:77::1
conf "$top_srcdir/etc/bird-router-ecmp.conf" "$T/r.conf" "$T/r-bird.log" \
	LOCAL4=10.77.0.1 DIRECTORS4=10.77.0.0/24 LOCAL6=fd00:77::1 DIRECTORS6=fd00:77::/64
for n in d r; do
	in_ns $n bird -c "$T/$n.conf" -s "$T/$n.ctl" -P "$T/$n.pid" ||
		fail "BIRD did not start in $n"
	PIDS="$PIDS $(cat "$T/$n.pid")"
done

cat >"$T/lvs.cf" <<'CF'
heartbeat = 0
network = direct
ipvs_sloppy_tcp = 1
announce {
    table = 200
    protocol = 201
    stop_delay = 1s
}
virtual web {
    address = 10.0.0.100
    port = 80
    scheduler = mh
    hash_fallback = 1
    quiesce_server = 1
    quorum = 2
    check = tcp
    check_port = 8080
    check_initial = up
    check_interval = 200ms
    check_timeout = 500ms
    check_rise = 1
    check_fall = 1
    server rs1 {
        address = 10.77.0.11
    }
    server rs2 {
        address = 10.77.0.12
    }
}
virtual api {
    address = 10.0.0.101
    port = 80
    scheduler = mh
    hash_fallback = 1
    quiesce_server = 1
    check = none
    server rs1 {
        address = 10.77.0.11
    }
}
CF
"$LVSD" -t -f "$T/lvs.cf" || fail "lvsd -t refuses the test's lvs.cf"

# lvsd in the director's namespace; waits for "ready"
start_lvsd() {
	_n=$(nlines lvsd ' ready: ')
	ip netns exec "$NS-d" "$LVSD" -n -f "$T/lvs.cf" --ipvs-dry-run \
	    --state-dir "$T/run" --lib-dir "$T/lib" 2>>"$T/lvsd.log" &
	LVSD_PID=$!
	PIDS="$PIDS $!"
	wait_lines lvsd ' ready: ' "$_n" 10 || fail "lvsd did not start"
}
bc() { _n=$1; shift; birdc -s "$T/$_n.ctl" "$@"; }
# rib NS: the IPv4 prefixes in that BIRD's tables, sorted, one line
rib() { bc "$1" show route | awk '$2 == "unicast" && $1 !~ /:/ { print $1 }' | sort | tr '\n' ' ' | sed 's/ $//'; }
wait_rib() {
	_end=$(($(ms) + $3 * 1000))
	while [ "$(rib "$1")" != "$2" ]; do
		[ "$(ms)" -lt $_end ] ||
			fail "BIRD in $1: expected '$2', has '$(rib "$1")' after $3 s"
		sleep 0.02
	done
}
# timed NAME CMD...: runs CMD, says how long it took
timed() { _t=$(ms); _w=$1; shift; "$@"; echo "   $_w: $(($(ms) - _t)) ms"; }

: >"$T/lvsd.log"
start_lvsd
wait_routes d 200 "10.0.0.100 10.0.0.101" 10
in_ns d ip route show table 200 | grep -q "10.0.0.100 dev lo proto 201 scope link" ||
	fail "route not as expected: $(in_ns d ip route show table 200)"
has_addr d lo 10.0.0.100 && has_addr d lo 10.0.0.101 || fail "addresses not on lo"
pass "lvsd holds both addresses on lo and routes them in table 200, protocol 201"
wait_rib d "10.0.0.100/32 10.0.0.101/32" 10
pass "the director's BIRD learns lvsd's routes"
_end=$(($(ms) + 60000))
until [ "$(rib r)" = "10.0.0.100/32 10.0.0.101/32" ]; do
	[ "$(ms)" -lt $_end ] || fail "router has '$(rib r)' after 60 s: $(bc r show protocols)"
	sleep 0.1
done
in_ns r ip route show 10.0.0.100 | grep -q "via 10.77.0.2 dev eth0 proto bird" ||
	fail "router's kernel lacks the route: $(in_ns r ip route)"
in_ns r ping -c 1 -W 2 10.0.0.100 >/dev/null || fail "router cannot reach 10.0.0.100"
pass "the router gets them over BGP and reaches 10.0.0.100 through the director"

timed "withdrawal seen by the router" sh -c "'$LVSCTL' withdraw --reason 'kernel upgrade' >/dev/null" 
expect_routes d 200 ""
wait_rib r "" 5
has_addr d lo 10.0.0.100 || fail "withdraw removed the address"
"$LVSCTL" status >"$T/status"
grep -q "10.0.0.100 .* withdrawn .*director withdrawn" "$T/status" &&
	grep -q "withdrawn by .* (reason: kernel upgrade)" "$T/status" ||
	fail "status does not show the withdrawal: $(cat "$T/status")"
"$LVSCTL" metrics >"$T/metrics"
grep -qx 'lvsd_announce_withdrawn 1' "$T/metrics" &&
	grep -qx 'lvsd_vip_announced{vip="10.0.0.100"} 0' "$T/metrics" ||
	fail "metrics: $(grep announce "$T/metrics")"
pass "lvsctl withdraw: routes gone, router loses the path, addresses stay; status and metrics say so"

kill "$LVSD_PID"; wait "$LVSD_PID"
start_lvsd
sleep 1
expect_routes d 200 ""
grep -q '"override": *"withdraw"' "$T/lib/overrides.json" || fail "overrides.json: $(cat "$T/lib/overrides.json")"
pass "the withdrawal survives a restart (overrides.json)"

t0=$(ms)
"$LVSCTL" restore >/dev/null || fail "lvsctl restore failed"
wait_rib r "10.0.0.100/32 10.0.0.101/32" 10
echo "   restore seen by the router after $(($(ms) - t0)) ms"
"$LVSCTL" metrics | grep -qx 'lvsd_vip_announced{vip="10.0.0.100"} 1' || fail "metrics after restore"
pass "lvsctl restore: the router gets the routes back"

# reload: a new service's address (IPv6 too) is held and announced, and
# goes again with it; the others never leave the router meanwhile
cp "$T/lvs.cf" "$T/lvs.cf.orig"
cat >>"$T/lvs.cf" <<'CF'
virtual new {
    address = 10.0.0.102
    port = 80
    scheduler = mh
    hash_fallback = 1
    quiesce_server = 1
    check = none
    server rs1 {
        address = 10.77.0.11
    }
}
virtual new6 {
    address = fd00::102
    port = 80
    scheduler = mh
    hash_fallback = 1
    quiesce_server = 1
    check = none
    server rs1 {
        address = fd00:77::11
    }
}
CF
in_ns r ip monitor route >"$T/monitor-r" 2>&1 &
MON=$!
PIDS="$PIDS $MON"
"$LVSCTL" reload >/dev/null || fail "reload with new services refused"
wait_routes d 200 "10.0.0.100 10.0.0.101 10.0.0.102 fd00::102" 10
wait_rib r "10.0.0.100/32 10.0.0.101/32 10.0.0.102/32" 10
_end=$(($(ms) + 10000))
until bc r show route | grep -q "^fd00::102/128"; do
	[ "$(ms)" -lt $_end ] || fail "router lacks fd00::102/128: $(bc r show route)"
	sleep 0.05
done
has_addr d lo fd00::102 || fail "fd00::102 not on lo"
cp "$T/lvs.cf.orig" "$T/lvs.cf"
"$LVSCTL" reload >/dev/null || fail "reload back refused"
wait_routes d 200 "10.0.0.100 10.0.0.101" 10
wait_rib r "10.0.0.100/32 10.0.0.101/32" 10
has_addr d lo 10.0.0.102 && fail "10.0.0.102 stayed on lo"
kill "$MON"
grep -q "^Deleted 10.0.0.10[01] " "$T/monitor-r" &&
	fail "the router lost a kept address during the reloads: $(cat "$T/monitor-r")"
pass "reload: new addresses (IPv4, IPv6) held and announced, removed with their services; the others stay"

# the failover process dies: a new one takes over its routes, no flap
FO=$("$LVSCTL" status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["processes"]["failover"])')
in_ns d ip monitor route >"$T/monitor-d" 2>&1 &
MON=$!
PIDS="$PIDS $MON"
kill -9 "$FO"
_end=$(($(ms) + 10000))
until NEW=$("$LVSCTL" status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["processes"]["failover"])') &&
    [ "$NEW" -gt 0 ] && [ "$NEW" != "$FO" ]; do
	[ "$(ms)" -lt $_end ] || fail "no new failover process after 10 s"
	sleep 0.1
done
sleep 1
kill "$MON"
expect_routes d 200 "10.0.0.100 10.0.0.101"
[ "$(rib r)" = "10.0.0.100/32 10.0.0.101/32" ] || fail "router: $(rib r)"
grep -q "^Deleted 10.0.0.10[01] " "$T/monitor-d" &&
	fail "a route flapped when the failover process was replaced: $(cat "$T/monitor-d")"
pass "the failover process killed: a new one (pid $NEW) keeps the routes without a flap"

t0=$(ms)
kill "$RS2"; wait "$RS2" 2>/dev/null
wait_routes d 200 "10.0.0.101" 10
wait_rib r "10.0.0.101/32" 5
echo "   below quorum, seen by the router after $(($(ms) - t0)) ms"
"$LVSCTL" status | grep -q "10.0.0.100 .* withdrawn .*web: 1/2 healthy, quorum 2; below quorum" ||
	fail "status: $("$LVSCTL" status)"
grep -q "below its quorum 2: not announced" "$T/lvsd.log" || fail "no log line for the quorum"
rs 2
wait_rib r "10.0.0.100/32 10.0.0.101/32" 10
pass "web below its quorum (1 of 2): 10.0.0.100 off the router, 10.0.0.101 stays; back when rs2 is"

# SIGTERM: the router loses the routes while the address is still held
t0=$(ms)	# before the signal: a loaded machine may fork date late
kill -TERM "$LVSD_PID"
wait_rib r "" 5
t_rib=$(ms)
has_addr d lo 10.0.0.100 || fail "the address went before the router lost the route"
wait "$LVSD_PID"
t_exit=$(ms)
has_addr d lo 10.0.0.100 && fail "the address stayed after the stop"
expect_routes d 200 ""
echo "   SIGTERM: router without the routes after $((t_rib - t0)) ms, lvsd gone after $((t_exit - t0)) ms (stop_delay 1000 ms)"
[ $((t_exit - t0)) -ge 1000 ] || fail "lvsd stopped before stop_delay"
pass "SIGTERM: routes first (the address stays stop_delay), then the rest"

# kill -9 of the parent alone: the failover process withdraws (nobody
# checks the real servers any more), as a VRRP master releases
start_lvsd
wait_routes d 200 "10.0.0.100 10.0.0.101" 10
kill -9 "$LVSD_PID"; wait "$LVSD_PID" 2>/dev/null
wait_routes d 200 "" 5
pass "kill -9 of lvsd's parent: its failover process withdraws the routes"

# kill -9 of every lvsd process (a crash): the routes stay; the next
# start removes a stale one only.  (With check_initial = down, the
# default, an address whose services lack their quorum until the first
# checks pass is withdrawn meanwhile: up is assumed here.)
start_lvsd
wait_routes d 200 "10.0.0.100 10.0.0.101" 10
FO=$("$LVSCTL" status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["processes"]["failover"])')
[ "$FO" -gt 0 ] || fail "no failover process pid"
kill -STOP "$LVSD_PID" "$FO"
kill -9 "$LVSD_PID" "$FO"; wait "$LVSD_PID" 2>/dev/null
sleep 0.5
expect_routes d 200 "10.0.0.100 10.0.0.101"
in_ns d ip route add 10.0.0.199 dev lo table 200 proto 201 scope link
in_ns d ip route add 10.0.0.198 dev lo table 200 proto static scope link
in_ns d ip monitor route >"$T/monitor" 2>&1 &
MON=$!
PIDS="$PIDS $MON"
sleep 0.2
start_lvsd
wait_routes d 200 "10.0.0.100 10.0.0.101 10.0.0.198" 10
sleep 0.5
kill "$MON"
grep -q "^Deleted 10.0.0.199" "$T/monitor" || fail "the stale route was not removed: $(cat "$T/monitor")"
grep -q "^Deleted 10.0.0.10[01] " "$T/monitor" && fail "a wanted route flapped at start: $(cat "$T/monitor")"
pass "after kill -9 the routes stay; the next start removes the stale one, keeps the wanted ones and another protocol's"
kill "$LVSD_PID"; wait "$LVSD_PID"
in_ns d ip route flush table 200 2>/dev/null

# A start holds an address until every real server of its services is
# up (announced with a server still down it would hash over another `mh`
# table than the other directors'), at most the checks' longest
# interval x rise + timeout (here 1 s x 1 + 8 s): rs2 down, quorum 1,
# servers down until checked.
sed -i -e 's/^    quorum = 2$/    quorum = 1/' -e 's/^    check_initial = up$/    check_initial = down/' \
    -e 's/^    check_interval = 200ms$/    check_interval = 1s/' \
    -e 's/^    check_timeout = 500ms$/    check_timeout = 8s/' "$T/lvs.cf"
kill "$RS2"; wait "$RS2" 2>/dev/null
t0=$(ms)
start_lvsd
sleep 3
# (api's address has every server up: announced at once)
expect_routes d 200 "10.0.0.101"
"$LVSCTL" status | grep -q "10.0.0.100 .*withdrawn .*held until every real server is up" ||
	fail "status while starting: $("$LVSCTL" status)"
wait_routes d 200 "10.0.0.100 10.0.0.101" 15
echo "   rs2 down: announced $(($(ms) - t0)) ms after the start (the checks' bound: 9000 ms)"
[ $(($(ms) - t0)) -ge 8500 ] || fail "announced before the checks' bound with rs2 down"
grep -q "announce: 10.0.0.100: virtual .web. has 1 of 2 real servers (quorum 1): held until every one is up" "$T/lvsd.log" &&
    grep -q "announce: 10.0.0.100: virtual .web. has 1 of 2 real servers (quorum 1): announced" "$T/lvsd.log" ||
	fail "no log lines for the hold and its end"
kill "$LVSD_PID"; wait "$LVSD_PID"
in_ns d ip route flush table 200 2>/dev/null
rs 2
wait_rs 2
t0=$(ms)
start_lvsd
wait_routes d 200 "10.0.0.100 10.0.0.101" 10
echo "   rs2 up: announced $(($(ms) - t0)) ms after the start"
[ $(($(ms) - t0)) -lt 8000 ] || fail "every server up, yet not announced before the checks' bound"
pass "a start announces an address once every real server is up, or after the checks' bound (rs2 down)"
kill "$LVSD_PID"; wait "$LVSD_PID"
# (a build with --enable-sanitizers reports to lvsd's log, every run's)
grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error' "$T/lvsd.log" &&
	fail "a sanitizer report in lvsd's log"
exit 0
