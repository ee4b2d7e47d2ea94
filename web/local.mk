# lvsd-web: the operator console and Prometheus endpoint (lvsd-web(8)).
sbin_PROGRAMS += lvsd-web
lvsd_web_SOURCES = web/main.c \
	web/conf.c web/conf.h \
	web/ctlclient.c web/ctlclient.h \
	web/schema.c web/schema.h \
	web/history.c web/history.h \
	web/snapshot.c web/snapshot.h \
	web/gzip.c web/gzip.h \
	web/form.c web/form.h \
	web/auth.c web/auth.h \
	web/http.c web/http_admin.c web/http.h
lvsd_web_CPPFLAGS = $(AM_CPPFLAGS) -DWEB_ASSETS_DIR='"$(webassetsdir)"'
lvsd_web_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(JSONC_CFLAGS) $(OPENSSL_CFLAGS) $(ZLIB_CFLAGS) \
	-pthread
lvsd_web_LDADD = lib/liblvs.a $(MHD_LIBS) $(JSONC_LIBS) $(OPENSSL_LIBS) $(ZLIB_LIBS) -lm
lvsd_web_LDFLAGS = $(AM_LDFLAGS) -pthread

# The page, served by lvsd-web itself (read once at start).
webassetsdir = $(pkgdatadir)/web
webassets_DATA = web/assets/index.html web/assets/app.js web/assets/app.css
EXTRA_DIST += $(webassets_DATA)
