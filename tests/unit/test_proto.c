/*
 * The messages between lvsd's processes: plans and check settings go
 * through encoding and decoding unchanged; malformed messages are refused
 * with the reason; the fuzz targets' seeds decode (so fuzzing starts from
 * messages that mean something).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "daemon/plan.h"
#include "daemon/proto.h"

static struct plan *
plan_of(const char *text, struct cfg **cfg)
{
	struct cfg_diags *d = cfg_diags_new();
	*cfg = cfg_load_buffer("t.cf", text, strlen(text), d);
	if (*cfg == NULL)
		cfg_diags_print(stderr, d);
	ck_assert_ptr_nonnull(*cfg);
	struct plan *p = plan_build(*cfg, NODE_ROLE_BACKUP, d);
	if (p == NULL)
		cfg_diags_print(stderr, d);
	ck_assert_ptr_nonnull(p);
	cfg_diags_free(d);
	return p;
}

/* The one message o holds, parsed. */
static struct msg_in
parsed(const struct msg_out *o)
{
	struct msg_in in;
	size_t used;
	const char *why = NULL;
	ck_assert_int_eq(msg_parse(o->buf, o->len, &in, &used, &why), 1);
	ck_assert_uint_eq(used, o->len);
	return in;
}

static const char vrrp_site[] =
    "primary = 10.0.0.2\nbackup = 10.0.0.3\nbackup_active = 1\n"
    "monitor_links = 1\n"
    "vrrp site {\n vrid = 51\n unicast = 1\n advert_int = 150ms\n"
    " handoff_delay = 400ms\n}\n"
    "vrrp legacy {\n vrid = 52\n version = 2\n interface = eth1\n"
    " auth_pass = s3cret\n peers = 10.2.0.9\n}\n"
    "virtual web {\n address = 10.0.0.100 eth0:1\n vip_nmask = 24\n port = 80\n"
    " check = http\n http_path = /healthz\n http_status = 200,301-302\n"
    " http_digest = sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
    " server a {\n  address = 10.1.0.1\n }\n}\n"
    "virtual old {\n address = 10.2.0.100 eth1:5\n port = 22\n vrrp = legacy\n"
    " send = \"PING\\r\\n\"\n expect = \"^PONG\"\n use_regex = 1\n"
    " server b {\n  address = 10.2.0.1\n }\n}\n";

START_TEST(vrrp_plan_round_trip)
{
	struct cfg *cfg;
	struct plan *p = plan_of(vrrp_site, &cfg);
	struct msg_out o = { 0 };
	msg_begin(&o, PF_PREPARE);
	proto_failover_put(&o, &p->failover);
	msg_end(&o);
	struct msg_in in = parsed(&o);
	struct plan_failover back;
	ck_assert_int_eq(proto_failover_get(&in, &back), 0);
	ck_assert(msg_done(&in));
	ck_assert_int_eq(back.mode, PLAN_VRRP);
	ck_assert_str_eq(back.active, "site");
	ck_assert_uint_eq(back.ninstances, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct vrrp_instance_config *a = &p->failover.instances[i];
		const struct vrrp_instance_config *b = &back.instances[i];
		ck_assert_str_eq(a->name, b->name);
		ck_assert_uint_eq(a->vrid, b->vrid);
		ck_assert_uint_eq(a->version, b->version);
		ck_assert_str_eq(a->ifname, b->ifname);
		ck_assert_uint_eq(a->priority, b->priority);
		ck_assert_uint_eq(a->advert_cs, b->advert_cs);
		ck_assert_uint_eq(a->handoff_delay_ms, b->handoff_delay_ms);
		ck_assert_str_eq(a->auth_pass, b->auth_pass);
		ck_assert_uint_eq(a->npeers, b->npeers);
		ck_assert_uint_eq(a->nvips, b->nvips);
		ck_assert_uint_eq(a->nlinks, b->nlinks);
		ck_assert_mem_eq(a->vips, b->vips, a->nvips * sizeof(*a->vips));
		ck_assert_uint_eq(a->nsenders, b->nsenders);
		for (size_t k = 0; k < a->nsenders; k++)
			ck_assert(addr_eq(&a->senders[k], &b->senders[k]));
		ck_assert_int_eq(a->any_sender, b->any_sender);
		ck_assert_uint_eq(a->query_port, b->query_port);
	}
	/* legacy (multicast) hears the two directors and its peer */
	ck_assert_uint_eq(back.instances[1].nsenders, 3);
	ck_assert_uint_eq(back.instances[1].query_port, 5399);
	ck_assert(addr_eq(&back.instances[0].peers[0], &p->failover.peers[0]));
	plan_failover_clear(&back);
	msg_out_free(&o);
	plan_free(p);
	cfg_free(cfg);
}
END_TEST

START_TEST(check_round_trip)
{
	struct cfg *cfg;
	struct plan *p = plan_of(vrrp_site, &cfg);
	ck_assert_uint_eq(p->nchecks, 2);
	for (size_t i = 0; i < p->nchecks; i++) {
		struct msg_out o = { 0 };
		struct proto_rs_state st = { true, false, 7 };
		struct hc_check_config want;
		plan_check_config(&p->checks[i], &want);
		proto_check_put(&o, p->checks[i].s->id, &want, &st);
		struct msg_in in = parsed(&o);
		char *id;
		struct hc_check_config c;
		struct proto_rs_state st2;
		ck_assert_int_eq(proto_check_get(&in, &id, &c, &st2), 0);
		ck_assert_str_eq(id, p->checks[i].s->id);
		ck_assert(hc_check_config_equal(&c, &want));
		ck_assert(st2.known && !st2.up && st2.dyn_weight == 7);
		free(id);
		hc_check_config_clear(&c);
		msg_out_free(&o);
	}
	plan_free(p);
	cfg_free(cfg);
}
END_TEST

/* The checks process's hello: who it runs as and what it must allow. */
START_TEST(hello_round_trip)
{
	struct proto_hello h = {
		.version = PROTO_VERSION, .syslog = true, .max_children = 16,
		.kill_grace_ms = 2000, .user = "lvsd", .icmp = true,
	}, back;
	struct msg_out o = { 0 };
	proto_hello_put(&o, PH_HELLO, &h);
	struct msg_in in = parsed(&o);
	ck_assert_int_eq(proto_hello_get(&in, &back), 0);
	ck_assert_str_eq(back.user, "lvsd");
	ck_assert(back.icmp && !back.programs && back.syslog);
	ck_assert_uint_eq(back.max_children, 16);
	msg_out_free(&o);
	/* No user: the process stays as it was started. */
	h.user[0] = '\0';
	h.programs = true;
	proto_hello_put(&o, PH_HELLO, &h);
	in = parsed(&o);
	ck_assert_int_eq(proto_hello_get(&in, &back), 0);
	ck_assert_str_eq(back.user, "");
	ck_assert(back.programs);
	msg_out_free(&o);
	/* A name longer than any user name is refused, never cut. */
	msg_begin(&o, PH_HELLO);
	msg_put_u32(&o, PROTO_VERSION);
	for (int i = 0; i < 3; i++)
		msg_put_bool(&o, false);
	msg_put_i32(&o, 0);
	for (int i = 0; i < 3; i++)
		msg_put_u32(&o, 1);
	msg_put_str(&o, "a-user-name-of-more-than-sixty-four-characters-is-no-"
	    "user-name-at-all");
	msg_put_bool(&o, false);
	msg_put_bool(&o, false);
	msg_end(&o);
	in = parsed(&o);
	ck_assert_int_eq(proto_hello_get(&in, &back), -1);
	ck_assert_str_eq(in.err, "string too long for its field");
	msg_out_free(&o);
}
END_TEST

/* A role message with its last byte changed or cut. */
START_TEST(malformed_refused)
{
	struct msg_out o = { 0 };
	proto_role_put(&o, "site", VRRP_STATE_BACKUP, VRRP_STATE_MASTER,
	    VRRP_REASON_MASTER_DOWN);
	char name[VRRP_NAME_MAX];
	enum vrrp_state a, b;
	enum vrrp_reason r;
	o.buf[o.len - 1] = VRRP_REASON_MAX;		/* no such reason */
	struct msg_in in = parsed(&o);
	ck_assert_int_eq(proto_role_get(&in, name, sizeof(name), &a, &b, &r), -1);
	ck_assert_str_eq(in.err, "an unknown reason of a role change");
	/* one byte short: the header says more than there is */
	struct msg_in part;
	size_t used;
	const char *why = NULL;
	ck_assert_int_eq(msg_parse(o.buf, o.len - 1, &part, &used, &why), 0);
	/* a payload shorter than its fields */
	o.buf[4] = (uint8_t)(o.buf[4] - 1);
	in = parsed(&(struct msg_out){ .buf = o.buf, .len = o.len - 1 });
	ck_assert_int_eq(proto_role_get(&in, name, sizeof(name), &a, &b, &r), -1);
	ck_assert_str_eq(in.err, "message too short");
	/* another version */
	o.buf[0] = 2;
	ck_assert_int_eq(msg_parse(o.buf, o.len, &part, &used, &why), -1);
	ck_assert_str_eq(why, "message of another protocol version");
	msg_out_free(&o);
}
END_TEST

START_TEST(string_with_nul_refused)
{
	struct msg_out o = { 0 };
	msg_begin(&o, PH_REMOVE);
	msg_put_u32(&o, 3);
	msg_put_bytes(&o, "a\0b", 3);
	msg_end(&o);
	struct msg_in in = parsed(&o);
	free(msg_get_str(&in));
	ck_assert_str_eq(in.err, "string with a NUL byte");
	msg_out_free(&o);
}
END_TEST

START_TEST(counts_bounded_by_the_message)
{
	struct msg_out o = { 0 };
	msg_begin(&o, FP_STATS);
	msg_put_u32(&o, 1000000);	/* a million instances in 4 bytes */
	msg_end(&o);
	struct msg_in in = parsed(&o);
	struct proto_stats *s;
	size_t n;
	ck_assert_int_eq(proto_stats_get(&in, &s, &n), -1);
	ck_assert_str_eq(in.err, "a count larger than the message");
	msg_out_free(&o);
}
END_TEST

/* Every seed of the fuzz targets decodes without an error. */
static void
decode_seeds(const char *dir, const char *const *names, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/%s/%s",
		    getenv("top_srcdir") ? getenv("top_srcdir") : ".", dir,
		    names[k]);
		FILE *f = fopen(path, "rb");
		ck_assert_msg(f != NULL, "%s", path);
		uint8_t buf[4096];
		size_t len = fread(buf, 1, sizeof(buf), f), off = 0;
		fclose(f);
		while (off < len) {
			struct msg_in in;
			size_t used;
			const char *why = NULL;
			ck_assert_int_eq(msg_parse(buf + off, len - off, &in,
			    &used, &why), 1);
			off += used;
			struct plan_failover pf;
			struct proto_hello h;
			char *id;
			struct hc_check_config c;
			struct proto_rs_state st;
			bool fo = strcmp(dir, "proto_failover") == 0;
			if (fo && (in.type == PF_START ||
			    in.type == PF_PREPARE)) {
				ck_assert_msg(proto_failover_get(&in, &pf) == 0,
				    "%s: %s", path, in.err);
				plan_failover_clear(&pf);
			} else if (fo && in.type == PF_ANNOUNCE) {
				struct lvs_addr *v;
				size_t nv;
				ck_assert_msg(proto_announce_get(&in, &v, &nv) == 0,
				    "%s: %s", path, in.err);
				free(v);
			} else if (fo && in.type == FP_ANNOUNCED) {
				struct proto_announced a;
				ck_assert_msg(proto_announced_get(&in, &a) == 0,
				    "%s: %s", path, in.err);
				ck_assert_uint_eq(a.nvips, 2);
				ck_assert(a.vips[0].held && a.vips[0].announced);
				ck_assert(a.vips[1].held && !a.vips[1].announced);
				proto_announced_clear(&a);
			} else if (in.type == PF_HELLO)
				ck_assert_int_eq(proto_hello_get(&in, &h), 0);
			else if (!fo && in.type == PH_CHECK) {
				ck_assert_msg(proto_check_get(&in, &id, &c,
				    &st) == 0, "%s: %s", path, in.err);
				free(id);
				hc_check_config_clear(&c);
			}
		}
	}
}

START_TEST(seeds_decode)
{
	static const char *const fo[] = { "vrrp", "pulse", "lone", "replies",
	    "announce", "announced" };
	static const char *const hc[] = { "checks", "replies" };
	decode_seeds("proto_failover", fo, 6);
	decode_seeds("proto_health", hc, 2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("proto");
	tcase_add_test(tc, vrrp_plan_round_trip);
	tcase_add_test(tc, check_round_trip);
	tcase_add_test(tc, hello_round_trip);
	tcase_add_test(tc, malformed_refused);
	tcase_add_test(tc, string_with_nul_refused);
	tcase_add_test(tc, counts_bounded_by_the_message);
	tcase_add_test(tc, seeds_decode);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
