#!/bin/sh
# VRRPv3 over IPv4 multicast: election by priority, the VIP (with its
# eth0:1 label) on the master only, GARP seen by a third host on takeover,
# stale VIP removed at startup after kill -9, preempt back.
. "$(dirname "$0")/failover/lib.sh"
setup_topo

common="vrid=51,dev=eth0,int=20,vip=192.168.77.100/24@eth0:1,garp=3:100"
command -v tcpdump >/dev/null && HAVE_TCPDUMP=1
if [ -n "$HAVE_TCPDUMP" ]; then
	ip netns exec "$NS-c" tcpdump --immediate-mode -lni eth0 -e arp >"$T/arp.log" 2>/dev/null &
	PIDS="$PIDS $!"
	sleep 0.5
fi

start a a --vrrp "name=vi,prio=200,$common"
start b b --vrrp "name=vi,prio=100,$common"
wait_log a "EVENT .* vi BACKUP MASTER" 3 || fail "a never became master"
sleep 0.3
expect_state a vi MASTER
expect_state b vi BACKUP
in_ns a ip -o addr show dev eth0 | grep -q "192.168.77.100/24 .*eth0:1" ||
	fail "VIP with label eth0:1 missing on the master"
has_vip b 192.168.77.100 && fail "VIP on the backup"
pass "election by priority, VIP with label on the master only"

if [ -n "$HAVE_TCPDUMP" ]; then
	grep -q "Request who-has 192.168.77.100 tell 192.168.77.100" "$T/arp.log" ||
		fail "no gratuitous ARP from a"
fi

t0=$(date +%s%N)
kill9 a
wait_log b "EVENT .* vi BACKUP MASTER master-down" 3 || fail "b did not take over"
t1=$(date +%s%N)
echo "takeover after kill -9: $(( (t1 - t0) / 1000000 )) ms (master-down 0.6+ s)"
has_vip b 192.168.77.100 || fail "VIP not on the new master"
has_vip a 192.168.77.100 || fail "test setup: kill -9 should leave the VIP"
sleep 0.5
if [ -n "$HAVE_TCPDUMP" ]; then
	n=$(grep -c "02:00:00:00:77:02 .*Request who-has 192.168.77.100 tell 192.168.77.100" "$T/arp.log")
	[ "$n" -ge 3 ] || fail "expected 3 GARPs from b, saw $n"
	pass "GARP x3 from the new master"
fi

# Restart a with nopreempt: it must remove its stale VIP and stay backup.
start a a --vrrp "name=vi,prio=200,nopreempt,$common"
wait_log a "READY" 2 || fail "a did not restart"
sleep 0.2
has_vip a 192.168.77.100 && fail "stale VIP left on the restarted backup"
sleep 1.5
expect_state a vi BACKUP
expect_state b vi MASTER
pass "stale VIP removed at startup; nopreempt keeps the lower master"
stop a

# With preempt, a takes over again and b drops the VIP.
start a a --vrrp "name=vi,prio=200,$common"
wait_log a "EVENT .* vi BACKUP MASTER preempt" 3 || fail "a did not preempt"
sleep 0.2
expect_state b vi BACKUP
has_vip b 192.168.77.100 && fail "VIP left on b after preemption"
has_vip a 192.168.77.100 || fail "VIP missing on a after preemption"
pass "preempt"

# Clean stop: priority 0, the VIP goes, b takes over in skew time.
t0=$(date +%s%N)
stop a
wait_log b "EVENT .* vi BACKUP MASTER peer-released" 2 || fail "b did not take over on release"
t1=$(date +%s%N)
has_vip a 192.168.77.100 && fail "VIP left after a clean stop"
echo "takeover after priority 0: $(( (t1 - t0) / 1000000 )) ms (skew 0.12 s)"
pass "release with priority 0"
