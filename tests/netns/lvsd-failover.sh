#!/bin/sh
# The lvsd daemon as two directors sharing one lvs.cf, in namespaces:
# identity from the local addresses, election, the VIP (with its label) on
# the master only, notify commands with their environment, takeover after
# kill -9, stale VIP cleanup and preempt on restart, release on SIGTERM,
# a hanging notify command killed at notify_timeout without delaying the
# takeover; then the same pair with piranha's pulse heartbeat, and a lone
# director.  IPVS is dry-run (this tier runs where the kernel lacks it).
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
DRIVER=$top_builddir/lvsd
. "$(dirname "$0")/failover/lib.sh"
setup_topo
# Commands run as script_user (lvsd by default): their own directory.
getent passwd lvsd >/dev/null ||
	skip "no user lvsd (scripts/install-deps creates it)"
chmod 755 "$T"
mkdir "$T/out"
chown lvsd "$T/out"

cat >"$T/vrrp.cf" <<CF
primary = 192.168.77.1
backup = 192.168.77.2
backup_active = 1
notify_timeout = 2s
vrrp vi {
    vrid = 61
    advert_int = 250ms
    notify_master = "echo \$LVSD_INSTANCE \$LVSD_OLD_STATE \$LVSD_STATE \$LVSD_REASON >>$T/out/notify-\$(hostname -s 2>/dev/null || echo x).log; sleep 30"
}
active_cmd = echo active >>$T/out/active.log
inactive_cmd = echo inactive >>$T/out/active.log
virtual web {
    address = 192.168.77.100 eth0:1
    vip_nmask = 24
    port = 80
    check = none
    server rs {
        address = 10.99.0.1
    }
}
CF
run() { # NAME NS CF
	start "$1" "$2" -n -f "$3" --ipvs-dry-run --state-dir "$T/state-$1"
}
run a a "$T/vrrp.cf"
run b b "$T/vrrp.cf"
wait_log a "failover: vi BACKUP -> MASTER" 5 || fail "a never became master"
wait_log a "ready: primary director" 1 || fail "a did not find itself primary"
wait_log b "ready: backup director" 1 || fail "b did not find itself backup"
sleep 0.3
in_ns a ip -o addr show dev eth0 | grep -q "192.168.77.100/24 .*eth0:1" ||
	fail "VIP with label eth0:1 missing on the master"
has_vip b 192.168.77.100 && fail "VIP on the backup"
pass "identity from addresses, election, VIP with label on the master only"

i=0
while ! grep -q "^vi BACKUP MASTER " "$T"/out/notify-*.log 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
grep -q "^vi BACKUP MASTER " "$T"/out/notify-*.log 2>/dev/null ||
	fail "notify_master did not run with its environment"
wait_log a "active_cmd \(vi\) \(pid [0-9]+\) finished|active_cmd .*started" 5 ||
	fail "active_cmd did not run"
i=0
while ! grep -q "^active$" "$T/out/active.log" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
grep -q "^active$" "$T/out/active.log" || fail "active_cmd did not run"
pass "notify_master (LVSD_* environment) and active_cmd ran"
mark b	# from here on b must stay backup while a's command hangs

# notify_master sleeps 30 s: killed at notify_timeout (2 s), and adverts
# went on meanwhile (b stayed backup).
wait_log a "notify_master \(vi\) \(pid [0-9]+\) killed by Terminated after its timeout" 8 ||
	fail "the hanging notify command was not killed at its timeout"
tail -n +$((MARK_b + 1)) "$T/b.log" | grep -q "failover: vi BACKUP -> MASTER" &&
	fail "b took over while a's notify command hung"
pass "hanging notify command killed at notify_timeout, adverts not delayed"

# Planned switchover through lvsctl: refused on the backup; on the master
# it releases with priority 0 and b takes over in skew time, not dead time.
"$top_builddir/lvsctl" --socket "$T/state-b/lvsd.sock" failover 2>"$T/err" &&
	fail "lvsctl failover accepted on the backup"
grep -q "not the master" "$T/err" || fail "no clear refusal on the backup: $(cat "$T/err")"
mark_all
t0=$(date +%s%N)
"$top_builddir/lvsctl" --socket "$T/state-a/lvsd.sock" failover --hold 3 >/dev/null ||
	fail "lvsctl failover refused on the master"
wait_log b "failover: vi BACKUP -> MASTER \(peer-released\)" 2 || fail "drill: b did not take over"
t1=$(date +%s%N)
echo "drill switchover: $(( (t1 - t0) / 1000000 )) ms (skew time ~0.15 s)"
has_vip b 192.168.77.100 || fail "drill: VIP not on b"
has_vip a 192.168.77.100 && fail "drill: VIP still on a"
sleep 1
has_vip a 192.168.77.100 && fail "drill: a preempted back during its hold"
wait_log a "failover: vi BACKUP -> MASTER \(preempt\)" 6 || fail "drill: a did not preempt back after the hold"
pass "lvsctl failover: refused on the backup, skew-time switchover, hold respected"

mark_all
t0=$(date +%s%N)
kill9 a
wait_log b "failover: vi BACKUP -> MASTER \(master-down\)" 3 || fail "b did not take over"
t1=$(date +%s%N)
echo "takeover after kill -9: $(( (t1 - t0) / 1000000 )) ms (master-down ~0.8 s)"
has_vip b 192.168.77.100 || fail "VIP not on the new master"
pass "takeover after kill -9"

mark_all
run a a "$T/vrrp.cf"
wait_log a "failover: vi BACKUP -> MASTER \(preempt\)" 5 || fail "a did not preempt"
wait_log b "failover: vi MASTER -> BACKUP" 2 || fail "b did not yield"
sleep 0.2
has_vip b 192.168.77.100 && fail "b kept the VIP"
in_ns a ip -o addr show dev eth0 | grep -c "192.168.77.100/24" | grep -qx 1 ||
	fail "a holds the VIP other than exactly once"
pass "restart: stale VIP cleaned, primary preempts back"

mark_all
kill -TERM "$(pid_of a)"
wait_log b "failover: vi BACKUP -> MASTER \(peer-released\)" 2 ||
	fail "b did not take over in skew time after a's release"
wait "$(pid_of a)" 2>/dev/null
has_vip a 192.168.77.100 && fail "a left its VIP after SIGTERM"
grep -q "^inactive$" "$T/out/active.log" || fail "inactive_cmd did not run"
pass "SIGTERM: priority 0 release, backup takes over at once"
kill -TERM "$(pid_of b)"
wait "$(pid_of b)" 2>/dev/null

# piranha's pulse: the same pair, no vrrp block.
sed -e '/^vrrp vi {/,/^}/d' "$T/vrrp.cf" >"$T/pulse.cf"
cat >>"$T/pulse.cf" <<CF
heartbeat = 1
heartbeat_port = 5390
keepalive = 1
deadtime = 3
CF
mark_all
run pa a "$T/pulse.cf"
run pb b "$T/pulse.cf"
wait_log pa "failover: pulse .* -> MASTER" 5 || fail "pulse: a never became active"
sleep 1.5
has_vip a 192.168.77.100 || fail "pulse: VIP not on the active director"
has_vip b 192.168.77.100 && fail "pulse: VIP on the inactive director"
kill9 pa
wait_log pb "failover: pulse .* -> MASTER" 10 || fail "pulse: b did not take over after deadtime"
has_vip b 192.168.77.100 || fail "pulse: VIP not moved"
pass "pulse: takeover after deadtime"
kill -TERM "$(pid_of pb)"
wait "$(pid_of pb)" 2>/dev/null
in_ns a ip addr del 192.168.77.100/24 dev eth0 2>/dev/null

# A lone director holds its address while it runs.
sed -e 's/^backup_active = 1/backup_active = 0/' "$T/pulse.cf" >"$T/lone.cf"
mark_all
run lone a "$T/lone.cf"
wait_log lone "failover: director INIT -> MASTER" 5 || fail "lone director did not start"
has_vip a 192.168.77.100 || fail "lone director: no VIP"
kill -TERM "$(pid_of lone)"
wait "$(pid_of lone)" 2>/dev/null
has_vip a 192.168.77.100 && fail "lone director: VIP left after stop"
pass "lone director holds its address while it runs"
echo "8 passed, 0 failed"
