#!/bin/bash
# ipvs-resync-sliced: the resync in slices (ipvs_resync_start, then
# ipvs_apply_continue with a budget of 100 services) at 10,000 services x 4
# real servers repairs what was changed behind the driver's back (a service
# deleted with ipvsadm -D, a weight edited with ipvsadm -e), and no slice
# holds the caller for long: the kernel is read 100 services per slice and
# reconciled 100 per slice, the service list being the start's only work.
# The times printed are the figures of ipvs/ipvs.h (TCG: ~20x native).
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm

ipvs_tool -h 10000 -b 100 gen 10000 \
	exec 'ipvsadm -D -t 10.0.0.77:80 && ipvsadm -e -t 10.0.0.99:80 -r 172.16.0.99:8080 -m -w 7' \
	resync count resync
expect_stat "gen 10000" msgs 50000
expect_stat "exec" rc 0
expect_stat "resync" rc 0
expect_stat "resync" resyncs 1
expect_stat "resync" msgs 6		# the service, its 4 dests, 1 weight
expect_stat "resync" svc+ 1
expect_stat "resync" dst+ 4
expect_stat "resync" dst~ 1
expect_stat "resync" errors 0
# 9,999 services read 100 per slice, then 10,000 reconciled 100 per slice
expect_stat "slices" n 200 2
expect_stat "count" services 10000
expect_stat "count" dests 40000
expect_stat "slices" n 100 3
# the two repaired services as ipvsadm lists them (a whole -Sn of 50,000
# rules would cost the case more than the resync itself under TCG)
have=$(for v in 10.0.0.77:80 10.0.0.99:80; do ipvsadm -Ln -t $v; done |
	awk '$1 == "TCP" { print $1, $2, $3 }
	     $1 == "->" && $2 != "RemoteAddress:Port" { print $1, $2, $3, $4 }')
want=$(cat <<'GOLD'
TCP 10.0.0.77:80 wlc
-> 172.16.0.77:8080 Masq 1
-> 172.16.16.77:8080 Masq 1
-> 172.16.32.77:8080 Masq 1
-> 172.16.48.77:8080 Masq 1
TCP 10.0.0.99:80 wlc
-> 172.16.0.99:8080 Masq 1
-> 172.16.16.99:8080 Masq 1
-> 172.16.32.99:8080 Masq 1
-> 172.16.48.99:8080 Masq 1
GOLD
)
expect_eq "$(sort <<<"$want")" "$(sort <<<"$have")" "the repaired services in ipvsadm -Ln"

expect_stat "resync" msgs 0 2		# a second resync: nothing to repair
expect_stat "slices" n 200 4

# Short slices: the longest slice after the start, and the start itself,
# each under a quarter of the whole resync (one pass would be all of it).
# A loaded host can stall the VM for a second or two inside any slice:
# the bound must hold for one of the two resyncs.
short_slices() { # NTH: the resync whose "slices" line is the (2 NTH)th
	total=$(stat_of "resync" time "$1" | tr -d s)
	start=$(stat_of "slices" start $(($1 * 2)) | tr -d s)
	longest=$(stat_of "slices" longest $(($1 * 2)) | tr -d s)
	note "resync #$1 of 10,000 services: ${total}s in 201 slices; start (service list) ${start}s, longest slice after it ${longest}s"
	awk -v t="$total" -v s="$start" -v l="$longest" \
		'BEGIN { exit !(s < t / 4 && l < t / 4) }'
}
short_slices 1 || short_slices 2 ||
	fail "a slice is too long in both resyncs (see the lines above)"
