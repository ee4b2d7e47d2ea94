#!/bin/bash
# lvsd-unit: the Debian package under a real systemd (PID 1), in the VM
# (tests/vm/run-systemd-tests.sh boots it: run-in-vm --systemd).
#   usage: lvsd-unit.sh LVSD.DEB
# Installs the package and checks what the unit promises: start reaches
# `active` through READY=1; reload applies a good file and refuses a bad
# one, leaving the service as it was; a stopped (SIGSTOP) daemon is killed
# by the watchdog and restarted; a configuration error is not restarted;
# stop leaves no IPVS rule and no virtual address; the journal's entries
# of a health and a VRRP transition carry fields journalctl finds them by.
# The unit runs lvsd as user lvsd (User=, AmbientCapabilities=): every
# process is lvsd's, IPVS and its sync sysctls are set, the failover
# process runs under SCHED_RR (LimitRTPRIO=), a notify command and the
# overrides are lvsd's; root, a member of lvsd-admin and a member of lvsd
# get their roles on the control socket; script_user = root is refused,
# and runs under the drop-in lvsd.8 shows.
set -u
export LC_ALL=C
VM_LIB=${VM_LIB:-$(cd "$(dirname "$0")/../lib" && pwd)}
. "$VM_LIB/assert.sh"
deb=${1:?usage: lvsd-unit.sh LVSD.DEB}
[ "$(cat /proc/1/comm)" = systemd ] || fail "PID 1 is not systemd (run-in-vm --systemd)"
read -r up _ </proc/uptime
note "systemd up, the test starts at guest uptime ${up} s"

t_all=${EPOCHREALTIME/./}
step() { # each step's name, with the time since the start
	local ms=$(((${EPOCHREALTIME/./} - t_all) / 1000))
	note "$(printf '%3d.%d s  %s' $((ms / 1000)) $((ms % 1000 / 100)) "$1")"
}
prop() { systemctl show -P "$1" lvsd; }
journal() { journalctl --no-pager -q -o cat -u lvsd "$@"; }

step "dpkg -i (user, groups, unit enabled, start skipped)"
# This VM's root is the host's: remove what makes it unlike a fresh
# system.  policy-rc.d (a container's) forbids starting services.
rm -f /usr/sbin/policy-rc.d /.dockerenv
# dpkg's database of the host's 150,000 files takes ~90 s to read over
# 9p under TCG: the same dpkg, the same maintainer scripts, run against an
# admin directory that holds only the packages lvsd depends on.
adm=/tmp/dpkg-admin
mkdir -p $adm/info $adm/updates $adm/triggers
: >$adm/available
deps=$(dpkg-deb -f "$deb" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/ //g' | grep .)
# shellcheck disable=SC2086  # one package name a word
dpkg-query -s $deps >$adm/status 2>/dev/null
expect_ok dpkg --admindir=$adm --unpack "$deb"
step "dpkg --configure: the maintainer scripts"
expect_ok dpkg --admindir=$adm --configure lvsd
expect_eq enabled "$(systemctl is-enabled lvsd)" "the unit is enabled"
expect_eq "disabled inactive" "$(systemctl is-enabled lvsd-web) $(systemctl is-active lvsd-web)" "the web console: for the operator to enable"
# No /etc/lvsd/lvs.cf yet: the start at install was skipped, not failed.
expect_eq inactive "$(systemctl is-active lvsd)" "no configuration, not started"
expect_eq no "$(prop ConditionResult)" "the start condition (a configuration file)"
expect_ok getent passwd lvsd
expect_eq lvsd "$(id -gn lvsd)" "lvsd's group"
expect_ok getent group lvsd-admin
for f in /usr/sbin/lvsd /usr/sbin/lvsctl /usr/lib/modules-load.d/lvsd.conf \
    /etc/sysctl.d/60-lvsd.conf /usr/share/doc/lvsd/examples/lvs.cf.nat; do
	[ -e "$f" ] || fail "$f not installed"
done

step "network: a real server in a namespace, its HTTP server"
rs=rs$$
web=/tmp/web.$$
mkdir -p "$web" && echo Real1 >"$web/index.html"
ip netns add $rs || fail "ip netns add"
ip -batch - <<IP || fail "veth"
link add lvs0 type veth peer name eth0 netns $rs
addr add 10.99.0.1/24 dev lvs0
link set lvs0 up
IP
ip -n $rs -batch - <<IP || fail "veth in $rs"
link set lo up
addr add 10.99.0.2/24 dev eth0
link set eth0 up
IP
httpd_pid=
http_up() {
	ip netns exec $rs busybox httpd -f -p 10.99.0.2:80 -h "$web" &
	httpd_pid=$!
}
http_down() { kill "$httpd_pid"; wait "$httpd_pid" 2>/dev/null; }
http_up

# One file serves the director pair; this node is the primary (10.99.0.1).
write_cf() { # SCHEDULER [EXTRA LINE]
	mkdir -p /etc/lvsd
	cat >/etc/lvsd/lvs.cf <<CF
primary = 10.99.0.1
backup = 10.99.0.9
backup_active = 1
network = nat
syncdaemon = 1
syncd_iface = lvs0
syncd_threshold = 2
syncd_period = 0
vrrp site {
    vrid = 51
    interface = lvs0
    advert_int = 100ms
    notify_master = /usr/bin/touch /run/lvsd/notified-master
}
virtual web {
    address = 10.99.0.100 lvs0:1
    port = 80
    scheduler = $1
    check = tcp
    check_interval = 300ms
    check_timeout = 1s
    check_rise = 1
    check_fall = 1
    server Real1 {
        address = 10.99.0.2
    }
}
${2:-}
CF
}
table() { # ipvsadm -Ln: "VIP:PORT SCHEDULER", then "  RS:PORT FORWARD"
	ipvsadm -Ln | awk '$1 == "TCP" { print $2, $3 }
		$1 == "->" && $2 ~ /^[0-9]/ { print "  " $2, $3 }'
}
has_vip() { ip -4 -o addr show dev lvs0 | grep -q ' 10\.99\.0\.100/'; }

step "systemctl start lvsd: active through READY=1"
write_cf wlc
expect_ok systemctl start lvsd
# Type=notify: `active` only after READY=1; STATUS= came through as well.
expect_eq "notify active running" "$(prop Type) $(prop ActiveState) $(prop SubState)" "type and state after start"
expect_match "primary director" "$(prop StatusText)" "STATUS= from sd_notify"
pid1=$(prop MainPID)
expect_eq lvsd "$(cat /proc/"$pid1"/comm)" "the main process"
expect_eq "10.99.0.100:80 wlc
  10.99.0.2:80 Masq" "$(table)" "ipvsadm -Ln after start"
wait_until 20 has_vip || fail "VRRP: 10.99.0.100 not on lvs0: $(ip -o addr show dev lvs0)"

step "user lvsd: processes, capabilities, scheduling, sysctls, a command"
lvsd_uid=$(id -u lvsd)
uid_of() { awk '$1 == "Uid:" { print $2 }' "/proc/$1/status"; }
cap_of() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
kids=$(pgrep -P "$pid1" | tr '\n' ' ')
[ -n "$kids" ] || fail "lvsd has no child process"
for p in $pid1 $kids; do
	what=$(tr '\0' ' ' </proc/"$p"/cmdline)
	expect_eq "$lvsd_uid" "$(uid_of "$p")" "uid of $what"
	# A spare keeps what it was given until it takes over.
	case $what in "lvsd: spare"*) continue ;; esac
	expect_eq 0000000000000000 "$(cap_of "$p" CapAmb)" "ambient set of $what"
done
# cap_net_admin, cap_net_raw
expect_eq 0000000000003000 "$(cap_of "$pid1" CapEff)" "the parent's capabilities"
fo=$(pgrep -P "$pid1" -f '^lvsd: failover' | head -1)
expect_match "SCHED_RR" "$(chrt -p "$fo")" "the failover process's scheduling"
expect_eq "2 0" "$(cat /proc/sys/net/ipv4/vs/sync_threshold | tr -s '\t ' '  ')" "net.ipv4.vs.sync_threshold, set by lvsd"
wait_until 20 test -e /run/lvsd/notified-master || fail "notify_master never ran"
expect_eq lvsd "$(stat -c %U /run/lvsd/notified-master)" "the notify command's user"
expect_match "runs as uid $lvsd_uid with cap_net_admin,cap_net_raw" "$(journal)" "the parent's line on what it keeps"

step "the control socket's roles: root, a member of lvsd-admin, of lvsd"
useradd -M -N -g users -G lvsd-admin opr$$ || fail "useradd opr$$"
useradd -M -N -g users -G lvsd mon$$ || fail "useradd mon$$"
run_as() { setpriv --reuid="$1" --regid=users --init-groups -- "${@:2}"; }
expect_ok lvsctl status
expect_ok run_as opr$$ lvsctl drain web/Real1
expect_eq lvsd "$(stat -c %U /var/lib/lvsd/overrides.json)" "the overrides' owner"
expect_ok run_as mon$$ lvsctl show
out=$(run_as mon$$ lvsctl enable web/Real1 2>&1) && fail "a member of lvsd enabled a server: $out"
expect_match "needs the admin role" "$out" "the refusal a member of lvsd sees"
expect_ok lvsctl enable web/Real1
expect_match "web/Real1 drained by opr$$" "$(journal)" "who drained, in the journal"

step "journal: a health transition's fields (DOWN, UP)"
wait_until 20 sh -c 'journalctl -q -u lvsd LVSD_SERVER=web/Real1 LVSD_HEALTH=UP | grep -q .' ||
	fail "no UP entry with LVSD_SERVER=web/Real1: $(journal)"
http_down
wait_until 20 sh -c 'journalctl -q -u lvsd LVSD_SERVER=web/Real1 LVSD_HEALTH=DOWN | grep -q .' ||
	fail "no DOWN entry with LVSD_SERVER=web/Real1: $(journal)"
expect_match "^web/Real1 10\.99\.0\.2:80 DOWN: " "$(journal LVSD_VIRTUAL=web LVSD_HEALTH=DOWN)" "journalctl LVSD_VIRTUAL=web"
expect_eq "10.99.0.2:80" "$(journal -o export LVSD_SERVER=web/Real1 LVSD_HEALTH=DOWN | sed -n 's/^LVSD_ADDRESS=//p' | tail -1)" "LVSD_ADDRESS"
http_up
wait_until 20 sh -c '[ "$(journalctl -q -u lvsd LVSD_SERVER=web/Real1 LVSD_HEALTH=UP | wc -l)" -ge 2 ]' ||
	fail "Real1 not back UP: $(journal)"

step "journal: a VRRP transition's fields"
expect_match "^vrrp site: BACKUP -> MASTER \(master-down\)$" "$(journal LVSD_INSTANCE=site LVSD_STATE=MASTER)" "journalctl LVSD_INSTANCE=site"
expect_eq "BACKUP master-down" "$(journal -o export LVSD_INSTANCE=site LVSD_STATE=MASTER | sed -n 's/^LVSD_OLD_STATE=//p; s/^LVSD_REASON=//p' | tr '\n' ' ' | sed 's/ $//')" "LVSD_OLD_STATE, LVSD_REASON"

step "systemctl reload lvsd: a good file applies"
write_cf rr
expect_ok systemctl reload lvsd
expect_eq "10.99.0.100:80 rr
  10.99.0.2:80 Masq" "$(table)" "ipvsadm -Ln after a good reload"

step "systemctl reload lvsd: a bad file fails, nothing changes"
write_cf wrr "schedular = wlc"
out=$(systemctl reload lvsd 2>&1) && fail "reload of a bad file succeeded: $out"
expect_eq "active $pid1" "$(prop ActiveState) $(prop MainPID)" "state and main process after a bad reload"
expect_eq "10.99.0.100:80 rr
  10.99.0.2:80 Masq" "$(table)" "ipvsadm -Ln after a bad reload"
expect_match "unknown key .schedular." "$(journal)" "the bad file's error in the journal"
has_vip || fail "the VIP left after a bad reload"

step "kill -STOP: the watchdog kills and restarts lvsd"
write_cf rr
n0=$(prop NRestarts)
kill -STOP "$pid1"
restarted() { [ "$(prop NRestarts)" -gt "$n0" ] && [ "$(prop ActiveState)" = active ]; }
# WatchdogSec=10s, RestartSec=2s, then a start.
wait_until 40 restarted || fail "not restarted: $(systemctl status lvsd 2>&1 | tail -20)"
pid2=$(prop MainPID)
[ "$pid2" != "$pid1" ] || fail "same main process after the watchdog"
expect_match "Watchdog timeout" "$(journalctl --no-pager -q -u lvsd -o cat _PID=1)" "systemd's watchdog message"
expect_eq "10.99.0.100:80 rr
  10.99.0.2:80 Masq" "$(table)" "ipvsadm -Ln after the restart"
wait_until 20 has_vip || fail "VIP not back after the restart"

step "a configuration error (exit 2) is not restarted"
write_cf rr "schedular = wlc"
# (An operator's restart sets NRestarts, the automatic restarts, to 0.)
systemctl restart lvsd >/dev/null 2>&1 && fail "restart with a bad file succeeded"
# RestartSec=2s: a restart would have come within this.
vm_sleep 5
expect_eq "failed 0" "$(prop ActiveState) $(prop NRestarts)" "state and automatic restarts after a configuration error"
expect_eq "exit-code 2" "$(prop Result) $(prop ExecMainStatus)" "the failure: lvsd's exit status"

step "script_user = root: refused as lvsd, runs under lvsd.8's drop-in"
write_cf rr "script_user = root"
systemctl restart lvsd >/dev/null 2>&1 && fail "start with script_user = root succeeded as user lvsd"
expect_match "script_user root: lvsd runs as lvsd .* without CAP_SETUID and CAP_SETGID" "$(journal)" "the refusal in the journal"
mkdir -p /etc/systemd/system/lvsd.service.d
cat >/etc/systemd/system/lvsd.service.d/root.conf <<'UNIT'
[Service]
User=root
Group=root
CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_KILL
UNIT
systemctl daemon-reload
expect_ok systemctl restart lvsd
expect_eq 0 "$(uid_of "$(prop MainPID)")" "uid of lvsd under the drop-in"
rm -r /etc/systemd/system/lvsd.service.d
systemctl daemon-reload

step "systemctl stop: no IPVS rule, no VIP"
write_cf rr
expect_ok systemctl start lvsd
wait_until 20 has_vip || fail "VIP not taken after the start"
expect_ok systemctl stop lvsd
expect_eq inactive "$(systemctl is-active lvsd)" "state after stop"
expect_eq "" "$(ipvsadm -Sn)" "ipvsadm -Sn after stop"
has_vip && fail "10.99.0.100 still on lvs0 after stop"

step "done"
http_down 2>/dev/null
ip netns del $rs
exit 0
