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

# What a director's system needs besides the programs, where systemd reads
# it: the service user and groups (sysusers.d), ip_vs at boot
# (modules-load.d), and the kernel settings to consider (sysctl.d, every
# line commented: a file for the operator to edit, hence under sysconfdir).
sysusersdir = $(prefix)/lib/sysusers.d
sysusers_DATA = etc/sysusers.d/lvsd.conf
modulesloaddir = $(prefix)/lib/modules-load.d
modulesload_DATA = etc/modules-load.d/lvsd.conf
sysctldir = $(sysconfdir)/sysctl.d
sysctl_DATA = etc/sysctl.d/60-lvsd.conf
EXTRA_DIST += $(sysusers_DATA) $(modulesload_DATA) $(sysctl_DATA)
# Routing daemons' side of N active directors behind ECMP (vrrp/announce.h).
EXTRA_DIST += etc/bird-lvsd.conf etc/bird-router-ecmp.conf etc/frr-lvsd.conf \
	etc/lvs.cf.ecmp
examples_DATA += etc/bird-lvsd.conf etc/bird-router-ecmp.conf etc/frr-lvsd.conf \
	etc/lvs.cf.ecmp
