#!/bin/bash
# vm-smoke: the VM's kernel has IPVS, ipvsadm can program it, and every
# scheduler the project may configure can be loaded (the missing ones are
# reported; a missing core scheduler fails the case).
set -u
. "$VM_LIB/assert.sh"
require_cmd ipvsadm modprobe

[ -e /proc/net/ip_vs ] || fail "no /proc/net/ip_vs: ip_vs is not loaded"
note "$(head -n 1 /proc/net/ip_vs)"

# a fresh namespace starts with an empty table
expect_eq "0 0" "$(ipvs_count)" "entries in a fresh namespace"

expect_ok ipvsadm -A -t 10.1.0.1:80 -s rr
expect_ok ipvsadm -a -t 10.1.0.1:80 -r 10.2.0.1:8080 -m -w 3
expect_ok ipvsadm -a -t 10.1.0.1:80 -r 10.2.0.2:8080 -g -w 1
expect_ok ipvsadm -A -u 10.1.0.1:53 -s wlc
expect_ok ipvsadm -A -f 7 -s sh
# (direct routing cannot change the port: the kernel stores the service's)
expect_ipvs_table - <<'GOLD'
-A -t 10.1.0.1:80 -s rr
-a -t 10.1.0.1:80 -r 10.2.0.1:8080 -m -w 3
-a -t 10.1.0.1:80 -r 10.2.0.2:80 -g -w 1
-A -u 10.1.0.1:53 -s wlc
-A -f 7 -s sh
GOLD
expect_eq "3 2" "$(ipvs_count)" "services and destinations"
# the golden comparison must notice a difference (a test that cannot fail
# is a defect)
if (expect_ipvs_table - <<<"-A -t 10.1.0.1:80 -s rr") 2>/dev/null; then
	fail "expect_ipvs_table accepted a wrong table"
fi
expect_ok ipvsadm -C
expect_eq "0 0" "$(ipvs_count)" "entries after ipvsadm -C"

# every scheduler: load the module and prove the kernel accepts it. One
# modprobe and one ipvsadm -R for all of them: each exec costs ~0.2 s under
# TCG.
all="rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos"
core="rr wrr lc wlc lblc lblcr dh sh sed nq"
mods=""
for s in $all; do mods="$mods ip_vs_$s"; done
modprobe -a -q $mods 2>/dev/null
have="" missing="" rules="" port=1000
for s in $all; do
	if [ -d "/sys/module/ip_vs_$s" ]; then
		have="$have $s"
		port=$((port + 1))
		rules="$rules-A -t 10.1.0.2:$port -s $s"$'\n'
	else
		missing="$missing $s"
	fi
done
note "schedulers available:$have"
note "schedulers missing:${missing:- none}"
for s in $core; do
	case " $missing " in *" $s "*) fail "core scheduler $s is missing" ;; esac
done
# the kernel really accepts each loaded one for a service
expect_ok ipvsadm -R < <(printf "%s" "$rules")
expect_ipvs_table - <<<"$rules"
# an unknown scheduler is refused
expect_fail ipvsadm -A -t 10.1.0.3:80 -s nosuchsched
