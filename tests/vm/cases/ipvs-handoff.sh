#!/bin/bash
# ipvs-handoff: the driver's connection handoff puts a master's connections
# (and persistence templates) into the peer's kernel through its backup
# sync daemon, including a connection too young for the kernel's own sync
# (SYN_RECV: the master daemon never sends that state), a fwmark service's
# connection (found by its real server: /proc does not show marks), and
# leaves out connections of services lvsd does not manage.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm nft

A=hoa$$ B=hob$$
trap 'ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null' EXIT
ip netns add $A
ip netns add $B
ip link add a0 netns $A type veth peer name b0 netns $B
ip -n $A addr add 10.9.0.1/24 dev a0
ip -n $B addr add 10.9.0.2/24 dev b0
for n in $A $B; do
	ip -n $n link set lo up
done
ip -n $A link set a0 up
ip -n $B link set b0 up
# the virtual and real servers lie behind B: A's SYNs leave, nobody answers
ip -n $A route add default via 10.9.0.2

cat >t.tab <<'TAB'
service tcp 10.9.9.9:80 rr label=web
dest 10.9.1.1:80 masq 1
service tcp 10.9.9.9:443 rr persistent=300 label=tls
dest 10.9.1.2:443 masq 1
service fwmark 5 inet rr label=marked
dest 10.9.1.4:80 masq 1
TAB
for n in $A $B; do
	ip netns exec $n "$IPVS_TOOL" apply t.tab >/dev/null || fail "table on $n"
done
ip netns exec $B ipvsadm --start-daemon backup --mcast-interface b0 ||
	fail "backup daemon on B"
# A marks its own traffic to 10.9.9.10:80 for the fwmark service
ip netns exec $A nft -f - <<'NFT' || fail "nft rules in A"
table ip lvsdtest {
	chain out {
		type route hook output priority mangle
		ip daddr 10.9.9.10 tcp dport 80 meta mark set 5
	}
}
NFT
# a service lvsd does not manage, on A only
ip netns exec $A ipvsadm -A -t 10.9.9.9:8080 -s rr
ip netns exec $A ipvsadm -a -t 10.9.9.9:8080 -r 10.9.1.3:8080 -m

# connections from A itself (IPVS schedules local clients too): they stay
# in SYN_RECV, a state the kernel's master sync daemon never sends
connect() { timeout 8 bash -c "exec 3<>/dev/tcp/$1" 2>/dev/null & }
ip netns exec $A bash -c "$(declare -f connect); connect 10.9.9.9/80; \
	connect 10.9.9.9/443; connect 10.9.9.9/8080; connect 10.9.9.10/80"
vm_sleep 0.5
expect_eq 4 "$(ip netns exec $A ipvsadm -Lnc | grep -c SYN_RECV)" "connections on A"
expect_eq "" "$(ip netns exec $B ipvsadm -Lnc | sed 1,2d)" "B's table before the handoff"

# a new driver run adopts A's services (same table), then hands over
ip netns exec $A "$IPVS_TOOL" apply t.tab handoff a0 >tool.out 2>tool.err ||
	{ cat tool.err; fail "ipvs-tool handoff"; }
cat tool.out tool.err
# three connections and the template of the persistent service; the
# foreign service's connection stays home
expect_stat handoff sent 4
expect_match 'connection handoff: 4 connections sent to the sync group on a0 \(0 closing and 1 of services' \
	"$(cat tool.err)" "the handoff's log line"
wait_until 5 bash -c "[ \$(ip netns exec $B ipvsadm -Lnc | sed 1,2d | wc -l) -ge 4 ]" ||
	{ ip netns exec $B ipvsadm -Lnc; fail "B did not receive the connections"; }
b=$(ip netns exec $B ipvsadm -Lnc)
echo "$b"
expect_match 'TCP +[0-9:]+ +SYN_RECV +10\.9\.0\.1:[0-9]+ +10\.9\.9\.9:80 +10\.9\.1\.1:80' "$b" \
	"the young connection on B"
expect_match 'TCP +[0-9:]+ +SYN_RECV +10\.9\.0\.1:[0-9]+ +10\.9\.9\.9:443 +10\.9\.1\.2:443' "$b" \
	"the persistent service's connection on B"
expect_match 'TCP +[0-9:]+ +NONE +10\.9\.0\.1:0 +10\.9\.9\.9:443 +10\.9\.1\.2:443' "$b" \
	"the persistence template on B"
expect_match 'TCP +[0-9:]+ +SYN_RECV +10\.9\.0\.1:[0-9]+ +10\.9\.9\.10:80 +10\.9\.1\.4:80' "$b" \
	"the fwmark service's connection on B"
expect_eq 0 "$(echo "$b" | grep -c ':8080')" "foreign service's connection on B"
