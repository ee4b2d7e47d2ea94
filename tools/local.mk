sbin_PROGRAMS += lvsctl
lvsctl_SOURCES = tools/lvsctl.c tools/lvsctl_print.c tools/lvsctl_print.h
lvsctl_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
lvsctl_LDADD = $(JSONC_LIBS)
include $(srcdir)/tools/import/local.mk
