#!/bin/bash
# ipvs-seed000: the NAT example (seed 000) programmed by the driver equals
# the golden ipvsadm -Sn; a second apply of the same table sends nothing.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm

cat >seed.tab <<'TAB'
service tcp 202.103.106.5:80 wlc label=virtual-www
dest 172.16.0.2:80 masq 1 label=www/r1
dest 172.16.0.3:8000 masq 2 label=www/r2
service tcp 202.103.106.5:21 wlc label=virtual-ftp
dest 172.16.0.3:21 masq 1 label=ftp/r2
TAB
ipvs_tool apply seed.tab apply seed.tab
expect_stat "apply seed.tab" msgs 5
expect_stat "apply seed.tab" errors 0
expect_stat "apply seed.tab" batches 1
expect_stat "apply seed.tab" msgs 0 2		# no-op: nothing sent
expect_stat "apply seed.tab" batches 0 2
expect_ipvs_table - <<'GOLD'
-A -t 202.103.106.5:80 -s wlc
-a -t 202.103.106.5:80 -r 172.16.0.2:80 -m -w 1
-a -t 202.103.106.5:80 -r 172.16.0.3:8000 -m -w 2
-A -t 202.103.106.5:21 -s wlc
-a -t 202.103.106.5:21 -r 172.16.0.3:21 -m -w 1
GOLD
