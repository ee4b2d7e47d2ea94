# lib.sh - what the labs share (sourced by lab/site.sh and lab/ecmp.sh,
# bash): output, namespaces, waiting, the real servers' HTTP servers, the
# client's probe and what it saw of one event.  The sourcing script sets
# top, P (namespace prefix), W (work directory), PY and PIDS (an array of
# what cleanup kills) first.

if [ -t 1 ]; then B=$'\e[1m' N=$'\e[0m'; else B= N=; fi
say() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
run() { printf '%s$ %s%s\n' "$B" "$*" "$N"; }
ns() { local n=$1; shift; ip netns exec "$P-$n" "$@"; }
now() { local u; read -r u _ </proc/uptime; echo "$u"; }
fail() { echo "LAB FAILED: $*" >&2; exit 1; }

# more_lines REGEX FILE N: FILE has more than N lines matching REGEX
more_lines() { [ "$(grep -c "$1" "$2")" -gt "$3" ]; }

# wait_for SECONDS CMD...: until CMD succeeds
wait_for() {
	local end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt $end ] || return 1
		sleep 0.1
	done
}

HTTPD=$top/tests/vm/lib/lab-httpd.py
start_rs() { # N [nowait]: nowait: the caller waits for "$W/ready-rsN"
	rm -f "$W/ready-rs$1"
	# Not through ns(): a backgrounded function is a subshell, and $!
	# must be the server itself.
	ip netns exec "$P-rs$1" $PY "$HTTPD" rs$1 80 "$W/ready-rs$1" &
	RS_PID[$1]=$!
	PIDS+=($!)
	[ "${2:-}" = nowait ] ||
		wait_for 30 test -e "$W/ready-rs$1" || fail "HTTP server rs$1 did not start"
}
stop_rs() { kill "${RS_PID[$1]}"; wait "${RS_PID[$1]}" 2>/dev/null; }

# event NAME T0 [MORE]: what the client saw since T0 (probe running),
# with MORE ("key=value") in the report's line; EVENT_GAP: events.py's
# --gap
declare -a REPORT=()
event() {
	local r
	sleep 1.5	# let requests started during the event finish
	r=$($PY "$top/lab/events.py" ${EVENT_GAP:+--gap "$EVENT_GAP"} "$W/probe.log" "$2")
	REPORT+=("$1|$r${3:+ $3}")
	echo "   client: $r"
}

# probe_start [SOURCES]: a new connection to the VIP every PROBE_MS (10)
# ms (from the SOURCES addresses in turn, e.g. 10.0.1.10-41), into
# $W/probe.log
probe_start() {
	rm -f "$W/stop-probe"
	ip netns exec "$P-client" $PY "$top/lab/probe.py" $VIP 80 "${PROBE_MS:-10}" \
	    "$W/probe.log" "$W/stop-probe" ${1:+"$1"} &
	PIDS+=($!)
	sleep 1
}

PROBLEMS=()
problem() { PROBLEMS+=("$*"); echo "   PROBLEM: $*"; }
