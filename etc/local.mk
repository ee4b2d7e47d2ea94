EXTRA_DIST += etc/lvs.cf.nat etc/lvs.cf.dr etc/lvsd.service.in
EXTRA_DIST += etc/lvsd-web.service.in etc/lvsd-web.conf

systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = etc/lvsd.service etc/lvsd-web.service
CLEANFILES += etc/lvsd.service etc/lvsd-web.service

etc/lvsd.service: etc/lvsd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc && sed -e 's|@sbindir[@]|$(sbindir)|g' \
	    -e 's|@sysconfdir[@]|$(sysconfdir)|g' $(srcdir)/etc/lvsd.service.in > $@

examplesdir = $(docdir)/examples
examples_DATA = etc/lvs.cf.nat etc/lvs.cf.dr etc/lvsd-web.conf

etc/lvsd-web.service: etc/lvsd-web.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) etc && sed -e 's|@sbindir[@]|$(sbindir)|g' \
	    $(srcdir)/etc/lvsd-web.service.in > $@
