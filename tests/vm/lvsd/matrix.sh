# matrix.sh - the reload matrix's helpers (bash; source after assert.sh and
# lvsd/lib.sh): write_cf writes one variant of a two-service lvs.cf, step
# reloads it through lvsctl and checks the netlink message count (none
# for a file that did not change: lvsd says it is unchanged) and that
# the kernel table equals a fresh start on the same file.
LVSCTL=$top_builddir/lvsctl
export LVSCTL_SOCKET=$PWD/state/lvsd.sock

# base WEIGHT SCHED PERSIST FWD EXTRA_SERVER EXTRA_VIRTUAL VIP CHECKPORT
write_cf() {
	cat >lvs.cf <<CF
virtual web {
    address = $7 eth0:1
    port = 80
    scheduler = $2
    persistent = $3
    check = none
    check_port = $8
    server a {
        address = 10.1.0.1
        weight = $1
    }
    server b {
        address = 10.1.0.2
        network = $4
    }
$( [ "$5" = 1 ] && printf '    server c {\n        address = 10.1.0.3\n    }\n' )
}
virtual mail {
    address = 10.0.0.2 eth0:2
    port = 25
    check = none
    server m {
        address = 10.1.0.9
    }
}
$( [ "$6" = 1 ] && printf 'virtual dns {\n    address = 10.0.0.3 eth0:3\n    protocol = udp\n    port = 53\n    check = none\n    server d1 {\n        address = 10.1.0.21\n    }\n    server d2 {\n        address = 10.1.0.22\n    }\n}\n' )
CF
}

# fresh_table: the table a fresh lvsd builds from lvs.cf, in its own namespace
fresh_table() {
	ip netns add fresh
	ip -n fresh link set lo up
	ip -n fresh link add vm0 type dummy
	ip -n fresh link set vm0 up
	ip -n fresh route add default dev vm0
	rm -rf fstate
	ip netns exec fresh "$LVSD" -n -f lvs.cf --role primary --state-dir "$PWD/fstate" \
		--lib-dir "$PWD/flib" 2>fresh.log &
	local pid=$!
	wait_until 30 grep -q " ready: " fresh.log || fail "fresh lvsd did not start"
	ip netns exec fresh ipvsadm -Sn | ipvs_normalize
	kill -TERM $pid
	wait $pid
	ip netns del fresh
}

step() { # NAME MESSAGES ARGS-OF-write_cf...
	local name=$1 want=$2 out got
	shift 2
	write_cf "$@"
	out=$("$LVSCTL" reload 2>&1) ||
		{ cat "$LVSD_LOG" >&2; fail "$name: reload refused: $out"; }
	got=$(echo "$out" | sed -n 's/.*(\([0-9]*\) netlink messages\{0,1\}).*/\1/p')
	# the same file again: not read again, nothing sent
	case $out in *"unchanged, nothing to apply"*) got=0 ;; esac
	[ "$got" = "$want" ] || fail "$name: $got netlink messages, want $want ($out)"
	expect_eq "$(fresh_table)" "$(ipvs_dump)" "$name: table after reload vs fresh start"
	note "$name: $got message(s)"
}

