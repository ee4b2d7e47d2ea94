# Man pages carry @VERSION@, filled in at build time.
man_MANS += man/lvsd.8 man/lvs.cf.5 man/lvsctl.8 man/lvsd-web.8
EXTRA_DIST += man/lvsd.8.in man/lvs.cf.5.in man/lvsctl.8.in man/lvsd-web.8.in
man_MANS += man/lvs-realserver.8
EXTRA_DIST += man/lvs-realserver.8.in
CLEANFILES += $(man_MANS)

man/lvsd.8: man/lvsd.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed -e 's|@VERSION[@]|$(VERSION)|g' $(srcdir)/man/lvsd.8.in > $@
man/lvsctl.8: man/lvsctl.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed -e 's|@VERSION[@]|$(VERSION)|g' $(srcdir)/man/lvsctl.8.in > $@
man/lvs.cf.5: man/lvs.cf.5.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed -e 's|@VERSION[@]|$(VERSION)|g' $(srcdir)/man/lvs.cf.5.in > $@
man/lvsd-web.8: man/lvsd-web.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed -e 's|@VERSION[@]|$(VERSION)|g' $(srcdir)/man/lvsd-web.8.in > $@
man_MANS += man/lvsd-import-keepalived.8
EXTRA_DIST += man/lvsd-import-keepalived.8.in
man/lvsd-import-keepalived.8: man/lvsd-import-keepalived.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed -e 's|@VERSION[@]|$(VERSION)|g' $(srcdir)/man/lvsd-import-keepalived.8.in > $@
man/lvs-realserver.8: man/lvs-realserver.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && sed -e 's|@VERSION[@]|$(VERSION)|g' $(srcdir)/man/lvs-realserver.8.in > $@
