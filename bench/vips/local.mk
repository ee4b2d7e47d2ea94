# VIP benchmark (not part of make check; figures in its README.md):
#   make bench-vips [BENCH_RUNS=3 BENCH_VIPS=10000]   (root: namespaces)
noinst_PROGRAMS += bench/vips/vip-floor
bench_vips_vip_floor_SOURCES = bench/vips/vip-floor.c
EXTRA_DIST += bench/vips/bench.py bench/vips/README.md

.PHONY: bench-vips
bench-vips: bench/vips/vip-floor lvsd
	python3 $(abs_top_srcdir)/bench/vips/bench.py --lvsd '$(abs_top_builddir)/lvsd' \
		--floor '$(abs_top_builddir)/bench/vips/vip-floor' \
		--vips $${BENCH_VIPS:-10000} --runs $${BENCH_RUNS:-3} \
		--work '$(abs_top_builddir)/bench/vips/work'
