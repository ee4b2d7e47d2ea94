# The Debian package (debian/, scripts/build-deb): built and checked by
# lintian on the host; installed and run by a real systemd in the VM
# (tests/vm/run-systemd-tests.sh).
TESTS += tests/pkg/deb.sh
EXTRA_DIST += tests/pkg/deb.sh scripts/build-deb \
	debian/changelog debian/control debian/copyright debian/rules \
	debian/source/format debian/lvsd.install debian/lvs-realserver.install debian/lvsd.docs \
	$(wildcard $(srcdir)/debian/*.lintian-overrides)
