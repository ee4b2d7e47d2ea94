#!/bin/bash
# lvsd-health: health checks drive the real kernel's table.  A real server
# whose check fails leaves `ipvsadm -Ln` within interval x fall + timeout,
# no client request reaches it once its DOWN is logged, and it comes back
# after `rise` passed checks; with quiesce_server it stays at weight 0;
# when every server is down the sorry server answers, and hands back.
# Each real server's health is served on port 81 (a second tiny server),
# so a server can fail its check while still answering on port 80.
set -u
. "$VM_LIB/assert.sh"
. "$VM_LIB/lab.sh"
. "$top_srcdir/tests/vm/lvsd/lib.sh"

lab_setup nat 3
declare -A health_pid
health_up() { # RS
	rm -f "$LAB_WORK/h-$1"
	lab_bg "$1" "$LAB_PYTHON" $LAB_PYFLAGS "$VM_LIB/lab-httpd.py" "$1" 81 "$LAB_WORK/h-$1"
	health_pid[$1]=$LAB_LAST_PID
	wait_until 20 test -e "$LAB_WORK/h-$1" || fail "health server on $1"
}
health_down() { kill "${health_pid[$1]}"; wait "${health_pid[$1]}" 2>/dev/null; }
for rs in rs1 rs2 rs3; do health_up $rs; done

write_cf() { # QUIESCE
	cat >lab.cf <<CF
network = nat
virtual web {
    address = $LAB_VIP
    port = 80
    scheduler = rr
    check = http
    check_port = 81
    check_interval = 500ms
    check_timeout = 2s
    timeout = 1
    reentry = 1
    quiesce_server = $1
    sorry_server = ${LAB_RS_IPS[2]}:80
    server rs1 {
        address = ${LAB_RS_IPS[0]}
    }
    server rs2 {
        address = ${LAB_RS_IPS[1]}
    }
}
CF
}
dests() { lab_in director ipvsadm -Sn | grep '^-a' | sed 's/.*-r \([^ ]*\) .* -w \([0-9]*\).*/\1:\2/' | sort | tr '\n' ' '; }
has_dests() { [ "$(dests)" = "$1" ]; }
# LAB_NRS=2 for lab_expect_rr: the service has rs1 and rs2; rs3 is sorry.
LAB_NRS=2

write_cf 0
LVSD_NS=$(lab_ns director)
lvsd_start lab.cf
wait_until 20 has_dests "10.0.3.11:80:1 10.0.3.12:80:1 " || fail "not both up: $(dests)"
lab_expect_rr 10

# rs2 fails its check: out of the table within interval x fall + timeout
# (0.5 s x 2 + 2 s; a refused connection fails at once) plus the
# emulator's slowness.
t0=${EPOCHREALTIME/./}
health_down rs2
wait_until 20 has_dests "10.0.3.11:80:1 " || fail "rs2 not removed: $(dests)"
ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
note "rs2 removed ${ms} ms after its health server stopped (bound 3000 ms + TCG)"
[ $ms -le 6000 ] || fail "removal took $ms ms"
expect_match "web/rs2 10\.0\.3\.12:81 DOWN: .*" "$(cat "$LVSD_LOG")" "DOWN logged with its reason"
# a transition costs its service alone: one message, no pass over the table
expect_match "health: virtual web: real servers \+0 ~0 -1 \(1 message\)" "$(cat "$LVSD_LOG")" "the removal applied to web alone"
out=$(lab_requests 10)
expect_eq "$(printf 'rs1\n%.0s' {1..10})" "$out" "no request reaches rs2 once it is down"

# Back after rise (2) passed checks.
health_up rs2
wait_until 20 has_dests "10.0.3.11:80:1 10.0.3.12:80:1 " || fail "rs2 not back: $(dests)"
expect_match "web/rs2 10\.0\.3\.12:81 UP" "$(cat "$LVSD_LOG")" "UP logged"
lab_expect_rr 10

# quiesce_server: down means weight 0, not removal.
write_cf 1
lvsd_reload
health_down rs2
wait_until 20 has_dests "10.0.3.11:80:1 10.0.3.12:80:0 " || fail "rs2 not quiesced: $(dests)"
health_up rs2
wait_until 20 has_dests "10.0.3.11:80:1 10.0.3.12:80:1 " || fail "rs2 not restored: $(dests)"

# Every server down: the sorry server takes over, and hands back.
write_cf 0
lvsd_reload
health_down rs1
health_down rs2
wait_until 20 has_dests "10.0.3.13:80:1 " || fail "sorry server not in: $(dests)"
expect_eq "$(printf 'rs3\n%.0s' {1..4})" "$(lab_requests 4)" "sorry server answers"
health_up rs1
wait_until 20 has_dests "10.0.3.11:80:1 " || fail "sorry server not handed back: $(dests)"
if grep -q "health: IPVS table holds" "$LVSD_LOG"; then
	fail "a health transition applied the whole table: $(grep "health: IPVS table holds" "$LVSD_LOG" | head -1)"
fi
lvsd_stop
