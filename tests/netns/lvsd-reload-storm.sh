#!/bin/sh
# Reload storm: 1000 reloads through lvsctl, alternating valid and invalid
# random mutations of a real configuration.  Every invalid one is refused
# with a located error and changes nothing; the daemon's descriptors stay
# stable; the final table equals a fresh start on the final file; and the
# daemon exits 0 (under AddressSanitizer/LeakSanitizer builds: no leak).
# RELOADS overrides the count.  IPVS is dry-run; real servers unchecked.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
N=${RELOADS:-1000}
NS=lvstorm$$
T=$(mktemp -d /tmp/lvsd-storm.XXXXXX)
cleanup() {
	[ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
ip netns add "$NS" || { echo "SKIP: cannot create a namespace"; exit 77; }
ip -n "$NS" link set lo up
ip -n "$NS" link add eth0 type veth peer name eth9
ip -n "$NS" link set eth0 up
ip -n "$NS" addr add 10.6.0.2/24 dev eth0

# The generator: a real configuration, mutated at random (seeded).
# gen.py N DIR writes DIR/I.cf for I in 0..N: odd I valid, even I (> 0) not.
cat >"$T/gen.py" <<'PY'
import os, random, sys

def config(seed, valid):
    r = random.Random(seed)
    scheds = ["rr", "wrr", "lc", "wlc", "sh", "mh", "sed", "nq"]
    out = ["primary = 10.6.0.2", "tcp_timeout = %d" % r.choice([0, 900])]
    for v in range(r.randint(1, 6)):
        out += ["virtual v%d {" % v, "    address = 10.6.1.%d eth0:%d" % (v + 1, v + 1),
                "    port = %d" % r.choice([80, 443, 8080]),
                "    scheduler = %s" % r.choice(scheds), "    check = none"]
        if r.random() < 0.3:
            out += ["    persistent = %d" % r.choice([60, 300])]
        for s in range(r.randint(0, 5)):
            out += ["    server s%d {" % s, "        address = 10.6.2.%d" % (10 * v + s + 1),
                    "        weight = %d" % r.randint(0, 9), "    }"]
        out += ["}"]
    if not valid:
        bad = r.choice(["    weight = heavy", "schedular = wlc", "port = 99999",
                        "virtual {", "address = 10.6.1.300", '    send = "unterminated'])
        out.insert(r.randint(1, len(out)), bad)
    return "\n".join(out) + "\n"

n, d = int(sys.argv[1]), sys.argv[2]
for i in range(n + 1):
    with open(os.path.join(d, "%d.cf" % i), "w") as f:
        f.write(config(i, i % 2 == 1 or i == 0))
PY
mkdir "$T/cf"
python3 "$T/gen.py" "$N" "$T/cf"
cp "$T/cf/0.cf" "$T/lvs.cf"
export LVSCTL_SOCKET="$T/run/lvsd.sock"
: >"$T/lvsd.log"
ip netns exec "$NS" "$top_builddir/lvsd" -n -f "$T/lvs.cf" --ipvs-dry-run \
	--state-dir "$T/run" --lib-dir "$T/lib" 2>>"$T/lvsd.log" &
PID=$!
i=0
while ! grep -q " ready: " "$T/lvsd.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
fds0=$(ls /proc/$PID/fd | wc -l)
bad_ok=0 good_ok=0 fails=0
i=1
while [ $i -le $N ]; do
	valid=$((i % 2))
	cp "$T/cf/$i.cf" "$T/lvs.cf"
	"$top_builddir/lvsctl" reload >"$T/out" 2>&1
	rc=$?
	if [ $valid = 1 ] && [ $rc = 0 ]; then good_ok=$((good_ok + 1))
	elif [ $valid = 0 ] && [ $rc = 1 ] && grep -q "lvs.cf:[0-9]*:[0-9]*: error: " "$T/out"; then
		bad_ok=$((bad_ok + 1))
	else
		fails=$((fails + 1)); echo "reload $i (valid=$valid): rc=$rc"; cat "$T/out"
	fi
	i=$((i + 1))
done
fds1=$(ls /proc/$PID/fd | wc -l)
table() { "$top_builddir/lvsctl" --socket "$1" --json show | python3 -c '
import json, sys
d = json.load(sys.stdin)
for v in d["virtual_services"]:
    for s in v["servers"]:
        print(v["service"], s["address"], s["port"], s.get("in_kernel"), s.get("kernel_weight"))'; }
table "$LVSCTL_SOCKET" >"$T/after-storm"
# The last file was invalid (N even): the running one is the last valid.
cp "$T/cf/$((N - N % 2 - 1)).cf" "$T/final.cf"
kill -TERM $PID; wait $PID; rc=$?
PID=
: >"$T/fresh.log"
ip netns exec "$NS" "$top_builddir/lvsd" -n -f "$T/final.cf" --ipvs-dry-run \
	--state-dir "$T/run2" --lib-dir "$T/lib2" 2>>"$T/fresh.log" &
PID=$!
i=0
while ! grep -q " ready: " "$T/fresh.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
table "$T/run2/lvsd.sock" >"$T/fresh"
kill -TERM $PID; wait $PID; rc2=$?
PID=
pass=0 fail=0
t() { if eval "$2"; then pass=$((pass + 1)); echo "ok - $1"; else fail=$((fail + 1)); echo "not ok - $1"; fi; }
t "$((N / 2)) valid reloads applied, $((N / 2)) invalid refused with a located error" '[ $fails -eq 0 ] && [ $good_ok -eq $((N / 2)) ] && [ $bad_ok -eq $((N / 2)) ]'
t "descriptors stable ($fds0 before, $fds1 after)" '[ "$fds0" -eq "$fds1" ]'
t "final table equals a fresh start on the final file" 'cmp -s "$T/after-storm" "$T/fresh" && [ -s "$T/fresh" ]'
t "clean exit after the storm (no sanitizer report)" '[ $rc -eq 0 ] && ! grep -q "ERROR: .*Sanitizer" "$T/lvsd.log"'
t "clean exit of the fresh run" '[ $rc2 -eq 0 ]'
[ $fail -eq 0 ] || { tail -30 "$T/lvsd.log"; diff "$T/after-storm" "$T/fresh" | head; }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
