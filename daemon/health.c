/*
 * Real-server health as the daemon sees it: one checker per real server of
 * every active virtual service (on master and backup alike), the state
 * each reported last, and the coalesced IPVS update that transitions
 * trigger.  Health outlives configuration generations: a reload keeps the
 * state of every server that is still configured, and leaves a checker
 * whose settings did not change running as it was.
 */
#include "config.h"

#include <errno.h>
#include <json-c/linkhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/health.h"
#include "daemon/lvsd.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

static void
rs_health_free(struct rs_health *h)
{
	hc_checker_free(h->checker);
	free(h->id);
	free(h);
}

static struct lh_table *
table_new(size_t hint)
{
	/* Entries are freed by hand: a reload moves some to the next table. */
	struct lh_table *t = lh_kchar_table_new(hint < 16 ? 16 : (int)hint * 2,
	    NULL);
	if (t == NULL)
		fatalx("out of memory");
	return t;
}

static void
table_free(struct lh_table *t, struct health_changes *ch)
{
	if (t == NULL)
		return;
	struct lh_entry *e;
	lh_foreach(t, e) {
		struct rs_health *h = lh_entry_v(e);
		if (h->kept) {
			h->kept = false;
			continue;
		}
		if (ch != NULL)
			ch->removed++;
		rs_health_free(h);
	}
	lh_table_free(t);
}

const struct rs_health *
health_get(const struct lvsd *d, const char *id)
{
	void *h = NULL;
	if (d->health == NULL || !lh_table_lookup_ex(d->health, id, &h))
		return NULL;
	return h;
}

const struct rs_state *
health_state_of(const void *ctx, const struct cfg_server *s)
{
	const struct rs_health *h = health_get(ctx, s->id);
	return h != NULL ? &h->state : NULL;
}

/* Runs once per loop iteration at most, however many transitions came. */
static int
on_apply(sd_event_source *s, void *userdata)
{
	struct lvsd *d = userdata;
	sd_event_source_set_enabled(s, SD_EVENT_OFF);
	lvsd_ipvs_apply(d, "health", NULL);
	return 0;
}

void
health_schedule_apply(struct lvsd *d)
{
	if (d->apply_defer == NULL) {
		int r = sd_event_add_defer(d->event, &d->apply_defer, on_apply, d);
		if (r < 0) {
			errno = -r;
			log_warn("cannot schedule an IPVS update");
			return;
		}
		sd_event_source_set_priority(d->apply_defer, LVSD_PRIO_BULK);
	}
	sd_event_source_set_enabled(d->apply_defer, SD_EVENT_ONESHOT);
}

static void
on_check_event(struct hc_checker *ck, const struct hc_event *ev, void *userdata)
{
	(void)ck;
	struct rs_health *h = userdata;
	switch (ev->kind) {
	case HC_EV_UP:
		h->state.up = true;
		break;
	case HC_EV_DOWN:
		h->state.up = false;
		break;
	case HC_EV_WEIGHT:
		break;
	}
	h->state.dyn_weight = ev->weight;
	health_schedule_apply(h->daemon);
}

/* The previous entry of pc's server, moved on when its checker is kept. */
static struct rs_health *
keep_unchanged(struct lh_table *old, const struct plan_check *pc)
{
	void *prev = NULL;
	if (old == NULL || !pc->checked ||
	    !lh_table_lookup_ex(old, pc->s->id, &prev))
		return NULL;
	struct rs_health *p = prev;
	if (p->checker == NULL ||
	    !hc_check_config_equal(hc_checker_config(p->checker), &pc->hc))
		return NULL;
	p->kept = true;
	return p;
}

/* A new entry for pc's server, with what the previous one knew. */
static struct rs_health *
health_for(struct lvsd *d, struct lh_table *old, const struct plan_check *pc,
    struct health_changes *ch)
{
	struct rs_health *h = xcalloc(1, sizeof(*h));
	h->daemon = d;
	h->id = xstrdup(pc->s->id);
	h->state.up = true;		/* `check = none`: always up */
	h->state.dyn_weight = -1;
	if (pc->checked) {
		h->state.up = pc->hc.init_state == HC_INIT_UP;
		h->checker = hc_checker_new(d->hc, &pc->hc, h);
		if (h->checker == NULL)
			h->state.up = false;	/* logged by the engine */
		d->checkers_started += h->checker != NULL;
	}
	void *prev = NULL;
	if (old == NULL || !lh_table_lookup_ex(old, h->id, &prev)) {
		ch->added++;
		return h;
	}
	struct rs_health *p = prev;
	ch->restarted++;
	if (h->checker != NULL && p->checker != NULL) {
		hc_checker_inherit(h->checker, p->checker);
		h->state = p->state;
	}
	return h;
}

int
health_start(struct lvsd *d)
{
	struct hc_engine_params p = {
		.event_cb = on_check_event,
		.max_children = d->cfg->global.check_max_children,
		.kill_grace_ms = 2000,
	};
	d->hc = hc_engine_new(d->event, &p);
	if (d->hc == NULL) {
		log_warnx("cannot start the health-check engine");
		return -1;
	}
	health_reconfigure(d, NULL);
	return 0;
}

void
health_reconfigure(struct lvsd *d, struct health_changes *out)
{
	struct health_changes ch = { 0 };
	struct lh_table *old = d->health;
	const struct plan *p = d->plan;
	d->health = table_new(p->nchecks);
	for (size_t i = 0; i < p->nchecks; i++) {
		const struct plan_check *pc = &p->checks[i];
		struct rs_health *h = keep_unchanged(old, pc);
		if (h != NULL)
			ch.kept++;
		else
			h = health_for(d, old, pc, &ch);
		if (lh_table_insert(d->health, h->id, h) < 0)
			fatalx("out of memory");
	}
	/* Stops the previous checkers, but those kept; a restarted server's
	 * old entry goes too, and is not a removed server. */
	table_free(old, &ch);
	ch.removed -= ch.restarted;
	if (out != NULL)
		*out = ch;
}

void
health_stop(struct lvsd *d)
{
	d->apply_defer = sd_event_source_unref(d->apply_defer);
	table_free(d->health, NULL);
	d->health = NULL;
	hc_engine_free(d->hc);
	d->hc = NULL;
}
