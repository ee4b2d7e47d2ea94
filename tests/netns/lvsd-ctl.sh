#!/bin/sh
# lvsctl against a running lvsd (in a namespace, IPVS dry run): every
# command in both forms (text, and JSON checked by a JSON parser),
# overrides that change the table and survive a restart, a rejected reload
# with file:line:column and a non-zero exit, and clients that send garbage,
# an endless line or nothing cannot disturb the daemon.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
LVSD=$top_builddir/lvsd
LVSCTL=$top_builddir/lvsctl
NS=lvctl$$
T=$(mktemp -d /tmp/lvsd-ctl.XXXXXX)
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }
cleanup() {
	[ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
ip netns add "$NS" || { echo "SKIP: cannot create a namespace"; exit 77; }
ip -n "$NS" link set lo up
ip -n "$NS" link add eth0 type veth peer name eth9
ip -n "$NS" link set eth0 up
ip -n "$NS" link set eth9 up
ip -n "$NS" addr add 10.5.0.2/24 dev eth0

cat >"$T/lvs.cf" <<'CF'
primary = 10.5.0.2
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
        weight = 3
    }
}
CF
start() {
	: >"$T/lvsd.log"
	ip netns exec "$NS" "$LVSD" -n -f "$T/lvs.cf" --ipvs-dry-run \
		--state-dir "$T/run" --lib-dir "$T/lib" 2>>"$T/lvsd.log" &
	PID=$!
	i=0
	while ! grep -q " ready: " "$T/lvsd.log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
export LVSCTL_SOCKET="$T/run/lvsd.sock"
ctl() { "$LVSCTL" "$@"; }
json_ok() { python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d.get("ok") else 1)'; }
start

check "status: text" 'ctl status | grep -q "^failover: lone director, active"'
check "status: JSON" 'ctl --json status | json_ok'
check "show: the table with weights" 'ctl show | grep -Eq "^  b +-> 10.5.0.12:80 +nat +3 "'
check "show: JSON" 'ctl --json show | python3 -c "import json,sys; d=json.load(sys.stdin); s=d[\"virtual_services\"][0][\"servers\"]; sys.exit(0 if [x[\"effective_weight\"] for x in s]==[1,3] else 1)"'
check "dump: JSON" 'ctl dump | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if \"status\" in d and \"show\" in d else 1)"'
check "metrics: Prometheus text" 'ctl metrics | grep -q "^lvsd_real_server_weight{virtual=\"web\",server=\"b\",local_address=\"10.5.0.100\",local_port=\"80\",local_mark=\"\",proto=\"TCP\",remote_address=\"10.5.0.12\",remote_port=\"80\"} 3$"'

check "drain: weight 0 in the kernel" 'ctl drain web/b >/dev/null && grep -q "dry-run: ipvsadm -e -t 10.5.0.100:80 -r 10.5.0.12:80 -m -w 0" "$T/lvsd.log"'
check "drain: show says why, who and when" 'ctl show | grep -Eq "drained by root, 20[0-9-]+ [0-9:]+"'
check "disable: out of the table" 'ctl disable web/a >/dev/null && grep -q "dry-run: ipvsadm -d -t 10.5.0.100:80 -r 10.5.0.11:80" "$T/lvsd.log"'
check "unknown server: clear error, exit 1" 'ctl drain web/zz 2>"$T/err"; [ $? -eq 1 ] && grep -q "virtual .web. has no server .zz." "$T/err"'
check "bad argument: exit 2" 'ctl drain nosuch 2>/dev/null; [ $? -eq 2 ]'
check "failover on a lone director: refused" 'ctl failover 2>"$T/err"; [ $? -eq 1 ] && grep -q "no peer" "$T/err"'

# Overrides survive a reload and a restart.
sed -i 's/weight = 3/weight = 4/' "$T/lvs.cf"
check "reload: applied, with what changed" 'ctl reload | grep -q "^applied .*lvs.cf at .*: services +0 ~0 -0, real servers +0 ~0 -0"'
check "reload: overrides kept" 'ctl --json show | python3 -c "import json,sys; d=json.load(sys.stdin); s=d[\"virtual_services\"][0][\"servers\"]; sys.exit(0 if [x[\"in_table\"] for x in s]==[False,True] and s[1][\"effective_weight\"]==0 else 1)"'
kill -TERM "$PID"; wait "$PID"
start
check "restart: overrides kept, with who set them" 'ctl show | grep -q "disabled by root, " && ctl show | grep -q "drained by root, "'
check "enable: back at its weight" 'ctl enable web/b >/dev/null && ctl enable web/a >/dev/null && ctl --json show | python3 -c "import json,sys; d=json.load(sys.stdin); s=d[\"virtual_services\"][0][\"servers\"]; sys.exit(0 if [x[\"effective_weight\"] for x in s]==[1,4] else 1)"'

echo "bogus_key = 1" >>"$T/lvs.cf"
check "bad reload: exit 1 with file:line:column" 'ctl reload 2>"$T/err"; [ $? -eq 1 ] && grep -q "lvs.cf:15:1: error: unknown key .bogus_key." "$T/err"'
check "bad reload: status shows it" 'ctl status | grep -q "^last reload: rejected"'
sed -i '/bogus_key/d' "$T/lvs.cf"

# drain_time: a server that leaves (removed from the file, or disabled)
# first stays at weight 0, and is deleted after drain_time.
sed -i 's/^primary = 10.5.0.2$/&\ndrain_time = 1s/' "$T/lvs.cf"
ctl reload >/dev/null
n0=$(grep -c "ipvsadm -d -t 10.5.0.100:80 -r 10.5.0.12:80" "$T/lvsd.log")
sed -i '/server b {/,/}/d' "$T/lvs.cf"
ctl reload >/dev/null
check "drain: a removed server goes to weight 0 first" 'grep -q "web/b: draining (weight 0) for 1000 ms before removal" "$T/lvsd.log" && grep -q "dry-run: ipvsadm -e -t 10.5.0.100:80 -r 10.5.0.12:80 -m -w 0" "$T/lvsd.log"'
check "drain: not deleted yet" '[ "$(grep -c "ipvsadm -d -t 10.5.0.100:80 -r 10.5.0.12:80" "$T/lvsd.log")" -eq "$n0" ]'
sleep 1.5
check "drain: deleted after drain_time" 'grep -q "web/b: drained, removing it" "$T/lvsd.log" && [ "$(grep -c "ipvsadm -d -t 10.5.0.100:80 -r 10.5.0.12:80" "$T/lvsd.log")" -gt "$n0" ]'

# Misbehaving clients.
python3 - "$LVSCTL_SOCKET" >"$T/garbage.out" 2>&1 <<'PY'
import socket, sys, time
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path); return s
silent = [conn() for _ in range(5)]             # connect and say nothing
g = conn(); g.sendall(b"this is not json\n"); print(g.recv(4096).decode().strip())
g = conn(); g.sendall(b'{"command":"frobnicate"}\n'); print(g.recv(4096).decode().strip())
g = conn(); g.sendall(b'{"no":"command"}\n'); print(g.recv(4096).decode().strip())
big = conn(); big.sendall(b"x" * 70000)           # no newline, too long
print(big.recv(4096).decode().strip())
half = conn(); half.sendall(b'{"command":')      # never finishes
time.sleep(0.3)
PY
check "garbage: clear JSON error" 'grep -q "\"error\":\"bad request: expected one JSON object per line" "$T/garbage.out"'
check "unknown command: clear error" 'grep -q "unknown command .frobnicate." "$T/garbage.out"'
check "no command: clear error" 'grep -q "no \\\\\"command\\\\\" string\|no .command. string" "$T/garbage.out"'
check "endless line: refused" 'grep -q "line longer than 64 KiB" "$T/garbage.out"'
check "daemon still answers after bad clients" 'ctl --json status | json_ok'
check "daemon log has no error from them" '! grep -qi "fatal\|assert" "$T/lvsd.log"'
kill -TERM "$PID"; wait "$PID"; rc=$?
PID=
check "stop: exit 0, socket removed" '[ $rc -eq 0 ] && [ ! -e "$LVSCTL_SOCKET" ]'
check "lvsctl without a daemon: exit 3" 'ctl status 2>/dev/null; [ $? -eq 3 ]'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
