#!/bin/bash
# ipvs-timeouts-sync: connection timeouts and the sync daemon through the
# driver, checked with ipvsadm; the version query.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm

ipvs_tool info timeouts 901,61,301 sync-start master vm0 42
# /proc/net/ip_vs: "IP Virtual Server version 1.2.1 (size=4096)"
expect_eq "$(sed -n 's/.*version \([0-9.]*\) (size=\([0-9]*\)).*/\1 \2/p' /proc/net/ip_vs)" \
	"$(stat_of info version) $(stat_of info size)" "version and table size"
expect_stat "timeouts" rc 0
expect_stat "sync-start" rc 0
expect_match '901 +61 +301' "$(ipvsadm -L --timeout)" "timeouts"
expect_match 'master sync daemon \(mcast=vm0, syncid=42' "$(ipvsadm -L --daemon)" "sync daemon"
ipvs_tool sync-stop master
expect_stat "sync-stop" rc 0
expect_eq "" "$(ipvsadm -L --daemon)" "sync daemons after stop"
