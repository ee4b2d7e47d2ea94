TESTS += tests/fuzz/run-fuzz.sh
# Every target and seed, by file: a directory entry would be copied from
# the build tree when that holds a directory of the same name (the fuzz
# binaries), not from the sources.
EXTRA_DIST += tests/fuzz/run-fuzz.sh $(wildcard $(srcdir)/tests/fuzz/fuzz_*.c) \
	$(wildcard $(srcdir)/tests/fuzz/corpus/*/*) \
	tests/fuzz/corpus/keepalived_conf.system

# Builds the fuzz targets without running them.
fuzz:
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	CLANG='$(CLANG)' FUZZ_BUILD_ONLY=1 $(SHELL) $(srcdir)/tests/fuzz/run-fuzz.sh
.PHONY: fuzz

# What run-fuzz.sh leaves in the build tree: binaries, logs, crash inputs.
clean-local: clean-local-fuzz
clean-local-fuzz:
	-rm -rf tests/fuzz/fuzz_* tests/fuzz/crash-*
.PHONY: clean-local-fuzz
