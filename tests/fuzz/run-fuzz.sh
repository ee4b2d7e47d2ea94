#!/bin/sh
# Builds every libFuzzer target (tests/fuzz/fuzz_*.c) with clang and runs
# each for FUZZ_SECONDS (default 10) on a copy of its seed corpus
# (tests/fuzz/corpus/NAME/, plus the installed files tests/fuzz/corpus/
# NAME.system names).  A crash, leak or sanitizer report fails.
# The first line of a target names the other sources it links:
#   /* fuzz-sources: a.c b.c ... */
# FUZZ_BUILD_ONLY=1 only builds them (`make fuzz`); FUZZ_TARGETS=glob
# selects targets by name.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
seconds=${FUZZ_SECONDS:-10}
clang=${CLANG:-}
[ -n "$clang" ] || clang=$(command -v clang || true)
if [ -z "$clang" ]; then
	echo "SKIP: clang not found (install clang and libclang-rt-14-dev)"
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
deps="libnl-3.0 libnl-route-3.0 libmnl openssl libsystemd json-c zlib"
cflags=$(pkg-config --cflags $deps)
libs=$(pkg-config --libs $deps)
out="$top_builddir/tests/fuzz"
mkdir -p "$out"
fail=0 ran=0
for src in "$top_srcdir"/tests/fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	case "$name" in ${FUZZ_TARGETS:-*}) ;; *) continue ;; esac
	srcs=$(sed -n '1s|^/\* fuzz-sources: \(.*\) \*/$|\1|p' "$src")
	if [ -z "$srcs" ]; then
		echo "FAIL: $src: first line must be /* fuzz-sources: ... */"
		fail=1
		continue
	fi
	# The target itself, plus what it names (listing itself is allowed).
	files="$src"
	for f in $srcs; do
		[ "$top_srcdir/$f" = "$src" ] || files="$files $top_srcdir/$f"
	done
	bin="$out/fuzz_$name"
	# shellcheck disable=SC2086
	if ! "$clang" -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -D_GNU_SOURCE \
	    -I"$top_srcdir" -I"$top_builddir" $cflags $files -o "$bin" $libs -lm; then
		echo "FAIL: $name: does not build"
		fail=1
		continue
	fi
	[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && continue
	work=$(mktemp -d)
	seeds="$top_srcdir/tests/fuzz/corpus/$name"
	[ -d "$seeds" ] && cp -r "$seeds/." "$work/"
	# Seeds an installed package ships (globs, one a line) are read where
	# they are, not copied into this tree.
	if [ -f "$seeds.system" ]; then
		while read -r g; do
			for s in $g; do [ -f "$s" ] && cp "$s" "$work/"; done
		done <"$seeds.system"
	fi
	log="$out/fuzz_$name.out"
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$out/crash-$name-" -print_final_stats=1 \
	    "$work" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "PASS: fuzz $name (${seconds}s, ${execs:-?} runs)"
		ran=$((ran + 1))
	else
		echo "FAIL: fuzz $name: crash; see $log and $out/crash-$name-*"
		tail -n 40 "$log"
		fail=1
	fi
	rm -rf "$work"
done
[ "$fail" = 0 ] || exit 1
exit 0
