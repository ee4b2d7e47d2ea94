#!/bin/sh
# ICMP echo checks over IPv4 and IPv6, through unprivileged ping sockets
# and through the raw-socket fallback, alone and as a pre-check before a
# TCP check (as nanny pinged before connecting).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netns/hc/lib.sh"
hc_require socat nft
hc_setup

srv_bg socat TCP6-LISTEN:8080,fork,reuseaddr,ipv6only=0 SYSTEM:true
srv_wait_tcp 8080
T="interval=300 timeout=600"
run() {
	hc_start -d 0 \
		type=icmp label=ping4 addr="$SRV_IP" $T fall=2 \
		type=icmp label=ping6 addr="$SRV_IP6" $T fall=2 \
		type=tcp label=pre addr="$SRV_IP" port=8080 icmp=1 $T \
		type=tcp label=tcp6 addr="$SRV_IP6" port=8080 $T
	for l in ping4 ping6 pre tcp6; do hc_wait "UP $l " 2; done
	grep -Eq "UP ping4 $SRV_IP -1 ICMP echo reply in [0-9.]+ ms" "$OUT" || hc_fail "ping4 reason"
	grep -q "UP pre $SRV_IP:8080 -1 TCP connect succeeded" "$OUT" || hc_fail "pre-check UP reason"
	grep -q "UP tcp6 \[$SRV_IP6\]:8080 " "$OUT" || hc_fail "IPv6 TCP"

	hc_block_rule "icmp type echo-request drop
		icmpv6 type echo-request drop"
	t=$(hc_now)
	hc_wait "DOWN ping4 " 3
	hc_wait "DOWN ping6 " 3
	hc_wait "DOWN pre " 3
	hc_assert_between "$(hc_time "DOWN ping4")" "$(hc_plus "$t" 0.6)" "$(hc_plus "$t" 2.0)" "ping4 DOWN time"
	grep -q "^ping4 $SRV_IP DOWN: ICMP timeout after 600 ms (no echo reply$1) (2 consecutive failures)$" "$OUT.err" ||
		hc_fail "ping4 log line"
	grep -q "^pre $SRV_IP:8080 DOWN: ICMP pre-check timeout after 600 ms (no echo reply$1)" "$OUT.err" ||
		hc_fail "pre-check log line"
	# TCP itself still works: only the pre-check failed.
	grep -q "DOWN tcp6" "$OUT" && hc_fail "tcp6 went down"
	hc_unblock
	hc_wait_count "UP ping4 " 2 3
	hc_stop
}

run ""
# No ping sockets allowed: the raw-socket fallback (we are root).
cli sysctl -qw net.ipv4.ping_group_range="1 0"
OUT=$TMP/out.raw
run " on a raw socket"
echo PASS
