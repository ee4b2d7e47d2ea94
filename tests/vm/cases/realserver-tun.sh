#!/bin/bash
# realserver-tun: lvs-realserver on a tunnelled real server, against the
# real kernel.  From lvs.cf: GUE to one VIP, IPIP to another, an IPv6 VIP
# in IPv4 (sit0).  show says what is wrong; apply brings tunl0 and sit0
# up, opens the GUE listener, relaxes the strict rp_filter on tunl0 and
# puts the IPv4 VIPs there; again changes nothing; persist writes a unit
# with the same VIPs; undo restores every sysctl, address, link state and
# listener exactly.  (The data path itself: lab-tun.)
set -u
. "$VM_LIB/assert.sh"
require_cmd ip sysctl
RS=$top_builddir/lvs-realserver
# The modules stay loaded after undo (their catch-all devices, down): load
# them first so the snapshots compare like with like.
for m in ipip sit fou; do modprobe $m || fail "modprobe $m"; done
ip -batch - <<'EOF' || fail "setup"
link add eth0 type veth peer name eth9
addr add 10.5.0.11/24 dev eth0
link set eth0 up
link set eth9 up
EOF
sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.eth0.arp_announce=1 || fail "sysctl"
cat >lvs.cf <<'CF'
primary = 10.5.0.1
network = tunnel
virtual web {
    address = 192.0.2.80
    port = 80
    server rs1 {
        address = 10.5.0.11
        tunnel_type = gue
        tunnel_port = 6080
    }
}
virtual ssh {
    address = 192.0.2.81
    port = 22
    server rs1 {
        address = 10.5.0.11
    }
}
virtual six {
    address = 2001:db8::80
    port = 80
    server rs1 {
        address = 10.5.0.11
    }
}
CF
snapshot() {
	sysctl -a 2>/dev/null | grep -E 'arp_(ignore|announce)|rp_filter' | sort
	ip -o addr show | awk '{ print $2, $3, $4 }'
	ip -o link show | awk '{ print $2, $3 }'
	ip fou show
}
before=$(snapshot)
rs() { "$RS" -f lvs.cf --state "$PWD/state" --root "$PWD/root" "$@"; }

out=$(rs show)
expect_eq 1 $? "show's exit status before apply"
expect_match '^now: nothing listens for GUE on UDP port 6080: GUE packets for 192.0.2.80 are refused$' "$out"
expect_match '^now: strict rp_filter on tunl0 drops the unwrapped packets for 192.0.2.81$' "$out"
expect_match '^  change  192.0.2.80/32 on tunl0 \(missing\)$' "$out"

out=$(rs apply 2>&1) || fail "apply: $out"
expect_match '^opened the GUE listener on UDP port 6080$' "$out"
expect_match '^set net.ipv4.conf.tunl0.rp_filter = 2 \(was 0\)$' "$out"
expect_match 'gue' "$(ip fou show)"
expect_match '6080' "$(ip fou show)"
expect_match 'tunl0.*[<,]UP[,>]' "$(ip -o link show tunl0)"
expect_match 'sit0.*[<,]UP[,>]' "$(ip -o link show sit0)"
expect_match 'inet 192.0.2.80/32' "$(ip -o addr show dev tunl0)"
expect_match 'inet 192.0.2.81/32' "$(ip -o addr show dev tunl0)"
expect_match 'inet6 2001:db8::80/128' "$(ip -o addr show dev lo)"
expect_eq 2 "$(sysctl -n net.ipv4.conf.tunl0.rp_filter)" "tunl0 rp_filter"
expect_eq 1 "$(sysctl -n net.ipv4.conf.eth0.arp_ignore)" "eth0 arp_ignore"

out=$(rs apply 2>&1) || fail "apply again: $out"
expect_eq "lvs-realserver: nothing to change: this host is set up for its VIPs" "$out" "apply again"
expect_ok rs show

out=$(rs persist 2>&1) || fail "persist: $out"
unit=$(cat root/etc/systemd/system/lvs-realserver.service)
expect_match "^ExecStart=/.*lvs-realserver apply --state $PWD/state --interface eth0 --mode tun --tunnel gue --gue-port 6080 --outer inet 192.0.2.80$" "$unit"
expect_match "^ExecStart=/.*lvs-realserver apply --state $PWD/state --interface eth0 --mode tun --tunnel ipip --outer inet 192.0.2.81 2001:db8::80$" "$unit"
expect_match '^-net.ipv4.conf.tunl0.rp_filter = 2$' "$(cat root/etc/sysctl.d/60-lvs-realserver.conf)"

out=$(rs undo 2>&1) || fail "undo: $out"
expect_match '^closed the GUE listener on UDP port 6080$' "$out"
expect_eq "$before" "$(snapshot)" "the host after undo"
[ ! -e root/etc/systemd/system/lvs-realserver.service ] || fail "undo left the unit"
[ ! -e state ] || fail "undo left its record"
note "$(printf '%s\n' "$out" | wc -l) changes undone"
