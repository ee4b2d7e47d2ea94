#!/bin/bash
# ipvs-schedulers: one service per scheduler lvsd may configure, plus one
# with a bogus scheduler.  Every scheduler this kernel has is programmed;
# each missing one (and the bogus one) is logged by the service's label
# with the scheduler's name, and the rest of the table is still applied.
set -u
. "$VM_LIB/assert.sh"
. "$top_srcdir/tests/vm/ipvs/lib.sh"
require_cmd ipvsadm modprobe

all="rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos"
port=1000 have="" missing=""
: >sched.tab
: >gold
for s in $all bogus; do
	port=$((port + 1))
	echo "service tcp 10.1.0.1:$port $s label=virtual-$s" >>sched.tab
	echo "dest 10.2.0.1:$port masq 1" >>sched.tab
	if [ $s != bogus ] && modprobe "ip_vs_$s" 2>/dev/null; then
		have="$have $s"
		printf -- '-A -t 10.1.0.1:%s -s %s\n-a -t 10.1.0.1:%s -r 10.2.0.1:%s -m -w 1\n' \
			$port $s $port $port >>gold
	else
		missing="$missing $s"
	fi
done
note "schedulers in this kernel:$have"
note "missing:$missing"
ipvs_tool apply sched.tab apply sched.tab
nmiss=$(echo $missing | wc -w)
expect_stat "apply sched.tab" errors "$nmiss"
expect_stat "apply sched.tab" resyncs 0
# each failure named: label, address, scheduler
port=1000
for s in $all bogus; do
	port=$((port + 1))
	case " $missing " in
	*" $s "*)
		expect_match "virtual-$s 10\\.1\\.0\\.1:$port: scheduler \"$s\" not available in kernel" \
			"$(cat tool.err)" "the error for $s"
		;;
	esac
done
# the refused services' destinations are not reported separately
expect_eq 0 "$(grep -c '10.2.0.1' tool.err)" "follow-on errors about destinations"
expect_ipvs_table gold
# unchanged table: the refused services are not retried on every apply
expect_stat "apply sched.tab" msgs 0 2
expect_stat "apply sched.tab" errors 0 2
