# The daemon itself in network namespaces (module-level netns tests are
# registered by their modules' fragments).
TESTS += tests/netns/lvsd-failover.sh
EXTRA_DIST += tests/netns/lvsd-failover.sh
TESTS += tests/netns/lvsd-ctl.sh
EXTRA_DIST += tests/netns/lvsd-ctl.sh
TESTS += tests/netns/lvsd-vips.sh
EXTRA_DIST += tests/netns/lvsd-vips.sh
TESTS += tests/netns/lvsd-reload-storm.sh
EXTRA_DIST += tests/netns/lvsd-reload-storm.sh
TESTS += tests/netns/lvsd-reload-vrrp.sh
EXTRA_DIST += tests/netns/lvsd-reload-vrrp.sh
TESTS += tests/netns/lvsd-reload-atomic.sh
EXTRA_DIST += tests/netns/lvsd-reload-atomic.sh
TESTS += tests/netns/lvsd-corpus.sh
EXTRA_DIST += tests/netns/lvsd-corpus.sh tests/netns/corpus/mutate.py \
	tests/netns/corpus/verdicts.py
