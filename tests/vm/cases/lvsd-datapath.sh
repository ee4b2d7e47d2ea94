#!/bin/bash
# lvsd-datapath: lvsd programs the director of the data-path lab from an
# lvs.cf; 20 requests from the client to the VIP are answered in rotation
# by both real servers, through NAT (seed 000) and direct routing
# (seed 003).  Real servers enter the table through their HTTP checks.
set -u
. "$VM_LIB/assert.sh"
. "$VM_LIB/lab.sh"
. "$top_srcdir/tests/vm/lvsd/lib.sh"

program_lvsd() { # MODE
	local net=nat
	[ "$1" = dr ] && net=direct
	{
		echo "network = $net"
		echo "virtual web {"
		echo "    address = $LAB_VIP"
		echo "    port = $LAB_PORT"
		echo "    scheduler = rr"
		echo "    check = http"
		echo "    check_interval = 200ms"
		echo "    check_rise = 1"
		echo "    check_timeout = 3s"
		local i
		for i in "${!LAB_RS_IPS[@]}"; do
			echo "    server ${LAB_RS_NAMES[$i]} {"
			echo "        address = ${LAB_RS_IPS[$i]}"
			echo "        port = $LAB_RS_PORT"
			echo "    }"
		done
		echo "}"
	} >"lab-$1.cf"
	[ -n "$LVSD_PID" ] && lvsd_stop
	LVSD_NS=$(lab_ns director)
	lvsd_start "lab-$1.cf"
	# Real servers join once their first HTTP check passed.
	wait_until 20 lvsd_has_dests "$LAB_NRS" || fail "real servers not up: $(cat "$LVSD_LOG")"
}
lvsd_has_dests() {
	[ "$(lab_in director ipvsadm -Sn | grep -c '^-a')" -eq "$1" ]
}

lab_setup nat 2
lab_program program_lvsd nat
expect_has "-a -t $LAB_VIP:80 -r ${LAB_RS_IPS[0]}:80 -m -w 1" "$(lab_in director ipvsadm -Sn)" "NAT table"
lab_expect_rr 20

lab_mode dr
lab_program program_lvsd dr
expect_has "-a -t $LAB_VIP:80 -r ${LAB_RS_IPS[1]}:80 -g -w 1" "$(lab_in director ipvsadm -Sn)" "DR table"
lab_expect_rr 20
lvsd_stop
