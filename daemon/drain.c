/*
 * Draining: a real server that leaves the table (removed from lvs.cf,
 * disabled by the operator, or failing its check) first stays in the
 * kernel at weight 0 for drain_time, so established connections finish;
 * a removed virtual service likewise keeps its real servers at weight 0.
 * Only then is it deleted.  Works on the desired tables: what the last
 * apply asked for and no longer is, is kept at weight 0 until its time.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/drain.h"
#include "daemon/lvsd.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

struct drain {
	TAILQ_ENTRY(drain) entry;
	struct ipvs_service svc;
	char *svc_label;
	struct ipvs_dest dest;
	char *dest_label;
	uint64_t deadline;		/* CLOCK_MONOTONIC µs */
};

static void
drain_free(struct lvsd *d, struct drain *r)
{
	TAILQ_REMOVE(&d->drains, r, entry);
	free(r->svc_label);
	free(r->dest_label);
	free(r);
}

static bool
has_dest(const struct ipvs_table *t, const struct ipvs_svc *s,
    const struct ipvs_dest *want)
{
	return s != NULL && ipvs_table_find_dest(t, s, &want->addr,
	    want->port) != NULL;
}

/* A copy through the public API: the last desired table, kept. */
static struct ipvs_table *
table_copy(const struct ipvs_table *t)
{
	struct ipvs_table *c = ipvs_table_new(ipvs_table_nservices(t));
	const struct ipvs_svc *s = NULL;
	while ((s = ipvs_table_next(t, s)) != NULL) {
		struct ipvs_svc *cs = ipvs_table_add_service(c, ipvs_svc_conf(s),
		    ipvs_svc_label(s));
		const struct ipvs_dst *e = NULL;
		while (cs != NULL && (e = ipvs_svc_next_dest(s, e)) != NULL)
			ipvs_table_add_dest(c, cs, ipvs_dst_conf(e), ipvs_dst_label(e));
	}
	return c;
}

static bool
is_draining(const struct lvsd *d, const struct ipvs_service *svc,
    const struct ipvs_dest *dest)
{
	const struct drain *r;
	TAILQ_FOREACH(r, &d->drains, entry)
		if (ipvs_service_key_eq(&r->svc, svc) && r->dest.port == dest->port &&
		    addr_eq(&r->dest.addr, &dest->addr))
			return true;
	return false;
}

/* What `prev` had with weight > 0 and `next` lacks starts draining. */
static void
start_draining(struct lvsd *d, const struct ipvs_table *prev,
    const struct ipvs_table *next, uint64_t deadline)
{
	const struct ipvs_svc *s = NULL;
	while ((s = ipvs_table_next(prev, s)) != NULL) {
		const struct ipvs_service *svc = ipvs_svc_conf(s);
		const struct ipvs_svc *ns = ipvs_table_find_service(next, svc);
		const struct ipvs_dst *e = NULL;
		while ((e = ipvs_svc_next_dest(s, e)) != NULL) {
			const struct ipvs_dest *dest = ipvs_dst_conf(e);
			if (has_dest(next, ns, dest) ||
			    is_draining(d, svc, dest))
				continue;
			struct drain *r = xcalloc(1, sizeof(*r));
			r->svc = *svc;
			r->svc_label = xstrdup(ipvs_svc_label(s));
			r->dest = *dest;
			r->dest.weight = 0;
			r->dest_label = xstrdup(ipvs_dst_label(e));
			r->deadline = deadline;
			TAILQ_INSERT_TAIL(&d->drains, r, entry);
			log_info("%s: draining (weight 0) for %u ms before removal",
			    r->dest_label, d->cfg->global.drain_time);
		}
	}
}

static int
on_deadline(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	lvsd_ipvs_apply(userdata, "drain", NULL);
	return 0;
}

static void
schedule(struct lvsd *d)
{
	uint64_t first = UINT64_MAX;
	const struct drain *r;
	TAILQ_FOREACH(r, &d->drains, entry)
		if (r->deadline < first)
			first = r->deadline;
	if (first == UINT64_MAX) {
		if (d->drain_timer != NULL)
			sd_event_source_set_enabled(d->drain_timer, SD_EVENT_OFF);
		return;
	}
	if (d->drain_timer == NULL) {
		if (sd_event_add_time(d->event, &d->drain_timer, CLOCK_MONOTONIC,
		    first, 10000, on_deadline, d) < 0) {
			log_warnx("cannot schedule the end of a drain");
			return;
		}
		sd_event_source_set_priority(d->drain_timer, LVSD_PRIO_BULK);
	} else
		sd_event_source_set_time(d->drain_timer, first);
	sd_event_source_set_enabled(d->drain_timer, SD_EVENT_ONESHOT);
}

void
drain_merge(struct lvsd *d, struct ipvs_table *next)
{
	uint64_t now = mono_usec();
	if (d->last_desired != NULL && d->cfg->global.drain_time > 0)
		start_draining(d, d->last_desired, next,
		    now + (uint64_t)d->cfg->global.drain_time * 1000);
	ipvs_table_free(d->last_desired);
	d->last_desired = table_copy(next);
	struct drain *r, *tmp;
	/* glibc's <sys/queue.h> has no TAILQ_FOREACH_SAFE. */
	for (r = TAILQ_FIRST(&d->drains); r != NULL; r = tmp) {
		tmp = TAILQ_NEXT(r, entry);
		struct ipvs_svc *ns = ipvs_table_find_service(next, &r->svc);
		if (r->deadline <= now || has_dest(next, ns, &r->dest)) {
			if (r->deadline <= now)
				log_info("%s: drained, removing it", r->dest_label);
			drain_free(d, r);	/* over, or wanted again */
			continue;
		}
		if (ns == NULL)
			ns = ipvs_table_add_service(next, &r->svc, r->svc_label);
		if (ns == NULL || ipvs_table_add_dest(next, ns, &r->dest,
		    r->dest_label) == NULL)
			log_warn("%s: cannot keep it draining", r->dest_label);
	}
	schedule(d);
}

void
drain_stop(struct lvsd *d)
{
	struct drain *r;
	while ((r = TAILQ_FIRST(&d->drains)) != NULL)
		drain_free(d, r);
	d->drain_timer = sd_event_source_unref(d->drain_timer);
	ipvs_table_free(d->last_desired);
	d->last_desired = NULL;
}

unsigned
drain_count(const struct lvsd *d)
{
	unsigned n = 0;
	const struct drain *r;
	TAILQ_FOREACH(r, &d->drains, entry)
		n++;
	return n;
}
