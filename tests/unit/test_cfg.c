/*
 * lvs.cf reader: piranha compatibility, every diagnostic's exact place and
 * wording, includes, and the round trip through the canonical printer.
 */
#include "config.h"

#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "daemon/node.h"
#include "lib/suggest.h"

#include "tests/unit/cfg_neg_cases.h"

static char *
srcpath(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char *p;
	if (asprintf(&p, "%s/%s", top ? top : ".", rel) < 0)
		abort();
	return p;
}

static struct cfg *
load_text(const char *text, size_t len, struct cfg_diags *d)
{
	return cfg_load_buffer("t.cf", text, len, d);
}

static char *
first_error(const struct cfg_diags *d)
{
	const struct cfg_diag *dg;
	TAILQ_FOREACH(dg, &d->list, entry)
		if (dg->severity == CFG_ERROR)
			return cfg_diag_format(dg);
	return strdup("(no error)");
}

START_TEST(negative)
{
	const struct neg_case *c = &neg_cases[_i];
	struct cfg_diags *d = cfg_diags_new();
	struct cfg *cfg = load_text(c->text, strlen(c->text), d);
	ck_assert_msg(cfg == NULL, "case %d: accepted", _i);
	char *got = first_error(d);
	ck_assert_msg(strcmp(got, c->first) == 0,
	    "case %d:\n  want: %s\n  got:  %s", _i, c->first, got);
	ck_assert_msg(d->nerrors == c->nerrors, "case %d: %u errors, want %u",
	    _i, d->nerrors, c->nerrors);
	free(got);
	cfg_diags_free(d);
}
END_TEST

static struct cfg *
load_file_ok(const char *rel)
{
	char *path = srcpath(rel);
	struct cfg_diags *d = cfg_diags_new();
	struct cfg *cfg = cfg_load(path, d);
	if (cfg == NULL)
		cfg_diags_print(stderr, d);
	ck_assert_msg(cfg != NULL, "%s rejected", rel);
	cfg_diags_free(d);
	free(path);
	return cfg;
}

START_TEST(nul_byte)
{
	static const char text[] = "primary = 1.2.3.4\nx\0y = 1\nkeepalive = x\n";
	struct cfg_diags *d = cfg_diags_new();
	ck_assert_ptr_null(load_text(text, sizeof(text) - 1, d));
	char *got = first_error(d);
	ck_assert_str_eq(got, "t.cf:2:2: error: NUL byte in the file");
	ck_assert_uint_eq(d->nerrors, 2);	/* and parsing went on */
	free(got);
	cfg_diags_free(d);
}
END_TEST

START_TEST(piranha_sample)
{
	struct cfg *cfg = load_file_ok("tests/unit/data/piranha-sample.cf");
	const struct cfg_global *g = &cfg->global;
	char b[LVS_ADDRSTRLEN];
	ck_assert_uint_eq(g->serial_no, 14);
	ck_assert_str_eq(addr_fmt(&g->primary, b), "207.175.44.150");
	ck_assert_str_eq(addr_fmt(&g->backup_private, b), "10.11.12.2");
	ck_assert(g->backup_active && g->heartbeat);
	ck_assert_uint_eq(g->heartbeat_port, 1050);
	ck_assert_uint_eq(g->keepalive, 6);
	ck_assert_uint_eq(g->deadtime, 18);
	ck_assert_int_eq(g->network, CFG_FWD_NAT);
	ck_assert_str_eq(addr_fmt(&g->nat_router.addr, b), "192.168.10.100");
	ck_assert_str_eq(g->nat_router.label, "eth1:1");
	ck_assert_uint_eq(g->nat_nmask.prefix, 32);
	ck_assert_uint_eq(cfg->nvirtuals, 1);
	const struct cfg_virtual *v = TAILQ_FIRST(&cfg->virtuals);
	ck_assert_str_eq(v->name, "server1");
	ck_assert_str_eq(addr_fmt(&v->address.addr, b), "207.175.44.252");
	ck_assert_str_eq(v->address.label, "eth0:1");
	ck_assert_uint_eq(v->port, 80);
	ck_assert_str_eq(v->send, "GET / HTTP/1.0\r\n\r\n");
	ck_assert_str_eq(v->expect, "HTTP");
	ck_assert_str_eq(cfg_schedulers[v->scheduler], "wlc");
	ck_assert_uint_eq(v->persistent, 60);
	ck_assert_uint_eq(v->timeout, 5);
	ck_assert_uint_eq(v->reentry, 10);
	ck_assert(v->quiesce_server && !v->use_regex);
	ck_assert_uint_eq(v->nservers, 2);
	const struct cfg_server *s = TAILQ_LAST(&v->servers, cfg_server_list);
	ck_assert_str_eq(s->name, "Real2");
	ck_assert_str_eq(addr_fmt(&s->address, b), "192.168.10.3");
	ck_assert_uint_eq(s->port, 80);		/* inherited */
	ck_assert_int_eq(s->network, CFG_FWD_NAT);	/* inherited */
	ck_assert_uint_eq(s->weight, 1);
	cfg_free(cfg);
}
END_TEST

/* The seed 000 table: 202.103.106.5:80 → .2:80 w1 + .3:8000 w2; :21 → .3:21. */
START_TEST(seed000_table)
{
	struct cfg *cfg = load_file_ok("etc/lvs.cf.nat");
	static const struct { const char *vip; unsigned vport; const char *rs;
	    unsigned rport, weight; } want[] = {
		{ "202.103.106.5", 80, "172.16.0.2", 80, 1 },
		{ "202.103.106.5", 80, "172.16.0.3", 8000, 2 },
		{ "202.103.106.5", 21, "172.16.0.3", 21, 1 },
	};
	size_t n = 0;
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		const struct cfg_server *s;
		TAILQ_FOREACH(s, &v->servers, entry) {
			char b1[LVS_ADDRSTRLEN], b2[LVS_ADDRSTRLEN];
			ck_assert_uint_lt(n, 3);
			ck_assert_str_eq(addr_fmt(&v->address.addr, b1), want[n].vip);
			ck_assert_uint_eq(v->port, want[n].vport);
			ck_assert_int_eq(v->protocol, CFG_PROTO_TCP);
			ck_assert_str_eq(addr_fmt(&s->address, b2), want[n].rs);
			ck_assert_uint_eq(s->port, want[n].rport);
			ck_assert_uint_eq(s->weight, want[n].weight);
			ck_assert_int_eq(s->network, CFG_FWD_NAT);
			n++;
		}
	}
	ck_assert_uint_eq(n, 3);
	cfg_free(cfg);
}
END_TEST

static char *
print_cfg(const struct cfg *cfg, size_t *len)
{
	char *buf;
	FILE *f = open_memstream(&buf, len);
	cfg_print(f, cfg);
	fclose(f);
	return buf;
}

/* parse(print(parse(f))) == parse(f), and printing is a fixed point. */
static void
assert_round_trip(const char *path)
{
	struct cfg_diags *d = cfg_diags_new();
	struct cfg *a = cfg_load(path, d);
	ck_assert_msg(a != NULL, "%s rejected", path);
	size_t len1, len2;
	char *text1 = print_cfg(a, &len1);
	struct cfg *b = cfg_load_buffer("printed.cf", text1, len1, d);
	ck_assert_msg(b != NULL, "printed form of %s rejected:\n%s", path, text1);
	ck_assert_msg(cfg_equal(a, b), "%s: round trip changed the meaning", path);
	char *text2 = print_cfg(b, &len2);
	ck_assert_str_eq(text1, text2);
	free(text1);
	free(text2);
	cfg_free(a);
	cfg_free(b);
	cfg_diags_free(d);
}

START_TEST(round_trip_all_valid_files)
{
	static const char *const patterns[] = {
		"tests/unit/data/*.cf", "etc/lvs.cf*",
	};
	unsigned n = 0;
	for (size_t i = 0; i < 2; i++) {
		char *pat = srcpath(patterns[i]);
		glob_t g;
		if (glob(pat, 0, NULL, &g) == 0) {
			for (size_t j = 0; j < g.gl_pathc; j++, n++)
				assert_round_trip(g.gl_pathv[j]);
			globfree(&g);
		}
		free(pat);
	}
	ck_assert_uint_ge(n, 4);
}
END_TEST

START_TEST(round_trip_escapes_and_ipv6)
{
	static const char text[] =
	    "active_cmd = \"/bin/echo \\\"a b\\\" #x\\t\"\n"
	    "virtual v6 {\n address = 2001:db8::10 eth0\n vip_nmask = 64\n"
	    " port = 443\n protocol = sctp\n persistent = 10\n pmask = 48\n"
	    " sorry_server = [2001:db8::99]:8443\n fwmark = 7\n"
	    " server a {\n  address = 2001:db8::1\n  port = 8443\n }\n"
	    " server b {\n  address = 10.1.1.1\n  network = tunnel\n }\n}\n";
	struct cfg *a = load_text(text, sizeof(text) - 1, NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a->global.active_cmd, "/bin/echo \"a b\" #x\t");
	size_t len;
	char *out = print_cfg(a, &len);
	struct cfg *b = load_text(out, len, NULL);
	ck_assert_ptr_nonnull(b);
	ck_assert(cfg_equal(a, b));
	ck_assert_ptr_nonnull(strstr(out, "sorry_server = [2001:db8::99]:8443"));
	free(out);
	cfg_free(a);
	cfg_free(b);
}
END_TEST

/* nanny's escapes: bare send/expect values too; unknown pairs kept. */
START_TEST(piranha_escapes)
{
	static const char text[] = "virtual v {\n address = 10.0.0.1\n port = 80\n"
	    " send = GET / HTTP/1.0\\r\\n\\r\\n\n"
	    " expect = \"HTTP/1\\.[01] 200\"\n use_regex = 1\n}\n"
	    "active_cmd = /bin/echo a\\nb\n";
	struct cfg *cfg = load_text(text, sizeof(text) - 1, NULL);
	ck_assert_ptr_nonnull(cfg);
	const struct cfg_virtual *v = TAILQ_FIRST(&cfg->virtuals);
	ck_assert_str_eq(v->send, "GET / HTTP/1.0\r\n\r\n");
	ck_assert_str_eq(v->expect, "HTTP/1\\.[01] 200");
	/* Other keys take bare values as written. */
	ck_assert_str_eq(cfg->global.active_cmd, "/bin/echo a\\nb");
	cfg_free(cfg);
}
END_TEST

START_TEST(equal_detects_differences)
{
	static const char a_text[] = "virtual v {\n address = 10.0.0.1\n port = 80\n"
	    " server s {\n  address = 10.1.0.1\n  weight = 1\n }\n}\n";
	static const char b_text[] = "virtual v {\n address = 10.0.0.1\n port = 80\n"
	    " server s {\n  address = 10.1.0.1\n  weight = 2\n }\n}\n";
	struct cfg *a = load_text(a_text, sizeof(a_text) - 1, NULL);
	struct cfg *b = load_text(b_text, sizeof(b_text) - 1, NULL);
	ck_assert(!cfg_equal(a, b));
	ck_assert(cfg_equal(a, a));
	cfg_free(a);
	cfg_free(b);
}
END_TEST

static char tmpdir[64];

static void
write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void
make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/lvsd-cfg-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

START_TEST(include_glob_and_locations)
{
	make_tmpdir();
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/conf.d", tmpdir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	write_file("main.cf", "primary = 10.0.0.1\ninclude conf.d/*.cf\n");
	write_file("conf.d/a.cf", "virtual a {\n address = 10.0.0.5\n port = 80\n"
	    " include servers.inc\n}\n");
	write_file("conf.d/servers.inc", "server r1 {\n address = 10.1.0.1\n}\n");
	write_file("conf.d/b.cf", "virtual b {\n address = 10.0.0.5\n port = 81\n"
	    " weigth = 1\n}\n");
	char path[256];
	snprintf(path, sizeof(path), "%s/main.cf", tmpdir);
	struct cfg_diags *d = cfg_diags_new();
	ck_assert_ptr_null(cfg_load(path, d));
	char *got = first_error(d);
	char want[512];
	snprintf(want, sizeof(want), "%s/conf.d/b.cf:4:2: error: unknown key "
	    "`weigth` in a `virtual` block; did you mean `weight` (a `server` "
	    "key)?", tmpdir);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(d->nerrors, 1);
	free(got);
	cfg_diags_free(d);
	/* Fixed, it loads, with the server from the nested include. */
	write_file("conf.d/b.cf", "virtual b {\n address = 10.0.0.5\n port = 81\n}\n");
	struct cfg *cfg = cfg_load(path, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(cfg->nvirtuals, 2);
	ck_assert_uint_eq(TAILQ_FIRST(&cfg->virtuals)->nservers, 1);
	cfg_free(cfg);
}
END_TEST

START_TEST(include_cycle_and_stray_close)
{
	make_tmpdir();
	write_file("a.cf", "include b.cf\n");
	write_file("b.cf", "include a.cf\n");
	char path[256];
	snprintf(path, sizeof(path), "%s/a.cf", tmpdir);
	struct cfg_diags *d = cfg_diags_new();
	ck_assert_ptr_null(cfg_load(path, d));
	char *got = first_error(d);
	ck_assert_msg(strstr(got, "/b.cf:1:9: error: `include a.cf`: the file "
	    "includes itself (through ") != NULL, "got %s", got);
	free(got);
	cfg_diags_free(d);

	write_file("c.cf", "virtual v {\n address = 10.0.0.1\n port = 80\n"
	    " include d.cf\n}\n");
	write_file("d.cf", "}\n");
	snprintf(path, sizeof(path), "%s/c.cf", tmpdir);
	d = cfg_diags_new();
	ck_assert_ptr_null(cfg_load(path, d));
	got = first_error(d);
	ck_assert_msg(strstr(got, "d.cf:1:1: error: unexpected `}`: an included "
	    "file cannot close `virtual v`") != NULL, "got %s", got);
	free(got);
	cfg_diags_free(d);
}
END_TEST

START_TEST(all_errors_in_one_pass)
{
	static const char text[] =
	    "primary = 10.0.0.1\n"
	    "backup_active = 2\n"
	    "virtual web {\n"
	    "    address = 10.0.0.300 eth0:1\n"
	    "    schedular = wlc\n"
	    "    port = 80\n"
	    "    server a {\n"
	    "        address = 192.168.1.2\n"
	    "        weight = heavy\n"
	    "    }\n"
	    "}\n"
	    "keepalive = \"6\n";
	struct cfg_diags *d = cfg_diags_new();
	ck_assert_ptr_null(load_text(text, sizeof(text) - 1, d));
	static const char *const want[] = {
		"t.cf:2:17: error: `backup_active`: expected 0 or 1, found `2`",
		"t.cf:4:15: error: `address`: expected an IPv4 or IPv6 address (host names are not resolved), found `10.0.0.300`",
		"t.cf:5:5: error: unknown key `schedular` in a `virtual` block; did you mean `scheduler`?",
		"t.cf:9:18: error: `weight`: expected an integer from 0 to 65535, found `heavy`",
		"t.cf:12:13: error: unterminated quoted string: expected a closing `\"` on the same line",
	};
	ck_assert_uint_eq(d->nerrors, 5);
	const struct cfg_diag *dg = TAILQ_FIRST(&d->list);
	for (size_t i = 0; i < 5; i++, dg = TAILQ_NEXT(dg, entry)) {
		char *s = cfg_diag_format(dg);
		ck_assert_str_eq(s, want[i]);
		free(s);
	}
	cfg_diags_free(d);
}
END_TEST

START_TEST(warnings_do_not_reject)
{
	static const char text[] = "virtual v {\n address = 10.0.0.1\n port = 80\n"
	    " pmask = 255.255.255.0\n server s {\n  address = 10.1.0.1\n"
	    "  port = 8080\n  network = direct\n }\n}\n";
	struct cfg_diags *d = cfg_diags_new();
	struct cfg *cfg = load_text(text, sizeof(text) - 1, d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(d->nwarnings, 2);
	char *s = cfg_diag_format(TAILQ_FIRST(&d->list));
	ck_assert_str_eq(s, "t.cf:4:2: warning: `pmask` has no effect without "
	    "`persistent`");
	free(s);
	cfg_free(cfg);
	cfg_diags_free(d);
}
END_TEST

/* Warnings of announce mode, each where the key was written. */
START_TEST(announce_warnings)
{
	static const char text[] = "heartbeat = 0\nannounce {\n}\n"
	    "virtual a {\n address = 10.0.0.1 eth0\n port = 80\n"
	    " scheduler = wlc\n}\n"
	    "virtual b {\n address = 10.0.0.2\n port = 80\n scheduler = mh\n}\n"
	    "virtual c {\n address = 10.0.0.3\n port = 80\n scheduler = mh\n"
	    " quiesce_server = 1\n}\n"
	    "virtual d {\n address = 10.0.0.4\n port = 80\n scheduler = mh\n"
	    " quiesce_server = 1\n hash_fallback = 1\n}\n";
	static const char *const want[] = {
		"t.cf:5:2: warning: virtual `a`: the device `eth0` is not used: "
		"with `announce`, the address is held on the announcement's device",
		"t.cf:7:2: warning: virtual `a`: scheduler `wlc` with `announce`: "
		"every director must pick the same real server; use `mh` (or `sh`)",
		"t.cf:9:1: warning: virtual `b`: `mh` without `quiesce_server = 1`: "
		"a real server removed and added again changes its place in the "
		"hash on this director only",
		"t.cf:18:2: warning: virtual `c`: `quiesce_server = 1` without "
		"`hash_fallback = 1`: connections hashed to a quiesced server are "
		"refused",
	};
	struct cfg_diags *d = cfg_diags_new();
	struct cfg *cfg = load_text(text, sizeof(text) - 1, d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_nonnull(cfg->announce);
	ck_assert_uint_eq(cfg->announce->table, 200);
	ck_assert_uint_eq(cfg->announce->protocol, 200);
	ck_assert_str_eq(cfg->announce->device, "lo");
	ck_assert_uint_eq(cfg->announce->stop_delay, 2000);
	ck_assert_uint_eq(d->nwarnings, 4);
	const struct cfg_diag *dg = TAILQ_FIRST(&d->list);
	for (size_t i = 0; i < 4; i++, dg = TAILQ_NEXT(dg, entry)) {
		char *s = cfg_diag_format(dg);
		ck_assert_str_eq(s, want[i]);
		free(s);
	}
	cfg_free(cfg);
	cfg_diags_free(d);
	/* quorum without announce: accepted, with a warning */
	static const char lone[] = "virtual v {\n address = 10.0.0.1\n port = 80\n"
	    " quorum = 1\n}\n";
	d = cfg_diags_new();
	cfg = load_text(lone, sizeof(lone) - 1, d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(d->nwarnings, 1);
	char *s = cfg_diag_format(TAILQ_FIRST(&d->list));
	ck_assert_str_eq(s, "t.cf:4:2: warning: virtual `v`: `quorum` has no "
	    "effect without an `announce` block");
	free(s);
	cfg_free(cfg);
	cfg_diags_free(d);
}
END_TEST

START_TEST(node_role)
{
	static const char text[] = "primary = 10.0.0.1\nbackup = 10.0.0.2\n"
	    "backup_private = 10.9.0.2\nbackup_active = 1\n";
	struct cfg *cfg = load_text(text, sizeof(text) - 1, NULL);
	ck_assert_ptr_nonnull(cfg);
	struct lvs_addr local[2];
	addr_parse("127.0.0.1", &local[0]);
	addr_parse("10.9.0.2", &local[1]);
	enum node_role role;
	char why[256];
	ck_assert_int_eq(node_role_decide(cfg, local, 2, &role, why, sizeof(why)), 0);
	ck_assert_int_eq(role, NODE_ROLE_BACKUP);
	addr_parse("10.0.0.1", &local[1]);
	ck_assert_int_eq(node_role_decide(cfg, local, 2, &role, why, sizeof(why)), 0);
	ck_assert_int_eq(role, NODE_ROLE_PRIMARY);
	ck_assert_int_eq(node_role_decide(cfg, local, 1, &role, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "--role"));
	cfg_free(cfg);
}
END_TEST

START_TEST(suggestions)
{
	static const char *const keys[] = { "scheduler", "persistent", "weight" };
	ck_assert_str_eq(suggest_nearest("weigth", keys, 3), "weight");
	ck_assert_str_eq(suggest_nearest("sheduler", keys, 3), "scheduler");
	ck_assert_str_eq(suggest_nearest("persistant", keys, 3), "persistent");
	ck_assert_ptr_null(suggest_nearest("colour", keys, 3));
	ck_assert_uint_eq(suggest_distance("abc", "acb"), 1);
}
END_TEST

static Suite *
cfg_suite(void)
{
	Suite *s = suite_create("lvs.cf");
	TCase *tc = tcase_create("parser");
	tcase_add_loop_test(tc, negative, 0,
	    (int)(sizeof(neg_cases) / sizeof(neg_cases[0])));
	tcase_add_test(tc, nul_byte);
	tcase_add_test(tc, piranha_sample);
	tcase_add_test(tc, seed000_table);
	tcase_add_test(tc, round_trip_all_valid_files);
	tcase_add_test(tc, round_trip_escapes_and_ipv6);
	tcase_add_test(tc, equal_detects_differences);
	tcase_add_test(tc, piranha_escapes);
	tcase_add_test(tc, include_glob_and_locations);
	tcase_add_test(tc, include_cycle_and_stray_close);
	tcase_add_test(tc, all_errors_in_one_pass);
	tcase_add_test(tc, warnings_do_not_reject);
	tcase_add_test(tc, announce_warnings);
	tcase_add_test(tc, node_role);
	tcase_add_test(tc, suggestions);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cfg_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
