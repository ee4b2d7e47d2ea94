#!/bin/sh
# A reload of files that did not change is not parsed again, and is safe:
#  - unchanged (even touched): "unchanged, nothing to apply", no checker
#    restarted, the file's warnings given again; files last written well
#    before lvsd read them are not even read again, touched ones are;
#  - a file rewritten in place with the same size and its old mtime put
#    back is read again and applied (its ctime changed);
#  - an included file whose content changed, a new file matching an
#    `include` pattern, one taken away: each read in full and applied;
#  - the host checks still run: a notify command made writable by others
#    is refused with its place although no file changed;
#  - a file replaced by a FIFO is refused as before (never waited on).
# One director alone in a namespace (VRRP master), IPVS dry run.
set -u
NS=lvunch$$
T=$(mktemp -d /tmp/lvsd-unchanged.XXXXXX)
. "$(dirname "$0")/single/lib.sh"
single_ns 10.7.1.2/24
chmod 755 "$T"
mkdir -p "$T/conf.d" "$T/empty.d" "$T/bin"
printf '#!/bin/sh\nexit 0\n' >"$T/bin/note.sh"
chmod 755 "$T/bin" "$T/bin/note.sh"
cat >"$T/lvs.cf" <<-CF
primary = 10.7.1.2
script_user = root
vrrp site {
    vrid = 73
    advert_int = 100ms
    notify_master = $T/bin/note.sh
}
include conf.d/*.cf
# matches nothing: a warning, given again by every reload
include empty.d/*.cf
CF
# service NAME N WEIGHT: conf.d/NAME.cf, one service with one server
service() {
	cat >"$T/conf.d/$1.cf" <<-CF
	virtual $1 {
	    address = 10.7.1.$((100 + $2)) eth0:$2
	    port = 80
	    check = none
	    server a {
	        address = 10.7.1.$((10 + $2))
	        weight = $3
	    }
	}
	CF
}
service web 1 3
service mail 2 5
"$LVSD" -t -f "$T/lvs.cf" >/dev/null 2>&1 || { "$LVSD" -t -f "$T/lvs.cf"; echo "not ok - the test's file is refused"; exit 1; }
# files written more than 2 s before lvsd reads them are "settled": their
# inode, size and times stand for their content (daemon/sources.c)
sleep 2.5

start_lvsd
i=0
while [ "$(weight mail/a)" != 5 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "started: web/a at 3, mail/a at 5" '[ "$(weight web/a)" = 3 ] && [ "$(weight mail/a)" = 5 ]'
started=$(dumpval "['checkers_started']")

# 1. Unchanged, then touched: not parsed again.
ctl reload >"$T/out" 2>&1
rc=$?
check "no-op reload: exit 0, unchanged, 3 settled files not read again" \
	'[ $rc = 0 ] && grep -q "applied $T/lvs.cf at .*: unchanged, nothing to apply (3 files, the same content; 0 read again)" "$T/out"'
check "no-op reload: the file's warning given again" \
	'grep -q "$T/lvs.cf:10:9: warning: .include empty.d/\*.cf. matches no file" "$T/out"'
check "no-op reload: logged as unchanged, no IPVS pass" \
	'grep -q "reload: $T/lvs.cf unchanged (3 files, the same content; 0 read again)" "$T/lvsd.log" && ! grep -q "reload: IPVS table holds" "$T/lvsd.log"'
touch "$T/lvs.cf" "$T/conf.d/web.cf"
ctl reload >"$T/out" 2>&1
check "touched, same content: the two read again, unchanged" \
	'grep -q "unchanged, nothing to apply (3 files, the same content; 2 read again)" "$T/out"'
check "no checker restarted" '[ "$(dumpval "[\"checkers_started\"]")" = "$started" ]'
# mail.cf is settled: rewritten in place, the same size, its mtime put back
touch -r "$T/conf.d/mail.cf" "$T/mail.time"
service mail 2 6
touch -m -r "$T/mail.time" "$T/conf.d/mail.cf"
ctl reload >"$T/out" 2>&1
check "a settled file rewritten, same size and mtime: read and applied (mail/a at 6)" \
	'grep -q "^applied .*real servers +0 ~1 -0" "$T/out" && [ "$(weight mail/a)" = 6 ]'

# 2. What a reload must read again.
service web 1 4
ctl reload >"$T/out" 2>&1
check "an included file changed: read and applied (web/a at 4)" \
	'grep -q "^applied .*real servers +0 ~1 -0" "$T/out" && [ "$(weight web/a)" = 4 ]'
ctl reload >"$T/out" 2>&1
check "then unchanged again" 'grep -q "unchanged, nothing to apply (3 files" "$T/out"'
service dns 3 2
ctl reload >"$T/out" 2>&1
check "a new file matching the pattern: read and applied (dns/a)" \
	'grep -q "^applied .*services +1 ~0 -0" "$T/out" && [ "$(weight dns/a)" = 2 ]'
rm "$T/conf.d/dns.cf"
ctl reload >"$T/out" 2>&1
check "a matching file taken away: read and applied (dns gone)" \
	'grep -q "^applied .*services +0 ~0 -1" "$T/out" && [ -z "$(weight dns/a)" ]'

# 3. The host checks run although nothing changed.
ctl reload >/dev/null 2>&1
chmod o+w "$T/bin/note.sh"
ctl reload >"$T/out" 2>&1
rc=$?
check "a notify command writable by others: refused with its place" \
	'[ $rc != 0 ] && grep -q "$T/lvs.cf:6:5: error: .notify_master.: $T/bin/note.sh is writable by others" "$T/out"'
chmod o-w "$T/bin/note.sh"
ctl reload >"$T/out" 2>&1
check "fixed: the next reload (after a refusal: in full) applies" \
	'[ $? = 0 ] && grep -q "^applied .*(0 netlink messages)" "$T/out"'

# 4. A FIFO in an included file's place: refused, never waited on.
rm "$T/conf.d/mail.cf"
mkfifo "$T/conf.d/mail.cf"
timeout 10 "$top_builddir/lvsctl" reload >"$T/out" 2>&1
rc=$?
check "a FIFO in a file's place: refused at once" \
	'[ $rc = 1 ] && grep -q "a FIFO: lvsd reads only regular files" "$T/out" && [ "$(weight mail/a)" = 6 ]'

finish
