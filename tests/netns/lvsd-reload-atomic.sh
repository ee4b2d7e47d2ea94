#!/bin/sh
# Reload applies whole or not at all, and leaves unchanged checkers alone:
#  - a reload whose failover part cannot be applied (a new VRRP instance on
#    an interface that is not there) changes nothing: the old instance
#    keeps the VIP, the table keeps its weights, `lvsctl reload` exits 1
#    and says what failed and what runs, `lvsctl status` shows it until the
#    next good reload; once the interface exists the same file applies;
#  - reloads that change no check setting restart no checker
#    (checkers_started in `lvsctl dump`), a changed one restarts only its
#    own servers' checkers.
# One director alone in a namespace (it becomes VRRP master), IPVS dry run,
# a real server on the namespace's own address.
set -u
NS=lvatom$$
T=$(mktemp -d /tmp/lvsd-atomic.XXXXXX)
. "$(dirname "$0")/single/lib.sh"
single_ns 10.7.0.2/24 10.7.0.11/24
ip netns exec "$NS" python3 "$top_srcdir/tests/netns/hc/httpd.py" 10.7.0.11 80 &
SRV=$!

# write WEIGHT HTTP_PATH EXTRA: lvs.cf with one VRRP instance and one
# checked service, plus EXTRA lines at the end.
write() {
	cat >"$T/lvs.cf" <<-CF
	primary = 10.7.0.2
	vrrp site {
	    vrid = 71
	    advert_int = 100ms
	}
	virtual web {
	    address = 10.7.0.100 eth0:1
	    port = 80
	    check_interval = 200ms
	    http_path = $2
	    check = http
	    server a {
	        address = 10.7.0.11
	        weight = $1
	    }
	    server b {
	        address = 10.7.0.11
	        port = 81
	    }
	}
	virtual other {
	    address = 10.7.0.101 eth0:2
	    port = 80
	    server c {
	        address = 10.7.0.11
	    }
	}
	$3
	CF
}
vip() { ip -n "$NS" -4 addr show dev eth0 | grep -c "inet $1/"; }

write 3 / ""
"$LVSD" -t -f "$T/lvs.cf" || { echo "not ok - the test's file is refused"; exit 1; }

start_lvsd
i=0
while ! grep -q "site BACKUP -> MASTER" "$T/lvsd.log" && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
i=0
while [ "$(weight web/a)" != 3 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "master with the VIP, web/a checked up at weight 3" \
	'[ "$(vip 10.7.0.100)" = 1 ] && [ "$(weight web/a)" = 3 ]'
started=$(dumpval "['checkers_started']")
check "one checker per real server started ($started)" '[ "$started" = 3 ]'

# 1. Reloads that change no check setting: nothing restarts.
ctl reload >"$T/out" 2>&1
check "no-op reload: unchanged, every checker kept" \
	'grep -q "unchanged, nothing to apply" "$T/out" && [ "$(dumpval "[\"checkers_started\"]")" = "$started" ]'
sed -i 's/^        weight = 3$/        weight = 4/' "$T/lvs.cf"
ctl reload >"$T/out" 2>&1
check "weight change: applied, every checker kept" \
	'[ "$(weight web/a)" = 4 ] && grep -q "3 kept running, 0 restarted" "$T/out" && [ "$(dumpval "[\"checkers_started\"]")" = "$started" ]'

# 2. A new VRRP instance on an interface that is not there: nothing changes.
sed -i 's/^        weight = 4$/        weight = 7/' "$T/lvs.cf"
cat >>"$T/lvs.cf" <<-'CF'
vrrp far {
    vrid = 72
    interface = eth5
    advert_int = 100ms
    # its adverts come from this director's address there
    peers = 10.8.0.2
}
virtual far {
    address = 10.8.0.100 eth5:1
    port = 80
    vrrp = far
    server d {
        address = 10.7.0.11
    }
}
CF
"$LVSD" -t -f "$T/lvs.cf" 2>/dev/null
check "lvsd -t accepts the file (the interface is the machine's business)" '[ $? -eq 0 ]'
ctl reload >"$T/out" 2>&1
rc=$?
check "reload exits 1" '[ $rc -eq 1 ]'
check "reload says what failed and what runs" \
	'grep -q "reload failed: vrrp far: no interface eth5" "$T/out" && grep -q "previous configuration, unchanged" "$T/out"'
check "the old generation runs in full: weight 4, VIP held, no new service" \
	'[ "$(weight web/a)" = 4 ] && [ "$(vip 10.7.0.100)" = 1 ] && ! ctl show | grep -q "^far "'
ctl status >"$T/status" 2>&1
check "lvsctl status shows the failure" \
	'grep -q "last reload: failed" "$T/status" && grep -q "failed: vrrp far: no interface eth5" "$T/status"'
check "no checker restarted by the failed reload" \
	'[ "$(dumpval "[\"checkers_started\"]")" = "$started" ]'
check "status lists only the instance that runs" \
	'grep -q "^  site " "$T/status" && ! grep -q "^  far " "$T/status"'

# 3. Once the interface exists, the same file applies.
ip -n "$NS" link add eth5 type veth peer name peer5
ip -n "$NS" link set eth5 up
ip -n "$NS" link set peer5 up
ip -n "$NS" addr add 10.8.0.2/24 dev eth5
ctl reload >"$T/out" 2>&1
check "with eth5 present the reload applies" '[ $? -eq 0 ] && [ "$(weight web/a)" = 7 ]'
ctl status >"$T/status" 2>&1
check "status: the failure is gone after the good reload" \
	'grep -q "last reload: applied" "$T/status" && ! grep -q "failed:" "$T/status"'
check "the new server got one new checker" \
	'[ "$(dumpval "[\"checkers_started\"]")" = $((started + 1)) ]'

# 4. A changed check setting restarts only that service's checkers.
started=$(dumpval "['checkers_started']")
sed -i 's|^    http_path = /$|    http_path = /host|' "$T/lvs.cf"
ctl reload >"$T/out" 2>&1
check "a check change restarts the two checkers of web only" \
	'grep -q "2 kept running, 2 restarted" "$T/out" && [ "$(dumpval "[\"checkers_started\"]")" = $((started + 2)) ]'
check "web/a stays up across its checker's restart" '[ "$(weight web/a)" = 7 ]'

finish
