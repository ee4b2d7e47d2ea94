noinst_LIBRARIES += lib/liblvs.a
lib_liblvs_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(LIBMNL_CFLAGS)
lib_liblvs_a_SOURCES = \
	lib/log.c lib/log.h lib/log_journal.c \
	lib/addr.c lib/addr.h \
	lib/xalloc.c lib/xalloc.h \
	lib/prio.h lib/clock.h lib/rt.h \
	lib/suggest.c lib/suggest.h \
	lib/spawn.c lib/spawn.h \
	lib/privs.c lib/privs.h \
	lib/mkdirs.c lib/mkdirs.h \
	lib/msg.c lib/msg.h \
	lib/iflink.c lib/iflink.h \
	lib/metrics_text.c lib/metrics_text.h \
	lib/idmap.c lib/idmap.h

check_PROGRAMS += tests/unit/test_privs
TESTS += tests/unit/test_privs
tests_unit_test_privs_SOURCES = tests/unit/test_privs.c
tests_unit_test_privs_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_privs_LDADD = lib/liblvs.a $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_idmap
TESTS += tests/unit/test_idmap
tests_unit_test_idmap_SOURCES = tests/unit/test_idmap.c
tests_unit_test_idmap_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_idmap_LDADD = lib/liblvs.a $(CHECK_LIBS)
