# The configuration reader is a library of its own so parser tests and the
# fuzz target link it without the daemon.
noinst_LIBRARIES += daemon/libcfg.a
daemon_libcfg_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
daemon_libcfg_a_SOURCES = \
	daemon/cfg.c daemon/cfg.h \
	daemon/cfg_diag.c daemon/cfg_diag.h \
	daemon/cfg_keys.c daemon/cfg_keys.h \
	daemon/cfg_lex.c daemon/cfg_lex.h \
	daemon/cfg_parse.c daemon/cfg_parse.h \
	daemon/cfg_types.c daemon/cfg_types.h \
	daemon/cfg_validate.c \
	daemon/cfg_check.c daemon/cfg_check.h \
	daemon/cfg_vrrp.c \
	daemon/node.c daemon/node.h

sbin_PROGRAMS += lvsd
lvsd_SOURCES = daemon/main.c daemon/daemon.c daemon/lvsd.h \
	daemon/kernel.c daemon/desired.c daemon/desired.h \
	daemon/health.c daemon/health.h \
	daemon/failover.c daemon/failover.h daemon/connsync.c daemon/connsync.h \
	daemon/script.c daemon/script.h \
	daemon/reload.c \
	daemon/override.c daemon/override.h \
	daemon/control.c daemon/control.h daemon/control_cmds.c \
	daemon/metrics.c \
	daemon/drain.c daemon/drain.h \
	daemon/arpwatch_hook.c
lvsd_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(LIBMNL_CFLAGS) $(JSONC_CFLAGS) \
	$(LIBNL_CFLAGS)
lvsd_LDADD = daemon/libcfg.a vrrp/libvrrp.a ipvs/libipvs.a healthcheck/libhc.a \
	lib/liblvs.a $(SYSTEMD_LIBS) $(LIBMNL_LIBS) $(OPENSSL_LIBS) $(JSONC_LIBS) \
	$(LIBNL_LIBS)
