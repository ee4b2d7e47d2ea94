#!/bin/bash
# ipvs-modprobe: with the ip_vs module unloaded and the kernel's own module
# auto-loading off (kernel.modprobe = /bin/false: as in a container, where
# the family lookup cannot load the module), the driver finds no IPVS
# generic-netlink family, runs `modprobe ip_vs` once and goes on; a dry run
# never needs the family at all.  (Skipped when ip_vs cannot be unloaded,
# e.g. while another namespace still holds services.)
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm modprobe

# later cases expect ip_vs loaded and auto-loading on: leave it so
kmodprobe=$(cat /proc/sys/kernel/modprobe)
trap 'echo "$kmodprobe" >/proc/sys/kernel/modprobe; modprobe ip_vs' EXIT
mods=$(awk '$1 ~ /^ip_vs_/ {print $1}' /proc/modules)
# namespaces of earlier cases may still be being torn down: retry a while
for _ in $(seq 1 30); do
	# shellcheck disable=SC2086
	modprobe -r $mods ip_vs 2>/dev/null && break
	vm_sleep 0.5
done
grep -q '^ip_vs ' /proc/modules && skip "ip_vs is in use and cannot be unloaded"

echo /bin/false >/proc/sys/kernel/modprobe ||
	skip "cannot turn the kernel's module auto-loading off"
ipvs_tool -n apply /dev/null
grep -q '^ip_vs ' /proc/modules && fail "a dry run loaded ip_vs"

cat >t.tab <<'TAB'
service tcp 10.1.0.1:80 rr label=web
dest 10.2.0.1:80 masq 1
TAB
# the driver opens (its modprobe), then auto-loading comes back for the
# scheduler module the service needs
ipvs_tool exec "echo $kmodprobe >/proc/sys/kernel/modprobe" apply t.tab
expect_match 'running modprobe ip_vs' "$(cat tool.err)" "the driver's modprobe"
expect_stat "apply t.tab" msgs 2
expect_ipvs_table - <<'GOLD'
-A -t 10.1.0.1:80 -s rr
-a -t 10.1.0.1:80 -r 10.2.0.1:80 -m -w 1
GOLD
