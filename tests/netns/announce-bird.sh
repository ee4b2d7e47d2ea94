#!/bin/sh
# The route announcement through BIRD 2: a director (the announcement
# driver and BIRD with etc/bird-lvsd.conf) and a router (BIRD with
# etc/bird-router-ecmp.conf) on a switch, each BIRD with its own
# configuration, control socket and pid file in the test's directory.
# The routes the driver installs reach the router's BIRD over BGP (IPv4
# and IPv6, with BFD) and its kernel (the router then reaches the virtual
# addresses on the director's lo); a change of the set, a withdrawal and
# a restore follow within a second; the director's death (its switch port
# down) takes its routes off the router in BFD's detection time.  A second
# director runs FRR with etc/frr-lvsd.conf (zebra, bgpd, bfdd as the frr
# user, sockets in the test's directory): the router merges both
# directors' routes into one ECMP route, and FRR's follows the driver's
# withdrawal and restore.  The shipped files check with `bird -p` and
# `vtysh -C`.
. "$(dirname "$0")/announce/lib.sh"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
command -v bird >/dev/null && command -v birdc >/dev/null || skip "no BIRD 2 (bird2)"
FRR=/usr/lib/frr
[ -x $FRR/zebra ] && [ -x $FRR/bgpd ] && [ -x $FRR/bfdd ] && command -v vtysh >/dev/null ||
	skip "no FRR (frr)"
id frr >/dev/null 2>&1 || skip "no frr user (the frr package makes it)"

# The shipped files as they are.
bird -p -c "$top_srcdir/etc/bird-lvsd.conf" || fail "etc/bird-lvsd.conf does not parse"
bird -p -c "$top_srcdir/etc/bird-router-ecmp.conf" || fail "etc/bird-router-ecmp.conf does not parse"
vtysh -C -f "$top_srcdir/etc/frr-lvsd.conf" || fail "etc/frr-lvsd.conf does not parse"
pass "etc/bird-lvsd.conf, etc/bird-router-ecmp.conf and etc/frr-lvsd.conf parse"

new_ns sw
new_ns d
new_ns r
new_ns f
in_ns sw ip link add br0 type bridge
in_ns sw ip link set br0 up
i=1
for n in r d f; do
	in_ns sw ip link add "p$n" type veth peer name eth0 netns "$NS-$n"
	in_ns sw ip link set "p$n" master br0 up
	in_ns $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	in_ns $n ip addr add "10.77.0.$i/24" dev eth0
	in_ns $n ip addr add "fd00:77::$i/64" dev eth0 nodad
	in_ns $n ip link set eth0 up
	i=$((i + 1))
done
in_ns r sysctl -qw net.ipv4.fib_multipath_hash_policy=1

# BFD slower than shipped (100 ms x 3): on a loaded machine a stall of a
# few hundred milliseconds declares live directors dead.  The claim
# stays: BFD, not BGP's hold time (240 s), takes a dead director's routes.
BFD_MS=200 BFD_MULT=5
BFD_DETECT=$((BFD_MS * BFD_MULT))
conf() { sh "$(dirname "$0")/announce/birdconf.sh" "$@" BFD_MS=$BFD_MS BFD_MULT=$BFD_MULT; }
conf "$top_srcdir/etc/bird-lvsd.conf" "$T/d.conf" "$T/d-bird.log" LVSD_PROTO=201 \
	LOCAL4=10.77.0.2 ROUTER4=10.77.0.1 LOCAL6=fd00:77::2 ROUTER6=fd00:77::1
conf "$top_srcdir/etc/bird-router-ecmp.conf" "$T/r.conf" "$T/r-bird.log" \
	LOCAL4=10.77.0.1 DIRECTORS4=10.77.0.0/24 LOCAL6=fd00:77::1 DIRECTORS6=fd00:77::/64
for n in d r; do
	in_ns $n bird -c "$T/$n.conf" -s "$T/$n.ctl" -P "$T/$n.pid" ||
		fail "BIRD did not start in $n"
	PIDS="$PIDS $(cat "$T/$n.pid")"
done

printf '10.0.0.100\nfd00::100\n' >"$T/vips"
start drv d -t 200 -p 201 -f "$T/vips"
wait_lines drv '^READY' 0 5 || fail "driver did not start"

bc() { _n=$1; shift; birdc -s "$T/$_n.ctl" "$@"; }
# rib NS: the prefixes in that BIRD's tables, sorted, one line
rib() { bc "$1" show route | awk '$2 == "unicast" { print $1 }' | sort | tr '\n' ' ' | sed 's/ $//'; }
# wait_rib NS "PREFIXES" SECONDS: until that BIRD holds exactly these
wait_rib() {
	_end=$(($(date +%s%N) / 1000000 + $3 * 1000))
	while [ "$(rib "$1")" != "$2" ]; do
		[ $(($(date +%s%N) / 1000000)) -lt $_end ] ||
			fail "BIRD in $1: expected '$2', has '$(rib "$1")' after $3 s"
		sleep 0.02
	done
}
ms() { echo $(($(date +%s%N) / 1000000)); }

# Sessions come up in a few seconds (BGP's connect retry); a BFD session
# lost to a stall of a loaded machine comes back after BIRD's error wait.
settled() {
	[ "$(rib r)" = "10.0.0.100/32 fd00::100/128" ] &&
	[ "$(bc r show protocols | grep -c "BGP .* up .*Established")" = 2 ] &&
	[ "$(bc r show bfd sessions | grep -c " Up ")" = 2 ]
}
_end=$(($(ms) + 60000))
until settled; do
	[ "$(ms)" -lt $_end ] || fail "no 2 BGP sessions with BFD and both routes after 60 s: $(bc r show protocols; bc r show bfd sessions; bc r show route)"
	sleep 0.1
done
bc r show route 10.0.0.100/32 all | grep -q "via 10.77.0.2 on eth0" ||
	fail "route not through the director: $(bc r show route all)"
bc r show route 10.0.0.100/32 all | sed 's/^/   /'
in_ns r ip route show 10.0.0.100 | grep -q "via 10.77.0.2 dev eth0 proto bird" ||
	fail "router's kernel lacks the route: $(in_ns r ip route)"
in_ns r ping -c 1 -W 2 10.0.0.100 >/dev/null || fail "router cannot reach 10.0.0.100 on the director's lo"
in_ns r ping -c 1 -W 2 fd00::100 >/dev/null || fail "router cannot reach fd00::100 on the director's lo"
pass "driver's routes exported over BGP with BFD (IPv4, IPv6); router reaches the VIPs"

printf '10.0.0.100\n10.0.0.101\nfd00::100 hold\n' >"$T/vips"
t0=$(ms)
signal drv HUP
wait_rib r "10.0.0.100/32 10.0.0.101/32" 5
echo "set change seen by the router's BIRD after $(($(ms) - t0)) ms"
t0=$(ms)
signal drv USR1
wait_rib r "" 5
echo "withdrawal seen by the router's BIRD after $(($(ms) - t0)) ms"
in_ns r ip route show 10.0.0.100 | grep -q . && fail "router's kernel kept the route"
t0=$(ms)
signal drv USR2
wait_rib r "10.0.0.100/32 10.0.0.101/32" 5
echo "restore seen by the router's BIRD after $(($(ms) - t0)) ms"
# (well before BIRD's scan time, 10 s: it hears the kernel's notifications)
pass "set change, withdrawal and restore reach the router within 5 s"

# kill -9 of the driver: its routes stay announced (the kernel still
# holds them); its restart removes the stale one from the router too.
kill -9 "$(pid_of drv)"
wait "$(pid_of drv)" 2>/dev/null
printf '10.0.0.100\n' >"$T/vips"
start drv d -t 200 -p 201 -f "$T/vips"
wait_lines drv '^READY' 0 5 || fail "driver did not restart"
wait_rib r "10.0.0.100/32" 5
pass "kill -9 and restart: the stale route leaves the router"

# The director dies (its switch port down: the router sees no link
# change): BFD declares it dead after BFD_MULT x BFD_MS.
t0=$(ms)
in_ns sw ip link set pd down
wait_rib r "" 3
dt=$(($(ms) - t0))
echo "director's death: its routes left the router after $dt ms (BFD detection $BFD_DETECT ms)"
# Without BFD the router would wait for BGP's hold time (240 s); the
# margin is for a loaded machine (BIRD, birdc polling; 2.3 s seen at a
# load of 18 on 2 cores).
[ $dt -le $((BFD_DETECT + 3000)) ] ||
	fail "routes left after $dt ms, expected within BFD's $BFD_DETECT ms plus 3 s"
bc r show bfd sessions | grep -Eq "^10\.77\.0\.2 .* Down " ||
	fail "BFD does not see the director down: $(bc r show bfd sessions)"
t0=$(ms)
in_ns sw ip link set pd up
wait_rib r "10.0.0.100/32" 30
echo "director back on the link: announced again after $(($(ms) - t0)) ms"
pass "director's death: routes withdrawn by BFD; back with the director"

# A second director with FRR (IPv4: FRR 8.4 imports no IPv6 table).
F=$T/frr
mkdir "$F"
chown frr:frr "$F"
chmod 711 "$T"		# the frr user reaches its directory
for d in zebra bgpd bfdd; do
	extra=""
	[ $d = bfdd ] && extra="--bfdctl $F/bfdd.sock"
	# shellcheck disable=SC2086
	in_ns f $FRR/$d -d -u frr -g frr -i "$F/$d.pid" -z "$F/zserv.api" \
	    --vty_socket "$F" -A 127.0.0.1 --log "file:$F/$d.log" $extra ||
		fail "FRR's $d did not start"
	PIDS="$PIDS $(cat "$F/$d.pid")"
done
# the shipped file with this lab's addresses (192.0.2.11: this director,
# 192.0.2.1: the router)
sed -e 's/192\.0\.2\.11\b/10.77.0.3/g' -e 's/192\.0\.2\.1\b/10.77.0.1/g' \
	-e "s/-interval 100/-interval $BFD_MS/" -e "s/detect-multiplier 3/detect-multiplier $BFD_MULT/" \
	"$top_srcdir/etc/frr-lvsd.conf" >"$T/frr.conf"
grep -q "detect-multiplier $BFD_MULT" "$T/frr.conf" || fail "BFD timers not set in FRR's file"
in_ns f vtysh --vty_socket "$F" -f "$T/frr.conf" >"$T/vtysh.log" 2>&1 ||
	fail "FRR did not take etc/frr-lvsd.conf: $(cat "$T/vtysh.log")"
printf '10.0.0.100\n' >"$T/fvips"
# -l: the VIP held as a local route: FRR 8.4 would prefer the connected
# route of a VIP address on lo to the imported one, and announce nothing
start fdrv f -l -t 200 -p 200 -f "$T/fvips"
wait_lines fdrv '^READY' 0 5 || fail "driver did not start in f"
# router_paths: the next hops of the router's kernel route to 10.0.0.100
router_paths() { in_ns r ip route show 10.0.0.100 | grep -o 'via 10\.77\.0\.[0-9]*' | sort | xargs; }
wait_paths() {
	_end=$(($(ms) + $2 * 1000))
	while [ "$(router_paths)" != "$1" ]; do
		[ "$(ms)" -lt $_end ] || { echo "router's route: expected '$1', has '$(router_paths)' after $2 s"; return 1; }
		sleep 0.05
	done
}
vt() { in_ns f vtysh --vty_socket "$F" "$@"; }
wait_paths "via 10.77.0.2 via 10.77.0.3" 60 || true
[ "$(router_paths)" = "via 10.77.0.2 via 10.77.0.3" ] || {
	vt -c "show bgp neighbors 10.77.0.1" -c "show ip route" -c "show bgp ipv4 unicast" -c "show bfd peers"
	bc r show protocols all
	fail "FRR's route did not reach the router"
}
in_ns r ip route show 10.0.0.100 | sed 's/^/   /'
# the BFD session may come up after the route (BGP does not wait for it)
bfd_up() { in_ns f vtysh --vty_socket "$F" -c "show bfd peers brief" | grep -q "10.77.0.1 .*up"; }
i=0
while ! bfd_up && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
bfd_up ||
	fail "FRR's BFD session is not up: $(in_ns f vtysh --vty_socket "$F" -c 'show bfd peers brief')"
pass "FRR director (etc/frr-lvsd.conf): its route and BIRD's director's merged into one ECMP route, BFD up"
t0=$(ms)
signal fdrv USR1
wait_paths "via 10.77.0.2" 5 || fail "FRR's withdrawal did not reach the router"
echo "FRR: withdrawal seen by the router after $(($(ms) - t0)) ms"
signal fdrv USR2
wait_paths "via 10.77.0.2 via 10.77.0.3" 5 || fail "FRR's restore did not reach the router"
pass "FRR director: withdrawal and restore reach the router"
