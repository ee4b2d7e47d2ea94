#!/bin/sh
# run-vm-tests.sh - the real-kernel test tier (automake test): boot ONE VM
# with Debian's kernel (tests/vm/run-in-vm) and run every
# tests/vm/cases/*.sh inside it, each in a fresh network namespace.
#
#   make check TESTS=tests/vm/run-vm-tests.sh VM_CASES='datapath-*'
#   top_srcdir=$PWD top_builddir=/tmp/build sh tests/vm/run-vm-tests.sh
#
# Environment: top_srcdir, top_builddir (absolute; default: this tree),
# VM_CASES (space-separated globs on case names), VM_CASE_TIMEOUT (s per
# case, default 180), VM_MEM (MB, default 1024), VM_DIRECT (=1: the host
# kernel has IPVS, run the cases directly as root), CI (=true: being unable
# to run the VM is a failure, not a skip).
# Exit: 0 all passed/skipped, 1 a case failed or the VM broke, 77 no VM
# possible here (no qemu/kernel and they cannot be installed).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

here=$(cd "$(dirname "$0")" && pwd -P)
: "${top_srcdir:=$(cd "$here/../.." && pwd -P)}"
: "${top_builddir:=$top_srcdir}"
top_srcdir=$(cd "$top_srcdir" && pwd -P)
top_builddir=$(cd "$top_builddir" && pwd -P)
export top_srcdir top_builddir
harness=$top_srcdir/tests/vm/run-in-vm

cannot_run() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: the VM tier cannot run here and CI=true: $*"
		echo "0 passed, 1 failed, 0 skipped"
		exit 1
	fi
	echo "SKIP: the VM tier cannot run here: $*"
	exit 77
}

ncases=0
for c in "$top_srcdir"/tests/vm/cases/*.sh; do
	[ -e "$c" ] || continue
	name=$(basename "$c" .sh)
	set -f # VM_CASES holds globs for case names, not for files
	for g in ${VM_CASES:-*}; do
		# shellcheck disable=SC2053
		if [[ $name == $g ]]; then ncases=$((ncases + 1)); break; fi
	done
	set +f
done
if [ $ncases -eq 0 ]; then
	echo "FAIL: no case in tests/vm/cases matches VM_CASES='${VM_CASES:-*}'"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

# VM_DIRECT=1: the host kernel has IPVS; run the cases here, as root, in
# namespaces, without a VM
if [ "${VM_DIRECT:-0}" = 1 ]; then
	[ "$(id -u)" = 0 ] || cannot_run "VM_DIRECT=1 needs root"
	modprobe ip_vs 2>/dev/null
	[ -e /proc/net/ip_vs ] || cannot_run "VM_DIRECT=1 but the host kernel has no IPVS"
	exec bash "$top_srcdir/tests/vm/lib/run-cases.sh"
fi

why=$(bash "$harness" --check 2>&1) || cannot_run "$why"

result=$(mktemp "$top_builddir/.vm-result.XXXXXX") || exit 1
trap 'rm -f "$result"' EXIT
per_case=${VM_CASE_TIMEOUT:-180}
export VM_CASE_TIMEOUT=$per_case VM_RESULT=$result
[ -n "${VM_CASES:-}" ] && export VM_CASES
echo "vm: booting one VM for $ncases case(s)"
t0=$(date +%s%N)
rc=0
bash "$harness" --share "$top_srcdir" --share "$top_builddir" \
	--mem "${VM_MEM:-1024}" --timeout $((60 + ncases * (per_case + 10))) \
	-- bash "$top_srcdir/tests/vm/lib/run-cases.sh" || rc=$?
wall=$((($(date +%s%N) - t0) / 1000000))
echo "vm: wall time $((wall / 1000)).$(((wall % 1000) / 100))s (boot, cases, power-off)"
summary=$(cat "$result" 2>/dev/null)
case $summary in
*" passed, "*" failed, "*" skipped")
	echo "$summary"
	[ $rc -eq 0 ] && exit 0
	exit 1
	;;
esac
case $rc in
3) cannot_run "run-in-vm could not start a VM" ;;
124) echo "FAIL: the VM timed out" ;;
*) echo "FAIL: the VM did not finish the cases (run-in-vm exit status $rc)" ;;
esac
echo "0 passed, 1 failed, 0 skipped"
exit 1
