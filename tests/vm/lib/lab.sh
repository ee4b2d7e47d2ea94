# lab.sh - IPVS data-path lab for tests/vm cases (bash; source it after
# assert.sh). Everything lives in network namespaces inside the VM.
#
#   ns client 10.0.1.2 --veth-- 10.0.1.1 [case ns = plain router]
#                                 10.0.2.1 lab-bf     10.0.3.254 lab-bb
#                                   |                   |      |      |
#               ns director eth0 10.0.2.2   eth1 10.0.3.1      |      |
#               (IPVS; VIP 10.0.0.100 on eth0)   rs1 10.0.3.11  rs2 10.0.3.12 ...
#
# The router (the namespace the runner gave the case) sends VIP traffic to
# the director (route VIP/32 via 10.0.2.2).
#   nat: the real servers' default route is the director (10.0.3.1), so
#        replies pass through it and get de-NATed (seed 000's layout).
#   dr:  the real servers hold the VIP on lo with arp_ignore=1 and
#        arp_announce=2 and reply straight to the router (10.0.3.254),
#        bypassing the director (seed 003's layout).
# Each real server runs lab-httpd.py on LAB_RS_PORT answering its own name
# (rs1, rs2, ...).
#
# Typical case:
#   lab_setup nat 2                   # topology, servers, NAT routing
#   lab_program lab_program_ipvsadm rr   # or: lab_program my_lvsd_starter
#   lab_expect_rr 20                  # 20 requests, answered in rotation
#   lab_mode dr                       # switch the real servers to DR
#
# lab_program FUNC [ARGS...] calls FUNC in the case's shell with the lab's
# variables set (see below); FUNC programs the director, e.g. with
# `lab_in director ipvsadm ...`, or by starting lvsd in the director's
# namespace: `lab_bg director "$top_builddir/lvsd" -n -f "$cf" ...` with a
# file from lab_write_lvs_cf. That one argument is all a case changes to
# move from ipvsadm to lvsd.
#
# Variables (set by lab_setup, read-only for cases):
#   LAB_MODE nat|dr, LAB_VIP, LAB_PORT (service port), LAB_RS_PORT,
#   LAB_NRS, LAB_RS_IPS (array), LAB_RS_NAMES (array), LAB_DIRECTOR_IP
#   (10.0.2.2, the director's public address), LAB_DIRECTOR_RIP
#   (10.0.3.1), LAB_CLIENT_IP, LAB_FWD (-m for nat, -g for dr), LAB_WORK
#   (scratch dir), LAB_NS_PREFIX.
# Knobs (set before lab_setup): LAB_DIRECTOR_VIP=0 leaves the VIP off the
# director (for a daemon that adds it itself), LAB_RS_PORT (default 80).

LAB_VIP=10.0.0.100
LAB_PORT=80
LAB_DIRECTOR_IP=10.0.2.2
LAB_DIRECTOR_RIP=10.0.3.1
LAB_CLIENT_IP=10.0.1.2
LAB_ROUTER_BACK=10.0.3.254
LAB_PIDS=()
LAB_NS_PREFIX=${LAB_NS_PREFIX:-lab$$}
: "${VM_LIB:=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
LAB_PYTHON=/usr/bin/python3
[ -x "$LAB_PYTHON" ] || LAB_PYTHON=python3
# -S: no site module; halves the interpreter's start under TCG (~0.4 s)
LAB_PYFLAGS="-S -E"

lab_ns() { # ROLE -> namespace name
	echo "$LAB_NS_PREFIX-$1"
}

# lab_in ROLE CMD...: run CMD in a lab namespace (client, director, rs1..)
lab_in() {
	local role=$1
	shift
	ip netns exec "$LAB_NS_PREFIX-$role" "$@"
}

# lab_bg ROLE CMD...: start CMD in the background in a lab namespace; it is
# killed by lab_cleanup. Sets LAB_LAST_PID.
lab_bg() {
	local role=$1
	shift
	ip netns exec "$LAB_NS_PREFIX-$role" "$@" &
	LAB_LAST_PID=$!
	LAB_PIDS+=("$LAB_LAST_PID")
}

lab_cleanup() {
	local p ns line
	for p in "${LAB_PIDS[@]+"${LAB_PIDS[@]}"}"; do kill "$p" 2>/dev/null; done
	for p in "${LAB_PIDS[@]+"${LAB_PIDS[@]}"}"; do wait "$p" 2>/dev/null; done
	LAB_PIDS=()
	while read -r ns line; do
		case $ns in "$LAB_NS_PREFIX"-*) ip netns del "$ns" 2>/dev/null ;; esac
	done < <(ip netns list 2>/dev/null)
	[ -n "${LAB_WORK:-}" ] && rm -rf "$LAB_WORK"
	LAB_WORK=
}

# lab_ip ROLE: run `ip -batch` commands from stdin in a lab namespace
# ("" = the router). Setup is batched because every exec costs ~0.2 s
# under TCG.
lab_ip() {
	if [ -n "$1" ]; then
		ip -n "$LAB_NS_PREFIX-$1" -batch - || fail "ip -n $1 -batch failed"
	else
		ip -batch - || fail "ip -batch failed"
	fi
}

# lab_sysctl ROLE KEY=VALUE...: set sysctls in a lab namespace in one exec
lab_sysctl() {
	local role=$1
	shift
	lab_in "$role" sysctl -qw "$@" >/dev/null || fail "sysctl $* in $role"
}

# lab_setup MODE [NRS]: build the lab (MODE nat|dr, NRS 2 or 3 real servers)
# and install an EXIT trap that removes it.
lab_setup() {
	local mode=${1:-nat} n=${2:-2} i role rs
	require_cmd ip ipvsadm sysctl "$LAB_PYTHON"
	[ "$n" -ge 1 ] && [ "$n" -le 9 ] || fail "lab_setup: 1..9 real servers"
	LAB_NRS=$n
	LAB_RS_PORT=${LAB_RS_PORT:-80}
	LAB_RS_NAMES=()
	LAB_RS_IPS=()
	for ((i = 1; i <= n; i++)); do
		LAB_RS_NAMES+=("rs$i")
		LAB_RS_IPS+=("10.0.3.1$i")
	done
	LAB_WORK=$(mktemp -d /tmp/lab.XXXXXX)
	trap lab_cleanup EXIT

	# the router is the case's own namespace: write its sysctls directly
	local k
	for k in ipv4/ip_forward ipv4/conf/all/rp_filter ipv4/conf/default/rp_filter; do
		case $k in *forward) echo 1 ;; *) echo 0 ;; esac >/proc/sys/net/$k ||
			fail "sysctl $k"
	done
	for role in client director "${LAB_RS_NAMES[@]}"; do
		ip netns add "$(lab_ns "$role")" || fail "ip netns add $(lab_ns "$role")"
	done
	{
		echo "link set lo up"
		echo "link add lab-bf type bridge"
		echo "link set lab-bf up"
		echo "link add lab-bb type bridge"
		echo "link set lab-bb up"
		echo "addr add 10.0.2.1/24 dev lab-bf"
		echo "addr add $LAB_ROUTER_BACK/24 dev lab-bb"
		echo "link add lab-c1 type veth peer name eth0 netns $(lab_ns client)"
		echo "addr add 10.0.1.1/24 dev lab-c1"
		echo "link set lab-c1 up"
		echo "link add lab-lf type veth peer name eth0 netns $(lab_ns director)"
		echo "link add lab-lb type veth peer name eth1 netns $(lab_ns director)"
		echo "link set lab-lf master lab-bf up"
		echo "link set lab-lb master lab-bb up"
		for ((i = 1; i <= n; i++)); do
			echo "link add lab-r$i type veth peer name eth0 netns $(lab_ns rs$i)"
			echo "link set lab-r$i master lab-bb up"
		done
	} | lab_ip "" || exit 1
	lab_ip client <<-EOF
		link set lo up
		addr add $LAB_CLIENT_IP/24 dev eth0
		link set eth0 up
		route add default via 10.0.1.1
	EOF
	{
		echo "link set lo up"
		echo "addr add $LAB_DIRECTOR_IP/24 dev eth0"
		echo "addr add $LAB_DIRECTOR_RIP/24 dev eth1"
		[ "${LAB_DIRECTOR_VIP:-1}" = 1 ] && echo "addr add $LAB_VIP/32 dev eth0 label eth0:1"
		echo "link set eth0 up"
		echo "link set eth1 up"
		echo "route add default via 10.0.2.1"
	} | lab_ip director || exit 1
	# one-armed NAT replies must not trigger ICMP redirects
	lab_sysctl director net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.eth1.send_redirects=0
	echo "route add $LAB_VIP/32 via $LAB_DIRECTOR_IP" | lab_ip "" || exit 1
	for ((i = 1; i <= n; i++)); do
		rs=rs$i
		lab_ip $rs <<-EOF
			link set lo up
			addr add 10.0.3.1$i/24 dev eth0
			link set eth0 up
		EOF
		lab_bg $rs "$LAB_PYTHON" $LAB_PYFLAGS "$VM_LIB/lab-httpd.py" $rs "$LAB_RS_PORT" "$LAB_WORK/ready-$rs"
	done
	lab_mode "$mode"
	for rs in "${LAB_RS_NAMES[@]}"; do
		wait_until 30 test -e "$LAB_WORK/ready-$rs" || fail "HTTP server on $rs did not start"
	done
}

# lab_mode nat|dr: set the real servers up for that forwarding method
lab_mode() {
	local rs gw ai=0 aa=0
	case $1 in
	nat) LAB_FWD=-m gw=$LAB_DIRECTOR_RIP ;;
	dr) LAB_FWD=-g gw=$LAB_ROUTER_BACK ai=1 aa=2 ;;
	*) fail "lab_mode: nat or dr, not '$1'" ;;
	esac
	LAB_MODE=$1
	for rs in "${LAB_RS_NAMES[@]}"; do
		{
			echo "route replace default via $gw"
			if [ "$1" = dr ]; then
				echo "addr replace $LAB_VIP/32 dev lo"
			else
				echo "addr flush dev lo to $LAB_VIP/32"
			fi
		} | lab_ip $rs || exit 1
		lab_sysctl $rs net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
			net.ipv4.conf.all.arp_ignore=$ai net.ipv4.conf.all.arp_announce=$aa
	done
}

# lab_tx_packets ROLE DEV: packets DEV in that namespace has sent so far
lab_tx_packets() {
	local line next=0
	while read -r line; do
		if [ $next = 1 ]; then
			set -- $line
			echo "$2"
			return 0
		fi
		case $line in TX:*) next=1 ;; esac
	done < <(ip -n "$LAB_NS_PREFIX-$1" -s link show dev "$2")
	return 1
}

# lab_program FUNC [ARGS...]: program the director (see the header)
lab_program() {
	"$@" || fail "programming the director with '$*' failed"
}

# lab_program_ipvsadm [SCHEDULER]: the reference programmer: one TCP
# service VIP:80 with every real server, forwarding method of LAB_MODE,
# weight 1
lab_program_ipvsadm() {
	local sched=${1:-rr} ip
	{
		echo "-A -t $LAB_VIP:$LAB_PORT -s $sched"
		for ip in "${LAB_RS_IPS[@]}"; do
			echo "-a -t $LAB_VIP:$LAB_PORT -r $ip:$LAB_RS_PORT $LAB_FWD -w 1"
		done
	} >"$LAB_WORK/ipvsadm.rules"
	lab_in director ipvsadm -C || return 1
	lab_in director ipvsadm -R <"$LAB_WORK/ipvsadm.rules"
}

# lab_write_lvs_cf FILE [SCHEDULER]: a piranha lvs.cf describing what
# lab_program_ipvsadm programs (network = nat|direct after LAB_MODE), for
# cases where lvsd programs the director
lab_write_lvs_cf() {
	local f=$1 sched=${2:-rr} i
	{
		echo "serial_no = 1"
		echo "primary = $LAB_DIRECTOR_IP"
		echo "service = lvs"
		if [ "$LAB_MODE" = nat ]; then
			echo "network = nat"
			echo "nat_router = $LAB_DIRECTOR_RIP eth1:1"
		else
			echo "network = direct"
		fi
		echo "virtual web {"
		echo "    active = 1"
		echo "    address = $LAB_VIP eth0:1"
		echo "    vip_nmask = 255.255.255.255"
		echo "    port = $LAB_PORT"
		echo "    protocol = tcp"
		echo "    scheduler = $sched"
		for ((i = 0; i < LAB_NRS; i++)); do
			echo "    server ${LAB_RS_NAMES[$i]} {"
			echo "        address = ${LAB_RS_IPS[$i]}"
			echo "        port = $LAB_RS_PORT"
			echo "        active = 1"
			echo "        weight = 1"
			echo "    }"
		done
		echo "}"
	} >"$f"
}

# lab_requests N [PORT]: N HTTP requests from the client to VIP:PORT, one
# line per request: the answering server's name, or FAIL(reason)
lab_requests() {
	lab_in client "$LAB_PYTHON" $LAB_PYFLAGS "$VM_LIB/lab-client.py" $LAB_VIP "${2:-$LAB_PORT}" "$1" 3
}

# lab_expect_rr N [PORT]: N requests are all answered, by every real server,
# in strict rotation (what rr with equal weights does)
lab_expect_rr() {
	local n=$1 out i k=$LAB_NRS
	local -a a
	out=$(lab_requests "$n" "${2:-}")
	mapfile -t a <<<"$out"
	note "$LAB_MODE: $(echo $out)"
	[ ${#a[@]} -eq "$n" ] || fail "$LAB_MODE: $n requests, ${#a[@]} answers"
	for ((i = 0; i < n; i++)); do
		case " ${LAB_RS_NAMES[*]} " in
		*" ${a[$i]} "*) ;;
		*) fail "$LAB_MODE: request $((i + 1)) got '${a[$i]}': $(echo $out)" ;;
		esac
		if [ $i -ge $k ] && [ "${a[$i]}" != "${a[$((i - k))]}" ]; then
			fail "$LAB_MODE: answers do not rotate over $k servers: $(echo $out)"
		fi
	done
	local -A seen=()
	for ((i = 0; i < k && i < n; i++)); do seen[${a[$i]}]=1; done
	[ ${#seen[@]} -eq "$k" ] || fail "$LAB_MODE: not every server answered: $(echo $out)"
}
