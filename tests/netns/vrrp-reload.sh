#!/bin/sh
# Reload (vrrp_reconfigure): an instance keeps its state while its VIPs
# and priority change; a removed instance releases (priority 0) and the
# peer takes over; a new one starts; an invalid reload changes nothing.
. "$(dirname "$0")/failover/lib.sh"
setup_topo

vi="name=vi,vrid=30,dev=eth0,int=20"
old="name=old,vrid=31,dev=eth0,int=20,vip=192.168.77.131/24"
new="name=new,vrid=32,dev=eth0,int=20,vip=192.168.77.133/24"
R=$T/reload.conf
start a a -R "$R" --vrrp "$vi,prio=200,vip=192.168.77.130/24@eth0:1" --vrrp "$old,prio=200"
start b b --vrrp "$vi,prio=100,vip=192.168.77.132/24@eth0:2" --vrrp "$old,prio=100" \
	--vrrp "$new,prio=100"
wait_log a "EVENT .* vi BACKUP MASTER" 3 || fail "vi: a never master"
wait_log a "EVENT .* old BACKUP MASTER" 3 || fail "old: a never master"
wait_log b "EVENT .* new BACKUP MASTER" 3 || fail "new: b never master"
sleep 0.3

# invalid: nothing changes
echo "name=vi,vrid=0,dev=eth0" >"$R"
mark_all
kill -HUP "$(pid_of a)"
wait_log a "^RELOAD -1" 2 || fail "invalid reload not refused"
sleep 0.3
grep -q "^EVENT" "$T/a.log" && tail -n +$((MARK_a + 1)) "$T/a.log" | grep -q "^EVENT" &&
	fail "an invalid reload changed state"
has_vip a 192.168.77.130 || fail "invalid reload removed a VIP"

printf '%s\n%s\n' "$vi,prio=200,vip=192.168.77.132/24@eth0:2" "$new,prio=200" >"$R"
mark_all
kill -HUP "$(pid_of a)"
wait_log a "^RELOAD 0" 2 || fail "reload failed"
wait_log b "EVENT .* old BACKUP MASTER peer-released" 2 || fail "removed instance did not release"
wait_log a "EVENT .* new BACKUP MASTER preempt" 3 || fail "new instance did not start and preempt"
tail -n +$((MARK_a + 1)) "$T/a.log" | grep -q "EVENT [0-9]* vi " && fail "vi changed state on reload"
expect_state a vi MASTER
has_vip a 192.168.77.130 && fail "VIP removed from the config still on the master"
in_ns a ip -o addr show dev eth0 | grep -q "192.168.77.132/24 .*eth0:2" || fail "new VIP (eth0:2) missing"
has_vip a 192.168.77.131 && fail "removed instance left its VIP"
pass "reload: state kept, VIPs swapped, removed instance released, new one started"

sed -i 's/prio=200,vip=192.168.77.132/prio=50,vip=192.168.77.132/' "$R"
mark_all
kill -HUP "$(pid_of a)"
wait_log a "EVENT .* vi MASTER BACKUP higher-priority" 3 || fail "lower priority not applied"
has_vip a 192.168.77.132 && fail "VIP left after yielding"
pass "reload: lowered priority lets the peer preempt"
