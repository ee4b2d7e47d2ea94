#!/bin/sh
# TCP checks against a real listener in a namespace: UP, DOWN by refusal
# and by black hole (nftables DROP), rise/fall counts and their timing,
# and no TIME_WAIT left behind (checks close with RST).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netns/hc/lib.sh"
hc_require socat nft
hc_setup

srv_bg socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:true
SOCAT=$!
srv_wait_tcp 8080
hc_start -d 0 type=tcp label=web1/Real1 addr="$SRV_IP" port=8080 \
	interval=300 timeout=1000 connect=500 rise=2 fall=3 init=down

name="web1/Real1 $SRV_IP:8080"
hc_wait "UP $name" 2
hc_assert_between "$(hc_time "UP $name")" 0 0.5 "first UP"

# Refused: the 3rd consecutive failure takes it down, 2-3 periods later.
kill "$SOCAT"; wait "$SOCAT" 2>/dev/null
t=$(hc_now)
hc_wait "DOWN $name" 3
d=$(hc_time "DOWN $name")
hc_assert_between "$d" "$(hc_plus "$t" 0.55)" "$(hc_plus "$t" 1.3)" "DOWN after refusal"
grep -q "DOWN $name -1 connect: Connection refused" "$OUT" || hc_fail "reason"
grep -q "^$name DOWN: connect: Connection refused (3 consecutive failures)$" "$OUT.err" ||
	hc_fail "log line for DOWN"

# Back: two consecutive successes needed.
t=$(hc_now)
srv_bg socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:true
srv_wait_tcp 8080
t2=$(hc_now)
hc_wait_count "UP $name" 2 3
hc_assert_between "$HC_T" "$(hc_plus "$t" 0.3)" "$(hc_plus "$t2" 1.0)" "UP after rise"
grep -q "^$name UP: TCP connect succeeded in [0-9]* ms (2 consecutive successes)$" "$OUT.err" ||
	hc_fail "log line for UP"

# Black hole: SYNs dropped, each check ends at the 500 ms connect timeout.
hc_block 8080
t=$(hc_now)
hc_wait_count "DOWN $name" 2 5
hc_assert_between "$HC_T" "$(hc_plus "$t" 1.0)" "$(hc_plus "$t" 2.4)" "DOWN after black hole"
grep -q "connect timeout after 500 ms (3 consecutive failures)" "$OUT.err" ||
	hc_fail "black hole reason"

# Dozens of checks, and none of them left a TIME_WAIT socket behind.
tw=$(cli ss -Htan state time-wait | wc -l)
[ "$tw" -eq 0 ] || hc_fail "$tw TIME_WAIT sockets in the checker's namespace"
hc_stop
echo "PASS"
