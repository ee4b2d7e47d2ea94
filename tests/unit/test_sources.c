/*
 * daemon/sources.c: what a load read, compared with the files now.  A
 * file of several 64 KiB blocks, loaded through the read watch, is
 * "unchanged" while its bytes are; a byte changed in its first, a middle
 * or its last block (same size), or a line appended, is "changed"; put
 * back, it is the same again.  A change in the first block is found
 * reading that block alone (the bytes this process read, /proc/self/io).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "daemon/sources.h"

#define SERVICES 3000		/* about 450 KiB: seven blocks */

static char dir[] = "/tmp/lvsd-sources.XXXXXX";
static char path[sizeof(dir) + 16];
static char *orig;
static size_t orig_len;

static void
write_file(const char *text, size_t len)
{
	char tmp[sizeof(path) + 4];
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	FILE *f = fopen(tmp, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(rename(tmp, path), 0);
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/lvs.cf", dir);
	size_t cap = (size_t)SERVICES * 256 + 128;
	orig = malloc(cap);
	int n = snprintf(orig, cap, "primary = 10.0.0.1\nnetwork = nat\n"
	    "nat_router = 10.1.0.1 eth1:1\n");
	for (int i = 0; i < SERVICES; i++)
		n += snprintf(orig + n, cap - (size_t)n, "virtual vs%d {\n"
		    "    address = 10.%d.%d.%d eth0:1\n    port = 80\n"
		    "    check = none\n    server a {\n"
		    "        address = 172.16.0.1\n        weight = 1\n"
		    "    }\n}\n", i, 100 + i / 65536, (i / 256) % 256, i % 256);
	orig_len = (size_t)n;
	ck_assert_uint_gt(orig_len, 6 * 65536);
	write_file(orig, orig_len);
}

static void
teardown(void)
{
	unlink(path);
	rmdir(dir);
	free(orig);
	strcpy(dir, "/tmp/lvsd-sources.XXXXXX");
}

/* The bytes this process has read (read(2) and its kin). */
static unsigned long long
bytes_read(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	unsigned long long n = 0;
	char line[128];
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "rchar: %llu", &n) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return n;
}

static struct cfg_sources *
load(void)
{
	struct cfg_sources *s = sources_new();
	struct cfg_diags *diags = cfg_diags_new();
	struct cfg *cfg = cfg_load_watched(path, diags, sources_watch(s));
	if (cfg == NULL)
		cfg_diags_print(stderr, diags);
	ck_assert_ptr_nonnull(cfg);
	cfg_free(cfg);
	cfg_diags_free(diags);
	ck_assert_uint_eq(sources_nfiles(s), 1);
	return s;
}

static bool
unchanged(struct cfg_sources *s, char *why, size_t whylen)
{
	size_t reread;
	why[0] = '\0';
	return sources_unchanged(s, &reread, why, whylen);
}

/* The original with the byte at `at` changed (the same size). */
static void
write_changed_at(size_t at)
{
	char *text = malloc(orig_len);
	memcpy(text, orig, orig_len);
	/* a digit of a weight or an address: the file stays valid */
	while (text[at] < '0' || text[at] > '8')
		at++;
	text[at]++;
	write_file(text, orig_len);
	free(text);
}

START_TEST(test_same_bytes_unchanged)
{
	struct cfg_sources *s = load();
	char why[512];
	ck_assert(unchanged(s, why, sizeof(why)));
	write_file(orig, orig_len);	/* rewritten: another inode, same bytes */
	ck_assert_msg(unchanged(s, why, sizeof(why)), "%s", why);
	sources_free(s);
}
END_TEST

START_TEST(test_changed_block_found)
{
	static const double where[] = { 0.001, 0.5, 0.999 };
	struct cfg_sources *s = load();
	char why[512];
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		write_changed_at((size_t)(where[i] * (double)orig_len));
		ck_assert_msg(!unchanged(s, why, sizeof(why)),
		    "a byte changed at %.1f %% of the file went unseen",
		    where[i] * 100);
		ck_assert_ptr_nonnull(strstr(why, "changed"));
		write_file(orig, orig_len);
		ck_assert_msg(unchanged(s, why, sizeof(why)), "%s", why);
	}
	sources_free(s);
}
END_TEST

START_TEST(test_first_block_change_reads_one_block)
{
	struct cfg_sources *s = load();
	char why[512];
	write_changed_at(100);
	unsigned long long before = bytes_read();
	ck_assert(!unchanged(s, why, sizeof(why)));
	unsigned long long n = bytes_read() - before;
	/* /etc/services may be read again too (it is small) */
	ck_assert_msg(n <= 65536 + 64 * 1024, "read %llu bytes to find a "
	    "change in the first block of %zu", n, orig_len);
	sources_free(s);
}
END_TEST

START_TEST(test_appended_changed)
{
	struct cfg_sources *s = load();
	char why[512];
	char *text = malloc(orig_len + 32);
	memcpy(text, orig, orig_len);
	memcpy(text + orig_len, "# one more line\n", 16);
	write_file(text, orig_len + 16);
	free(text);
	ck_assert(!unchanged(s, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "changed"));
	sources_free(s);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("sources");
	TCase *tc = tcase_create("digests");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_same_bytes_unchanged);
	tcase_add_test(tc, test_changed_block_found);
	tcase_add_test(tc, test_first_block_change_reads_one_block);
	tcase_add_test(tc, test_appended_changed);
	suite_add_tcase(su, tc);
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
