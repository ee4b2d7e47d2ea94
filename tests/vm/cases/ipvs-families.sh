#!/bin/bash
# ipvs-families: IPv6 services and destinations, fwmark services (v4, v6),
# persistence with netmask, UDP and SCTP, DR and TUN (ipip, gue, gre)
# destinations, thresholds, one-packet and sh flags, as ipvsadm sees them.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm

cat >fam.tab <<'TAB'
service tcp [2001:db8::1]:80 rr label=v6
dest [2001:db8:1::2]:8080 masq 3
dest [2001:db8:1::3]:8000 route 1
service udp 10.1.0.1:53 wlc persistent=600 netmask=24 label=dns
dest 10.2.0.2:53 route 2 uthresh=100 lthresh=10
service sctp 10.1.0.1:3868 sh sched1 sched2 label=diameter
dest 10.2.0.3:3868 tunnel 1
dest 10.2.0.4:3868 tunnel 1 tun=gue tunport=6080
dest 10.2.0.5:3868 tunnel 1 tun=gre tunflags=csum
service fwmark 7 inet wrr persistent=300 label=fwm4
dest 10.2.0.6:0 route 4
service fwmark 8 inet6 lc persistent=60 netmask=64 label=fwm6
dest [2001:db8:1::9]:0 route 1
service tcp 10.1.0.1:443 lc one-packet label=onepkt
dest 10.2.0.7:443 masq 0
TAB
ipvs_tool apply fam.tab apply fam.tab resync dump
expect_stat "apply fam.tab" errors 0
expect_stat "apply fam.tab" msgs 15
expect_stat "apply fam.tab" msgs 0 2
# the mirror equals what the kernel reports for every attribute above
expect_stat "resync" msgs 0
expect_ipvs_table - <<'GOLD'
-A -t [2001:db8::1]:80 -s rr
-a -t [2001:db8::1]:80 -r [2001:db8:1::2]:8080 -m -w 3
-a -t [2001:db8::1]:80 -r [2001:db8:1::3]:80 -g -w 1
-A -u 10.1.0.1:53 -s wlc -p 600 -M 255.255.255.0
-a -u 10.1.0.1:53 -r 10.2.0.2:53 -g -w 2
-A --sctp-service 10.1.0.1:3868 -s sh -b sh-fallback,sh-port
-a --sctp-service 10.1.0.1:3868 -r 10.2.0.3:3868 -i -w 1 --tun-type ipip
-a --sctp-service 10.1.0.1:3868 -r 10.2.0.4:3868 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum
-a --sctp-service 10.1.0.1:3868 -r 10.2.0.5:3868 -i -w 1 --tun-type gre --tun-csum
-A -f 7 -s wrr -p 300
-a -f 7 -r 10.2.0.6:0 -g -w 4
-A -f 8 -6 -s lc -p 60 -M 64
-a -f 8 -6 -r [2001:db8:1::9]:0 -g -w 1
-A -t 10.1.0.1:443 -s lc -o
-a -t 10.1.0.1:443 -r 10.2.0.7:443 -m -w 0
GOLD
# ipvsadm -S does not save thresholds; -L --thresholds shows them
expect_match '10\.2\.0\.2:53 +100 +10 ' \
	"$(ipvsadm -Ln --thresholds -u 10.1.0.1:53)" "thresholds"
