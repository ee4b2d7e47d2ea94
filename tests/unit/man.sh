#!/bin/sh
# The manual pages render without groff warnings, and lvs.cf(5) documents
# every key of the parser's key tables (cfg/keys.c).
set -u
: "${top_srcdir:?}"
pass=0 fail=0
if ! command -v man >/dev/null 2>&1; then
	echo "SKIP: man not installed (apt-get install man-db groff-base)"
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
for page in "$top_srcdir"/man/*.in; do
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	if [ -z "$warn" ] && LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q NAME; then
		pass=$((pass + 1)); echo "ok - $(basename "$page") renders"
	else
		fail=$((fail + 1)); echo "not ok - $(basename "$page"): $warn"
	fi
done
keys=$(sed -n 's/^[[:space:]]*\[CFG_[GVSFA]_[A-Z_]*\] = \(.*(\)\{0,1\}{\{0,1\} *"\([a-z_]*\)".*/\2/p' \
	"$top_srcdir/cfg/keys.c" | sort -u)
n=0
for k in $keys; do
	n=$((n + 1))
	if grep -q "^\.B[IR]* \"\{0,1\}$k[ \"]" "$top_srcdir/man/lvs.cf.5.in"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "not ok - lvs.cf(5) does not document \`$k\`"
	fi
done
[ "$n" -ge 45 ] || { fail=$((fail + 1)); echo "not ok - found only $n keys in cfg/keys.c"; }
echo "ok - $n keys checked against lvs.cf(5)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
