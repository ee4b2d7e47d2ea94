#!/bin/sh
# run-systemd-tests.sh - the Debian package under a real systemd (automake
# test, VM tier): build the package (scripts/build-deb; kept when the tree
# has not changed), boot a VM with systemd as PID 1 on a writable overlay
# root (tests/vm/run-in-vm --systemd) and run tests/vm/systemd/*.sh in it,
# each with the .deb as its argument.
#
#   make check TESTS=tests/vm/run-systemd-tests.sh
#
# Environment: top_srcdir, top_builddir (absolute), VM_MEM (MB, default
# 1024), CI (=true: being unable to run the VM or build the package is a
# failure, not a skip).  Exit: 0 passed, 1 failed, 77 skipped.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
here=$(cd "$(dirname "$0")" && pwd -P)
: "${top_srcdir:=$(cd "$here/../.." && pwd -P)}"
: "${top_builddir:=$top_srcdir}"
top_srcdir=$(cd "$top_srcdir" && pwd -P)
top_builddir=$(cd "$top_builddir" && pwd -P)
harness=$top_srcdir/tests/vm/run-in-vm

cannot_run() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: cannot run here and CI=true: $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
why=$(bash "$harness" --check 2>&1) || cannot_run "the VM tier cannot run here: $why"
command -v dpkg-buildpackage >/dev/null && command -v lintian >/dev/null ||
	cannot_run "no dpkg-buildpackage or lintian (scripts/install-deps)"
[ -x /lib/systemd/systemd ] || cannot_run "no systemd on this host to boot in the VM (package systemd)"

t0=$(date +%s)
BUILD_DIR=$top_builddir DEB_OUT=$top_builddir/deb "$top_srcdir/scripts/build-deb" ||
	{ echo "FAIL: the package does not build"; exit 1; }
deb=$(ls "$top_builddir"/deb/lvsd_*.deb | head -1)
t1=$(date +%s)
echo "package: $deb ($((t1 - t0)) s)"

fail=0
for c in "$top_srcdir"/tests/vm/systemd/*.sh; do
	name=$(basename "$c" .sh)
	t=$(date +%s)
	bash "$harness" --systemd --share "$top_srcdir" --share "$top_builddir" \
		--mem "${VM_MEM:-1024}" --timeout 400 -- bash "$c" "$deb"
	rc=$?
	case $rc in
	0) echo "PASS: $name ($(($(date +%s) - t)) s with the boot)" ;;
	77) echo "SKIP: $name"; [ "${CI:-}" = true ] && fail=1 ;;
	*) echo "FAIL: $name (exit $rc, $(($(date +%s) - t)) s)"; fail=1 ;;
	esac
done
exit $fail
