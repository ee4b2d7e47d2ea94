# lvsd -t against keepalived -t (issue 16): make bench-parse
# [BENCH_RUNS=10 BENCH_BASE=/path/to/another/lvsd]
noinst_PROGRAMS += bench/parse/runstat
bench_parse_runstat_SOURCES = bench/parse/runstat.c
EXTRA_DIST += bench/parse/README.md bench/parse/run-bench.sh \
	bench/parse/measure.py
CLEANFILES += bench/parse/work/*

.PHONY: bench-parse
bench-parse: bench/parse/runstat lvsd
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(abs_top_srcdir)/bench/parse/run-bench.sh
