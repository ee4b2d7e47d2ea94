#!/bin/bash
# lvsd-drain: under client traffic through the VIP, a reload that removes a
# real server drains it (drain_time): it stays in the kernel's table at
# weight 0, an established connection to it goes on being served, new
# connections go elsewhere, no request fails; after drain_time it is gone.
set -u
. "$VM_LIB/assert.sh"
. "$VM_LIB/lab.sh"
. "$top_srcdir/tests/vm/lvsd/lib.sh"

lab_setup nat 2
write_cf() { # SERVERS...
	{
		echo "network = nat"
		echo "drain_time = 6s"
		echo "virtual web {"
		echo "    address = $LAB_VIP"
		echo "    port = 80"
		echo "    scheduler = rr"
		echo "    check = none"
		for rs in "$@"; do
			echo "    server $rs {"
			echo "        address = ${LAB_RS_IPS[${rs#rs} - 1]}"
			echo "    }"
		done
		echo "}"
	} >lab.cf
}
dests() { lab_in director ipvsadm -Sn | grep '^-a' | sed 's/.*-r \([^ ]*\) .* -w \([0-9]*\).*/\1:\2/' | sort | tr '\n' ' '; }
has_dests() { [ "$(dests)" = "$1" ]; }

write_cf rs1 rs2
LVSD_NS=$(lab_ns director)
lvsd_start lab.cf
wait_until 20 has_dests "10.0.3.11:80:1 10.0.3.12:80:1 " || fail "table: $(dests)"

# Two held connections: with rr one of them is rs2's.
for k in 1 2; do
	lab_bg client "$LAB_PYTHON" $LAB_PYFLAGS "$top_srcdir/lab/session.py" \
		"$LAB_VIP" 80 go >"held$k.out"
done
wait_until 20 bash -c 'grep -q "^first" held1.out && grep -q "^first" held2.out' ||
	fail "held connections: $(cat held1.out held2.out)"
held=$(grep -l "^first rs2" held1.out held2.out | head -1)
[ -n "$held" ] || fail "no held connection on rs2: $(cat held1.out held2.out)"
# continuous traffic: a new connection every 50 ms (TCG)
lab_bg client "$LAB_PYTHON" $LAB_PYFLAGS "$top_srcdir/lab/probe.py" "$LAB_VIP" 80 50 \
	"$PWD/probe.log" "$PWD/stop-probe"
vm_sleep 1

write_cf rs1
lvsd_reload
expect_eq "10.0.3.11:80:1 10.0.3.12:80:0 " "$(dests)" "rs2 draining at weight 0"
t_drain=${EPOCHREALTIME/./}
# The held connection first: on a loaded machine under TCG six new
# connections may take longer than drain_time.
touch go
wait_until 10 grep -q "^second\|^FAIL" "$held" || fail "held connection: no answer"
expect_eq "second rs2" "$(grep -v '^first' "$held")" \
	"the established connection to rs2, served while it drains"
out=$(lab_requests 6)
expect_eq "$(printf 'rs1\n%.0s' {1..6})" "$out" "new connections while rs2 drains"

wait_until 20 has_dests "10.0.3.11:80:1 " || fail "rs2 not deleted after drain_time: $(dests)"
ms=$(((${EPOCHREALTIME/./} - t_drain) / 1000))
note "rs2 deleted ${ms} ms after the reload (drain_time 6 s)"
[ $ms -ge 5000 ] || fail "rs2 deleted after $ms ms, before drain_time"
touch stop-probe
vm_sleep 3.5
r=$("$LAB_PYTHON" $LAB_PYFLAGS "$top_srcdir/lab/events.py" probe.log 0)
note "client traffic across the drain: $r"
expect_match "failed=0 " "$r" "no request failed"
lvsd_stop
