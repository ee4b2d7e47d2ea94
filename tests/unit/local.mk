check_PROGRAMS += tests/unit/test_cfg
TESTS += tests/unit/test_cfg
tests_unit_test_cfg_SOURCES = tests/unit/test_cfg.c tests/unit/cfg_neg_cases.h
tests_unit_test_cfg_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_cfg_LDADD = daemon/libcore.a cfg/libcfg.a healthcheck/libhc.a lib/liblvs.a \
	$(CHECK_LIBS)

TESTS += tests/unit/cli.sh tests/unit/web-cli.sh
EXTRA_DIST += tests/unit/cli.sh tests/unit/web-cli.sh $(wildcard $(srcdir)/tests/unit/data/*.cf)
TESTS += tests/unit/man.sh
EXTRA_DIST += tests/unit/man.sh
# The shipped unit's systemd-analyze security exposure.
TESTS += tests/unit/unit-security.sh
EXTRA_DIST += tests/unit/unit-security.sh

check_PROGRAMS += tests/unit/test_core
TESTS += tests/unit/test_core
tests_unit_test_core_SOURCES = tests/unit/test_core.c
tests_unit_test_core_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(JSONC_CFLAGS)
tests_unit_test_core_LDADD = daemon/libcore.a cfg/libcfg.a vrrp/libvrrp.a \
	ipvs/libipvs.a healthcheck/libhc.a lib/liblvs.a $(CHECK_LIBS) \
	$(JSONC_LIBS) $(LIBNL_LIBS) $(LIBMNL_LIBS) $(SYSTEMD_LIBS) $(OPENSSL_LIBS)

check_PROGRAMS += tests/unit/test_proto
TESTS += tests/unit/test_proto
tests_unit_test_proto_SOURCES = tests/unit/test_proto.c
tests_unit_test_proto_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_proto_LDADD = $(tests_unit_test_core_LDADD)

check_PROGRAMS += tests/unit/test_script_check
TESTS += tests/unit/test_script_check
tests_unit_test_script_check_SOURCES = tests/unit/test_script_check.c
tests_unit_test_script_check_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_script_check_LDADD = daemon/libcore.a cfg/libcfg.a \
	lib/liblvs.a $(CHECK_LIBS)

# Where each key was set, as every diagnostic names it (cfg/ stores places
# compactly: two bytes when near their block).
check_PROGRAMS += tests/unit/test_cfg_locs
TESTS += tests/unit/test_cfg_locs
tests_unit_test_cfg_locs_SOURCES = tests/unit/test_cfg_locs.c
tests_unit_test_cfg_locs_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_cfg_locs_LDADD = daemon/libcore.a cfg/libcfg.a healthcheck/libhc.a lib/liblvs.a \
	$(CHECK_LIBS)

# daemon/sources.c: a reload's "unchanged" is the bytes' (per-block
# digests); a change is found at its first block.
check_PROGRAMS += tests/unit/test_sources
TESTS += tests/unit/test_sources
tests_unit_test_sources_SOURCES = tests/unit/test_sources.c daemon/sources.c
tests_unit_test_sources_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_test_sources_LDADD = daemon/libcore.a cfg/libcfg.a healthcheck/libhc.a \
	lib/liblvs.a $(CHECK_LIBS) $(OPENSSL_LIBS)
