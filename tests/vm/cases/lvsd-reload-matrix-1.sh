#!/bin/bash
# lvsd-reload-matrix-1: every kind of change, applied by `lvsctl reload` to the real
# kernel, ends in the same table as a fresh start on the new file, and
# costs exactly the netlink messages it needs (a no-op: none).  (Part 1: servers, scheduler, persistence
# of the matrix; split so each part fits the per-case time limit.)
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/lvsd/lib.sh"
. "$top_srcdir/tests/vm/lvsd/matrix.sh"
require_cmd ipvsadm

write_cf 1 wlc 0 nat 0 0 10.0.0.1 80
lvsd_start lvs.cf
step "no-op" 0 1 wlc 0 nat 0 0 10.0.0.1 80
step "weight" 1 5 wlc 0 nat 0 0 10.0.0.1 80
step "add a real server" 1 5 wlc 0 nat 1 0 10.0.0.1 80
step "remove a real server" 1 5 wlc 0 nat 0 0 10.0.0.1 80
step "scheduler" 1 5 rr 0 nat 0 0 10.0.0.1 80
step "persistence" 1 5 rr 300 nat 0 0 10.0.0.1 80
lvsd_stop
expect_eq "" "$(ipvs_dump)" "stop removes what lvsd managed"
