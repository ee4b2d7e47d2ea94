# reload benchmark (issue 6): keepalived and lvsd reloading the same 1 %
# change of a 10,000-service table, in one VM run of the ipvs-apply
# benchmark (bench/ipvs-apply): keepalived start + reload (c,e), lvsd start
# + reload + no-op (a,d); ipvsadm -R (b) is left out, a reload needs no
# baseline. make bench-reload [BENCH_RUNS=3 BENCH_SERVICES=10000 BENCH_EDITS=400]
EXTRA_DIST += bench/reload/README.md
BENCH_RELOAD_ONLY = c,e,a

.PHONY: bench-reload
bench-reload:
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		BENCH_ONLY='$(BENCH_RELOAD_ONLY)' \
		$(SHELL) $(abs_top_srcdir)/bench/ipvs-apply/run-bench.sh
