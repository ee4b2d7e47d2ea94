/*
 * The IPVS driver's bounded work against the in-memory kernel model:
 * statistics dumps and resyncs in slices (each slice's requests counted),
 * what they return, and how an apply started meanwhile combines with a
 * resync in progress (ipvs/apply.c's rules).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "tests/unit/ipvs_fixture.h"

/* n services 10.5.0.x:80, two real servers each, weight w. */
static struct ipvs_table *
wide(int n, int w)
{
	struct ipvs_table *t = ipvs_table_new((size_t)n);
	char a[32], l[32];

	for (int i = 0; i < n; i++) {
		snprintf(a, sizeof(a), "10.5.0.%d", i + 1);
		snprintf(l, sizeof(l), "virtual v%d", i);
		struct ipvs_svc *s = add_svc(t, a, 80, "wlc", l);
		snprintf(a, sizeof(a), "172.17.0.%d", i + 1);
		add_dst(t, s, a, 80, w, NULL);
		snprintf(a, sizeof(a), "172.18.0.%d", i + 1);
		add_dst(t, s, a, 80, w, NULL);
	}
	return t;
}

static unsigned
requests_since(unsigned *mark)
{
	unsigned now = ipvs_model_requests(model), d = now - *mark;
	*mark = now;
	return d;
}

static void
model_delete(const char *vip, uint16_t port)
{
	struct ipvs_service key = svc(vip, port, "wlc");
	struct ipvs_table *k = ipvs_model_table(model);
	ipvs_table_del_service(k, ipvs_table_find_service(k, &key));
}

/* Runs the apply/resync in progress to its end, budget per slice, and
 * checks that no slice sent more than max_reqs requests. */
static int
finish(struct ipvs_driver *drv, size_t budget, unsigned max_reqs,
    struct ipvs_apply_stats *st, int *slices)
{
	unsigned mark = ipvs_model_requests(model);
	int rc;

	*slices = 0;
	do {
		rc = ipvs_apply_continue(drv, budget, st);
		(*slices)++;
		ck_assert_uint_le(requests_since(&mark), max_reqs);
	} while (rc == 1);
	ck_assert(!ipvs_apply_busy(drv));
	return rc;
}

START_TEST(sliced_dump_matches_blocking)
{
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	struct ipvs_table *t, *whole;
	unsigned mark;

	ipvs_apply(drv, seed000(2), NULL);
	add_foreign("10.9.9.9", 25);
	mark = ipvs_model_requests(model);
	struct ipvs_dump *dp = ipvs_dump_start(drv);
	ck_assert_ptr_nonnull(dp);
	ck_assert_uint_eq(requests_since(&mark), 1);	/* the service list */
	ck_assert(!ipvs_dump_done(dp));
	ck_assert_int_eq(ipvs_dump_step(dp, 1), 1);
	ck_assert_uint_eq(requests_since(&mark), 1);	/* one service's dests */
	ck_assert_int_eq(ipvs_dump_step(dp, 1), 1);
	ck_assert_int_eq(ipvs_dump_step(dp, 1), 0);
	ck_assert(ipvs_dump_done(dp));
	ck_assert_int_eq(ipvs_dump_step(dp, 1), 0);	/* idempotent */
	ck_assert_uint_eq(requests_since(&mark), 2);
	ck_assert_int_eq(ipvs_dump_finish(dp, &t), 0);

	ck_assert_int_eq(ipvs_dump_stats(drv, &whole), 0);
	ck_assert_uint_eq(ipvs_table_nservices(t), 3);
	ck_assert_uint_eq(ipvs_table_ndests(t), ipvs_table_ndests(whole));
	const struct ipvs_svc *a = NULL, *b = NULL;
	while ((a = ipvs_table_next(t, a)) != NULL) {
		b = ipvs_table_next(whole, b);
		ck_assert(ipvs_service_key_eq(ipvs_svc_conf(a), ipvs_svc_conf(b)));
		ck_assert_str_eq(ipvs_svc_label(a), ipvs_svc_label(b));
		ck_assert_int_eq(a->managed, b->managed);
	}
	const struct ipvs_svc *web = ipvs_table_next(t, NULL);
	ck_assert_str_eq(ipvs_svc_label(web), "virtual web");
	ck_assert(web->managed);
	const struct ipvs_dst *d = ipvs_svc_next_dest(web, NULL);
	ck_assert_str_eq(ipvs_dst_label(d), "web/r1");		/* added first */
	ck_assert_str_eq(ipvs_dst_label(ipvs_svc_next_dest(web, d)), "web/r2");
	const struct ipvs_svc *foreign = ipvs_table_next(t, ipvs_table_next(t, web));
	ck_assert_str_eq(ipvs_svc_label(foreign), "");
	ck_assert(!foreign->managed);
	ck_assert_int_eq(ipvs_svc_next_dest(foreign, NULL)->conf.weight, 7);
	ipvs_table_free(t);
	ipvs_table_free(whole);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(dump_drops_vanished_abandons_and_fails)
{
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	struct ipvs_table *t = (struct ipvs_table *)1;

	ipvs_apply(drv, seed000(2), NULL);
	/* a service deleted between the list and its destinations */
	struct ipvs_dump *dp = ipvs_dump_start(drv);
	model_delete("202.103.106.5", 80);
	ck_assert_int_eq(ipvs_dump_step(dp, 10), 0);
	ck_assert_int_eq(ipvs_dump_finish(dp, &t), 0);
	ck_assert_uint_eq(ipvs_table_nservices(t), 1);
	ck_assert_str_eq(ipvs_svc_label(ipvs_table_next(t, NULL)), "virtual ftp");
	ipvs_table_free(t);

	/* abandoned half way (after a resync has put web back) */
	ipvs_resync(drv, NULL);
	dp = ipvs_dump_start(drv);
	ck_assert_int_eq(ipvs_dump_step(dp, 1), 1);
	ck_assert_int_eq(ipvs_dump_finish(dp, &t), -1);
	ck_assert_int_eq(errno, EINPROGRESS);
	ck_assert_ptr_null(t);

	/* replies lost: the dump fails, the driver still works */
	dp = ipvs_dump_start(drv);
	ipvs_model_inject_enobufs(model);
	ck_assert_int_eq(ipvs_dump_step(dp, 1), -1);
	ck_assert(ipvs_dump_done(dp));
	ck_assert_int_eq(ipvs_dump_step(dp, 1), -1);
	ck_assert_int_eq(ipvs_dump_finish(dp, &t), -1);
	ck_assert_int_eq(errno, ENOBUFS);
	ck_assert_int_eq(ipvs_dump_stats(drv, &t), 0);
	ck_assert_uint_eq(ipvs_table_nservices(t), 2);
	ipvs_table_free(t);

	/* the service list cannot be read */
	ipvs_model_fail_sends(model, 1);
	ck_assert_ptr_null(ipvs_dump_start(drv));
	ck_assert_int_eq(errno, EPERM);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(dump_between_apply_slices)
{
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	struct ipvs_apply_stats st;
	struct ipvs_table *t;
	int rc;

	ipvs_apply(drv, wide(6, 1), NULL);
	ck_assert_int_eq(ipvs_apply_start(drv, wide(6, 3)), 0);
	struct ipvs_dump *dp = ipvs_dump_start(drv);
	ck_assert_ptr_nonnull(dp);
	do {
		rc = ipvs_apply_continue(drv, 1, &st);
		(void)ipvs_dump_step(dp, 1);
	} while (rc == 1);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(st.dst_edited, 12);
	ck_assert_uint_eq(st.errors, 0);
	while (ipvs_dump_step(dp, 1) == 1)
		;
	ck_assert_int_eq(ipvs_dump_finish(dp, &t), 0);
	ck_assert_uint_eq(ipvs_table_nservices(t), 6);
	ck_assert_uint_eq(ipvs_table_ndests(t), 12);
	ipvs_table_free(t);
	ck_assert_int_eq(model_dest("10.5.0.6", 80, "172.18.0.6", 80)->conf.weight, 3);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(dry_run_dump_is_the_mirror)
{
	struct ipvs_driver_opts o = { .dry_run = true };
	struct ipvs_driver *drv = ipvs_driver_open(&o);
	struct ipvs_table *t;

	ipvs_apply(drv, seed000(2), NULL);
	struct ipvs_dump *dp = ipvs_dump_start(drv);
	ck_assert(ipvs_dump_done(dp));
	ck_assert_int_eq(ipvs_dump_step(dp, 1), 0);
	ck_assert_int_eq(ipvs_dump_finish(dp, &t), 0);
	ck_assert_uint_eq(ipvs_table_ndests(t), 3);
	ipvs_table_free(t);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(sliced_resync_repairs)
{
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	struct ipvs_apply_stats st;
	int slices;
	unsigned mark;

	ipvs_apply(drv, wide(20, 1), NULL);
	model_delete("10.5.0.7", 80);				/* ipvsadm -D */
	struct ipvs_service key = svc("10.5.0.12", 80, "wlc");
	struct ipvs_svc *k = ipvs_table_find_service(ipvs_model_table(model), &key);
	TAILQ_FIRST(&k->dests)->conf.weight = 9;		/* ipvsadm -e */
	mark = ipvs_model_requests(model);
	ck_assert_int_eq(ipvs_resync_start(drv), 0);
	ck_assert(ipvs_apply_busy(drv));
	ck_assert_uint_eq(requests_since(&mark), 1);		/* the list */
	ck_assert_int_eq(finish(drv, 3, 3, &st, &slices), 0);
	/* 19 services read 3 per slice, 20 reconciled 3 per slice */
	ck_assert_int_eq(slices, 7 + 7);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(st.msgs, 4);
	ck_assert_uint_eq(st.svc_added, 1);
	ck_assert_uint_eq(st.dst_added, 2);
	ck_assert_uint_eq(st.dst_edited, 1);
	ck_assert_uint_eq(st.errors, 0);
	ck_assert(model_has("10.5.0.7", 80));
	ck_assert_int_eq(model_dest("10.5.0.12", 80, "172.17.0.12", 80)->conf.weight, 1);
	/* the repaired service is lvsd's again, and the next apply is a no-op */
	struct ipvs_service k7 = svc("10.5.0.7", 80, "wlc");
	ck_assert(ipvs_driver_manages(drv, &k7));
	ck_assert_int_eq(ipvs_apply(drv, wide(20, 1), &st), 0);
	ck_assert_uint_eq(st.msgs, 0);
	ipvs_driver_close(drv, false);
	ck_assert_uint_eq(ipvs_table_nservices(ipvs_model_table(model)), 0);
}
END_TEST

/* One service of wide(): v<i> with its two servers at w1 and w2 (w < 0:
 * left out). */
static struct ipvs_table *
one(int i, int w1, int w2)
{
	struct ipvs_table *t = ipvs_table_new(1);
	char a[32], l[32];
	snprintf(a, sizeof(a), "10.5.0.%d", i + 1);
	snprintf(l, sizeof(l), "virtual v%d", i);
	struct ipvs_svc *s = add_svc(t, a, 80, "wlc", l);
	snprintf(a, sizeof(a), "172.17.0.%d", i + 1);
	if (w1 >= 0)
		add_dst(t, s, a, 80, w1, NULL);
	snprintf(a, sizeof(a), "172.18.0.%d", i + 1);
	if (w2 >= 0)
		add_dst(t, s, a, 80, w2, NULL);
	return t;
}

START_TEST(part_applies_its_service_alone)
{
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	struct ipvs_apply_stats st;
	unsigned mark;

	/* nothing desired yet: the whole table first */
	ck_assert_int_eq(ipvs_apply_part(drv, one(3, 1, 1), &st), 1);
	ipvs_apply(drv, wide(20, 1), NULL);
	mark = ipvs_model_requests(model);
	/* v3's second server leaves, its first changes weight: two requests,
	 * in one batch, nothing read from the kernel */
	ck_assert_int_eq(ipvs_apply_part(drv, one(3, 4, -1), &st), 0);
	ck_assert_uint_eq(requests_since(&mark), 2);
	ck_assert_uint_eq(st.msgs, 2);
	ck_assert_uint_eq(st.dst_edited, 1);
	ck_assert_uint_eq(st.dst_removed, 1);
	ck_assert_uint_eq(st.resyncs, 0);
	ck_assert_int_eq(model_dest("10.5.0.4", 80, "172.17.0.4", 80)->conf.weight, 4);
	ck_assert_ptr_null(model_dest("10.5.0.4", 80, "172.18.0.4", 80));
	/* the desired table holds it: a whole apply of the same is a no-op,
	 * and one of wide() puts the server back */
	struct ipvs_table *same = wide(20, 1);
	struct ipvs_service k3 = svc("10.5.0.4", 80, "wlc");
	struct ipvs_svc *s3 = ipvs_table_find_service(same, &k3);
	ipvs_table_del_service(same, s3);
	struct ipvs_table *p = one(3, 4, -1);
	const struct ipvs_svc *ps = TAILQ_FIRST(&p->svcs);
	struct ipvs_svc *ns = ipvs_table_add_service(same, &ps->conf, ps->label);
	ipvs_table_add_dest(same, ns, &TAILQ_FIRST(&ps->dests)->conf, NULL);
	ipvs_table_free(p);
	ck_assert_int_eq(ipvs_apply(drv, same, &st), 0);
	ck_assert_uint_eq(st.msgs, 0);
	ck_assert_int_eq(ipvs_apply(drv, wide(20, 1), &st), 0);
	ck_assert_uint_eq(st.msgs, 2);
	/* a service not desired before, or an apply in progress: the whole
	 * table instead, nothing sent */
	mark = ipvs_model_requests(model);
	ck_assert_int_eq(ipvs_apply_part(drv, one(30, 1, 1), &st), 1);
	ck_assert_int_eq(ipvs_apply_start(drv, wide(20, 2)), 0);
	ck_assert_int_eq(ipvs_apply_part(drv, one(3, 7, 7), &st), 1);
	ck_assert_uint_eq(requests_since(&mark), 0);
	int slices;
	ck_assert_int_eq(finish(drv, 5, 100, &st, &slices), 0);
	ck_assert_int_eq(model_dest("10.5.0.4", 80, "172.17.0.4", 80)->conf.weight, 2);
	ipvs_driver_close(drv, false);
}
END_TEST

START_TEST(apply_joins_resync_read)
{
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	struct ipvs_apply_stats st;
	int slices;
	unsigned mark;

	ipvs_apply(drv, wide(4, 1), NULL);
	model_delete("10.5.0.2", 80);			/* behind lvsd's back */
	mark = ipvs_model_requests(model);
	ck_assert_int_eq(ipvs_resync_start(drv), 0);
	ck_assert_int_eq(ipvs_apply_continue(drv, 1, &st), 1);
	ck_assert_uint_eq(requests_since(&mark), 1 + 1);
	/* a new table while the kernel is being read: no new read */
	ck_assert_int_eq(ipvs_apply_start(drv, wide(4, 5)), 0);
	ck_assert_uint_eq(requests_since(&mark), 0);
	ck_assert_int_eq(finish(drv, 1, 4, &st, &slices), 0);
	ck_assert_int_eq(slices, 2 + 4);	/* 2 services left to read */
	/* 2 dests + 1 service re-created (at weight 5), 6 weights */
	ck_assert_uint_eq(requests_since(&mark), 2 + 9);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(st.svc_added, 1);
	ck_assert_uint_eq(st.dst_edited, 6);
	ck_assert_uint_eq(st.msgs, 9);
	ck_assert_int_eq(model_dest("10.5.0.2", 80, "172.18.0.2", 80)->conf.weight, 5);
	ck_assert_int_eq(model_dest("10.5.0.4", 80, "172.17.0.4", 80)->conf.weight, 5);
	/* a resync started while one reads joins it too */
	mark = ipvs_model_requests(model);
	ck_assert_int_eq(ipvs_resync_start(drv), 0);
	ck_assert_int_eq(ipvs_resync_start(drv), 0);
	ck_assert_int_eq(finish(drv, 10, 10, &st, &slices), 0);
	ck_assert_uint_eq(requests_since(&mark), 1 + 4);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(st.msgs, 0);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(apply_restarts_resync_reconcile)
{
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	struct ipvs_apply_stats st;
	int slices;
	unsigned mark;

	ipvs_apply(drv, wide(6, 1), NULL);
	ck_assert_int_eq(ipvs_resync_start(drv), 0);
	while (drv->phase == IPVS_PHASE_DUMP)
		ck_assert_int_eq(ipvs_apply_continue(drv, 2, &st), 1);
	ck_assert_int_eq(ipvs_apply_continue(drv, 2, &st), 1);	/* 2 reconciled */
	mark = ipvs_model_requests(model);
	ck_assert_int_eq(ipvs_apply_start(drv, wide(5, 2)), 0);
	ck_assert_uint_eq(requests_since(&mark), 0);	/* the mirror is fresh */
	ck_assert_int_eq(finish(drv, 2, 5, &st, &slices), 0);
	ck_assert_uint_eq(st.resyncs, 0);
	ck_assert_uint_eq(st.dst_edited, 10);
	ck_assert_uint_eq(st.svc_removed, 1);
	ck_assert(!model_has("10.5.0.6", 80));
	ck_assert_int_eq(model_dest("10.5.0.1", 80, "172.17.0.1", 80)->conf.weight, 2);

	/* and a resync during an apply's reconcile reads the kernel first,
	 * then applies the apply's table */
	ck_assert_int_eq(ipvs_apply_start(drv, wide(5, 4)), 0);
	ck_assert_int_eq(ipvs_apply_continue(drv, 2, &st), 1);
	model_delete("10.5.0.5", 80);
	mark = ipvs_model_requests(model);
	ck_assert_int_eq(ipvs_resync_start(drv), 0);
	ck_assert_uint_eq(requests_since(&mark), 1);
	ck_assert_int_eq(finish(drv, 2, 4, &st, &slices), 0);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(st.svc_added, 1);
	ck_assert_int_eq(model_dest("10.5.0.5", 80, "172.17.0.5", 80)->conf.weight, 4);
	ck_assert_int_eq(model_dest("10.5.0.3", 80, "172.17.0.3", 80)->conf.weight, 4);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(stale_mirror_read_in_slices)
{
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	struct ipvs_apply_stats st;
	int slices;
	unsigned mark;

	ipvs_apply(drv, wide(6, 1), NULL);
	ipvs_model_fail_sends(model, 100);		/* the kernel is away */
	ck_assert_int_eq(ipvs_apply(drv, wide(6, 2), &st), -1);
	ipvs_model_fail_sends(model, 0);
	mark = ipvs_model_requests(model);
	ck_assert_int_eq(ipvs_apply_start(drv, wide(6, 2)), 0);
	ck_assert_uint_eq(requests_since(&mark), 1);	/* only the list */
	ck_assert_int_eq(finish(drv, 2, 4, &st, &slices), 0);
	ck_assert_int_eq(slices, 3 + 3);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(st.dst_edited, 12);
	ck_assert_int_eq(model_dest("10.5.0.6", 80, "172.18.0.6", 80)->conf.weight, 2);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(resync_without_table_and_failing)
{
	struct ipvs_driver *drv;
	struct ipvs_apply_stats st;

	add_foreign("10.9.9.9", 25);
	drv = ipvs_driver_open(&opts);
	add_foreign("10.9.9.10", 25);
	/* no apply yet: the mirror is refreshed, nothing is sent */
	ck_assert_int_eq(ipvs_resync(drv, &st), 0);
	ck_assert_uint_eq(st.msgs, 0);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(ipvs_table_nservices(drv->mirror), 2);
	struct ipvs_service fk = svc("10.9.9.10", 25, "rr");
	ck_assert(!ipvs_driver_manages(drv, &fk));

	ipvs_apply(drv, seed000(2), NULL);
	ipvs_model_fail_sends(model, 1);
	ck_assert_int_eq(ipvs_resync_start(drv), -1);
	ck_assert(!ipvs_apply_busy(drv));
	ck_assert_int_eq(ipvs_apply(drv, seed000(2), &st), 0);
	ck_assert_uint_eq(st.resyncs, 1);		/* untrusted: read again */
	ck_assert_uint_eq(st.msgs, 0);
	ipvs_driver_close(drv, false);
	ck_assert_uint_eq(ipvs_table_nservices(ipvs_model_table(model)), 2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipvs_slices");
	TCase *tc = tcase_create("slices");

	log_init("test_ipvs_slices", LOG_TO_STDERR, false);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sliced_dump_matches_blocking);
	tcase_add_test(tc, dump_drops_vanished_abandons_and_fails);
	tcase_add_test(tc, dump_between_apply_slices);
	tcase_add_test(tc, dry_run_dump_is_the_mirror);
	tcase_add_test(tc, sliced_resync_repairs);
	tcase_add_test(tc, apply_joins_resync_read);
	tcase_add_test(tc, apply_restarts_resync_reconcile);
	tcase_add_test(tc, stale_mirror_read_in_slices);
	tcase_add_test(tc, resync_without_table_and_failing);
	tcase_add_test(tc, part_applies_its_service_alone);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
