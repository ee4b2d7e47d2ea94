# Real-kernel tier: one VM (Debian's kernel under QEMU/TCG, tests/vm/run-in-vm)
# runs every tests/vm/cases/*.sh, each in a fresh network namespace.
#   make check TESTS=tests/vm/run-vm-tests.sh VM_CASES='datapath-*'
# (VM_CASES: space-separated globs on case names; see run-vm-tests.sh)
TESTS += tests/vm/run-vm-tests.sh
EXTRA_DIST += tests/vm/README.md tests/vm/run-vm-tests.sh tests/vm/run-in-vm tests/vm/lib \
	tests/vm/cases $(wildcard $(srcdir)/tests/vm/ipvs)
