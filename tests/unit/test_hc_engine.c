#include "config.h"

#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "healthcheck/hc.h"
#include "lib/log.h"

/*
 * The engine on a real sd-event loop without root: TCP checks against a
 * listener of this process on 127.0.0.1, program checks with /bin/true,
 * /bin/false and a sleeping /bin/sleep.  The netns tests cover the rest.
 */

struct rec {
	int up, down, weight;
	enum hc_event_kind last;
	char reason[200];
};

static struct rec rec;

static void
on_event(struct hc_checker *ck, const struct hc_event *ev, void *ud)
{
	(void)ck;
	ck_assert_ptr_eq(ud, &rec);
	if (ev->kind == HC_EV_UP)
		rec.up++;
	else if (ev->kind == HC_EV_DOWN)
		rec.down++;
	else
		rec.weight++;
	rec.last = ev->kind;
	strncpy(rec.reason, ev->reason, sizeof(rec.reason) - 1);
}

static int
listener(uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 64), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* Runs the loop until cond() or ms milliseconds pass. */
static void
run_until(sd_event *ev, bool (*cond)(void), unsigned ms)
{
	for (unsigned i = 0; i < ms / 10 && !cond(); i++)
		ck_assert_int_ge(sd_event_run(ev, 10000), 0);
}

static bool is_up(void) { return rec.up > 0; }
static bool is_down(void) { return rec.down > 0; }

static struct hc_engine *
setup(sd_event **ev)
{
	struct hc_engine_params p = { .event_cb = on_event, .max_children = 2,
	    .kill_grace_ms = 100 };

	memset(&rec, 0, sizeof(rec));
	ck_assert_int_ge(sd_event_new(ev), 0);
	return hc_engine_new(*ev, &p);
}

static void
base(struct hc_check_config *c, enum hc_type type, uint16_t port)
{
	hc_check_config_init(c);
	c->type = type;
	c->label = strdup("web1/Real2");
	addr_parse("127.0.0.1", &c->addr);
	c->port = port;
	c->interval_ms = 50;
	c->timeout_ms = 1000;
	c->jitter_ms = 0;
}

START_TEST(test_tcp_rise_fall)
{
	sd_event *ev;
	struct hc_engine *eng = setup(&ev);
	struct hc_check_config c;
	uint16_t port;
	int lfd = listener(&port);
	char name[64];

	base(&c, HC_TYPE_TCP, port);
	c.rise = 2;
	c.fall = 3;
	struct hc_checker *ck = hc_checker_new(eng, &c, &rec);
	hc_check_config_clear(&c);	/* the checker keeps its own copy */
	ck_assert_ptr_nonnull(ck);
	snprintf(name, sizeof(name), "web1/Real2 127.0.0.1:%u", port);
	ck_assert_str_eq(hc_checker_name(ck), name);

	/* Starting down, the first success brings it up (nanny). */
	run_until(ev, is_up, 2000);
	ck_assert_int_eq(rec.up, 1);
	const struct hc_status *st = hc_checker_status(ck);
	ck_assert_int_eq(st->state, HC_STATE_UP);
	ck_assert_uint_eq(st->transitions, 1);
	ck_assert_ptr_nonnull(strstr(rec.reason, "TCP connect succeeded"));

	/* Listener gone: exactly one DOWN, after 3 consecutive failures. */
	close(lfd);
	run_until(ev, is_down, 2000);
	ck_assert_int_eq(rec.down, 1);
	ck_assert_int_eq(rec.up, 1);
	ck_assert_uint_eq(st->fail_run, 3);
	ck_assert_str_eq(rec.reason, "connect: Connection refused");
	ck_assert_str_eq(st->last_result, "connect: Connection refused");
	ck_assert_uint_eq(st->transitions, 2);
	ck_assert_uint_ge(st->failures, 3);

	/* Back, with the same port: two successes needed. */
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = htons(port) };
	int one = 1;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(lfd, 64), 0);
	uint64_t before = st->checks;
	rec.up = 0;
	run_until(ev, is_up, 2000);
	ck_assert_int_eq(rec.up, 1);
	ck_assert_uint_eq(st->ok_run, 2);
	ck_assert_uint_ge(st->checks - before, 2);
	close(lfd);
	hc_engine_free(eng);		/* frees the checker too */
	sd_event_unref(ev);
}
END_TEST

START_TEST(test_program_exit_and_weight)
{
	sd_event *ev;
	struct hc_engine *eng = setup(&ev);
	struct hc_check_config c;

	base(&c, HC_TYPE_EXEC, 0);
	c.exec.command = strdup("/bin/echo weight 7");
	c.exec.dynamic_weight = true;
	struct hc_checker *ok = hc_checker_new(eng, &c, &rec);
	hc_check_config_clear(&c);
	ck_assert_ptr_nonnull(ok);
	run_until(ev, is_up, 3000);
	ck_assert_int_eq(rec.up, 1);
	ck_assert_int_eq(hc_checker_status(ok)->weight, 7);
	ck_assert_str_eq(rec.reason, "program exited with status 0, weight 7");
	hc_checker_free(ok);

	base(&c, HC_TYPE_EXEC, 0);
	c.exec.command = strdup("false");	/* found through PATH */
	c.init_state = HC_INIT_UP;
	struct hc_checker *bad = hc_checker_new(eng, &c, &rec);
	hc_check_config_clear(&c);
	run_until(ev, is_down, 3000);
	ck_assert_int_eq(rec.down, 1);
	ck_assert_str_eq(rec.reason, "program exited with status 1");
	hc_checker_free(bad);
	hc_engine_free(eng);
	sd_event_unref(ev);
}
END_TEST

static struct hc_engine *cur_eng;
static bool children_gone(void) { return hc_engine_children(cur_eng) == 0; }

START_TEST(test_program_timeout_kills)
{
	sd_event *ev;
	struct hc_engine *eng = setup(&ev);
	struct hc_check_config c;

	base(&c, HC_TYPE_SEND_PROGRAM, 80);
	c.exec.command = strdup("sleep 30");
	c.init_state = HC_INIT_UP;
	c.timeout_ms = 200;
	c.interval_ms = 60000;
	struct hc_checker *ck = hc_checker_new(eng, &c, &rec);
	hc_check_config_clear(&c);
	run_until(ev, is_down, 3000);
	ck_assert_int_eq(rec.down, 1);
	ck_assert_ptr_nonnull(strstr(rec.reason,
	    "send_program timeout after 200 ms (program pid "));
	/* sleep dies of the TERM: the slot frees without waiting for KILL. */
	cur_eng = eng;
	run_until(ev, children_gone, 3000);
	ck_assert_uint_eq(hc_engine_children(eng), 0);
	hc_checker_free(ck);
	hc_engine_free(eng);
	sd_event_unref(ev);
}
END_TEST

START_TEST(test_invalid_config)
{
	sd_event *ev;
	struct hc_engine *eng = setup(&ev);
	struct hc_check_config c;

	base(&c, HC_TYPE_HTTP, 0);	/* fwmark service without check port */
	ck_assert_ptr_null(hc_checker_new(eng, &c, &rec));
	c.port = 80;
	c.http.body_regex = strdup("a(");
	ck_assert_ptr_null(hc_checker_new(eng, &c, &rec));
	hc_check_config_clear(&c);
	base(&c, HC_TYPE_EXEC, 0);
	c.exec.command = strdup("x");
	c.exec.user = strdup("no-such-user-lvsd-test");
	ck_assert_ptr_null(hc_checker_new(eng, &c, &rec));
	hc_check_config_clear(&c);
	hc_engine_free(eng);
	sd_event_unref(ev);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("hc_engine");
	TCase *tc = tcase_create("loop");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_tcp_rise_fall);
	tcase_add_test(tc, test_program_exit_and_weight);
	tcase_add_test(tc, test_program_timeout_kills);
	tcase_add_test(tc, test_invalid_config);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_init("test_hc_engine", LOG_TO_STDERR, false);
	SRunner *sr = srunner_create(suite());

	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
