# The daemon itself in network namespaces (module-level netns tests are
# registered by their modules' fragments).
TESTS += tests/netns/lvsd-failover.sh
EXTRA_DIST += tests/netns/lvsd-failover.sh
TESTS += tests/netns/lvsd-ctl.sh
EXTRA_DIST += tests/netns/lvsd-ctl.sh
TESTS += tests/netns/lvsd-roles.sh
EXTRA_DIST += tests/netns/lvsd-roles.sh
TESTS += tests/netns/lvsd-vips.sh
EXTRA_DIST += tests/netns/lvsd-vips.sh
TESTS += tests/netns/lvsd-reload-storm.sh
EXTRA_DIST += tests/netns/lvsd-reload-storm.sh
TESTS += tests/netns/lvsd-reload-vrrp.sh
EXTRA_DIST += tests/netns/lvsd-reload-vrrp.sh
TESTS += tests/netns/lvsd-reload-atomic.sh
EXTRA_DIST += tests/netns/lvsd-reload-atomic.sh
TESTS += tests/netns/lvsd-reload-unchanged.sh
EXTRA_DIST += tests/netns/lvsd-reload-unchanged.sh tests/netns/single/lib.sh \
	tests/netns/privs/lib.sh
TESTS += tests/netns/lvsd-corpus.sh
EXTRA_DIST += tests/netns/lvsd-corpus.sh tests/netns/corpus/mutate.py \
	tests/netns/corpus/verdicts.py
TESTS += tests/netns/lvsd-isolation.sh
EXTRA_DIST += tests/netns/lvsd-isolation.sh tests/netns/isolation/load.py \
	tests/netns/isolation/gaps.py
# lvsd-web: the console in Chromium, Prometheus scraping it, 10,000 services.
TESTS += tests/netns/web-console.sh tests/netns/web-prometheus.sh \
	tests/netns/web-load.sh
EXTRA_DIST += tests/netns/web-console.sh tests/netns/web-prometheus.sh \
	tests/netns/web-load.sh tests/netns/web/lib.sh \
	tests/web/package.json tests/web/package-lock.json tests/web/console.mjs
TESTS += tests/netns/import-keepalived-vrrp.sh
EXTRA_DIST += tests/netns/import-keepalived-vrrp.sh
TESTS += tests/netns/lvsd-supervision.sh
EXTRA_DIST += tests/netns/lvsd-supervision.sh
# VRRP peers (lvs.cf names who may speak) and drills that look first.
TESTS += tests/netns/vrrp-strangers.sh tests/netns/lvsd-drill.sh
EXTRA_DIST += tests/netns/vrrp-strangers.sh tests/netns/lvsd-drill.sh
# What each process runs as, keeps and may call (lvsd.8, PRIVILEGES).
TESTS += tests/netns/lvsd-privs.sh
EXTRA_DIST += tests/netns/lvsd-privs.sh
# The same as user lvsd with a unit's ambient capabilities (setpriv).
TESTS += tests/netns/lvsd-nonroot.sh
EXTRA_DIST += tests/netns/lvsd-nonroot.sh
# lvsd's route announcement (`announce` block) with BIRD: routes, BGP,
# withdraw/restore, quorum, stop order, stale routes after a crash.
TESTS += tests/netns/lvsd-announce.sh
EXTRA_DIST += tests/netns/lvsd-announce.sh
