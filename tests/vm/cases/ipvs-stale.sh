#!/bin/bash
# ipvs-stale: services lvsd created in an earlier run (recorded in the
# state file) and no longer configured are removed by the next run's
# first apply; services of others are not.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm

cat >old.tab <<'TAB'
service tcp 10.1.0.1:80 wlc label=web
dest 10.2.0.1:80 masq 1
service tcp 10.1.0.1:21 wlc label=ftp
dest 10.2.0.1:21 masq 1
service fwmark 3 inet6 rr label=mark
TAB
head -2 old.tab >new.tab
mkdir run
# first run killed without cleanup: the table stays, the state file too
ipvs_tool -s run/ipvs.state apply old.tab close-keep
expect_match 'fwmark inet6 3' "$(cat run/ipvs.state)" "state file"
ipvsadm -A -u 10.9.9.9:53 -s rr
ipvs_tool -s run/ipvs.state apply new.tab
expect_stat "apply new.tab" svc- 2
expect_stat "apply new.tab" msgs 2
expect_stat "apply new.tab" adopted 0
expect_ipvs_table - <<'GOLD'
-A -t 10.1.0.1:80 -s wlc
-a -t 10.1.0.1:80 -r 10.2.0.1:80 -m -w 1
-A -u 10.9.9.9:53 -s rr
GOLD
expect_eq "tcp 10.1.0.1 80" "$(grep -v '^#' run/ipvs.state)" "state file after apply"
