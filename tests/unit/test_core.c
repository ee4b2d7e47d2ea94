/*
 * The daemon's core with plain inputs: the weight policy of lvs.cf(5)
 * (desired_weight, desired_table), draining with a fake clock, and the
 * plan's rules (what `lvsd -t`, start and reload refuse alike).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "daemon/announce_verdict.h"
#include "daemon/desired.h"
#include "daemon/drain.h"
#include "daemon/override.h"
#include "daemon/plan.h"

static struct cfg *
load(const char *text)
{
	struct cfg_diags *d = cfg_diags_new();
	struct cfg *cfg = cfg_load_buffer("t.cf", text, strlen(text), d);
	if (cfg == NULL)
		cfg_diags_print(stderr, d);
	cfg_diags_free(d);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

static const struct cfg_virtual *
virtual_named(const struct cfg *cfg, const char *name)
{
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry)
		if (strcmp(v->name, name) == 0)
			return v;
	ck_abort_msg("no virtual %s", name);
	return NULL;
}

static const struct cfg_server *
server_named(const struct cfg_virtual *v, const char *name)
{
	const struct cfg_server *s;
	TAILQ_FOREACH(s, &v->servers, entry)
		if (strcmp(s->name, name) == 0)
			return s;
	ck_abort_msg("no server %s", name);
	return NULL;
}

/* ---- a health view and overrides the tests set by hand ---------------- */

struct fake_health {
	const char *id[8];
	struct rs_state st[8];
	int n;
};

static const struct rs_state *
fake_state(const void *ctx, const struct cfg_server *s)
{
	const struct fake_health *h = ctx;
	for (int i = 0; i < h->n; i++)
		if (strcmp(h->id[i], s->id) == 0)
			return &h->st[i];
	return NULL;
}

static void
set_health(struct fake_health *h, const char *id, bool up, int dyn)
{
	h->id[h->n] = id;
	h->st[h->n].up = up;
	h->st[h->n].dyn_weight = dyn;
	h->n++;
}

static char tmpdir[64];

static struct overrides *
overrides_in_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lvsd-core.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	char path[128];
	snprintf(path, sizeof(path), "%s/overrides.json", tmpdir);
	return overrides_load(path);
}

static void
overrides_done(struct overrides *o)
{
	static const char *const files[] = {
		"overrides.json", "overrides.json.prev", "overrides.json.tmp",
		"elsewhere.json",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	rmdir(tmpdir);
	overrides_free(o);
}

static void
write_file(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static struct overrides *
reload_overrides(struct overrides *o)
{
	overrides_free(o);
	char path[128];
	snprintf(path, sizeof(path), "%s/overrides.json", tmpdir);
	return overrides_load(path);
}

/* Saved with who and when; read back after a restart. */
START_TEST(overrides_persist)
{
	struct overrides *o = overrides_in_tmp();
	ck_assert_int_eq(override_set(o, "web/a", OVERRIDE_DRAIN, "alice"), 0);
	o = reload_overrides(o);
	ck_assert_int_eq(override_get(o, "web/a"), OVERRIDE_DRAIN);
	int64_t at;
	ck_assert_str_eq(override_by(o, "web/a", &at), "alice");
	ck_assert(at > 0);
	ck_assert_ptr_null(overrides_problem(o));
	overrides_done(o);
}
END_TEST

/* A damaged file falls back to the previous copy, with its overrides. */
START_TEST(overrides_fall_back)
{
	static const char *const damaged[] = {
		"", "{\"web/a\": {\"override\": \"dra", "[1, 2]", "garbage",
	};
	for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
		struct overrides *o = overrides_in_tmp();
		ck_assert_int_eq(override_set(o, "web/a", OVERRIDE_DISABLE, "b"), 0);
		ck_assert_int_eq(override_set(o, "web/b", OVERRIDE_DRAIN, "b"), 0);
		/* the previous copy holds web/a only */
		write_file("overrides.json", damaged[i]);
		o = reload_overrides(o);
		ck_assert_msg(override_get(o, "web/a") == OVERRIDE_DISABLE,
		    "damaged file %zu: the previous copy was not used", i);
		ck_assert_ptr_null(overrides_problem(o));
		overrides_done(o);
	}
}
END_TEST

/* Neither readable: no overrides, and the daemon says so until a save. */
START_TEST(overrides_lost_said)
{
	struct overrides *o = overrides_in_tmp();
	write_file("overrides.json", "{");
	write_file("overrides.json.prev", "");
	o = reload_overrides(o);
	ck_assert_int_eq(override_get(o, "web/a"), OVERRIDE_NONE);
	ck_assert_ptr_nonnull(overrides_problem(o));
	ck_assert_ptr_nonnull(strstr(overrides_problem(o), "not JSON"));
	ck_assert_int_eq(override_set(o, "web/a", OVERRIDE_DRAIN, "c"), 0);
	ck_assert_ptr_null(overrides_problem(o));
	overrides_done(o);
}
END_TEST

/* A symlink in the file's place is not followed. */
START_TEST(overrides_no_symlink)
{
	struct overrides *o = overrides_in_tmp();
	write_file("elsewhere.json", "{\"web/a\": \"drain\"}");
	char path[128];
	snprintf(path, sizeof(path), "%s/overrides.json", tmpdir);
	ck_assert_int_eq(symlink("elsewhere.json", path), 0);
	o = reload_overrides(o);
	ck_assert_int_eq(override_get(o, "web/a"), OVERRIDE_NONE);
	ck_assert_ptr_nonnull(strstr(overrides_problem(o), "symbolic link"));
	/* and saving does not write through it */
	ck_assert_int_eq(override_set(o, "web/b", OVERRIDE_DRAIN, "d"), 0);
	struct stat sb;
	ck_assert_int_eq(lstat(path, &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));
	overrides_done(o);
}
END_TEST

static const char site[] =
	"virtual web {\n address = 10.0.0.1 eth0:1\n port = 80\n"
	" sorry_server = 10.9.9.9:8080\n"
	" server a {\n  address = 10.1.0.1\n  weight = 3\n }\n"
	" server b {\n  address = 10.1.0.2\n  weight = 5\n }\n"
	" server off {\n  address = 10.1.0.3\n  active = 0\n }\n"
	"}\n"
	"virtual quiet {\n address = 10.0.0.2 eth0:2\n port = 80\n"
	" quiesce_server = 1\n"
	" server q {\n  address = 10.1.0.4\n  weight = 2\n }\n"
	"}\n"
	"virtual idle {\n address = 10.0.0.3 eth0:3\n port = 80\n active = 0\n"
	" server i {\n  address = 10.1.0.5\n }\n"
	"}\n";

/* ---- desired_weight: each rule of lvs.cf(5) ---------------------------- */

START_TEST(weight_rules)
{
	struct cfg *cfg = load(site);
	struct fake_health h = { .n = 0 };
	struct overrides *ov = overrides_in_tmp();
	struct desired_inputs in = { cfg, fake_state, &h, ov };
	const struct cfg_virtual *web = virtual_named(cfg, "web");
	const struct cfg_virtual *quiet = virtual_named(cfg, "quiet");
	const struct cfg_virtual *idle = virtual_named(cfg, "idle");
	const struct cfg_server *a = server_named(web, "a");
	const struct cfg_server *b = server_named(web, "b");

	/* nothing known yet: the configured weight */
	ck_assert_int_eq(desired_weight(&in, web, a), 3);
	/* active = 0: never in the table, nor a server of an inactive
	 * service */
	ck_assert_int_eq(desired_weight(&in, web, server_named(web, "off")), -1);
	ck_assert_int_eq(desired_weight(&in, idle, server_named(idle, "i")), -1);
	/* down: out, or weight 0 with quiesce_server */
	set_health(&h, "web/a", false, -1);
	set_health(&h, "quiet/q", false, -1);
	ck_assert_int_eq(desired_weight(&in, web, a), -1);
	ck_assert_int_eq(desired_weight(&in, quiet, server_named(quiet, "q")), 0);
	/* up with a dynamic weight from the check program */
	set_health(&h, "web/b", true, 9);
	ck_assert_int_eq(desired_weight(&in, web, b), 9);
	h.st[2].dyn_weight = -1;
	ck_assert_int_eq(desired_weight(&in, web, b), 5);
	/* the operator beats health: drained -> 0, disabled -> out */
	ck_assert_int_eq(override_set(ov, "web/a", OVERRIDE_DRAIN, "t"), 0);
	ck_assert_int_eq(desired_weight(&in, web, a), 0);
	ck_assert_int_eq(override_set(ov, "web/b", OVERRIDE_DISABLE, "t"), 0);
	ck_assert_int_eq(desired_weight(&in, web, b), -1);
	ck_assert_int_eq(override_set(ov, "web/b", OVERRIDE_NONE, "t"), 0);
	ck_assert_int_eq(desired_weight(&in, web, b), 5);
	overrides_done(ov);
	cfg_free(cfg);
}
END_TEST

/* The weight of id in table t (-1: not there). */
static int
table_weight(const struct ipvs_table *t, const char *id)
{
	const struct ipvs_svc *s = NULL;
	while ((s = ipvs_table_next(t, s)) != NULL) {
		const struct ipvs_dst *e = NULL;
		while ((e = ipvs_svc_next_dest(s, e)) != NULL)
			if (strcmp(ipvs_dst_label(e), id) == 0)
				return ipvs_dst_conf(e)->weight;
	}
	return -1;
}

START_TEST(table_sorry_server)
{
	struct cfg *cfg = load(site);
	struct fake_health h = { .n = 0 };
	struct desired_inputs in = { cfg, fake_state, &h, NULL };

	struct ipvs_table *t = desired_table(&in);
	/* inactive services are not programmed */
	ck_assert_uint_eq(ipvs_table_nservices(t), 2);
	ck_assert_int_eq(table_weight(t, "web/a"), 3);
	ck_assert_int_eq(table_weight(t, "web/sorry_server"), -1);
	ipvs_table_free(t);

	/* one server left: no sorry server */
	set_health(&h, "web/a", false, -1);
	t = desired_table(&in);
	ck_assert_int_eq(table_weight(t, "web/a"), -1);
	ck_assert_int_eq(table_weight(t, "web/sorry_server"), -1);
	ipvs_table_free(t);

	/* none left: the sorry server stands in */
	set_health(&h, "web/b", false, -1);
	t = desired_table(&in);
	ck_assert_int_eq(table_weight(t, "web/sorry_server"), 1);
	ipvs_table_free(t);

	/* a quiesced service keeps its servers at weight 0 */
	set_health(&h, "quiet/q", false, -1);
	t = desired_table(&in);
	ck_assert_int_eq(table_weight(t, "quiet/q"), 0);
	ipvs_table_free(t);
	cfg_free(cfg);
}
END_TEST

/* ---- draining, with a fake clock ---------------------------------------- */

/* The site's weights and drains, applied at fake times. */
struct drain_fixture {
	struct cfg *cfg;
	struct fake_health h;
	struct drain_state ds;
	uint32_t drain_ms;
};

static void
drain_setup(struct drain_fixture *f, uint32_t drain_ms)
{
	f->cfg = load(site);
	f->h.n = 0;
	f->drain_ms = drain_ms;
	drain_init(&f->ds);
}

static void
drain_teardown(struct drain_fixture *f)
{
	drain_clear(&f->ds);
	cfg_free(f->cfg);
}

/* One apply at time now: the weight id gets, and the next deadline. */
static int
apply_at(struct drain_fixture *f, uint64_t now, const char *id,
    uint64_t *deadline)
{
	struct desired_inputs in = { f->cfg, fake_state, &f->h, NULL };
	struct ipvs_table *t = desired_table(&in);
	*deadline = drain_merge(&f->ds, t, now, f->drain_ms);
	int w = table_weight(t, id);
	ipvs_table_free(t);
	return w;
}

START_TEST(drain_then_delete)
{
	struct drain_fixture f;
	uint64_t next;
	drain_setup(&f, 500);
	ck_assert_int_eq(apply_at(&f, 1000000, "web/a", &next), 3);
	ck_assert_uint_eq(next, UINT64_MAX);
	/* a leaves: it stays at weight 0 until 500 ms later */
	set_health(&f.h, "web/a", false, -1);
	ck_assert_int_eq(apply_at(&f, 2000000, "web/a", &next), 0);
	ck_assert_uint_eq(next, 2500000);
	ck_assert_uint_eq(drain_count(&f.ds), 1);
	/* still draining at 2.4 s */
	ck_assert_int_eq(apply_at(&f, 2400000, "web/a", &next), 0);
	ck_assert_uint_eq(next, 2500000);
	/* drained at 2.5 s: deleted */
	ck_assert_int_eq(apply_at(&f, 2500000, "web/a", &next), -1);
	ck_assert_uint_eq(next, UINT64_MAX);
	ck_assert_uint_eq(drain_count(&f.ds), 0);
	drain_teardown(&f);
}
END_TEST

START_TEST(drain_ends_when_wanted_again)
{
	struct drain_fixture f;
	uint64_t next;
	drain_setup(&f, 1000);
	apply_at(&f, 0, "web/b", &next);
	set_health(&f.h, "web/b", false, -1);
	ck_assert_int_eq(apply_at(&f, 10, "web/b", &next), 0);
	f.h.st[0].up = true;		/* back before the deadline */
	ck_assert_int_eq(apply_at(&f, 20, "web/b", &next), 5);
	ck_assert_uint_eq(next, UINT64_MAX);
	drain_teardown(&f);
}
END_TEST

START_TEST(drain_time_zero_deletes)
{
	struct drain_fixture f;
	uint64_t next;
	drain_setup(&f, 0);
	apply_at(&f, 0, "web/a", &next);
	set_health(&f.h, "web/a", false, -1);
	ck_assert_int_eq(apply_at(&f, 10, "web/a", &next), -1);
	ck_assert_uint_eq(next, UINT64_MAX);
	drain_teardown(&f);
}
END_TEST

START_TEST(drain_time_set_later)
{
	struct drain_fixture f;
	uint64_t next;
	drain_setup(&f, 0);
	apply_at(&f, 0, "web/a", &next);
	/* the apply that first has drain_time: what it removes goes at once */
	f.drain_ms = 500;
	set_health(&f.h, "web/a", false, -1);
	ck_assert_int_eq(apply_at(&f, 10, "web/a", &next), -1);
	ck_assert_uint_eq(drain_count(&f.ds), 0);
	/* from then on, what leaves drains */
	set_health(&f.h, "web/b", false, -1);
	ck_assert_int_eq(apply_at(&f, 20, "web/b", &next), 0);
	ck_assert_uint_eq(next, 20 + 500 * 1000);
	drain_teardown(&f);
}
END_TEST

/* ---- the plan's rules --------------------------------------------------- */

/* The first error of plan_check_roles on text, formatted. */
static char *
plan_error(const char *text)
{
	struct cfg *cfg = load(text);
	struct cfg_diags *d = cfg_diags_new();
	unsigned n = plan_check_roles(cfg, NODE_ROLE_UNKNOWN, d);
	char *s = strdup("(no error)");
	const struct cfg_diag *dg;
	TAILQ_FOREACH(dg, &d->list, entry)
		if (n > 0 && dg->severity == CFG_ERROR) {
			free(s);
			s = cfg_diag_format(dg);
			break;
		}
	cfg_diags_free(d);
	cfg_free(cfg);
	return s;
}

#define ASSERT_PLAN_ERROR(text, want) do {				\
	char *got_ = plan_error(text);					\
	ck_assert_msg(strcmp(got_, want) == 0, "\n  want: %s\n  got:  %s",	\
	    want, got_);						\
	free(got_);							\
} while (0)

START_TEST(plan_empty_vrrp_block)
{
	ASSERT_PLAN_ERROR(
	    "vrrp one {\n vrid = 1\n}\n"
	    "vrrp two {\n vrid = 2\n interface = eth0\n}\n"
	    "virtual web {\n address = 10.0.0.1 eth0:1\n port = 80\n vrrp = one\n"
	    " server a {\n  address = 10.1.0.1\n }\n}\n"
	    "primary = 10.0.0.2\nbackup = 10.0.0.3\n",
	    "t.cf:4:1: error: vrrp `two`: holds no virtual address: an instance "
	    "advertises the addresses it moves");
}
END_TEST

/* Multicast VRRP hears the directors lvs.cf names (IPv6: `peers`, the
 * link-local addresses adverts come from), or any sender when told so. */
START_TEST(plan_vrrp_senders)
{
	static const char v4[] = "virtual web {\n address = 10.0.0.1 eth0:1\n"
	    " port = 80\n server a {\n  address = 10.1.0.1\n }\n}\n";
	static const char v6[] = "virtual web {\n address = 2001:db8::1 eth0\n"
	    " port = 80\n server a {\n  address = 2001:db8::9\n }\n}\n";
	char text[1024];
	snprintf(text, sizeof(text), "vrrp vi {\n vrid = 1\n}\n%s", v6);
	ASSERT_PLAN_ERROR(text, "t.cf:1:1: error: vrrp `vi`: names no router to "
	    "hear adverts from, and does not accept any sender: IPv6 adverts "
	    "come from link-local addresses, which `primary` and `backup` do "
	    "not give; list every director's in `peers` (`peers = fe80::1 "
	    "fe80::2`), or set `accept_any_sender = 1`");
	snprintf(text, sizeof(text), "primary = 10.0.0.2\nbackup = 10.0.0.3\n"
	    "backup_private = 10.9.0.3\nvrrp vi {\n vrid = 1\n peers = 10.0.0.7"
	    "\n}\n%s", v4);
	struct cfg *cfg = load(text);
	struct cfg_diags *d = cfg_diags_new();
	struct plan *p = plan_build(cfg, NODE_ROLE_PRIMARY, d);
	ck_assert_ptr_nonnull(p);
	const struct vrrp_instance_config *c = &p->failover.instances[0];
	ck_assert_uint_eq(c->nsenders, 4);
	ck_assert(!c->any_sender);
	ck_assert_uint_eq(c->query_port, 5399);
	char a[LVS_ADDRSTRLEN];
	ck_assert_str_eq(addr_fmt(&c->senders[2], a), "10.9.0.3");
	ck_assert_str_eq(addr_fmt(&c->senders[3], a), "10.0.0.7");
	plan_free(p);
	cfg_free(cfg);
	snprintf(text, sizeof(text), "drill_port = 0\nvrrp vi {\n vrid = 1\n"
	    " accept_any_sender = 1\n}\n%s", v6);
	cfg = load(text);
	p = plan_build(cfg, NODE_ROLE_PRIMARY, d);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->failover.instances[0].any_sender);
	ck_assert_uint_eq(p->failover.instances[0].nsenders, 0);
	ck_assert_uint_eq(p->failover.instances[0].query_port, 0);
	plan_free(p);
	cfg_free(cfg);
	cfg_diags_free(d);
}
END_TEST

START_TEST(plan_long_instance_names)
{
	/* 40 characters, the same first 31: two instances, not one. */
	static const char text[] =
	    "vrrp instance_with_a_long_name_number_0001 {\n vrid = 1\n}\n"
	    "vrrp instance_with_a_long_name_number_0002 {\n vrid = 2\n}\n"
	    "virtual web {\n address = 10.0.0.1 eth0:1\n port = 80\n"
	    " vrrp = instance_with_a_long_name_number_0001\n"
	    " server a {\n  address = 10.1.0.1\n }\n}\n"
	    "virtual ftp {\n address = 10.0.0.2 eth0:2\n port = 21\n"
	    " vrrp = instance_with_a_long_name_number_0002\n"
	    " server a {\n  address = 10.1.0.1\n }\n}\n"
	    "primary = 10.0.0.3\nbackup = 10.0.0.4\n";
	struct cfg *cfg = load(text);
	struct cfg_diags *d = cfg_diags_new();
	struct plan *p = plan_build(cfg, NODE_ROLE_PRIMARY, d);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->failover.ninstances, 2);
	ck_assert_str_eq(p->failover.instances[1].name,
	    "instance_with_a_long_name_number_0002");
	plan_free(p);
	cfg_diags_free(d);
	cfg_free(cfg);
}
END_TEST

START_TEST(plan_name_limit)
{
	char name[80];
	memset(name, 'n', 64);
	name[64] = '\0';
	char text[512];
	snprintf(text, sizeof(text), "virtual %s {\n address = 10.0.0.1\n"
	    " port = 80\n}\n", name);
	struct cfg_diags *d = cfg_diags_new();
	ck_assert_ptr_null(cfg_load_buffer("t.cf", text, strlen(text), d));
	char *got = cfg_diag_format(TAILQ_FIRST(&d->list));
	ck_assert_str_eq(got, "t.cf:1:9: error: `virtual` name is 64 "
	    "characters long; names are at most 63");
	free(got);
	cfg_diags_free(d);
}
END_TEST

/* Names at the limit: the identity keeps every character, so health and
 * overrides find the server (a DOWN server does not keep its weight). */
START_TEST(plan_long_server_identity)
{
	char v[64], s[64], text[1024], id[130];
	memset(v, 'v', 63);
	v[63] = '\0';
	memset(s, 's', 62);
	s[62] = 'x';
	s[63] = '\0';
	snprintf(text, sizeof(text), "virtual %s {\n address = 10.0.0.1 eth0:1\n"
	    " port = 80\n server %s {\n  address = 10.1.0.1\n  weight = 4\n"
	    " }\n}\n", v, s);
	snprintf(id, sizeof(id), "%s/%s", v, s);
	struct cfg *cfg = load(text);
	const struct cfg_virtual *cv = TAILQ_FIRST(&cfg->virtuals);
	const struct cfg_server *cs = TAILQ_FIRST(&cv->servers);
	ck_assert_str_eq(cs->id, id);
	struct fake_health h = { .n = 0 };
	set_health(&h, id, false, -1);
	struct desired_inputs in = { cfg, fake_state, &h, NULL };
	ck_assert_int_eq(desired_weight(&in, cv, cs), -1);
	struct cfg_diags *d = cfg_diags_new();
	struct plan *p = plan_build(cfg, NODE_ROLE_PRIMARY, d);
	ck_assert_ptr_nonnull(p);
	struct hc_check_config c;
	plan_check_config(&p->checks[0], &c);
	ck_assert_str_eq(c.label, id);
	plan_free(p);
	cfg_diags_free(d);
	cfg_free(cfg);
}
END_TEST

START_TEST(plan_kernel_sees_one_server)
{
	/* Direct routing keeps the service's port: 8080 and 8081 are one. */
	ASSERT_PLAN_ERROR(
	    "virtual web {\n address = 10.0.0.1 eth0:1\n port = 80\n"
	    " server a {\n  address = 10.1.0.1\n  port = 8080\n"
	    "  network = direct\n }\n"
	    " server b {\n  address = 10.1.0.1\n  port = 8081\n"
	    "  network = direct\n }\n}\n",
	    "t.cf:9:2: error: `web/b`: the kernel would see it as the same real "
	    "server as `web/a` (10.1.0.1:80): direct routing and tunnelling "
	    "keep the service's port");
}
END_TEST

START_TEST(plan_sorry_server_is_a_real_server)
{
	ASSERT_PLAN_ERROR(
	    "virtual web {\n address = 10.0.0.1 eth0:1\n port = 80\n"
	    " sorry_server = 10.1.0.1:80\n"
	    " server a {\n  address = 10.1.0.1\n }\n}\n",
	    "t.cf:4:2: error: `web/sorry_server`: the kernel would see it as the "
	    "same real server as `web/a` (10.1.0.1:80)");
}
END_TEST

START_TEST(plan_valid_files_pass)
{
	ASSERT_PLAN_ERROR(site, "(no error)");
}
END_TEST


/* ---- the announcement's verdicts ---------------------------------------- */

static const char announce_site[] =
    "heartbeat = 0\n"
    "announce {\n}\n"
    "virtual web {\n address = 10.0.0.100\n port = 80\n scheduler = mh\n"
    " quiesce_server = 1\n hash_fallback = 1\n quorum = 2\n"
    " server a {\n  address = 10.1.0.1\n }\n"
    " server b {\n  address = 10.1.0.2\n }\n"
    " server c {\n  address = 10.1.0.3\n }\n}\n"
    /* the same address, another port: decides with web */
    "virtual ftp {\n address = 10.0.0.100\n port = 21\n scheduler = mh\n"
    " server a {\n  address = 10.1.0.1\n }\n}\n"
    "virtual api {\n address = 10.0.0.101\n port = 80\n scheduler = mh\n"
    " sorry_server = 10.9.0.1:80\n"
    " server a {\n  address = 10.1.0.1\n }\n}\n"
    "virtual off {\n address = 10.0.0.102\n port = 80\n active = 0\n"
    " server a {\n  address = 10.1.0.1\n }\n}\n";

/* The verdicts of cfg with health h; v has the plan's addresses; all_up:
 * announce_all_up of the same table. */
static bool all_up;
static size_t
verdicts(const struct cfg *cfg, struct fake_health *h,
    struct announce_verdict *v)
{
	struct cfg_diags *d = cfg_diags_new();
	struct plan *p = plan_build(cfg, NODE_ROLE_PRIMARY, d);
	cfg_diags_free(d);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->failover.mode, PLAN_ANNOUNCE);
	struct desired_inputs in = { cfg, fake_state, h, NULL };
	struct ipvs_table *t = desired_table(&in);
	size_t n = p->failover.nvips;
	ck_assert_uint_le(n, 4);
	announce_verdicts(cfg, &p->failover, t, v);
	all_up = v[0].all_up;
	ipvs_table_free(t);
	plan_free(p);
	return n;
}

/* Quorum per address: weight > 0 in the desired table; a sorry server
 * counts for nothing; an inactive service's address is not held. */
START_TEST(announce_quorum)
{
	struct cfg *cfg = load(announce_site);
	struct fake_health h = { .n = 0 };
	struct announce_verdict v[4];
	ck_assert_uint_eq(verdicts(cfg, &h, v), 2);	/* 10.0.0.102: inactive */
	ck_assert(v[0].want && v[1].want);
	ck_assert_str_eq(v[0].virtual, "web");
	ck_assert_uint_eq(v[0].up, 3);
	ck_assert_uint_eq(v[0].total, 3);
	ck_assert_uint_eq(v[0].quorum, 2);
	ck_assert(all_up);

	/* web: 2 of 3 up (the third quiesced, weight 0): still announced,
	 * but not every server is up (a start waits for that) */
	set_health(&h, "web/c", false, -1);
	verdicts(cfg, &h, v);
	ck_assert(v[0].want);
	ck_assert(!all_up);
	ck_assert_uint_eq(v[0].up, 2);

	/* 1 of 3: below quorum; the address goes for ftp too */
	set_health(&h, "web/b", false, -1);
	verdicts(cfg, &h, v);
	ck_assert(!v[0].want);
	ck_assert_str_eq(v[0].virtual, "web");
	ck_assert_uint_eq(v[0].up, 1);
	ck_assert(v[1].want);

	/* ftp's only server down: it decides 10.0.0.100 as well */
	h.n = 0;
	set_health(&h, "ftp/a", false, -1);
	verdicts(cfg, &h, v);
	ck_assert(!v[0].want);
	ck_assert_str_eq(v[0].virtual, "ftp");
	ck_assert_uint_eq(v[0].up, 0);

	/* api's server down: its sorry server stands in, counts for none */
	h.n = 0;
	set_health(&h, "api/a", false, -1);
	verdicts(cfg, &h, v);
	ck_assert(v[0].want);
	ck_assert(!v[1].want);
	ck_assert_uint_eq(v[1].up, 0);
	cfg_free(cfg);
}
END_TEST

static Suite *
core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("weights");
	tcase_add_test(tc, weight_rules);
	tcase_add_test(tc, table_sorry_server);
	suite_add_tcase(s, tc);
	tc = tcase_create("overrides");
	tcase_add_test(tc, overrides_persist);
	tcase_add_test(tc, overrides_fall_back);
	tcase_add_test(tc, overrides_lost_said);
	tcase_add_test(tc, overrides_no_symlink);
	suite_add_tcase(s, tc);
	tc = tcase_create("drain");
	tcase_add_test(tc, drain_then_delete);
	tcase_add_test(tc, drain_ends_when_wanted_again);
	tcase_add_test(tc, drain_time_zero_deletes);
	tcase_add_test(tc, drain_time_set_later);
	suite_add_tcase(s, tc);
	tc = tcase_create("plan");
	tcase_add_test(tc, plan_empty_vrrp_block);
	tcase_add_test(tc, plan_vrrp_senders);
	tcase_add_test(tc, plan_long_instance_names);
	tcase_add_test(tc, plan_name_limit);
	tcase_add_test(tc, plan_long_server_identity);
	tcase_add_test(tc, plan_kernel_sees_one_server);
	tcase_add_test(tc, plan_sorry_server_is_a_real_server);
	tcase_add_test(tc, plan_valid_files_pass);
	tcase_add_test(tc, announce_quorum);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(core_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
