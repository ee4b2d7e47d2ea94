#!/bin/bash
# ipvs-foreign: a service created by hand (ipvsadm -A) survives the
# driver's start, applies and close (even close-remove), byte for byte;
# a hand-made service that lvsd's table also defines is adopted.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm

ipvsadm -A -t 10.9.9.9:25 -s rr
ipvsadm -a -t 10.9.9.9:25 -r 10.2.9.1:25 -m -w 7
ipvsadm -A -t 10.1.0.1:80 -s sh
ipvsadm -a -t 10.1.0.1:80 -r 10.2.9.2:80 -m -w 1
foreign=$(ipvsadm -Sn -t 10.9.9.9:25)
cat >t.tab <<'TAB'
service tcp 10.1.0.1:80 wlc label=web
dest 10.2.0.1:80 masq 1
service tcp 10.1.0.1:443 wlc label=tls
dest 10.2.0.1:443 masq 1
TAB
echo 'service tcp 10.1.0.1:443 wlc label=tls' >small.tab
ipvs_tool apply t.tab apply small.tab
expect_stat "apply t.tab" adopted 1
expect_stat "apply t.tab" svc~ 1
expect_stat "apply t.tab" dst- 1		# the hand-made dest of the adopted service
expect_stat "apply small.tab" svc- 1
expect_match "adopting the service" "$(cat tool.err)" "adoption logged"
expect_eq "$foreign" "$(ipvsadm -Sn -t 10.9.9.9:25)" "the foreign service"
expect_ipvs_table - <<'GOLD'
-A -t 10.9.9.9:25 -s rr
-a -t 10.9.9.9:25 -r 10.2.9.1:25 -m -w 7
-A -t 10.1.0.1:443 -s wlc
GOLD
ipvs_tool close-remove
expect_ipvs_table - <<'GOLD'
-A -t 10.9.9.9:25 -s rr
-a -t 10.9.9.9:25 -r 10.2.9.1:25 -m -w 7
-A -t 10.1.0.1:443 -s wlc
GOLD
# close-remove only removes what this run manages: without the state file
# 10.1.0.1:443 is foreign to a new run.  With the state file it is ours:
ipvs_tool -s st apply small.tab close-keep
ipvs_tool -s st close-remove
expect_ipvs_table - <<'GOLD'
-A -t 10.9.9.9:25 -s rr
-a -t 10.9.9.9:25 -r 10.2.9.1:25 -m -w 7
GOLD
[ ! -e st ] || fail "state file left after close-remove"
