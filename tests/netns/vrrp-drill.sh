#!/bin/sh
# Planned switchover (failover API): the master sends priority 0, the peer
# takes over in skew time, the old master holds backup for its hold time,
# then preempts back.  Link monitoring: a watched link down means FAULT
# (priority 0 sent, peer takes over) or a lower priority, as configured.
# preempt_delay postpones preemption; handoff_delay postpones the
# addresses of a preempting node, not its adverts.
. "$(dirname "$0")/failover/lib.sh"
setup_topo
# veth pairs as watched links (the dummy module may be missing)
for l in mon0 mon1; do
	in_ns a ip link add $l type veth peer name ${l}p
	in_ns a ip link set ${l}p up
	in_ns a ip link set $l up
done

VIP=192.168.77.100
common="name=vi,vrid=90,dev=eth0,int=20,vip=$VIP/24@eth0:1"
start a a -H 3 --vrrp "$common,prio=200,link=mon0,link=mon1:-150"
start b b --vrrp "$common,prio=100"
wait_log a "EVENT .* vi BACKUP MASTER" 3 || fail "a never master"
sleep 0.5

mark_all
t0=$(date +%s%N)
kill -USR1 "$(pid_of a)"
wait_log b "EVENT .* vi BACKUP MASTER peer-released" 1 || fail "b did not take over on the drill"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
echo "drill switchover: $ms ms (skew time of b: 122 ms)"
[ $ms -le 400 ] || fail "drill slower than skew time + margin"
grep -q "EVENT .* vi MASTER BACKUP drill" "$T/a.log" || fail "a did not report the drill"
has_vip a $VIP && fail "VIP left on a after the drill"
sleep 2
expect_state a vi BACKUP
wait_log a "EVENT .* vi BACKUP MASTER preempt" 3 || fail "a did not preempt after its hold"
pass "drill: priority 0, takeover in skew time, hold, preempt back"

sleep 0.5
mark_all
in_ns a ip link set mon0 down
wait_log a "EVENT .* vi MASTER FAULT fault" 2 || fail "a did not enter FAULT"
wait_log b "EVENT .* vi BACKUP MASTER peer-released" 2 || fail "b did not take over from the faulted master"
has_vip a $VIP && fail "VIP left on the faulted node"
mark_all
in_ns a ip link set mon0 up
wait_log a "EVENT .* vi FAULT BACKUP fault-cleared" 2 || fail "fault not cleared"
wait_log a "EVENT .* vi BACKUP MASTER preempt" 3 || fail "a did not come back"
pass "monitored link down: FAULT, peer takes over; link up: back"

sleep 0.5
mark_all
in_ns a ip link set mon1 down
wait_log b "EVENT .* vi BACKUP MASTER" 3 || fail "lower priority (200-150) not taken over"
sleep 0.3
expect_state a vi BACKUP
pass "monitored link with weight: priority lowered, peer preempts"
mark_all
in_ns a ip link set mon1 up
wait_log a "EVENT .* vi BACKUP MASTER preempt" 3 || fail "a did not preempt with its priority restored"
stop a
stop b

# preempt_delay: a higher-priority node joining a running master waits.
start b b --vrrp "$common,prio=100"
wait_log b "EVENT .* vi BACKUP MASTER" 3 || fail "b never master"
t0=$(date +%s%N)
start a a --vrrp "$common,prio=200,preempt_delay=2000"
wait_log a "EVENT .* vi BACKUP MASTER preempt" 5 || fail "a never preempted"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
echo "preempted after $ms ms (preempt_delay 2000 ms)"
[ $ms -ge 2000 ] || fail "preempt_delay not honoured"
pass "preempt_delay"
stop a
stop b

# handoff_delay: taking over from a live master (preempting it, or after
# its priority 0 of a drill), a node advertises at once but adds the VIP
# only 800 ms later; after a master-down (a dead master) at once.
# vip_after NODE: ms from now until NODE holds the VIP
vip_after() {
	_t0=$(date +%s%N); _i=0
	while ! has_vip "$1" $VIP && [ $_i -lt 150 ]; do sleep 0.02; _i=$((_i + 1)); done
	has_vip "$1" $VIP || fail "$1 never took the VIP"
	echo $(( ($(date +%s%N) - _t0) / 1000000 ))
}
hd="handoff_delay=800"
start b b --vrrp "$common,prio=100,$hd"
wait_log b "EVENT .* vi BACKUP MASTER" 3 || fail "b never master"
sleep 0.3
has_vip b $VIP || fail "VIP not on b"
mark_all
start a a -H 60 --vrrp "$common,prio=200,$hd"
wait_log a "EVENT .* vi BACKUP MASTER preempt" 5 || fail "a never preempted"
wait_log b "EVENT .* vi MASTER BACKUP" 1 || fail "b did not yield to a's first advert"
has_vip b $VIP && fail "b still holds the VIP after yielding"
has_vip a $VIP && fail "a took the VIP before handoff_delay"
ms=$(vip_after a)
echo "preempt: VIP on a ${ms} ms after its preemption was logged (handoff_delay 800 ms)"
[ $ms -ge 600 ] || fail "handoff_delay not honoured on preempt ($ms ms)"
wait_log a "taking the addresses \(after handoff_delay\)" 1 ||
	fail "the deferred takeover was not logged"
pass "handoff_delay after preempting"

mark_all
kill -USR1 "$(pid_of a)"
wait_log b "EVENT .* vi BACKUP MASTER peer-released" 2 || fail "b did not take over on the drill"
has_vip a $VIP && fail "VIP left on a after the drill"
ms=$(vip_after b)
echo "drill: VIP on b ${ms} ms after its takeover was logged (handoff_delay 800 ms)"
[ $ms -ge 600 ] || fail "handoff_delay not honoured after priority 0 ($ms ms)"
pass "handoff_delay after a released master (drill)"

mark_all
kill9 b
stop a
start a a --vrrp "$common,prio=200,$hd"
wait_log a "EVENT .* vi BACKUP MASTER master-down" 5 || fail "a never master after b died"
ms=$(vip_after a)
echo "master-down: VIP on a ${ms} ms after its takeover was logged"
[ $ms -le 400 ] || fail "a delayed the VIP after a master-down ($ms ms)"
pass "no handoff_delay after a master-down"
