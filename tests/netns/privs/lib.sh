# Shared by lvsd-privs.sh and lvsd-nonroot.sh (sourced after
# failover/lib.sh, with LVSCTL set): the site (a director pair and a real
# server at 192.168.77.11 with an HTTP server on port 80), a program that
# records what it runs as, and reading credentials from /proc.

passed=0
ok() { pass "$1"; passed=$((passed + 1)); }

# site_up: the topology, $T/bin and $T/out (lvsd's user may write there),
# the real server's HTTP server, $T/bin/whoami.sh FILE
site_up() {
	setup_topo
	in_ns c ip addr add 192.168.77.11/24 dev eth0
	chmod 755 "$T"
	mkdir "$T/bin" "$T/out"
	chown lvsd "$T/out"
	# (not through in_ns: $! must be the server itself, for the cleanup)
	ip netns exec "$NS-c" python3 "$top_srcdir/tests/netns/hc/httpd.py" 192.168.77.11 80 \
		2>"$T/httpd-80.err" &
	PIDS="$PIDS $!"
	# What a program lvsd starts runs as: its shell's own status.
	cat >"$T/bin/whoami.sh" <<'SH'
#!/bin/sh
{ echo "uid $(id -u)"; grep -E '^(Cap(Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' \
	/proc/$$/status; } >"$1.tmp" && mv "$1.tmp" "$1"
SH
	chmod 755 "$T/bin/whoami.sh"
}

# mask CAP...: the capability set as /proc/PID/status prints it
mask() {
	python3 -c 'import sys
caps = {"kill": 5, "setgid": 6, "setuid": 7, "net_bind_service": 10,
    "net_admin": 12, "net_raw": 13, "ipc_lock": 14, "sys_nice": 23}
print("%016x" % sum(1 << caps[c] for c in sys.argv[1:]))' "$@"
}
NONE=0000000000000000

# field PID NAME: a line of /proc/PID/status ("Uid" gives the real uid)
field() { awk -v f="$2:" '$1 == f { print $2; exit }' "/proc/$1/status"; }
# child NAME: the pid of director a's process "lvsd: NAME"
child() { pgrep -P "$(pid_of a)" -f "lvsd: $1"; }

# record WHAT FILE FIELD...: the fields of whoami.sh's record in FILE
# ("uid", "CapPrm", ...), once it is there
record() {
	i=0
	while [ ! -s "$2" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$2" ] || fail "$1 never ran (no $2)"
	_f=$2
	shift 2
	for n in "$@"; do
		awk -v f="$n" '{ sub(/:$/, "", $1) } $1 == f { print $2; exit }' "$_f"
	done | xargs
}

# up SERVICE/SERVER...: each is up in `lvsctl show` of director a;
# wait_up: until they are (10 s)
up() {
	"$LVSCTL" --socket "$T/state-a/lvsd.sock" --json show | python3 -c '
import json, sys
want = set(sys.argv[1:])
for v in json.load(sys.stdin)["virtual_services"]:
    for s in v["servers"]:
        if s.get("health") == "up":
            want.discard(v["name"] + "/" + s["name"])
sys.exit(1 if want else 0)' "$@"
}
wait_up() {
	i=0
	while ! up "$@" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	up "$@" || fail "not all of $* came up: $("$LVSCTL" --socket "$T/state-a/lvsd.sock" show)"
}
