#!/bin/sh
# Split brain: the segment between the directors is cut (bridge down),
# both become master; after healing exactly one master remains within one
# master-down interval, and the winner re-sends GARP (seen by a third host).
. "$(dirname "$0")/failover/lib.sh"
setup_topo
command -v tcpdump >/dev/null || skip "no tcpdump"

common="name=vi,vrid=60,dev=eth0,int=50,vip=192.168.77.100/24@eth0:1,garp=2:50"
start a a --vrrp "$common,prio=200"
start b b --vrrp "$common,prio=100"
wait_log a "EVENT .* vi BACKUP MASTER" 5 || fail "a never became master"

mark_all
in_ns br ip link set br0 down
wait_log b "EVENT .* vi BACKUP MASTER master-down" 5 || fail "b did not become master while cut off"
expect_state a vi MASTER
expect_state b vi MASTER
pass "link cut: both masters"

ip netns exec "$NS-c" tcpdump --immediate-mode -lni eth0 -e arp >"$T/arp.log" 2>/dev/null &
PIDS="$PIDS $!"
sleep 0.5
t0=$(date +%s%N)
mark_all
in_ns br ip link set br0 up
wait_log b "EVENT .* vi MASTER BACKUP higher-priority" 3 || fail "b did not yield"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
echo "healed in $ms ms (master-down interval 1500+ ms)"
[ $ms -le 1700 ] || fail "heal took longer than one master-down interval"
sleep 0.5
expect_state a vi MASTER
expect_state b vi BACKUP
has_vip b 192.168.77.100 && fail "VIP left on b"
grep -q "02:00:00:00:77:01 .*Request who-has 192.168.77.100 tell 192.168.77.100" "$T/arp.log" ||
	fail "the winner did not re-send GARP after the heal"
pass "heal: exactly one master, GARP re-sent by the winner"
