#!/bin/sh
# lvsd-web's /metrics: promtool accepts it, it agrees with `lvsctl
# metrics`, and a real Prometheus (Debian's) in the director's namespace
# scrapes it and answers queries with lvsd's series and their labels
# (node_exporter's IPVS label names plus virtual and server).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netns/web/lib.sh"
web_require_root prometheus promtool openssl
cat >"$T/lvsd-web.conf" <<CONF
poll_interval = 500ms
CONF
web_site_up -f "$T/lvsd-web.conf"
web_wait 100 '"$LVSCTL" show | grep -q "Real2 .* up "'
sleep 1

web_get "$WEB_URL/metrics" >"$T/web.prom"
"$LVSCTL" metrics >"$T/lvsctl.prom"
check "promtool check metrics: /metrics" 'promtool check metrics <"$T/web.prom"'
check "promtool check metrics: lvsctl metrics" 'promtool check metrics <"$T/lvsctl.prom"'
check "/metrics has the web's own health" 'grep -q "^lvsd_web_up 1$" "$T/web.prom"'
check "node_exporter's IPVS label names on a real server" \
	'grep -q "^lvsd_ipvs_backend_connections_active{virtual=\"web\",server=\"Real1\",local_address=\"10.77.0.100\",local_port=\"80\",local_mark=\"\",proto=\"TCP\",remote_address=\"10.77.0.11\",remote_port=\"8080\"} 0$" "$T/web.prom"'
# The same series, and the same values for all but the clocks and the
# process' own figures, from both: one renderer.
agree() {
	python3 - "$T/web.prom" "$T/lvsctl.prom" <<'PY'
import sys
def series(path):
    out = {}
    for line in open(path):
        if line.startswith("#") or not line.startswith("lvsd_") or line.startswith("lvsd_web_"):
            continue
        name, value = line.rsplit(" ", 1)
        out[name] = value.strip()
    return out
a, b = series(sys.argv[1]), series(sys.argv[2])
# Clocks, the process' own figures and the checks run keep moving
# between the two reads (/metrics is up to one poll old).
moving = ("lvsd_uptime_seconds", "lvsd_process_", "lvsd_real_server_health_checks_total")
diff = [k for k in a if k not in b] + [k for k in b if k not in a] + \
    [k for k in a if k in b and a[k] != b[k] and not k.startswith(moving)]
if diff:
    print("\n".join(diff[:10]))
sys.exit(1 if diff or len(a) < 40 else 0)
PY
}
check "/metrics and lvsctl metrics agree" agree

# HTTPS when a certificate is configured (a third lvsd-web, port 3638).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$T/web.key" -out "$T/web.crt" 2>/dev/null
printf 'listen = 127.0.0.1:3638\ntls_certificate = %s\ntls_key = %s\n' \
	"$T/web.crt" "$T/web.key" >"$T/tls.conf"
in_ns_bg "$LVSD_WEB" -f "$T/tls.conf" -s "$LVSCTL_SOCKET" \
	-a "$top_srcdir/web/assets" 2>"$T/web-tls.log"
RS_PIDS="$RS_PIDS $!"
web_wait 100 'web_get --cacert "$T/web.crt" -o /dev/null https://127.0.0.1:3638/metrics'
check "TLS: /metrics over HTTPS, verified against the certificate" \
	'web_get --cacert "$T/web.crt" https://127.0.0.1:3638/metrics | grep -q "^lvsd_web_up 1$"'
check "TLS: no plain HTTP on that port" '! web_get http://127.0.0.1:3638/metrics >/dev/null'

cat >"$T/prometheus.yml" <<'YML'
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: lvsd
    static_configs:
      - targets: ['127.0.0.1:3636']
YML
in_ns_bg prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/prom" \
	--web.listen-address=127.0.0.1:9090 --log.level=warn 2>"$T/prometheus.log"
RS_PIDS="$RS_PIDS $!"
query() {
	web_get -G "http://127.0.0.1:9090/api/v1/query" --data-urlencode "query=$1"
}
# `want QUERY PYTHON-CONDITION-ON-r`: r is the query's result list.
want() {
	query "$1" | python3 -c "import json,sys; r=json.load(sys.stdin)['data']['result']; sys.exit(0 if ($2) else 1)" 2>/dev/null
}
web_wait 300 'want "up{job=\"lvsd\"}" "r and r[0][\"value\"][1] == \"1\""'
check "Prometheus scrapes lvsd-web (target up)" 'want "up{job=\"lvsd\"}" "r and r[0][\"value\"][1] == \"1\""'
check "query: a real server's health with its labels" \
	'want "lvsd_real_server_up{server=\"Real1\"}" "len(r) == 1 and r[0][\"value\"][1] == \"1\" and all(r[0][\"metric\"].get(k) == v for k, v in dict(virtual=\"web\", server=\"Real1\", local_address=\"10.77.0.100\", local_port=\"80\", proto=\"TCP\", remote_address=\"10.77.0.11\", remote_port=\"8080\").items())"'
check "query: IPVS connections per real server (3 servers)" \
	'want "lvsd_ipvs_backend_connections_active" "len(r) == 3"'
check "query: IPVS bytes per service, UDP labelled" \
	'want "lvsd_ipvs_service_incoming_bytes_total{proto=\"UDP\"}" "len(r) == 1 and r[0][\"metric\"][\"virtual\"] == \"dns\" and r[0][\"metric\"][\"local_port\"] == \"53\""'
check "query: failover state" 'want "lvsd_failover_state{state=\"MASTER\"}" "len(r) == 1 and r[0][\"value\"][1] == \"1\""'
check "query: reloads" 'want "lvsd_reloads_total" "len(r) == 1"'
kill "$RS_PID_10_77_0_12"
web_wait 100 'want "lvsd_real_server_up{server=\"Real2\"}" "len(r) == 1 and r[0][\"value\"][1] == \"0\""'
check "query: a real server down is 0 in Prometheus" \
	'want "lvsd_real_server_up{server=\"Real2\"}" "len(r) == 1 and r[0][\"value\"][1] == \"0\""'
# lvsd gone: no stale lvsd figures, lvsd_web_up 0, the page says why.
kill -TERM "$LVSD_PID"
wait "$LVSD_PID"
check "lvsd stops cleanly" '[ $? -eq 0 ]'
LVSD_PID=
web_wait 50 'web_get "$WEB_URL/metrics" | grep -q "^lvsd_web_up 0$"'
check "lvsd gone: lvsd_web_up 0 and no stale lvsd series" \
	'web_get "$WEB_URL/metrics" >"$T/gone.prom" && grep -q "^lvsd_web_up 0$" "$T/gone.prom" &&
	 ! grep -q "^lvsd_real_server" "$T/gone.prom" && promtool check metrics <"$T/gone.prom"'
# The first poll after lvsd went may fail on the connection it had
# ("cannot send"); the next ones cannot connect.
web_wait 30 'web_get "$WEB_URL/api/v1/state" | grep -q "cannot connect to lvsd"'
check "lvsd gone: the page's JSON says why, and keeps the last table" \
	'web_get "$WEB_URL/api/v1/state" >"$T/gone.json" && python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if \"cannot connect to lvsd\" in d[\"web\"][\"error\"] and d[\"show\"][\"virtual_services\"] else 1)" <"$T/gone.json" ||
	 { head -c 600 "$T/gone.json"; false; }'
web_stop
[ $fail -eq 0 ] || { echo "--- prometheus log"; tail -20 "$T/prometheus.log"; }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
