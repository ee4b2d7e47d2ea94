#!/bin/sh
# piranha pulse mode: the primary holds the VIP, the backup takes over
# after deadtime of silence, a restarted primary reclaims it; heartbeats
# from a wrong address are rejected; a drill switches at once; on the wire
# a heartbeat is the 4-byte magic in host byte order.
. "$(dirname "$0")/failover/lib.sh"
command -v python3 >/dev/null || skip "no python3"
setup_topo

VIP=192.168.77.100
common="port=539,keepalive=200,deadtime=1000,dev=eth0,vip=$VIP/24@eth0:1,garp=1:0"
if command -v tcpdump >/dev/null; then
	ip netns exec "$NS-b" tcpdump --immediate-mode -lnni eth0 -x udp port 539 >"$T/wire.log" 2>/dev/null &
	PIDS="$PIDS $!"
	sleep 0.5
fi
start a a -H 2 --pulse "primary,partner=192.168.77.2,$common"
start b b --pulse "backup,partner=192.168.77.1,$common"
wait_log a "EVENT .* pulse INIT MASTER" 2 || fail "primary not active"
sleep 1
expect_state b pulse BACKUP
has_vip a $VIP || fail "VIP missing on the primary"
has_vip b $VIP && fail "VIP on the backup"
[ "$(stat b pulse recv)" -ge 3 ] || fail "backup hears no heartbeats"
pass "primary active, backup inactive"

if [ -f "$T/wire.log" ]; then
	# 192.168.77.1.539 > 192.168.77.2.539, UDP length 12, payload da db ad bd
	grep -q "0x0010:  c0a8 4d02 021b 021b 000c .... dadb adbd" "$T/wire.log" ||
		fail "no LVS-running heartbeat (0xbdaddbda, host order) on the wire"
	grep -q "0x0010:  c0a8 4d01 021b 021b 000c .... bdda bdad" "$T/wire.log" ||
		fail "no LVS-stopped heartbeat (0xadbddabd, host order) on the wire"
	pass "wire format: 4-byte magics in host byte order, port 539 both ends"
fi

# The primary dies; a stranger keeps sending "running" heartbeats to the
# backup from another address: they must not hold the takeover back.
in_ns c python3 -c '
import socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.168.77.9", 539))
end = time.time() + 2.5
while time.time() < end:
    s.sendto(struct.pack("=I", 0xbdaddbda), ("192.168.77.2", 539))
    time.sleep(0.05)
' &
STRANGER=$!
t0=$(date +%s%N)
kill9 a
wait_log b "EVENT .* pulse BACKUP MASTER master-down" 3 || fail "backup did not take over"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
echo "takeover after kill -9: $ms ms (deadtime 1000 ms, keepalive 200 ms)"
[ $ms -ge 800 ] || fail "took over before deadtime"
has_vip b $VIP || fail "VIP not on the backup"
wait $STRANGER
n=$(stat b pulse unknown-sender)
[ "$n" -gt 10 ] || fail "stranger heartbeats not rejected"
grep -q "pulse: dropped a packet from 192.168.77.9 (heartbeat): unknown-sender: not a director lvs.cf names" "$T/b.log" ||
	fail "not logged with its sender and reason"
# The burst ended: its count is logged (one line at once, then the rest).
wait_log b "pulse: dropped [0-9]+ more packets from 192.168.77.9 since the last message: unknown-sender \($n in this burst\)" 10 ||
	fail "the end of the burst was not logged with its count ($n): $(grep 'pulse: dropped' "$T/b.log" | tail -n 2)"
pass "deadtime takeover; heartbeats from a wrong address rejected, logged with their count"

# The primary restarts: both active for a moment, the backup yields.
start a a -H 2 --pulse "primary,partner=192.168.77.2,$common"
wait_log b "EVENT .* pulse MASTER BACKUP higher-priority" 2 || fail "backup did not yield"
sleep 0.3
has_vip b $VIP && fail "VIP left on the backup"
has_vip a $VIP || fail "VIP not back on the primary"
expect_state a pulse MASTER
pass "restarted primary reclaims, backup yields"

# Drill: the primary goes inactive, the backup takes over at once, and
# the primary reclaims when its 2 s hold ends.
t0=$(date +%s%N)
mark_all
kill -USR1 "$(pid_of a)"
wait_log b "EVENT .* pulse BACKUP MASTER peer-released" 1 || fail "drill: backup did not take over"
t1=$(date +%s%N)
echo "drill switchover: $(( (t1 - t0) / 1000000 )) ms"
has_vip a $VIP && fail "drill: VIP left on the primary"
wait_log a "EVENT .* pulse BACKUP MASTER preempt" 4 || fail "primary did not reclaim after its hold"
pass "drill via the stopped heartbeat"
