#!/bin/sh
# HTTP checks against a real server in a namespace: status lists and
# ranges, HEAD, Host header, chunked bodies, body regex and digests (match
# and mismatch), the response size cap, a slow server hitting the check's
# deadline and a black-holed port hitting the connect timeout.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netns/hc/lib.sh"
hc_require python3 nft sha256sum md5sum
hc_setup

srv_bg python3 "$top_srcdir/tests/netns/hc/httpd.py" "$SRV_IP" 8080
srv_wait_tcp 8080
hc_block 8081

sha=$(printf 'hello lvsd\n' | sha256sum | cut -d' ' -f1)
md5=$(printf 'hello lvsd\n' | md5sum | cut -d' ' -f1)
bad=$(printf 'other\n' | md5sum | cut -d' ' -f1)
# Generous timeouts: the Python server is slow on a loaded machine.
A="addr=$SRV_IP port=8080 interval=300 timeout=3000 connect=2000"
hc_start -d 4 \
	type=http label=ok $A regex='hello (lvsd|world)' sha256="$sha" \
	type=http label=md5 $A md5="$md5" \
	type=http label=status503 $A path=/status/503 status=200 init=up fall=3 \
	type=http label=range $A path=/status/302 status=200,301-302 \
	type=http label=head $A method=HEAD \
	type=http label=host $A path=/host host=example.test regex='^example\.test$' \
	type=http label=chunked $A path=/chunked regex='hello chunked' \
	type=http label=noregex $A regex='^goodbye' init=up \
	type=http label=nodigest $A md5="$bad" init=up \
	type=http label=big $A path=/big/100000 max=10000 init=up \
	type=http label=slow $A path=/slow/3 timeout=1000 init=up \
	type=http label=hole addr="$SRV_IP" port=8081 interval=300 timeout=1000 connect=500 init=up
wait "$HC_RUN_PID"

for l in ok md5 range head host chunked; do
	grep -Eq "^[0-9.]+ UP $l $SRV_IP" "$OUT" || hc_fail "$l not UP"
	grep -q "^STAT $l .* UP .* fail=0 " "$OUT" || hc_fail "$l failed a check"
done
grep -q "UP ok .*HTTP status 200, 11 bytes body, matches regex, digest ok" "$OUT" ||
	hc_fail "ok reason"

n="$SRV_IP:8080"
grep -q "^status503 $n DOWN: HTTP status 503, expected 200 (3 consecutive failures)$" "$OUT.err" ||
	hc_fail "status503 log line"
hc_assert_between "$(hc_time "DOWN status503")" 0.55 1.2 "status503 DOWN time"
grep -q "^noregex $n DOWN: HTTP status 200, body (11 bytes) does not match /^goodbye/ (1 consecutive failure)$" "$OUT.err" ||
	hc_fail "regex mismatch log line"
grep -q "^nodigest $n DOWN: HTTP body MD5 $md5, expected $bad (1 consecutive failure)$" "$OUT.err" ||
	hc_fail "digest mismatch log line"
grep -q "^big $n DOWN: HTTP response larger than 10000 bytes" "$OUT.err" ||
	hc_fail "size cap log line"
grep -q "^slow $n DOWN: HTTP timeout after 1000 ms (waiting for response)" "$OUT.err" ||
	hc_fail "slow server log line"
hc_assert_between "$(hc_time "DOWN slow")" 0.95 1.3 "slow DOWN time"
grep -q "^hole $SRV_IP:8081 DOWN: connect timeout after 500 ms" "$OUT.err" ||
	hc_fail "black hole log line"
hc_assert_between "$(hc_time "DOWN hole")" 0.45 0.8 "black hole DOWN time"
# Exactly one transition each: no flapping.
[ "$(grep -Ec '^[0-9.]+ (UP|DOWN) ' "$OUT")" -eq 12 ] || hc_fail "not exactly one transition per check"
echo PASS
