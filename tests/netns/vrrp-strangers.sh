#!/bin/sh
# Who may speak VRRP: two lvsd directors from one lvs.cf (multicast), and
# a stranger on the link (192.168.77.9, not in lvs.cf).  Its priority-254
# advert is dropped and logged with its sender and reason, the master
# stays master (its log, the VIP, the adverts on the wire); a burst that
# ends is logged with its count; a wrong VRID is logged; lvsctl status
# and metrics count the reason.  With accept_any_sender = 1 (a reload)
# the same advert is obeyed: the master yields.
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
DRIVER=$top_builddir/lvsd
. "$(dirname "$0")/failover/lib.sh"
command -v python3 >/dev/null || skip "no python3"
command -v tcpdump >/dev/null || skip "no tcpdump"
setup_topo
CRAFT="python3 $(dirname "$0")/failover/craft.py"
VIP=192.168.77.100

write_cf() {
	cat >"$T/lvs.cf" <<-CF
	primary = 192.168.77.1
	backup = 192.168.77.2
	backup_active = 1
	vrrp vi {
	    vrid = 61
	    advert_int = 100ms
	    $1
	}
	virtual web {
	    address = $VIP eth0:1
	    vip_nmask = 24
	    port = 80
	    check = none
	    server rs {
	        address = 10.99.0.1
	    }
	}
	CF
}
run() { # NAME NS
	start "$1" "$2" -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-$1"
}
ctl() { # NAME ARGS...
	_n=$1; shift
	"$top_builddir/lvsctl" --socket "$T/state-$_n/lvsd.sock" "$@"
}
stranger() { # KIND [COUNT]
	in_ns c $CRAFT "$1" 192.168.77.9 224.0.0.18 "${2:-1}" || fail "craft $1"
}
# adverts on the wire since the capture began: "SRC PRIO" per line
wire() {
	tcpdump -n -v -r "$T/wire.pcap" 2>/dev/null |
	    sed -n 's/^ *\([0-9.]*\) > 224.0.0.18: VRRPv3, Advertisement, vrid \([0-9]*\), prio \([0-9]*\),.*$/\1 \2 \3/p'
}

write_cf ""
run a a
run b b
wait_log a "failover: vi BACKUP -> MASTER" 5 || fail "a never became master"
wait_log b "ready: backup director" 5 || fail "b did not start as the backup"
sleep 0.5
# not through in_ns: $! must be tcpdump itself, which SIGINT stops
ip netns exec "$NS-br" tcpdump --immediate-mode -U -n -i br0 -w "$T/wire.pcap" "ip proto 112" \
	>/dev/null 2>&1 &
TCPDUMP=$!
PIDS="$PIDS $TCPDUMP"
sleep 0.5
mark_all

# 1. One priority-254 advert from the stranger: dropped by both directors.
stranger v3,61,$VIP
line="vrrp vi: dropped a packet from 192.168.77.9 \(vrid 61, priority 254\): unknown-sender: not a director lvs.cf names"
wait_log a "$line" 2 || fail "a did not log the stranger's advert with its sender and reason"
wait_log b "$line" 2 || fail "b did not log the stranger's advert"
sleep 1
grep -q "vi MASTER -> BACKUP" "$T/a.log" && fail "a yielded to the stranger"
has_vip a $VIP || fail "the VIP left the master"
has_vip b $VIP && fail "the VIP is on the backup"
kill -INT $TCPDUMP; wait $TCPDUMP 2>/dev/null
wire >"$T/wire.txt"
grep -q "^192.168.77.9 61 254$" "$T/wire.txt" || fail "the stranger's advert is not on the wire: $(head -3 "$T/wire.txt")"
# after it: a's adverts at its priority (150), never 0; none from b
sed -n '/^192.168.77.9 61 254$/,$p' "$T/wire.txt" >"$T/after.txt"
[ "$(grep -c '^192.168.77.1 61 150$' "$T/after.txt")" -ge 5 ] ||
	fail "a stopped advertising after the stranger's advert: $(cat "$T/after.txt" | head)"
grep -Eq '^192.168.77.1 61 0$|^192.168.77.2 ' "$T/after.txt" &&
	fail "a released or b advertised after the stranger's advert"
ctl a status >"$T/status" || fail "lvsctl status"
grep -q "vi  *MASTER .*dropped 1 (unknown-sender 1)" "$T/status" ||
	fail "lvsctl status does not count the drop by reason: $(grep vi "$T/status")"
pass "a stranger's priority-254 advert: dropped, logged with sender and reason, the master stays master (VIP, wire)"

# 2. A burst of 20 that ends: one line at once, then the count.  (The
# first window, opened by the advert above, has closed by now.)
sleep 1.5
mark_all
stranger v3,61,$VIP 20
wait_log a "$line" 1 || fail "the burst's first drop was not logged at once"
wait_log a "vrrp vi: dropped 19 more packets from 192.168.77.9 since the last message: unknown-sender \(20 in this burst\)" 3 ||
	fail "the end of the burst was not logged with its count: $(grep 'vi: dropped' "$T/a.log" | tail -n 2)"
ctl a metrics | grep -q '^lvsd_failover_dropped_by_reason_total{instance="vi",reason="unknown-sender"} 21$' ||
	fail "metrics: $(ctl a metrics | grep dropped_by_reason)"
pass "a burst of 20 that ends: logged at once and with its count (20), metrics by reason"

# 3. Another virtual router's advert: logged too.
mark_all
stranger v3,99,192.168.77.200
wait_log a "vrrp vi: dropped a packet from 192.168.77.9 \(vrid 99, priority 254\): other-vrid" 2 ||
	fail "a wrong VRID was not logged"
pass "a wrong VRID is logged with its sender"

# 4. accept_any_sender = 1: the same advert is obeyed (a reload on both).
write_cf "accept_any_sender = 1"
ctl a reload >/dev/null || fail "reload of a"
ctl b reload >/dev/null || fail "reload of b"
ip netns exec "$NS-br" tcpdump --immediate-mode -U -n -i br0 -w "$T/wire.pcap" "ip proto 112" \
	>/dev/null 2>&1 &
TCPDUMP=$!
PIDS="$PIDS $TCPDUMP"
sleep 0.5
mark_all
stranger v3,61,$VIP
wait_log a "failover: vi MASTER -> BACKUP \(higher-priority\)" 2 ||
	fail "with accept_any_sender = 1 the master did not yield"
# b takes over from the released master, then a (priority 150) preempts
# it again: the stranger stays silent
wait_log a "failover: vi BACKUP -> MASTER \(preempt\)" 3 || fail "a did not come back"
sleep 0.3
kill -INT $TCPDUMP; wait $TCPDUMP 2>/dev/null
wire >"$T/wire.txt"
sed -n '/^192.168.77.9 61 254$/,$p' "$T/wire.txt" | sed -n 2p | grep -q '^192.168.77.1 61 0$' ||
	fail "a did not release (priority 0) right after the stranger's advert: $(sed -n '/^192.168.77.9/,$p' "$T/wire.txt" | head -3)"
has_vip a $VIP || fail "the VIP did not come back to a"
pass "accept_any_sender = 1: the stranger's advert is obeyed (priority 0 on the wire), then a returns"
