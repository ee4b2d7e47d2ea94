# Shared helpers for tests/netns/announce-*.sh (sourced): the route
# announcement driver (vrrp/announce.c) in network namespaces this script
# creates, read back with `ip route show table N`.

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; dump_logs; exit 1; }
pass() { echo "PASS: $*"; }

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "no iproute2"

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
DRIVER=${DRIVER:-$top_builddir/tests/netns/announce/announce-driver}
[ -x "$DRIVER" ] || skip "no $DRIVER (make builds it)"

NS=lva$$
T=$(mktemp -d /tmp/lvsd-announce.XXXXXX)
PIDS=""
NSES=""

cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for n in $NSES; do ip netns del "$NS-$n" 2>/dev/null; done
	[ -n "${KEEP_LOGS:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

dump_logs() {
	for f in "$T"/*.log; do
		[ -f "$f" ] || continue
		echo "--- $f"; tail -n 40 "$f"
	done
}

in_ns() { _ns=$1; shift; ip netns exec "$NS-$_ns" "$@"; }

# new_ns NAME: a namespace with lo up
new_ns() {
	ip netns add "$NS-$1" || skip "cannot create network namespaces"
	NSES="$NSES $1"
	in_ns "$1" ip link set lo up
}

# start NAME NS ARGS...: the driver in namespace NS, output in $T/NAME.log
start() {
	_name=$1 _where=$2; shift 2
	: >"$T/$_name.log"
	# not through in_ns: $! must be the driver itself (kill -9, signals)
	ip netns exec "$NS-$_where" "$DRIVER" "$@" >"$T/$_name.log" 2>&1 &
	eval "PID_$_name=$!"
	PIDS="$PIDS $!"
}

pid_of() { eval "echo \$PID_$1"; }

# nlines NAME REGEX: how many lines of the log match
nlines() { grep -Ec "$2" "$T/$1.log"; }

# wait_lines NAME REGEX N SECONDS: until more than N lines match
wait_lines() {
	_end=$(($(date +%s%N) / 1000000 + $4 * 1000))
	while [ "$(nlines "$1" "$2")" -le "$3" ]; do
		[ $(($(date +%s%N) / 1000000)) -lt $_end ] || return 1
		sleep 0.02
	done
}

# signal NAME SIG: sends SIG and waits for the driver's STATE line
signal() {
	_n=$(nlines "$1" '^STATE ')
	kill "-$2" "$(pid_of "$1")"
	wait_lines "$1" '^STATE ' "$_n" 5 || fail "$1 did not answer SIG$2"
}

# routes NS TABLE: the table's routes, both families, one destination a
# line, sorted ("" when empty; iproute2 complains about an IPv6 table
# that does not exist yet)
routes() {
	{
		in_ns "$1" ip -4 route show table "$2"
		in_ns "$1" ip -6 route show table "$2" 2>/dev/null
	} | awk '{ print $1 }' | sort | tr '\n' ' ' | sed 's/ $//'
}

# expect_routes NS TABLE "DST DST...": exactly these (sorted) destinations
expect_routes() {
	_got=$(routes "$1" "$2")
	[ "$_got" = "$3" ] || fail "table $2 in $1: expected '$3', found '$_got'"
}

# wait_routes NS TABLE "DST..." SECONDS
wait_routes() {
	_end=$(($(date +%s%N) / 1000000 + $4 * 1000))
	while [ "$(routes "$1" "$2")" != "$3" ]; do
		[ $(($(date +%s%N) / 1000000)) -lt $_end ] ||
			fail "table $2 in $1: expected '$3', found '$(routes "$1" "$2")' after $4 s"
		sleep 0.02
	done
}

# has_addr NS DEV ADDR: ADDR is an address of DEV
has_addr() { in_ns "$1" ip -o addr show dev "$2" | grep -q " $3/"; }
