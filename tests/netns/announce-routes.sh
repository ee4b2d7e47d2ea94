#!/bin/sh
# Route announcement (vrrp/announce.c) against the host kernel, read back
# with `ip route show table N`: routes appear, disappear and come back as
# the announced set changes; a withdrawal takes them all and keeps the
# addresses; a kill -9 leaves them, and the restart removes the stale
# ones; a clean stop withdraws, then removes the addresses; routes of
# other protocols or tables are never touched; a missing device is
# reported and the change retried until it appears; a thousand routes go
# in and out in one change each.
. "$(dirname "$0")/announce/lib.sh"
new_ns a
TAB=200
V=$T/vips
A="-t $TAB -p 201"

# Someone else's routes in the same table, and ours in another table.
in_ns a ip route add 10.9.9.9/32 dev lo table $TAB proto static
in_ns a ip route add 10.9.9.8/32 dev lo table 300 proto 201

printf '10.0.0.1\n10.0.0.2\n10.0.0.3 hold\nfd00::1\n' >"$V"
start d a $A -f "$V"
wait_lines d '^READY' 0 5 || fail "driver did not start"
expect_routes a $TAB "10.0.0.1 10.0.0.2 10.9.9.9 fd00::1"
for x in 10.0.0.1 10.0.0.2 10.0.0.3; do has_addr a lo $x || fail "$x not on lo"; done
has_addr a lo fd00::1 || fail "fd00::1 not on lo"
in_ns a ip route show table $TAB | grep -q "^10.0.0.1 dev lo proto 201 scope link" ||
	fail "route not as expected: $(in_ns a ip route show table $TAB)"
pass "start: a host route per announced address, every address on lo"

# The set changes: 10.0.0.1 goes (route and address), 10.0.0.3 is
# announced, fd00::1 is held only, fd00::2 is new.
printf '10.0.0.2\n10.0.0.3\nfd00::1 hold\nfd00::2\n' >"$V"
signal d HUP
expect_routes a $TAB "10.0.0.2 10.0.0.3 10.9.9.9 fd00::2"
has_addr a lo 10.0.0.1 && fail "10.0.0.1 still on lo after it left the set"
has_addr a lo fd00::1 || fail "fd00::1 (held only) left lo"
# and back
printf '10.0.0.1\n10.0.0.2\n10.0.0.3\nfd00::1\nfd00::2\n' >"$V"
signal d HUP
expect_routes a $TAB "10.0.0.1 10.0.0.2 10.0.0.3 10.9.9.9 fd00::1 fd00::2"
grep -q "^STATE .* set rc=0 held=5 announced=5 " "$T/d.log" || fail "state not reported"
pass "routes appear, disappear and come back with the set"

signal d USR1
expect_routes a $TAB "10.9.9.9"
has_addr a lo 10.0.0.2 || fail "a withdrawal removed the addresses"
# a change while withdrawn announces nothing
printf '10.0.0.1\n10.0.0.4\n' >"$V"
signal d HUP
expect_routes a $TAB "10.9.9.9"
has_addr a lo 10.0.0.4 || fail "a change while withdrawn did not add the address"
signal d USR2
expect_routes a $TAB "10.0.0.1 10.0.0.4 10.9.9.9"
pass "withdraw all (addresses kept, sticky across changes), restore"

# Behind the module's back: one of its routes removed, a stray one of
# its protocol added; a resync repairs both.
in_ns a ip route del 10.0.0.4/32 table $TAB
in_ns a ip route add 10.0.0.77/32 dev lo table $TAB proto 201
signal d WINCH
expect_routes a $TAB "10.0.0.1 10.0.0.4 10.9.9.9"
pass "resync: a missing route back, a stray one of its protocol removed"

# kill -9: the routes stay (BIRD would keep announcing them) ...
kill -9 "$(pid_of d)"
wait "$(pid_of d)" 2>/dev/null
expect_routes a $TAB "10.0.0.1 10.0.0.4 10.9.9.9"
# ... and the restart, with 10.0.0.1 out of the set, removes what is stale
# and never withdraws what it keeps.
in_ns a ip monitor route >"$T/monitor.log" 2>&1 &
PIDS="$PIDS $!"
MON=$!
sleep 0.2
printf '10.0.0.4\n10.0.0.5\n' >"$V"
start d a $A -f "$V"
wait_lines d '^READY' 0 5 || fail "driver did not restart"
expect_routes a $TAB "10.0.0.4 10.0.0.5 10.9.9.9"
grep -q "removing 1 route of table $TAB of protocol 201 not wanted (stale)" "$T/d.log" ||
	fail "the restart did not say it removed the stale route"
sleep 0.2
kill "$MON"
grep -q "^Deleted 10.0.0.4" "$T/monitor.log" && fail "the restart withdrew a route it keeps"
grep -q "^Deleted 10.0.0.1" "$T/monitor.log" || fail "monitor saw no deletion of the stale route"
expect_routes a 300 "10.9.9.8"
pass "kill -9 then restart: stale route removed, kept route never withdrawn"

# Clean stop: routes first, then (after -w) the addresses.
kill -9 "$(pid_of d)"
wait "$(pid_of d)" 2>/dev/null
start d a $A -w 1500 -f "$V"
wait_lines d '^READY' 0 5 || fail "driver did not restart"
kill -TERM "$(pid_of d)"
wait_lines d 'STATE .* withdraw ' 0 5 || fail "no withdrawal on stop"
expect_routes a $TAB "10.9.9.9"
has_addr a lo 10.0.0.5 || fail "addresses removed before the grace time"
wait "$(pid_of d)" || fail "driver exited with an error"
has_addr a lo 10.0.0.5 && fail "address left on lo after a clean stop"
expect_routes a $TAB "10.9.9.9"
expect_routes a 300 "10.9.9.8"
pass "clean stop: withdraw first, addresses after the grace time"

# A device that is not there: reported, retried, used once it appears
# (a veth stands in for a dummy device: this kernel may lack the module).
printf '10.0.0.6\n' >"$V"
start e a $A -i vip0 -f "$V"
wait_lines e 'device vip0 for the virtual addresses: No such device' 0 5 ||
	fail "missing device not reported"
grep -q "^STATE .* start rc=-1 .*failing=1" "$T/e.log" || fail "start did not report the failure"
expect_routes a $TAB "10.9.9.9"
in_ns a ip link add vip0 type veth peer name vip0p
in_ns a ip link set vip0p up
in_ns a ip link set vip0 up
wait_routes a $TAB "10.0.0.6 10.9.9.9" 4
in_ns a ip route show table $TAB | grep -q "^10.0.0.6 dev vip0 " || fail "route not through vip0"
has_addr a vip0 10.0.0.6 || fail "address not on vip0"
grep -q "in order again" "$T/e.log" || fail "recovery not logged"
kill -TERM "$(pid_of e)"; wait "$(pid_of e)"
pass "missing device: clear error, retried, used once present"

# A thousand addresses at once, and a withdrawal of all of them.
: >"$V"
i=0
while [ $i -lt 1000 ]; do echo "10.1.$((i / 250)).$((i % 250 + 1))" >>"$V"; i=$((i + 1)); done
start f a $A -f "$V"
wait_lines f '^READY' 0 10 || fail "driver did not start with 1000 addresses"
n=$(in_ns a ip route show table $TAB proto 201 | wc -l)
[ "$n" = 1000 ] || fail "1000 addresses, $n routes"
t0=$(date +%s%N)
signal f USR1
t1=$(date +%s%N)
n=$(in_ns a ip route show table $TAB proto 201 | wc -l)
[ "$n" = 0 ] || fail "withdrawal left $n routes"
echo "withdrawal of 1000 routes: $(( (t1 - t0) / 1000000 )) ms (signal to report)"
grep -q "failures=0" "$T/f.log" || fail "failures with 1000 addresses"
kill -TERM "$(pid_of f)"; wait "$(pid_of f)"
[ "$(in_ns a ip -o addr show dev lo | grep -c ' 10\.1\.')" = 0 ] || fail "addresses left after stop"
pass "1000 addresses: announced and withdrawn in one change each"

# Held as local routes (AnyIP), not addresses: `local VIP dev lo table
# local proto P`; the namespace accepts the VIPs' traffic all the same;
# stale ones (kill -9, then a smaller set) are removed at the restart.
printf '10.0.0.7\nfd00::7\n10.0.0.8 hold\n' >"$V"
start g a $A -l -f "$V"
wait_lines g '^READY' 0 5 || fail "driver (local routes) did not start"
expect_routes a $TAB "10.0.0.7 10.9.9.9 fd00::7"
locals() {
	{
		in_ns a ip -4 route show table local proto 201
		in_ns a ip -6 route show table local proto 201
	} | awk '{ print $1, $2 }' | sort | xargs
}
[ "$(locals)" = "local 10.0.0.7 local 10.0.0.8 local fd00::7" ] ||
	fail "local routes: $(locals)"
has_addr a lo 10.0.0.7 && fail "an address, not a local route"
in_ns a ping -c 1 -W 2 10.0.0.8 >/dev/null || fail "10.0.0.8 (local route) not accepted"
kill -9 "$(pid_of g)"
wait "$(pid_of g)" 2>/dev/null
printf '10.0.0.7\n' >"$V"
start g a $A -l -f "$V"
wait_lines g '^READY' 0 5 || fail "driver (local routes) did not restart"
[ "$(locals)" = "local 10.0.0.7" ] || fail "stale local routes left: $(locals)"
expect_routes a $TAB "10.0.0.7 10.9.9.9"
grep -q "removing 2 local routes of protocol 201 not wanted (stale)" "$T/g.log" ||
	fail "the restart did not say it removed the stale local routes: $(cat "$T/g.log")"
kill -TERM "$(pid_of g)"; wait "$(pid_of g)"
[ "$(locals)" = "" ] || fail "local routes left after a clean stop: $(locals)"
pass "held as local routes: accepted, stale ones removed at restart, none after stop"
