# lvs-realserver: run on a real server; reads the same lvs.cf as lvsd (cfg/libcfg.a).
sbin_PROGRAMS += lvs-realserver
lvs_realserver_SOURCES = tools/realserver/main.c tools/realserver/rs.h \
	tools/realserver/plan.c tools/realserver/check.c \
	tools/realserver/state.c tools/realserver/host.c \
	tools/realserver/fou.c tools/realserver/apply.c \
	tools/realserver/persist.c
lvs_realserver_CPPFLAGS = $(AM_CPPFLAGS) -DSBINDIR='"$(sbindir)"'
lvs_realserver_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(LIBMNL_CFLAGS)
lvs_realserver_LDADD = cfg/libcfg.a healthcheck/libhc.a lib/liblvs.a \
	$(LIBNL_LIBS) $(LIBMNL_LIBS)

# Its decisions and its record, without a kernel.
check_PROGRAMS += tests/unit/test_realserver
TESTS += tests/unit/test_realserver
tests_unit_test_realserver_SOURCES = tests/unit/test_realserver.c \
	tools/realserver/plan.c tools/realserver/check.c tools/realserver/state.c
tests_unit_test_realserver_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_realserver_LDADD = cfg/libcfg.a healthcheck/libhc.a \
	lib/liblvs.a $(CHECK_LIBS)

# On the host in namespaces: lvsd's ARP watch names a misconfigured real
# server; apply, persist and undo on real ones (root; 77 otherwise).
TESTS += tests/netns/realserver.sh
EXTRA_DIST += tests/netns/realserver.sh
