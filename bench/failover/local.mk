# Failover benchmark (not part of make check; figures in its README.md):
#   make bench-failover [BENCH_ROUNDS=20]     (root: network namespaces)
noinst_PROGRAMS += bench/failover/probe
bench_failover_probe_SOURCES = bench/failover/probe.c
bench_failover_probe_LDADD = lib/liblvs.a
EXTRA_DIST += bench/failover/run.sh bench/failover/README.md

.PHONY: bench-failover
bench-failover: bench/failover/probe lvsd lvsctl
	top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(abs_top_srcdir)/bench/failover/run.sh $(BENCH_ROUNDS)

# Advert gaps of a loaded master, lvsd and keepalived (root):
#   make bench-failover-gaps [SECONDS_PER_LOAD=20]
EXTRA_DIST += bench/failover/gaps.sh
.PHONY: bench-failover-gaps
bench-failover-gaps: lvsd lvsctl
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(abs_top_srcdir)/bench/failover/gaps.sh
