# IPVS driver: codec and reconciler unit tests (check), VM test helpers.
IPVS_TEST_LDADD = ipvs/libipvs.a lib/liblvs.a $(LIBMNL_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_ipvs_codec
TESTS += tests/unit/test_ipvs_codec
tests_unit_test_ipvs_codec_SOURCES = tests/unit/test_ipvs_codec.c
tests_unit_test_ipvs_codec_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_ipvs_codec_LDADD = $(IPVS_TEST_LDADD)

check_PROGRAMS += tests/unit/test_ipvs_reconcile
TESTS += tests/unit/test_ipvs_reconcile
tests_unit_test_ipvs_reconcile_SOURCES = tests/unit/test_ipvs_reconcile.c \
	tests/unit/ipvs_fixture.c tests/unit/ipvs_fixture.h
tests_unit_test_ipvs_reconcile_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_ipvs_reconcile_LDADD = $(IPVS_TEST_LDADD)

check_PROGRAMS += tests/unit/test_ipvs_slices
TESTS += tests/unit/test_ipvs_slices
tests_unit_test_ipvs_slices_SOURCES = tests/unit/test_ipvs_slices.c \
	tests/unit/ipvs_fixture.c tests/unit/ipvs_fixture.h
tests_unit_test_ipvs_slices_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_ipvs_slices_LDADD = $(IPVS_TEST_LDADD)

# Driver front end for the real-kernel cases (tests/vm/cases/ipvs-*.sh)
# and the apply benchmark; built by make check, run inside the VM.
check_PROGRAMS += tests/vm/ipvs/ipvs-tool
tests_vm_ipvs_ipvs_tool_SOURCES = tests/vm/ipvs/ipvs-tool.c
tests_vm_ipvs_ipvs_tool_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
tests_vm_ipvs_ipvs_tool_LDADD = ipvs/libipvs.a lib/liblvs.a $(LIBMNL_LIBS)

check_PROGRAMS += tests/unit/test_ipvs_conns
TESTS += tests/unit/test_ipvs_conns
tests_unit_test_ipvs_conns_SOURCES = tests/unit/test_ipvs_conns.c
tests_unit_test_ipvs_conns_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_ipvs_conns_LDADD = $(IPVS_TEST_LDADD)
