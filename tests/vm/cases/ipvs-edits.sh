#!/bin/bash
# ipvs-edits: a second table in the same driver run changes weights
# (exactly one message per edit), a scheduler, the forwarding method, and
# removes a destination and a service; then a no-op sends nothing.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm

cat >a.tab <<'TAB'
service tcp 10.1.0.1:80 wlc label=web
dest 10.2.0.1:80 masq 1 label=web/r1
dest 10.2.0.2:80 masq 1 label=web/r2
dest 10.2.0.3:80 masq 1 label=web/r3
service tcp 10.1.0.1:81 wlc label=web81
dest 10.2.0.1:81 masq 1
service tcp 10.1.0.1:21 wlc label=ftp
dest 10.2.0.3:21 masq 1
TAB
sed -e '/10.2.0.1:80/s/masq 1/masq 5/' -e '/10.2.0.2:80/s/masq 1/masq 0/' a.tab >weights.tab
sed -e '/10.1.0.1:81/s/wlc/rr/' -e '/10.2.0.1:81/s/masq/route/' \
	-e '/10.2.0.3:80/d' -e '/10.1.0.1:21/,$d' weights.tab >b.tab
# -b 1: applied in slices of one service (the event-loop path)
ipvs_tool -b 1 apply a.tab apply weights.tab apply b.tab apply b.tab resync
expect_stat "apply a.tab" msgs 8
expect_stat "apply weights.tab" msgs 2
expect_stat "apply weights.tab" dst~ 2
expect_stat "apply b.tab" msgs 4
expect_stat "apply b.tab" svc~ 1
expect_stat "apply b.tab" dst~ 1
expect_stat "apply b.tab" dst- 1
expect_stat "apply b.tab" svc- 1
expect_stat "apply b.tab" msgs 0 2
expect_stat "apply b.tab" errors 0
expect_stat "resync" msgs 0
expect_ipvs_table - <<'GOLD'
-A -t 10.1.0.1:80 -s wlc
-a -t 10.1.0.1:80 -r 10.2.0.1:80 -m -w 5
-a -t 10.1.0.1:80 -r 10.2.0.2:80 -m -w 0
-A -t 10.1.0.1:81 -s rr
-a -t 10.1.0.1:81 -r 10.2.0.1:81 -g -w 1
GOLD
# removing everything: the services go, nothing foreign was there
ipvs_tool apply b.tab close-remove
expect_eq "0 0" "$(ipvs_count)" "entries after close-remove"
