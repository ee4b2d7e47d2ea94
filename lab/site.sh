#!/bin/bash
# site.sh - a complete LVS site in network namespaces, on a kernel with
# IPVS (lab/lvs-lab runs it in a VM when the host has none): a client, two
# directors running lvsd from one shared lvs.cf, three real servers with
# real HTTP servers.  It shows, as it goes, what a newcomer needs to see,
# and ends with a report.
#
#   site.sh [--mode nat|dr|tun] [--soak N] [--flap SECONDS]
#
# nat: the real servers behind the directors (seed 000).  dr: on the
# directors' segment (seed 003); lvs-realserver sets up rs1 and rs2, rs3
# is set up by hand with the common mistake (the VIP on lo, ARP as it
# was): lvsd must name it, and must say it is quiet once lvs-realserver
# has run there; its undo must restore rs3 exactly.  tun: the real servers
# on another subnet behind a router (seed 004's IP tunnelling), set up by
# lvs-realserver: IPIP, and GUE for rs3 when the kernel has fou.
#
# --soak N: N failover drills and N kill -9 failovers, alternating, under
# continuous client traffic (a new connection every 10 ms).
# --flap SECONDS: how long real servers flap during reloads (default 20).
# LAB_SYNC='KEY = VALUE; ...': extra global lvs.cf keys (e.g. the master
# sync daemon's syncd_maxlen, syncd_threshold), to compare settings.
#
# Exit status 0 when the site behaved as promised: every step worked, no
# request failed during a drill, the established connection survived its
# drill (connection sync), and no client reached a real server after its
# DOWN was logged.  The outage of a kill -9 is reported, not judged.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top/build}
LVSD=$build/lvsd
LVSCTL=$build/lvsctl
PY="python3 -S -E"
MODE=nat SOAK=0 FLAP=20
while [ $# -gt 0 ]; do
	case $1 in
	--mode) MODE=$2; shift ;;
	--soak) SOAK=$2; shift ;;
	--flap) FLAP=$2; shift ;;
	*) echo "usage: site.sh [--mode nat|dr|tun] [--soak N] [--flap SECONDS]" >&2; exit 2 ;;
	esac
	shift
done
case $MODE in nat|dr|tun) ;; *) echo "site.sh: --mode nat, dr or tun" >&2; exit 2 ;; esac
REALSERVER=$build/lvs-realserver
[ -x "$LVSD" ] && [ -x "$LVSCTL" ] && [ -x "$REALSERVER" ] ||
	{ echo "site.sh: build lvsd first ($LVSD)" >&2; exit 2; }
[ -e /proc/net/ip_vs ] || modprobe ip_vs 2>/dev/null
[ -e /proc/net/ip_vs ] || { echo "site.sh: this kernel has no IPVS (use lab/lvs-lab)" >&2; exit 2; }

P=lvslab
# LAB_WORK=DIR keeps the logs, captures and lvs.cf there (and KEEP=1
# leaves them after the run)
W=${LAB_WORK:-$(mktemp -d /tmp/lvs-lab.XXXXXX)}
mkdir -p "$W"
# the directors' state (control sockets: not on a 9p share) stays local
S=$(mktemp -d /tmp/lvs-lab-state.XXXXXX)
VIP=10.0.2.50
PIDS=()
. "$top/lab/lib.sh"

cleanup() {
	local p
	touch "$W/stop-probe"
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for n in client d1 d2 rs1 rs2 rs3 rt sw; do ip netns del "$P-$n" 2>/dev/null; done
	rm -rf "$S"
	[ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT

# The real servers' addresses: behind the directors (NAT), on their
# segment (DR), on another subnet behind the router (tunnel).
rs_ip() { case $MODE in nat) echo 10.0.3.1$1 ;; dr) echo 10.0.2.1$1 ;; tun) echo 10.0.4.1$1 ;; esac; }

setup_network() {
	local n i
	for n in sw client d1 d2 rs1 rs2 rs3; do ip netns add "$P-$n"; done
	[ $MODE = tun ] && ip netns add "$P-rt"
	{
		echo "link add br0 type bridge"; echo "link set br0 up"
		echo "link add br1 type bridge"; echo "link set br1 up"
		echo "link add br2 type bridge"; echo "link set br2 up"
		for n in client d1 d2; do
			echo "link add $n-f type veth peer name eth0 netns $P-$n"
			echo "link set $n-f master br0 up"
		done
		for n in d1 d2; do
			echo "link add $n-b type veth peer name eth1 netns $P-$n"
			echo "link set $n-b master br1 up"
		done
		if [ $MODE = tun ]; then	# the router: br0 <-> br2
			echo "link add rt-f type veth peer name eth0 netns $P-rt"
			echo "link set rt-f master br0 up"
			echo "link add rt-b type veth peer name eth1 netns $P-rt"
			echo "link set rt-b master br2 up"
		fi
		for i in 1 2 3; do
			echo "link add rs$i-p type veth peer name eth0 netns $P-rs$i"
			echo "link set rs$i-p master $(case $MODE in nat) echo br1 ;; dr) echo br0 ;; tun) echo br2 ;; esac) up"
		done
	} | ip -n "$P-sw" -batch -
	ns client ip addr add 10.0.2.100/24 dev eth0
	i=1
	for n in d1 d2; do
		i=$((i + 1))
		ns $n ip addr add 10.0.2.$i/24 dev eth0
		ns $n ip addr add 10.0.3.$i/24 dev eth1
		ns $n sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		    net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.send_redirects=0 \
		    net.ipv4.vs.conntrack=0 2>/dev/null
	done
	# DR and tunnel: the real servers are set up by setup_realservers
	for i in 1 2 3; do ns rs$i ip addr add "$(rs_ip $i)/24" dev eth0; done
	for n in client d1 d2 rs1 rs2 rs3 $([ $MODE = tun ] && echo rt); do
		ns $n ip link set lo up
		ns $n ip link set eth0 up
		ns $n ip link set eth1 up 2>/dev/null
	done
	# NAT: replies go back through the active director's nat_router
	if [ $MODE = nat ]; then
		for i in 1 2 3; do ns rs$i ip route add default via 10.0.3.1; done
	fi
	# Tunnel: the directors reach 10.0.4.0/24 through the router; the real
	# servers answer the client through it too, from the VIP.  Their own
	# reverse-path filter is strict, as on most distributions.
	if [ $MODE = tun ]; then
		ns rt ip addr add 10.0.2.254/24 dev eth0
		ns rt ip addr add 10.0.4.254/24 dev eth1
		ns rt sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		    net.ipv4.conf.default.rp_filter=0
		for n in d1 d2; do ns $n ip route add 10.0.4.0/24 via 10.0.2.254; done
		for i in 1 2 3; do
			ns rs$i ip route add default via 10.0.4.254
			ns rs$i sysctl -qw net.ipv4.conf.all.rp_filter=1
		done
	fi
}

write_cf() {
	local i
	{
		cat <<-EOF
		# The lab's site: one file for both directors.
		serial_no = 1
		primary = 10.0.2.2
		backup = 10.0.2.3
		backup_active = 1
		EOF
		case $MODE in
		nat)
			echo "network = nat"
			echo "nat_router = 10.0.3.1 eth1:1"
			echo "nat_nmask = 24"
			;;
		dr) echo "network = direct" ;;
		tun) echo "network = tunnel" ;;
		esac
		cat <<-EOF
		syncdaemon = 1
		syncd_iface = eth0
		EOF
		[ -z "${LAB_SYNC:-}" ] || echo "$LAB_SYNC" | tr ';' '\n' | sed 's/^ *//'
		cat <<-EOF
		vrrp site {
		    vrid = 50
		    advert_int = 200ms
		    handoff_delay = 500ms
		    garp_repeat = 3
		    garp_delay = 100ms
		}
		virtual web {
		    address = $VIP eth0:1
		    port = http
		    scheduler = rr
		    check = http
		    check_interval = 500ms
		    check_timeout = 2s
		    timeout = 1
		    reentry = 1
		EOF
		for i in 1 2 3; do
			echo "    server rs$i {"
			echo "        address = $(rs_ip $i)"
			echo "        weight = 1"
			# GUE for rs3 when this kernel can receive it (module fou)
			if [ $MODE = tun ] && [ $i = 3 ] && [ -n "$GUE" ]; then
				echo "        tunnel_type = gue"
				echo "        tunnel_port = 6080"
			fi
			echo "    }"
		done
		echo "}"
	} >"$W/lvs.cf"
}

start_director() { # NAME
	: >"$W/$1.log"
	# Each log line gets the wall-clock time it arrived (stamp.py), the
	# clock tcpdump uses: the flap check lines transitions up with packets.
	ip netns exec "$P-$1" "$LVSD" -n -f "$W/lvs.cf" --state-dir "$S/$1" \
	    --lib-dir "$S/$1-lib" 2> >($PY "$top/lab/stamp.py" >>"$W/$1.log") &
	DIR_PID[${1#d}]=$!
	PIDS+=($!)
	wait_for 30 grep -q " ready: " "$W/$1.log" || fail "lvsd on $1 did not start: $(cat "$W/$1.log")"
}
ctl() { local d=$1; shift; "$LVSCTL" --socket "$S/$d/lvsd.sock" "$@"; }
is_master() { ctl "$1" --json status 2>/dev/null | grep -q '"state":"MASTER"'; }
has_vip() { ns "$1" ip -o addr show dev eth0 | grep -q " $VIP/"; }
answers() { # N: one line per request: the real server that answered
	ns client $PY "$top/tests/vm/lib/lab-client.py" $VIP 80 "$1" 3
}
dests() { ns "$1" ipvsadm -Ln | grep -c -- '->.*Masq\|->.*Route\|->.*Tunnel'; }

drill() { # FROM TO
	local t0
	t0=$(now)
	run "lvsctl failover --hold 2   # on $1"
	ctl "$1" failover --hold 2 || fail "drill refused"
	wait_for 10 is_master "$2" || fail "$2 did not take over"
	event "drill: $1 -> $2" "$t0"
	wait_for 15 is_master "$1" || fail "$1 did not take its role back"
	t0=$(now)
	event "return after the hold: $2 -> $1" "$t0"
}

# The primary dies: its lvsd is killed (kill -9) and its links are cut at
# once, as when the machine fails.  (A kill -9 alone leaves the kernel
# forwarding with the VIPs in place: the client would not notice.)
crash() { # VICTIM OTHER
	local t0
	t0=$(now)
	run "ip link set dev eth0|eth1 down; kill -9 <lvsd>   # on $1: the director dies"
	printf 'link set eth0 down\nlink set eth1 down\n' | ip -n "$P-$1" -batch -
	kill -9 "${DIR_PID[${1#d}]}"
	wait "${DIR_PID[${1#d}]}" 2>/dev/null	# no "Killed" from the shell
	wait_for 10 is_master "$2" || fail "$2 did not take over after $1 died"
	event "$1 dies: $1 -> $2" "$t0"
	# Back: the crash left the VIP on $1, which its new lvsd removes itself
	# before it preempts.
	printf 'link set eth0 up\nlink set eth1 up\n' | ip -n "$P-$1" -batch -
	# (tunnel: the route to the real servers went with the link)
	[ $MODE = tun ] && ns "$1" ip route replace 10.0.4.0/24 via 10.0.2.254
	start_director "$1"
	t0=$(now)
	wait_for 15 is_master "$1" || fail "$1 did not preempt after restart"
	event "restart $1 (preempt): $2 -> $1" "$t0"
}

# pid_of DIRECTOR PROCESS: from lvsctl status (parent, failover, checks)
pid_of() {
	ctl "$1" --json status 2>/dev/null | $PY -c 'import json, sys
d = json.load(sys.stdin)
print(d.get("processes", d.get("status", {}).get("processes", {})).get(sys.argv[1], 0))' "$2"
}
no_vip() { ! has_vip "$1"; }
no_lvsd() { ! pgrep -f "$LVSD -n -f $W/lvs.cf --state-dir $S/$1 " >/dev/null; }
# new_pid DIRECTOR PROCESS OLD: a live process replaced OLD
new_pid() { local p; p=$(pid_of "$1" "$2"); [ "${p:-0}" -gt 0 ] && [ "$p" != "$3" ]; }

# One of lvsd's processes on the master is killed (kill -9) under traffic:
# the outcomes lvsd.8 (PROCESSES) promises.  The checks process: replaced,
# the table keeps its weights, no request fails.  The failover process:
# replaced, goes on as master (resumed), no second master, no request
# fails.  The parent: the failover process releases the addresses, the
# backup takes over; the restarted lvsd preempts.
kill_processes() { # MASTER BACKUP
	local t0 old before
	# real servers and weights (not the connection counters)
	before=$(ns "$1" ipvsadm -Ln | awk '/->/ { print $2, $3, $4 }' | sort)
	old=$(pid_of "$1" checks)
	t0=$(now)
	run "kill -9 <lvsd: checks>   # on $1"
	kill -9 "$old"
	wait_for 10 new_pid "$1" checks "$old" || fail "$1: the checks process was not replaced"
	event "checks process killed on $1" "$t0"
	[ "$(ns "$1" ipvsadm -Ln | awk '/->/ { print $2, $3, $4 }' | sort)" = "$before" ] ||
		problem "$1: the table changed when its checks process died"
	old=$(pid_of "$1" failover)
	grep -c "BACKUP -> MASTER" "$W/$2.log" >"$W/$2.masters"
	t0=$(now)
	run "kill -9 <lvsd: failover>   # on $1"
	kill -9 "$old"
	wait_for 10 new_pid "$1" failover "$old" || fail "$1: the failover process was not replaced"
	event "failover process killed on $1" "$t0"
	is_master "$1" && has_vip "$1" || problem "$1 is not master with the VIP after its failover process died"
	[ "$(grep -c "BACKUP -> MASTER" "$W/$2.log")" = "$(cat "$W/$2.masters")" ] ||
		problem "$2 became master when $1's failover process died: $1: $(grep -h "failover process\|resumed\|MASTER" "$W/$1.log" | tail -4 | tr '\n' ';') $2: $(grep -h "MASTER" "$W/$2.log" | tail -2 | tr '\n' ';')"
	t0=$(now)
	run "kill -9 <lvsd>   # on $1: the parent; its links stay up"
	kill -9 "${DIR_PID[${1#d}]}"
	wait "${DIR_PID[${1#d}]}" 2>/dev/null
	wait_for 10 is_master "$2" || fail "$2 did not take over after $1's parent died"
	wait_for 5 no_vip "$1" || problem "$1 kept the VIP after its parent died"
	event "parent killed on $1: $1 -> $2" "$t0"
	wait_for 5 no_lvsd "$1" || problem "$1: lvsd processes left after the parent died"
	start_director "$1"
	t0=$(now)
	wait_for 15 is_master "$1" || fail "$1 did not preempt after restart"
	event "restart $1 (preempt): $2 -> $1" "$t0"
}

spread() {
	run "12 requests from the client to $VIP:80"
	answers 12 | sort | uniq -c | sed 's/^/   /'
}

realserver() { # NS ARGS...: lvs-realserver on a real server, from lvs.cf
	local n=$1
	shift
	ns "$n" "$REALSERVER" -f "$W/lvs.cf" --state "$S/$n.rs-state" "$@"
}
# snapshot NS: what lvs-realserver may change there (its undo restores it)
snapshot() {
	ns "$1" sysctl -a 2>/dev/null | grep -E 'arp_(ignore|announce)|rp_filter' | sort
	ns "$1" ip -o addr show | awk '{ print $2, $3, $4 }'
}

# DR: rs1 and rs2 by lvs-realserver from the shared lvs.cf; rs3 by hand,
# with the mistake of seed 003's many readers: the VIP on lo, and nothing
# that stops it answering ARP for it.  Tunnel: all three by lvs-realserver.
setup_realservers() {
	local i
	case $MODE in
	dr)
		say "Real servers: rs1 and rs2 set up by lvs-realserver, rs3 by hand (wrongly)"
		run "lvs-realserver apply   # on rs1 (and rs2): reads the same lvs.cf"
		realserver rs1 apply | sed 's/^/   /'
		[ "${PIPESTATUS[0]}" = 0 ] || fail "lvs-realserver apply on rs1 failed"
		realserver rs2 apply >"$W/rs2.apply" || fail "lvs-realserver apply on rs2 failed: $(cat "$W/rs2.apply")"
		run "ip addr add $VIP/32 dev lo   # on rs3, by hand; arp_ignore stays 0"
		ns rs3 ip addr add $VIP/32 dev lo
		;;
	tun)
		say "Real servers on 10.0.4.0/24 behind the router: set up by lvs-realserver"
		run "lvs-realserver show   # on rs3: what it needs (${GUE:+GUE on UDP 6080, }strict rp_filter)"
		realserver rs3 show | sed 's/^/   /'
		for i in 1 2 3; do
			run "lvs-realserver apply   # on rs$i"
			realserver rs$i apply | sed 's/^/   /'
			[ "${PIPESTATUS[0]}" = 0 ] || fail "lvs-realserver apply on rs$i failed"
		done
		;;
	esac
}

# DR: lvsd names rs3, which answers ARP for the VIP; lvs-realserver fixes
# it; lvsd says so; the client's requests reach every real server.
arp_watch() {
	local line out
	say "A real server that answers ARP for the VIP (seed 003): rs3"
	wait_for 20 grep -q "web/rs3 (10.0.2.13, MAC .*) answers ARP for VIP $VIP" "$W/d1.log" ||
		fail "lvsd did not name rs3 as answering ARP for $VIP"
	line=$(grep -m1 "answers ARP for VIP" "$W/d1.log" | cut -d' ' -f2-)
	echo "   log (d1): $line"
	snapshot rs3 >"$W/rs3.before"
	run "lvs-realserver show   # on rs3"
	realserver rs3 show | sed 's/^/   /'
	run "lvs-realserver apply   # on rs3"
	realserver rs3 apply | sed 's/^/   /'
	[ "${PIPESTATUS[0]}" = 0 ] || fail "lvs-realserver apply on rs3 failed"
	run "lvsctl reload   # on d1: its next ARP round at once"
	ctl d1 reload >/dev/null || fail "reload on d1 failed"
	wait_for 20 grep -q "web/rs3 (10.0.2.13) no longer answers ARP for VIP $VIP" "$W/d1.log" ||
		fail "lvsd did not see rs3 quiet after lvs-realserver apply"
	echo "   log (d1): $(grep -m1 "no longer answers ARP" "$W/d1.log" | cut -d' ' -f2-)"
	out=$(answers 6 | sort | uniq -c)
	echo "$out" | sed 's/^/   /'
	for i in 1 2 3; do
		grep -q " rs$i$" <<<"$out" || fail "rs$i did not answer through the VIP after the fix"
	done
	ARP_RESULT="rs3 named by lvsd; quiet after lvs-realserver apply, traffic to all three"
}

# DR: undo on rs3 brings back exactly what was there (the mistake too).
undo_check() {
	say "lvs-realserver undo on rs3: as it was before apply"
	run "lvs-realserver undo   # on rs3"
	realserver rs3 undo | sed 's/^/   /'
	snapshot rs3 >"$W/rs3.after"
	if diff "$W/rs3.before" "$W/rs3.after" >"$W/rs3.diff"; then
		UNDO_RESULT="every sysctl and address as before apply"
	else
		problem "undo did not restore rs3: $(cat "$W/rs3.diff")"
		UNDO_RESULT="not restored (see above)"
	fi
}

# An established connection across a drill: with syncdaemon = 1 the
# master's IPVS sends its connections to the backup, which forwards them
# to the same real server once it holds the VIP.
conn_sync() {
	local r
	rm -f "$W/go" "$W/session.out"
	ip netns exec "$P-client" $PY "$top/lab/session.py" $VIP 80 "$W/go" \
	    >"$W/session.out" &
	PIDS+=($!)
	wait_for 10 grep -q "^first" "$W/session.out" ||
		fail "no first answer on the held connection: $(cat "$W/session.out")"
	echo "   connection opened: answered by $(awk '/^first/ { print $2 }' "$W/session.out")"
	# At once: the kernel's own sync would send this young connection
	# only after its third packet and up to 2 s later; lvsd's drill hands
	# the whole table over first.
	run "lvsctl failover --hold 5   # on d1, the connection still open"
	ctl d1 failover --hold 5 >/dev/null || fail "drill refused"
	wait_for 10 is_master d2 || fail "d2 did not take over"
	wait_for 10 has_vip d2 || fail "the VIP did not move to d2"
	grep "connection handoff" "$W/d1.log" | tail -1 | cut -d' ' -f2- | sed 's/^/   log (d1): /'
	run "ipvsadm -Lnc   # on d2, the new master: the connection, handed over by d1"
	ns d2 ipvsadm -Lnc | sed 's/^/   /'
	sleep 0.5
	touch "$W/go"
	wait_for 15 grep -q "^second\|^FAIL" "$W/session.out"
	r=$(awk '/^first/ { f = $2 } /^second/ { s = $2 } END { print f, s }' "$W/session.out")
	if [ "${r% *}" = "${r#* }" ]; then
		echo "   the same connection, after the drill: answered by ${r#* } through d2"
		SYNC_RESULT="survived (${r#* })"
	else
		problem "the established connection did not survive the drill: $(tail -1 "$W/session.out")"
		SYNC_RESULT="broken"
	fi
	wait_for 20 is_master d1 || fail "d1 did not take its role back"
}

# Real servers flapping while both directors reload: every client SYN that
# reaches a real server is captured there; none may arrive after the
# master logged that server DOWN and before it logged it UP again.
flap_reloads() { # SECONDS
	local end k i w caps=()
	for i in 1 2 3; do
		# tunnelled SYNs are seen unwrapped on the tunnel device
		ip netns exec "$P-rs$i" tcpdump --immediate-mode -i "$CAP_DEV" -l -n -tttt -U \
		    "src host 10.0.2.100 and tcp dst port 80 and tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn" \
		    >"$W/rs$i.cap" 2>/dev/null &
		caps+=($!)
		PIDS+=($!)
	done
	sleep 1
	probe_start
	end=$(($(date +%s) + $1))
	k=0
	while [ "$(date +%s)" -lt $end ]; do
		k=$((k + 1))
		# rs1 and rs3 take turns: one of them is always stopped or starting
		if [ $((k % 2)) = 1 ]; then
			stop_rs 1; [ $k = 1 ] || start_rs 3
		else
			start_rs 1; stop_rs 3
		fi
		# a reload on both directors: rs2's weight alternates 1 and 2
		w=$((k % 2 + 1))
		sed -i "/server rs2 {/,/}/ s/weight = .*/weight = $w/" "$W/lvs.cf"
		ctl d1 reload >/dev/null || fail "reload on d1 failed"
		ctl d2 reload >/dev/null || fail "reload on d2 failed"
		sleep 2.5
	done
	if [ $((k % 2)) = 1 ]; then start_rs 1; else start_rs 3; fi
	touch "$W/stop-probe"
	sleep 3.5
	kill "${caps[@]}" 2>/dev/null
	echo "   $k rounds: rs1 and rs3 stopped and started in turn, both directors reloaded each round"
	echo "   transitions logged by the master: $(grep -c 'web/rs[13] .* \(UP\|DOWN\):' "$W/d1.log")"
	echo "   client requests: $($PY "$top/lab/events.py" "$W/probe.log" 0)"
	if $PY "$top/lab/flapcheck.py" "$W/d1.log" "$W"/rs[123].cap; then
		FLAP_RESULT="no connection to a server marked down"
	else
		problem "a client reached a real server after its DOWN was logged"
		FLAP_RESULT="connections to a server marked down (see above)"
	fi
	wait_for 20 all_up || fail "the real servers did not all come back"
}

# GUE needs the fou module on the receiving side; tunnels are seen unwrapped
GUE=
CAP_DEV=eth0
if [ $MODE = tun ]; then
	CAP_DEV=tunl0
	{ [ -e /sys/module/fou ] || modprobe fou 2>/dev/null; } && GUE=1
fi
say "lvsd LVS lab: $MODE, 2 directors, 3 real servers, 1 client (kernel $(uname -r))"
setup_network
# LAB_CAPTURE=1: every RST and every VIP ARP on the client's side and at
# the real servers' directors, into $W/*.pcap (with LAB_WORK and KEEP=1)
if [ -n "${LAB_CAPTURE:-}" ]; then
	for n in client d1 d2; do
		ip netns exec "$P-$n" tcpdump --immediate-mode -i any -n -U -w "$W/$n.pcap" \
		    "tcp[tcpflags] & tcp-rst != 0 or arp" 2>/dev/null &
		PIDS+=($!)
	done
fi
for i in 1 2 3; do start_rs $i; done
write_cf
say "lvs.cf (the same file on both directors)"
cat "$W/lvs.cf"
setup_realservers
start_director d1
start_director d2
wait_for 15 is_master d1 || fail "d1 did not become master"
all_up() { [ "$(dests d1)" -eq 3 ] && [ "$(dests d2)" -eq 3 ]; }
wait_for 20 all_up || fail "the real servers did not pass their checks"
[ $MODE = dr ] && arp_watch
say "lvsctl status / show on the primary (d1) and the backup (d2)"
for d in d1 d2; do run "lvsctl status   # on $d"; ctl $d status; done
for d in d1 d2; do run "ipvsadm -L --daemon   # on $d"; ns $d ipvsadm -L --daemon; done
run "lvsctl show   # on d1"; ctl d1 show
spread

say "A real server fails: rs2's HTTP server stops"
stop_rs 2
wait_for 15 grep -q "web/rs2 .* DOWN" "$W/d1.log" || fail "rs2 not marked down"
grep "web/rs2 .* DOWN" "$W/d1.log" | tail -1 | cut -d' ' -f2- | sed 's/^/   log: /'
run "lvsctl show   # on d1"; ctl d1 show
spread
ups=$(grep -c "web/rs2 .* UP" "$W/d1.log")
start_rs 2
wait_for 15 more_lines "web/rs2 .* UP" "$W/d1.log" "$ups" || fail "rs2 not back"
echo "   rs2 is back: $(grep "web/rs2 .* UP" "$W/d1.log" | tail -1 | cut -d' ' -f2-)"
wait_for 20 all_up || fail "rs2 did not return to both tables"

say "Connection sync: an established connection across a failover drill"
conn_sync

# The sync daemons' datagrams (the kernel's and the handoffs') as each
# director sends them, counted on the switch's side of its link.
SYNC_CAPS=()
sync_capture_start() {
	local n
	SYNC_T0=$(now)
	for n in d1 d2; do
		ip netns exec "$P-sw" tcpdump --immediate-mode -i "$n-f" -Q in -n -q -l \
		    udp dst port 8848 >"$W/sync-$n.txt" 2>/dev/null &
		SYNC_CAPS+=($!)
		PIDS+=($!)
	done
}
sync_capture_stop() {
	local t1
	t1=$(now)
	kill "${SYNC_CAPS[@]}" 2>/dev/null
	wait "${SYNC_CAPS[@]}" 2>/dev/null
	SYNC_TRAFFIC=$(cat "$W"/sync-d[12].txt | awk -v t0="$SYNC_T0" -v t1="$t1" \
	    -v req="$(wc -l <"$W/probe.log")" '
	    { n++; for (i = 1; i < NF; i++) if ($i == "length") b += $(i + 1) }
	    END { t = t1 - t0; printf "%d datagrams in %.0f s (%.1f/s, %.0f payload bytes/s), %.2f per client request", n, t, n / t, b / t, req ? n / req : 0 }')
	echo "   sync traffic: $SYNC_TRAFFIC"
}

say "Failovers under continuous client traffic (a new connection every 10 ms)"
sync_capture_start
probe_start
drill d1 d2
crash d1 d2
# (in NAT mode only: the processes are the same in every mode)
[ $MODE = nat ] && kill_processes d1 d2
if [ "$SOAK" -gt 0 ]; then
	say "Soak: $SOAK drills and $SOAK kill -9 failovers, alternating"
	for ((k = 1; k <= SOAK; k++)); do
		echo "-- round $k"
		drill d1 d2
		crash d1 d2
	done
fi
touch "$W/stop-probe"
sleep 3.5
sync_capture_stop
mv "$W/probe.log" "$W/probe-failovers.log"

if [ "$FLAP" -gt 0 ]; then
	say "Real servers flapping during reloads ($FLAP s, traffic every 10 ms)"
	flap_reloads "$FLAP"
fi

[ $MODE = dr ] && undo_check

say "Report ($MODE)"
printf '%-40s %s\n' "event" "client (requests started, failed, outage)"
for r in "${REPORT[@]}"; do printf '%-40s %s\n' "${r%%|*}" "${r#*|}"; done
echo
$PY "$top/lab/summary.py" "${REPORT[@]}"
echo
echo "established connection across a drill (connection sync): ${SYNC_RESULT:-not run}"
echo "sync traffic during the failovers${LAB_SYNC:+ ($LAB_SYNC)}: ${SYNC_TRAFFIC:-not measured}"
[ "$FLAP" -gt 0 ] && echo "real servers flapping during reloads: $FLAP_RESULT"
[ $MODE = dr ] && echo "real server answering ARP for the VIP: ${ARP_RESULT:-not run}" &&
	echo "lvs-realserver undo on it: ${UNDO_RESULT:-not run}"
if [ $MODE = tun ]; then
	echo "tunnels: IPIP to rs1 and rs2, $([ -n "$GUE" ] && echo "GUE to rs3 (UDP 6080)" ||
		echo "IPIP to rs3 (no fou module here: no GUE)")"
fi
for r in "${REPORT[@]}"; do
	case $r in
	drill*"failed=0 "*|return*"failed=0 "*) ;;
	drill*|return*) problem "requests failed during a planned switchover: ${r%%|*}" ;;
	checks*"failed=0 "*|"failover process"*"failed=0 "*) ;;
	checks*|"failover process"*) problem "requests failed when a process died: ${r%%|*}" ;;
	esac
done
if [ ${#PROBLEMS[@]} -gt 0 ]; then
	echo "lab: ${#PROBLEMS[@]} problem(s):"; printf '   %s\n' "${PROBLEMS[@]}"
	echo "lab: everything it started is being removed"
	exit 1
fi
echo "lab: done; everything it started is being removed"
