#!/bin/sh
# Nothing a client, a file or a big table does to the master delays its
# adverts: two directors (advert_int 100 ms, IPVS dry run), the master's
# adverts captured by a third host, under each load in turn:
#   - 64 control clients pipelining `dump` requests;
#   - 64 idle control clients (an operator's `lvsctl status` still answers);
#   - a reload of a file that includes a FIFO, and of one with 300,000
#     errors (`lvsctl status` answers meanwhile);
#   - the parent process stopped (SIGSTOP) for 5 s;
#   - 10,000 health-checked real servers flapping.
# No advert gap may pass 2 x advert_int and the backup never becomes
# master; the master's processes keep their memory bounded under the
# flood.  SECONDS_PER_LOAD (default 8) sets the length of each load.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
DRIVER=$top_builddir/lvsd
. "$(dirname "$0")/failover/lib.sh"
command -v tcpdump >/dev/null || skip "no tcpdump"
command -v nft >/dev/null || skip "no nft (nftables)"
command -v python3 >/dev/null || skip "no python3"
setup_topo
S=${SECONDS_PER_LOAD:-8}
LOAD="python3 $top_srcdir/tests/netns/isolation/load.py"

small() {
	cat <<-CF
	primary = 192.168.77.1
	backup = 192.168.77.2
	backup_active = 1
	vrrp vi {
	    vrid = 63
	    advert_int = 100ms
	}
	virtual web {
	    address = 192.168.77.100 eth0:1
	    port = 80
	    check = none
	    server rs {
	        address = 10.99.0.1
	    }
	}
	$1
	CF
}
small "" >"$T/lvs.cf"
start a a -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-a"
start b b -n -f "$T/lvs.cf" --ipvs-dry-run --state-dir "$T/state-b"
wait_log a "failover: vi BACKUP -> MASTER" 5 || fail "a never became master"
SOCK=$T/state-a/lvsd.sock
PARENT=$(pid_of a)
ip netns exec "$NS-c" tcpdump --immediate-mode -lnni eth0 -tt "ip proto 112 and src 192.168.77.1" \
	>"$T/adverts.txt" 2>/dev/null &
TD=$!
PIDS="$PIDS $TD"
sleep 1
mark_all
: >"$T/phases"
now() { date +%s.%N; }
phase_begin() { P0=$(now); }
phase_end() { echo "$1 $P0 $(now)" >>"$T/phases"; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
kids() { pgrep -P "$PARENT" | tr '\n' ' '; }

# 1. Pipelined dumps from 64 clients.
rss0=$(rss "$PARENT")
phase_begin
$LOAD flood "$SOCK" "$S" 64 >"$T/flood.out" &
FL=$!
maxrss=$rss0
while kill -0 $FL 2>/dev/null; do
	r=$(rss "$PARENT"); [ "$r" -gt "$maxrss" ] && maxrss=$r
	sleep 0.2
done
phase_end "64-clients-pipelining"
echo "$(cat "$T/flood.out"); parent RSS ${rss0} kB before, ${maxrss} kB at most"
grep -q "flood: [1-9]" "$T/flood.out" || fail "the flood got no answer at all"
# Memory follows a reply per client, not the requests sent.
[ $((maxrss - rss0)) -lt 65536 ] || fail "parent RSS grew by $((maxrss - rss0)) kB under the flood"
for k in $(kids); do
	[ "$(rss "$k")" -lt 65536 ] || fail "process $k: RSS $(rss "$k") kB"
done

# 2. 64 idle clients: an operator still gets an answer.
phase_begin
$LOAD idle "$SOCK" 64 "$S" >"$T/idle.out" &
IDL=$!
sleep 1
$LOAD ask "$SOCK" status >"$T/ask.out"
wait $IDL
phase_end "64-idle-clients"
echo "$(cat "$T/ask.out") with 64 idle clients connected; $(cat "$T/idle.out")"
grep -q "^ask: [0-9]* ms ok" "$T/ask.out" || fail "lvsctl status locked out by idle clients"

# 3. A reload of a file that includes a FIFO.
mkfifo "$T/fifo"
small "include $T/fifo" >"$T/lvs.cf"
phase_begin
"$top_builddir/lvsctl" --socket "$SOCK" reload >"$T/fifo.out" 2>&1 &
RL=$!
$LOAD ask "$SOCK" status >"$T/ask.out"
wait $RL
rc=$?
sleep "$S"
phase_end "reload-including-a-FIFO"
echo "reload with a FIFO: $(head -2 "$T/fifo.out" | tail -1); $(cat "$T/ask.out")"
[ $rc -eq 1 ] && grep -q "a FIFO: lvsd reads only regular files" "$T/fifo.out" ||
	fail "the FIFO was not refused: $(cat "$T/fifo.out")"

# 4. A reload of a file with 300,000 errors.
python3 -c 'print("\n".join("bogus%d = 1" % i for i in range(300000)))' >"$T/bad.cf"
small "include $T/bad.cf" >"$T/lvs.cf"
phase_begin
t0=$(date +%s%N)
"$top_builddir/lvsctl" --socket "$SOCK" reload >"$T/bad.out" 2>&1 &
RL=$!
$LOAD ask "$SOCK" status >"$T/ask.out"
wait $RL
rc=$?
t1=$(date +%s%N)
sleep "$S"
phase_end "reload-300000-errors"
echo "reload of 300,000 errors: refused in $(( (t1 - t0) / 1000000 )) ms, $(grep -c 'error:' "$T/bad.out") errors shown; $(cat "$T/ask.out")"
[ $rc -eq 1 ] && grep -q "too many errors" "$T/bad.out" || fail "bad reload: $(tail -3 "$T/bad.out")"
grep -q "^ask: [0-9]* ms ok" "$T/ask.out" || fail "status did not answer during the reload"
small "" >"$T/lvs.cf"

# 5. The parent stopped for 5 s.
phase_begin
kill -STOP "$PARENT"
sleep 5
kill -CONT "$PARENT"
sleep 1
phase_end "parent-SIGSTOP-5s"
$LOAD ask "$SOCK" status >"$T/ask.out"
grep -q "ok" "$T/ask.out" || fail "the parent did not come back from SIGSTOP"

# 6. 10,000 checked real servers flapping (2,500 services x 4, on 100
# addresses of host c, half of them refusing every other 2 s).
for i in $(seq 150 249); do echo "address add 192.168.77.$i/24 dev eth0"; done |
	in_ns c ip -batch -
in_ns c python3 -c '
import socket, select
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 80)); s.listen(4096)
while True:
    c, _ = s.accept(); c.close()' &
PIDS="$PIDS $!"
python3 - "$T/lvs.cf" <<'PY'
import sys
out = open(sys.argv[1]).read().rstrip("\n").split("\n")
out = [l for l in out if l.strip()]
for v in range(2500):
    out += ["virtual v%d {" % v, "    address = 10.200.%d.%d" % (v // 250, v % 250 + 1),
            "    port = 80", "    check = tcp", "    check_interval = 2s",
            "    check_timeout = 500ms", "    check_rise = 1", "    check_fall = 1"]
    for s in range(4):
        out += ["    server s%d {" % s,
                "        address = 192.168.77.%d" % (150 + (4 * v + s) % 100), "    }"]
    out += ["}"]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
"$top_builddir/lvsctl" --socket "$SOCK" reload >/dev/null || fail "reload of 10,000 servers refused"
"$top_builddir/lvsctl" --socket "$T/state-b/lvsd.sock" reload >/dev/null || fail "b: reload refused"
in_ns c nft add table inet flap
in_ns c nft add chain inet flap in "{ type filter hook input priority 0; }"
phase_begin
end=$(( $(date +%s) + S * 2 ))
while [ "$(date +%s)" -lt "$end" ]; do
	in_ns c nft add rule inet flap in ip daddr 192.168.77.150-192.168.77.199 \
		tcp dport 80 reject with tcp reset
	sleep 2
	in_ns c nft flush chain inet flap in
	sleep 2
done
phase_end "10000-checks-flapping"
downs=$(tail -n +$((MARK_a + 1)) "$T/a.log" | grep -c " DOWN: ")
echo "health transitions to DOWN logged by the master: $downs"
[ "$downs" -gt 1000 ] || fail "the servers did not flap ($downs DOWN transitions)"

sleep 0.5
kill $TD 2>/dev/null
python3 "$top_srcdir/tests/netns/isolation/gaps.py" "$T/adverts.txt" \
	"$T/phases" 200 || fail "an advert gap passed 2 x advert_int (200 ms)"
tail -n +$((MARK_b + 1)) "$T/b.log" | grep -q "failover: vi BACKUP -> MASTER" &&
	fail "the backup became master"
tail -n +$((MARK_a + 1)) "$T/a.log" | grep -q "failover: vi MASTER ->" &&
	fail "the master left mastership"
pass "adverts on time and one master under every load"
echo "1 passed, 0 failed"
