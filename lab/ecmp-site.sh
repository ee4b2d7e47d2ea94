# ecmp-site.sh - the ECMP lab's site and events (sourced by lab/ecmp.sh,
# after lab/lib.sh).
#
#   client 10.0.1.2 (+ 10.0.1.10-41) --- router 10.0.1.1
#                                         | 10.0.2.1 (front switch)   | 10.0.3.1 (back switch)
#                  d1 10.0.2.11, d2 .12, d3 .13 (eth0)   d1 10.0.3.11 ... (eth1)
#                                                        rs1 10.0.3.21, rs2 .22, rs3 .23
#
# The VIP 10.0.0.100 is on every director's lo (held by lvsd's
# announcement; with --routing-only by the announcement driver)
# and on every real server's lo (direct routing: they answer the client
# through the router, never through a director).

setup_network() {
	local n i
	for n in sw client router $DIRECTORS rs1 rs2 rs3; do ip netns add "$P-$n"; done
	{
		echo "link add brf type bridge"; echo "link set brf up"
		echo "link add brb type bridge"; echo "link set brb up"
		echo "link add r-f type veth peer name eth1 netns $P-router"
		echo "link add r-b type veth peer name eth2 netns $P-router"
		echo "link set r-f master brf up"; echo "link set r-b master brb up"
		for n in $DIRECTORS; do
			echo "link add $n-f type veth peer name eth0 netns $P-$n"
			echo "link add $n-b type veth peer name eth1 netns $P-$n"
			echo "link set $n-f master brf up"; echo "link set $n-b master brb up"
		done
		for i in 1 2 3; do
			echo "link add rs$i-p type veth peer name eth0 netns $P-rs$i"
			echo "link set rs$i-p master brb up"
		done
	} | ip -n "$P-sw" -batch -
	ip -n "$P-router" link add eth0 type veth peer name eth0 netns "$P-client"
	{
		echo "addr add 10.0.1.2/24 dev eth0"
		for ((i = 10; i <= 41; i++)); do echo "addr add 10.0.1.$i/24 dev eth0"; done
		echo "link set lo up"; echo "link set eth0 up"
		echo "route add default via 10.0.1.1"
	} | ip -n "$P-client" -batch -
	ip -n "$P-router" -batch - <<-EOF
		addr add 10.0.1.1/24 dev eth0
		addr add 10.0.2.1/24 dev eth1
		addr add 10.0.3.1/24 dev eth2
		link set lo up
		link set eth0 up
		link set eth1 up
		link set eth2 up
	EOF
	# The layer-4 hash: one client's connections spread over the directors.
	ns router sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
	    net.ipv4.conf.default.rp_filter=0 net.ipv4.fib_multipath_hash_policy=1
	i=0
	for n in $DIRECTORS; do
		i=$((i + 1))
		ip -n "$P-$n" -batch - <<-EOF
			addr add 10.0.2.1$i/24 dev eth0
			addr add 10.0.3.1$i/24 dev eth1
			link set lo up
			link set eth0 up
			link set eth1 up
			route add default via 10.0.2.1
		EOF
		# sloppy_tcp: a director that receives the middle of a flow (the
		# router moved it after a director left) schedules it like a SYN,
		# and `mh` picks the real server the first director picked.
		ns $n sysctl -qw net.ipv4.ip_forward=1 \
		    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		    net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
		# (with IPVS, lvsd sets it: ipvs_sloppy_tcp = 1 in lvs.cf)
	done
	for i in 1 2 3; do
		ip -n "$P-rs$i" -batch - <<-EOF
			addr add 10.0.3.2$i/24 dev eth0
			addr add $VIP/32 dev lo
			link set lo up
			link set eth0 up
			route add default via 10.0.3.1
		EOF
		ns rs$i sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		    net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.all.rp_filter=0 \
		    net.ipv4.conf.default.rp_filter=0
	done
}

write_cf() {
	local i
	{
		cat <<-EOF
		# The ECMP lab's site: one file for every director, all active
		# at once behind the router's ECMP.
		serial_no = 1
		service = lvs
		network = direct
		heartbeat = 0
		# A flow the router moves here mid-way (another director left
		# or came back) is scheduled from its first packet, not reset.
		ipvs_sloppy_tcp = 1
		ipvs_expire_nodest_conn = 1
		# Every virtual address on lo, a route for each one to attract
		# in table 200 (protocol 200), which BIRD exports over BGP.
		announce {
		    table = 200
		    protocol = 200
		    device = lo
		    stop_delay = 2s
		}
		virtual web {
		    active = 1
		    address = $VIP
		    port = http
		    protocol = tcp
		    # Maglev hashing: every director picks the same real server.
		    scheduler = mh
		    # A failing server goes to weight 0 and keeps its place: the
		    # mh table depends on the order of the servers.
		    quiesce_server = 1
		    # mh-fallback: a quiesced server keeps its slots in the table,
		    # and without the flag IPVS refuses the connections hashed to
		    # it ("Connection refused"); mh-port: the client's port is
		    # hashed too (connections spread, not only clients).
		    hash_fallback = 1
		    hash_port = 1
		    check = http
		    check_interval = 500ms
		    check_timeout = 2s
		    timeout = 1
		    reentry = 1
		    # fewer than two servers up as this director sees them:
		    # it withdraws the VIP (the others keep theirs)
		    quorum = 2
		EOF
		for i in 1 2 3; do
			cat <<-EOF
			    server rs$i {
			        address = 10.0.3.2$i
			        weight = 1
			    }
			EOF
		done
		echo "}"
	} >"$W/lvs.cf"
}

bc() { local n=$1; shift; birdc -s "$S/$n-bird.ctl" "$@"; }

# launch_bird NAME SHIPPED DEFINE=VALUE|-BLOCK...: BIRD in namespace NAME
# with the shipped file made concrete; await_bird NAME: until it answers
launch_bird() {
	local n=$1 src=$2
	shift 2
	sh "$BIRDCONF" "$top/etc/$src" "$W/$n-bird.conf" "$W/$n-bird.log" \
	    BFD_MS=$BFD_MS BFD_MULT=$BFD_MULT "+debug protocols { states };" "$@" ||
		fail "BIRD configuration for $n"
	# BFD's timers are BIRD's: like an operator would, run it before the
	# site's bulk work (client, servers, checks) on a busy machine.
	ip netns exec "$P-$n" chrt -f 10 bird -f -c "$W/$n-bird.conf" \
	    -s "$S/$n-bird.ctl" -P "$S/$n-bird.pid" &
	BIRD_PID[$n]=$!
	PIDS+=($!)
}
await_bird() { wait_for 30 bc "$1" show status || fail "BIRD did not start in $1"; }

start_router() {
	: >"$W/router-route.log"
	# Every change of the router's routes, time-stamped (routewatch.py).
	# line-buffered: routewatch.py reads it while it grows
	ip netns exec "$P-router" stdbuf -oL ip -ts monitor route >"$W/router-route.log" 2>&1 &
	PIDS+=($!)
	launch_bird router bird-router-ecmp.conf LOCAL4=10.0.2.1 \
	    DIRECTORS4=10.0.2.0/24 "-protocol bgp directors6"
	await_bird router
}

declare -A BIRD_PID LVSD_PID ANN_PID
ready_dests() { [ "$(ns "$1" ipvsadm -Ln | grep -c -- '->.*Route *1 ')" = 3 ]; }

# launch_lvsd NAME: lvsd (routing only: an HTTP server answering the
# director's name instead); await_lvsd NAME: until IPVS is ready (every
# real server up)
launch_lvsd() {
	local n=$1
	if [ $ROUTING_ONLY = 1 ]; then
		rm -f "$W/ready-$n"
		ip netns exec "$P-$n" $PY "$HTTPD" $n 80 "$W/ready-$n" &
	else
		: >"$W/$n.log"
		ip netns exec "$P-$n" "$LVSD" -n -f "$W/lvs.cf" \
		    --state-dir "$S/$n" --lib-dir "$S/$n-lib" \
		    2> >($PY "$top/lab/stamp.py" >>"$W/$n.log") &
	fi
	LVSD_PID[$n]=$!
	PIDS+=($!)
}
await_lvsd() {
	local n=$1
	if [ $ROUTING_ONLY = 1 ]; then
		wait_for 30 test -e "$W/ready-$n" || fail "HTTP server on $n did not start"
		return
	fi
	wait_for 30 grep -q " ready: " "$W/$n.log" || fail "lvsd on $n did not start: $(cat "$W/$n.log")"
	wait_for 30 ready_dests $n || fail "the real servers did not pass $n's checks"
}

# launch_announce NAME: with --routing-only (no lvsd), the announcement
# driver (vrrp/announce.c, lvsd's module): the VIP on lo, its route in
# table 200
launch_announce() {
	local n=$1
	echo "$VIP" >"$W/$n.vips"
	: >"$W/$n-announce.log"
	ip netns exec "$P-$n" "$ANNOUNCE" -t 200 -p 200 -w 2000 -f "$W/$n.vips" \
	    >"$W/$n-announce.log" 2>&1 &
	ANN_PID[$n]=$!
	PIDS+=($!)
}
await_announce() {
	wait_for 30 grep -q "^READY" "$W/$1-announce.log" || fail "announcement on $1 did not start"
}

# routed NAME: the VIP's route is in NAME's table 200
routed() { ns "$1" ip route show table 200 | grep -q "^$VIP "; }

# start_directors NAME...: on each, at once: links up, lvsd (it announces
# once IPVS forwards and the checks pass); then BIRD.
start_directors() {
	local n
	for n in "$@"; do
		# (a link set down loses the routes through it: the default
		# route comes back with the links)
		printf 'link set eth0 up\nlink set eth1 up\nroute replace default via 10.0.2.1\n' |
		    ip -n "$P-$n" -batch -
		launch_lvsd $n
	done
	for n in "$@"; do await_lvsd $n; done
	if [ $ROUTING_ONLY = 1 ]; then
		for n in "$@"; do launch_announce $n; done
		for n in "$@"; do await_announce $n; done
	else
		for n in "$@"; do wait_for 30 routed $n || fail "lvsd on $n announces no route"; done
	fi
	for n in "$@"; do
		launch_bird $n bird-lvsd.conf LOCAL4=10.0.2.1${n#d} ROUTER4=10.0.2.1 \
		    "-protocol bgp router6"
	done
	for n in "$@"; do await_bird $n; done
}

# paths: how many directors the router's route to the VIP goes through
paths() {
	local r
	r=$(ns router ip route show "$VIP")
	case $r in
	*nexthop*) grep -c nexthop <<<"$r" ;;
	*via*) echo 1 ;;
	*) echo 0 ;;
	esac
}
paths_are() { [ "$(paths)" = "$1" ]; }
# via NAME / not_via NAME: the router's route goes (not) through NAME
# (the other directors' paths may come and go meanwhile: BFD sessions
# lost to a stall of a loaded machine)
via() { ns router ip route show "$VIP" | grep -q "via 10\.0\.2\.1${1#d} "; }
not_via() { ! via "$1"; }
epoch() { date +%s.%N; }
router_ms() { # EPOCH +|-NAME: when the router's route gained (lost) NAME
	$PY "$top/lab/routewatch.py" "$W/router-route.log" "$VIP" "$1" \
	    "${2:0:1}10.0.2.1${2:2}" | cut -d' ' -f1
}

show_site() {
	say "The site"
	run "birdc show route   # on the router"
	bc router show route all "$VIP/32" | sed 's/^/   /'
	run "ip route show $VIP   # on the router: one path per director"
	ns router ip route show "$VIP" | sed 's/^/   /'
	run "ip route show table 200   # on d1: the announcement BIRD exports"
	ns d1 ip route show table 200 | sed 's/^/   /'
	run "ip -o addr show dev lo   # on d1: the VIP, local, announced by no ARP"
	ns d1 ip -o addr show dev lo | awk '{ print "   " $2, $3, $4 }'
	if [ $ROUTING_ONLY = 0 ]; then
		run "ipvsadm -Ln   # on d1 (the same on d2 and d3)"
		ns d1 ipvsadm -Ln | sed 's/^/   /'
	fi
	run "birdc show bfd sessions   # on the router"
	bc router show bfd sessions | sed 's/^/   /'
}

conns() { # DIRECTOR: connections its IPVS service has scheduled so far
	local c
	if [ $ROUTING_ONLY = 1 ]; then	# the director answered them itself
		c=$(grep -c "^$1\$" "$W/spread.out" 2>/dev/null)
		echo "${c:-0}"
		return 0
	fi
	ns "$1" ipvsadm -Ln --stats --exact -t "$VIP:80" | awk '$1 == "TCP" { print $3 }'
}

# spread: 90 new connections from the 32 client addresses: how many each
# director scheduled (its IPVS counters) and each real server answered
spread() {
	local d before=() after i=0 line
	say "Spread: 90 new connections from 32 client addresses"
	rm -f "$W/spread.out"
	for d in $DIRECTORS; do before+=("$(conns $d)"); done
	run "90 requests from the client to $VIP:80"
	ns client $PY "$top/tests/vm/lib/lab-client.py" $VIP 80 90 3 "$CLIENTS" >"$W/spread.out"
	sort "$W/spread.out" | uniq -c | sed 's/^/   /'
	line=""
	for d in $DIRECTORS; do
		after=$(conns $d)
		line+=" $d $((after - before[i]))"
		i=$((i + 1))
	done
	echo "   new connections per director ($([ $ROUTING_ONLY = 1 ] && echo answers || echo "IPVS counters")):$line"
	SPREAD_DIRS=$line
	SPREAD_RS=$(sort "$W/spread.out" | uniq -c | awk '{ printf " %s %s", $2, $1 }')
	grep -q FAIL "$W/spread.out" && problem "requests failed in the spread: $(grep -c FAIL "$W/spread.out")"
	for d in $DIRECTORS; do
		[[ $line == *" $d 0"* ]] && problem "$d scheduled no connection"
	done
}

# mark NAME: the event's start in the probe's clock, for later analysis
mark() { echo "$(now) $(epoch) $1" >>"$W/events.txt"; }

# planned NAME KIND ACTION WAIT: the announcement of NAME is withdrawn or
# restored (ACTION: `lvsctl withdraw` or `restore`; with --routing-only
# the driver's signal, USR1 or USR2), until WAIT NAME (not_via, via)
planned() {
	local n=$1 kind=$2 act=$3 until=$4 t0 e0
	t0=$(now) e0=$(epoch)
	mark "$kind $n"
	if [ $ROUTING_ONLY = 1 ]; then
		run "$kind $n   # the driver's route leaves or rejoins table 200; BIRD follows"
		kill "-$act" "${ANN_PID[$n]}"
	else
		run "lvsctl $act   # on $n: its route leaves or rejoins table 200; BIRD follows"
		"$LVSCTL" --socket "$S/$n/lvsd.sock" "$act" >/dev/null ||
			fail "lvsctl $act on $n failed"
	fi
	wait_for 30 "$until" "$n" || fail "the router's route: $until $n failed after the $kind"
	event "$kind: $n" "$t0" "router_ms=$(router_ms "$e0" "$([ "$until" = via ] && echo +$n || echo -$n)")"
}

# withdrawal NAME: the operator takes a director out and back
withdrawal() {
	planned "$1" withdrawal "$([ $ROUTING_ONLY = 1 ] && echo USR1 || echo withdraw)" not_via
	planned "$1" restore "$([ $ROUTING_ONLY = 1 ] && echo USR2 || echo restore)" via
}

sessions_opened() { [ "$(grep -c '^open\|^FAIL' "$W/sessions.out")" -ge "$1" ]; }

# sessions_open N: N established connections (lab/sessions.py) from the
# client addresses in turn, each mapped to the director whose IPVS
# carries it, into $W/sessions.map ("I CLIENT:PORT SERVER DIRECTOR")
sessions_open() {
	local d
	rm -f "$W/go" "$W/sessions.out"
	ip netns exec "$P-client" $PY "$top/lab/sessions.py" $VIP 80 "$CLIENTS" "$1" \
	    "$W/go" >"$W/sessions.out" &
	PIDS+=($!)
	wait_for 60 sessions_opened "$1" ||
		fail "the established connections did not open: $(cat "$W/sessions.out")"
	grep -q '^FAIL' "$W/sessions.out" && problem "connections failed to open: $(grep '^FAIL' "$W/sessions.out")"
	for d in $DIRECTORS; do ns $d ipvsadm -Lnc >"$W/conns-$d"; done
	# one pass: each director's connections by client end, then the
	# sessions (every exec counts in a guest under emulation)
	awk 'FNR == 1 { d = FILENAME; sub(/.*conns-/, "", d) }
	     FILENAME ~ /conns-/ { if (!($4 in by)) by[$4] = d; next }
	     $1 == "open" && ($3 in by) { print $2, $3, $4, by[$3] }' \
	    "$W"/conns-* "$W/sessions.out" >"$W/sessions.map"
}

# sessions_tally VICTIM: which connections kept their real server
SESS_T=0 SESS_OK=0 SESS_VT=0 SESS_VOK=0
sessions_tally() {
	local v=$1 i end name d second t=0 ok=0 vt=0 vok=0
	while read -r i end name d; do
		second=$(awk -v i="$i" '($1 == "second" || $1 == "FAIL") && $2 == i {
			print ($1 == "FAIL" ? "FAIL:" $4 : $4) }' "$W/sessions.out")
		t=$((t + 1))
		[ "$second" = "$name" ] && ok=$((ok + 1))
		if [ "$d" = "$v" ]; then
			vt=$((vt + 1))
			[ "$second" = "$name" ] && vok=$((vok + 1))
		fi
		[ "$second" = "$name" ] || echo "   connection $end (via $d to $name): second answer ${second:-none}"
	done <"$W/sessions.map"
	echo "   established connections: $vok of $vt through $v kept their real server (all: $ok of $t)"
	SESS_T=$((SESS_T + t)) SESS_OK=$((SESS_OK + ok))
	SESS_VT=$((SESS_VT + vt)) SESS_VOK=$((SESS_VOK + vok))
	[ $ok = $t ] || problem "$((t - ok)) established connections broke when $v died"
}

stop_director_hard() { # NAME: as a machine that dies: every process in it
	local n=$1 pids
	# lvsd's parent, failover and checks processes, BIRD, the driver:
	# found first, killed right after the links go down (a check that
	# fails meanwhile would change the dead director's IPVS weights)
	pids=$(ip netns pids "$P-$n")
	printf 'link set eth0 down\nlink set eth1 down\n' | ip -n "$P-$n" -batch -
	kill -9 $pids 2>/dev/null
	wait "${LVSD_PID[$n]}" "${BIRD_PID[$n]}" ${ANN_PID[$n]:+"${ANN_PID[$n]}"} 2>/dev/null
}

# death NAME [no-return]: the director dies under traffic with
# established connections through every director, then returns
death() {
	local n=$1 t0 e0 r
	if [ $ROUTING_ONLY = 0 ]; then
		sessions_open 12
		echo "   12 established connections, by director: $(awk '{ print $4 }' "$W/sessions.map" | sort | uniq -c | xargs)"
	fi
	t0=$(now) e0=$(epoch)
	mark "death $n"
	run "ip link set eth0|eth1 down; kill -9 <lvsd> <bird> <announcement>   # on $n: it dies"
	stop_director_hard $n
	wait_for 30 not_via $n || fail "the router kept the dead $n's path"
	r=$(router_ms "$e0" -$n)
	echo "   router: $n's path gone after $r ms (BFD detection $BFD_DETECT ms)"
	event "$n dies" "$t0" "router_ms=$r"
	if [ $ROUTING_ONLY = 0 ]; then
		touch "$W/go"
		wait_for 30 grep -q '^done' "$W/sessions.out" || fail "the established connections did not finish"
		sessions_tally $n
	fi
	[ "${2:-}" = no-return ] && return
	t0=$(now) e0=$(epoch)
	mark "return $n"
	run "$n returns: links up, lvsd, the announcement, BIRD"
	start_directors $n
	wait_for 60 via $n || fail "the router did not take $n back"
	event "return: $n" "$t0" "router_ms=$(router_ms "$e0" +$n)"
}

# quorum_loss NAME: NAME alone loses sight of two real servers (they
# drop its checks' answers: a prohibit route to its address on them;
# direct routing's forwarded requests are the client's, untouched), so
# its service falls below the quorum of 2 and it withdraws the VIP while
# the other directors keep announcing it; then the servers come back
quorum_loss() {
	local n=$1 t0 e0 i d a=10.0.3.1${1#d}
	t0=$(now) e0=$(epoch)
	mark "quorum lost $n"
	run "ip route add prohibit $a   # on rs1 and rs2: $n's checks fail, no one else's"
	for i in 1 2; do ip -n "$P-rs$i" route add prohibit "$a/32"; done
	wait_for 30 not_via $n || fail "$n kept its route with one real server up (quorum 2)"
	event "quorum lost: $n" "$t0" "router_ms=$(router_ms "$e0" -$n)"
	run "lvsctl status   # on $n: what it announces and why not"
	"$LVSCTL" --socket "$S/$n/lvsd.sock" status | grep -i -A3 announce | sed 's/^/   /'
	for d in $DIRECTORS; do
		[ $d = $n ] || via $d || problem "$d lost its route when $n lost its quorum"
	done
	t0=$(now) e0=$(epoch)
	mark "quorum back $n"
	run "ip route del prohibit $a   # on rs1 and rs2"
	for i in 1 2; do ip -n "$P-rs$i" route del prohibit "$a/32"; done
	wait_for 30 via $n || fail "$n did not announce again with its quorum back"
	event "quorum back: $n" "$t0" "router_ms=$(router_ms "$e0" +$n)"
}

# clean_stop NAME: lvsd on NAME is stopped (SIGTERM, as systemctl stop
# does): it withdraws the route first, waits stop_delay for the router,
# then removes the rest; then it starts again
clean_stop() {
	local n=$1 t0 e0
	t0=$(now) e0=$(epoch)
	mark "clean stop $n"
	run "kill -TERM <lvsd>   # on $n: systemctl stop"
	kill -TERM "${LVSD_PID[$n]}"
	wait_for 30 not_via $n || fail "the router kept $n's path after its clean stop"
	wait "${LVSD_PID[$n]}" 2>/dev/null
	event "clean stop: $n" "$t0" "router_ms=$(router_ms "$e0" -$n)"
	t0=$(now) e0=$(epoch)
	mark "start $n"
	run "lvsd   # on $n: it starts again and announces once IPVS forwards"
	launch_lvsd $n
	await_lvsd $n
	wait_for 60 via $n || fail "the router did not take $n back after its start"
	event "start: $n" "$t0" "router_ms=$(router_ms "$e0" +$n)"
}

# same_tables: every director lists the real servers in the same order
# (the mh lookup table depends on it)
same_tables() {
	local d first="" t
	for d in $DIRECTORS; do
		t=$(ns $d ipvsadm -Ln -t "$VIP:80" | awk '$1 == "TCP" || $1 == "->" { print $2, $3, $4 }' | xargs)
		[ -n "$first" ] || first=$t
		[ "$t" = "$first" ] || return 1
		[[ $t == *mh-fallback* ]] || return 1
	done
}

report() {
	local r max
	say "Report (ecmp: 3 directors; BFD ${BFD_MS} ms x ${BFD_MULT}: detection ${BFD_DETECT} ms)"
	printf '%-22s %s\n' "event" "client (requests started, failed, outage); router: its route changed after"
	for r in "${REPORT[@]}"; do printf '%-22s %s\n' "${r%%|*}" "${r#*|}"; done
	echo
	$PY "$top/lab/summary.py" "${REPORT[@]}"
	echo
	max=$(printf '%s\n' "${REPORT[@]}" | awk -F'outage_ms=' '/ dies\|/ { split($2, a, " "); if (a[1] > m) m = a[1] } END { print m + 0 }')
	echo "director's death: longest outage $max ms; target BFD detection + 500 ms = $((BFD_DETECT + 500)) ms: $([ "$max" -le $((BFD_DETECT + 500)) ] && echo met || echo missed)"
	if [ $ROUTING_ONLY = 1 ]; then
		echo "spread over the directors (answers):$SPREAD_DIRS"
	else
		echo "connections each director scheduled over the whole run (IPVS counters):$(for d in $DIRECTORS; do printf ' %s %s' $d "$(conns $d)"; done)"
		echo "established connections across a death: $SESS_VOK of $SESS_VT through the dead director kept their real server (all: $SESS_OK of $SESS_T)"
		[ -z "${SPREAD_DIRS:-}" ] ||
			echo "spread over the directors (new connections):$SPREAD_DIRS; over the real servers:$SPREAD_RS"
		if same_tables; then echo "every director: the same scheduler, flags, real servers in the same order and weights (the same mh table): yes"
		else problem "the directors' IPVS services differ (mh tables differ): $(for d in $DIRECTORS; do ns $d ipvsadm -Ln -t "$VIP:80" | xargs; done)"; fi
	fi
	if [ $ROUTING_ONLY = 1 ]; then
		echo "(routing only: a connection the router moves to another director mid-way is reset there: no IPVS, sloppy_tcp and mh to follow it)"
	else
		for r in "${REPORT[@]}"; do
			case $r in
			*"failed=0 "*|*" dies|"*) ;;
			*) problem "requests failed during a planned event: ${r%%|*}" ;;
			esac
		done
	fi
	if [ ${#PROBLEMS[@]} -gt 0 ]; then
		echo "lab: ${#PROBLEMS[@]} problem(s):"; printf '   %s\n' "${PROBLEMS[@]}"
		echo "lab: everything it started is being removed"
		exit 1
	fi
	echo "lab: done; everything it started is being removed"
}
