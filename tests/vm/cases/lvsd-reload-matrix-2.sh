#!/bin/bash
# lvsd-reload-matrix-2: every kind of change, applied by `lvsctl reload` to the real
# kernel, ends in the same table as a fresh start on the new file, and
# costs exactly the netlink messages it needs (a no-op: none).  (Part 2: forwarding, services, checks, VIP
# of the matrix; split so each part fits the per-case time limit.)
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/lvsd/lib.sh"
. "$top_srcdir/tests/vm/lvsd/matrix.sh"
require_cmd ipvsadm

write_cf 5 rr 300 nat 0 0 10.0.0.1 80
lvsd_start lvs.cf
step "forwarding method" 1 5 rr 300 direct 0 0 10.0.0.1 80
step "add a service" 3 5 rr 300 direct 0 1 10.0.0.1 80
step "remove a service" 1 5 rr 300 direct 0 0 10.0.0.1 80
step "check parameters only" 0 5 rr 300 direct 0 0 10.0.0.1 8080
step "move the VIP" 4 5 rr 300 direct 0 0 10.0.0.9 8080
step "no-op again" 0 5 rr 300 direct 0 0 10.0.0.9 8080
lvsd_stop
expect_eq "" "$(ipvs_dump)" "stop removes what lvsd managed"
