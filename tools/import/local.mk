# lvsd-import-keepalived: keepalived.conf into lvs.cf.  The reader and the
# mappings are a library of their own so the unit tests and the fuzz
# target link them without the command.
noinst_LIBRARIES += tools/import/libimport.a
tools_import_libimport_a_SOURCES = \
	tools/import/kc_tree.c tools/import/kc_tree.h \
	tools/import/kc_lex.c tools/import/kc_lex.h \
	tools/import/kc_pre.c tools/import/kc_pre.h \
	tools/import/kc_read.c tools/import/kc_read.h \
	tools/import/imp_diag.c tools/import/imp_diag.h \
	tools/import/imp_words.c tools/import/imp_words.h \
	tools/import/imp_out.c tools/import/imp_out.h \
	tools/import/imp_site.h \
	tools/import/imp_map.c \
	tools/import/imp_global.c \
	tools/import/imp_vrrp.c \
	tools/import/imp_group.c \
	tools/import/imp_vs.c tools/import/imp_vs.h \
	tools/import/imp_rs.c \
	tools/import/imp_check.c tools/import/imp_check.h \
	tools/import/imp_eff.c tools/import/imp_eff.h \
	tools/import/imp_combine.c tools/import/imp_combine.h \
	tools/import/imp_place.c \
	tools/import/imp_run.c tools/import/imp_run.h

sbin_PROGRAMS += lvsd-import-keepalived
lvsd_import_keepalived_SOURCES = tools/import/main.c
lvsd_import_keepalived_LDADD = tools/import/libimport.a lib/liblvs.a

check_PROGRAMS += tests/unit/test_import_read tests/unit/test_import_map
TESTS += tests/unit/test_import_read tests/unit/test_import_map
tests_unit_test_import_read_SOURCES = tests/unit/test_import_read.c
tests_unit_test_import_read_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_import_read_LDADD = tools/import/libimport.a lib/liblvs.a \
	$(CHECK_LIBS)
tests_unit_test_import_map_SOURCES = tests/unit/test_import_map.c
tests_unit_test_import_map_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_import_map_LDADD = tools/import/libimport.a cfg/libcfg.a \
	healthcheck/libhc.a lib/liblvs.a $(CHECK_LIBS)

# Debian's keepalived samples through the command, and lvsd -t on each.
TESTS += tests/unit/import-samples.sh
EXTRA_DIST += tests/unit/import-samples.sh
