TESTS += tests/fuzz/run-fuzz.sh
# The whole directory: every module adds its targets and seeds here.
EXTRA_DIST += tests/fuzz

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
