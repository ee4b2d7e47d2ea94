#!/bin/sh
# The control socket's two roles, decided from the peer's credentials:
# a stranger, a member of monitor_group and a member of control_group
# each try every command (as other uids, with setpriv); what each may do,
# what they are told, what the log says (who, uid, pid, command line); a
# claimed actor never replaces who asked; the groups follow a reload; a
# group that does not exist is refused at its line; a stranger's connect
# flood costs one log line a second, with its count.
#
# No user or group is created: lvs.cf names two groups every Debian system
# has (adm, users) and setpriv gives the clients their gids.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
LVSD=$top_builddir/lvsd
LVSCTL=$top_builddir/lvsctl
NS=lvroles$$
T=$(mktemp -d /tmp/lvsd-roles.XXXXXX)
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }
cleanup() {
	[ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT; [ -n "${DEBUG:-}" ] && trap - EXIT
ADMIN_GID=$(getent group adm | cut -d: -f3)
READ_GID=$(getent group users | cut -d: -f3)
[ -n "$ADMIN_GID" ] && [ -n "$READ_GID" ] || { echo "FAIL: groups adm and users are missing"; exit 1; }
ip netns add "$NS" || { echo "SKIP: cannot create a namespace"; exit 77; }
ip -n "$NS" link set lo up
ip -n "$NS" link add eth0 type veth peer name eth9
ip -n "$NS" link set eth0 up
ip -n "$NS" link set eth9 up
ip -n "$NS" addr add 10.5.0.2/24 dev eth0
chmod 0755 "$T"

write_cf() {
	cat >"$T/lvs.cf" <<CF
primary = 10.5.0.2
control_group = adm
monitor_group = $1
virtual web {
    address = 10.5.0.100 eth0:1
    port = 80
    scheduler = rr
    check = none
    server a {
        address = 10.5.0.11
    }
    server b {
        address = 10.5.0.12
    }
}
CF
}
write_cf users
: >"$T/lvsd.log"
ip netns exec "$NS" "$LVSD" -n -f "$T/lvs.cf" --ipvs-dry-run \
	--state-dir "$T/run" --lib-dir "$T/lib" 2>>"$T/lvsd.log" &
PID=$!
i=0
while ! grep -q " ready: " "$T/lvsd.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
export LVSCTL_SOCKET="$T/run/lvsd.sock"

# as UID GID [GROUP]: lvsctl ARGS..., its output in $T/out, its status in rc.
as() {
	uid=$1 gid=$2 groups=$3
	shift 3
	if [ -n "$groups" ]; then set -- --groups "$groups" "$@"; else set -- --clear-groups "$@"; fi
	setpriv --reuid "$uid" --regid "$gid" "$@" >"$T/out" 2>&1
}
stranger() { as 54321 54321 "" "$LVSCTL" "$@"; }
reader() { as 54322 54322 "$READ_GID" "$LVSCTL" "$@"; }
admin() { as 54323 54323 "$ADMIN_GID" "$LVSCTL" "$@"; }
denied() { ! "$@" && grep -q "permission denied" "$T/out" || { [ -n "${DEBUG:-}" ] && cat "$T/out"; false; }; }

for cmd in status show dump metrics events drain disable enable failover reload; do
	arg=; case $cmd in drain|disable|enable) arg=web/a ;; esac
	check "stranger: $cmd refused" "denied stranger $cmd $arg"
done
check "stranger: told which groups may" 'stranger status; grep -q "control_group: adm; monitor_group: users" "$T/out"'
check "stranger: the log names them" 'grep -q "control socket: refused uid 54321, pid [0-9]*: no role" "$T/lvsd.log"'

for cmd in status show dump metrics events; do
	check "reader: $cmd answered" "reader $cmd"
done
for cmd in drain disable enable failover reload; do
	arg=; case $cmd in drain|disable|enable) arg=web/a ;; esac
	check "reader: $cmd refused, with the role it has" \
		"denied reader $cmd $arg && grep -q 'needs the admin role.*has the read-only role' \"\$T/out\""
done
check "reader: the refusal is logged with the command line" \
	'grep -q "refused .drain. to uid 54322 (uid 54322, pid [0-9]*: .*lvsctl drain web/a) (read-only role)" "$T/lvsd.log"'
check "reader: nothing changed" '"$LVSCTL" show | grep -q "^  a " && ! "$LVSCTL" show | grep -q "drained\|disabled"'

check "admin: drain" 'admin drain web/a'
check "admin: show says who drained" '"$LVSCTL" show | grep -Eq "drained by uid 54323, 20[0-9-]+ [0-9:]+"'
check "admin: the log has uid, pid and command line" \
	'grep -q "operator: web/a drained by uid 54323 \[uid 54323 (uid 54323, pid [0-9]*: .*lvsctl drain web/a)\]" "$T/lvsd.log"'
check "admin: enable, disable, enable" 'admin enable web/a && admin disable web/a && admin enable web/a'
check "admin: reload (logged with who)" 'admin reload && grep -q "operator: reload asked by uid 54323 (uid 54323" "$T/lvsd.log"'
check "admin: failover reaches the daemon (a lone director has no peer)" \
	'! admin failover && grep -q "no peer" "$T/out"'
check "admin: status" 'admin status'

# A claimed actor is recorded with who claimed it, never instead.
python3 - "$LVSCTL_SOCKET" >"$T/claim.out" 2>&1 <<'PY'
import os, socket, sys
os.setgroups([4]); os.setgid(54323); os.setuid(54323)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(sys.argv[1])
s.sendall(b'{"command":"drain","server":"web/b","actor":"root"}\n')
print(s.recv(4096).decode().strip())
PY
check "a claimed actor comes with who claimed it" '"$LVSCTL" show | grep -q "drained by root via uid 54323, "'
"$LVSCTL" enable web/b >/dev/null

# The groups follow a reload; a group that does not exist is refused.
write_cf staff
check "reload: monitor_group changed" '"$LVSCTL" reload >/dev/null'
check "reload: the old group is refused now" 'denied reader status'
sed -i 's/^control_group = adm$/control_group = nosuchgroup-lvsd/' "$T/lvs.cf"
check "reload: a missing group is refused at its line" \
	'! "$LVSCTL" reload 2>"$T/err" && grep -q "lvs.cf:2:1: error: control_group: group .nosuchgroup-lvsd. does not exist" "$T/err"'
check "lvsd -t: the same error" \
	'! "$LVSD" -t -f "$T/lvs.cf" 2>"$T/err" && grep -q "lvs.cf:2:1: error: control_group: group .nosuchgroup-lvsd. does not exist" "$T/err"'
check "reload refused: the admin group still works" 'admin status && admin drain web/a && admin enable web/a'

# A stranger's flood: every connection refused, one log line a second.
before=$(grep -c "control socket: refused uid 54321" "$T/lvsd.log")
setpriv --reuid 54321 --regid 54321 --clear-groups /usr/bin/python3 - "$LVSCTL_SOCKET" <<'PY'
import socket, sys
for _ in range(2000):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(sys.argv[1]); s.recv(512)
    except OSError:
        pass
    s.close()
PY
sleep 1.1
stranger status
after=$(grep -c "control socket: refused uid 54321" "$T/lvsd.log")
check "flood: at most a few log lines ($((after - before)) for 2001 connections)" '[ $((after - before)) -le 10 ]'
check "flood: the count of the others is logged" 'grep -Eq "refused uid 54321, pid [0-9]+ \(no role\), and [0-9]+ other connections since" "$T/lvsd.log"'
check "flood: the daemon still answers" '"$LVSCTL" status >/dev/null'
kill -TERM "$PID"; wait "$PID"
PID=
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
