#!/bin/bash
# ipvs-datapath: the data-path lab with the table programmed by the IPVS
# driver (ipvs-tool): 20 requests to VIP:80 answered alternately by both
# real servers through NAT; then the same service switched to direct
# routing by an edit (SET of the forwarding method, no delete + add).
set -u
. "$VM_LIB/assert.sh"
. "$VM_LIB/lab.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"

program_driver() { # SCHEDULER: one service VIP:80, every real server
	local i fwd=masq
	[ "$LAB_MODE" = dr ] && fwd=route
	{
		echo "service tcp $LAB_VIP:$LAB_PORT $1 label=virtual-lab"
		for i in "${!LAB_RS_IPS[@]}"; do
			echo "dest ${LAB_RS_IPS[$i]}:$LAB_RS_PORT $fwd 1 label=lab/${LAB_RS_NAMES[$i]}"
		done
	} >lab.tab
	# the state file makes the second run's service its own: an edit
	lab_in director "$IPVS_TOOL" -s "$PWD/ipvs.state" apply lab.tab >>tool.out
}

lab_setup nat 2
lab_program program_driver rr
expect_stat "apply lab.tab" msgs 3
expect_eq "-A -t 10.0.0.100:80 -s rr
-a -t 10.0.0.100:80 -r 10.0.3.11:80 -m -w 1
-a -t 10.0.0.100:80 -r 10.0.3.12:80 -m -w 1" \
	"$(lab_in director ipvsadm -Sn | ipvs_normalize)" "NAT table"
lab_expect_rr 20

lab_mode dr
lab_program program_driver rr
expect_stat "apply lab.tab" msgs 2 2		# two SET_DEST, nothing else
expect_stat "apply lab.tab" dst~ 2 2
expect_stat "apply lab.tab" dst- 0 2
expect_eq "-A -t 10.0.0.100:80 -s rr
-a -t 10.0.0.100:80 -r 10.0.3.11:80 -g -w 1
-a -t 10.0.0.100:80 -r 10.0.3.12:80 -g -w 1" \
	"$(lab_in director ipvsadm -Sn | ipvs_normalize)" "DR table"
lab_expect_rr 20
