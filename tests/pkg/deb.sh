#!/bin/sh
# The Debian package: `dpkg-buildpackage -us -uc -b` builds it from the
# release tree (scripts/build-deb), lintian reports no error and no warning,
# and it ships what an operator expects: the programs, their manual pages,
# the unit, example files, the user and groups, ip_vs at boot and the
# commented sysctl file; its scripts create the user and enable the unit.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
if ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null ||
    ! command -v lintian >/dev/null; then
	echo "SKIP: dpkg-buildpackage, debhelper or lintian missing (scripts/install-deps)"
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
no() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else no "$1"; fi; }

out=$top_builddir/deb
BUILD_DIR=$top_builddir DEB_OUT=$out "$top_srcdir/scripts/build-deb"
check "dpkg-buildpackage -us -uc -b builds it; lintian: no error, no warning" '[ $? -eq 0 ]'
deb=$(ls "$out"/lvsd_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "not ok - no .deb in $out"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check "lintian's report has no E: or W: line" '! grep -q "^[EW]: " "$out/lintian.txt"'

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/files"
for f in /usr/sbin/lvsd /usr/sbin/lvsctl /usr/sbin/lvsd-web \
    /usr/sbin/lvsd-import-keepalived /usr/share/man/man8/lvsd-import-keepalived.8.gz \
    /usr/share/man/man8/lvsd-web.8.gz /lib/systemd/system/lvsd-web.service \
    /usr/share/lvsd/web/index.html /usr/share/doc/lvsd/examples/lvsd-web.conf \
    /usr/share/man/man8/lvsd.8.gz \
    /usr/share/man/man8/lvsctl.8.gz /usr/share/man/man5/lvs.cf.5.gz \
    /lib/systemd/system/lvsd.service /usr/share/doc/lvsd/examples/lvs.cf.nat \
    /usr/share/doc/lvsd/examples/lvs.cf.dr /usr/share/doc/lvsd/copyright \
    /usr/lib/sysusers.d/lvsd.conf /usr/lib/modules-load.d/lvsd.conf \
    /etc/sysctl.d/60-lvsd.conf; do
	check "ships $f" 'grep -qx "$f" "$tmp/files"'
done
dpkg-deb -x "$deb" "$tmp/root"
dpkg-deb -e "$deb" "$tmp/ctl"
check "the unit runs /usr/sbin/lvsd on /etc/lvsd/lvs.cf" 'grep -qx "ExecStart=/usr/sbin/lvsd -f /etc/lvsd/lvs.cf" "$tmp/root/lib/systemd/system/lvsd.service"'
check "sysusers: user lvsd, group lvsd-admin" 'grep -q "^u lvsd " "$tmp/root/usr/lib/sysusers.d/lvsd.conf" && grep -q "^g lvsd-admin " "$tmp/root/usr/lib/sysusers.d/lvsd.conf"'
check "modules-load: ip_vs" 'grep -qx "ip_vs" "$tmp/root/usr/lib/modules-load.d/lvsd.conf"'
check "sysctl: every setting commented" '! grep -v "^#" "$tmp/root/etc/sysctl.d/60-lvsd.conf" | grep -q . && grep -q "^#net.ipv4.vs.expire_nodest_conn = 1" "$tmp/root/etc/sysctl.d/60-lvsd.conf"'
check "conffile: the sysctl file" 'grep -qx "/etc/sysctl.d/60-lvsd.conf" "$tmp/ctl/conffiles"'
check "postinst: creates the user (systemd-sysusers)" 'grep -q "systemd-sysusers.*lvsd.conf" "$tmp/ctl/postinst"'
check "postinst: enables and starts the unit" 'grep -q "deb-systemd-helper.*enable.*lvsd.service" "$tmp/ctl/postinst" && grep -q "deb-systemd-invoke .*lvsd.service" "$tmp/ctl/postinst" && grep -q "_dh_action=start" "$tmp/ctl/postinst"'
check "postinst: the web console is not enabled (but kept enabled if it was) nor started" 'grep -q "debian-installed .lvsd-web.service." "$tmp/ctl/postinst" && ! grep -q "invoke .*lvsd-web" "$tmp/ctl/postinst"'
version=$("$top_builddir/lvsd" --version | cut -d" " -f2)
check "package version = lvsd --version ($version; debian/changelog)" '[ "$(dpkg-deb -f "$deb" Version)" = "$version" ]'
rsdeb=$(ls "$out"/lvs-realserver_*.deb 2>/dev/null | head -1)
check "lvs-realserver is a package of its own, with its manual page" '[ -n "$rsdeb" ] && dpkg-deb -c "$rsdeb" | grep -q "usr/sbin/lvs-realserver$" && dpkg-deb -c "$rsdeb" | grep -q "man8/lvs-realserver.8.gz$" && ! grep -q lvs-realserver "$tmp/files"'
check "binaries are hardened (PIE, full RELRO)" 'command -v readelf >/dev/null && readelf -h "$tmp/root/usr/sbin/lvsd" | grep -q "DYN" && readelf -d "$tmp/root/usr/sbin/lvsd" | grep -q "BIND_NOW"'

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
