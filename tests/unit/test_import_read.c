/*
 * The keepalived.conf reader of lvsd-import-keepalived: words, quotes and
 * escapes, comments, blocks, conditional lines, parameters, includes, and
 * the place and wording of every complaint about malformed input.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/import/kc_read.h"

struct read {
	struct kc_doc *doc;
	struct imp_diags *d;
	char *msgs;		/* every message, one a line */
};

static void
collect(struct read *r)
{
	size_t len = 0;
	FILE *f = open_memstream(&r->msgs, &len);
	imp_diags_sort(r->d);
	imp_diags_print(f, r->d, IMP_NOTE, "");
	fclose(f);
}

static struct read
read_text(const char *text, const char *id)
{
	struct read r = { .d = imp_diags_new() };
	struct kc_read_opts o = { .config_id = id };
	r.doc = kc_read_buffer("t.conf", text, strlen(text), &o, r.d);
	collect(&r);
	return r;
}

static void
read_free(struct read *r)
{
	kc_doc_free(r->doc);
	imp_diags_free(r->d);
	free(r->msgs);
}

/* The statement's words joined by `|`, and its block's, as `{...}`. */
static void
dump(FILE *f, const struct kc_node *n)
{
	for (size_t i = 0; i < n->nw; i++)
		fprintf(f, "%s%s", i ? "|" : "", n->w[i].text);
	if (!n->block)
		return;
	fputs(" {", f);
	for (size_t i = 0; i < n->nkids; i++) {
		fputc(' ', f);
		dump(f, &n->kids[i]);
		fputc(';', f);
	}
	fputs(" }", f);
}

static char *
tree(const struct kc_doc *doc)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	for (size_t i = 0; i < doc->root.nkids; i++) {
		dump(f, &doc->root.kids[i]);
		fputc('\n', f);
	}
	fclose(f);
	return s;
}

static void
expect_tree(const char *text, const char *id, const char *want)
{
	struct read r = read_text(text, id);
	char *got = tree(r.doc);
	ck_assert_msg(strcmp(got, want) == 0, "tree of:\n%s\nwant:\n%s\ngot:\n%s",
	    text, want, got);
	free(got);
	read_free(&r);
}

static void
expect_msgs(const char *text, const char *id, const char *want)
{
	struct read r = read_text(text, id);
	ck_assert_msg(strcmp(r.msgs, want) == 0, "messages for:\n%s\nwant:\n%s"
	    "got:\n%s", text, want, r.msgs);
	read_free(&r);
}

START_TEST(words_and_blocks)
{
	expect_tree("a b c\n", NULL, "a|b|c\n");
	expect_tree("vs 1 {\n  rs 2 {\n    w 3\n  }\n}\n", NULL,
	    "vs|1 { rs|2 { w|3; }; }\n");
	/* braces on one line, on the next line, and empty blocks */
	expect_tree("url { path / }\nx\n{\ny\n}\nz {}\n", NULL,
	    "url { path|/; }\nx { y; }\nz { }\n");
	expect_tree("a{b}c\n", NULL, "a { b; }\nc\n");
}
END_TEST

START_TEST(comments_quotes_escapes)
{
	expect_tree("a # c\nb ! c\n! c\n# c\nc d!e\n", NULL, "a\nb\nc|d\n");
	expect_tree("s \"a b\" 'c d' x\"y z\"w\n", NULL, "s|a b|c d|xy zw\n");
	expect_tree("s \"#!\" '\\n'\n", NULL, "s|#!|\\n\n");
	expect_tree("s \"\\x41\\101\\t\\\"\\q\\cA\"\n", NULL,
	    "s|AA\t\"q\x01\n");
	expect_tree("s \"a 'b c'\"\n", NULL, "s|a 'b c'\n");
}
END_TEST

START_TEST(malformed)
{
	expect_msgs("a \"b\nc\n", NULL, "t.conf:1:3: error: unterminated "
	    "quoted string: expected a closing `\"` on the same line\n");
	expect_msgs("a {\n b {\n }\n", NULL, "t.conf:1:1: error: the block "
	    "`a` is not closed: expected `}`\n");
	expect_msgs("}\n", NULL, "t.conf:1:1: error: `}` without a block to "
	    "close\n");
	expect_msgs("{\n}\n", NULL, "t.conf:1:1: error: `{` without a keyword "
	    "before it\n");
	expect_msgs("s \"\\0\"\n", NULL, "t.conf:1:4: error: a NUL character in "
	    "a quoted string\n");
	static const char nul[] = "a\nb\0c\nd\n";
	struct read r = { .d = imp_diags_new() };
	r.doc = kc_read_buffer("t.conf", nul, sizeof(nul) - 1, NULL, r.d);
	collect(&r);
	ck_assert_str_eq(r.msgs, "t.conf:2:2: error: a NUL byte in the file\n");
	ck_assert_uint_eq(r.doc->root.nkids, 2);	/* and reading went on */
	read_free(&r);
}
END_TEST

START_TEST(deep_nesting)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	for (int i = 0; i < 100; i++)
		fputs("a {\n", f);
	for (int i = 0; i < 100; i++)
		fputs("}\n", f);
	fclose(f);
	expect_msgs(text, NULL, "t.conf:65:3: error: blocks nested more than "
	    "64 deep\n");
	free(text);
}
END_TEST

START_TEST(conditionals)
{
	static const char text[] = "@hi a 1\n@lo a 2\n@^hi b\n c\n";
	expect_tree(text, "hi", "a|1\nc\n");
	expect_tree(text, "lo", "a|2\nb\nc\n");
	expect_msgs(text, NULL, "t.conf:1:1: cannot convert: conditional "
	    "configuration (`@hi`): which lines apply depends on keepalived's "
	    "config id; give it with --primary-id (and --backup-id)\n");
}
END_TEST

START_TEST(parameters)
{
	expect_tree("$A=10.0\n$B=${A}.1\nip $B\nip ${B}/24\nip $Bx\n", NULL,
	    "ip|10.0.1\nip|10.0.1/24\nip|$Bx\n");
	expect_tree("@x $P=1\n@^x $P=2\np $P\n", "x", "p|1\n");
	expect_msgs("$L=$L$L\nv $L\n", NULL, "t.conf:2:1: error: parameter "
	    "substitution does not end (a parameter that refers to itself?)\n");
	expect_msgs("$M= \\\n  x\n", NULL, "t.conf:1:1: cannot convert: "
	    "multi-line parameter definitions are not supported: write the "
	    "lines out\n");
	expect_msgs("~SEQ(X, 1, 3) a $X\n", NULL, "t.conf:1:1: cannot convert: "
	    "sequence and list blocks (`~SEQ`, `~LST`) are not supported: "
	    "write the lines out\n");
}
END_TEST

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(includes)
{
	char dir[] = "/tmp/import-read.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char p[256], q[256];
	snprintf(p, sizeof(p), "%s/conf.d", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/conf.d/b.conf", dir);
	write_file(p, "rs 2\ninclude ../inner\n");
	snprintf(p, sizeof(p), "%s/conf.d/a.conf", dir);
	write_file(p, "rs 1\n");
	snprintf(p, sizeof(p), "%s/inner", dir);
	write_file(p, "w 3\n");
	snprintf(p, sizeof(p), "%s/main.conf", dir);
	write_file(p, "vs {\n include conf.d/*.conf\n}\ninclude none/*.x\n"
	    "include missing\ninclude main.conf\n");
	struct read r = { .d = imp_diags_new() };
	r.doc = kc_read_file(p, NULL, r.d);
	collect(&r);
	char *got = tree(r.doc);
	ck_assert_str_eq(got, "vs { rs|1; rs|2; w|3; }\n");
	char *want;
	ck_assert_int_ge(asprintf(&want, "%s:4:9: note: `none/*.x` matches no "
	    "file\n%s:5:9: error: cannot read `%s/missing`: No such file or "
	    "directory\n%s:6:9: error: `%s` includes itself\n", p, p, dir, p,
	    p), 0);
	ck_assert_str_eq(r.msgs, want);
	/* places inside included files name those files */
	snprintf(q, sizeof(q), "%s/conf.d/b.conf", dir);
	ck_assert_str_eq(r.doc->root.kids[0].kids[1].w[0].loc.file, q);
	ck_assert_uint_eq(r.doc->root.kids[0].kids[1].w[0].loc.line, 1);
	free(want);
	free(got);
	read_free(&r);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(unreadable)
{
	struct imp_diags *d = imp_diags_new();
	ck_assert_ptr_null(kc_read_file("/nonexistent/k.conf", NULL, d));
	ck_assert_uint_eq(d->ninvalid, 1);
	char *s = imp_diag_format(&d->v[0]);
	ck_assert_str_eq(s, "error: cannot read /nonexistent/k.conf: No such "
	    "file or directory");
	free(s);
	imp_diags_free(d);
}
END_TEST

static Suite *
read_suite(void)
{
	Suite *s = suite_create("keepalived.conf reader");
	TCase *tc = tcase_create("reader");
	tcase_add_test(tc, words_and_blocks);
	tcase_add_test(tc, comments_quotes_escapes);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, deep_nesting);
	tcase_add_test(tc, conditionals);
	tcase_add_test(tc, parameters);
	tcase_add_test(tc, includes);
	tcase_add_test(tc, unreadable);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(read_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
