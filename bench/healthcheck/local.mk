# Health-check benchmark (not part of make check): make bench-healthcheck
# [BENCH_SERVERS=10000 BENCH_SECONDS=30 BENCH_WHERE=vm|host]
noinst_PROGRAMS += bench/healthcheck/bench-srv
bench_healthcheck_bench_srv_SOURCES = bench/healthcheck/bench-srv.c
EXTRA_DIST += bench/healthcheck/README.md bench/healthcheck/run-bench.sh \
	bench/healthcheck/bench-in-ns.sh
CLEANFILES += bench/healthcheck/work/*

.PHONY: bench-healthcheck
bench-healthcheck: bench/healthcheck/bench-srv tests/netns/hc/hc-run
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(abs_top_srcdir)/bench/healthcheck/run-bench.sh
