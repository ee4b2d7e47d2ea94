/*
 * daemon/script_check.c: which commands another user could change.  A
 * tree under /tmp (itself sticky) with files and directories of each
 * owner and mode; the checker's verdict and its reason for each.  Owners
 * other than the caller need root (make check under CI runs as root);
 * otherwise those cases are left out.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/script_check.h"

#define OTHER	12345		/* nobody we know */
#define SCRIPT	4242		/* script_user in these cases */

static char top[64];
static uid_t us;		/* the owner of what the test creates */

static void
mkfile(const char *rel, mode_t mode, uid_t owner)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", top, rel);
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(p, mode), 0);
	if (owner != us)
		ck_assert_int_eq(chown(p, owner, (gid_t)-1), 0);
}

static void
mkdir_as(const char *rel, mode_t mode, uid_t owner)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", top, rel);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_int_eq(chmod(p, mode), 0);
	if (owner != us)
		ck_assert_int_eq(chown(p, owner, (gid_t)-1), 0);
}

/* The verdict on a command, each %s in it the top directory. */
static enum script_verdict
verdict(const char *tmpl, bool shell, uid_t uid, char *why, size_t len)
{
	char cmd[512];
	size_t o = 0;
	for (const char *t = tmpl; *t != '\0' && o < sizeof(cmd) - 64; t++)
		if (t[0] == '%' && t[1] == 's') {
			o += (size_t)snprintf(cmd + o, sizeof(cmd) - o, "%s", top);
			t++;
		} else
			cmd[o++] = *t;
	cmd[o] = '\0';
	return script_check_command(cmd, shell, uid, why, len);
}

#define EXPECT(fmt, shell, uid, v, reason) do {				\
	char why_[1024];						\
	ck_assert_int_eq(verdict(fmt, shell, uid, why_, sizeof(why_)), v); \
	ck_assert_msg(strstr(why_, reason) != NULL, "%s: `%s` not in `%s`", \
	    fmt, reason, why_);						\
} while (0)

static void
setup(void)
{
	us = getuid();
	snprintf(top, sizeof(top), "/tmp/script-check.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
	ck_assert_int_eq(chmod(top, 0755), 0);
	mkfile("ok.sh", 0755, us);
	mkfile("group-writable.sh", 0775, us);
	mkdir_as("open", 0777, us);
	mkfile("open/prog", 0755, us);
	mkdir_as("sticky", 01777, us);
	mkfile("sticky/mine", 0755, us);
	char link[256];
	snprintf(link, sizeof(link), "%s/via-link", top);
	ck_assert_int_eq(symlink("open/prog", link), 0);
}

static void
teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(safe_and_unsafe_paths)
{
	EXPECT("%s/ok.sh", false, us, SCRIPT_OK, "");
	EXPECT("%s/group-writable.sh --flag", false, us, SCRIPT_UNSAFE,
	    "group-writable.sh is writable by its group (mode 0775)");
	EXPECT("%s/open/prog", false, us, SCRIPT_UNSAFE,
	    "/open is writable by its group and others (mode 0777)");
	/* In a sticky directory an entry of ours cannot be replaced. */
	EXPECT("%s/sticky/mine", false, us, SCRIPT_OK, "");
	/* Safe as written, but a symbolic link leads somewhere unsafe. */
	EXPECT("%s/via-link", false, us, SCRIPT_UNSAFE, "via-link leads there");
	/* Missing: a warning where only we could create it, an error where
	 * anyone could. */
	EXPECT("%s/not-yet.sh", false, us, SCRIPT_WARN, "does not exist");
	EXPECT("%s/sticky/not-yet", false, us, SCRIPT_UNSAFE,
	    "/sticky is writable by its group and others");
	EXPECT("%s/open/not-yet", false, us, SCRIPT_UNSAFE, "/open is writable");
}
END_TEST

START_TEST(owners)
{
	if (us != 0)
		return;		/* chown needs root: covered under CI */
	mkfile("theirs.sh", 0755, OTHER);
	mkfile("scripts.sh", 0755, SCRIPT);
	mkfile("sticky/theirs", 0755, OTHER);
	mkdir_as("their-dir", 0755, OTHER);
	mkfile("their-dir/prog", 0755, 0);
	EXPECT("%s/theirs.sh", false, SCRIPT, SCRIPT_UNSAFE,
	    "theirs.sh belongs to uid 12345");
	/* script_user's own file is fine: it runs as that user anyway. */
	EXPECT("%s/scripts.sh", false, SCRIPT, SCRIPT_OK, "");
	EXPECT("%s/scripts.sh", false, 0, SCRIPT_UNSAFE, "belongs to uid 4242");
	EXPECT("%s/sticky/theirs", false, SCRIPT, SCRIPT_UNSAFE,
	    "belongs to uid 12345");
	EXPECT("%s/their-dir/prog", false, SCRIPT, SCRIPT_UNSAFE,
	    "their-dir belongs to uid 12345");
}
END_TEST

START_TEST(program_word)
{
	/* The shell runs the word after VAR=value words and exec. */
	EXPECT("A=1 B='x y' exec %s/open/prog arg", true, us, SCRIPT_UNSAFE,
	    "/open is writable");
	EXPECT("\"%s/open/prog\" --x", true, us, SCRIPT_UNSAFE,
	    "/open is writable");
	EXPECT(". %s/open/prog", true, us, SCRIPT_UNSAFE, "/open is writable");
	EXPECT("  %s/ok.sh; %s/open/prog", true, us, SCRIPT_WARN,
	    "cannot tell which program");
	/* Without a shell the first word is the program, whatever it is. */
	EXPECT("A=1 %s/ok.sh", false, us, SCRIPT_WARN, "`A=1` is not in PATH");
	/* Bare names: through lvsd's fixed PATH; shell built-ins. */
	EXPECT("sh -c true", false, us, SCRIPT_OK, "");
	EXPECT("no-such-program-lvsd-test %h", false, us, SCRIPT_WARN,
	    "`no-such-program-lvsd-test` is not in PATH");
	EXPECT("cd / && true", true, us, SCRIPT_OK, "");
	EXPECT("$HOME/x.sh", true, us, SCRIPT_WARN, "cannot tell");
	EXPECT("   ", true, us, SCRIPT_OK, "");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("script_check");
	TCase *tc = tcase_create("paths");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, safe_and_unsafe_paths);
	tcase_add_test(tc, owners);
	tcase_add_test(tc, program_word);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
