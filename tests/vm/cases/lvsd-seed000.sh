#!/bin/bash
# lvsd-seed000: the daemon programs the seed-000 NAT table from
# etc/lvs.cf.nat exactly (golden ipvsadm -Sn), leaves a foreign service
# alone through start, reload and stop, removes what it manages on stop,
# and cleans services a killed earlier run left behind.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/lvsd/lib.sh"
require_cmd ipvsadm

ipvsadm -A -t 192.0.2.1:443 -s rr
ipvsadm -a -t 192.0.2.1:443 -r 192.0.2.10:443 -m -w 3
foreign='-A -t 192.0.2.1:443 -s rr
-a -t 192.0.2.1:443 -r 192.0.2.10:443 -m -w 3'

# The table alone: no health checks (there are no real servers here).
sed 's/^\( *\)scheduler = .*$/&\n\1check = none/' "$top_srcdir/etc/lvs.cf.nat" >nat.cf
lvsd_start nat.cf
expect_ipvs_table - <<GOLD
-A -t 202.103.106.5:80 -s wlc
-a -t 202.103.106.5:80 -r 172.16.0.2:80 -m -w 1
-a -t 202.103.106.5:80 -r 172.16.0.3:8000 -m -w 2
-A -t 202.103.106.5:21 -s wrr
-a -t 202.103.106.5:21 -r 172.16.0.3:21 -m -w 1
$foreign
GOLD
expect_has "start: IPVS table holds 2 services, 3 real servers; services +2 ~0 -0, real servers +3 ~0 -0 (5 messages)" "$(lvsd_last_apply)" "start summary"

# A reload of the same file sends nothing.
lvsd_reload
expect_has "unchanged (1 file, the same content; " "$(lvsd_last_reload)" "no-op reload"
expect_has "read again): nothing to apply" "$(lvsd_last_reload)" "no-op reload"

lvsd_stop
expect_ipvs_table - <<<"$foreign"

# A killed run leaves its table; the next run removes what it no longer
# configures (recorded in the state file) and keeps the rest.
cp nat.cf two.cf
lvsd_start two.cf
kill -KILL "$LVSD_PID"
wait "$LVSD_PID" 2>/dev/null
sed '/^virtual ftp {/,/^}/d' two.cf >one.cf
lvsd_start one.cf
expect_ipvs_table - <<GOLD
-A -t 202.103.106.5:80 -s wlc
-a -t 202.103.106.5:80 -r 172.16.0.2:80 -m -w 1
-a -t 202.103.106.5:80 -r 172.16.0.3:8000 -m -w 2
$foreign
GOLD
lvsd_stop
expect_ipvs_table - <<<"$foreign"
