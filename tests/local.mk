# Each test tier and each module's unit tests keep their own fragment.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	CLANG='$(CLANG)'; export CLANG; \
	CK_VERBOSITY=normal; export CK_VERBOSITY;

include $(srcdir)/tests/unit/local.mk
include $(srcdir)/tests/unit/ipvs.mk
include $(srcdir)/tests/unit/vrrp.mk
include $(srcdir)/tests/unit/hc.mk
include $(srcdir)/tests/fuzz/local.mk
include $(srcdir)/tests/netns/local.mk
include $(srcdir)/tests/vm/local.mk
