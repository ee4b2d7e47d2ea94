# The daemon's core: from a configuration generation to what the daemon
# runs (plan), the weight policy, draining and the desired IPVS table,
# the node's role, the operator's overrides, who may use the control
# socket and what lvs.cf needs of the machine, and the messages between
# lvsd's processes.  No event loop, so unit tests link it alone.
noinst_LIBRARIES += daemon/libcore.a
daemon_libcore_a_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
daemon_libcore_a_SOURCES = \
	daemon/node.c daemon/node.h \
	daemon/plan.c daemon/plan.h daemon/plan_failover.c daemon/plan_checks.c \
	daemon/desired.c daemon/desired.h \
	daemon/announce_verdict.c daemon/announce_verdict.h \
	daemon/drain.c daemon/drain.h \
	daemon/override.c daemon/override.h \
	daemon/access.c daemon/access.h daemon/host_check.c daemon/host_check.h \
	daemon/script_check.c daemon/script_check.h \
	daemon/proto.h daemon/proto.c daemon/proto_failover.c daemon/proto_health.c

sbin_PROGRAMS += lvsd
lvsd_SOURCES = daemon/main.c daemon/daemon.c daemon/lvsd.h \
	daemon/child.c daemon/child.h daemon/procs.h \
	daemon/proc_common.c daemon/proc_common.h \
	daemon/fo_proc.c daemon/fo_announce.c daemon/fo_announce.h daemon/hc_proc.c \
	daemon/kernel.c daemon/apply.c \
	daemon/health.c daemon/health.h \
	daemon/failover.c daemon/failover.h daemon/connsync.c daemon/connsync.h \
	daemon/announce.c daemon/announce.h \
	daemon/script.c daemon/script.h \
	daemon/reload.c daemon/sources.c daemon/sources.h \
	daemon/control.c daemon/control.h daemon/control_cmds.c \
	daemon/metrics.c daemon/events.c daemon/events.h \
	daemon/stats.c daemon/stats.h \
	daemon/arpwatch_hook.c \
	daemon/sandbox.c daemon/sandbox.h daemon/seccomp.c
lvsd_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(LIBMNL_CFLAGS) $(JSONC_CFLAGS) \
	$(LIBNL_CFLAGS) $(SECCOMP_CFLAGS) $(OPENSSL_CFLAGS) -pthread
lvsd_LDADD = daemon/libcore.a cfg/libcfg.a vrrp/libvrrp.a ipvs/libipvs.a healthcheck/libhc.a \
	lib/liblvs.a $(SYSTEMD_LIBS) $(LIBMNL_LIBS) $(OPENSSL_LIBS) $(JSONC_LIBS) \
	$(LIBNL_LIBS) $(SECCOMP_LIBS)
lvsd_LDFLAGS = $(AM_LDFLAGS) -pthread
