#!/bin/sh
# Two keepalived directors, then two lvsd directors from the lvs.cf
# lvsd-import-keepalived makes of their two keepalived.conf files, in the
# same namespaces: the same director holds each instance's address when
# the primary starts, when the backup joins, after the primary stops, and
# after it comes back (VI_1 preempts, VI_2 has nopreempt); notify_master
# runs in both.  VI_1 advertises by
# unicast (the directors' addresses come from it), VI_2 by multicast.
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
DRIVER=$top_builddir/lvsd
. "$(dirname "$0")/failover/lib.sh"
command -v keepalived >/dev/null || skip "no keepalived (apt-get install keepalived)"
setup_topo

V1=192.168.77.100 V2=192.168.77.101
# ka_conf SELF PEER PRIO: one director's keepalived.conf
ka_conf() {
	cat <<EOC
global_defs {
    router_id dir-$1
    script_user root
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 71
    version 3
    priority $3
    advert_int 0.2
    unicast_src_ip 192.168.77.$1
    unicast_peer {
        192.168.77.$2
    }
    virtual_ipaddress {
        $V1/24 dev eth0
    }
    notify_master "/usr/bin/touch $T/VI_1.master"
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 72
    version 3
    priority $3
    advert_int 0.2
    nopreempt
    virtual_ipaddress {
        $V2/24 dev eth0
    }
}
virtual_server $V1 80 {
    protocol TCP
    real_server 10.99.0.1 80 {
    }
}
virtual_server $V2 80 {
    protocol TCP
    real_server 10.99.0.2 80 {
    }
}
EOC
}
ka_conf 1 2 150 >"$T/a.conf"
ka_conf 2 1 100 >"$T/b.conf"

ka_start() { # NS
	: >"$T/ka-$1.log"
	ip netns exec "$NS-$1" keepalived -n -l -P -f "$T/$1.conf" \
	    -p "$T/ka-$1.pid" -r "$T/ka-$1-vrrp.pid" >"$T/ka-$1.log" 2>&1 &
	eval "KA_$1=$!"
	PIDS="$PIDS $!"
}
ka_stop() { # NS
	eval "p=\$KA_$1"
	kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
}
lv_start() { # NS
	start "$1" "$1" -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-$1"
}
# holders: which director holds V1 and V2 ("a a", "b b", "a b", ...)
holder() {
	if has_vip a "$1"; then
		has_vip b "$1" && echo both || echo a
	elif has_vip b "$1"; then echo b
	else echo none
	fi
}
holders() { echo "$(holder $V1) $(holder $V2)"; }
# settle WANT SECONDS: until the holders are WANT, and still are 1 s later
settle() {
	i=0
	while [ "$(holders)" != "$1" ] && [ $i -lt $(($2 * 10)) ]; do
		sleep 0.1; i=$((i + 1))
	done
	sleep 1
	[ "$(holders)" = "$1" ]
}

# run KIND: the three steps with keepalived or lvsd; prints the holders
run() {
	rm -f "$T/VI_1.master"
	$1_start a
	settle "a a" 6 || { echo "a alone: $(holders)"; return 1; }
	$1_start b
	settle "a a" 3 || { echo "b joins: $(holders)"; return 1; }
	[ -e "$T/VI_1.master" ] || { echo "no notify_master"; return 1; }
	$1_stop a
	settle "b b" 6 || { echo "master stopped: $(holders)"; return 1; }
	$1_start a
	settle "a b" 6 || { echo "master back: $(holders)"; return 1; }
	$1_stop a; $1_stop b
	sleep 0.5
}
lv_stop() { stop "$1"; }

out=$(run ka) || fail "keepalived pair: $out (expected a a, a a, b b, a b)"
pass "keepalived pair: a holds both, b both after a stops, a VI_1 (preempt) and b VI_2 (nopreempt) after a returns"

"$top_builddir/lvsd-import-keepalived" -o "$T/lvs.cf" "$T/a.conf" "$T/b.conf" \
    2>"$T/import.log" || fail "the pair's files did not convert: $(cat "$T/import.log")"
grep -q "^primary = 192.168.77.1$" "$T/lvs.cf" && grep -q "^backup = 192.168.77.2$" "$T/lvs.cf" ||
	fail "directors' addresses not derived from unicast_src_ip/unicast_peer: $(cat "$T/lvs.cf")"
out=$(run lv) || fail "lvsd pair from the converted file: $out (expected a a, a a, b b, a b)"
pass "lvsd pair from the converted lvs.cf: the same holders at each step, notify_master ran"
