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
start a a -n -f "$T/lvs.cf" --state-dir "$T/state-a"
start b b -n -f "$T/lvs.cf" --state-dir "$T/state-b"
wait_log a "failover: vi BACKUP -> MASTER" 120 || fail "a never became master"
wait_log b " ready: " 120 || fail "b never became ready"
# From here on the case runs no program in a loop: under TCG each exec
# reads its binary over 9p, and QEMU has been seen to stop the whole VM
# for 0.3-0.6 s while serving such reads (no CPU took a timer tick; both
# directors' timers then fire at once, and the backup's master-down comes
# before the master's next advert).  One process watches a's table.
coproc WATCH { ip netns exec "$NS-a" python3 "$VM_LIB/ipvs_watch.py"; }
PIDS="$PIDS $WATCH_PID" HELPERS=$WATCH_PID
ask() { echo "$*" >&"${WATCH[1]}"; read -r -t 150 answer <&"${WATCH[0]}" || answer="no answer"; }
ask services $((N + 1)) 120
[ "${answer%% *}" = ok ] || fail "a: not $N + 1 services in the kernel ($answer)"
SOCK=$T/state-a/lvsd.sock
in_ns c tcpdump --immediate-mode -lnni eth0 -tt "ip proto 112 and src 192.168.77.1" \
	>"$T/adverts.txt" 2>/dev/null &
PIDS="$PIDS $!" HELPERS="$HELPERS $!"
# For a failure's report: when a sent its adverts, when b's own adverts
# (a takeover) went out, and when b's kernel received a's adverts against
# when a reader at the failover process's priority could read them.
in_ns a tcpdump --immediate-mode -lnni eth0 -tt -Q out "ip proto 112" >"$T/sent-a.txt" 2>/dev/null &
PIDS="$PIDS $!" HELPERS="$HELPERS $!"
in_ns c tcpdump --immediate-mode -lnni eth0 -tt "ip proto 112 and src 192.168.77.2" \
	>"$T/takeover.txt" 2>/dev/null &
PIDS="$PIDS $!" HELPERS="$HELPERS $!"
in_ns b chrt -r 1 python3 "$VM_LIB/advert_rx.py" \
	"$T/rx-b.txt" 192.168.77.1 &
PIDS="$PIDS $!" HELPERS="$HELPERS $!"
# and whether the VM itself stopped: every CPU's timer ticks
TR=/sys/kernel/tracing
[ -e $TR/trace ] || mount -t tracefs nodev $TR 2>/dev/null
if [ -w $TR/trace ] && echo 0 >$TR/tracing_on && echo mono >$TR/trace_clock &&
    echo >$TR/trace && echo 1 >$TR/events/irq_vectors/local_timer_entry/enable; then
	echo 1 >$TR/tracing_on
	trap 'echo 0 >$TR/tracing_on
		echo 0 >$TR/events/irq_vectors/local_timer_entry/enable
		echo local >$TR/trace_clock; cleanup' EXIT
else
	TR=
fi
# (lvsd reads its file on reload only)
file 2 >"$T/lvs.cf"
vm_sleep 1
mark_all
: >"$T/phases"
now() { echo "$EPOCHREALTIME"; }

# 1. A reload that changes every service's real server.
P0=$(now)
t0=${EPOCHREALTIME/./}
out=$("$top_builddir/lvsctl" --socket "$SOCK" reload 2>&1) || fail "reload: $out"
t1=${EPOCHREALTIME/./}
echo "reload-10000-changes $P0 $(now)" >>"$T/phases"
in_ns a ipvsadm -Ln -t 10.100.0.1:80 | grep -q -- "-> 10.99.0.1:80 .* 2 " ||
	fail "the weights did not change"
note "reload of $N changed services: $(( (t1 - t0) / 1000 )) ms ($(echo "$out" | head -1))"

# 2. The table flushed behind lvsd's back: the resync restores it.
P0=$(now)
t0=${EPOCHREALTIME/./}
ask flush
[ "$answer" = ok ] || fail "cannot flush a's table ($answer)"
ask services $((N + 1)) 120
[ "${answer%% *}" = ok ] || fail "the resync did not restore the table ($answer)"
t1=${EPOCHREALTIME/./}
vm_sleep 1
echo "resync-10000-services $P0 $(now)" >>"$T/phases"
note "resync of a flushed table: $N services back in $(( (t1 - t0) / 1000 )) ms"

vm_sleep 0.5
[ -n "$TR" ] && echo 0 >$TR/tracing_on
kill $HELPERS 2>/dev/null
# explain: what the backup saw and whether the VM stopped, for a failure
explain() {
	python3 "$VM_LIB/rx_gaps.py" "$T/rx-b.txt" |
		while read -r l; do note "$l"; done
	t=$(awk 'NR == 1 {print $1}' "$T/takeover.txt")
	if [ -n "$t" ]; then
		note "b's first advert at $t; a sent in the second before: $(awk -v t="$t" \
			'$1 >= t - 1 && $1 <= t + 0.2 {printf "%.3f ", $1}' "$T/sent-a.txt")"
	fi
	note "phases (wall clock): $(tr '\n' ';' <"$T/phases")"
	note "wall clock minus monotonic: $(python3 -c 'import time; print("%.3f" % (time.time() - time.monotonic()))')"
	[ -n "$TR" ] && python3 "$VM_LIB/vm_freeze.py" $TR/trace | while read -r l; do note "$l"; done
}
python3 "$top_srcdir/tests/netns/isolation/gaps.py" "$T/adverts.txt" "$T/phases" 200 |
	while read -r l; do note "$l"; done
python3 "$top_srcdir/tests/netns/isolation/gaps.py" "$T/adverts.txt" "$T/phases" 200 \
	>/dev/null || { explain; fail "an advert gap passed 2 x advert_int (200 ms)"; }
tail -n +$((MARK_b + 1)) "$T/b.log" | grep -q "failover: vi BACKUP -> MASTER" &&
	{ explain; fail "the backup became master"; }
tail -n +$((MARK_a + 1)) "$T/a.log" | grep -q "failover: vi MASTER ->" &&
	fail "the master left mastership"
exit 0
