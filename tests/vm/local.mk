# Real-kernel tier: one VM (Debian's kernel under QEMU/TCG, tests/vm/run-in-vm)
# runs every tests/vm/cases/*.sh, each in a fresh network namespace.
#   make check TESTS=tests/vm/run-vm-tests.sh VM_CASES='datapath-*'
# (VM_CASES: space-separated globs on case names; see run-vm-tests.sh)
TESTS += tests/vm/run-vm-tests.sh
# By file, never a directory: the build tree has tests/vm/ipvs too (the
# ipvs-tool objects), and distdir copies a directory from the build tree
# when both have it; a stale object in the tarball then breaks its build.
EXTRA_DIST += tests/vm/README.md tests/vm/run-vm-tests.sh tests/vm/run-in-vm \
	$(wildcard $(srcdir)/tests/vm/lib/*.sh $(srcdir)/tests/vm/lib/*.py) \
	$(wildcard $(srcdir)/tests/vm/cases/*.sh) \
	$(wildcard $(srcdir)/tests/vm/ipvs/*.sh) \
	$(wildcard $(srcdir)/tests/vm/lvsd/*.sh)

# The Debian package under a real systemd (PID 1 in the VM): its own boot.
TESTS += tests/vm/run-systemd-tests.sh
EXTRA_DIST += tests/vm/run-systemd-tests.sh \
	$(wildcard $(srcdir)/tests/vm/systemd/*.sh)
