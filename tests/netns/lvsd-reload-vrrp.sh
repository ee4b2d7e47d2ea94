#!/bin/sh
# A VRRP master keeps mastership across 100 reloads (advert interval
# 100 ms): the backup never takes over, and the adverts captured by a third
# host show no gap much longer than one interval.
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
DRIVER=$top_builddir/lvsd
. "$(dirname "$0")/failover/lib.sh"
command -v tcpdump >/dev/null || skip "no tcpdump"
setup_topo
N=${RELOADS:-100}

cat >"$T/lvs.cf" <<CF
primary = 192.168.77.1
backup = 192.168.77.2
backup_active = 1
vrrp vi {
    vrid = 62
    advert_int = 100ms
}
virtual web {
    address = 192.168.77.100 eth0:1
    port = 80
    check = none
    server rs {
        address = 10.99.0.1
        weight = 1
    }
}
CF
run() { start "$1" "$2" -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-$1"; }
run a a
run b b
wait_log a "failover: vi BACKUP -> MASTER" 5 || fail "a never became master"
sleep 0.5
in_ns c tcpdump --immediate-mode -lnni eth0 -tt "ip proto 112 and src 192.168.77.1" >"$T/adverts.txt" 2>/dev/null &
PIDS="$PIDS $!"
sleep 1
mark_all
i=1
while [ $i -le "$N" ]; do
	sed -i "s/weight = .*/weight = $((i % 7 + 1))/" "$T/lvs.cf"
	"$top_builddir/lvsctl" --socket "$T/state-a/lvsd.sock" reload >/dev/null ||
		fail "reload $i refused"
	i=$((i + 1))
done
sleep 0.5
kill $(echo $PIDS | awk '{print $NF}') 2>/dev/null
sleep 0.2
tail -n +$((MARK_b + 1)) "$T/b.log" | grep -q "failover: vi BACKUP -> MASTER" &&
	fail "b took over during the reloads"
tail -n +$((MARK_a + 1)) "$T/a.log" | grep -q "failover: vi MASTER ->" &&
	fail "a left master during the reloads"
n=$(tail -n +$((MARK_a + 1)) "$T/a.log" | grep -c "^reload: IPVS table holds")
[ "$n" -eq "$N" ] || fail "$n of $N reloads applied"
gap=$(awk '{ t = $1 * 1000; if (p) { g = t - p; if (g > m) m = g }; p = t; n++ }
	END { printf "%d %d\n", m, n }' "$T/adverts.txt")
max=${gap% *}
count=${gap#* }
echo "adverts during $N reloads: $count, longest gap ${max} ms (interval 100 ms)"
[ "$count" -ge 10 ] || fail "captured only $count adverts"
[ "$max" -le 150 ] || fail "an advert gap of ${max} ms"
pass "master kept through $N reloads, longest advert gap ${max} ms"
echo "1 passed, 0 failed"
