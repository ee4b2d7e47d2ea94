# lib.sh - run the real lvsd daemon in a tests/vm case (bash; source after
# $VM_LIB/assert.sh).  The daemon runs in the case's namespace, in the
# foreground, with its state in the case's scratch directory.

LVSD=${LVSD:-$top_builddir/lvsd}
LVSD_LOG=$PWD/lvsd.log
LVSD_PID=
LVSD_NS=		# run lvsd in this network namespace ("" = the case's)

# lvsd_start FILE [ARGS...]: start lvsd on FILE and wait until it is ready.
lvsd_start() {
	local cf=$1
	shift
	: >"$LVSD_LOG"
	local -a run=("$LVSD")
	[ -n "$LVSD_NS" ] && run=(ip netns exec "$LVSD_NS" "$LVSD")
	"${run[@]}" -n -f "$cf" --role primary --state-dir "$PWD/state" "$@" \
		2>>"$LVSD_LOG" &
	LVSD_PID=$!
	wait_until 30 grep -q " ready: " "$LVSD_LOG" ||
		{ cat "$LVSD_LOG" >&2; fail "lvsd did not become ready"; }
}

# lvsd_reload: SIGHUP, and wait for the reload's outcome to be logged.
lvsd_reload() {
	local n
	n=$(lvsd__outcomes)
	kill -HUP "$LVSD_PID"
	wait_until 30 lvsd__reloaded $((n + 1)) ||
		{ cat "$LVSD_LOG" >&2; fail "lvsd did not finish the reload"; }
}
# Reload outcomes so far: a good file ends in "reload: IPVS table holds",
# an unchanged one in "unchanged (", a bad one in "keeping the running
# configuration".
lvsd__outcomes() {
	grep -c '^reload: IPVS table holds\|^reload: .* unchanged (\|keeping the running' "$LVSD_LOG"
}
lvsd__reloaded() {
	[ "$(lvsd__outcomes)" -ge "$1" ]
}

# lvsd_stop [EXPECTED_STATUS]: SIGTERM and check the exit status (0).
lvsd_stop() {
	local rc
	kill -TERM "$LVSD_PID"
	wait "$LVSD_PID"
	rc=$?
	[ "$rc" -eq "${1:-0}" ] || { cat "$LVSD_LOG" >&2; fail "lvsd exited $rc"; }
	LVSD_PID=
}

# lvsd_last_apply: the last "IPVS table holds ..." line of the log.
lvsd_last_apply() {
	grep 'IPVS table holds' "$LVSD_LOG" | tail -n 1
}
# lvsd_last_reload: the last line that ended a reload
lvsd_last_reload() {
	grep '^reload: IPVS table holds\|^reload: .* unchanged (\|keeping the running' "$LVSD_LOG" | tail -n 1
}

# expect_has NEEDLE TEXT [WHAT]: TEXT contains NEEDLE (fixed string)
expect_has() {
	printf '%s\n' "$2" | grep -Fq -- "$1" && return 0
	{ echo "FAIL: ${3:-output} does not contain '$1':"; printf '%s\n' "$2"; } >&2
	exit 1
}
