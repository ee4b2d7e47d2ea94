#!/bin/sh
# The route announcement through BIRD 2: a director (the announcement
# driver and BIRD with etc/bird-lvsd.conf) and a router (BIRD with
# etc/bird-router-ecmp.conf) on a switch, each BIRD with its own
# configuration, control socket and pid file in the test's directory.
# The routes the driver installs reach the router's BIRD over BGP (IPv4
# and IPv6, with BFD) and its kernel (the router then reaches the virtual
# addresses on the director's lo); a change of the set, a withdrawal and
# a restore follow within a second; the director's death (its switch port
# down) takes its routes off the router in BFD's detection time; the
# shipped files check with `bird -p`, the FRR one with `vtysh -C`.
. "$(dirname "$0")/announce/lib.sh"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
command -v bird >/dev/null && command -v birdc >/dev/null || skip "no BIRD 2 (bird2)"

# The shipped files as they are.
bird -p -c "$top_srcdir/etc/bird-lvsd.conf" || fail "etc/bird-lvsd.conf does not parse"
bird -p -c "$top_srcdir/etc/bird-router-ecmp.conf" || fail "etc/bird-router-ecmp.conf does not parse"
if command -v vtysh >/dev/null; then
	vtysh -C -f "$top_srcdir/etc/frr-lvsd.conf" || fail "etc/frr-lvsd.conf does not parse"
fi
pass "etc/bird-lvsd.conf, etc/bird-router-ecmp.conf (and etc/frr-lvsd.conf) parse"

new_ns sw
new_ns d
new_ns r
in_ns sw ip link add br0 type bridge
in_ns sw ip link set br0 up
i=1
for n in r d; do
	in_ns sw ip link add "p$n" type veth peer name eth0 netns "$NS-$n"
	in_ns sw ip link set "p$n" master br0 up
	in_ns $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	in_ns $n ip addr add "10.77.0.$i/24" dev eth0
	in_ns $n ip addr add "fd00:77::$i/64" dev eth0 nodad
	in_ns $n ip link set eth0 up
	i=$((i + 1))
done
in_ns r sysctl -qw net.ipv4.fib_multipath_hash_policy=1

conf() { sh "$(dirname "$0")/announce/birdconf.sh" "$@"; }
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

# Sessions come up in a few seconds (BGP's connect retry).
wait_rib r "10.0.0.100/32 fd00::100/128" 30
n=$(bc r show protocols | grep -c "BGP .* up .*Established")
[ "$n" = 2 ] || fail "expected 2 BGP sessions (IPv4, IPv6), found $n: $(bc r show protocols)"
two_bfd_up() { [ "$(bc r show bfd sessions | grep -c " Up ")" = 2 ]; }
_end=$(($(ms) + 5000))
until two_bfd_up; do
	[ "$(ms)" -lt $_end ] || fail "expected 2 BFD sessions up: $(bc r show bfd sessions)"
	sleep 0.05
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
wait_rib r "10.0.0.100/32 10.0.0.101/32" 2
echo "set change seen by the router's BIRD after $(($(ms) - t0)) ms"
t0=$(ms)
signal drv USR1
wait_rib r "" 2
echo "withdrawal seen by the router's BIRD after $(($(ms) - t0)) ms"
in_ns r ip route show 10.0.0.100 | grep -q . && fail "router's kernel kept the route"
t0=$(ms)
signal drv USR2
wait_rib r "10.0.0.100/32 10.0.0.101/32" 2
echo "restore seen by the router's BIRD after $(($(ms) - t0)) ms"
pass "set change, withdrawal and restore reach the router within 2 s"

# kill -9 of the driver: its routes stay announced (the kernel still
# holds them); its restart removes the stale one from the router too.
kill -9 "$(pid_of drv)"
wait "$(pid_of drv)" 2>/dev/null
printf '10.0.0.100\n' >"$T/vips"
start drv d -t 200 -p 201 -f "$T/vips"
wait_lines drv '^READY' 0 5 || fail "driver did not restart"
wait_rib r "10.0.0.100/32" 2
pass "kill -9 and restart: the stale route leaves the router"

# The director dies (its switch port down: the router sees no link
# change): BFD declares it dead after 3 x 100 ms.
t0=$(ms)
in_ns sw ip link set pd down
wait_rib r "" 3
dt=$(($(ms) - t0))
echo "director's death: its routes left the router after $dt ms (BFD detection 300 ms)"
# Without BFD the router would wait for BGP's hold time (240 s); the
# margin over 300 ms is for a loaded machine (BIRD, birdc polling).
[ $dt -le 1500 ] || fail "routes left after $dt ms, expected within BFD's 300 ms plus 1200 ms"
bc r show bfd sessions | grep -Eq "^10\.77\.0\.2 .* Down " ||
	fail "BFD does not see the director down: $(bc r show bfd sessions)"
t0=$(ms)
in_ns sw ip link set pd up
wait_rib r "10.0.0.100/32" 30
echo "director back on the link: announced again after $(($(ms) - t0)) ms"
pass "director's death: routes withdrawn by BFD; back with the director"
