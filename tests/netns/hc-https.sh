#!/bin/sh
# HTTPS checks against openssl s_server in a namespace: no verification,
# verification with the right CA and SNI name (given, or taken from the
# Host header), verify failures (unknown CA,
# wrong name) and a server demanding a client certificate.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netns/hc/lib.sh"
hc_require openssl
hc_setup

# A CA, a server certificate for rs.example.test, a client certificate,
# and an unrelated CA.
cd "$TMP"
mkca() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
		-keyout "$1.key" -out "$1.pem" 2>/dev/null
}
mkcert() {	# name CN ca [ext]
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$1.key" \
		-out "$1.csr" 2>/dev/null
	printf '%s\n' "${4:-basicConstraints=CA:FALSE}" > "$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" \
		-CAcreateserial -days 2 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
mkca ca
mkca otherca
mkcert srv rs.example.test ca "subjectAltName=DNS:rs.example.test"
mkcert client lvsd-client ca
cd - >/dev/null

srv_bg openssl s_server -quiet -accept "$SRV_IP:8443" -cert "$TMP/srv.pem" \
	-key "$TMP/srv.key" -www
srv_bg openssl s_server -quiet -accept "$SRV_IP:8444" -cert "$TMP/srv.pem" \
	-key "$TMP/srv.key" -www -Verify 1 -CAfile "$TMP/ca.pem"
srv_wait_tcp 8443
srv_wait_tcp 8444

# Generous timeouts: s_server handshakes one client at a time.
A="addr=$SRV_IP port=8443 interval=300 timeout=4000 connect=3000"
hc_start -d 3 \
	type=https label=noverify $A verify=0 \
	type=https label=verified $A verify=1 ca="$TMP/ca.pem" sni=rs.example.test \
	type=https label=byhost $A verify=1 ca="$TMP/ca.pem" host=rs.example.test:8443 \
	type=https label=unknownca $A verify=1 ca="$TMP/otherca.pem" sni=rs.example.test init=up \
	type=https label=wrongname $A verify=1 ca="$TMP/ca.pem" sni=other.example.test init=up \
	type=https label=clientcert addr="$SRV_IP" port=8444 interval=300 timeout=4000 \
		cert="$TMP/client.pem" key="$TMP/client.key" \
	type=https label=nocert addr="$SRV_IP" port=8444 interval=300 timeout=4000 init=up
wait "$HC_RUN_PID"

for l in noverify verified byhost clientcert; do
	grep -Eq "^[0-9.]+ UP $l .*HTTP status 200" "$OUT" || hc_fail "$l not UP"
	grep -q "^STAT $l .* UP " "$OUT" || hc_fail "$l not UP at the end"
done
grep -q "^unknownca $SRV_IP:8443 DOWN: TLS certificate verify failed: unable to get local issuer certificate (1 consecutive failure)$" "$OUT.err" ||
	hc_fail "unknown CA log line"
grep -q "^wrongname $SRV_IP:8443 DOWN: TLS certificate verify failed: hostname mismatch" "$OUT.err" ||
	hc_fail "wrong name log line"
grep -Eq "^nocert $SRV_IP:8444 DOWN: TLS (read|handshake|write): .*certificate" "$OUT.err" ||
	hc_fail "missing client certificate log line"
grep -q "^STAT nocert .* DOWN .* ok=0 " "$OUT" || hc_fail "nocert passed a check"
echo PASS
