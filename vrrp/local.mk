noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(SYSTEMD_CFLAGS)
vrrp_libvrrp_a_SOURCES = \
	vrrp/vrrp.h \
	vrrp/packet.c vrrp/packet.h \
	vrrp/config.c \
	vrrp/fsm.c vrrp/fsm.h \
	vrrp/pulse_fsm.c
