/*
 * The VRRP state machine on a simulated LAN with a fake clock: nodes
 * exchange advertisements through a queue, links can be cut, nodes can
 * die.  Times are microseconds.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/fsm.h"

#define MAXN	3
#define S	1000000ULL
#define MS	1000ULL

struct node {
	struct vrrp_instance_config cfg;
	struct vrrp_vip vip;
	struct vrrp_fsm f;
	bool alive, linked;
	int announces, masters;
	unsigned sent, sent_prio0;
	enum vrrp_reason last_why;
};

struct msg {
	int from;
	struct vrrp_pkt p;
};

static struct node nodes[MAXN];
static int nnodes;
static uint64_t now;
static struct msg queue[64];
static int nq;

static void
on_send(void *ctx, uint8_t prio)
{
	struct node *n = ctx;
	struct msg *m;

	n->sent++;
	if (prio == 0)
		n->sent_prio0++;
	ck_assert_int_lt(nq, 64);
	m = &queue[nq++];
	memset(m, 0, sizeof(*m));
	m->from = (int)(n - nodes);
	m->p.version = n->cfg.version;
	m->p.type = VRRP_TYPE_ADVERT;
	m->p.vrid = n->cfg.vrid;
	m->p.priority = prio;
	m->p.naddr = 1;
	m->p.af = AF_INET;
	m->p.addrs[0] = n->vip.addr;
	m->p.interval = n->cfg.version == 2 ? n->cfg.advert_cs / 100 :
	    n->cfg.advert_cs;
	if (n->cfg.auth_pass[0]) {
		m->p.auth_type = VRRP_AUTH_SIMPLE;
		memcpy(m->p.auth, n->cfg.auth_pass, strlen(n->cfg.auth_pass));
	}
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
		n->masters++;
	n->last_why = w;
}

static const struct vrrp_fsm_ops ops = { on_send, on_announce, on_state };

static struct node *
add_node(uint8_t prio, const char *self)
{
	struct node *n = &nodes[nnodes++];

	memset(n, 0, sizeof(*n));
	vrrp_instance_config_init(&n->cfg);
	n->cfg.any_sender = true;	/* the drop of strangers: its own test */
	strcpy(n->cfg.name, "vi");
	strcpy(n->cfg.ifname, "eth0");
	n->cfg.vrid = 42;
	n->cfg.priority = prio;
	addr_parse(self, &n->cfg.src);
	addr_parse("10.0.0.100", &n->vip.addr);
	n->vip.plen = 24;
	n->cfg.vips = &n->vip;
	n->cfg.nvips = 1;
	n->alive = n->linked = true;
	return n;
}

static void
start(struct node *n)
{
	vrrp_fsm_init(&n->f, &n->cfg, &ops, n);
	vrrp_fsm_start(&n->f, now);
}

static void
deliver(void)
{
	for (int i = 0; i < nq; i++) {
		struct msg m = queue[i];

		for (int j = 0; j < nnodes; j++) {
			struct node *to = &nodes[j];

			if (j == m.from || !to->alive || !to->linked ||
			    !nodes[m.from].linked)
				continue;
			if (vrrp_fsm_check(&to->f, &m.p,
			    &nodes[m.from].cfg.src) != VRRP_DROP_NONE)
				continue;
			vrrp_fsm_advert(&to->f, now, &m.p,
			    &nodes[m.from].cfg.src);
		}
	}
	nq = 0;
}

/* Advances the fake clock to `until`, firing timers in time order. */
static void
run_until(uint64_t until)
{
	for (;;) {
		uint64_t t = 0;

		deliver();
		for (int i = 0; i < nnodes; i++) {
			uint64_t d = nodes[i].alive ? vrrp_fsm_next(&nodes[i].f) : 0;
			if (d && (t == 0 || d < t))
				t = d;
		}
		if (t == 0 || t > until)
			break;
		now = t;
		for (int i = 0; i < nnodes; i++) {
			uint64_t d = nodes[i].alive ? vrrp_fsm_next(&nodes[i].f) : 0;
			if (d && d <= now)
				vrrp_fsm_timeout(&nodes[i].f, now);
		}
	}
	now = until;
}

/* The time at which node n becomes master, searching in 1 ms steps. */
static uint64_t
time_to_master(struct node *n, uint64_t limit)
{
	uint64_t end = now + limit;

	while (now < end) {
		run_until(now + MS);
		if (n->f.state == VRRP_STATE_MASTER)
			return now;
	}
	return UINT64_MAX;
}

static int
count_masters(void)
{
	int c = 0;
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].alive && nodes[i].f.state == VRRP_STATE_MASTER)
			c++;
	return c;
}

static void
reset(void)
{
	nnodes = 0;
	nq = 0;
	now = 1000 * S;
}

START_TEST(election_by_priority)
{
	struct node *a, *b;
	uint64_t t0, t;

	reset();
	a = add_node(200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	t0 = now;
	start(a);
	start(b);
	ck_assert_int_eq(a->f.state, VRRP_STATE_BACKUP);
	t = time_to_master(a, 10 * S);
	/* Master_Down = 3 * 1 s + (256 - 200) * 1 s / 256 */
	ck_assert_uint_eq(t - t0, 3 * S + 56 * S / 256 + (MS - 56 * S / 256 % MS));
	run_until(now + 60 * S);
	ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(b->f.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(b->masters, 0);
	ck_assert_int_eq(a->announces, 1);
	/* one advert per second */
	ck_assert_uint_ge(a->sent, 60);
	ck_assert_uint_le(a->sent, 62);
}
END_TEST

START_TEST(owner_is_master_at_once)
{
	struct node *a, *b;

	reset();
	b = add_node(100, "10.0.0.2");
	start(b);
	run_until(now + 10 * S);
	ck_assert_int_eq(b->f.state, VRRP_STATE_MASTER);
	a = add_node(255, "10.0.0.1");
	a->cfg.preempt = false;	/* ignored for the owner */
	start(a);
	ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(a->last_why, VRRP_REASON_OWNER);
	run_until(now + 1);
	ck_assert_int_eq(b->f.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(b->last_why, VRRP_REASON_HIGHER_PRIO);
}
END_TEST

START_TEST(preempt_and_nopreempt)
{
	struct node *a, *b;
	uint64_t t0;

	reset();
	b = add_node(100, "10.0.0.2");
	start(b);
	run_until(now + 10 * S);
	ck_assert_int_eq(b->f.state, VRRP_STATE_MASTER);
	a = add_node(200, "10.0.0.1");
	a->cfg.preempt = _i == 0;
	start(a);
	t0 = now;
	run_until(now + 60 * S);
	if (_i == 0) {
		ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);
		ck_assert_int_eq(a->last_why, VRRP_REASON_PREEMPT);
		ck_assert_int_eq(b->f.state, VRRP_STATE_BACKUP);
		ck_assert_int_eq(a->masters, 1);
	} else {
		ck_assert_int_eq(a->f.state, VRRP_STATE_BACKUP);
		ck_assert_int_eq(b->f.state, VRRP_STATE_MASTER);
		/* ... but it takes over when the master dies */
		b->alive = false;
		ck_assert_uint_le(time_to_master(a, 5 * S) - now, 0);
		ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);
	}
	(void)t0;
}
END_TEST

START_TEST(preempt_delay_waits)
{
	struct node *a, *b;
	uint64_t t0, t;

	reset();
	b = add_node(100, "10.0.0.2");
	start(b);
	run_until(now + 10 * S);
	a = add_node(200, "10.0.0.1");
	a->cfg.preempt_delay_ms = 20000;
	start(a);
	t0 = now;
	t = time_to_master(a, 60 * S);
	ck_assert_uint_ge(t - t0, 20 * S);
	ck_assert_uint_le(t - t0, 20 * S + 3 * S + 56 * S / 256 + 1 * S);
	run_until(now + 5 * S);
	ck_assert_int_eq(count_masters(), 1);
	ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);
}
END_TEST

START_TEST(master_dies_backup_takes_over)
{
	struct node *a, *b;
	uint64_t last_advert, t;

	reset();
	a = add_node(200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	start(a);
	start(b);
	run_until(now + 10 * S + 500 * MS);
	ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);
	last_advert = a->f.adver_at - S;
	a->alive = false;	/* kill -9: no priority 0 */
	t = time_to_master(b, 10 * S);
	ck_assert_int_eq(b->last_why, VRRP_REASON_MASTER_DOWN);
	/* within Master_Down_Interval (3 s + 156/256 s) of the last advert */
	ck_assert_uint_le(t - last_advert, 3 * S + 156 * S / 256 + MS);
	ck_assert_uint_ge(t - last_advert, 3 * S + 156 * S / 256);
	ck_assert_int_eq(b->announces, 1);
}
END_TEST

START_TEST(shutdown_releases_in_skew_time)
{
	struct node *a, *b;
	uint64_t t0, t;

	reset();
	a = add_node(200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	start(a);
	start(b);
	run_until(now + 10 * S + 300 * MS);
	t0 = now;
	vrrp_fsm_shutdown(&a->f, now);
	ck_assert_uint_eq(a->sent_prio0, 1);
	ck_assert_int_eq(a->f.state, VRRP_STATE_INIT);
	a->alive = false;
	t = time_to_master(b, 10 * S);
	ck_assert_uint_le(t - t0, 156 * S / 256 + MS);	/* skew time */
	ck_assert_int_eq(b->last_why, VRRP_REASON_PEER_RELEASED);
}
END_TEST

START_TEST(drill_holds_backup)
{
	struct node *a, *b;
	uint64_t t0, t;

	reset();
	a = add_node(200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	start(a);
	start(b);
	run_until(now + 10 * S + 300 * MS);
	ck_assert_int_eq(vrrp_fsm_release(&b->f, now, 0), -1); /* not master */
	t0 = now;
	ck_assert_int_eq(vrrp_fsm_release(&a->f, now, 30 * S), 0);
	ck_assert_int_eq(a->f.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(a->last_why, VRRP_REASON_DRILL);
	t = time_to_master(b, 5 * S);
	ck_assert_uint_le(t - t0, 156 * S / 256 + MS);
	/* a holds backup for the 30 s despite its higher priority */
	run_until(t0 + 29 * S);
	ck_assert_int_eq(a->f.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(b->f.state, VRRP_STATE_MASTER);
	/* then preempts back */
	t = time_to_master(a, 10 * S);
	ck_assert_uint_le(t - t0, 30 * S + 3 * S + 56 * S / 256 + S);
	run_until(now + 2 * S);
	ck_assert_int_eq(count_masters(), 1);
	ck_assert_int_eq(b->f.state, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(split_brain_heals)
{
	struct node *a, *b;
	uint64_t t0;
	int ann;

	reset();
	a = add_node(_i ? 100 : 200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	start(a);
	start(b);
	run_until(now + 10 * S);
	a->linked = b->linked = false;
	run_until(now + 10 * S);
	ck_assert_int_eq(count_masters(), 2);
	ann = a->announces + b->announces;
	a->linked = b->linked = true;
	t0 = now;
	/* exactly one master within one master-down interval */
	while (count_masters() != 1 && now < t0 + 4 * S)
		run_until(now + MS);
	ck_assert_int_eq(count_masters(), 1);
	ck_assert_uint_le(now - t0, 3 * S + 156 * S / 256);
	/* the winner (priority, then the higher address) re-announced */
	ck_assert_int_eq(_i ? b->f.state : a->f.state, VRRP_STATE_MASTER);
	ck_assert_int_gt(a->announces + b->announces, ann);
	run_until(now + 20 * S);
	ck_assert_int_eq(count_masters(), 1);
}
END_TEST

START_TEST(fast_adverts_10ms)
{
	struct node *a, *b;
	uint64_t t;

	reset();
	a = add_node(200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	a->cfg.advert_cs = b->cfg.advert_cs = 1;
	start(a);
	start(b);
	run_until(now + S);
	ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);
	ck_assert_uint_eq(vrrp_fsm_master_down(&b->f), 30 * MS + 156 * 10 * MS / 256);
	a->alive = false;
	t = now;
	ck_assert_uint_le(time_to_master(b, S) - t, 37 * MS);
}
END_TEST

START_TEST(v3_backup_learns_interval)
{
	struct node *a, *b;

	reset();
	a = add_node(200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	a->cfg.advert_cs = 50;
	start(a);
	start(b);
	run_until(now + 10 * S);
	ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(b->f.master_adver_cs, 50);
	ck_assert_uint_eq(vrrp_fsm_master_down(&b->f), 1500 * MS + 156 * 500 * MS / 256);
}
END_TEST

START_TEST(fault_releases)
{
	struct node *a, *b;
	uint64_t t0;

	reset();
	a = add_node(200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	start(a);
	start(b);
	run_until(now + 10 * S + 100 * MS);
	t0 = now;
	vrrp_fsm_set_fault(&a->f, now, true);
	ck_assert_int_eq(a->f.state, VRRP_STATE_FAULT);
	ck_assert_uint_eq(a->sent_prio0, 1);
	ck_assert_uint_le(time_to_master(b, 5 * S) - t0, 156 * S / 256 + MS);
	run_until(now + 10 * S);
	ck_assert_int_eq(a->f.state, VRRP_STATE_FAULT);
	vrrp_fsm_set_fault(&a->f, now, false);
	ck_assert_int_eq(a->f.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(a->last_why, VRRP_REASON_FAULT_CLEARED);
	run_until(now + 10 * S);
	ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);	/* preempted */
	ck_assert_int_eq(count_masters(), 1);
	/* a lowered priority (link weight) lets the other preempt */
	vrrp_fsm_set_priority(&a->f, 50);
	run_until(now + 10 * S);
	ck_assert_int_eq(b->f.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(count_masters(), 1);
}
END_TEST

START_TEST(check_rejects)
{
	struct node *a, *b;
	struct vrrp_pkt p;
	struct lvs_addr stranger;

	reset();
	a = add_node(200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	a->cfg.version = b->cfg.version = 2;
	a->cfg.advert_cs = b->cfg.advert_cs = 100;
	strcpy(a->cfg.auth_pass, "sesame");
	strcpy(b->cfg.auth_pass, "sesame");
	start(a);
	start(b);
	on_send(b, 100);
	p = queue[0].p;
	nq = 0;
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &b->cfg.src), VRRP_DROP_NONE);
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &a->cfg.src), VRRP_DROP_SOURCE);
	p.vrid = 43;
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &b->cfg.src), VRRP_DROP_VRID);
	p.vrid = 42;
	p.auth[0] = 'S';
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &b->cfg.src), VRRP_DROP_AUTH);
	p.auth[0] = 's';
	p.auth_type = VRRP_AUTH_NONE;
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &b->cfg.src), VRRP_DROP_AUTH);
	p.auth_type = VRRP_AUTH_SIMPLE;
	p.interval = 2;
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &b->cfg.src), VRRP_DROP_INTERVAL);
	p.interval = 1;
	p.version = 3;
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &b->cfg.src), VRRP_DROP_VERSION);
	p.version = 2;
	/* unicast: only the configured peers */
	a->cfg.peers = &b->cfg.src;
	a->cfg.npeers = 1;
	addr_parse("10.0.0.9", &stranger);
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &stranger), VRRP_DROP_SOURCE);
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &b->cfg.src), VRRP_DROP_NONE);
}
END_TEST

/* Multicast: adverts count only from the instance's routers, unless any
 * sender is accepted; a stranger's priority-254 advert changes nothing. */
START_TEST(multicast_strangers_dropped)
{
	struct node *a, *b;
	struct lvs_addr stranger, routers[2];

	reset();
	a = add_node(200, "10.0.0.1");
	b = add_node(100, "10.0.0.2");
	routers[0] = a->cfg.src;
	routers[1] = b->cfg.src;
	a->cfg.any_sender = false;
	a->cfg.senders = routers;
	a->cfg.nsenders = 2;
	start(a);
	start(b);
	run_until(now + 5 * S);
	ck_assert_int_eq(a->f.state, VRRP_STATE_MASTER);
	on_send(b, 254);
	struct vrrp_pkt p = queue[nq - 1].p;
	nq = 0;
	addr_parse("10.0.0.9", &stranger);
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &stranger), VRRP_DROP_SENDER);
	ck_assert(!vrrp_fsm_hears(&a->cfg, &stranger));
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &b->cfg.src), VRRP_DROP_NONE);
	/* the opening key: the same advert is obeyed */
	a->cfg.any_sender = true;
	ck_assert_int_eq(vrrp_fsm_check(&a->f, &p, &stranger), VRRP_DROP_NONE);
	vrrp_fsm_advert(&a->f, now, &p, &stranger);
	ck_assert_int_eq(a->f.state, VRRP_STATE_BACKUP);
	/* none listed and none accepted: the module refuses the setting */
	a->cfg.any_sender = false;
	a->cfg.nsenders = 0;
	ck_assert_int_lt(vrrp_instance_config_check(&a->cfg, NULL, NULL), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vrrp_fsm");
	TCase *tc = tcase_create("fsm");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, election_by_priority);
	tcase_add_test(tc, owner_is_master_at_once);
	tcase_add_loop_test(tc, preempt_and_nopreempt, 0, 2);
	tcase_add_test(tc, preempt_delay_waits);
	tcase_add_test(tc, master_dies_backup_takes_over);
	tcase_add_test(tc, shutdown_releases_in_skew_time);
	tcase_add_test(tc, drill_holds_backup);
	tcase_add_loop_test(tc, split_brain_heals, 0, 2);
	tcase_add_test(tc, fast_adverts_10ms);
	tcase_add_test(tc, v3_backup_learns_interval);
	tcase_add_test(tc, fault_releases);
	tcase_add_test(tc, check_rejects);
	tcase_add_test(tc, multicast_strangers_dropped);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
