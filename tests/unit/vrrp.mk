# Unit tests of the failover module (vrrp/).
VRRP_TEST_LDADD = vrrp/libvrrp.a lib/liblvs.a $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_vrrp_packet
TESTS += tests/unit/test_vrrp_packet
tests_unit_test_vrrp_packet_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_vrrp_packet_LDADD = $(VRRP_TEST_LDADD)

check_PROGRAMS += tests/unit/test_vrrp_fsm
TESTS += tests/unit/test_vrrp_fsm
tests_unit_test_vrrp_fsm_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_vrrp_fsm_LDADD = $(VRRP_TEST_LDADD)

check_PROGRAMS += tests/unit/test_pulse_fsm
TESTS += tests/unit/test_pulse_fsm
tests_unit_test_pulse_fsm_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_pulse_fsm_LDADD = $(VRRP_TEST_LDADD)

# Batched address changes and VIP sets against the kernel (root: a
# namespace of its own).
check_PROGRAMS += tests/unit/test_vrrp_vips
TESTS += tests/unit/test_vrrp_vips
tests_unit_test_vrrp_vips_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(SYSTEMD_CFLAGS)
tests_unit_test_vrrp_vips_LDADD = $(VRRP_TEST_LDADD) $(LIBMNL_LIBS) $(SYSTEMD_LIBS)

# Driver for the namespace tests (tests/netns/vrrp-*.sh, pulse-*.sh).
check_PROGRAMS += tests/netns/failover/failover-driver
tests_netns_failover_failover_driver_SOURCES = tests/netns/failover/driver.c
tests_netns_failover_failover_driver_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(LIBNL_CFLAGS)
tests_netns_failover_failover_driver_LDADD = vrrp/libvrrp.a lib/liblvs.a $(LIBNL_LIBS) $(LIBMNL_LIBS) $(SYSTEMD_LIBS)

# Namespace tests (root; exit 77 otherwise).
VRRP_NETNS_TESTS = tests/netns/vrrp-election.sh \
	tests/netns/vrrp-families.sh \
	tests/netns/vrrp-split-brain.sh \
	tests/netns/vrrp-bad-peers.sh \
	tests/netns/vrrp-drill.sh \
	tests/netns/vrrp-reload.sh \
	tests/netns/vrrp-keepalived.sh \
	tests/netns/vrrp-wire.sh \
	tests/netns/pulse-failover.sh
TESTS += $(VRRP_NETNS_TESTS)
EXTRA_DIST += $(VRRP_NETNS_TESTS) tests/netns/failover/lib.sh \
	tests/netns/failover/craft.py

# Route announcement (vrrp/announce*.c): the plan of a change, the
# reading of rtnetlink answers.
check_PROGRAMS += tests/unit/test_vrrp_announce
TESTS += tests/unit/test_vrrp_announce
tests_unit_test_vrrp_announce_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_vrrp_announce_LDADD = $(VRRP_TEST_LDADD)

# Its driver: the netns tests' and the ECMP lab's stand-in for lvsd's
# announcements (built by `make`: lab/lvs-lab uses it).
noinst_PROGRAMS += tests/netns/announce/announce-driver
tests_netns_announce_announce_driver_SOURCES = tests/netns/announce/driver.c
tests_netns_announce_announce_driver_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(LIBNL_CFLAGS)
tests_netns_announce_announce_driver_LDADD = vrrp/libvrrp.a lib/liblvs.a $(LIBNL_LIBS) $(SYSTEMD_LIBS)
ANNOUNCE_NETNS_TESTS = tests/netns/announce-routes.sh tests/netns/announce-bird.sh
TESTS += $(ANNOUNCE_NETNS_TESTS)
EXTRA_DIST += $(ANNOUNCE_NETNS_TESTS) tests/netns/announce/lib.sh \
	tests/netns/announce/birdconf.sh
