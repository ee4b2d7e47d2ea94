# Each test tier and each module's unit tests keep their own fragment.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	CLANG='$(CLANG)'; export CLANG; \
	CK_VERBOSITY=normal; export CK_VERBOSITY; \
	VM_CASE_TIMEOUT=$${VM_CASE_TIMEOUT:-300}; export VM_CASE_TIMEOUT;

include $(srcdir)/tests/unit/local.mk
include $(srcdir)/tests/unit/ipvs.mk
include $(srcdir)/tests/unit/vrrp.mk
include $(srcdir)/tests/unit/hc.mk
include $(srcdir)/tests/fuzz/local.mk
include $(srcdir)/tests/netns/local.mk
include $(srcdir)/tests/vm/local.mk
include $(srcdir)/tests/pkg/local.mk

# The tiers that need neither root, namespaces, a VM nor a package build:
# what distcheck runs to prove the tarball builds and tests itself.
QUICK_TESTS = $(filter-out tests/vm/% tests/netns/% tests/pkg/%,$(TESTS))
distcheck-quick:
	$(MAKE) $(AM_MAKEFLAGS) distcheck TESTS="$(QUICK_TESTS)" FUZZ_SECONDS=2
.PHONY: distcheck-quick

# The unit tiers alone: no root, namespace, VM or fuzzing (the Debian
# package's build runs them: debian/rules).
check-unit:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(UNIT_TESTS)"
.PHONY: check-unit

# What the ASan + UBSan build runs: the unit tiers (no fuzzing: libFuzzer
# has its own sanitizers) and the daemon tests that exercise its long-lived
# paths (control socket, failover, 1000 reloads), where a leak would show.
UNIT_TESTS = $(filter-out tests/fuzz/%,$(QUICK_TESTS))
SANITIZER_TESTS = $(UNIT_TESTS) tests/netns/lvsd-ctl.sh \
	tests/netns/lvsd-failover.sh tests/netns/lvsd-reload-storm.sh \
	tests/netns/lvsd-reload-atomic.sh tests/netns/lvsd-reload-unchanged.sh \
	tests/netns/web-console.sh
check-sanitizers:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(SANITIZER_TESTS)"
.PHONY: check-sanitizers

# The VM tier (QEMU under TCG) keeps both cores busy: run it apart from the
# host tiers, whose failover tests measure timing.  So does the package
# tier (a compiler, then a VM booting systemd), one test after the other:
# the package is built once and the systemd test reuses it.  `make check`
# runs all.
PKG_TESTS = tests/pkg/deb.sh tests/vm/run-systemd-tests.sh
HOST_TESTS = $(filter-out tests/vm/% $(PKG_TESTS),$(TESTS))
VM_TESTS = $(filter-out $(PKG_TESTS),$(filter tests/vm/%,$(TESTS)))
check-host:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(HOST_TESTS)"
check-vm:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(VM_TESTS)"
check-pkg:
	$(MAKE) $(AM_MAKEFLAGS) -j1 check TESTS="$(PKG_TESTS)"
.PHONY: check-host check-vm check-pkg
