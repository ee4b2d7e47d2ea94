#!/bin/bash
# ipvs-resync: changes made behind the driver's back (a service deleted
# with ipvsadm -D, a weight edited with ipvsadm -e) are undone by
# ipvs_resync, which re-dumps the kernel and sends only the repairs.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm

cat >t.tab <<'TAB'
service tcp 10.1.0.1:80 wlc label=web
dest 10.2.0.1:80 masq 1
dest 10.2.0.2:80 masq 2
service udp 10.1.0.1:53 rr label=dns
dest 10.2.0.1:53 masq 1
TAB
ipvs_tool -s st apply t.tab \
	exec 'ipvsadm -D -t 10.1.0.1:80 && ipvsadm -e -u 10.1.0.1:53 -r 10.2.0.1:53 -m -w 9' \
	resync resync
expect_stat "exec" rc 0
expect_stat "resync" msgs 4		# service + 2 dests + 1 weight
expect_stat "resync" svc+ 1
expect_stat "resync" dst~ 1
expect_stat "resync" msgs 0 2
expect_ipvs_table - <<'GOLD'
-A -t 10.1.0.1:80 -s wlc
-a -t 10.1.0.1:80 -r 10.2.0.1:80 -m -w 1
-a -t 10.1.0.1:80 -r 10.2.0.2:80 -m -w 2
-A -u 10.1.0.1:53 -s rr
-a -u 10.1.0.1:53 -r 10.2.0.1:53 -m -w 1
GOLD
# a service re-created behind its back between two applies: the NEW is
# refused (EEXIST), the driver re-dumps, adopts it and fixes it
ipvs_tool -s st apply t.tab exec 'ipvsadm -A -t 10.1.0.1:8080 -s sh' \
	exec "sed -i '\$a service tcp 10.1.0.1:8080 lc label=late' t.tab" apply t.tab
expect_stat "apply t.tab" resyncs 1 2
expect_stat "apply t.tab" adopted 1 2
expect_match '-A -t 10.1.0.1:8080 -s lc' "$(ipvsadm -Sn)" "adopted service fixed"
