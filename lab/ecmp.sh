#!/bin/bash
# ecmp.sh - beyond a pair: three active directors behind a router that
# spreads the flows over them by ECMP, on a kernel with IPVS (lab/lvs-lab
# --mode ecmp runs it in a VM when the host has none).  A client (many
# source addresses), a router running BIRD 2 (etc/bird-router-ecmp.conf:
# multipath, layer-4 hash), three directors each running lvsd (IPVS, `mh`
# scheduler, health checks), BIRD 2 (etc/bird-lvsd.conf: BGP + BFD to the
# router) and the route announcement, three real servers in direct
# routing.  It shows the flows spread over the directors and the real
# servers, a planned withdrawal, a service losing its quorum on one
# director only, a clean stop and start, and a director's death under client
# traffic, established connections carried across that death by the
# consistent hash, the director's return; and ends with a report.
#
#   ecmp.sh [--soak N] [--routing-only] [--short]
#
# --soak N: N more rounds (a withdrawal and a death, each director in
# turn) under continuous client traffic (a new connection every 10 ms).
# --routing-only: no IPVS (runs on any kernel, at native speed): each
# director answers the client itself (an HTTP server on the VIP) instead
# of lvsd forwarding to the real servers.  It measures the routing part
# alone (the announcement, BIRD, BGP, BFD, the router's ECMP); no
# established connection can survive a death there.
# --short: the VM case's form: no tour of the site and no separate spread
# (the report has each director's IPVS counters of the whole run), and the
# dead director does not come back (its return waits on BGP's timers).
#
# lvsd announces (lvs.cf's `announce` block): it holds the VIP on lo and
# installs its host route in table 200 (protocol 200) for BIRD once IPVS
# forwards and the checks pass; `lvsctl withdraw`/`restore` are the
# planned events.  With --routing-only (no lvsd) the announcement driver
# (tests/netns/announce/announce-driver: vrrp/announce.c, the module lvsd
# runs) does it instead.
#
# Exit status 0 when the site behaved as promised: no request failed
# during a withdrawal, a restore or a director's return, and every
# established connection survived a director's death.  The outage of a
# death is reported against BFD's detection time, not judged.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top/build}
LVSD=$build/lvsd
LVSCTL=$build/lvsctl
ANNOUNCE=$build/tests/netns/announce/announce-driver
BIRDCONF=$top/tests/netns/announce/birdconf.sh
PY="python3 -S -E"
SOAK=0 ROUTING_ONLY=0 SHORT=0
while [ $# -gt 0 ]; do
	case $1 in
	--soak) SOAK=$2; shift ;;
	--routing-only) ROUTING_ONLY=1 ;;
	--short) SHORT=1 ;;
	--mode) [ "$2" = ecmp ] || { echo "ecmp.sh: --mode ecmp only" >&2; exit 2; }; shift ;;
	*) echo "usage: ecmp.sh [--soak N] [--routing-only] [--short]" >&2; exit 2 ;;
	esac
	shift
done
for x in "$LVSD" "$LVSCTL" "$ANNOUNCE"; do
	[ -x "$x" ] || { echo "ecmp.sh: build lvsd first ($x)" >&2; exit 2; }
done
for c in bird birdc stdbuf $([ $ROUTING_ONLY = 1 ] || echo ipvsadm); do
	command -v $c >/dev/null || { echo "ecmp.sh: $c is missing (scripts/install-deps)" >&2; exit 2; }
done
if [ $ROUTING_ONLY = 0 ]; then
	[ -e /proc/net/ip_vs ] || modprobe ip_vs 2>/dev/null
	[ -e /proc/net/ip_vs ] || { echo "ecmp.sh: this kernel has no IPVS (use lab/lvs-lab, or --routing-only)" >&2; exit 2; }
fi

P=ecmp$$
W=${LAB_WORK:-$(mktemp -d /tmp/lvs-ecmp.XXXXXX)}
mkdir -p "$W"
# sockets and state stay local (not on a 9p share)
S=$(mktemp -d /tmp/lvs-ecmp-state.XXXXXX)
VIP=10.0.0.100
CLIENTS=10.0.1.10-41	# the client's source addresses: 32 "clients"
DIRECTORS="d1 d2 d3"
# BFD as shipped (100 ms x 3), unless under emulation: a TCG guest on a
# busy host stalls for a second or more now and then (seen: every BFD
# session of the router lost at once with 1.2 s), and BFD would declare
# live directors dead.  The outage against BFD's detection time is best
# measured natively: --routing-only.
if grep -q "QEMU TCG" /proc/cpuinfo 2>/dev/null; then
	BFD_MS=${BFD_MS:-500} BFD_MULT=${BFD_MULT:-6}
fi
BFD_MS=${BFD_MS:-100} BFD_MULT=${BFD_MULT:-3}
BFD_DETECT=$((BFD_MS * BFD_MULT))
PIDS=()
# The outage of an event ends after 1.5 s without a hurt request: with
# three directors, prompt requests interleave with hurt ones meanwhile,
# and a stall of a loaded machine seconds later is not the event's.
EVENT_GAP=1.5
. "$top/lab/lib.sh"
START=$SECONDS
# each step says when it began (a guest under emulation is slow)
say() { printf '\n%s== %s%s (%d s)\n' "$B" "$*" "$N" $((SECONDS - START)); }

cleanup() {
	local p n
	touch "$W/stop-probe" "$W/go"
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for n in client router sw $DIRECTORS rs1 rs2 rs3; do ip netns del "$P-$n" 2>/dev/null; done
	rm -rf "$S"
	[ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT

. "$top/lab/ecmp-site.sh"

if [ $ROUTING_ONLY = 1 ]; then
	say "lvsd ECMP lab, routing only: 3 active directors behind a router (BGP + BFD, ECMP), each answering itself, 1 client (kernel $(uname -r))"
else
	say "lvsd ECMP lab: 3 active directors behind a router (BGP + BFD, ECMP), 3 real servers (direct routing), 1 client (kernel $(uname -r))"
fi
setup_network
if [ $ROUTING_ONLY = 0 ]; then
	for i in 1 2 3; do start_rs $i nowait; done
	for i in 1 2 3; do
		wait_for 30 test -e "$W/ready-rs$i" || fail "HTTP server rs$i did not start"
	done
	write_cf
	say "lvs.cf (the same file on every director: lvsd programs IPVS, checks, announces)"
	sed "s/^/   /" "$W/lvs.cf"
fi
start_router
start_directors $DIRECTORS
wait_for 60 paths_are 3 || fail "the router did not get a route through each director: $(ns router ip route show $VIP)"
if [ $SHORT = 0 ]; then
	show_site
	spread
fi

say "Under continuous client traffic (a new connection every ${PROBE_MS:-10} ms from 32 client addresses)"
probe_start "$CLIENTS"
withdrawal d1
if [ $ROUTING_ONLY = 0 ]; then	# lvsd's own: the quorum, a clean stop
	quorum_loss d3
	clean_stop d1
fi
death d2 $([ $SHORT = 1 ] && echo no-return)
if [ "$SOAK" -gt 0 ]; then
	say "Soak: $SOAK rounds of a withdrawal and a death, each director in turn"
	for ((k = 1; k <= SOAK; k++)); do
		echo "-- round $k"
		withdrawal d$(((k + 2) % 3 + 1))
		death d$((k % 3 + 1))
	done
fi
touch "$W/stop-probe"
sleep 3.5
report
