#!/bin/sh
# The operator console in headless Chromium (tests/web/console.mjs, with
# puppeteer-core from tests/web/package-lock.json): a site in namespaces
# (lvsd with an IPVS dry run, two HTTP real servers), lvsd-web with
# admin = password, and a second lvsd-web with admin off.  Screenshots
# land in $top_builddir/tests/web/artefacts/.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netns/web/lib.sh"
web_require_root node npm
[ -x /usr/bin/chromium ] || skip "needs Debian's chromium (scripts/install-deps)"

# puppeteer-core, exactly as locked; it uses /usr/bin/chromium and
# downloads no browser.
NODE_DIR=$top_builddir/tests/web
mkdir -p "$NODE_DIR"
cp "$top_srcdir/tests/web/package.json" "$top_srcdir/tests/web/package-lock.json" \
	"$top_srcdir/tests/web/console.mjs" "$NODE_DIR/"
if ! cmp -s "$NODE_DIR/package-lock.json" "$NODE_DIR/node_modules/.package-lock.json" 2>/dev/null ||
    [ ! -d "$NODE_DIR/node_modules/puppeteer-core" ]; then
	(cd "$NODE_DIR" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund >npm.log 2>&1) ||
		{ cat "$NODE_DIR/npm.log"; echo "not ok - npm ci"; exit 1; }
fi

printf 'correct horse battery\n' | "$LVSD_WEB" --hash-password alice >"$T/web.passwd"
check "--hash-password: one scrypt line" 'grep -Eq "^alice:scrypt:15:8:1:[0-9a-f]{32}:[0-9a-f]{64}$" "$T/web.passwd"'
cat >"$T/lvsd-web.conf" <<CONF
# the console test's lvsd-web
listen = 127.0.0.1:$WEB_PORT
poll_interval = 500ms
refresh = 1s
admin = password
password_file = $T/web.passwd
CONF
check "lvsd-web -t: the file is valid" '"$LVSD_WEB" -t -f "$T/lvsd-web.conf"'
web_site_up -f "$T/lvsd-web.conf"
in_ns_bg "$LVSD_WEB" -s "$LVSCTL_SOCKET" -a "$top_srcdir/web/assets" -l 127.0.0.1:3637 \
	2>"$T/web-ro.log"
RS_PIDS="$RS_PIDS $!"
web_wait 100 'web_get -o /dev/null http://127.0.0.1:3637/metrics'

ARTEFACTS=$top_builddir/tests/web/artefacts
rm -rf "$ARTEFACTS"
in_ns env WEB_URL="$WEB_URL" WEB_RO_URL=http://127.0.0.1:3637 \
	ARTEFACTS="$ARTEFACTS" LVSCTL="$LVSCTL" KILL_REAL2="kill $RS_PID_10_77_0_12" \
	REFRESH_MS=1000 POLL_MS=500 ADMIN_USER=alice ADMIN_PASSWORD='correct horse battery' \
	node "$NODE_DIR/console.mjs" >"$T/browser.out" 2>&1
rc=$?
sed 's/ passed, [0-9]* failed$/ browser checks/' "$T/browser.out"
pass=$((pass + $(grep -c '^ok - ' "$T/browser.out")))
fail=$((fail + $(grep -c '^not ok - ' "$T/browser.out")))
check "browser run completed" '[ $rc -eq 0 ] || [ $fail -gt 0 ]'
[ $rc -eq 0 ] || fail=$((fail + 1))
for shot in console console-down console-admin console-phone; do
	check "screenshot $shot.png" '[ -s "$ARTEFACTS/$shot.png" ]'
done
check "lvsd logged the web user's drain" 'grep -q "operator: web/Real1 drained by web:alice" "$T/lvsd.log"'
check "lvsd-web logged the login and the refused forgery" \
	'grep -q "web: .alice. logged in from 127.0.0.1" "$T/web.log" && grep -q "CSRF token missing or wrong" "$T/web.log"'
check "lvsd-web logged the failed login" 'grep -q "failed login of .alice." "$T/web.log"'
check "lvsd-web: no warning from libmicrohttpd" '! grep -q "http: " "$T/web.log"'
web_stop
[ $fail -eq 0 ] || { echo "--- lvsd-web log"; cat "$T/web.log"; }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
