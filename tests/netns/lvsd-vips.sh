#!/bin/sh
# A lone director's virtual addresses, added and removed in batches
# (vrrp/vip.c, vrrp/rtaddr.c): 300 IPv4 addresses with their labels, and
# one IPv6 address on an interface where IPv6 is disabled, which the
# kernel refuses.  `ip addr` shows every IPv4 address with its label after
# the start, the refusal is named (address, device, reason) while the rest
# are in place, a reload to 120 of them removes the other 180, and a stop
# removes them all.  lvsd runs with --ipvs-dry-run (no IPVS on the host).
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
LVSD=$top_builddir/lvsd
LVSCTL=$top_builddir/lvsctl
NS=lvvip$$
T=$(mktemp -d /tmp/lvsd-vips.XXXXXX)
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }
cleanup() {
	[ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
ip netns add "$NS" || { echo "SKIP: cannot create a namespace"; exit 77; }
ip -n "$NS" -batch - <<EOF || { echo "FAIL: cannot set up $NS"; exit 1; }
link set lo up
link add eth0 type veth peer name eth9
link add eth1 type veth peer name eth8
link set eth0 up
link set eth9 up
link set eth8 up
addr add 10.5.0.2/24 dev eth0
EOF
ip netns exec "$NS" sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
ip -n "$NS" link set eth1 up

# lvs.cf with virtuals 1..$1 (10.6.x.y eth0:N) and the IPv6 one on eth1
write_cf() {
	{
		echo "primary = 10.5.0.2"
		i=1
		while [ $i -le "$1" ]; do
			printf 'virtual v%d {\n    address = 10.6.%d.%d eth0:%d\n' \
				$i $((i / 250)) $((i % 250 + 1)) $i
			printf '    port = 80\n    check = none\n'
			printf '    server a {\n        address = 10.5.0.11\n    }\n}\n'
			i=$((i + 1))
		done
		printf 'virtual six {\n    address = 2001:db8::100 eth1\n    port = 80\n'
		printf '    check = none\n    server a {\n        address = 2001:db8::11\n    }\n}\n'
	} >"$T/lvs.cf"
}
# the 10.6.* addresses of eth0 as "ADDR/PLEN LABEL", sorted
have() {
	ip -n "$NS" -4 addr show dev eth0 |
		awk '$1 == "inet" && $2 ~ /^10\.6\./ { print $2, $NF }' | LC_ALL=C sort
}
want() {
	i=1
	while [ $i -le "$1" ]; do
		echo "10.6.$((i / 250)).$((i % 250 + 1))/32 eth0:$i"
		i=$((i + 1))
	done | LC_ALL=C sort
}

write_cf 300
: >"$T/lvsd.log"
ip netns exec "$NS" "$LVSD" -n -f "$T/lvs.cf" --ipvs-dry-run \
	--state-dir "$T/run" --lib-dir "$T/lib" 2>>"$T/lvsd.log" &
PID=$!
i=0
while ! grep -q " ready: " "$T/lvsd.log" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
check "lvsd ready" 'grep -q " ready: " "$T/lvsd.log"'
check "300 addresses on eth0, each with its label" '[ "$(have)" = "$(want 300)" ]'
check "the refused address is named with the kernel's reason" \
	'grep -q "cannot add 2001:db8::100/128 to eth1: Permission denied" "$T/lvsd.log"'
check "the director says not every address could be added" \
	'grep -q "not every virtual address could be added" "$T/lvsd.log"'
check "no other address was refused" '[ "$(grep -c "cannot add" "$T/lvsd.log")" = 1 ]'
check "no IPv6 address on eth1" \
	'[ -z "$(ip -n "$NS" -6 -o addr show dev eth1 | grep 2001:db8)" ]'

write_cf 120
export LVSCTL_SOCKET="$T/run/lvsd.sock"
"$LVSCTL" reload >"$T/reload.out" 2>&1
rc=$?
check "reload to 120 virtuals applied" '[ $rc -eq 0 ]'
check "180 addresses removed, 120 kept with their labels" '[ "$(have)" = "$(want 120)" ]'

kill -TERM "$PID"
wait "$PID"
rc=$?
check "lvsd stopped cleanly" '[ $rc -eq 0 ]'
PID=
check "no virtual address left after the stop" '[ -z "$(have)" ]'
check "the director's own address stays" \
	'ip -n "$NS" -4 -o addr show dev eth0 | grep -q "10.5.0.2/24"'

echo "# $pass passed, $fail failed"
if [ $fail -gt 0 ]; then
	grep -v "dry-run" "$T/lvsd.log" | tail -40
	exit 1
fi
exit 0
