#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <systemd/sd-event.h>

#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"
#include "vrrp/inst.h"
#include "vrrp/sock.h"

/*
 * A drill that looks before it leaps (vrrp_drill).  In VRRP backups are
 * silent: a master cannot tell a site with a ready backup from one whose
 * backup died last week, and a release with nobody to take over costs two
 * needless transitions (and a master-down interval of lost traffic).  So
 * each master first asks the routers it knows (query.c), up to three
 * times, one round per advert interval (0.1 to 1 s); it releases once
 * every master has an answer "BACKUP, and I heard your advert within
 * three advert intervals" — the backup is there, and it will hear the
 * priority-0 advert.  Anything else changes nothing and says why.
 */

#define ROUNDS		3
#define ROUND_MIN_USEC	100000ULL
#define ROUND_MAX_USEC	1000000ULL

/* One master instance and the routers it asked. */
struct drill_target {
	char name[VRRP_NAME_MAX];
	uint32_t nonce;
	uint64_t advert_usec;
	struct lvs_addr *ask;
	bool *answered;
	size_t nask;
	bool ready;
	char why[256];		/* the last answer that was not ready */
};

struct vrrp_drill_op {
	vrrp_drill_fn *fn;
	void *arg;
	unsigned hold_s;
	unsigned rounds;
	uint64_t round_usec;
	sd_event_source *timer;
	struct drill_target *t;
	size_t n;
};

static void
op_free(struct vrrp_drill_op *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->t[i].ask);
		free(d->t[i].answered);
	}
	free(d->t);
	sd_event_source_disable_unref(d->timer);
	free(d);
}

/* Ends the drill under way: releases each target, or refuses with why. */
static void
finish(struct vrrp *v, bool release, const char *why)
{
	struct vrrp_drill_op *d = v->drill;
	v->drill = NULL;
	int n = 0;
	for (size_t i = 0; release && i < d->n; i++) {
		int k = vrrp_failover(v, d->t[i].name, d->hold_s);
		n += k > 0 ? k : 0;
	}
	if (release && n == 0)
		why = "no instance was master any more";
	vrrp_drill_fn *fn = d->fn;
	void *arg = d->arg;
	op_free(d);
	fn(arg, n > 0 ? n : -1, n > 0 ? NULL : why);
}

/* Whom instance in asks: its unicast peer, or its routers that are not
 * this host.  Returns how many (ask allocated). */
static size_t
routers_to_ask(const struct vrrp_inst *in, struct lvs_addr **ask)
{
	const struct vrrp_instance_config *c = &in->cfg;
	const struct lvs_addr *list = c->npeers > 0 ? c->peers : c->senders;
	size_t n = c->npeers > 0 ? c->npeers : c->nsenders, k = 0;
	*ask = xcalloc(n > 0 ? n : 1, sizeof(**ask));
	for (size_t i = 0; i < n; i++)
		if (!addr_eq(&list[i], &in->self) && !vrrp_sock_is_local(&list[i]))
			(*ask)[k++] = list[i];
	return k;
}

static void
send_round(struct vrrp *v)
{
	struct vrrp_drill_op *d = v->drill;
	char a[LVS_ADDRSTRLEN];
	for (size_t i = 0; i < d->n; i++) {
		struct drill_target *t = &d->t[i];
		const struct vrrp_inst *in = vrrp_inst_find(v, t->name);
		struct vrrp_query q = { .kind = VRRP_QUERY_ASK,
		    .nonce = t->nonce };
		if (t->ready || in == NULL)
			continue;
		q.vrid = in->cfg.vrid;
		for (size_t j = 0; j < t->nask; j++)
			if (!t->answered[j] && vrrp_query_send(v, in, &t->ask[j],
			    &q) < 0)
				log_debug("vrrp %s: drill query to %s: %s", t->name,
				    addr_fmt(&t->ask[j], a), strerror(errno));
	}
	d->rounds++;
}

/* The refusal after the last round: who did not answer, who was not
 * ready.  Each not-ready target, in a sentence. */
static void
refuse(struct vrrp *v)
{
	const struct vrrp_drill_op *d = v->drill;
	char why[768], a[LVS_ADDRSTRLEN];
	size_t len = (size_t)snprintf(why, sizeof(why), "no backup is ready to "
	    "take over, nothing changed:");
	for (size_t i = 0; i < d->n && len < sizeof(why); i++) {
		const struct drill_target *t = &d->t[i];
		if (t->ready)
			continue;
		len += (size_t)snprintf(why + len, sizeof(why) - len, " vrrp %s:",
		    t->name);
		for (size_t j = 0; j < t->nask && len < sizeof(why); j++)
			if (!t->answered[j])
				len += (size_t)snprintf(why + len, sizeof(why) -
				    len, " %s did not answer;",
				    addr_fmt(&t->ask[j], a));
		if (t->why[0] != '\0' && len < sizeof(why))
			len += (size_t)snprintf(why + len, sizeof(why) - len,
			    " %s;", t->why);
	}
	if (len < sizeof(why)) {
		if (why[len - 1] == ';')
			len--;
		snprintf(why + len, sizeof(why) - len, " (%u drill queries, "
		    "%.1f s apart; a keepalived peer or an older lvsd does not "
		    "answer; lvsctl failover --force releases anyway)",
		    d->rounds, d->round_usec / 1e6);
	}
	finish(v, false, why);
}

static int
on_round(sd_event_source *s, uint64_t usec, void *arg)
{
	struct vrrp *v = arg;
	(void)usec;
	if (v->drill->rounds >= ROUNDS) {
		refuse(v);
		return 0;
	}
	send_round(v);
	sd_event_source_set_time(s, vrrp_now(v->ev) + v->drill->round_usec);
	sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	return 0;
}

/* Whether every target is decided: ready, or every router answered. */
static void
maybe_finish(struct vrrp *v)
{
	const struct vrrp_drill_op *d = v->drill;
	bool all_ready = true, pending = false;
	for (size_t i = 0; i < d->n; i++) {
		const struct drill_target *t = &d->t[i];
		all_ready = all_ready && t->ready;
		for (size_t j = 0; !t->ready && j < t->nask; j++)
			pending = pending || !t->answered[j];
	}
	if (all_ready)
		finish(v, true, NULL);
	else if (!pending)
		refuse(v);
}

void
vrrp_drill_answer(struct vrrp *v, const struct vrrp_inst *in,
    const struct lvs_addr *from, const struct vrrp_query *q)
{
	struct vrrp_drill_op *d = v->drill;
	char a[LVS_ADDRSTRLEN];
	for (size_t i = 0; d != NULL && i < d->n; i++) {
		struct drill_target *t = &d->t[i];
		if (t->nonce != q->nonce || strcmp(t->name, in->cfg.name) != 0)
			continue;
		for (size_t j = 0; j < t->nask; j++) {
			if (t->answered[j] || !addr_eq(&t->ask[j], from))
				continue;
			t->answered[j] = true;
			addr_fmt(from, a);
			uint64_t limit = 3 * t->advert_usec / 1000;
			if (q->state == VRRP_STATE_BACKUP &&
			    q->heard_ms <= limit) {
				t->ready = true;
				log_info("vrrp %s: drill: %s is BACKUP (priority "
				    "%u) and heard this master %.1f s ago: "
				    "ready", t->name, a, q->priority,
				    q->heard_ms / 1000.0);
			} else if (q->state == VRRP_STATE_BACKUP)
				snprintf(t->why, sizeof(t->why), "%s is BACKUP "
				    "but has not heard this master's adverts "
				    "within three advert intervals (%.1f s): it "
				    "would not hear the release", a, limit / 1e3);
			else
				snprintf(t->why, sizeof(t->why), "%s is %s, not "
				    "BACKUP", a, vrrp_state_name(q->state));
			maybe_finish(v);
			return;
		}
	}
	log_debug("vrrp %s: a drill answer from %s nobody waits for",
	    in->cfg.name, addr_fmt(from, a));
}

void
vrrp_drill_cancel(struct vrrp *v, const char *why)
{
	if (v->drill != NULL)
		finish(v, false, why);
}

/* A sentence on what each instance hears, for a drill not on a master. */
static void
not_master(const struct vrrp *v, char *why, size_t len)
{
	const struct vrrp_inst *in;
	char a[LVS_ADDRSTRLEN];
	uint64_t now = vrrp_now(v->ev);
	size_t n = (size_t)snprintf(why, len, "this director is not the "
	    "master:");
	TAILQ_FOREACH(in, &v->insts, entry) {
		const struct vrrp_heard *h = vrrp_inst_last_master(in);
		if (n >= len)
			break;
		if (in->fsm.state == VRRP_STATE_BACKUP && h != NULL &&
		    now - h->at <= vrrp_fsm_master_down(&in->fsm))
			n += (size_t)snprintf(why + n, len - n, " vrrp %s is "
			    "BACKUP, its master %s was heard %.1f s ago: run the "
			    "drill there;", in->cfg.name, addr_fmt(&h->src, a),
			    (now - h->at) / 1e6);
		else if (in->fsm.state == VRRP_STATE_BACKUP)
			n += (size_t)snprintf(why + n, len - n, " vrrp %s is "
			    "BACKUP and hears no master: it takes over by itself "
			    "after the master-down interval;", in->cfg.name);
		else
			n += (size_t)snprintf(why + n, len - n, " vrrp %s is "
			    "%s;", in->cfg.name, vrrp_state_name(in->fsm.state));
	}
	if (n > 0 && n < len && why[n - 1] == ';')
		why[n - 1] = '\0';
}

/* A target per master; false (why set) if one has nobody to ask. */
static bool
add_targets(struct vrrp *v, struct vrrp_drill_op *d, char *why, size_t len)
{
	struct vrrp_inst *in;
	TAILQ_FOREACH(in, &v->insts, entry) {
		if (in->fsm.state != VRRP_STATE_MASTER)
			continue;
		struct drill_target *t = &d->t[d->n++];
		snprintf(t->name, sizeof(t->name), "%s", in->cfg.name);
		if (getrandom(&t->nonce, sizeof(t->nonce), GRND_NONBLOCK) !=
		    sizeof(t->nonce))
			t->nonce = (uint32_t)vrrp_now(v->ev) ^ (uint32_t)d->n;
		t->advert_usec = in->cfg.advert_cs * VRRP_USEC_PER_CS;
		if (t->advert_usec > d->round_usec)
			d->round_usec = t->advert_usec;
		t->nask = routers_to_ask(in, &t->ask);
		t->answered = xcalloc(t->nask + 1, sizeof(*t->answered));
		if (t->nask == 0 || in->cfg.query_port == 0) {
			snprintf(why, len, "no backup is ready to take over, "
			    "nothing changed: vrrp %s has no other router to ask "
			    "%s(lvsctl failover --force releases anyway)", t->name,
			    in->cfg.query_port == 0 ? "(drill queries are off) " :
			    "(lvs.cf names none; IPv6: list the directors' "
			    "link-local addresses in `peers`) ");
			return false;
		}
	}
	return true;
}

void
vrrp_drill(struct vrrp *v, unsigned hold_s, bool force, vrrp_drill_fn *fn,
    void *arg)
{
	char why[768];
	size_t masters = 0;
	const struct vrrp_inst *in;
	TAILQ_FOREACH(in, &v->insts, entry)
		masters += in->fsm.state == VRRP_STATE_MASTER;
	if (v->drill != NULL) {
		fn(arg, -1, "a drill is already under way");
		return;
	}
	if (masters == 0) {
		not_master(v, why, sizeof(why));
		fn(arg, -1, why);
		return;
	}
	if (force) {
		int n = vrrp_failover(v, NULL, hold_s);
		fn(arg, n > 0 ? n : -1, n > 0 ? NULL : "no instance was master");
		return;
	}
	struct vrrp_drill_op *d = xcalloc(1, sizeof(*d));
	d->fn = fn;
	d->arg = arg;
	d->hold_s = hold_s;
	d->t = xcalloc(masters, sizeof(*d->t));
	v->drill = d;
	if (!add_targets(v, d, why, sizeof(why))) {
		finish(v, false, why);
		return;
	}
	d->round_usec = d->round_usec < ROUND_MIN_USEC ? ROUND_MIN_USEC :
	    d->round_usec > ROUND_MAX_USEC ? ROUND_MAX_USEC : d->round_usec;
	send_round(v);
	if (sd_event_add_time_relative(v->ev, &d->timer, CLOCK_MONOTONIC,
	    d->round_usec, 1000, on_round, v) < 0) {
		finish(v, false, "cannot arm a timer for the drill's answers");
		return;
	}
	sd_event_source_set_priority(d->timer, LVSD_PRIO_CTL);
}
