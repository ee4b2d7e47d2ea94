/*
 * IPVS reconciler against the in-memory kernel model: what an apply
 * sends (counted messages), what the "kernel" ends up with, ownership of
 * services, errors named by label, resync and dry run.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipvs/priv.h"
#include "lib/log.h"

#include "tests/unit/ipvs_fixture.h"

START_TEST(from_empty_then_noop)
{
	struct ipvs_apply_stats st;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);

	ck_assert_ptr_nonnull(drv);
	ck_assert_int_eq(ipvs_apply(drv, seed000(2), &st), 0);
	ck_assert_uint_eq(st.msgs, 5);
	ck_assert_uint_eq(st.svc_added, 2);
	ck_assert_uint_eq(st.dst_added, 3);
	ck_assert_uint_eq(st.batches, 1);
	ck_assert_uint_eq(st.errors, 0);
	ck_assert_uint_eq(ipvs_table_ndests(ipvs_model_table(model)), 3);
	ck_assert_int_eq(model_dest("202.103.106.5", 80, "172.16.0.3", 8000)->conf.weight, 2);

	unsigned reqs = ipvs_model_requests(model);
	ck_assert_int_eq(ipvs_apply(drv, seed000(2), &st), 0);
	ck_assert_uint_eq(st.msgs, 0);
	ck_assert_uint_eq(st.batches, 0);
	ck_assert_uint_eq(ipvs_model_requests(model), reqs);
	ipvs_driver_close(drv, false);
	ck_assert_uint_eq(ipvs_table_nservices(ipvs_model_table(model)), 0);
}
END_TEST

START_TEST(weight_edit_is_one_set)
{
	struct ipvs_apply_stats st;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);

	ipvs_apply(drv, seed000(2), &st);
	ck_assert_int_eq(ipvs_apply(drv, seed000(5), &st), 0);
	ck_assert_uint_eq(st.msgs, 1);
	ck_assert_uint_eq(st.dst_edited, 1);
	ck_assert_uint_eq(st.dst_added + st.dst_removed, 0);
	ck_assert_int_eq(model_dest("202.103.106.5", 80, "172.16.0.3", 8000)->conf.weight, 5);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(reordered_dests_send_nothing)
{
	struct ipvs_apply_stats st;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);

	ipvs_apply(drv, seed000(2), &st);
	struct ipvs_table *t = ipvs_table_new(2);
	struct ipvs_svc *web = add_svc(t, "202.103.106.5", 80, "wlc", "virtual web");
	add_dst(t, web, "172.16.0.3", 8000, 4, "web/r2");	/* order swapped */
	add_dst(t, web, "172.16.0.2", 80, 1, "web/r1");
	struct ipvs_svc *ftp = add_svc(t, "202.103.106.5", 21, "wlc", "virtual ftp");
	add_dst(t, ftp, "172.16.0.3", 21, 1, "ftp/r1");
	ck_assert_int_eq(ipvs_apply(drv, t, &st), 0);
	ck_assert_uint_eq(st.msgs, 1);			/* only the weight */
	ck_assert_uint_eq(st.dst_edited, 1);
	ck_assert_int_eq(model_dest("202.103.106.5", 80, "172.16.0.3", 8000)->conf.weight, 4);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(removals_and_service_edit)
{
	struct ipvs_apply_stats st;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);

	ipvs_apply(drv, seed000(2), &st);
	/* web loses r2 and changes scheduler; ftp is gone. */
	struct ipvs_table *t = ipvs_table_new(2);
	struct ipvs_svc *web = add_svc(t, "202.103.106.5", 80, "rr", "virtual web");
	add_dst(t, web, "172.16.0.2", 80, 1, "web/r1");
	ck_assert_int_eq(ipvs_apply(drv, t, &st), 0);
	ck_assert_uint_eq(st.msgs, 3);
	ck_assert_uint_eq(st.svc_edited, 1);
	ck_assert_uint_eq(st.dst_removed, 1);
	ck_assert_uint_eq(st.svc_removed, 1);
	ck_assert(!model_has("202.103.106.5", 21));
	ck_assert_ptr_null(model_dest("202.103.106.5", 80, "172.16.0.3", 8000));
	struct ipvs_service key = svc("202.103.106.5", 80, "rr");
	ck_assert_str_eq(ipvs_table_find_service(ipvs_model_table(model), &key)->conf.sched, "rr");
	ipvs_driver_close(drv, true);
}
END_TEST

/* Reads what the driver logged to stderr during fn. */
static char *
capture_stderr(void (*fn)(void *), void *arg)
{
	char path[] = "/tmp/test_ipvs_logXXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	static char buf[8192];

	fflush(stderr);
	dup2(fd, 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return buf;
}

struct apply_args {
	struct ipvs_driver *drv;
	struct ipvs_table *t;
	struct ipvs_apply_stats st;
};

static void
do_apply(void *arg)
{
	struct apply_args *a = arg;
	ipvs_apply(a->drv, a->t, &a->st);
}

START_TEST(missing_scheduler_named_rest_applied)
{
	struct apply_args a = { ipvs_driver_open(&opts), seed000(2), { 0 } };

	ipvs_model_set_schedulers(model, "rr wrr lc wlc");
	struct ipvs_svc *bad = add_svc(a.t, "10.0.0.1", 80, "foo", "virtual web1");
	add_dst(a.t, bad, "192.168.10.2", 80, 1, "web1/Real2");
	const char *log = capture_stderr(do_apply, &a);
	ck_assert_ptr_nonnull(strstr(log,
	    "virtual web1 10.0.0.1:80: scheduler \"foo\" not available in kernel"));
	ck_assert_ptr_null(strstr(log, "web1/Real2"));	/* no follow-on noise */
	ck_assert_uint_eq(a.st.errors, 1);
	ck_assert_uint_eq(a.st.resyncs, 0);
	ck_assert(model_has("202.103.106.5", 80));
	ck_assert(model_has("202.103.106.5", 21));
	ck_assert(!model_has("10.0.0.1", 80));

	/* Unchanged: not retried, not logged again. */
	a.t = seed000(2);
	bad = add_svc(a.t, "10.0.0.1", 80, "foo", "virtual web1");
	add_dst(a.t, bad, "192.168.10.2", 80, 1, "web1/Real2");
	ipvs_apply(a.drv, a.t, &a.st);
	ck_assert_uint_eq(a.st.msgs, 0);
	/* Fixed: sent again. */
	a.t = seed000(2);
	bad = add_svc(a.t, "10.0.0.1", 80, "rr", "virtual web1");
	add_dst(a.t, bad, "192.168.10.2", 80, 1, "web1/Real2");
	ipvs_apply(a.drv, a.t, &a.st);
	ck_assert_uint_eq(a.st.msgs, 2);
	ck_assert_uint_eq(a.st.errors, 0);
	ck_assert(model_has("10.0.0.1", 80));
	ipvs_driver_close(a.drv, true);
}
END_TEST

START_TEST(foreign_service_never_touched)
{
	struct ipvs_apply_stats st;

	add_foreign("10.9.9.9", 25);
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	ipvs_apply(drv, seed000(2), &st);
	ck_assert_uint_eq(st.svc_removed, 0);
	ipvs_apply(drv, ipvs_table_new(0), &st);
	ck_assert_uint_eq(st.svc_removed, 2);
	ck_assert(model_has("10.9.9.9", 25));
	struct ipvs_service fk = svc("10.9.9.9", 25, "rr");
	ck_assert(!ipvs_driver_manages(drv, &fk));
	ipvs_apply(drv, seed000(2), &st);
	ipvs_driver_close(drv, false);
	ck_assert(model_has("10.9.9.9", 25));
	ck_assert_uint_eq(ipvs_table_nservices(ipvs_model_table(model)), 1);
	ck_assert_int_eq(model_dest("10.9.9.9", 25, "192.168.99.1", 25)->conf.weight, 7);
}
END_TEST

START_TEST(foreign_service_adopted_when_desired)
{
	struct ipvs_apply_stats st;

	add_foreign("202.103.106.5", 80);
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	ipvs_apply(drv, seed000(2), &st);
	ck_assert_uint_eq(st.svc_adopted, 1);
	ck_assert_uint_eq(st.svc_edited, 1);		/* rr -> wlc */
	ck_assert_uint_eq(st.dst_removed, 1);		/* its hand-made dest */
	ck_assert_uint_eq(st.errors, 0);
	ck_assert_ptr_null(model_dest("202.103.106.5", 80, "192.168.99.1", 80));
	ipvs_driver_close(drv, false);
	ck_assert_uint_eq(ipvs_table_nservices(ipvs_model_table(model)), 0);
}
END_TEST

START_TEST(stale_services_from_state_file)
{
	struct ipvs_apply_stats st;

	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	ipvs_apply(drv, seed000(2), &st);
	ipvs_driver_close(drv, true);			/* e.g. lvsd killed */
	ck_assert_int_eq(access(state_path, R_OK), 0);
	add_foreign("10.9.9.9", 25);

	/* Next run: only the web service is still configured. */
	drv = ipvs_driver_open(&opts);
	struct ipvs_table *t = ipvs_table_new(1);
	struct ipvs_svc *web = add_svc(t, "202.103.106.5", 80, "wlc", "virtual web");
	add_dst(t, web, "172.16.0.2", 80, 1, "web/r1");
	add_dst(t, web, "172.16.0.3", 8000, 2, "web/r2");
	ipvs_apply(drv, t, &st);
	ck_assert_uint_eq(st.svc_removed, 1);		/* stale ftp */
	ck_assert_uint_eq(st.svc_adopted, 0);		/* web was ours already */
	ck_assert_uint_eq(st.msgs, 1);
	ck_assert(!model_has("202.103.106.5", 21));
	ck_assert(model_has("10.9.9.9", 25));
	ipvs_driver_close(drv, false);
	ck_assert_int_eq(access(state_path, F_OK), -1);
	ck_assert(model_has("10.9.9.9", 25));
}
END_TEST

START_TEST(resync_restores_deleted_service)
{
	struct ipvs_apply_stats st;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);

	ipvs_apply(drv, seed000(2), &st);
	struct ipvs_service key = svc("202.103.106.5", 80, "wlc");
	ipvs_table_del_service(ipvs_model_table(model),
	    ipvs_table_find_service(ipvs_model_table(model), &key));	/* ipvsadm -D */
	ck_assert_int_eq(ipvs_resync(drv, &st), 0);
	ck_assert_uint_eq(st.msgs, 3);
	ck_assert_uint_eq(st.svc_added, 1);
	ck_assert(model_has("202.103.106.5", 80));
	ck_assert_int_eq(model_dest("202.103.106.5", 80, "172.16.0.3", 8000)->conf.weight, 2);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(desync_eexist_triggers_resync)
{
	struct ipvs_apply_stats st;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);

	add_foreign("202.103.106.5", 21);		/* behind the mirror's back */
	ipvs_apply(drv, seed000(2), &st);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(st.svc_adopted, 1);
	ck_assert_int_eq(model_dest("202.103.106.5", 21, "172.16.0.3", 21)->conf.weight, 1);
	ck_assert_ptr_null(model_dest("202.103.106.5", 21, "192.168.99.1", 21));
	ipvs_apply(drv, seed000(2), &st);
	ck_assert_uint_eq(st.msgs, 0);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(enobufs_triggers_resync)
{
	struct ipvs_apply_stats st;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);

	ipvs_model_inject_enobufs(model);
	ipvs_apply(drv, seed000(2), &st);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(ipvs_table_ndests(ipvs_model_table(model)), 3);
	ipvs_apply(drv, seed000(2), &st);
	ck_assert_uint_eq(st.msgs, 0);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(send_failure_recovers_or_fails)
{
	struct ipvs_apply_stats st;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);

	ipvs_model_fail_sends(model, 1);	/* transient: re-dump, re-send */
	ck_assert_int_eq(ipvs_apply(drv, seed000(2), &st), 0);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(ipvs_table_ndests(ipvs_model_table(model)), 3);
	ipvs_model_fail_sends(model, 100);	/* the kernel is unreachable */
	ck_assert_int_eq(ipvs_apply(drv, seed000(7), &st), -1);
	ipvs_model_fail_sends(model, 0);
	/* the same table again: the mirror is not trusted, so it is fixed */
	ck_assert_int_eq(ipvs_apply(drv, seed000(7), &st), 0);
	ck_assert_uint_eq(st.resyncs, 1);
	ck_assert_uint_eq(st.dst_edited, 1);
	ck_assert_int_eq(model_dest("202.103.106.5", 80, "172.16.0.3", 8000)->conf.weight, 7);
	ipvs_driver_close(drv, true);
}
END_TEST

START_TEST(sliced_apply)
{
	struct ipvs_apply_stats st;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	unsigned before = ipvs_model_requests(model);
	int steps = 0, rc;

	ck_assert_int_eq(ipvs_apply_start(drv, seed000(2)), 0);
	ck_assert(ipvs_apply_busy(drv));
	while ((rc = ipvs_apply_continue(drv, 1, &st)) == 1) {
		steps++;
		/* each slice's messages are out and answered before it returns */
		ck_assert_uint_eq(ipvs_model_requests(model) - before, st.msgs);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(steps, 1);		/* 2 services, 1 per slice */
	ck_assert(!ipvs_apply_busy(drv));
	ck_assert_uint_eq(st.msgs, 5);
	ck_assert_uint_eq(st.batches, 2);

	/* a new table while one is half applied replaces it */
	ck_assert_int_eq(ipvs_apply_start(drv, seed000(3)), 0);
	ck_assert_int_eq(ipvs_apply_continue(drv, 1, &st), 1);
	struct ipvs_table *t = ipvs_table_new(1);
	struct ipvs_svc *web = add_svc(t, "202.103.106.5", 80, "wlc", "virtual web");
	add_dst(t, web, "172.16.0.2", 80, 1, "web/r1");
	ck_assert_int_eq(ipvs_apply_start(drv, t), 0);
	while ((rc = ipvs_apply_continue(drv, 1, &st)) == 1)
		;
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(ipvs_table_nservices(ipvs_model_table(model)), 1);
	ck_assert_uint_eq(ipvs_table_ndests(ipvs_model_table(model)), 1);
	ck_assert_int_eq(ipvs_apply_continue(drv, 1, &st), 0);	/* idle */
	ipvs_driver_close(drv, false);
	ck_assert_uint_eq(ipvs_table_nservices(ipvs_model_table(model)), 0);
}
END_TEST

START_TEST(large_table_batched)
{
	struct ipvs_apply_stats st;
	char a[32];
	struct ipvs_table *t = ipvs_table_new(2000);

	opts.size_hint = 2000;
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	for (int i = 0; i < 2000; i++) {
		snprintf(a, sizeof(a), "10.1.%d.%d", i / 250, i % 250 + 1);
		struct ipvs_svc *s = add_svc(t, a, 80, "wlc", NULL);
		for (int j = 0; j < 4; j++) {
			snprintf(a, sizeof(a), "192.168.%d.%d", j, i % 250 + 1);
			add_dst(t, s, a, (uint16_t)(8000 + i / 250), 1, NULL);
		}
	}
	ck_assert_int_eq(ipvs_apply(drv, t, &st), 0);
	ck_assert_uint_eq(st.msgs, 10000);
	ck_assert_uint_gt(st.batches, 1);
	ck_assert_uint_lt(st.batches, 100);
	ck_assert_uint_eq(ipvs_model_sends(model), 1 + st.batches);	/* + dump */
	ck_assert_uint_eq(ipvs_table_ndests(ipvs_model_table(model)), 8000);

	/* 1 % change: edit 20 weights, exactly 20 messages. */
	struct ipvs_table *t2 = ipvs_table_new(2000);
	struct ipvs_svc *s = NULL;
	int n = 0;
	while ((s = ipvs_table_next(t, s)) != NULL) {
		struct ipvs_svc *c = ipvs_table_add_service(t2, ipvs_svc_conf(s), NULL);
		struct ipvs_dst *d = NULL;
		while ((d = ipvs_svc_next_dest(s, d)) != NULL) {
			struct ipvs_dest dc = *ipvs_dst_conf(d);
			if (n++ % 400 == 0)
				dc.weight = 3;
			ipvs_table_add_dest(t2, c, &dc, NULL);
		}
	}
	ck_assert_int_eq(ipvs_apply(drv, t2, &st), 0);
	ck_assert_uint_eq(st.msgs, 20);
	ck_assert_uint_eq(st.dst_edited, 20);
	ipvs_driver_close(drv, false);
	ck_assert_uint_eq(ipvs_table_nservices(ipvs_model_table(model)), 0);
}
END_TEST

static void
dry_apply(void *arg)
{
	struct apply_args *a = arg;
	ipvs_apply(a->drv, a->t, &a->st);
	a->t = seed000(5);
	ipvs_apply(a->drv, a->t, &a->st);
}

START_TEST(dry_run_logs_ipvsadm)
{
	struct ipvs_driver_opts o = { .dry_run = true };
	struct apply_args a = { ipvs_driver_open(&o), seed000(2), { 0 } };

	ck_assert_ptr_nonnull(a.drv);
	const char *log = capture_stderr(dry_apply, &a);
	ck_assert_ptr_nonnull(strstr(log, "dry-run: ipvsadm -A -t 202.103.106.5:80 -s wlc\n"));
	ck_assert_ptr_nonnull(strstr(log,
	    "dry-run: ipvsadm -a -t 202.103.106.5:80 -r 172.16.0.3:8000 -m -w 2\n"));
	ck_assert_ptr_nonnull(strstr(log,
	    "dry-run: ipvsadm -e -t 202.103.106.5:80 -r 172.16.0.3:8000 -m -w 5\n"));
	ck_assert_uint_eq(a.st.msgs, 1);		/* the mirror kept state */
	struct ipvs_table *dump;
	ck_assert_int_eq(ipvs_dump_stats(a.drv, &dump), 0);
	ck_assert_uint_eq(ipvs_table_ndests(dump), 3);
	ck_assert_str_eq(ipvs_svc_label(ipvs_table_next(dump, NULL)), "virtual web");
	ipvs_table_free(dump);
	ipvs_driver_close(a.drv, false);
}
END_TEST

START_TEST(timeouts_sync_and_dump)
{
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	struct ipvs_timeouts to = { 600, 0, 200 }, got;
	struct ipvs_sync_conf sc = { .state = IPVS_SYNC_MASTER, .ifname = "eth0",
	    .syncid = 3 }, out[2];

	ck_assert_int_eq(ipvs_set_timeouts(drv, &to), 0);
	ck_assert_int_eq(ipvs_get_timeouts(drv, &got), 0);
	ck_assert_uint_eq(got.tcp, 600);
	ck_assert_uint_eq(got.tcp_fin, 120);		/* unchanged */
	ck_assert_uint_eq(got.udp, 200);
	ck_assert_int_eq(ipvs_sync_start(drv, &sc), 0);
	ck_assert_int_eq(ipvs_sync_start(drv, &sc), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(ipvs_sync_get(drv, out), 1);
	ck_assert_str_eq(out[0].ifname, "eth0");
	ck_assert_int_eq(ipvs_sync_stop(drv, IPVS_SYNC_MASTER), 0);
	ck_assert_int_eq(ipvs_sync_get(drv, out), 0);

	uint32_t version, size;
	ck_assert_int_eq(ipvs_get_info(drv, &version, &size), 0);
	ck_assert_uint_eq(version, 0x010201);
	ck_assert_uint_eq(size, 4096);
	ck_assert_int_eq(ipvs_zero_counters(drv), 0);

	ipvs_apply(drv, seed000(2), NULL);
	add_foreign("10.9.9.9", 25);
	struct ipvs_table *dump;
	ck_assert_int_eq(ipvs_dump_stats(drv, &dump), 0);
	ck_assert_uint_eq(ipvs_table_nservices(dump), 3);
	const struct ipvs_svc *s = ipvs_table_next(dump, NULL);
	ck_assert_str_eq(ipvs_svc_label(s), "virtual web");
	ck_assert_str_eq(ipvs_dst_label(ipvs_svc_next_dest(s, NULL)), "web/r1");
	ipvs_table_free(dump);
	ipvs_driver_close(drv, false);
}
END_TEST

START_TEST(table_rejects_bad_entries)
{
	struct ipvs_table *t = ipvs_table_new(0);
	struct ipvs_service s = svc("10.0.0.1", 80, "wlc");

	ck_assert_ptr_nonnull(ipvs_table_add_service(t, &s, "a"));
	ck_assert_ptr_null(ipvs_table_add_service(t, &s, "b"));
	ck_assert_int_eq(errno, EEXIST);
	s.protocol = 1;
	s.port = 81;
	ck_assert_ptr_null(ipvs_table_add_service(t, &s, "c"));
	ck_assert_int_eq(errno, EINVAL);
	ipvs_table_free(t);
}
END_TEST

START_TEST(route_dest_takes_service_port)
{
	struct ipvs_table *t = ipvs_table_new(0);
	struct ipvs_service s = svc("10.0.0.1", 80, "wlc");
	struct ipvs_svc *e = ipvs_table_add_service(t, &s, "a");
	struct ipvs_dest d;

	ipvs_dest_init(&d);
	ck_assert_int_eq(addr_parse("10.2.0.1", &d.addr), 0);
	d.port = 8080;
	d.fwd = IPVS_FWD_ROUTE;
	/* as ipvsadm does, and as the kernel's dump will show it */
	ck_assert_uint_eq(ipvs_dst_conf(ipvs_table_add_dest(t, e, &d, NULL))->port, 80);
	d.fwd = IPVS_FWD_MASQ;
	ck_assert_uint_eq(ipvs_dst_conf(ipvs_table_add_dest(t, e, &d, NULL))->port, 8080);
	ipvs_table_free(t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipvs_reconcile");
	TCase *tc = tcase_create("reconcile");

	log_init("test_ipvs_reconcile", LOG_TO_STDERR, false);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, from_empty_then_noop);
	tcase_add_test(tc, weight_edit_is_one_set);
	tcase_add_test(tc, removals_and_service_edit);
	tcase_add_test(tc, reordered_dests_send_nothing);
	tcase_add_test(tc, missing_scheduler_named_rest_applied);
	tcase_add_test(tc, foreign_service_never_touched);
	tcase_add_test(tc, foreign_service_adopted_when_desired);
	tcase_add_test(tc, stale_services_from_state_file);
	tcase_add_test(tc, resync_restores_deleted_service);
	tcase_add_test(tc, desync_eexist_triggers_resync);
	tcase_add_test(tc, enobufs_triggers_resync);
	tcase_add_test(tc, send_failure_recovers_or_fails);
	tcase_add_test(tc, sliced_apply);
	tcase_add_test(tc, large_table_batched);
	tcase_add_test(tc, dry_run_logs_ipvsadm);
	tcase_add_test(tc, timeouts_sync_and_dump);
	tcase_add_test(tc, table_rejects_bad_entries);
	tcase_add_test(tc, route_dest_takes_service_port);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
