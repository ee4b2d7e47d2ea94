#!/bin/sh
# lvsd's command line as an operator uses it: -t exit codes and messages,
# -t -v round trip, flags, and a foreground start / SIGHUP / SIGTERM cycle;
# lvsctl's global flags; the default and creation of the state directory.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
lvsd="$top_builddir/lvsd"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }

for f in "$top_srcdir"/etc/lvs.cf.* "$top_srcdir"/tests/unit/data/*.cf; do
	"$lvsd" -t -f "$f" 2>"$tmp/err"
	check "lvsd -t accepts $(basename "$f")" '[ $? -eq 0 ]'
	"$lvsd" -t -v -f "$f" >"$tmp/a.cf" 2>/dev/null
	"$lvsd" -t -v -f "$tmp/a.cf" >"$tmp/b.cf" 2>/dev/null
	check "lvsd -t -v round-trips $(basename "$f")" 'cmp -s "$tmp/a.cf" "$tmp/b.cf" && [ -s "$tmp/a.cf" ]'
done

cat >"$tmp/five.cf" <<'CF'
primary = 10.0.0.1
backup_active = 2
virtual web {
    address = 10.0.0.300 eth0:1
    schedular = wlc
    port = 80
    server a {
        address = 192.168.1.2
        weight = heavy
    }
}
keepalive = "6
CF
"$lvsd" -t -f "$tmp/five.cf" 2>"$tmp/err"
rc=$?
check "five mistakes: exit 2" '[ $rc -eq 2 ]'
check "five mistakes: five located errors" '[ "$(grep -c "^$tmp/five.cf:[0-9]*:[0-9]*: error: " "$tmp/err")" -eq 5 ]'
check "five mistakes: summary" 'grep -q "^$tmp/five.cf: 5 errors$" "$tmp/err"'
check "five mistakes: suggestion" 'grep -q "five.cf:5:5: error: unknown key .schedular. in a .virtual. block; did you mean .scheduler.?" "$tmp/err"'

"$lvsd" -t -f "$tmp/missing.cf" 2>"$tmp/err"
rc=$?
check "missing file: exit 2 and reason" '[ $rc -eq 2 ] && grep -q "cannot read $tmp/missing.cf: No such file or directory" "$tmp/err"'
"$lvsd" --role leader -t -f "$top_srcdir/etc/lvs.cf.nat" 2>"$tmp/err"
rc=$?
check "bad --role: exit 2" '[ $rc -eq 2 ] && grep -q "expected .primary. or .backup." "$tmp/err"'
"$lvsd" --no-such-flag 2>/dev/null
check "unknown flag: exit 2" '[ $? -eq 2 ]'
# a file on standard input (a pipe), good and bad; a directory
"$lvsd" -t -f /dev/stdin <"$top_srcdir/etc/lvs.cf.nat" 2>"$tmp/err"
check "-f /dev/stdin: a piped file is read" '[ $? -eq 0 ] && grep -q "configuration OK" "$tmp/err"'
cat "$tmp/five.cf" | "$lvsd" -t -f /dev/stdin 2>"$tmp/err"
rc=$?
check "-f /dev/stdin: its mistakes located" '[ $rc -eq 2 ] && grep -q "^/dev/stdin: 5 errors$" "$tmp/err"'
"$lvsd" -t -f "$tmp" 2>"$tmp/err"
check "a directory: exit 2 and reason" '[ $? -eq 2 ] && grep -q "a directory: lvsd reads only regular files" "$tmp/err"'
check "--version" '"$lvsd" --version | grep -q "^lvsd [0-9]"'
check "--help lists -t" '"$lvsd" --help | grep -q -- "--test"'

# A director started in the foreground (dry run: this tier needs no IPVS):
# ready, reload, stop.
# `check = none`: this test must not send health checks to the sample's
# addresses, which are not ours.
sed 's/^\( *\)quiesce_server = 1$/&\n\1check = none/' \
	"$top_srcdir/tests/unit/data/piranha-sample.cf" >"$tmp/run.cf"
grep -q "check = none" "$tmp/run.cf" || { echo "not ok - sample edit"; exit 1; }
# State directories that do not exist yet, nor do their parents (as under
# a fresh prefix): created.
"$lvsd" -n -f "$tmp/run.cf" --role primary --pid-file "$tmp/pid" \
	--dry-run --state-dir "$tmp/run/lvsd" --lib-dir "$tmp/var/lib/lvsd" 2>"$tmp/log" &
pid=$!
i=0
while ! grep -q "ready" "$tmp/log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "start: logs ready" 'grep -q "lvsd .* ready: primary director, 1 virtual service" "$tmp/log"'
check "start: pid file" '[ "$(cat "$tmp/pid" 2>/dev/null)" = "$pid" ]'
check "start: state and lib directories created with their parents" '[ -S "$tmp/run/lvsd/lvsd.sock" ] && [ -d "$tmp/var/lib/lvsd" ]'

# lvsctl's global flags go before or after the command.
lvsctl="$top_builddir/lvsctl"
is_ok_json() { python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["ok"] else 1)'; }
sock="$tmp/run/lvsd/lvsd.sock"
check "lvsctl status --json: JSON (flag after the command)" '"$lvsctl" status --json --socket "$sock" | is_ok_json'
check "lvsctl --json --socket=S status: JSON (flags before)" '"$lvsctl" --json --socket="$sock" status | is_ok_json'
check "lvsctl -s S show -j: JSON" '"$lvsctl" -s "$sock" show -j | is_ok_json'
check "lvsctl status: text without --json" '"$lvsctl" status -s "$sock" | grep -q "^lvsd .*: primary director"'
"$lvsctl" --bogus status -s "$sock" 2>"$tmp/err"
check "lvsctl: an unknown option before the command: exit 2" '[ $? -eq 2 ] && grep -q "unknown option .--bogus." "$tmp/err"'
"$lvsctl" status --bogus -s "$sock" 2>"$tmp/err"
check "lvsctl: an unknown argument after it: exit 2" '[ $? -eq 2 ] && grep -q "unexpected argument .--bogus." "$tmp/err"'
"$lvsctl" status -s 2>"$tmp/err"
check "lvsctl: --socket without a path: exit 2" '[ $? -eq 2 ] && grep -q "needs a path" "$tmp/err"'
LVSCTL_SOCKET="$sock" "$lvsctl" -- status --json 2>"$tmp/err"
check "lvsctl: after -- a flag is an argument" '[ $? -eq 2 ] && grep -q "unexpected argument .--json." "$tmp/err"'
check "start: dry run shows the ipvsadm commands" 'grep -q "dry-run: ipvsadm -A -t 207.175.44.252:80 -s wlc -p 60" "$tmp/log" && grep -q "dry-run: ipvsadm -a -t 207.175.44.252:80 -r 192.168.10.3:80 -m -w 1" "$tmp/log"'
kill -HUP $pid
i=0
while ! grep -q "reload:" "$tmp/log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "SIGHUP: the same file: not read again" 'grep -q "reload: .*run.cf unchanged (1 file, the same content; [01] read again): nothing to apply" "$tmp/log"'
echo "# a comment changes the file" >>"$tmp/run.cf"
kill -HUP $pid
i=0
while ! grep -q "reload: .*is valid" "$tmp/log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "SIGHUP: valid file logged" 'grep -q "reload: .*run.cf is valid (1 virtual service)" "$tmp/log"'
echo "bogus_key = 1" >>"$tmp/run.cf"
kill -HUP $pid
i=0
while ! grep -q "keeping the running" "$tmp/log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "SIGHUP: bad file logged with its place" 'grep -q "run.cf:47:1: error: unknown key .bogus_key." "$tmp/log" && grep -q "keeping the running configuration" "$tmp/log"'
check "SIGHUP: daemon still running" 'kill -0 $pid'
kill -TERM $pid
wait $pid
rc=$?
check "SIGTERM: exit 0" '[ $rc -eq 0 ]'
check "SIGTERM: pid file removed" '[ ! -e "$tmp/pid" ]'
check "SIGTERM: managed services removed" 'grep -q "dry-run: ipvsadm -D -t 207.175.44.252:80" "$tmp/log"'

# Without IPVS in the kernel: a clear message and exit 5 (no restart loop).
if ! grep -q ip_vs /proc/modules 2>/dev/null && [ ! -e /proc/net/ip_vs ] &&
    ! modprobe -n ip_vs 2>/dev/null; then
	"$lvsd" -n -f "$top_srcdir/etc/lvs.cf.nat" --state-dir "$tmp/state" 2>"$tmp/err"
	rc=$?
	check "no IPVS: exit 5 with the reason" '[ $rc -eq 5 ] && grep -q "this kernel has no IPVS support (CONFIG_IP_VS)" "$tmp/err"'
fi

# A state directory that cannot be created: an error that says what to do.
: >"$tmp/notadir"
"$lvsd" -n -f "$top_srcdir/etc/lvs.cf.nat" --role primary --dry-run \
	--state-dir "$tmp/notadir/lvsd" --lib-dir "$tmp/lib" 2>"$tmp/err"
rc=$?
check "state directory impossible: exit 1, error: and the way out" '[ $rc -eq 1 ] && grep -q "^error: not starting: cannot create the state directory $tmp/notadir/lvsd: $tmp/notadir: Not a directory; create it, or give lvsd another one with --state-dir DIR$" "$tmp/err"'

# ./configure without --runstatedir: the state directory is /run/lvsd
# whatever the prefix (a daemon built by a bare `./configure && make`
# starts).  distcheck configures this way.
if ! "$top_builddir/config.status" --config | grep -q -- "--runstatedir"; then
	check "default state directory is /run/lvsd" '"$lvsd" --help | grep -q "runtime state files (default /run/lvsd)"'
	check "lvsctl's default socket is /run/lvsd/lvsd.sock" '"$top_builddir/lvsctl" --help | grep -q "or /run/lvsd/lvsd.sock"'
fi

# Identity cannot be decided: exit 6 (not configured), never a guess.
"$lvsd" -n -f "$top_srcdir/tests/unit/data/piranha-sample.cf" 2>"$tmp/err"
rc=$?
check "unknown identity: exit 6 with advice" '[ $rc -eq 6 ] && grep -q -- "--role primary or --role backup" "$tmp/err"'

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
