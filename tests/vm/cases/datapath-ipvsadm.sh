#!/bin/bash
# datapath-ipvsadm: the data-path lab works with a table programmed by
# ipvsadm: 20 requests from the client to VIP:80 are answered alternately
# by both real servers, through NAT and through direct routing. The lvsd
# data-path cases are this case with lab_program_ipvsadm replaced.
set -u
. "$VM_LIB/assert.sh"
. "$VM_LIB/lab.sh"

tx() { lab_tx_packets director eth0; }

lab_setup nat 2
lab_program lab_program_ipvsadm rr
lab_in director ipvsadm -Sn | ipvs_normalize >golden
expect_eq "-A -t 10.0.0.100:80 -s rr
-a -t 10.0.0.100:80 -r 10.0.3.11:80 -m -w 1
-a -t 10.0.0.100:80 -r 10.0.3.12:80 -m -w 1" "$(cat golden)" "NAT table"
t0=$(tx)
lab_expect_rr 20
# NAT: the replies leave through the director's public side
nat_tx=$(($(tx) - t0))
[ "$nat_tx" -ge 40 ] || fail "NAT: director sent only $nat_tx packets to the client side"

lab_mode dr
lab_program lab_program_ipvsadm rr
t0=$(tx)
lab_expect_rr 20
# DR: replies bypass the director; at most a few ARP packets leave eth0
dr_tx=$(($(tx) - t0))
[ "$dr_tx" -le 5 ] || fail "DR: director sent $dr_tx packets to the client side (replies should bypass it)"
note "director eth0 tx packets: NAT $nat_tx, DR $dr_tx"

# the check can fail: with one real server down, rotation breaks
lab_in director ipvsadm -d -t $LAB_VIP:80 -r 10.0.3.12:80
if (lab_expect_rr 4) >/dev/null 2>&1; then
	fail "lab_expect_rr passed with one real server removed"
fi
