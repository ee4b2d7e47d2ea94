# Shared helpers for tests/netns/vrrp-*.sh and pulse-*.sh (sourced).
#
# Topology: namespace $NS-br holds bridge br0; directors $NS-a, $NS-b and
# client $NS-c each have eth0 on it: 192.168.77.1/.2/.9/24 and
# fd00:77::1/2/9/64 (DAD off).  Only namespaces this script creates.

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; dump_logs; exit 1; }
pass() { echo "PASS: $*"; }

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "no iproute2"
command -v ping >/dev/null || skip "no ping (iputils-ping)"

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
DRIVER=${DRIVER:-$top_builddir/tests/netns/failover/failover-driver}
[ -x "$DRIVER" ] || skip "no $DRIVER (make check builds it)"

NS=lvf$$
T=$(mktemp -d /tmp/lvsd-failover.XXXXXX)
PIDS=""

cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for n in a b c br; do ip netns del "$NS-$n" 2>/dev/null; done
	[ -n "$KEEP_LOGS" ] || rm -rf "$T"
}
trap cleanup EXIT

dump_logs() {
	for f in "$T"/*.log; do
		[ -f "$f" ] || continue
		echo "--- $f"; tail -n 40 "$f"
	done
}

in_ns() { _ns=$1; shift; ip netns exec "$NS-$_ns" "$@"; }

setup_topo() {
	ip netns add "$NS-br" || skip "cannot create network namespaces"
	in_ns br ip link add br0 type bridge
	in_ns br ip link set br0 up
	i=0
	for n in a b c; do
		i=$((i + 1)); [ $n = c ] && i=9
		ip netns add "$NS-$n"
		in_ns $n sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		    net.ipv6.conf.default.accept_dad=0
		in_ns $n ip link set lo up
		in_ns br ip link add "p$n" type veth peer name eth0 netns "$NS-$n"
		in_ns br ip link set "p$n" master br0 up
		in_ns $n ip link set eth0 address "02:00:00:00:77:0$i"
		in_ns $n ip addr add "192.168.77.$i/24" dev eth0
		in_ns $n ip addr add "fd00:77::$i/64" dev eth0 nodad
		in_ns $n ip link set eth0 up
	done
	# link-local addresses appear with the link; let them settle
	sleep 0.3
}

# start NAME NS ARGS...: runs the driver in namespace NS, log in $T/NAME.log
start() {
	_name=$1 _where=$2; shift 2
	# truncate now: the background redirection happens later, and a
	# wait_log right after must not read the previous run's lines
	: >"$T/$_name.log"
	# not through in_ns: a backgrounded function is a subshell, and $!
	# must be the driver itself for kill -9 and the signals
	ip netns exec "$NS-$_where" "$DRIVER" "$@" >"$T/$_name.log" 2>&1 &
	eval "PID_$_name=$! MARK_$_name=0"
	PIDS="$PIDS $!"
}

pid_of() { eval "echo \$PID_$1"; }

# mark NAME: later wait_log calls on NAME only look at lines after this
mark() { eval "MARK_$1=$(wc -l <"$T/$1.log")"; }
# mark_all: mark every log, before an action whose effect a test awaits
mark_all() {
	for _f in "$T"/*.log; do
		[ -f "$_f" ] || continue
		_b=$(basename "$_f" .log)
		case $_b in *[!a-z0-9_]*) continue ;; esac
		mark "$_b"
	done
}

# wait_log NAME REGEX SECONDS: until the log (after its mark) matches
wait_log() {
	_from=$(eval "echo \${MARK_$1:-0}")
	_end=$(($(date +%s%N) / 1000000 + $3 * 1000))
	while :; do
		tail -n +$((_from + 1)) "$T/$1.log" 2>/dev/null | grep -Eq "$2" &&
			return 0
		[ $(($(date +%s%N) / 1000000)) -lt $_end ] || return 1
		sleep 0.02
	done
}

# state NAME INSTANCE: the instance's current state, through SIGUSR2
state() {
	before=$(grep -c '^STATS' "$T/$1.log")
	kill -USR2 "$(pid_of "$1")"
	i=0
	while [ "$(grep -c '^STATS' "$T/$1.log")" -le "$before" ] && [ $i -lt 40 ]; do
		sleep 0.05; i=$((i + 1))
	done
	grep "^STATS $2 " "$T/$1.log" | tail -n 1 | awk '{print $3}'
}

# stat NAME INSTANCE KEY: a counter from the last STATS line
stat() {
	state "$1" "$2" >/dev/null
	grep "^STATS $2 " "$T/$1.log" | tail -n 1 | tr ' ' '\n' |
	    sed -n "s/^$3=//p"
}

expect_state() {
	s=$(state "$1" "$2")
	[ "$s" = "$3" ] || fail "$1/$2 is $s, expected $3"
}

# has_vip NS ADDR: the address is configured in the namespace
has_vip() { in_ns "$1" ip -o addr show | grep -q " $2/"; }

stop() {
	mark_all
	p=$(pid_of "$1")
	kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
}

# kill9 NODE: the whole director dies at once (lvsd and its processes: a
# failover process that outlives its parent releases the addresses, which
# is another test's subject).
kill9() {
	mark_all
	p=$(pid_of "$1")
	c=$(pgrep -P "$p")
	# Stopped first: the failover process (SCHED_RR) would otherwise run
	# the moment its parent dies, before kill reaches it.
	kill -STOP "$p" $c 2>/dev/null
	kill -9 "$p" $c 2>/dev/null
	wait "$p" 2>/dev/null
}
