# Shared by the tests of one director alone in a namespace (sourced after
# NS and T are set): the TAP-like check(), cleanup, the namespace with
# eth0, lvsd under an IPVS dry run, and reading its state through lvsctl.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
LVSD=$top_builddir/lvsd
pass=0 fail=0
check() {
	if eval "$2"; then pass=$((pass + 1)); echo "ok - $1"
	else fail=$((fail + 1)); echo "not ok - $1"; fi
}
cleanup() {
	[ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null
	[ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# single_ns ADDR/LEN...: the namespace, lo and eth0 (a veth) up, addresses
single_ns() {
	ip netns add "$NS" || { echo "SKIP: cannot create a namespace"; exit 77; }
	ip -n "$NS" link set lo up
	ip -n "$NS" link add eth0 type veth peer name peer0
	ip -n "$NS" link set eth0 up
	ip -n "$NS" link set peer0 up
	for a in "$@"; do ip -n "$NS" addr add "$a" dev eth0; done
}

# start_lvsd: lvsd on $T/lvs.cf, IPVS dry run, log in $T/lvsd.log
export LVSCTL_SOCKET="$T/run/lvsd.sock"
start_lvsd() {
	: >"$T/lvsd.log"
	ip netns exec "$NS" "$LVSD" -n -f "$T/lvs.cf" --ipvs-dry-run \
		--state-dir "$T/run" --lib-dir "$T/lib" 2>>"$T/lvsd.log" &
	PID=$!
}
ctl() { "$top_builddir/lvsctl" "$@"; }
dumpval() { ctl --json dump | python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
# weight SERVICE/SERVER: its weight in the (dry-run) kernel table (empty
# while lvsd is not answering yet)
weight() { ctl --json show 2>/dev/null | python3 -c "
import json, sys
try:
    vs = json.load(sys.stdin)['virtual_services']
except ValueError:
    vs = []
for v in vs:
    for s in v['servers']:
        if v['name'] + '/' + s['name'] == '$1': print(s.get('kernel_weight'))"; }

# finish: stops lvsd, checks a clean exit, prints the tally
finish() {
	kill -TERM $PID
	wait $PID
	rc=$?
	PID=
	check "clean exit" '[ $rc -eq 0 ] && ! grep -q "ERROR: .*Sanitizer" "$T/lvsd.log"'
	[ $fail -eq 0 ] || tail -40 "$T/lvsd.log"
	echo "$pass passed, $fail failed"
	[ $fail -eq 0 ]
}
