# lib.sh - helpers for tests/vm/cases/ipvs-*.sh (bash; source after
# $VM_LIB/assert.sh).  IPVS_TOOL runs the driver (tests/vm/ipvs/ipvs-tool);
# every step prints "NAME: key=value ..." lines that stat_of reads.

IPVS_TOOL=$top_builddir/tests/vm/ipvs/ipvs-tool
[ -x "$IPVS_TOOL" ] || fail "$IPVS_TOOL is not built (make check builds it)"

# ipvs_tool STEP...: runs the tool, output into ./tool.out (and shown)
ipvs_tool() {
	local rc=0
	"$IPVS_TOOL" "$@" >tool.out 2>tool.err || rc=$?
	cat tool.out
	cat tool.err >&2
	[ $rc -eq 0 ] || fail "ipvs-tool $* exited $rc"
}

# stat_of STEP-PREFIX KEY [NTH]: value of KEY on the NTH (default 1st)
# output line of that step
stat_of() {
	local line v
	line=$(grep -- "^$1" tool.out | sed -n "${3:-1}p")
	[ -n "$line" ] || fail "no '$1' line #${3:-1} in the tool's output"
	v=$(printf '%s\n' "$line" | sed -n "s/.* $2=\([^ ]*\).*/\1/p")
	[ -n "$v" ] || fail "no $2= on the '$1' line"
	echo "$v"
}

# expect_stat STEP KEY VALUE [NTH]
expect_stat() {
	expect_eq "$3" "$(stat_of "$1" "$2" "${4:-1}")" "$2 of '$1' #${4:-1}"
}
