#!/bin/sh
# Drills that look first: `lvsctl failover` on the master asks the
# backups (a drill query; VRRP backups are otherwise silent) and refuses,
# with the reason and changing nothing, when none is ready; with the
# backup running the VIPs move (an IPv4 and an IPv6 instance: the query
# goes to the link-local address `peers` names); --force releases
# without a backup; on the backup it is refused, naming the master.
# Then piranha's pulse, whose partner's heartbeats tell the same.
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
DRIVER=$top_builddir/lvsd
. "$(dirname "$0")/failover/lib.sh"
command -v tcpdump >/dev/null || skip "no tcpdump"
setup_topo
VIP=192.168.77.100
VIP6=fd00:77::100
ll() { in_ns "$1" ip -6 -o addr show dev eth0 scope link | sed -n 's/.* inet6 \(fe80::[0-9a-f:]*\)\/64 .*/\1/p' | head -n 1; }
LLA=$(ll a) LLB=$(ll b)
[ -n "$LLA" ] && [ -n "$LLB" ] || fail "no link-local addresses ($LLA, $LLB)"

cat >"$T/vrrp.cf" <<CF
primary = 192.168.77.1
backup = 192.168.77.2
backup_active = 1
vrrp vi {
    vrid = 62
    advert_int = 100ms
}
vrrp vi6 {
    vrid = 63
    advert_int = 100ms
    peers = $LLA $LLB
}
virtual web {
    address = $VIP eth0:1
    vip_nmask = 24
    port = 80
    check = none
    server rs {
        address = 10.99.0.1
    }
}
virtual web6 {
    address = $VIP6 eth0
    vip_nmask = 64
    port = 80
    vrrp = vi6
    check = none
    server rs {
        address = fd00:99::1
    }
}
CF
run() { # NAME NS CF
	start "$1" "$2" -n -f "$3" --ipvs-dry-run --state-dir "$T/state-$1"
}
ctl() { # NAME ARGS...
	_n=$1; shift
	"$top_builddir/lvsctl" --socket "$T/state-$_n/lvsd.sock" "$@"
}
capture() {
	ip netns exec "$NS-br" tcpdump --immediate-mode -U -n -i br0 -w "$T/wire.pcap" \
	    "ip proto 112 or ip6 proto 112 or udp port 5399" >/dev/null 2>&1 &
	TCPDUMP=$!
	PIDS="$PIDS $TCPDUMP"
	sleep 0.5
}
endcapture() {
	kill -INT $TCPDUMP; wait $TCPDUMP 2>/dev/null
	tcpdump -n -v -r "$T/wire.pcap" >"$T/wire.txt" 2>/dev/null
}

# 1. No backup runs: refused with the reason, nothing changes.
run a a "$T/vrrp.cf"
wait_log a "failover: vi BACKUP -> MASTER" 5 || fail "a never became master (vi)"
wait_log a "failover: vi6 BACKUP -> MASTER" 5 || fail "a never became master (vi6)"
sleep 0.3
capture
mark_all
ctl a failover 2>"$T/err" && fail "a drill without a backup was accepted"
grep -q "no backup is ready to take over, nothing changed: vrrp vi: 192.168.77.2 did not answer; vrrp vi6: $LLB did not answer (3 drill queries" "$T/err" ||
	fail "no clear refusal: $(cat "$T/err")"
sleep 0.5
endcapture
grep -q "MASTER -> BACKUP" "$T/a.log" && fail "a released although the drill was refused"
has_vip a $VIP && has_vip a $VIP6 || fail "a lost a VIP"
grep -q "192.168.77.1 > 224.0.0.18: VRRPv3, Advertisement, vrid 62, prio 0" "$T/wire.txt" &&
	fail "a sent priority 0 on a refused drill"
grep -q "192.168.77.1.5399 > 192.168.77.2.5399: UDP, length 20" "$T/wire.txt" ||
	fail "no drill query on the wire: $(grep 5399 "$T/wire.txt" | head -2)"
echo "refused: $(cat "$T/err")"
pass "no backup: lvsctl failover refused with the reason, nothing changed"

# 2. The backup runs: the drill is accepted and the VIPs move.
run b b "$T/vrrp.cf"
wait_log b "ready: backup director" 5 || fail "b did not start as the backup"
sleep 0.5
mark_all
t0=$(date +%s%N)
ctl a failover --hold 3 >"$T/out" 2>&1 || fail "drill refused with the backup running: $(cat "$T/out")"
wait_log b "failover: vi BACKUP -> MASTER \(peer-released\)" 2 || fail "b did not take over vi"
wait_log b "failover: vi6 BACKUP -> MASTER \(peer-released\)" 2 || fail "b did not take over vi6"
t1=$(date +%s%N)
echo "drill, asking first: $(( (t1 - t0) / 1000000 )) ms to the backup's takeover"
sleep 0.3
has_vip b $VIP && has_vip b $VIP6 || fail "the VIPs are not on b"
has_vip a $VIP && fail "the VIP stayed on a"
grep -q "vrrp vi: drill: 192.168.77.2 is BACKUP (priority 100) and heard this master" "$T/a.log" ||
	fail "a did not log the backup's answer"
grep -q "vrrp vi6: $LLA asks whether this director is ready to take over: answered BACKUP" "$T/b.log" ||
	fail "b did not log the IPv6 query"
pass "backup running: the drill is accepted, the VIPs move"

# 3. On the backup (a, holding 3 s, then b preempted back by a): refused,
# naming the master.
wait_log a "failover: vi BACKUP -> MASTER \(preempt\)" 6 || fail "a did not come back after its hold"
sleep 0.5
ctl b failover 2>"$T/err" && fail "a drill on the backup was accepted"
grep -q "this director is not the master: vrrp vi is BACKUP, its master 192.168.77.1 was heard 0.[0-9] s ago: run the drill there" "$T/err" ||
	fail "no clear refusal on the backup: $(cat "$T/err")"
pass "on the backup: refused, naming the master"

# 4. No backup (b stopped), --force: released anyway; a comes back.
stop b
mark_all
ctl a failover 2>/dev/null && fail "a drill without a backup was accepted"
ctl a failover --force >/dev/null || fail "--force was refused"
wait_log a "failover: vi MASTER -> BACKUP \(drill\)" 1 || fail "--force did not release"
wait_log a "operator: failover drill \(hold 0 s, forced\)" 1 || fail "the forced drill is not logged as such"
wait_log a "failover: vi BACKUP -> MASTER \(master-down\)" 2 || fail "a did not take the VIP back after master-down"
sleep 0.2
has_vip a $VIP || fail "the VIP is not back on a"
pass "--force without a backup: released, back after master-down"
stop a

# 5. pulse: the partner's heartbeats decide.
sed -e '/^vrrp vi {/,/^}/d' -e '/^vrrp vi6 {/,/^}/d' -e '/^virtual web6 {/,$d' \
	"$T/vrrp.cf" >"$T/pulse.cf"
cat >>"$T/pulse.cf" <<CF
heartbeat = 1
heartbeat_port = 5391
keepalive = 1
deadtime = 3
CF
mark_all
run pa a "$T/pulse.cf"
wait_log pa "failover: pulse .* -> MASTER" 5 || fail "pulse: a never became active"
ctl pa failover 2>"$T/err" && fail "pulse: a drill without a partner was accepted"
grep -q "no backup is ready to take over, nothing changed: the partner 192.168.77.2 has not been heard" "$T/err" ||
	fail "pulse: no clear refusal: $(cat "$T/err")"
run pb b "$T/pulse.cf"
wait_log pb "ready: backup director" 5 || fail "pulse: b did not start"
sleep 1.5
ctl pa failover --hold 3 >/dev/null 2>"$T/err" || fail "pulse: drill refused with the partner running: $(cat "$T/err")"
wait_log pb "failover: pulse BACKUP -> MASTER \(peer-released\)" 2 || fail "pulse: b did not take over"
has_vip b $VIP || fail "pulse: the VIP did not move"
pass "pulse: refused without the partner's heartbeat, accepted with it"
