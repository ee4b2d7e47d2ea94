#!/bin/sh
# Every keepalived.conf sample Debian's keepalived package ships, through
# lvsd-import-keepalived (with the directors' addresses given, as an
# operator would): each either converts, and lvsd -t accepts the result,
# or is refused with exactly the located reasons below (constructs lvs.cf
# cannot express), writing nothing; with --force the rest is written and
# lvsd -t accepts it.  A sample that converts differently fails the test.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
imp=$top_builddir/lvsd-import-keepalived
lvsd=$top_builddir/lvsd
samples=/usr/share/doc/keepalived/samples
if ! ls "$samples"/keepalived.conf.* >/dev/null 2>&1; then
	echo "SKIP: no keepalived samples in $samples (apt-get install keepalived)"
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }

# SAMPLE LINE:COL: what lvs.cf cannot express (keepalived 1:2.2.7's samples)
expected() {
	cat <<'EXPECTED'
IPv6 24:9: cannot convert: SMTP_CHECK: lvs.cf has no SMTP dialogue check (HELO, QUIT)
SMTP_CHECK 39:9: cannot convert: SMTP_CHECK: lvs.cf has no SMTP dialogue check (HELO, QUIT)
SMTP_CHECK 58:9: cannot convert: SMTP_CHECK: lvs.cf has no SMTP dialogue check (HELO, QUIT)
SMTP_CHECK 89:9: cannot convert: SMTP_CHECK: lvs.cf has no SMTP dialogue check (HELO, QUIT)
SSL_GET 20:19: cannot convert: lvsd does not speak VRRP's IPsec AH authentication
SSL_GET 25:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.17, the address of no virtual_server, cannot be expressed
SSL_GET 26:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.18, the address of no virtual_server, cannot be expressed
SSL_GET 44:13: cannot convert: lvs.cf checks one URL per virtual service: this second `url` cannot be expressed
SSL_GET 69:13: cannot convert: lvs.cf checks one URL per virtual service: this second `url` cannot be expressed
UDP_CHECK 23:9: cannot convert: UDP_CHECK without `require_reply` counts a silent server as up; lvsd's UDP check needs an answer
conditional_conf 3:1: cannot convert: conditional configuration (`@high`): which lines apply depends on keepalived's config id; give it with --primary-id (and --backup-id)
conditional_conf 23:2: cannot convert: lvsd has no virtual MAC interfaces: `use_vmac` cannot be expressed
conditional_conf 24:2: cannot convert: lvsd moves an instance on its directors' failures and its devices' links (monitor_links) only: `track_script` cannot be expressed
conditional_conf 28:3: cannot convert: lvsd watches the links of the instance's interface and of its addresses' devices only (monitor_links): `eth3` is neither
conditional_conf 29:8: cannot convert: lvs.cf has no weighted tracking: `weight` cannot be expressed
conditional_conf+ids 3:7: cannot convert: lvs.cf names no namespace: run lvsd in it (`ip netns exec NAME lvsd`); `net_namespace` cannot be expressed
conditional_conf+ids 4:6: cannot convert: lvs.cf names no namespace: run lvsd in it (`ip netns exec NAME lvsd`); `net_namespace` cannot be expressed
conditional_conf+ids 23:2: cannot convert: lvsd has no virtual MAC interfaces: `use_vmac` cannot be expressed
conditional_conf+ids 24:2: cannot convert: lvsd moves an instance on its directors' failures and its devices' links (monitor_links) only: `track_script` cannot be expressed
conditional_conf+ids 28:3: cannot convert: lvsd watches the links of the instance's interface and of its addresses' devices only (monitor_links): `eth3` is neither
conditional_conf+ids 29:8: cannot convert: lvs.cf has no weighted tracking: `weight` cannot be expressed
quorum 31:3: cannot convert: lvs.cf has no quorum: the service stays while any real server is up (then the sorry server); `quorum 7` cannot be expressed
quorum 32:3: cannot convert: lvs.cf has no quorum: the service stays while any real server is up (then the sorry server); `hysteresis 2` cannot be expressed
quorum 33:3: cannot convert: lvs.cf has no quorum and runs no command for it: `quorum_up` cannot be expressed
quorum 34:3: cannot convert: lvs.cf has no quorum and runs no command for it: `quorum_down` cannot be expressed
sample 21:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.12, the address of no virtual_server, cannot be expressed
sample 22:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.13, the address of no virtual_server, cannot be expressed
status_code 28:13: cannot convert: lvs.cf checks one URL per virtual service: this second `url` cannot be expressed
track_interface 7:1: cannot convert: lvsd manages no static addresses, routes or rules (the system's network configuration does): `static_routes` cannot be expressed
track_interface 18:7: cannot convert: lvsd watches the links of the instance's interface and of its addresses' devices only (monitor_links): `eth0` is neither
track_interface 25:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.17, the address of no virtual_server, cannot be expressed
track_interface 26:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.18, the address of no virtual_server, cannot be expressed
track_interface 28:5: cannot convert: lvsd moves addresses, not routes: `virtual_routes` cannot be expressed
virtualhost 29:13: cannot convert: lvs.cf checks one URL per virtual service: this second `url` cannot be expressed
vrrp 27:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.17, the address of no virtual_server, cannot be expressed
vrrp 28:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.18, the address of no virtual_server, cannot be expressed
vrrp 36:1: cannot convert: vrrp_instance VI_2 moves no address lvs.cf can hold: it is not converted
vrrp 43:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.13, the address of no virtual_server, cannot be expressed
vrrp 44:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.14, the address of no virtual_server, cannot be expressed
vrrp 45:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.15, the address of no virtual_server, cannot be expressed
vrrp 49:1: cannot convert: vrrp_instance VI_3 moves no address lvs.cf can hold: it is not converted
vrrp 61:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.13, the address of no virtual_server, cannot be expressed
vrrp 62:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.14, the address of no virtual_server, cannot be expressed
vrrp 63:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.15, the address of no virtual_server, cannot be expressed
vrrp 67:1: cannot convert: vrrp_instance VI_4 moves no address lvs.cf can hold: it is not converted
vrrp 74:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.16, the address of no virtual_server, cannot be expressed
vrrp 75:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.17, the address of no virtual_server, cannot be expressed
vrrp 76:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.18, the address of no virtual_server, cannot be expressed
vrrp.localcheck 51:13: cannot convert: lvs.cf has no weighted tracking: `weight` cannot be expressed
vrrp.localcheck 52:13: cannot convert: lvs.cf has no weighted tracking: `weight` cannot be expressed
vrrp.localcheck 53:8: cannot convert: lvsd watches the links of the instance's interface and of its addresses' devices only (monitor_links): `eth3` is neither
vrrp.localcheck 55:5: cannot convert: lvsd moves an instance on its directors' failures and its devices' links (monitor_links) only: `track_script` cannot be expressed
vrrp.localcheck 64:1: cannot convert: vrrp_instance VI_2 moves no address lvs.cf can hold: it is not converted
vrrp.localcheck 70:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.18, the address of no virtual_server, cannot be expressed
vrrp.localcheck 73:13: cannot convert: lvs.cf has no weighted tracking: `weight` cannot be expressed
vrrp.localcheck 74:13: cannot convert: lvs.cf has no weighted tracking: `weight` cannot be expressed
vrrp.localcheck 75:8: cannot convert: lvsd watches the links of the instance's interface and of its addresses' devices only (monitor_links): `eth3` is neither
vrrp.localcheck 77:5: cannot convert: lvsd moves an instance on its directors' failures and its devices' links (monitor_links) only: `track_script` cannot be expressed
vrrp.localcheck 85:1: cannot convert: vrrp_instance VI_3 moves no address lvs.cf can hold: it is not converted
vrrp.localcheck 90:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.19, the address of no virtual_server, cannot be expressed
vrrp.localcheck 94:1: cannot convert: vrrp_instance VI_4 moves no address lvs.cf can hold: it is not converted
vrrp.localcheck 99:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.19, the address of no virtual_server, cannot be expressed
vrrp.localcheck 103:1: cannot convert: vrrp_instance VI_5 moves no address lvs.cf can hold: it is not converted
vrrp.localcheck 109:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.20, the address of no virtual_server, cannot be expressed
vrrp.localcheck 114:1: cannot convert: vrrp_instance VI_6 moves no address lvs.cf can hold: it is not converted
vrrp.localcheck 120:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.21, the address of no virtual_server, cannot be expressed
vrrp.localcheck 124:1: cannot convert: vrrp_instance VI_7 moves no address lvs.cf can hold: it is not converted
vrrp.localcheck 130:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.22, the address of no virtual_server, cannot be expressed
vrrp.localcheck 134:1: cannot convert: vrrp_instance VI_8 moves no address lvs.cf can hold: it is not converted
vrrp.localcheck 140:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.23, the address of no virtual_server, cannot be expressed
vrrp.localcheck 144:1: cannot convert: vrrp_instance VI_9 moves no address lvs.cf can hold: it is not converted
vrrp.localcheck 150:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.24, the address of no virtual_server, cannot be expressed
vrrp.lvs_syncd 21:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.17, the address of no virtual_server, cannot be expressed
vrrp.lvs_syncd 22:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.18, the address of no virtual_server, cannot be expressed
vrrp.lvs_syncd 33:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.20, the address of no virtual_server, cannot be expressed
vrrp.lvs_syncd 34:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.21, the address of no virtual_server, cannot be expressed
vrrp.lvs_syncd 44:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.19, the address of no virtual_server, cannot be expressed
vrrp.lvs_syncd 45:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.20, the address of no virtual_server, cannot be expressed
vrrp.lvs_syncd 46:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.21, the address of no virtual_server, cannot be expressed
vrrp.routes 7:1: cannot convert: lvsd manages no static addresses, routes or rules (the system's network configuration does): `static_routes` cannot be expressed
vrrp.routes 22:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.17, the address of no virtual_server, cannot be expressed
vrrp.routes 23:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.18, the address of no virtual_server, cannot be expressed
vrrp.routes 25:5: cannot convert: lvsd moves addresses, not routes: `virtual_routes` cannot be expressed
vrrp.rules 9:1: cannot convert: lvsd manages no static addresses, routes or rules (the system's network configuration does): `static_rules` cannot be expressed
vrrp.rules 21:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.17, the address of no virtual_server, cannot be expressed
vrrp.rules 22:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.18, the address of no virtual_server, cannot be expressed
vrrp.rules 24:5: cannot convert: lvsd moves addresses, not routing rules: `virtual_rules` cannot be expressed
vrrp.scripts 6:1: cannot convert: vrrp_instance G1 moves no address lvs.cf can hold: it is not converted
vrrp.scripts 29:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.17, the address of no virtual_server, cannot be expressed
vrrp.scripts 30:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.18, the address of no virtual_server, cannot be expressed
vrrp.scripts 44:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.100, the address of no virtual_server, cannot be expressed
vrrp.scripts 54:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.101, the address of no virtual_server, cannot be expressed
vrrp.static_ipaddress 7:1: cannot convert: lvsd manages no static addresses, routes or rules (the system's network configuration does): `static_ipaddress` cannot be expressed
vrrp.static_ipaddress 21:5: cannot convert: lvsd moves addresses, not routes: `virtual_routes` cannot be expressed
vrrp.sync 18:1: cannot convert: vrrp_instance G2 moves no address lvs.cf can hold: it is not converted
vrrp.sync 41:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.18, the address of no virtual_server, cannot be expressed
vrrp.sync 50:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.19, the address of no virtual_server, cannot be expressed
vrrp.sync 59:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.201.19, the address of no virtual_server, cannot be expressed
vrrp.sync 69:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.20, the address of no virtual_server, cannot be expressed
vrrp.sync 79:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.21, the address of no virtual_server, cannot be expressed
vrrp.sync 89:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.22, the address of no virtual_server, cannot be expressed
vrrp.sync 99:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.23, the address of no virtual_server, cannot be expressed
vrrp.sync 109:9: cannot convert: lvs.cf moves the addresses of its virtual services and one `nat_router`: 192.168.200.24, the address of no virtual_server, cannot be expressed
EXPECTED
}

# convert NAME FILE ARGS...: one conversion checked against expected()
convert() {
	name=$1 f=$2
	shift 2
	"$imp" -q --primary 192.0.2.1 --backup 192.0.2.2 "$@" -o "$tmp/$name.cf" \
	    "$f" 2>"$tmp/$name.err"
	rc=$?
	got=$(grep ': cannot convert: \|: error: ' "$tmp/$name.err" | sed "s|^$f:||")
	want=$(expected | sed -n "s|^$name ||p")
	if [ "$got" = "$want" ]; then
		ok "$name: $(echo "$want" | grep -c .) located reasons, as expected"
	else
		no "$name: reasons differ (- expected, + got):"
		printf '%s\n' "$want" >"$tmp/want"
		printf '%s\n' "$got" >"$tmp/got"
		diff -u "$tmp/want" "$tmp/got" | tail -n +3 | sed 's/^/#   /'
	fi
	if [ -z "$want" ]; then
		[ $rc -eq 0 ] && "$lvsd" -t -f "$tmp/$name.cf" >/dev/null 2>"$tmp/t.err" &&
			ok "$name converts and lvsd -t accepts it" ||
			no "$name: exit $rc, lvsd -t: $(cat "$tmp/t.err")"
		converted=$((converted + 1))
		return
	fi
	[ $rc -eq 1 ] && [ ! -e "$tmp/$name.cf" ] &&
		ok "$name refused (exit 1), nothing written" ||
		no "$name: exit $rc (want 1), output $(ls "$tmp/$name.cf" 2>&1)"
	"$imp" -q --force --primary 192.0.2.1 --backup 192.0.2.2 "$@" \
	    -o "$tmp/$name.cf" "$f" 2>/dev/null
	rc=$?
	[ $rc -eq 0 ] && "$lvsd" -t -f "$tmp/$name.cf" >/dev/null 2>"$tmp/t.err" &&
		ok "$name --force: the rest written, lvsd -t accepts it" ||
		no "$name --force: exit $rc, lvsd -t: $(cat "$tmp/t.err")"
}

n=0 converted=0
for f in "$samples"/keepalived.conf.*; do
	n=$((n + 1))
	convert "${f##*/keepalived.conf.}" "$f"
done
# the conditional sample, read once per director's config id
convert conditional_conf+ids "$samples/keepalived.conf.conditional_conf" \
    --primary-id high --backup-id low
[ $n -ge 25 ] && ok "$n samples ($converted convert as they are)" ||
	no "only $n samples in $samples"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
