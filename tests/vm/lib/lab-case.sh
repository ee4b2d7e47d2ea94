# lab-case.sh MODE - the README's lab (lab/site.sh) as a VM case, short
# form: two directors from one lvs.cf, three real servers, a client; a
# health check taking a server out, a drill and a director's death under
# traffic, an established connection across a drill (connection handoff),
# real servers flapping during reloads; in NAT mode each of the master's
# processes killed under traffic.  site.sh exits non-zero when any of its
# claims fails (see its header).  Sourced by tests/vm/cases/lab-*.sh.
. "$VM_LIB/assert.sh"
require_cmd ipvsadm tcpdump python3
# logs stay in the case's scratch directory (printed on failure); the
# report's table is the case's notes
LAB_WORK=$PWD KEEP=1 bash "$top_srcdir/lab/site.sh" --mode "$1" --flap 10 >site.out 2>&1
rc=$?
sed -n '/^== Report/,/^$/p' site.out | sed -n '3,$p' | grep . | sed 's/^/# /'
[ $rc -eq 0 ] || { cat site.out; fail "the lab ($1) failed"; }
