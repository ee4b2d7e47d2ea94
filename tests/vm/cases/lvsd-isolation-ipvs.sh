#!/bin/bash
# lvsd-isolation-ipvs: the master's adverts stay on time while its parent
# programs the real kernel's IPVS table: two directors (advert_int 100 ms)
# with 10,000 virtual services each; a reload that changes every one of
# them, then a resync after the table was flushed behind lvsd's back.  No
# advert gap may pass 2 x advert_int, the backup never becomes master.
# The host-side loads (control flood, bad files, SIGSTOP, flapping
# checks) are tests/netns/lvsd-isolation.sh.
set -u
. "$VM_LIB/assert.sh"
DRIVER=$top_builddir/lvsd
KEEP_LOGS=
. "$top_srcdir/tests/netns/failover/lib.sh"
note() { echo "# $*"; }
require_cmd ipvsadm
require_cmd tcpdump
N=10000
setup_topo
# One kernel stands for three machines here.  While IPVS frees 10,000
# services (RCU callbacks after a flush or a reload), softirq work on a
# CPU is left to its ksoftirqd thread, and a packet received meanwhile
# waits for that thread, an ordinary task behind the busy parents: the
# backup's copy of an advert then waits behind the master's kernel work,
# which no pair of machines shares.  That is the likely cause (not
# proven) of the backup's takeovers seen in CI runs while the master's
# adverts left on time.  For this case ksoftirqd runs at SCHED_FIFO 1
# (put back at the end).
SOFTIRQD=$(pgrep -x 'ksoftirqd/[0-9]+')
for p in $SOFTIRQD; do chrt -f -p 1 "$p" || fail "cannot raise ksoftirqd ($p)"; done
trap 'for p in $SOFTIRQD; do chrt -o -p 0 "$p"; done; cleanup' EXIT

# file WEIGHT: 10,000 services of one real server each, unchecked.
file() {
	python3 - "$1" "$N" <<'PY'
import sys
w, n = sys.argv[1], int(sys.argv[2])
out = ["primary = 192.168.77.1", "backup = 192.168.77.2", "backup_active = 1",
       "ipvs_resync_interval = 5",
       "vrrp vi {", "    interface = eth0", "    vrid = 64", "    advert_int = 100ms", "}",
       # the address the instance moves; the 10,000 below are IPVS load only
       "virtual vip {", "    address = 192.168.77.100 eth0:1", "    port = 80",
       "    check = none", "    server s {", "        address = 10.99.250.1", "    }", "}"]
for v in range(n):
    out += ["virtual v%d {" % v,
            "    address = 10.%d.%d.%d" % (100 + v // 62500, v // 250 % 250, v % 250 + 1),
            "    port = 80", "    check = none",
            "    server s {", "        address = 10.99.%d.%d" % (v // 250 % 250, v % 250 + 1),
            "        weight = %s" % w, "    }", "}"]
print("\n".join(out))
PY
}
file 1 >"$T/lvs.cf"
count() { in_ns "$1" ipvsadm -Ln | grep -c "^TCP  10\\."; }
start a a -n -f "$T/lvs.cf" --state-dir "$T/state-a"
start b b -n -f "$T/lvs.cf" --state-dir "$T/state-b"
wait_log a "failover: vi BACKUP -> MASTER" 120 || fail "a never became master"
wait_log b " ready: " 120 || fail "b never became ready"
[ "$(count a)" -eq $N ] || fail "a: $(count a) services in the kernel"
SOCK=$T/state-a/lvsd.sock
in_ns c tcpdump -lnni eth0 -tt "ip proto 112 and src 192.168.77.1" \
	>"$T/adverts.txt" 2>/dev/null &
PIDS="$PIDS $!"
TD=$!
sleep 1
mark_all
: >"$T/phases"
now() { date +%s.%N; }

# 1. A reload that changes every service's real server.
P0=$(now)
t0=${EPOCHREALTIME/./}
file 2 >"$T/lvs.cf"
out=$("$top_builddir/lvsctl" --socket "$SOCK" reload 2>&1) || fail "reload: $out"
t1=${EPOCHREALTIME/./}
echo "reload-10000-changes $P0 $(now)" >>"$T/phases"
in_ns a ipvsadm -Ln | grep -q -- "-> 10.99.0.1:80 .* 2 " || fail "the weights did not change"
note "reload of $N changed services: $(( (t1 - t0) / 1000 )) ms ($(echo "$out" | head -1))"

# 2. The table flushed behind lvsd's back: the resync restores it.
P0=$(now)
t0=${EPOCHREALTIME/./}
in_ns a ipvsadm -C
wait_until 120 bash -c "[ \"\$(ip netns exec $NS-a ipvsadm -Ln | grep -c '^TCP  10\\.')\" -eq $N ]" ||
	fail "the resync did not restore the table ($(count a) services)"
t1=${EPOCHREALTIME/./}
sleep 1
echo "resync-10000-services $P0 $(now)" >>"$T/phases"
note "resync of a flushed table: $N services back in $(( (t1 - t0) / 1000 )) ms"

sleep 0.5
kill "$TD" 2>/dev/null
python3 "$top_srcdir/tests/netns/isolation/gaps.py" "$T/adverts.txt" "$T/phases" 200 |
	while read -r l; do note "$l"; done
python3 "$top_srcdir/tests/netns/isolation/gaps.py" "$T/adverts.txt" "$T/phases" 200 \
	>/dev/null || fail "an advert gap passed 2 x advert_int (200 ms)"
tail -n +$((MARK_b + 1)) "$T/b.log" | grep -q "failover: vi BACKUP -> MASTER" &&
	fail "the backup became master"
tail -n +$((MARK_a + 1)) "$T/a.log" | grep -q "failover: vi MASTER ->" &&
	fail "the master left mastership"
exit 0
