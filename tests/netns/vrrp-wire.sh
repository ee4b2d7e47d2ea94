#!/bin/sh
# On the wire: tshark decodes the module's adverts (v2 with simple
# password, v3 over IPv4 and IPv6, unicast) with good checksums, TTL /
# hop limit 255, the network-control DSCP (CS6), an IPv6 advert's
# link-local address first, and no malformed-packet or expert warnings.
. "$(dirname "$0")/failover/lib.sh"
command -v tshark >/dev/null || skip "no tshark"
setup_topo

ip netns exec "$NS-c" tshark -q -n -i eth0 -f "ip proto 112 or ip6 proto 112" \
	-w "$T/vrrp.pcap" >/dev/null 2>"$T/tshark.err" &
TS=$!
PIDS="$PIDS $TS"
# tshark takes its time on a loaded machine: start once it captures
i=0
while ! grep -q "Capture started\|Capturing on" "$T/tshark.err" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
sleep 0.5
start a a \
	--vrrp "name=v2,vrid=21,ver=2,auth=sesame,dev=eth0,int=100,prio=200,vip=192.168.77.121/24,vip=192.168.77.122/24" \
	--vrrp "name=v3,vrid=22,dev=eth0,int=20,prio=200,vip=192.168.77.123/24" \
	--vrrp "name=v6,vrid=23,af=6,dev=eth0,int=20,prio=200,vip=fd00:77::123/64,vip=fd00:77::124/64" \
	--vrrp "name=uni,vrid=24,dev=eth0,int=20,prio=200,vip=192.168.77.125/24,peer=192.168.77.9"
for i in v2 v3 v6 uni; do
	wait_log a "EVENT .* $i BACKUP MASTER" 6 || fail "$i never master"
done
sleep 1.5
stop a
sleep 0.5
kill -INT $TS
wait $TS 2>/dev/null

tshark -n -r "$T/vrrp.pcap" -o vrrp.v3_checksum_as_in_v2:FALSE -V >"$T/decoded.txt" 2>&1
n=$(grep -c "^Virtual Router Redundancy Protocol" "$T/decoded.txt")
[ "$n" -ge 20 ] || fail "only $n VRRP packets decoded"
for want in "Version 2, Packet type 1 (Advertisement)" \
    "Version 3, Packet type 1 (Advertisement)" \
    "Auth Type: Simple Text Authentication" \
    "Authentication String: sesame" \
    "Virtual Rtr ID: 23" "Virtual Rtr ID: 24" \
    "IP Address: 192.168.77.122" "IPv6 Address: fd00:77::124" \
    "Time to Live: 255" "Hop Limit: 255" \
    "Priority: 0 (Current Master has stopped participating in VRRP)"; do
	grep -qF "$want" "$T/decoded.txt" || fail "tshark shows no '$want'"
done
good=$(grep -c "Checksum Status: Good" "$T/decoded.txt")
[ "$good" -eq "$n" ] || fail "$good of $n checksums good: $(grep -m3 'Checksum' "$T/decoded.txt")"
# Every advert in DSCP CS6 (network control), as routers send VRRP.
dscp=$(tshark -n -r "$T/vrrp.pcap" -T fields -e ip.dsfield.dscp -e ipv6.tclass.dscp 2>/dev/null | tr -s '\t' '\n' | grep . | sort -u)
[ "$dscp" = 48 ] || fail "adverts not all in DSCP 48 (CS6): $(echo $dscp)"
# IPv6: the first address named is the sender's link-local one.
first=$(tshark -n -r "$T/vrrp.pcap" -Y "vrrp.virt_rtr_id == 23" -T fields -e vrrp.ipv6_addr 2>/dev/null | sed -n '1s/,.*//p')
case $first in fe80::*) ;; *) fail "IPv6 advert names $first first, not a link-local address" ;; esac
grep -Eiq "malformed|Expert Info \(Warn|Expert Info \(Error|bad checksum|incorrect" "$T/decoded.txt" &&
	fail "tshark warns: $(grep -Ei -m3 'malformed|Expert Info|incorrect' "$T/decoded.txt")"
pass "$n adverts (v2 auth, v3 IPv4/IPv6, unicast) decode cleanly, checksums good"
