# The lvs.cf reader: a library of its own, free of I/O about the machine
# (interfaces, addresses), so parser tests, the fuzz target and `lvsd -t`
# link it without the daemon.
noinst_LIBRARIES += cfg/libcfg.a
cfg_libcfg_a_CFLAGS = $(AM_CFLAGS)
cfg_libcfg_a_SOURCES = \
	cfg/arena.c cfg/arena.h \
	cfg/cfg.c cfg/cfg.h \
	cfg/diag.c cfg/diag.h \
	cfg/keys.c cfg/keys.h \
	cfg/lex.c cfg/lex.h \
	cfg/parse.c cfg/parse.h \
	cfg/types.c cfg/types.h \
	cfg/validate.c cfg/validate.h \
	cfg/failover.c cfg/failover.h \
	cfg/check.c cfg/check.h
