#!/bin/sh
# Interop on the wire with Debian's keepalived, VRRP v2 (with PASS auth)
# and v3, lvsd's module in both roles: elections and failover per RFC,
# and no packet dropped by either side as malformed.  lvsd hears only the
# routers it is told of (lvs.cf's directors; IPv6 their link-local
# addresses), keepalived being one; its drill query (asking a backup
# whether it is ready) leaves keepalived undisturbed.
. "$(dirname "$0")/failover/lib.sh"
command -v keepalived >/dev/null || skip "no keepalived (apt-get install keepalived)"
setup_topo

VIP=192.168.77.100
# ka_start VERSION PRIORITY ADVERT [VIP/PLEN]: keepalived in namespace b
ka_start() {
	vip=${4:-$VIP/24 dev eth0 label eth0:1}
	auth=""
	[ "$1" = 2 ] && auth="authentication { auth_type PASS
		auth_pass sesame }"
	cat >"$T/ka.conf" <<EOC
global_defs {
	router_id ka-test
	script_user root
}
vrrp_instance VI {
	state BACKUP
	interface eth0
	virtual_router_id ${KA_VRID:-80}
	version $1
	priority $2
	advert_int $3
	garp_master_delay 0
	$auth
	virtual_ipaddress {
		$vip
	}
}
EOC
	ip netns exec "$NS-b" keepalived -n -l -D -G -P -f "$T/ka.conf" \
	    -p "$T/ka.pid" -r "$T/ka-vrrp.pid" -c "$T/ka-chk.pid" \
	    >"$T/ka.log" 2>&1 &
	KA=$! MARK_ka=0
	PIDS="$PIDS $KA"
}
ka_stop() {
	mark_all
	kill -TERM $KA 2>/dev/null
	wait $KA 2>/dev/null
}
ka_kill9() {
	mark_all
	kill -9 "$(cat "$T/ka-vrrp.pid")" $KA 2>/dev/null
	wait $KA 2>/dev/null
}
ka_wait() {
	wait_log ka "$1" "$2" || fail "keepalived: no '$1'"
}
no_drops() {
	for k in truncated bad-version bad-type bad-length bad-checksum bad-ttl bad-auth bad-interval unknown-sender; do
		n=$(stat a vi $k)
		[ "$n" = 0 ] || fail "lvsd dropped $n keepalived packets as $k"
	done
	[ "$(stat a vi recv)" -gt 0 ] || fail "lvsd received nothing from keepalived"
	grep -Eqi "invalid|bad checksum|ttl|auth.*(fail|mismatch)|wrong" "$T/ka.log" &&
		fail "keepalived complained about lvsd's packets: $(grep -Ei 'invalid|checksum|ttl|auth|wrong' "$T/ka.log" | head -3)"
	true
}

for ver in 2 3; do
	if [ $ver = 2 ]; then
		ka_int=1 our="ver=2,int=100,auth=sesame" wait=6
	else
		ka_int=0.2 our="ver=3,int=20" wait=3
	fi
	# adverts count only from the two directors (as lvs.cf's primary
	# and backup would give them): keepalived is one of them
	spec="name=vi,vrid=80,dev=eth0,vip=$VIP/24@eth0:1,$our,sender=192.168.77.1,sender=192.168.77.2"

	# lvsd master, keepalived backup
	start a a -C --vrrp "$spec,prio=200"
	ka_start $ver 100 $ka_int
	wait_log a "EVENT .* vi BACKUP MASTER" $wait || fail "v$ver: lvsd not master"
	ka_wait "Entering BACKUP STATE" $wait
	# steady state (at startup either may win first, then lvsd preempts)
	sleep 0.5
	mark_all
	sleep 1
	wait_log ka "Entering MASTER STATE" 0 && fail "v$ver: keepalived became master under lvsd"
	has_vip b $VIP && fail "v$ver: VIP on keepalived while lvsd is master"
	# A drill that asks first: keepalived does not answer lvsd's drill
	# query (a UDP datagram to its closed port 5399, nothing else), so
	# the drill is refused, and keepalived notices nothing.
	kill -USR1 "$(pid_of a)"
	# (three queries one advert interval apart, then the verdict)
	wait_log a "DRILL -1 no backup is ready to take over, nothing changed: vrrp vi: 192.168.77.2 did not answer" 8 ||
		fail "v$ver: a drill with a keepalived backup was not refused"
	sleep 0.3
	expect_state a vi MASTER
	wait_log ka "Entering|[Ii]nvalid|[Uu]nknown|error" 0 &&
		fail "v$ver: keepalived noticed the drill query: $(tail -n +$((MARK_ka + 1)) "$T/ka.log" | head -3)"
	# lvsd killed: keepalived takes over
	kill9 a
	ka_wait "Entering MASTER STATE" $wait
	has_vip b $VIP || fail "v$ver: keepalived master without the VIP"
	# lvsd restarts with a higher priority: it preempts, keepalived yields
	mark_all
	start a a --vrrp "$spec,prio=200"
	wait_log a "EVENT .* vi BACKUP MASTER preempt" $wait || fail "v$ver: lvsd did not preempt keepalived"
	ka_wait "Entering BACKUP STATE" 1
	sleep 0.3
	has_vip b $VIP && fail "v$ver: keepalived kept the VIP"
	no_drops
	stop a
	ka_stop
	pass "v$ver: lvsd master, keepalived backup; failover both ways"

	# keepalived master, lvsd backup
	ka_start $ver 200 $ka_int
	start a a --vrrp "$spec,prio=100"
	ka_wait "Entering MASTER STATE" $wait
	sleep 1
	expect_state a vi BACKUP
	has_vip a $VIP && fail "v$ver: VIP on lvsd backup"
	no_drops
	# keepalived stops: priority 0, lvsd takes over in skew time
	ka_stop
	wait_log a "EVENT .* vi BACKUP MASTER peer-released" 2 ||
		fail "v$ver: lvsd did not take over on keepalived's priority 0"
	has_vip a $VIP || fail "v$ver: lvsd master without the VIP"
	# keepalived returns with a higher priority and preempts lvsd
	mark_all
	ka_start $ver 200 $ka_int
	wait_log a "EVENT .* vi MASTER BACKUP higher-priority" $wait ||
		fail "v$ver: lvsd did not yield to keepalived"
	has_vip a $VIP && fail "v$ver: lvsd kept the VIP"
	stop a
	ka_stop
	pass "v$ver: keepalived master, lvsd backup; failover both ways"
done

# IPv6 (v3 only): lvsd master then keepalived master, over ff02::12, both
# configured as RFC 5798 §5.2.9 wants: a virtual link-local address first.
V6=fd00:77::100
LL=fe80::77:1
KA_VRID=81
# Each director's own link-local address is where its adverts come from:
# lvs.cf names them in `peers`.
lla=$(in_ns a ip -6 -o addr show dev eth0 scope link | sed -n 's/.* inet6 \(fe80::[0-9a-f:]*\)\/64 .*/\1/p' | head -n 1)
llb=$(in_ns b ip -6 -o addr show dev eth0 scope link | sed -n 's/.* inet6 \(fe80::[0-9a-f:]*\)\/64 .*/\1/p' | head -n 1)
spec="name=vi,vrid=81,af=6,dev=eth0,int=20,ll=$LL,vip=$V6/64,sender=$lla,sender=$llb"
# not through in_ns: $! must be tcpdump itself, which SIGINT stops
ip netns exec "$NS-br" tcpdump --immediate-mode -U -n -i br0 -w "$T/v6.pcap" "ip6 proto 112" \
	>/dev/null 2>&1 &
TCPDUMP=$!
PIDS="$PIDS $TCPDUMP"
start a a --vrrp "$spec,prio=200"
ka_start 3 100 0.2 "$LL/64 dev eth0
		$V6/64 dev eth0"
wait_log a "EVENT .* vi BACKUP MASTER" 3 || fail "v6: lvsd not master"
ka_wait "Entering BACKUP STATE" 3
sleep 0.5
mark_all
sleep 1
wait_log ka "Entering MASTER STATE" 0 && fail "v6: keepalived became master under lvsd"
has_vip b $V6 && fail "v6: VIP on keepalived while lvsd is master"
# One master on the wire: over a second of steady state, adverts come
# from lvsd only, and they name the link-local address first.
sleep 1
kill -INT $TCPDUMP; wait $TCPDUMP 2>/dev/null
srcs=$(tcpdump -n -r "$T/v6.pcap" 2>/dev/null | tail -n 10 |
	sed -n 's/^.* IP6 \([0-9a-f:]*\) > ff02::12.*$/\1/p' | sort -u)
[ "$(echo "$srcs" | wc -w)" = 1 ] || fail "v6: adverts from several sources in steady state: $srcs"
case $srcs in fe80::*) ;; *) fail "v6: adverts not sent from a link-local address: $srcs" ;; esac
tcpdump -n -v -r "$T/v6.pcap" 2>/dev/null | tail -n 4 | grep -q "addrs(2): $LL,$V6" ||
	fail "v6: lvsd's adverts do not name $LL first: $(tcpdump -n -v -r "$T/v6.pcap" 2>/dev/null | tail -n 2)"
grep -q "unexpected ip number count\|should be link local\|not present in" "$T/ka.log" &&
	fail "v6: keepalived complained: $(grep -m1 'ip number\|link local\|not present' "$T/ka.log")"
[ "$(stat a vi address-mismatch)" = 0 ] || fail "v6: lvsd counted keepalived's adverts as naming other addresses"
kill9 a
ka_wait "Entering MASTER STATE" 3
has_vip b $V6 || fail "v6: keepalived master without the VIP"
start a a --vrrp "$spec,prio=100"
sleep 1.5
expect_state a vi BACKUP
has_vip a $V6 && fail "v6: stale VIP left on the lvsd backup"
no_drops
ka_stop
wait_log a "EVENT .* vi BACKUP MASTER peer-released" 2 || fail "v6: lvsd did not take over on keepalived's priority 0"
has_vip a $V6 || fail "v6: lvsd master without the VIP"
pass "v3 IPv6: lvsd and keepalived elect and fail over both ways"

# A peer naming other addresses: counted and logged with its sender,
# and still heard (one master, not two).
stop a
mark_all
ka_start 3 200 0.2 "$LL/64 dev eth0
		fd00:77::200/64 dev eth0"
start a a --vrrp "$spec,prio=100"
ka_wait "Entering MASTER STATE" 3
sleep 1
expect_state a vi BACKUP
[ "$(stat a vi address-mismatch)" -gt 0 ] || fail "v6: a differing address list was not counted"
wait_log a "vi: advert from fe80::[0-9a-f:]* names 2 addresses \(the first $LL\), not the ones this instance holds" 0 ||
	fail "v6: a differing address list was not logged with its sender"
stop a
ka_stop
pass "v3 IPv6: a peer naming other addresses is logged and counted, one master"
