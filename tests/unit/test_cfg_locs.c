/*
 * Where each key was set, however far it is from its block: a key's place
 * is kept in two bytes when it is in its block's file within 255 lines
 * and 255 columns, in full otherwise (an included file, far below, far to
 * the right).  Every diagnostic must name the place as written, in each
 * case, for a block's keys and the global ones, and the shared check keys
 * of services set alike or not.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"

/* The diagnostics of text, one a line, as lvsd -t prints them. */
static char *
diags_of(const char *name, const char *text)
{
	struct cfg_diags *d = cfg_diags_new();
	struct cfg *cfg = cfg_load_buffer(name, text, strlen(text), d);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	cfg_diags_print(f, d);
	fclose(f);
	cfg_free(cfg);
	cfg_diags_free(d);
	return out;
}

/* A virtual whose `pmask` (a warning without `persistent`) comes after
 * `lines` blank lines and `indent` spaces. */
static char *
far_pmask(unsigned lines, unsigned indent)
{
	size_t cap = 256 + lines + indent;
	char *t = malloc(cap);
	int n = snprintf(t, cap, "virtual v {\n address = 10.0.0.1\n port = 80\n");
	for (unsigned i = 0; i < lines; i++)
		t[n++] = '\n';
	for (unsigned i = 0; i < indent; i++)
		t[n++] = ' ';
	snprintf(t + n, cap - (size_t)n, "pmask = 24\n}\n");
	return t;
}

static void
expect_pmask_at(unsigned lines, unsigned indent)
{
	char *text = far_pmask(lines, indent);
	char *got = diags_of("t.cf", text);
	char want[128];
	snprintf(want, sizeof(want), "t.cf:%u:%u: warning: `pmask` has no "
	    "effect without `persistent`\n", 4 + lines, 1 + indent);
	ck_assert_str_eq(got, want);
	free(got);
	free(text);
}

START_TEST(near_and_far)
{
	expect_pmask_at(0, 1);		/* the common case: two bytes */
	expect_pmask_at(251, 1);	/* line 255 after the block: still */
	expect_pmask_at(252, 1);	/* 256 lines below: in full */
	expect_pmask_at(2000, 1);
	expect_pmask_at(0, 254);	/* column 255 */
	expect_pmask_at(0, 255);	/* column 256: in full */
	expect_pmask_at(300, 4000);
}
END_TEST

START_TEST(global_keys_far_down)
{
	/* The global block's keys count from the top of the file. */
	char text[2048];
	int n = 0;
	for (int i = 0; i < 400; i++)
		text[n++] = '\n';
	snprintf(text + n, sizeof(text) - (size_t)n, "backup_active = 1\n");
	char *got = diags_of("g.cf", text);
	ck_assert_str_eq(got, "g.cf:401:1: error: `backup_active = 1` needs "
	    "`backup`, the backup director's address\n");
	free(got);
	got = diags_of("g.cf", "\n\nbackup_active = 1\n");
	ck_assert_str_eq(got, "g.cf:3:1: error: `backup_active = 1` needs "
	    "`backup`, the backup director's address\n");
	free(got);
}
END_TEST

START_TEST(key_in_an_included_file)
{
	char dir[] = "/tmp/lvsd-locs-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char main_cf[256], inc[256];
	snprintf(main_cf, sizeof(main_cf), "%s/main.cf", dir);
	snprintf(inc, sizeof(inc), "%s/keys.inc", dir);
	FILE *f = fopen(main_cf, "w");
	fputs("virtual v {\n address = 10.0.0.1\n port = 80\n include keys.inc\n"
	    " server s {\n  address = 10.1.0.1\n }\n}\n", f);
	fclose(f);
	f = fopen(inc, "w");
	fputs("\n  pmask = 24\n", f);
	fclose(f);
	struct cfg_diags *d = cfg_diags_new();
	struct cfg *cfg = cfg_load(main_cf, d);
	ck_assert_ptr_nonnull(cfg);
	char *got = cfg_diag_format(TAILQ_FIRST(&d->list));
	char want[512];
	snprintf(want, sizeof(want), "%s:2:3: warning: `pmask` has no effect "
	    "without `persistent`", inc);
	ck_assert_str_eq(got, want);
	free(got);
	cfg_free(cfg);
	cfg_diags_free(d);
	unlink(inc);
	unlink(main_cf);
	rmdir(dir);
}
END_TEST

START_TEST(shared_check_keys)
{
	/* Two services set the same check keys (one shared copy), a third
	 * another; each error names its own service's place. */
	static const char text[] =
	    "virtual a {\n address = 10.0.0.1\n port = 80\n check = tcp\n"
	    " http_path = /a\n}\n"
	    "virtual b {\n address = 10.0.0.2\n port = 80\n check = tcp\n"
	    " http_path = /a\n}\n"
	    "virtual c {\n address = 10.0.0.3\n port = 80\n check = http\n"
	    " http_path = /c\n}\n";
	char *got = diags_of("s.cf", text);
	ck_assert_str_eq(got,
	    "s.cf:5:2: error: this key applies to `check = http` or `https`, "
	    "not `tcp`\n"
	    "s.cf:11:2: error: this key applies to `check = http` or `https`, "
	    "not `tcp`\n");
	free(got);
	struct cfg *cfg = cfg_load_buffer("s.cf", text + 0, 0, NULL);
	cfg_free(cfg);
}
END_TEST

static Suite *
locs_suite(void)
{
	Suite *s = suite_create("lvs.cf places");
	TCase *tc = tcase_create("places");
	tcase_add_test(tc, near_and_far);
	tcase_add_test(tc, global_keys_far_down);
	tcase_add_test(tc, key_in_an_included_file);
	tcase_add_test(tc, shared_check_keys);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(locs_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
