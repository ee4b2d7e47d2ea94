#!/bin/sh
# Bad peers: wrong auth, TTL != 255, wrong VRID, truncated, bad checksum
# (also a v3 checksum without the pseudo-header), unicast from a stranger:
# all dropped and counted, the master stays master.  A well-formed packet
# with a higher priority, sent the same way, does make it yield (control).
. "$(dirname "$0")/failover/lib.sh"
command -v python3 >/dev/null || skip "no python3"
setup_topo
CRAFT="python3 $(dirname "$0")/failover/craft.py"

start a a --vrrp "name=v2,vrid=70,ver=2,auth=sesame,dev=eth0,int=100,prio=100,vip=192.168.77.100/24" \
	--vrrp "name=v3,vrid=71,dev=eth0,int=20,prio=100,vip=192.168.77.101/24" \
	--vrrp "name=uni,vrid=72,dev=eth0,int=20,prio=100,vip=192.168.77.102/24,peer=192.168.77.2"
wait_log a "EVENT .* v2 BACKUP MASTER" 5 || fail "v2 never master"
wait_log a "EVENT .* v3 BACKUP MASTER" 5 || fail "v3 never master"
wait_log a "EVENT .* uni BACKUP MASTER" 5 || fail "uni never master"

c() { in_ns c $CRAFT "$1" 192.168.77.9 "${2:-224.0.0.18}" ${3:-2} || fail "craft $1"; }
# a burst: counted one by one, logged at most once a second
c v2-badauth 224.0.0.18 50
sleep 0.2
[ "$(stat a v2 bad-auth)" = 50 ] || fail "bad auth: $(stat a v2 bad-auth) counted, 50 sent"
[ "$(grep -c 'vrrp v2: dropped' "$T/a.log")" -le 2 ] || fail "drop log not rate-limited"
for k in v2-ttl64 v2-vrid v2-short v2-badsum v3-nopseudo; do
	c $k
done
c v3-uni 192.168.77.1 1
sleep 0.3
for k in bad-ttl bad-checksum; do
	n=$(stat a v2 $k)
	[ "$n" = 2 ] || fail "v2 $k counted $n, expected 2"
done
[ "$(stat a v2 truncated)" = 2 ] || fail "truncated not counted"
[ "$(stat a v2 other-vrid)" -ge 2 ] || fail "wrong VRID not counted"
[ "$(stat a v3 bad-checksum)" = 2 ] || fail "v3 checksum without pseudo-header accepted"
[ "$(stat a uni bad-source)" = 1 ] || fail "unicast from a stranger not dropped"
expect_state a v2 MASTER
expect_state a v3 MASTER
expect_state a uni MASTER
grep -q "MASTER BACKUP" "$T/a.log" && fail "a yielded to a bad packet"
grep -q "dropped a packet from 192.168.77.9" "$T/a.log" || fail "drops not logged"
pass "bad packets dropped, counted, logged rate-limited; state unchanged"

# Control: the same sender with a valid packet wins the election.
c v2-ok 224.0.0.18 1
c v3-ok 224.0.0.18 1
wait_log a "EVENT .* v2 MASTER BACKUP higher-priority" 2 || fail "valid v2 packet not accepted"
wait_log a "EVENT .* v3 MASTER BACKUP higher-priority" 2 || fail "valid v3 packet not accepted"
pass "well-formed packets from the same sender are accepted"
