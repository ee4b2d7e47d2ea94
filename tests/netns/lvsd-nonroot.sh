#!/bin/sh
# lvsd started as user lvsd with only the ambient capabilities a systemd
# unit gives it (User=lvsd, AmbientCapabilities=; here with setpriv), on
# a director whose real server is in a namespace of its own (IPVS dry
# run: this kernel has none; tests/vm/systemd/lvsd-unit.sh runs the
# shipped unit with IPVS).  What a user sees:
#  - it becomes master and holds the VIP (ip addr in its namespace);
#  - every process runs as lvsd (/proc/PID/status): the parent with
#    cap_net_admin and cap_net_raw, the failover process with what it
#    keeps, under SCHED_RR with its memory locked, the checks process
#    with cap_net_raw alone (an ICMP check, no ping sockets here);
#  - the HTTP, ICMP and exec checks see the server up in `lvsctl show`;
#    the check program and a notify command ran as lvsd with no
#    capability, none ambient (their own /proc/PID/status);
#  - `lvsctl disable` (root) is written to the overrides as lvsd;
#  - script_user = root is refused at reload and at start, and an
#    unreadable lvs.cf at start, with errors naming the file and the user.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
LVSD=$top_builddir/lvsd
LVSCTL=$top_builddir/lvsctl
# lib.sh's start runs $DRIVER: setpriv, which execs lvsd (the same pid).
DRIVER=$(command -v setpriv)
. "$(dirname "$0")/failover/lib.sh"
command -v python3 >/dev/null || skip "no python3"
command -v setpriv >/dev/null || skip "no setpriv"
getent passwd lvsd >/dev/null ||
	skip "no user lvsd (scripts/install-deps creates it)"
LVSD_UID=$(id -u lvsd)
. "$(dirname "$0")/privs/lib.sh"

# The unit's capabilities, and cap_sys_nice: this host lets no one raise
# RLIMIT_RTPRIO (the unit's LimitRTPRIO=), so SCHED_RR comes from it here.
CAPS=+net_admin,+net_raw,+net_bind_service,+ipc_lock,+sys_nice
AS_LVSD="--reuid=lvsd --regid=lvsd --init-groups --inh-caps=$CAPS
	--ambient-caps=$CAPS --bounding-set=-all,$CAPS"

site_up
mkdir "$T/state-a" "$T/lib-a"
chown lvsd "$T/state-a" "$T/lib-a"

PARENT_EFF=$(mask net_admin net_raw)
PARENT_PRM=$(mask net_admin net_raw net_bind_service ipc_lock sys_nice)
FAILOVER=$(mask net_admin net_raw net_bind_service ipc_lock)
RAW=$(mask net_raw)

# expect_proc WHAT PID EFF PRM: uid, capabilities, none ambient
expect_proc() {
	got="$(field "$2" Uid) $(field "$2" CapEff) $(field "$2" CapPrm) $(field "$2" CapAmb) $(field "$2" NoNewPrivs)"
	want="$LVSD_UID $3 $4 $NONE 1"
	[ "$got" = "$want" ] || fail "$1 (pid $2): Uid CapEff CapPrm CapAmb NoNewPrivs are '$got', expected '$want'"
}
written() {	# written WHAT FILE: a program's record of itself
	got=$(record "$1" "$2" uid CapPrm CapEff CapAmb NoNewPrivs)
	want="$LVSD_UID $NONE $NONE $NONE 1"
	[ "$got" = "$want" ] || fail "$1: uid CapPrm CapEff CapAmb NoNewPrivs are '$got', expected '$want'"
}
ctl() { "$LVSCTL" --socket "$T/state-a/lvsd.sock" "$@"; }
site() {	# site [FIRST LINE]
	cat <<CF
${1:-}
primary = 192.168.77.1
backup = 192.168.77.2
backup_active = 1
vrrp vi {
    vrid = 66
    advert_int = 100ms
    notify_master = $T/bin/whoami.sh $T/out/notify-master
}
virtual http {
    address = 192.168.77.100 eth0:1
    port = 80
    check = http
    check_interval = 300ms
    check_rise = 1
    server rs {
        address = 192.168.77.11
    }
}
virtual ping {
    address = 192.168.77.100 eth0:1
    port = 7
    check = icmp
    check_interval = 300ms
    check_rise = 1
    server rs {
        address = 192.168.77.11
    }
}
virtual prog {
    address = 192.168.77.100 eth0:1
    port = 9
    check = exec
    check_program = $T/bin/whoami.sh $T/out/exec
    check_interval = 300ms
    check_rise = 1
    server rs {
        address = 192.168.77.11
    }
}
CF
}
start_a() {	# start_a FILE
	# shellcheck disable=SC2086  # setpriv's options, one a word
	start a a $AS_LVSD "$LVSD" -n -f "$1" --ipvs-dry-run \
		--state-dir "$T/state-a" --lib-dir "$T/lib-a"
}

# 1. Master, as lvsd.
site >"$T/lvs.cf"
start_a "$T/lvs.cf"
wait_log a "failover: vi BACKUP -> MASTER" 5 || fail "a never became master"
i=0
while ! in_ns a ip -4 -o addr show dev eth0 | grep -q ' 192\.168\.77\.100/' &&
    [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
in_ns a ip -4 -o addr show dev eth0 | grep -q ' 192\.168\.77\.100/' ||
	fail "master without the VIP: $(in_ns a ip -4 -o addr show dev eth0)"
ok "lvsd as user lvsd becomes master and holds the VIP"

# 2. Each process.
P=$(pid_of a)
F=$(child failover)
expect_proc parent "$P" "$PARENT_EFF" "$PARENT_PRM"
expect_proc failover "$F" "$FAILOVER" "$FAILOVER"
wait_up http/rs ping/rs prog/rs
expect_proc checks "$(child checks)" "$RAW" "$RAW"
policy=$(awk '$1 == "policy" { print $3 }' "/proc/$F/sched")
[ "$policy" = 2 ] || fail "failover process: scheduling policy $policy, not SCHED_RR (2)"
locked=$(field "$F" VmLck)
[ "${locked:-0}" -gt 0 ] || fail "failover process: no memory locked (VmLck ${locked:-?} kB)"
ok "parent, failover (SCHED_RR, ${locked} kB locked) and checks processes run as lvsd with their capabilities"
ok "HTTP, ICMP and exec checks: up in lvsctl show"
written notify_master "$T/out/notify-master"
written "check program" "$T/out/exec"
ok "a notify command and a check program run as lvsd with no capability"

# 3. An operator's change, written by lvsd.
ctl disable http/rs >/dev/null || fail "lvsctl disable http/rs (as root) failed"
f=$(find "$T/lib-a" -name '*.json' -user lvsd | head -1)
[ -n "$f" ] && grep -q 'http/rs' "$f" ||
	fail "no override of http/rs written as lvsd in $T/lib-a: $(ls -l "$T/lib-a")"
ok "lvsctl disable (root): the override written as lvsd"

# 4. script_user = root: refused at reload (nothing changes) and at start.
site "script_user = root" >"$T/lvs.cf"
mark_all
ctl reload >"$T/reload.out" 2>&1 && fail "reload with script_user = root succeeded"
msg="$T/lvs.cf:1:1: error: script_user root: lvsd runs as lvsd (uid $LVSD_UID) without CAP_SETUID and CAP_SETGID"
grep -qF "$msg" "$T/reload.out" ||
	{ cat "$T/reload.out"; fail "lvsctl reload: no located error for script_user = root"; }
wait_log a "reload: .*failed|keeping the running configuration" 3 ||
	fail "the refused reload is not in the log"
kill -0 "$P" 2>/dev/null || fail "lvsd died on the refused reload"
ok "reload: script_user = root refused at its line, lvsd goes on"
stop a
start_a "$T/lvs.cf"
wait "$(pid_of a)"
rc=$?
[ $rc = 2 ] || fail "start with script_user = root: exit $rc, not 2"
grep -qF "$msg" "$T/a.log" || fail "start: no located error for script_user = root"
ok "start: script_user = root refused (exit 2) at its line"

# 5. An lvs.cf lvsd may not read.
site >"$T/lvs.cf"
chmod 600 "$T/lvs.cf"
start_a "$T/lvs.cf"
wait "$(pid_of a)"
rc=$?
[ $rc = 2 ] || fail "start with an unreadable lvs.cf: exit $rc, not 2"
grep -qF "cannot read $T/lvs.cf: lvsd runs as user lvsd (uid $LVSD_UID), which may not read it" "$T/a.log" ||
	fail "start: no error naming the unreadable file and the user"
ok "start: an unreadable lvs.cf is refused, naming the file and the user"
echo "$passed passed"
