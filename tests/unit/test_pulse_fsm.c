/* piranha's pulse heartbeat logic with a fake clock and a fake LAN. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/fsm.h"

#define S	1000000ULL
#define MS	1000ULL

struct node {
	struct pulse_config cfg;
	struct lvs_addr self;
	struct pulse_fsm f;
	bool alive, linked;
	unsigned sent, sent_stopped, announces, activations;
	enum vrrp_reason last_why;
};

static struct node nodes[2];
static uint64_t now;
static struct { int from; bool running; } queue[16];
static int nq;

static void
on_send(void *ctx, bool running)
{
	struct node *n = ctx;

	n->sent++;
	if (!running)
		n->sent_stopped++;
	ck_assert_int_lt(nq, 16);
	queue[nq].from = (int)(n - nodes);
	queue[nq++].running = running;
}

static void
on_announce(void *ctx)
{
	((struct node *)ctx)->announces++;
}

static void
on_state(void *ctx, enum vrrp_state o, enum vrrp_state s, enum vrrp_reason w)
{
	struct node *n = ctx;

	ck_assert_int_ne(o, s);
	if (s == VRRP_STATE_MASTER)
		n->activations++;
	n->last_why = w;
}

static const struct pulse_fsm_ops ops = { on_send, on_announce, on_state };

static void
setup(void)
{
	static const char *addrs[2] = { "192.168.0.1", "192.168.0.2" };

	now = 500 * S;
	nq = 0;
	for (int i = 0; i < 2; i++) {
		struct node *n = &nodes[i];

		memset(n, 0, sizeof(*n));
		pulse_config_init(&n->cfg);
		n->cfg.primary = i == 0;
		n->cfg.keepalive_ms = 2000;
		n->cfg.deadtime_ms = 6000;
		addr_parse(addrs[i], &n->self);
		addr_parse(addrs[1 - i], &n->cfg.partner);
		addr_parse(i ? "10.1.0.1" : "10.1.0.2", &n->cfg.partner_private);
		n->alive = n->linked = true;
		pulse_fsm_init(&n->f, &n->cfg, &ops, n);
	}
}

static void
run_until(uint64_t until)
{
	for (;;) {
		uint64_t t = 0;

		for (int i = 0; i < nq; i++) {
			struct node *from = &nodes[queue[i].from];
			struct node *to = &nodes[1 - queue[i].from];

			if (to->alive && to->linked && from->linked)
				ck_assert_int_eq(pulse_fsm_recv(&to->f, now,
				    &from->self, queue[i].running), VRRP_DROP_NONE);
		}
		nq = 0;
		for (int i = 0; i < 2; i++) {
			uint64_t d = nodes[i].alive ? pulse_fsm_next(&nodes[i].f) : 0;
			if (d && (t == 0 || d < t))
				t = d;
		}
		if (t == 0 || t > until)
			break;
		now = t;
		for (int i = 0; i < 2; i++)
			if (nodes[i].alive && pulse_fsm_next(&nodes[i].f) <= now)
				pulse_fsm_timeout(&nodes[i].f, now);
	}
	now = until;
}

static int
active(void)
{
	return (nodes[0].alive && nodes[0].f.state == VRRP_STATE_MASTER) +
	    (nodes[1].alive && nodes[1].f.state == VRRP_STATE_MASTER);
}

START_TEST(primary_active_backup_watches)
{
	struct node *p = &nodes[0], *b = &nodes[1];

	setup();
	pulse_fsm_start(&p->f, now);
	pulse_fsm_start(&b->f, now);
	run_until(now + 60 * S);
	ck_assert_int_eq(p->f.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(b->f.state, VRRP_STATE_BACKUP);
	/* one heartbeat every keepalive (2 s): 31 in 60 s incl. t=0 */
	ck_assert_uint_eq(p->sent, 31);
	ck_assert_uint_eq(b->sent, 31);
	ck_assert_uint_eq(b->sent_stopped, 31);
}
END_TEST

START_TEST(takeover_after_deadtime_then_primary_returns)
{
	struct node *p = &nodes[0], *b = &nodes[1];
	uint64_t last, t;

	setup();
	pulse_fsm_start(&p->f, now);
	pulse_fsm_start(&b->f, now);
	run_until(now + 10 * S + 500 * MS);
	last = p->f.next_hb - 2 * S;
	p->alive = false;
	while (b->f.state != VRRP_STATE_MASTER && now < last + 20 * S)
		run_until(now + 10 * MS);
	t = now;
	ck_assert_int_eq(b->last_why, VRRP_REASON_MASTER_DOWN);
	ck_assert_uint_ge(t - last, 6 * S);
	ck_assert_uint_le(t - last, 6 * S + 10 * MS);
	ck_assert_uint_eq(b->announces, 1);
	/* the primary restarts: both active, the backup yields */
	p->alive = true;
	p->sent = 0;
	pulse_fsm_init(&p->f, &p->cfg, &ops, p);
	pulse_fsm_start(&p->f, now);
	run_until(now + 3 * S);
	ck_assert_int_eq(active(), 1);
	ck_assert_int_eq(p->f.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(b->f.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(b->last_why, VRRP_REASON_HIGHER_PRIO);
	/* and the primary re-announced when it heard the backup active */
	ck_assert_uint_ge(p->announces, 2);
}
END_TEST

START_TEST(wrong_source_rejected)
{
	struct node *b = &nodes[1];
	struct lvs_addr stranger;

	setup();
	pulse_fsm_start(&b->f, now);
	addr_parse("192.168.0.99", &stranger);
	/* a stranger's heartbeats do not keep the backup from taking over */
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(pulse_fsm_recv(&b->f, now, &stranger, true),
		    VRRP_DROP_SENDER);
		run_until(now + S);
	}
	ck_assert_int_eq(b->f.state, VRRP_STATE_MASTER);
	/* the partner's private address is accepted */
	ck_assert_int_eq(pulse_fsm_recv(&b->f, now, &b->cfg.partner_private,
	    false), VRRP_DROP_NONE);
}
END_TEST

START_TEST(drill_switches_at_once)
{
	struct node *p = &nodes[0], *b = &nodes[1];
	uint64_t t0;

	setup();
	pulse_fsm_start(&p->f, now);
	pulse_fsm_start(&b->f, now);
	run_until(now + 10 * S + 300 * MS);
	t0 = now;
	ck_assert_int_eq(pulse_fsm_release(&b->f, now, 0), -1);
	ck_assert_int_eq(pulse_fsm_release(&p->f, now, 20 * S), 0);
	ck_assert_uint_ge(p->sent_stopped, 1);
	run_until(now);
	ck_assert_int_eq(b->f.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(b->last_why, VRRP_REASON_PEER_RELEASED);
	ck_assert_int_eq(now, t0);
	run_until(t0 + 19 * S);
	ck_assert_int_eq(p->f.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(active(), 1);
	/* the hold ends: the primary reclaims, the backup yields */
	run_until(t0 + 21 * S);
	ck_assert_int_eq(p->f.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(b->f.state, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(split_brain_heals)
{
	struct node *p = &nodes[0], *b = &nodes[1];

	setup();
	pulse_fsm_start(&p->f, now);
	pulse_fsm_start(&b->f, now);
	run_until(now + 10 * S);
	p->linked = b->linked = false;
	run_until(now + 10 * S);
	ck_assert_int_eq(active(), 2);
	p->linked = b->linked = true;
	run_until(now + 2 * S);	/* one keepalive */
	ck_assert_int_eq(active(), 1);
	ck_assert_int_eq(p->f.state, VRRP_STATE_MASTER);
}
END_TEST

START_TEST(fault_and_stop)
{
	struct node *p = &nodes[0], *b = &nodes[1];

	setup();
	pulse_fsm_start(&p->f, now);
	pulse_fsm_start(&b->f, now);
	run_until(now + 5 * S);
	pulse_fsm_set_fault(&p->f, now, true);
	run_until(now);
	ck_assert_int_eq(p->f.state, VRRP_STATE_FAULT);
	ck_assert_int_eq(b->f.state, VRRP_STATE_MASTER);
	pulse_fsm_set_fault(&p->f, now, false);
	run_until(now + S);
	ck_assert_int_eq(p->f.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(b->f.state, VRRP_STATE_BACKUP);
	pulse_fsm_shutdown(&p->f, now);
	ck_assert_int_eq(p->f.state, VRRP_STATE_INIT);
	run_until(now);
	ck_assert_int_eq(b->f.state, VRRP_STATE_MASTER);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pulse_fsm");
	TCase *tc = tcase_create("fsm");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, primary_active_backup_watches);
	tcase_add_test(tc, takeover_after_deadtime_then_primary_returns);
	tcase_add_test(tc, wrong_source_rejected);
	tcase_add_test(tc, drill_switches_at_once);
	tcase_add_test(tc, split_brain_heals);
	tcase_add_test(tc, fault_and_stop);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
