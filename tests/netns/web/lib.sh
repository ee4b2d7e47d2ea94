# A small LVS site for lvsd-web's tests, in namespaces this test creates:
#   $NS    the director: lvsd (IPVS dry run: this kernel may lack IPVS)
#          and lvsd-web on its loopback, 127.0.0.1:$WEB_PORT
#   $NS_R  the real servers Real1 10.77.0.11:8080 and Real2 10.77.0.12:8080
#          (tests/netns/hc/httpd.py), checked over HTTP every 300 ms
# Source it, then: web_site_up [lvsd-web flags...]; web_site_down on exit.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/build}"
LVSD=$top_builddir/lvsd
LVSCTL=$top_builddir/lvsctl
LVSD_WEB=$top_builddir/lvsd-web
NS=lvweb$$
NS_R=lvwebr$$
WEB_PORT=3636
WEB_URL=http://127.0.0.1:$WEB_PORT
T=$(mktemp -d /tmp/lvsd-web-test.XXXXXX)
export LVSCTL_SOCKET="$T/run/lvsd.sock"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }
skip() {
	echo "SKIP: $1"
	[ "${CI:-}" = true ] && exit 1
	exit 77
}
web_require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
	for c in python3 curl "$@"; do
		command -v "$c" >/dev/null || skip "needs $c"
	done
	[ -x "$LVSD_WEB" ] || skip "lvsd-web not built"
	[ -f /usr/share/javascript/dygraphs/dygraph.min.js ] ||
		skip "needs Debian's libjs-dygraphs (scripts/install-deps)"
}
in_ns() { ip netns exec "$NS" "$@"; }
# In the background, with $! the program's own PID (ip execs it).
in_ns_bg() { ip netns exec "$NS" "$@" & }
web_get() { in_ns curl -s --max-time 10 "$@"; }

web_site_down() {
	for p in $WEB_PID $LVSD_PID $RS_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $WEB_PID $LVSD_PID $RS_PIDS; do
		wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	ip netns del "$NS_R" 2>/dev/null
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}

# Stops lvsd-web and lvsd: each must exit 0 (under sanitizers: no leak,
# no error report).
web_stop() {
	kill -TERM "$WEB_PID"
	wait "$WEB_PID"
	rc_web=$?
	WEB_PID=
	check "lvsd-web stops cleanly" '[ $rc_web -eq 0 ] || { tail -30 "$T/web.log"; false; }'
	[ -n "$LVSD_PID" ] || return 0
	kill -TERM "$LVSD_PID"
	wait "$LVSD_PID"
	rc_lvsd=$?
	LVSD_PID=
	check "lvsd stops cleanly" '[ $rc_lvsd -eq 0 ] || { tail -30 "$T/lvsd.log"; false; }'
}

web_write_cf() {
	cat >"$T/lvs.cf" <<CF
primary = 10.77.0.2
virtual web {
    address = 10.77.0.100 eth0:1
    port = 80
    protocol = tcp
    scheduler = wlc
    check = http
    http_path = /
    check_interval = 300ms
    check_timeout = 1s
    check_fall = 1
    check_rise = 1
    server Real1 {
        address = 10.77.0.11
        port = 8080
        weight = 2
    }
    server Real2 {
        address = 10.77.0.12
        port = 8080
        weight = 1
    }
}
virtual dns {
    address = 10.77.0.101 eth0:2
    port = 53
    protocol = udp
    scheduler = rr
    check = none
    server ns1 {
        address = 10.77.0.11
    }
}
CF
}

# Starts a real server's HTTP listener; its PID is added to RS_PIDS.
web_rs_start() {
	ip netns exec "$NS_R" python3 "$top_srcdir/tests/netns/hc/httpd.py" "$1" 8080 &
	RS_PIDS="$RS_PIDS $!"
	eval "RS_PID_$(echo "$1" | tr . _)=$!"
}

# Waits until `cmd` succeeds, at most $1 tenths of a second.
web_wait() {
	n=$1; shift
	while ! eval "$*" && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	eval "$*"
}

web_start_lvsd() {
	: >"$T/lvsd.log"
	in_ns_bg "$LVSD" -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/run" \
		--lib-dir "$T/lib" 2>>"$T/lvsd.log"
	LVSD_PID=$!
	web_wait 100 'grep -q " ready: " "$T/lvsd.log"'
}

web_start_web() {
	: >"$T/web.log"
	in_ns_bg "$LVSD_WEB" -s "$LVSCTL_SOCKET" -a "$top_srcdir/web/assets" "$@" \
		2>>"$T/web.log"
	WEB_PID=$!
	web_wait 100 'web_get -o /dev/null "$WEB_URL/metrics"'
}

web_site_up() {
	trap web_site_down EXIT
	ip netns add "$NS" || skip "cannot create a namespace"
	ip netns add "$NS_R"
	in_ns ip link set lo up
	ip -n "$NS_R" link set lo up
	ip -n "$NS" link add eth0 type veth peer name eth0 netns "$NS_R"
	ip -n "$NS" addr add 10.77.0.2/24 dev eth0
	ip -n "$NS" link set eth0 up
	ip -n "$NS_R" addr add 10.77.0.11/24 dev eth0
	ip -n "$NS_R" addr add 10.77.0.12/24 dev eth0
	ip -n "$NS_R" link set eth0 up
	web_rs_start 10.77.0.11
	web_rs_start 10.77.0.12
	web_write_cf
	web_start_lvsd
	web_start_web "$@"
}
