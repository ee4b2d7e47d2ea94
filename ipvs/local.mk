# IPVS driver: generic-netlink codec (libmnl), kernel mirror, reconciler.
noinst_LIBRARIES += ipvs/libipvs.a
ipvs_libipvs_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBMNL_CFLAGS)
ipvs_libipvs_a_SOURCES = \
	ipvs/ipvs.h ipvs/priv.h \
	ipvs/table.c ipvs/codec.c ipvs/nl.c ipvs/cmdline.c ipvs/state.c \
	ipvs/driver.c ipvs/apply.c ipvs/part.c ipvs/dump.c ipvs/reconcile.c ipvs/model.c \
	ipvs/conns.h ipvs/conns.c ipvs/handoff.c
