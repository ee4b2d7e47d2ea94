#!/bin/sh
# External program checks: piranha send_program (%h/%p, output against
# expect), exit-status programs with a dynamic weight, a clean environment
# and no inherited fds, an unprivileged user, the TERM -> KILL timeout of a
# whole process group, and the cap on programs running at once.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netns/hc/lib.sh"
hc_require
hc_setup
chmod 755 "$TMP"
S=$TMP

cat > "$S/prog.sh" <<'SH'
#!/bin/sh
echo "$1:$2 up"
SH
cat > "$S/status.sh" <<SH
#!/bin/sh
echo "weight \$(cat $S/weight)"
exit \$(cat $S/status)
SH
cat > "$S/env.sh" <<'SH'
#!/bin/sh
# Sockets, epoll, timerfd or signalfd here would be lvsd's, leaked.
echo "secret=${HC_SECRET:-none} user=$(id -u) leaks=$(ls -l /proc/$$/fd | grep -c -e socket: -e anon_inode)"
SH
cat > "$S/stubborn.sh" <<SH
#!/bin/sh
trap '' TERM
sleep 30 &
echo \$! > $S/stubborn.child
wait
SH
cat > "$S/slot.sh" <<SH
#!/bin/sh
echo "start \$(date +%s.%N)" >> $S/slots
sleep 0.3
echo "end \$(date +%s.%N)" >> $S/slots
SH
chmod 755 "$S"/*.sh
echo 0 > "$S/status"
echo 5 > "$S/weight"
: > "$S/slots"

A="addr=$SRV_IP port=80 interval=300 timeout=2000"
HC_SECRET=leak hc_start -d 0 -j 3 -g 700 \
	type=program label=web1/Real1 $A cmd="$S/prog.sh %h %p" expect="$SRV_IP:80 up" \
	type=program label=wrong $A cmd="$S/prog.sh %h %p" expect=nope init=up \
	type=program label=env $A cmd="$S/env.sh" use_regex=1 \
		expect='^secret=none user=0 leaks=0$' \
	type=program label=nobody $A cmd="$S/env.sh" user=nobody use_regex=1 \
		expect='^secret=none user=65534 leaks=0$' \
	type=exec label=status $A cmd="$S/status.sh" weight=1 \
	type=exec label=stubborn addr="$SRV_IP" interval=5000 timeout=500 cmd="$S/stubborn.sh" init=up

n="web1/Real1 $SRV_IP:80"
hc_wait "UP $n -1 send_program output \"$SRV_IP:80 up\" as expected" 3
hc_wait "UP env " 3
hc_wait "UP nobody " 3
hc_wait "UP status [^ ]+ 5 program exited with status 0, weight 5" 3
hc_wait "DOWN wrong " 3
grep -q "^wrong $SRV_IP:80 DOWN: send_program output \"$SRV_IP:80 up\", expected \"nope\"" "$OUT.err" ||
	hc_fail "send_program mismatch log line"

# The stubborn program ignores TERM: the deadline TERMs its group, the
# grace period (700 ms) ends with KILL, its background child dies too.
hc_wait "DOWN stubborn " 3
grep -q "^stubborn $SRV_IP DOWN: program timeout after 500 ms (program pid [0-9]* still running)" "$OUT.err" ||
	hc_fail "program timeout log line"
hc_wait_log "program check pid [0-9]+ ignored SIGTERM, sending SIGKILL" 3
sleep 0.3
kid=$(cat "$S/stubborn.child")
# (a zombie waiting for its new parent to reap it counts as dead)
st=$(awk '{ print $3 }' "/proc/$kid/stat" 2>/dev/null)
[ -z "$st" ] || [ "$st" = Z ] || hc_fail "background child $kid of a killed check survived"
pgrep -f "^/bin/sh $S/stubborn.sh" >/dev/null && hc_fail "stubborn.sh survived"

# Dynamic weight follows the program's output; exit status 3 takes it down.
echo 9 > "$S/weight"
hc_wait "WEIGHT status [^ ]+ 9 " 3
echo 3 > "$S/status"
hc_wait "DOWN status [^ ]+ [0-9-]+ program exited with status 3" 3
hc_stop

# The cap: 6 checks, at most 2 programs at once, all of them run.
OUT=$TMP/out2
hc_start -d 0 -j 2 \
	type=exec label=s1 $A cmd="$S/slot.sh" type=exec label=s2 $A cmd="$S/slot.sh" \
	type=exec label=s3 $A cmd="$S/slot.sh" type=exec label=s4 $A cmd="$S/slot.sh" \
	type=exec label=s5 $A cmd="$S/slot.sh" type=exec label=s6 $A cmd="$S/slot.sh"
hc_wait_count '^[0-9.]+ UP s[1-6] ' 6 15
hc_stop
max=$(sort -k2 -n "$S/slots" | awk '$1 == "start" { n++ } $1 == "end" { n-- }
	n > m { m = n } END { print m }')
[ "$max" -le 2 ] || hc_fail "$max programs ran at once, cap is 2"
[ "$max" -eq 2 ] || hc_fail "the cap was never reached ($max)"
echo PASS
