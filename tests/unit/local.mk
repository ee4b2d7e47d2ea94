check_PROGRAMS += tests/unit/test_cfg
TESTS += tests/unit/test_cfg
tests_unit_test_cfg_SOURCES = tests/unit/test_cfg.c tests/unit/cfg_neg_cases.h
tests_unit_test_cfg_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_cfg_LDADD = daemon/libcfg.a healthcheck/libhc.a lib/liblvs.a \
	$(CHECK_LIBS)

TESTS += tests/unit/cli.sh tests/unit/web-cli.sh
EXTRA_DIST += tests/unit/cli.sh tests/unit/web-cli.sh $(wildcard $(srcdir)/tests/unit/data/*.cf)
TESTS += tests/unit/man.sh
EXTRA_DIST += tests/unit/man.sh
