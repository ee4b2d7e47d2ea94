#!/bin/sh
# What each of lvsd's processes runs as and keeps (lvsd.8, PRIVILEGES),
# read from /proc/PID/status on a master of a VRRP pair (IPVS dry run),
# with real servers in a namespace of their own:
#  - parent: uid 0, the capabilities it uses (and holds for the failover
#    process), its bounding set cut to them, no_new_privs, no filter;
#  - failover: uid 0, cap_net_admin, cap_net_raw, cap_net_bind_service,
#    cap_ipc_lock, no_new_privs, its seccomp filter;
#  - checks: user lvsd, no capability, no_new_privs, its filter, and the
#    HTTP, HTTPS, send/expect and ICMP checks still see their servers up;
#  - a reload with the first ICMP check restarts it with cap_net_raw
#    (no ping sockets here), the first check program restarts it without
#    a filter; the program and a notify command run as lvsd with no
#    capability (what they write of their own /proc/PID/status);
#  - where net.ipv4.ping_group_range lets lvsd's group ping, ICMP checks
#    work with no capability at all;
#  - lvsd -t refuses a command in a directory other users may write
#    (file:line:column), and warns about script_user = root.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
DRIVER=$top_builddir/lvsd
. "$(dirname "$0")/failover/lib.sh"
command -v python3 >/dev/null || skip "no python3"
command -v openssl >/dev/null || skip "no openssl"
getent passwd lvsd >/dev/null ||
	skip "no user lvsd (scripts/install-deps creates it)"
LVSCTL=$top_builddir/lvsctl
LVSD_UID=$(id -u lvsd)
LVSD_GID=$(id -g lvsd)
. "$(dirname "$0")/privs/lib.sh"

site_up
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=rs \
	-keyout "$T/rs.key" -out "$T/rs.pem" 2>/dev/null
ip netns exec "$NS-c" python3 "$top_srcdir/tests/netns/hc/httpd.py" 192.168.77.11 443 \
	"$T/rs.pem" "$T/rs.key" 2>"$T/httpd-443.err" &
PIDS="$PIDS $!"

PARENT_EFF=$(mask net_admin net_raw kill setuid setgid)
PARENT_PRM=$(mask net_admin net_raw kill setuid setgid sys_nice ipc_lock \
	net_bind_service)
FAILOVER=$(mask net_admin net_raw net_bind_service ipc_lock)
RAW=$(mask net_raw)
# Seccomp in /proc/PID/status: 2 under a filter.
FILTERED=2

# expect_proc WHAT PID UID EFF PRM SECCOMP: the process's credentials
expect_proc() {
	got="$(field "$2" Uid) $(field "$2" CapEff) $(field "$2" CapPrm)"
	got="$got $(field "$2" CapBnd) $(field "$2" NoNewPrivs) $(field "$2" Seccomp)"
	want="$3 $4 $5 $PARENT_PRM 1 $6"
	[ "$got" = "$want" ] || fail "$1 (pid $2): Uid CapEff CapPrm CapBnd NoNewPrivs Seccomp are '$got', expected '$want'"
}
# written WHAT FILE UID SECCOMP: a program's record of itself (whoami.sh)
written() {
	got=$(record "$1" "$2" uid CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp)
	want="$3 $NONE $NONE $PARENT_PRM $NONE 1 $4"
	[ "$got" = "$want" ] || fail "$1: uid CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp are '$got', expected '$want'"
}

# 1. Checks without programs or ICMP: no capability, a filter.
site() {	# site EXTRA-VIRTUAL-BLOCKS
	cat <<CF
primary = 192.168.77.1
backup = 192.168.77.2
backup_active = 1
vrrp vi {
    vrid = 65
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
virtual https {
    address = 192.168.77.100 eth0:1
    port = 443
    check = https
    check_interval = 300ms
    check_rise = 1
    server rs {
        address = 192.168.77.11
    }
}
virtual se {
    address = 192.168.77.100 eth0:1
    port = 8080
    check = send_expect
    check_port = 80
    send = "GET / HTTP/1.0\\r\\n\\r\\n"
    expect = "HTTP/1.1 200"
    check_interval = 300ms
    check_rise = 1
    server rs {
        address = 192.168.77.11
    }
}
$1
CF
}
ICMP='virtual ping {
    address = 192.168.77.100 eth0:1
    port = 7
    check = icmp
    check_interval = 300ms
    check_rise = 1
    server rs {
        address = 192.168.77.11
    }
}'
EXEC="virtual prog {
    address = 192.168.77.100 eth0:1
    port = 9
    check = exec
    check_program = $T/bin/whoami.sh $T/out/exec
    check_interval = 300ms
    check_rise = 1
    server rs {
        address = 192.168.77.11
    }
}"
site >"$T/lvs.cf"
start a a -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-a"
start b b -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-b"
wait_log a "failover: vi BACKUP -> MASTER" 5 || fail "a never became master"
wait_up http/rs https/rs se/rs
P=$(pid_of a)
expect_proc parent "$P" 0 "$PARENT_EFF" "$PARENT_PRM" 0
expect_proc failover "$(child failover)" 0 "$FAILOVER" "$FAILOVER" "$FILTERED"
expect_proc checks "$(child checks)" "$LVSD_UID" "$NONE" "$NONE" "$FILTERED"
ok "parent, failover and checks processes: users, capabilities, no_new_privs, filters"
written notify_master "$T/out/notify-master" "$LVSD_UID" 0
ok "a notify command runs as lvsd with no capability"

# 2. The first ICMP check: a new checks process with cap_net_raw.
old=$(child checks)
site "$ICMP" >"$T/lvs.cf"
mark_all
"$LVSCTL" --socket "$T/state-a/lvsd.sock" reload >/dev/null ||
	fail "the reload with an ICMP check failed"
wait_log a "health-check process: restarting it: the first ICMP check" 3 ||
	fail "the checks process was not restarted for ICMP"
wait_up http/rs https/rs se/rs ping/rs
new=$(child checks)
[ -n "$new" ] && [ "$new" != "$old" ] || fail "no new checks process"
expect_proc checks "$new" "$LVSD_UID" "$RAW" "$RAW" "$FILTERED"
wait_log a "health-check process .* exited|rs .* DOWN" 0 &&
	fail "the restart was logged as a death, or a server went down"
ok "the first ICMP check: a checks process with cap_net_raw alone, every server still up"

# 3. The first check program: no filter (it would be the program's).
old=$new
site "$ICMP
$EXEC" >"$T/lvs.cf"
mark_all
"$LVSCTL" --socket "$T/state-a/lvsd.sock" reload >/dev/null ||
	fail "the reload with a check program failed"
wait_log a "restarting it: the first check program" 3 ||
	fail "the checks process was not restarted for the program"
wait_up http/rs https/rs se/rs ping/rs prog/rs
new=$(child checks)
[ "$new" != "$old" ] || fail "no new checks process"
expect_proc checks "$new" "$LVSD_UID" "$RAW" "$RAW" 0
written "check program" "$T/out/exec" "$LVSD_UID" 0
ok "a check program runs as lvsd with no capability, its checks process unfiltered"
stop a
stop b

# 4. Ping sockets allowed for lvsd's group: no capability for ICMP.
in_ns a sysctl -qw net.ipv4.ping_group_range="$LVSD_GID $LVSD_GID"
site "$ICMP" >"$T/lvs.cf"
start a a -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-a"
wait_up http/rs https/rs se/rs ping/rs
expect_proc checks "$(child checks)" "$LVSD_UID" "$NONE" "$NONE" "$FILTERED"
ok "ICMP checks through ping sockets (ping_group_range): no capability"
stop a

# 5. lvsd -t: commands other users could change; script_user = root.
mkdir -m 775 "$T/shared"
cp "$T/bin/whoami.sh" "$T/shared/"
cp "$T/bin/whoami.sh" "$T/bin/nobodys.sh"
chown nobody "$T/bin/nobodys.sh"
site "virtual x {
    address = 192.168.77.100 eth0:1
    port = 10
    check = exec
    check_program = $T/shared/whoami.sh
    server rs {
        address = 192.168.77.11
    }
}" | sed "s|^    notify_master = .*|    notify_master = A=1 $T/bin/nobodys.sh|" >"$T/bad.cf"
"$DRIVER" -t -f "$T/bad.cf" >"$T/t.out" 2>&1 && fail "lvsd -t accepted unsafe commands"
grep -q "^$T/bad.cf:7:5: error: \`notify_master\`: $T/bin/nobodys.sh belongs to nobody: only root and script_user \`lvsd\` may" "$T/t.out" ||
	{ cat "$T/t.out"; fail "no located error for a command another user owns"; }
grep -q "^$T/bad.cf:[0-9]*:5: error: \`check_program\`: $T/shared is writable by its group (mode 0775)" "$T/t.out" ||
	{ cat "$T/t.out"; fail "no located error for a command in a group-writable directory"; }
ok "lvsd -t refuses commands other users could change, with file:line:column"
{ echo "script_user = root"; site; } >"$T/root.cf"
"$DRIVER" -t -f "$T/root.cf" >"$T/t.out" 2>&1 ||
	{ cat "$T/t.out"; fail "lvsd -t refused script_user = root"; }
grep -q "^$T/root.cf:1:1: warning: script_user: \`root\` is root" "$T/t.out" ||
	{ cat "$T/t.out"; fail "no located warning for script_user = root"; }
ok "script_user = root: allowed, with a located warning"
echo "$passed passed"
