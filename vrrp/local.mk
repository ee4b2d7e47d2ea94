noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(SYSTEMD_CFLAGS)
vrrp_libvrrp_a_SOURCES = \
	vrrp/vrrp.h \
	vrrp/packet.c vrrp/packet.h vrrp/query_pkt.c \
	vrrp/config.c \
	vrrp/fsm.c vrrp/fsm.h \
	vrrp/pulse_fsm.c
vrrp_libvrrp_a_SOURCES += vrrp/vip.c vrrp/vip.h vrrp/rtaddr.c vrrp/rtaddr.h
vrrp_libvrrp_a_SOURCES += vrrp/priv.h vrrp/link.c vrrp/droplog.c
vrrp_libvrrp_a_SOURCES += vrrp/sock.c vrrp/sock.h vrrp/instance.c vrrp/reload.c
vrrp_libvrrp_a_SOURCES += vrrp/inst.h vrrp/query.c vrrp/drill.c
vrrp_libvrrp_a_SOURCES += vrrp/pulse.c
vrrp_libvrrp_a_SOURCES += vrrp/hold.c
vrrp_libvrrp_a_SOURCES += vrrp/announce.c vrrp/announce.h vrrp/announce_priv.h \
	vrrp/announce_plan.c vrrp/announce_msg.c vrrp/announce_nl.c
