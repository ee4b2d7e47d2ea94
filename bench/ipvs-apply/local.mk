# IPVS apply benchmark (runs in the VM of tests/vm/run-in-vm; not part of
# make check): make bench-ipvs-apply [BENCH_RUNS=3 BENCH_SERVICES=10000]
# The floor: one socket, batched requests, each acked (its own code).
noinst_PROGRAMS += bench/ipvs-apply/ipvs-floor
bench_ipvs_apply_ipvs_floor_SOURCES = bench/ipvs-apply/floor.c
bench_ipvs_apply_ipvs_floor_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
bench_ipvs_apply_ipvs_floor_LDADD = $(LIBMNL_LIBS)
EXTRA_DIST += bench/ipvs-apply/README.md bench/ipvs-apply/run-bench.sh \
	bench/ipvs-apply/gen.py bench/ipvs-apply/bench-in-vm.py \
	bench/ipvs-apply/ipvs_probe.py
CLEANFILES += bench/ipvs-apply/work/*

.PHONY: bench-ipvs-apply
bench-ipvs-apply: bench/ipvs-apply/ipvs-floor bench/vips/vip-floor lvsd
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(abs_top_srcdir)/bench/ipvs-apply/run-bench.sh
