# Shared by tests/netns/hc-*.sh: two network namespaces joined by a veth
# pair, real servers in "srv", the checker (hc-run) in "cli".  Nothing
# touches the host's own network.
#
#   . "$top_srcdir/tests/netns/hc/lib.sh"
#   hc_setup                 # namespaces $CLI/$SRV, addresses $CLI_IP/$SRV_IP
#   srv CMD...               # runs CMD in the server namespace
#   hc_start ARGS...         # hc-run in the client namespace, output in $OUT
#   hc_wait PATTERN SECONDS  # waits for a stdout line matching PATTERN
#   hc_assert_time PATTERN LO HI   # that line's time (since start) in [LO,HI]

set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
HC_RUN="$top_builddir/tests/netns/hc/hc-run"

hc_skip() { echo "SKIP: $*"; exit 77; }
hc_fail() {
	echo "FAIL: $*"
	if [ -n "${OUT:-}" ] && [ -f "$OUT" ]; then
		echo "--- hc-run stdout"; cat "$OUT"
		echo "--- hc-run stderr"; cat "$OUT.err"
	fi
	exit 1
}

hc_require() {
	[ "$(id -u)" = 0 ] || hc_skip "needs root for network namespaces"
	[ -x "$HC_RUN" ] || hc_skip "$HC_RUN not built"
	for t in ip "$@"; do
		command -v "$t" >/dev/null 2>&1 || hc_skip "$t not installed"
	done
}

hc_cleanup() {
	rc=$?
	for p in $HC_PIDS; do kill "$p" 2>/dev/null; done
	for p in $HC_PIDS; do wait "$p" 2>/dev/null; done
	# hc-run exits cleanly on TERM: sanitizer reports (leaks included)
	# land in its stderr and fail the test.
	if grep -Eq "Sanitizer|runtime error" "$TMP"/out*.err 2>/dev/null; then
		echo "FAIL: sanitizer report from hc-run"
		cat "$TMP"/out*.err
		rc=1
	fi
	ip netns del "$CLI" 2>/dev/null
	ip netns del "$SRV" 2>/dev/null
	rm -rf "$TMP"
	exit $rc
}

hc_setup() {
	n=$$
	CLI=hc-cli-$n
	SRV=hc-srv-$n
	CLI_IP=10.251.$((n % 250)).1
	SRV_IP=10.251.$((n % 250)).2
	CLI_IP6=fd51:0:0:$((n % 250))::1
	SRV_IP6=fd51:0:0:$((n % 250))::2
	HC_PIDS=
	TMP=$(mktemp -d /tmp/hc-test.XXXXXX)
	OUT=$TMP/out
	trap hc_cleanup EXIT
	trap 'exit 1' INT TERM
	ip netns add "$CLI" || hc_skip "cannot create a network namespace"
	ip netns add "$SRV"
	ip link add hc0 netns "$CLI" type veth peer name hc1 netns "$SRV"
	ip -n "$CLI" addr add "$CLI_IP/24" dev hc0
	ip -n "$SRV" addr add "$SRV_IP/24" dev hc1
	ip -n "$CLI" addr add "$CLI_IP6/64" dev hc0 nodad
	ip -n "$SRV" addr add "$SRV_IP6/64" dev hc1 nodad
	for ns in "$CLI" "$SRV"; do
		ip -n "$ns" link set lo up
	done
	ip -n "$CLI" link set hc0 up
	ip -n "$SRV" link set hc1 up
	# Resolve neighbours now, not in the first check.
	cli ping -c1 -W2 "$SRV_IP" >/dev/null 2>&1
	cli ping -6 -c1 -W2 "$SRV_IP6" >/dev/null 2>&1
	# Ping sockets for everybody in the client namespace.
	ip netns exec "$CLI" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
}

srv() { ip netns exec "$SRV" "$@"; }
cli() { ip netns exec "$CLI" "$@"; }

# Starts CMD in the server namespace in the background; its pid in $!.
srv_bg() {
	ip netns exec "$SRV" "$@" >"$TMP/srv.$#.log" 2>&1 &
	HC_PIDS="$HC_PIDS $!"
}

# Waits until something listens on TCP port $1 in the server namespace.
srv_wait_tcp() {
	i=0
	while ! srv ss -Hltn "sport = :$1" | grep -q LISTEN; do
		i=$((i + 1))
		[ $i -gt 100 ] && hc_fail "nothing listening on port $1"
		sleep 0.05
	done
}

hc_start() {
	ip netns exec "$CLI" "$HC_RUN" "$@" >"$OUT" 2>"$OUT.err" &
	HC_RUN_PID=$!
	HC_PIDS="$HC_PIDS $HC_RUN_PID"
}

# hc_wait PATTERN SECONDS: a stdout line of hc-run matching the ERE.
hc_wait() {
	end=$(($(date +%s) + $2))
	while ! grep -Eq -- "$1" "$OUT"; do
		[ "$(date +%s)" -ge "$end" ] && hc_fail "no line matching /$1/ within $2 s"
		sleep 0.05
	done
}

# hc_wait_log PATTERN SECONDS: the same for the log (stderr).
hc_wait_log() {
	end=$(($(date +%s) + $2))
	while ! grep -Eq -- "$1" "$OUT.err"; do
		[ "$(date +%s)" -ge "$end" ] && hc_fail "no log line matching /$1/ within $2 s"
		sleep 0.05
	done
}

# Seconds (float) of the first stdout line matching PATTERN.
hc_time() { grep -E -- "$1" "$OUT" | head -n1 | cut -d' ' -f1; }

# Current time in hc-run's clock (seconds since it started).
hc_now() {
	awk -v now="$(date +%s.%N)" '$2 == "START" { printf "%.3f\n", now - $3; exit }' "$OUT"
}

# hc_assert_between VALUE LO HI [what]
hc_assert_between() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }' ||
		hc_fail "${4:-value} $1 not in [$2, $3]"
}

# Counts stdout lines matching PATTERN.
hc_count() { grep -Ec -- "$1" "$OUT" || true; }

hc_stop() {
	kill "$HC_RUN_PID" 2>/dev/null
	wait "$HC_RUN_PID" 2>/dev/null
	return 0
}

# hc_wait_count PATTERN N SECONDS: waits for the Nth matching stdout line;
# its time in $HC_T.
hc_wait_count() {
	end=$(($(date +%s) + $3))
	while [ "$(hc_count "$1")" -lt "$2" ]; do
		[ "$(date +%s)" -ge "$end" ] && hc_fail "fewer than $2 lines matching /$1/ within $3 s"
		sleep 0.05
	done
	HC_T=$(grep -E -- "$1" "$OUT" | sed -n "${2}p" | cut -d' ' -f1)
}

# hc_block PORT [PROTO]: black-holes PROTO (tcp) PORT in the server namespace.
hc_block() {
	srv nft -f - <<NFT
table inet hctest {
	chain in {
		type filter hook input priority 0; policy accept;
		${2:-tcp} dport $1 drop
	}
}
NFT
}
# hc_block_rule RULES: nftables rules (with their verdicts), server side.
hc_block_rule() {
	srv nft -f - <<NFT
table inet hctest {
	chain in {
		type filter hook input priority 0; policy accept;
		$1
	}
}
NFT
}
hc_unblock() { srv nft delete table inet hctest; }

# hc_plus T D: T + D
hc_plus() { echo "$1 + $2" | bc; }
