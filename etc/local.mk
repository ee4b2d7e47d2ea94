EXTRA_DIST += etc/lvs.cf.nat etc/lvs.cf.dr etc/lvsd.service.in

systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = etc/lvsd.service
CLEANFILES += etc/lvsd.service

etc/lvsd.service: etc/lvsd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc && sed -e 's|@sbindir[@]|$(sbindir)|g' \
	    -e 's|@sysconfdir[@]|$(sysconfdir)|g' $(srcdir)/etc/lvsd.service.in > $@

examplesdir = $(docdir)/examples
examples_DATA = etc/lvs.cf.nat etc/lvs.cf.dr
# Routing daemons' side of N active directors behind ECMP (vrrp/announce.h).
EXTRA_DIST += etc/bird-lvsd.conf etc/bird-router-ecmp.conf etc/frr-lvsd.conf
examples_DATA += etc/bird-lvsd.conf etc/bird-router-ecmp.conf etc/frr-lvsd.conf
