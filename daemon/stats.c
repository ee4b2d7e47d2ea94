/*
 * The kernel's counters for `show`, `dump` and `metrics`, read in slices
 * (ipvs_dump_start/step/finish) on the parent's loop at LVSD_PRIO_BULK:
 * at 10,000 services the read is one netlink dump per service, which must
 * never hold the loop.  A read at most once a second: a request finds
 * the last one if it is younger, or waits for the next, which every
 * request that came meanwhile shares (64 clients pipelining `dump` cost
 * one read a second).  Once lvsd changed the table, the next request
 * waits for a read that shows the change.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/queue.h>

#include "daemon/lvsd.h"
#include "daemon/stats.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

/* Services read per slice: a few milliseconds natively. */
#define SLICE_SERVICES	100
/* How old the counters may be when a request comes. */
#define FRESH_USEC	1000000ULL

struct stats_waiter {
	TAILQ_ENTRY(stats_waiter) entry;
	lvsd_stats_fn *fn;
	void *arg;
};

struct lvsd_stats {
	struct ipvs_table *last;	/* the last complete read, or NULL */
	uint64_t last_at;		/* when it began */
	struct ipvs_dump *dump;		/* the read in progress */
	uint64_t dump_at;
	sd_event_source *step;
	TAILQ_HEAD(, stats_waiter) waiters;
};

static void
tell(struct lvsd_stats *st)
{
	struct stats_waiter *w;
	while ((w = TAILQ_FIRST(&st->waiters)) != NULL) {
		TAILQ_REMOVE(&st->waiters, w, entry);
		w->fn(w->arg, st->last);
		free(w);
	}
}

static void
finish(struct lvsd_stats *st)
{
	struct ipvs_table *t = NULL;
	sd_event_source_set_enabled(st->step, SD_EVENT_OFF);
	if (ipvs_dump_finish(st->dump, &t) < 0) {
		log_warn("cannot read the kernel's IPVS counters");
		t = NULL;
	}
	st->dump = NULL;
	ipvs_table_free(st->last);
	st->last = t;
	st->last_at = st->dump_at;
	tell(st);
}

static int
on_step(sd_event_source *s, void *userdata)
{
	(void)s;
	struct lvsd_stats *st = userdata;
	if (ipvs_dump_step(st->dump, SLICE_SERVICES) != 1)
		finish(st);
	return 0;
}

static struct lvsd_stats *
stats_state(struct lvsd *d)
{
	if (d->stats != NULL)
		return d->stats;
	struct lvsd_stats *st = xcalloc(1, sizeof(*st));
	TAILQ_INIT(&st->waiters);
	if (sd_event_add_defer(d->event, &st->step, on_step, st) < 0)
		fatalx("cannot add an event source");
	sd_event_source_set_enabled(st->step, SD_EVENT_OFF);
	sd_event_source_set_priority(st->step, LVSD_PRIO_BULK);
	d->stats = st;
	return st;
}

void
lvsd_stats_get(struct lvsd *d, lvsd_stats_fn *fn, void *arg)
{
	struct lvsd_stats *st = stats_state(d);
	uint64_t now = mono_usec();
	if (st->dump == NULL && st->last != NULL &&
	    now - st->last_at < FRESH_USEC) {
		fn(arg, st->last);
		return;
	}
	struct stats_waiter *w = xcalloc(1, sizeof(*w));
	w->fn = fn;
	w->arg = arg;
	TAILQ_INSERT_TAIL(&st->waiters, w, entry);
	if (st->dump != NULL)
		return;
	st->dump_at = now;
	st->dump = d->ipvs != NULL ? ipvs_dump_start(d->ipvs) : NULL;
	if (st->dump == NULL) {
		if (d->ipvs != NULL)
			log_warn("cannot read the kernel's IPVS counters");
		ipvs_table_free(st->last);
		st->last = NULL;
		tell(st);
		return;
	}
	sd_event_source_set_enabled(st->step, SD_EVENT_ON);
}

void
lvsd_stats_changed(struct lvsd *d)
{
	if (d->stats != NULL)
		d->stats->last_at = 0;
}

void
lvsd_stats_stop(struct lvsd *d)
{
	struct lvsd_stats *st = d->stats;
	if (st == NULL)
		return;
	if (st->dump != NULL) {
		struct ipvs_table *t = NULL;
		(void)ipvs_dump_finish(st->dump, &t);
		ipvs_table_free(t);
		st->dump = NULL;
	}
	ipvs_table_free(st->last);
	st->last = NULL;
	tell(st);
	sd_event_source_disable_unref(st->step);
	free(st);
	d->stats = NULL;
}
