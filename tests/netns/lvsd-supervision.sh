#!/bin/sh
# What the death of each of lvsd's processes means, on the master of a
# pair (advert_int 100 ms, IPVS dry run), its adverts captured by a third
# host (lvsd.8, PROCESSES):
#  - the failover process killed: a new one goes on as master, keeps the
#    VIP and advertises before the backup times out (no second master);
#  - the checks process killed: a new one starts from the parent's state,
#    the real server keeps its weight (no DOWN, no table change);
#  - killed five times more within a minute: the parent removes the VIP
#    and exits 1 (the backup takes over);
#  - the parent killed: the failover process releases (priority 0), the
#    backup takes over in skew time, and no process of the master is left.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
DRIVER=$top_builddir/lvsd
. "$(dirname "$0")/failover/lib.sh"
command -v tcpdump >/dev/null || skip "no tcpdump"
command -v python3 >/dev/null || skip "no python3"
setup_topo
in_ns c ip addr add 192.168.77.11/24 dev eth0
ip netns exec "$NS-c" python3 "$top_srcdir/tests/netns/hc/httpd.py" 192.168.77.11 80 &
PIDS="$PIDS $!"

cat >"$T/lvs.cf" <<CF
primary = 192.168.77.1
backup = 192.168.77.2
backup_active = 1
vrrp vi {
    vrid = 64
    advert_int = 100ms
}
virtual web {
    address = 192.168.77.100 eth0:1
    port = 80
    check = http
    check_interval = 500ms
    check_rise = 1
    check_fall = 3
    server rs {
        address = 192.168.77.11
        weight = 7
    }
}
CF
start a a -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-a"
start b b -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-b"
wait_log a "failover: vi BACKUP -> MASTER" 5 || fail "a never became master"
wait_log a "web/rs .* UP: " 5 || fail "the real server never came up"
ip netns exec "$NS-c" tcpdump --immediate-mode -lnni eth0 -tt "ip proto 112" \
	>"$T/adverts.txt" 2>/dev/null &
TD=$!
PIDS="$PIDS $TD"
PARENT=$(pid_of a)
child() { pgrep -P "$PARENT" -f "lvsd: $1"; }
weight() {
	"$top_builddir/lvsctl" --socket "$T/state-a/lvsd.sock" --json show |
	    python3 -c 'import json,sys
print(json.load(sys.stdin)["virtual_services"][0]["servers"][0].get("kernel_weight"))'
}
# longest gap (ms) between adverts from ADDR after wall-clock time FROM
gap_since() {
	awk -v from="$2" -v src="$1" '$1 >= from && $3 == src {
		t = $1 * 1000; if (p) { g = t - p; if (g > m) m = g }; p = t }
		END { printf "%d\n", m }' "$T/adverts.txt"
}
sleep 1
mark_all

# 1. The failover process dies.
t0=$(date +%s.%N)
fo=$(child failover)
kill -9 "$fo"
wait_log a "failover: vi INIT -> MASTER \(resumed\)" 3 || fail "no new failover process went on as master"
sleep 1
[ "$(child failover)" != "$fo" ] || fail "the failover process was not replaced"
has_vip a 192.168.77.100 || fail "the master lost its VIP"
has_vip b 192.168.77.100 && fail "the backup took the VIP"
wait_log b "failover: vi BACKUP -> MASTER" 0 && fail "the backup became master"
g=$(gap_since 192.168.77.1 "$t0")
echo "failover process killed: longest advert gap ${g} ms (master down after ~360 ms)"
[ "$g" -le 250 ] || fail "adverts stopped for ${g} ms while the failover process restarted"
pass "failover process killed: replaced, still master, adverts on time, one master"

# 2. The checks process dies.
mark_all
ck=$(child checks)
kill -9 "$ck"
wait_log a "checks process started" 3 || fail "no new checks process"
sleep 1.5
[ "$(weight)" = 7 ] || fail "the real server's weight changed: $(weight)"
wait_log a "web/rs .* DOWN" 0 && fail "the real server went DOWN across the restart"
wait_log a "health: (IPVS table|virtual)" 0 && fail "the table changed across the restart"
pass "checks process killed: replaced, weights kept"

# 3. The failover process keeps dying: the parent gives up, addresses gone.
mark_all
i=0
while [ $i -lt 6 ] && kill -0 "$PARENT" 2>/dev/null; do
	fo=$(child failover)
	[ -n "$fo" ] && kill -9 "$fo"
	sleep 0.3
	i=$((i + 1))
done
wait_log a "deaths within 60 s: removing the virtual addresses and stopping lvsd" 3 ||
	fail "the parent did not give up"
i=0
while kill -0 "$PARENT" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$PARENT" 2>/dev/null && fail "the parent did not exit"
wait "$PARENT"; rc=$?
[ $rc -eq 1 ] || fail "the parent exited $rc, expected 1"
has_vip a 192.168.77.100 && fail "the VIP was left on a director without adverts"
wait_log b "failover: vi BACKUP -> MASTER" 3 || fail "the backup did not take over"
pass "failover process dying again and again: addresses removed, exit 1, backup took over"

# 4. The parent dies: the failover process releases, the backup in skew time.
start a a -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-a"
wait_log a "failover: vi BACKUP -> MASTER \(preempt\)" 5 || fail "a did not preempt back"
PARENT=$(pid_of a)
sleep 1
kids=$(pgrep -P "$PARENT" | tr '\n' ' ')
mark_all
t0=$(date +%s%N)
kill -9 "$PARENT"
wait_log b "failover: vi BACKUP -> MASTER \(peer-released\)" 2 ||
	fail "the backup did not take over on a release (priority 0)"
t1=$(date +%s%N)
echo "parent killed: the backup took over in $(( (t1 - t0) / 1000000 )) ms (skew ~160 ms, master down ~360 ms)"
sleep 0.5
for k in $kids; do
	# (a zombie waiting for its new parent to reap it has exited)
	st=$(awk '{ print $3 }' "/proc/$k/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ] ||
		fail "process $k ($(tr '\0' ' ' <"/proc/$k/cmdline")) outlived its parent"
done
has_vip a 192.168.77.100 && fail "the VIP was left on a"
pass "parent killed: released at once, backup took over, nothing left behind"
echo "4 passed, 0 failed"
