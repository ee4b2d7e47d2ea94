/*
 * Real-server health as the daemon sees it: one checker per real server of
 * every active virtual service (on master and backup alike), the state
 * each reported last, and the coalesced IPVS update that transitions
 * trigger.  Health outlives configuration generations: a reload keeps the
 * state of every server that is still configured.
 */
#include "config.h"

#include <errno.h>
#include <json-c/linkhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/cfg_check.h"
#include "daemon/events.h"
#include "daemon/health.h"
#include "daemon/lvsd.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

static void
rs_health_free(struct rs_health *h)
{
	hc_checker_free(h->checker);
	free(h->label);
	free(h);
}

static void
free_entry(struct lh_entry *e)
{
	rs_health_free(lh_entry_v(e));
}

static struct lh_table *
table_new(unsigned hint)
{
	struct lh_table *t = lh_kchar_table_new(hint < 16 ? 16 : (int)hint * 2,
	    free_entry);
	if (t == NULL)
		fatalx("out of memory");
	return t;
}

const struct rs_health *
health_lookup(const struct lvsd *d, const struct cfg_virtual *v,
    const struct cfg_server *s)
{
	char label[512];
	snprintf(label, sizeof(label), "%s/%s", v->name, s->name);
	void *h = NULL;
	if (d->health == NULL || !lh_table_lookup_ex(d->health, label, &h))
		return NULL;
	return h;
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
	events_health(h->label, h->up, ev->kind, ev->reason);
	switch (ev->kind) {
	case HC_EV_UP:
		h->up = true;
		break;
	case HC_EV_DOWN:
		h->up = false;
		break;
	case HC_EV_WEIGHT:
		break;
	}
	h->dyn_weight = ev->weight;
	health_schedule_apply(h->daemon);
}

/* The new generation's entry for s, with what the old one knew. */
static struct rs_health *
health_for(struct lvsd *d, struct lh_table *old, const struct cfg_virtual *v,
    const struct cfg_server *s)
{
	struct rs_health *h = xcalloc(1, sizeof(*h));
	h->daemon = d;
	h->label = xasprintf("%s/%s", v->name, s->name);
	h->up = true;			/* `check = none`: always up */
	h->dyn_weight = -1;
	struct hc_check_config c;
	const char *err;
	int r = cfg_check_build(d->cfg, v, s, &c, &err);
	if (r < 0)
		log_warnx("%s: health check not started: %s", h->label, err);
	else if (r == 0) {
		h->up = c.init_state == HC_INIT_UP;
		h->checker = hc_checker_new(d->hc, &c, h);
		if (h->checker == NULL)
			h->up = false;	/* logged by the engine; never guess up */
	}
	hc_check_config_clear(&c);
	void *prev = NULL;
	if (old != NULL && lh_table_lookup_ex(old, h->label, &prev)) {
		struct rs_health *p = prev;
		if (h->checker != NULL && p->checker != NULL) {
			hc_checker_inherit(h->checker, p->checker);
			h->up = p->up;
			h->dyn_weight = p->dyn_weight;
		}
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
	health_reconfigure(d);
	return 0;
}

void
health_reconfigure(struct lvsd *d)
{
	struct lh_table *old = d->health;
	unsigned n = 0;
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &d->cfg->virtuals, entry)
		n += v->active ? v->nservers : 0;
	d->health = table_new(n);
	TAILQ_FOREACH(v, &d->cfg->virtuals, entry) {
		if (!v->active)
			continue;
		const struct cfg_server *s;
		TAILQ_FOREACH(s, &v->servers, entry) {
			if (!s->active)
				continue;
			struct rs_health *h = health_for(d, old, v, s);
			if (lh_table_insert(d->health, h->label, h) < 0)
				fatalx("out of memory");
		}
	}
	if (old != NULL)
		lh_table_free(old);	/* stops the previous checkers */
}

void
health_stop(struct lvsd *d)
{
	d->apply_defer = sd_event_source_unref(d->apply_defer);
	if (d->health != NULL)
		lh_table_free(d->health);
	d->health = NULL;
	hc_engine_free(d->hc);
	d->hc = NULL;
}
