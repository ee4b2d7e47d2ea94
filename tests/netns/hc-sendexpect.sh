#!/bin/sh
# piranha send/expect over TCP and UDP, with nanny's escapes, literal,
# "*" and POSIX ERE expectations, and piranha's timeout/reentry timing:
# timeout=1 reentry=2 means one failed check (period 1 s) removes the
# server and two consecutive successes re-admit it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netns/hc/lib.sh"
hc_require python3 socat
hc_setup

srv_bg python3 "$top_srcdir/tests/netns/hc/httpd.py" "$SRV_IP" 8080
HTTPD=$!
srv_bg socat UDP-RECVFROM:5353,fork PIPE
srv_wait_tcp 8080

A="addr=$SRV_IP port=8080"
hc_start -d 0 \
	type=se label=web1/Real1 $A piranha=1/2 jitter=0 send='GET / HTTP/1.0\r\n\r\n' expect=HTTP \
	type=se label=wrong $A piranha=1/2 jitter=0 send='GET / HTTP/1.0\r\n\r\n' expect=SSH init=up \
	type=se label=regex $A piranha=1/2 jitter=0 send='GET / HTTP/1.0\r\n\r\n' \
		expect='^HTTP/1\.[01] 200 ' use_regex=1 \
	type=se label=star $A piranha=1/2 jitter=0 send='HEAD / HTTP/1.0\r\n\r\n' expect='*' \
	type=se label=connect $A piranha=1/2 jitter=0 \
	type=se label=udp addr="$SRV_IP" port=5353 udp=1 piranha=1/2 jitter=0 send='ping\n' expect='ping\n' \
	type=se label=udpclosed addr="$SRV_IP" port=5354 udp=1 piranha=1/2 jitter=0 send=ping expect=ping init=up

n="web1/Real1 $SRV_IP:8080"
hc_wait "UP $n" 2
hc_assert_between "$(hc_time "UP $n")" 0 0.5 "first UP"
for l in regex star connect udp; do
	hc_wait "UP $l " 2
done
hc_wait "DOWN udpclosed" 2
hc_wait "DOWN wrong" 2
grep -q "^$n UP: expect \"HTTP\" matched (1 consecutive success)$" "$OUT.err" ||
	hc_fail "sample send/expect log line"
grep -q "^wrong $SRV_IP:8080 DOWN: expect \"SSH\", got \"HTTP/1.1 200 OK\\\\r\\\\nServer" "$OUT.err" ||
	hc_fail "mismatch log line"
grep -q "^udpclosed $SRV_IP:5354 DOWN: UDP receive: Connection refused (port unreachable)" "$OUT.err" ||
	hc_fail "closed UDP port log line"

# nanny: the first failed check takes it out (timeout = period = 1 s)...
sleep 1
kill "$HTTPD"; wait "$HTTPD" 2>/dev/null
t=$(hc_now)
hc_wait "DOWN $n" 3
hc_assert_between "$(hc_time "DOWN $n")" "$t" "$(hc_plus "$t" 1.3)" "DOWN after timeout"
grep -q "^$n DOWN: connect: Connection refused (1 consecutive failure)$" "$OUT.err" ||
	hc_fail "DOWN log line"
# ... and reentry=2 s needs two consecutive successes, one period apart.
t=$(hc_now)
srv_bg python3 "$top_srcdir/tests/netns/hc/httpd.py" "$SRV_IP" 8080
srv_wait_tcp 8080
t2=$(hc_now)
hc_wait_count "UP $n" 2 6
# Not before the second success one period after the server came up, and
# within two periods of the moment it listened.
hc_assert_between "$HC_T" "$(hc_plus "$t" 1.0)" "$(hc_plus "$t2" 2.3)" "UP after reentry"
grep -q "^$n UP: expect \"HTTP\" matched (2 consecutive successes)$" "$OUT.err" ||
	hc_fail "UP log line"
hc_stop
echo PASS
