#!/bin/bash
# lab-ecmp: the README's second lab (lab/ecmp.sh) in its short form:
# three active directors behind a router (BIRD 2: BGP + BFD, ECMP), each
# running lvsd (IPVS, mh, the route announcement) and BIRD; the spread, a
# withdrawal and a restore (lvsctl), a quorum lost on one director, a
# clean stop and start, a director's death with established
# connections through every director, under client traffic (--short: no
# tour, no return).  ecmp.sh exits non-zero when a request fails during a
# planned event or an established connection breaks across the death.
. "$VM_LIB/assert.sh"
require_cmd ipvsadm python3 bird birdc
[ -x "$top_builddir/tests/netns/announce/announce-driver" ] ||
	fail "no announce-driver in $top_builddir (make builds it)"
# logs stay in the case's scratch directory (printed on failure)
# a connection every 20 ms: half the work of the full lab in a slow guest
PROBE_MS=20 LAB_WORK=$PWD KEEP=1 bash "$top_srcdir/lab/ecmp.sh" --short >lab.out 2>&1
rc=$?
cat lab.out
[ $rc = 0 ] || fail "the ECMP lab failed"
# the runner shows "# " lines of a passing case
grep -E "^(withdrawal|restore|quorum|clean stop|start|d[0-9] dies)|^established|^connections each|^every director" lab.out |
	sed 's/^/# /'
exit 0
