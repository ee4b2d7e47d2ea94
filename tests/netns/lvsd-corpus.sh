#!/bin/sh
# Corpus test: every lvs.cf file of the tree (etc/, tests/, a generated
# bench/ table) and 520 seeded mutations of them go through `lvsd -t`, a
# real start and a reload of a running daemon (namespaces, IPVS dry run):
# each file is refused by all of them or by none (tests/netns/corpus/).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
NS=lvcorpus$$
T=$(mktemp -d /tmp/lvsd-corpus.XXXXXX)
cleanup() { ip netns del "$NS" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
ip netns add "$NS" || { echo "SKIP: cannot create a namespace"; exit 77; }
# The interfaces the corpus names, with an address of each family (no
# route leaves the namespace: checks of real servers go nowhere).
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	net.ipv6.conf.default.accept_dad=0
ip -n "$NS" link set lo up
n=0
for dev in eth0 eth1 eth2; do
	ip -n "$NS" link add "$dev" type veth peer name "peer$n"
	ip -n "$NS" link set "$dev" up
	ip -n "$NS" link set "peer$n" up
	ip -n "$NS" addr add "10.25$n.0.2/24" dev "$dev"
	ip -n "$NS" addr add "fd00:25$n::2/64" dev "$dev" nodad
	n=$((n + 1))
done
mkdir "$T/corpus" "$T/work"
i=0
for f in "$top_srcdir"/etc/lvs.cf.* "$top_srcdir"/tests/unit/data/*.cf \
    "$top_srcdir"/tests/fuzz/corpus/cfg/*; do
	cp "$f" "$T/corpus/$(printf %03d $i)-$(basename "$f")"
	i=$((i + 1))
done
python3 "$top_srcdir/bench/ipvs-apply/gen.py" --services 20 --rs 4 --edits 2 \
	"$T/bench" >/dev/null && cp "$T/bench/lvs.cf" "$T/corpus/$i-bench.cf" &&
	cp "$T/bench/lvs-edited.cf" "$T/corpus/$i-bench-edited.cf"
python3 "$top_srcdir/tests/netns/corpus/mutate.py" 520 "$T/corpus" \
	"$top_srcdir"/etc/lvs.cf.* "$top_srcdir"/tests/unit/data/*.cf
python3 "$top_srcdir/tests/netns/corpus/verdicts.py" "$top_builddir/lvsd" \
	"$top_builddir/lvsctl" "$NS" "$T/work" "$T"/corpus/*
