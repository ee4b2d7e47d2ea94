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
