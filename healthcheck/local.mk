noinst_LIBRARIES += healthcheck/libhc.a
healthcheck_libhc_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(OPENSSL_CFLAGS)
healthcheck_libhc_a_SOURCES = \
	healthcheck/hc.h healthcheck/hc_int.h \
	healthcheck/hyst.c healthcheck/hyst.h \
	healthcheck/config.c \
	healthcheck/engine.c \
	healthcheck/sched.c \
	healthcheck/share.c \
	healthcheck/sock.c \
	healthcheck/conn.c healthcheck/conn.h \
	healthcheck/tls.c \
	healthcheck/tcp.c \
	healthcheck/http_parser.c healthcheck/http_parser.h \
	healthcheck/http.c \
	healthcheck/sendexpect.c \
	healthcheck/exec.c \
	healthcheck/icmp.c \
	healthcheck/arpwatch.c healthcheck/arpwatch_pkt.c healthcheck/arpwatch.h
EXTRA_DIST += healthcheck/README.md
