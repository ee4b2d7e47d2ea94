#!/bin/bash
# ipvs-dryrun: a dry run leaves the kernel untouched and logs ipvsadm
# command lines; replaying them by hand builds the same table the driver
# builds for real.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm

cat >t.tab <<'TAB'
service tcp 10.1.0.1:80 wlc label=web
dest 10.2.0.1:80 masq 1
dest 10.2.0.2:8080 masq 2
service udp [2001:db8::1]:53 sh persistent=120 netmask=64 sched1
dest [2001:db8:1::1]:53 route 3 uthresh=50
service fwmark 9 inet rr persistent=30 netmask=16
dest 10.2.0.3:0 tunnel 1 tun=gue tunport=6080 tunflags=csum
TAB
sed 's/masq 2/masq 4/' t.tab >t2.tab
ipvs_tool -n apply t.tab apply t2.tab timeouts 900,60,300
expect_eq "0 0" "$(ipvs_count)" "kernel entries after a dry run"
expect_stat "apply t.tab" msgs 7
expect_stat "apply t2.tab" msgs 1
expect_match 'dry-run: ipvsadm -e -t 10.1.0.1:80 -r 10.2.0.2:8080 -m -w 4' "$(cat tool.err)" "edit logged"
sed -n 's/^dry-run: ipvsadm //p' tool.err | grep -v -- '--set' >replay
while read -r line; do
	# shellcheck disable=SC2086
	ipvsadm $line || fail "replaying: ipvsadm $line"
done <replay
replayed=$(ipvs_dump)
ipvsadm -C
ipvs_tool apply t2.tab
expect_eq "$replayed" "$(ipvs_dump)" "replayed dry run vs real apply"
