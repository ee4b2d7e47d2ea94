#!/bin/sh
# birdconf.sh SHIPPED OUT LOG [NAME=VALUE | -BLOCK | +LINE]... - a shipped
# BIRD file (etc/bird-*.conf) made concrete for a test or the lab: each
# NAME=VALUE replaces the value of `define NAME`, each -BLOCK drops the
# block that starts with the line BLOCK (e.g. "-protocol bgp router6"),
# each +LINE is added after the log line (global options must precede
# the protocols), and the log goes to the file LOG.  The rest stays as shipped, so the
# tests run what operators get.
set -eu
src=$1 out=$2 log=$3
shift 3
cp "$src" "$out"
for a in "$@"; do
	case $a in
	-*) b=${a#-}; sed -i "/^$b {/,/^}/d" "$out" ;;
	+*) sed -i "/^log syslog all;/a ${a#+}" "$out" ;;
	*=*) sed -i "s|^define ${a%%=*} = [^;]*;|define ${a%%=*} = ${a#*=};|" "$out" ;;
	*) echo "birdconf.sh: NAME=VALUE, -BLOCK or +LINE, not '$a'" >&2; exit 2 ;;
	esac
done
sed -i "s|^log syslog all;|log \"$log\" all;|" "$out"
