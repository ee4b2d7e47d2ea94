#!/bin/sh
# lvsd-web's command line and files as an operator meets them: the
# example configuration passes -t; every mistake of a configuration or a
# password file is reported at once with file:line:column and exit 2;
# --hash-password makes a line the password file accepts.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
web="$top_builddir/lvsd-web"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }

check "the example configuration is valid" '"$web" -t -f "$top_srcdir/etc/lvsd-web.conf"'
cat >"$tmp/bad.conf" <<'CONF'
# four mistakes
listen = 127.0.0.1
poll_interval = 10ms
refesh = 2s
admin = password
CONF
"$web" -t -f "$tmp/bad.conf" 2>"$tmp/err"
rc=$?
check "bad configuration: exit 2" '[ $rc -eq 2 ]'
check "listen: file:line:column and what was expected" \
	'grep -q "bad.conf:2:10: error: .listen.: expected ADDRESS:PORT (127.0.0.1:3636, \[::1\]:3636), found .127.0.0.1." "$tmp/err"'
check "duration out of bounds" \
	'grep -q "bad.conf:3:17: error: .poll_interval.: expected a duration from 250ms to 60s, found .10ms." "$tmp/err"'
check "unknown key: did you mean" \
	'grep -q "bad.conf:4:1: error: unknown key .refesh.; did you mean .refresh.?" "$tmp/err"'
check "all errors in one run" 'grep -q "^lvsd-web: 4 errors$" "$tmp/err"'
printf 'admin = password\n' >"$tmp/admin.conf"
check "admin = password without a password file: refused" \
	'! "$web" -t -f "$tmp/admin.conf" 2>"$tmp/err" && grep -q "needs .password_file." "$tmp/err"'
check "missing file given with -f: refused" '! "$web" -t -f "$tmp/nonexistent" 2>/dev/null'
check "bad flag: exit 2" '"$web" --frobnicate 2>/dev/null; [ $? -eq 2 ]'
check "bad --listen: exit 2" '"$web" -t -l nowhere 2>/dev/null; [ $? -eq 2 ]'

printf 'correct horse battery\n' | "$web" --hash-password alice >"$tmp/passwd"
check "--hash-password: a scrypt line" \
	'grep -Eq "^alice:scrypt:15:8:1:[0-9a-f]{32}:[0-9a-f]{64}$" "$tmp/passwd"'
check "--hash-password: two runs, two salts" \
	'[ "$(printf "correct horse battery\n" | "$web" --hash-password alice)" != "$(cat "$tmp/passwd")" ]'
check "--hash-password: short password refused" \
	'! printf "short\n" | "$web" --hash-password alice 2>/dev/null'
check "--hash-password: bad user name refused" \
	'! printf "correct horse battery\n" | "$web" --hash-password "a b" 2>/dev/null'
printf 'admin = password\npassword_file = %s\n' "$tmp/passwd" >"$tmp/admin.conf"
check "the made password file is accepted" '"$web" -t -f "$tmp/admin.conf"'
{
	cat "$tmp/passwd"
	echo "bob:md5:1:2:3:00:00"
	echo "carol:scrypt:30:8:1:00112233445566778899aabbccddeeff:00112233445566778899aabbccddeeff"
	cat "$tmp/passwd"
} >"$tmp/bad.passwd"
printf 'admin = password\npassword_file = %s\n' "$tmp/bad.passwd" >"$tmp/admin.conf"
"$web" -t -f "$tmp/admin.conf" 2>"$tmp/err"
rc=$?
check "bad password file: exit 2" '[ $rc -eq 2 ]'
check "bad password file: scheme located" 'grep -q "bad.passwd:2:5: error: expected the scheme .scrypt." "$tmp/err"'
check "bad password file: cost located" 'grep -q "bad.passwd:3:14: error: scrypt cost out of bounds" "$tmp/err"'
check "bad password file: duplicate user" 'grep -q "bad.passwd:4:1: error: user listed twice" "$tmp/err"'
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
