#!/bin/sh
# IPv6 (v3, ff02::12) and IPv4 unicast instances, several VRIDs in one
# process: each VRID elects its own master, VIPs follow.
. "$(dirname "$0")/failover/lib.sh"
setup_topo

v4a="name=v4,vrid=10,dev=eth0,int=20,vip=192.168.77.110/24@eth0:10"
v6a="name=v6,vrid=11,af=6,dev=eth0,int=20,vip=fd00:77::110/64"
uni="name=uni,vrid=12,dev=eth0,int=20,vip=192.168.77.112/24@eth0:12"
start a a --vrrp "$v4a,prio=200" --vrrp "$v6a,prio=100" \
	--vrrp "$uni,prio=150,peer=192.168.77.2"
start b b --vrrp "$v4a,prio=100" --vrrp "$v6a,prio=200" \
	--vrrp "$uni,prio=100,peer=192.168.77.1"
wait_log a "EVENT .* v4 BACKUP MASTER" 3 || fail "v4: a never master"
wait_log b "EVENT .* v6 BACKUP MASTER" 3 || fail "v6: b never master"
wait_log a "EVENT .* uni BACKUP MASTER" 3 || fail "unicast: a never master"
sleep 0.5
expect_state a v4 MASTER
expect_state b v4 BACKUP
expect_state a v6 BACKUP
expect_state b v6 MASTER
expect_state a uni MASTER
expect_state b uni BACKUP
has_vip a 192.168.77.110 || fail "v4 VIP missing on a"
has_vip b 192.168.77.110 && fail "v4 VIP on b"
has_vip b fd00:77::110 || fail "v6 VIP missing on b"
has_vip a fd00:77::110 && fail "v6 VIP on a"
has_vip a 192.168.77.112 || fail "unicast VIP missing on a"
[ "$(stat b uni recv)" -gt 0 ] || fail "b received no unicast adverts"
pass "IPv4 multicast, IPv6 multicast and IPv4 unicast VRIDs side by side"

# The client reaches each VIP (neighbour discovery / ARP answered).
in_ns c ping -c1 -W1 192.168.77.110 >/dev/null || fail "v4 VIP unreachable"
in_ns c ping -c1 -W1 fd00:77::110 >/dev/null || fail "v6 VIP unreachable"
pass "client reaches the VIPs"

# b dies: a takes v6 over and sends an unsolicited NA.
if command -v tcpdump >/dev/null; then
	ip netns exec "$NS-c" tcpdump --immediate-mode -lni eth0 -e icmp6 >"$T/na.log" 2>/dev/null &
	PIDS="$PIDS $!"
	sleep 0.5
fi
kill9 b
wait_log a "EVENT .* v6 BACKUP MASTER master-down" 3 || fail "v6: a did not take over"
grep -q "uni MASTER BACKUP" "$T/a.log" && fail "unicast flapped"
has_vip a fd00:77::110 || fail "v6 VIP not moved to a"
sleep 0.5
if [ -f "$T/na.log" ]; then
	grep -q "02:00:00:00:77:01 > 33:33:00:00:00:01.*neighbor advertisement, tgt is fd00:77::110" "$T/na.log" ||
		fail "no unsolicited NA for fd00:77::110 from a"
	pass "unsolicited NA on IPv6 takeover"
fi
in_ns c ping -c1 -W1 fd00:77::110 >/dev/null || fail "v6 VIP unreachable after takeover"
pass "IPv6 failover"
