# assert.sh - assertions for tests/vm cases (bash; source it).
#
#   . "$VM_LIB/assert.sh"
#
# A failed assertion prints what was expected and what was seen on stderr
# and exits 1 (the runner then prints the case's whole output). skip exits
# 77. Every helper works in the network namespace the case runs in (the
# runner gives each case a fresh one, so the IPVS table starts empty).

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
note() { echo "# $*"; }

# expect_eq EXPECTED ACTUAL [WHAT]
expect_eq() {
	[ "$1" = "$2" ] && return 0
	{
		echo "FAIL: ${3:-value} differs"
		echo "--- expected"; printf '%s\n' "$1"
		echo "--- actual"; printf '%s\n' "$2"
	} >&2
	exit 1
}

# expect_match REGEX ACTUAL [WHAT]: ACTUAL matches the extended regex
expect_match() {
	printf '%s\n' "$2" | grep -Eq -- "$1" && return 0
	{ echo "FAIL: ${3:-output} does not match /$1/:"; printf '%s\n' "$2"; } >&2
	exit 1
}

# expect_ok CMD...: the command succeeds (its output is shown if not)
expect_ok() {
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	[ $rc -eq 0 ] && return 0
	{ echo "FAIL: '$*' exited $rc:"; printf '%s\n' "$out"; } >&2
	exit 1
}

# expect_fail CMD...: the command fails
expect_fail() {
	local out
	if out=$("$@" 2>&1); then
		{ echo "FAIL: '$*' succeeded but should fail:"; printf '%s\n' "$out"; } >&2
		exit 1
	fi
	return 0
}

# require_cmd CMD...: skip the case when a command is missing
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

# wait_until TIMEOUT_S CMD...: poll CMD every 0.1 s until it succeeds;
# returns 1 on timeout. Uses no external sleep so polling stays cheap
# under TCG.
wait_until() {
	local limit=$1 start=${EPOCHREALTIME/./}
	shift
	local end=$((start + limit * 1000000))
	until "$@" >/dev/null 2>&1; do
		[ "${EPOCHREALTIME/./}" -lt $end ] || return 1
		vm_sleep 0.1
	done
}

# vm_sleep SECONDS: sleep without an exec (each exec from the 9p root costs
# ~0.1 s under TCG)
vm_sleep() {
	local fifo=${VM_SLEEP_FIFO:-}
	if [ -z "$fifo" ] || [ ! -p "$fifo" ]; then
		VM_SLEEP_FIFO=$(mktemp -u /tmp/vm-sleep.XXXXXX)
		mkfifo "$VM_SLEEP_FIFO" && fifo=$VM_SLEEP_FIFO || { sleep "$1"; return 0; }
	fi
	read -r -t "$1" <>"$fifo" || true
}

# ipvs_normalize: read ipvsadm -Sn style rules on stdin, print them in a
# canonical order. The kernel dumps services in hash order and the order of
# one service's destinations does not change what the table means, so the
# rules are compared as a set: blank lines and comments dropped, blanks
# squeezed, lines sorted.
ipvs_normalize() {
	sed -e 's/#.*//' -e 's/[[:space:]]\{1,\}/ /g' -e 's/^ //' -e 's/ $//' |
		grep -v '^$' | LC_ALL=C sort
}

# ipvs_dump: the current namespace's IPVS table, normalized
ipvs_dump() {
	ipvsadm -Sn | ipvs_normalize
}

# expect_ipvs_table GOLDEN: the kernel table equals GOLDEN (a file, or "-"
# for stdin) in ipvsadm -Sn syntax, order ignored
expect_ipvs_table() {
	local want have
	want=$(if [ "$1" = - ]; then cat; else cat -- "$1"; fi | ipvs_normalize)
	have=$(ipvs_dump)
	[ "$want" = "$have" ] && return 0
	{
		echo "FAIL: IPVS table differs from ${1/#-/the expected table} (- expected, + kernel):"
		diff -u <(printf '%s\n' "$want") <(printf '%s\n' "$have") | tail -n +3
	} >&2
	exit 1
}

# ipvs_count: "SERVICES DESTINATIONS" in the current namespace's table,
# from ipvsadm's netlink dump.  This kernel's /proc/net/ip_vs listing of
# one namespace missed services while other namespaces held many: 4,700 to
# 5,100 of 10,000 with 10,000 in each of two namespaces, and 2 of 3 in
# vm-smoke after lvsd-isolation-ipvs's namespaces were deleted.
ipvs_count() {
	local s=0 d=0 line
	while read -r line; do
		case $line in
		TCP\ *|UDP\ *|SCTP\ *|FWM\ *) s=$((s + 1)) ;;
		"-> RemoteAddress"*) ;;
		"-> "*) d=$((d + 1)) ;;
		esac
	done < <(ipvsadm -Ln)
	echo "$s $d"
}
