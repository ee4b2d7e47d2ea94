#!/bin/bash
# run-cases.sh - run tests/vm/cases/*.sh inside the VM (run-vm-tests.sh
# boots the VM with this as its command; it also works on any host whose
# kernel has IPVS, as root).
#
# Each case runs in its own fresh network namespace (IPVS tables are per
# namespace; lo is up and a dummy device vm0 carries the IPv4 and IPv6
# default routes, so IPVS accepts any unicast real-server address) with a
# timeout, in a new scratch directory as cwd, with
# top_srcdir, top_builddir, VM_LIB exported. Exit 0 = PASS, 77 = SKIP,
# anything else (124 = timeout) = FAIL; the output of a failed case is
# printed, of a passing one its "# " note lines. Namespaces a case leaves
# behind and processes in them are removed after it.
#
# Environment: VM_CASES (space-separated globs on case names, default *),
# VM_CASE_TIMEOUT (s, default 180), VM_RESULT (file that receives the
# summary line; default: printed last on stdout).
set -u
export LC_ALL=C
: "${top_srcdir:=$(cd "$(dirname "$0")/../../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
VM_LIB=$top_srcdir/tests/vm/lib
export top_srcdir top_builddir VM_LIB
timeout_s=${VM_CASE_TIMEOUT:-180}
globs=${VM_CASES:-*}

netns_list() { # names of the named network namespaces (no exec: /run/netns)
	local f
	for f in /run/netns/*; do [ -e "$f" ] && echo "${f##*/}"; done
}
now_us() { echo "${EPOCHREALTIME/./}"; }
secs() { printf '%d.%01d' $(($1 / 1000000)) $((($1 % 1000000) / 100000)); }

read -r up _ </proc/uptime
echo "vm: cases start at guest uptime ${up}s (kernel $(uname -r))"
modprobe ip_vs 2>/dev/null
if [ ! -e /proc/net/ip_vs ]; then
	echo "FAIL: ip_vs: the kernel has no IPVS (modprobe ip_vs failed)"
	summary="0 passed, 1 failed, 0 skipped"
	if [ -n "${VM_RESULT:-}" ]; then echo "$summary" >"$VM_RESULT"; else echo "$summary"; fi
	exit 1
fi

pass=0 nfail=0 nskip=0 timings=""
t_all=$(now_us)
for c in "$top_srcdir"/tests/vm/cases/*.sh; do
	[ -e "$c" ] || continue
	name=$(basename "$c" .sh)
	sel=0
	set -f # globs for case names, not for files
	for g in $globs; do
		# shellcheck disable=SC2053  # glob match on purpose
		[[ $name == $g ]] && sel=1
	done
	set +f
	[ $sel = 1 ] || continue
	ns=vmcase-$name
	ns=${ns:0:60}
	before=" "
	for n in $(netns_list); do before+="$n "; done
	[ -e "/run/netns/$ns" ] && ip netns del "$ns" 2>/dev/null
	# lo up, and a dummy device with default routes: IPVS refuses a
	# destination address it has no unicast route for
	if ! ip netns add "$ns" || ! ip -n "$ns" -batch - <<-EOF; then
		link set lo up
		link add vm0 type dummy
		link set vm0 up
		route add default dev vm0
		route add ::/0 dev vm0
	EOF
		echo "FAIL: $name (cannot set up its network namespace)"
		nfail=$((nfail + 1))
		continue
	fi
	work=/tmp/vmcase-$name.$$
	mkdir -p "$work"
	log=$work.log
	[ -n "${VM_RUNNER_DEBUG:-}" ] && echo "vm: $name: setup done at $(secs $(($(now_us) - t_all)))s"
	t0=$(now_us)
	(cd "$work" && exec timeout -k 5 "$timeout_s" ip netns exec "$ns" bash "$c") >"$log" 2>&1 </dev/null
	rc=$?
	dt=$(($(now_us) - t0))
	# remove what the case left: its namespace, namespaces it created and
	# every process in them
	for n in $(netns_list); do
		case $before in *" $n "*) continue ;; esac
		pids=$(ip netns pids "$n" 2>/dev/null)
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	case $rc in
	0)
		echo "PASS: $name"
		# a passing case's notes ("# ..." lines: what it found)
		grep -h '^# ' "$log" | sed 's/^/  /'
		pass=$((pass + 1))
		;;
	77)
		echo "SKIP: $name"
		grep -h '^SKIP:' "$log" | sed 's/^/  /'
		nskip=$((nskip + 1))
		;;
	*)
		echo "FAIL: $name"
		[ $rc = 124 ] && echo "  (timed out after ${timeout_s}s)" || echo "  (exit status $rc)"
		sed 's/^/  | /' "$log"
		nfail=$((nfail + 1))
		;;
	esac
	timings="$timings $name=$(secs $dt)s"
	rm -rf "$work" "$log"
done
echo "vm: case times:$timings; all cases $(secs $(($(now_us) - t_all)))s"
summary="$pass passed, $nfail failed, $nskip skipped"
if [ -n "${VM_RESULT:-}" ]; then echo "$summary" >"$VM_RESULT"; else echo "$summary"; fi
[ $nfail -eq 0 ]
