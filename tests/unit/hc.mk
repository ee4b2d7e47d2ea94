# Health-check module: unit tests, the netns test driver and netns tests.
HC_LIBS = healthcheck/libhc.a lib/liblvs.a $(SYSTEMD_LIBS) $(OPENSSL_LIBS)

check_PROGRAMS += tests/unit/test_hc_hyst
TESTS += tests/unit/test_hc_hyst
tests_unit_test_hc_hyst_SOURCES = tests/unit/test_hc_hyst.c
tests_unit_test_hc_hyst_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_hc_hyst_LDADD = $(HC_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_hc_http
TESTS += tests/unit/test_hc_http
tests_unit_test_hc_http_SOURCES = tests/unit/test_hc_http.c
tests_unit_test_hc_http_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_hc_http_LDADD = $(HC_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_hc_engine
TESTS += tests/unit/test_hc_engine
tests_unit_test_hc_engine_SOURCES = tests/unit/test_hc_engine.c
tests_unit_test_hc_engine_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(SYSTEMD_CFLAGS)
tests_unit_test_hc_engine_LDADD = $(HC_LIBS) $(CHECK_LIBS)

# Runs checkers from its command line and prints transitions (netns
# tests, benchmark).
noinst_PROGRAMS += tests/netns/hc/hc-run
tests_netns_hc_hc_run_SOURCES = tests/netns/hc/hc-run.c
tests_netns_hc_hc_run_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
tests_netns_hc_hc_run_LDADD = $(HC_LIBS)

# Host tests in network namespaces (root; skipped with 77 otherwise).
HC_NETNS_TESTS = tests/netns/hc-tcp.sh tests/netns/hc-http.sh \
	tests/netns/hc-https.sh tests/netns/hc-sendexpect.sh \
	tests/netns/hc-exec.sh tests/netns/hc-icmp.sh
TESTS += $(HC_NETNS_TESTS)
EXTRA_DIST += $(HC_NETNS_TESTS) tests/netns/hc/lib.sh tests/netns/hc/httpd.py

check_PROGRAMS += tests/unit/test_arpwatch
TESTS += tests/unit/test_arpwatch
tests_unit_test_arpwatch_SOURCES = tests/unit/test_arpwatch.c
tests_unit_test_arpwatch_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(SYSTEMD_CFLAGS)
tests_unit_test_arpwatch_LDADD = $(HC_LIBS) $(CHECK_LIBS)
