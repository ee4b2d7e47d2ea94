#!/bin/bash
# import-keepalived: keepalived programs IPVS from a keepalived.conf, lvsd
# from what lvsd-import-keepalived made of it, each in a fresh namespace;
# `ipvsadm -Sn` and the connection timeouts of both are the same.  The
# file covers NAT, direct routing, tunnelling (IPIP and GUE), schedulers
# and their flags, persistence with a netmask, a fwmark service, UDP and
# IPv6 services, weights and thresholds, and checks that decide the
# table: a real server that passes its MISC_CHECK stays, one that fails
# leaves, or stays at weight 0 with inhibit_on_failure, and a service
# whose only real server failed gets its sorry server.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/lvsd/lib.sh"
require_cmd ipvsadm keepalived

cat >keepalived.conf <<'EOF_KA'
global_defs {
    router_id vm-import
    script_user root
    lvs_timeouts tcp 901 tcpfin 31 udp 61
}
virtual_server 10.10.0.1 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.20.0.1 8080 {
        weight 3
    }
    real_server 10.20.0.2 8080 {
        weight 1
        uthreshold 100
        lthreshold 10
    }
}
virtual_server 10.10.0.1 443 {
    lb_kind DR
    persistence_timeout 600
    persistence_granularity 255.255.255.0
    real_server 10.20.0.1 443 {
        weight 2
    }
    real_server 10.20.0.3 443 {
        weight 2
    }
}
virtual_server 10.10.0.2 53 {
    protocol UDP
    lb_algo sh
    sh-port
    sh-fallback
    ops
    lb_kind TUN
    real_server 10.20.0.4 53 {
    }
    real_server 10.20.0.5 53 {
        lvs_method TUN type gue port 6080
        weight 5
    }
}
virtual_server fwmark 7 {
    lb_algo lc
    persistence_timeout
    real_server 10.20.0.6 {
        weight 4
    }
}
virtual_server 2001:db8::1 80 {
    lb_algo mh
    real_server 2001:db8:1::1 80 {
        weight 1
    }
}
virtual_server 10.10.0.3 80 {
    delay_loop 1
    lb_algo wrr
    inhibit_on_failure
    real_server 10.20.0.7 80 {
        weight 2
        MISC_CHECK {
            misc_path /bin/false
        }
    }
    real_server 10.20.0.8 80 {
        weight 3
        MISC_CHECK {
            misc_path /bin/false
        }
    }
}
virtual_server 10.10.0.3 81 {
    delay_loop 1
    real_server 10.20.0.7 81 {
        weight 2
        MISC_CHECK {
            misc_path "/usr/bin/test 1 -eq 1"
        }
    }
}
virtual_server 10.10.0.4 80 {
    delay_loop 1
    lb_algo rr
    sorry_server 10.20.0.99 8080
    real_server 10.20.0.9 80 {
        MISC_CHECK {
            misc_path /bin/false
        }
    }
}
EOF_KA

fresh_ns() { # NAME: a namespace as the runner gives each case
	ip netns add "$1" && ip -n "$1" -batch - <<-EOF_NS
		link set lo up
		link add vm0 type dummy
		link set vm0 up
		route add default dev vm0
		route add ::/0 dev vm0
	EOF_NS
}
table() { ip netns exec "$1" ipvsadm -Sn | ipvs_normalize; }
timeouts() { ip netns exec "$1" ipvsadm -L --timeout; }
# The checks have acted: the failing server is at weight 0 and the
# sorry server stands in.
settled() {
	local t
	t=$(table "$1")
	grep -q -- '-r 10.20.0.8:80 -m -w 0$' <<<"$t" &&
		grep -q -- '-r 10.20.0.7:80 -m -w 0$' <<<"$t" &&
		grep -q -- '-r 10.20.0.99:8080 ' <<<"$t" &&
		! grep -q -- '-r 10.20.0.9:80 ' <<<"$t"
}

KA_NS=ka-$$ LV_NS=lv-$$
trap 'ip netns del "$KA_NS" 2>/dev/null; ip netns del "$LV_NS" 2>/dev/null' EXIT
fresh_ns "$KA_NS" || fail "cannot create $KA_NS"
fresh_ns "$LV_NS" || fail "cannot create $LV_NS"

ip netns exec "$KA_NS" keepalived -n -l -C -f "$PWD/keepalived.conf" \
	-p "$PWD/ka.pid" -c "$PWD/ka-check.pid" >ka.log 2>&1 &
ka=$!
wait_until 60 settled "$KA_NS" || { cat ka.log; table "$KA_NS"; fail "keepalived's checks did not settle"; }
vm_sleep 1.5
want=$(table "$KA_NS")
want_to=$(timeouts "$KA_NS")
[ "$(grep -c '^-A' <<<"$want")" = 8 ] || { printf '%s\n' "$want"; fail "keepalived programmed $(grep -c '^-A' <<<"$want") services, not 8"; }
note "keepalived: $(grep -c '^-A' <<<"$want") services, $(grep -c '^-a' <<<"$want") real servers"
kill -TERM $ka
wait $ka 2>/dev/null

"$top_builddir/lvsd-import-keepalived" -o lvs.cf keepalived.conf 2>import.err ||
	{ cat import.err; fail "the file did not convert"; }
"$top_builddir/lvsd" -t -f lvs.cf 2>&1 || { cat lvs.cf; fail "lvsd -t refuses the converted file"; }
LVSD_NS=$LV_NS
lvsd_start lvs.cf
same() { [ "$(table "$LV_NS")" = "$want" ]; }
if ! wait_until 60 same; then
	cat lvs.cf
	echo "--- keepalived's table, +++ lvsd's:"
	diff -u <(printf '%s\n' "$want") <(table "$LV_NS")
	fail "the tables differ"
fi
expect_eq "$want_to" "$(timeouts "$LV_NS")" "connection timeouts (ipvsadm -L --timeout)"
lvsd_stop
note "lvsd from the converted file: the same table, checks and timeouts"
