include $(srcdir)/bench/ipvs-apply/local.mk
include $(srcdir)/bench/healthcheck/local.mk
include $(srcdir)/bench/failover/local.mk
include $(srcdir)/bench/reload/local.mk
include $(srcdir)/bench/vips/local.mk
include $(srcdir)/bench/parse/local.mk
