#!/bin/bash
# Direct routing, real servers set up wrongly and then by lvs-realserver,
# on a segment in namespaces (no IPVS needed: lvsd runs --ipvs-dry-run).
#  - lvsd's ARP watch names the real server that answers ARP (and the one
#    that answers neighbour solicitations) for a VIP, with its MAC, and
#    none that does not;
#  - `lvs-realserver show` says what is wrong; `apply` sets the host up
#    (ARP sysctls before the VIP), again changes nothing; lvsd then logs
#    that the server is quiet;
#  - `persist --root` writes the sysctl.d file and the unit;
#  - `undo` restores every sysctl and address exactly and removes the
#    files.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
LVSD=$top_builddir/lvsd
RS=$top_builddir/lvs-realserver
P=rsn$$
T=$(mktemp -d /tmp/realserver.XXXXXX)
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }
cleanup() {
	[ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null
	for n in sw d rs1 rs2; do ip netns del "$P-$n" 2>/dev/null; done
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
ns() { local n=$1; shift; ip netns exec "$P-$n" "$@"; }
# wait_log SECONDS REGEX: until lvsd's log matches
wait_log() {
	local i=0
	until grep -q "$2" "$T/lvsd.log"; do
		[ $i -ge $(($1 * 10)) ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

ip netns add "$P-sw" || { echo "SKIP: cannot create a namespace"; exit 77; }
for n in d rs1 rs2; do ip netns add "$P-$n"; done
ip -n "$P-sw" link add br0 type bridge
ip -n "$P-sw" link set br0 up
i=1
for n in d rs1 rs2; do
	ip -n "$P-sw" link add "v-$n" type veth peer name eth0 netns "$P-$n"
	ip -n "$P-sw" link set "v-$n" master br0 up
	ip -n "$P-$n" addr add 10.9.0.$i/24 dev eth0
	ip -n "$P-$n" addr add fd09::$i/64 dev eth0 nodad
	ip -n "$P-$n" link set eth0 up
	ip -n "$P-$n" link set lo up
	i=$((i + 1))
done
cat >"$T/lvs.cf" <<'CF'
primary = 10.9.0.1
network = direct
virtual web {
    address = 10.9.0.100 eth0:1
    port = 80
    check = none
    server Real1 {
        address = 10.9.0.2
    }
    server Real2 {
        address = 10.9.0.3
    }
}
virtual web6 {
    address = fd09::100
    port = 80
    check = none
    server Real1 {
        address = fd09::2
    }
    server Real2 {
        address = fd09::3
    }
}
CF
# rs1 as many are set up by hand: the VIPs, without the ARP settings (and
# the IPv6 VIP on eth0); rs2 not at all.  A setting to keep: eth0's
# arp_announce is 1 on rs2.
ns rs1 ip addr add 10.9.0.100/32 dev lo
ns rs1 ip addr add fd09::100/128 dev eth0 nodad
ns rs2 sysctl -qw net.ipv4.conf.eth0.arp_announce=1
snapshot() { # NS: the sysctls and addresses lvs-realserver may touch
	ns "$1" sysctl -a 2>/dev/null | grep -E 'arp_(ignore|announce)|rp_filter' | sort
	ns "$1" ip -o addr show | awk '{ print $2, $3, $4 }'
}
for n in rs1 rs2; do snapshot $n >"$T/$n.before"; done
rs1_mac=$(ns rs1 cat /sys/class/net/eth0/address)

: >"$T/lvsd.log"
# Not through ns(): $! must be lvsd itself, not a subshell.
ip netns exec "$P-d" "$LVSD" -n -f "$T/lvs.cf" --ipvs-dry-run \
	--state-dir "$T/run" --lib-dir "$T/lib" 2>>"$T/lvsd.log" &
PID=$!
check "lvsd names the real server answering ARP for the VIP, with its MAC" \
	"wait_log 10 'warning: web/Real1 (10.9.0.2, MAC $rs1_mac) answers ARP for VIP 10.9.0.100: it will steal traffic; run lvs-realserver on it'"
check "... and the one answering neighbour solicitations for the IPv6 VIP" \
	"wait_log 5 'warning: web6/Real1 (fd09::2, MAC $rs1_mac) answers neighbour solicitations for VIP fd09::100'"
check "... and no other" "[ \$(grep -c 'answers' '$T/lvsd.log') = 2 ]"

rs() { local n=$1; shift; ns "$n" "$RS" -f "$T/lvs.cf" --state "$T/$n.state" --root "$T/$n-root" "$@"; }
rs rs1 show >"$T/show" 2>&1
check "show on rs1: exit 1, what is wrong now" \
	"[ $? = 1 ] && grep -q '^now: this host answers ARP for 10.9.0.100 on eth0 (arp_ignore 0): it draws' '$T/show'"
check "show on rs1: the IPv6 VIP on eth0 is a problem apply leaves" \
	"grep -q '^problem: fd09::100 is also on eth0: this host answers neighbour solicitations for it there whatever arp_ignore says; remove it (ip addr del fd09::100/128 dev eth0)' '$T/show'"
check "show on rs1: the settings to change" \
	"grep -q '^  change  net.ipv4.conf.all.arp_ignore = 1 (now 0)$' '$T/show' && grep -q '^  ok      10.9.0.100/32 on lo$' '$T/show'"
ns rs1 ip addr del fd09::100/128 dev eth0
sed -i '/fd09::100/d' "$T/rs1.before"	# the operator's own fix

rs rs1 apply >"$T/apply1" 2>&1
check "apply on rs1: exit 0, ARP settings set, the VIP already there" \
	"[ $? = 0 ] && grep -q '^set net.ipv4.conf.eth0.arp_ignore = 1 (was 0)$' '$T/apply1' && ! grep -q 'added 10.9.0.100' '$T/apply1'"
rs rs2 apply >"$T/apply2" 2>&1
check "apply on rs2: the ARP settings before the VIPs" \
	"[ $? = 0 ] && awk '/^set net.ipv4.conf.all.arp_ignore/ { s = NR } /^added 10.9.0.100\/32 to lo/ { a = NR } END { exit !(s && a > s) }' '$T/apply2'"
check "apply on rs2: the IPv6 VIP on lo as /128" \
	"ns rs2 ip -o addr show dev lo | grep -q 'inet6 fd09::100/128'"
check "apply again: nothing to change" \
	"rs rs2 apply | grep -q '^lvs-realserver: nothing to change: this host is set up for its VIPs$'"
check "show after apply: exit 0" "rs rs2 show >/dev/null"

kill -HUP "$PID"	# a round at once, not in 10 s
check "lvsd: rs1 no longer answers ARP" \
	"wait_log 10 '^web/Real1 (10.9.0.2) no longer answers ARP for VIP 10.9.0.100$'"
check "lvsd: nor neighbour solicitations" \
	"wait_log 5 '^web6/Real1 (fd09::2) no longer answers neighbour solicitations for VIP fd09::100$'"
check "lvsd: still no warning about rs2" "! grep -q 'Real2.*answers' '$T/lvsd.log'"
check "lvsd: reloaded (the rounds restart with it; the file is unchanged)" "grep -q '^reload: .* unchanged (' '$T/lvsd.log'"
kill -TERM "$PID"
wait "$PID"
PID=

rs rs2 persist >"$T/persist" 2>&1
check "persist: the sysctl.d file" \
	"grep -qx 'net.ipv4.conf.all.arp_ignore = 1' '$T/rs2-root/etc/sysctl.d/60-lvs-realserver.conf' && grep -qx -- '-net.ipv4.conf.eth0.arp_announce = 2' '$T/rs2-root/etc/sysctl.d/60-lvs-realserver.conf'"
check "persist: the unit applies the VIPs themselves at boot" \
	"grep -q '^ExecStart=/.*/lvs-realserver apply --state $T/rs2.state --interface eth0 --mode dr 10.9.0.100 fd09::100$' '$T/rs2-root/etc/systemd/system/lvs-realserver.service'"
check "persist: the unit is enabled" \
	"[ -L '$T/rs2-root/etc/systemd/system/multi-user.target.wants/lvs-realserver.service' ]"

for n in rs1 rs2; do rs $n undo >"$T/undo-$n" 2>&1 || no "undo on $n: exit 0"; done
check "undo on rs2: removed the files persist wrote" \
	"[ ! -e '$T/rs2-root/etc/sysctl.d/60-lvs-realserver.conf' ] && [ ! -e '$T/rs2-root/etc/systemd/system/lvs-realserver.service' ] && [ ! -L '$T/rs2-root/etc/systemd/system/multi-user.target.wants/lvs-realserver.service' ]"
for n in rs1 rs2; do
	snapshot $n >"$T/$n.after"
	check "undo on $n: every sysctl and address as before apply" \
		"diff '$T/$n.before' '$T/$n.after'"
done
check "undo again: nothing recorded" \
	"rs rs1 undo | grep -q '^lvs-realserver: nothing recorded to undo'"
check "a broken record is refused with its place" \
	"echo 'addr x lo 10.9.0.300/32' >'$T/bad.state'; ns rs1 '$RS' --state '$T/bad.state' undo 2>&1 | grep -q '^lvs-realserver: $T/bad.state:1:11: error: bad addr record'"
check "a host the file does not list: exit 6, says why" \
	"ns d '$RS' -f '$T/lvs.cf' --state '$T/d.state' show >'$T/d.out' 2>&1; [ \$? = 6 ] && grep -q 'none of this host.s addresses (10.9.0.1, fd09::1) is a direct-routing or tunnel real server there' '$T/d.out'"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
