/*
 * Bringing the kernel in line with the desired table, in slices on the
 * parent's loop (LVSD_PRIO_BULK): a reload of 10,000 services or a storm
 * of health transitions never holds the loop for more than one slice, so
 * the control socket keeps answering.  Requests that come while an apply
 * runs are coalesced into one more apply after it, computed from the
 * state at its start; whoever asked is told when an apply that began
 * after the request ended.  At start-up the first apply runs at once.
 *
 * The periodic consistency check (resync) is sliced the same way: an
 * apply asked for while it reads the kernel joins that read (the driver
 * keeps the read valid: lvsd changes nothing meanwhile); one asked for
 * while an apply runs waits for it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/announce.h"
#include "daemon/desired.h"
#include "daemon/drain.h"
#include "daemon/health.h"
#include "daemon/lvsd.h"
#include "daemon/stats.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

/* Desired services reconciled per slice: about a millisecond natively. */
#define SLICE_SERVICES	100

struct waiter {
	TAILQ_ENTRY(waiter) entry;
	lvsd_applied_fn *fn;
	void *arg;
};
TAILQ_HEAD(waiters, waiter);

struct lvsd_apply {
	sd_event_source *step;
	bool busy;			/* an apply or a resync is in slices */
	bool resyncing;			/* a resync no apply joined (yet) */
	bool resync_after;		/* a resync waits for the apply */
	bool again;			/* one more apply after it */
	char why[32], next_why[32];
	size_t nsvc, ndst;
	struct waiters now, later;
};

static int on_drained(sd_event_source *s, uint64_t usec, void *userdata);

/* Applies again at the earliest drain deadline (UINT64_MAX: none). */
static void
drain_schedule(struct lvsd *d, uint64_t first)
{
	if (first == UINT64_MAX) {
		if (d->drain_timer != NULL)
			sd_event_source_set_enabled(d->drain_timer, SD_EVENT_OFF);
		return;
	}
	if (d->drain_timer == NULL) {
		if (sd_event_add_time(d->event, &d->drain_timer, CLOCK_MONOTONIC,
		    first, 10000, on_drained, d) < 0) {
			log_warnx("cannot schedule the end of a drain");
			return;
		}
		sd_event_source_set_priority(d->drain_timer, LVSD_PRIO_BULK);
	} else
		sd_event_source_set_time(d->drain_timer, first);
	sd_event_source_set_enabled(d->drain_timer, SD_EVENT_ONESHOT);
}

static int
on_drained(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	lvsd_ipvs_apply(userdata, "drain", NULL, NULL);
	return 0;
}

struct desired_inputs
lvsd_desired_inputs(const struct lvsd *d)
{
	return (struct desired_inputs){
		.cfg = d->cfg, .health = health_state_of, .health_ctx = d,
		.overrides = d->overrides,
	};
}

/* ", dry run" when nothing reaches the kernel, for the log. */
static const char *
dry_note(const struct lvsd *d)
{
	return d->opts->dry_run || d->opts->ipvs_dry_run ? ", dry run" : "";
}

/* The table the director wants now, draining included. */
static struct ipvs_table *
desired_now(struct lvsd *d)
{
	struct desired_inputs in = lvsd_desired_inputs(d);
	struct ipvs_table *t = desired_table(&in);
	drain_schedule(d, drain_merge(&d->drains, t, mono_usec(),
	    d->cfg->global.drain_time));
	announce_table(d, t);
	return t;
}

static void
log_outcome(const struct lvsd *d, const char *why, int r, size_t nsvc,
    size_t ndst, const struct ipvs_apply_stats *st)
{
	if (r < 0) {
		log_warn("%s: cannot update the IPVS table", why);
		return;
	}
	log_info("%s: IPVS table holds %zu service%s, %zu real server%s; "
	    "services +%u ~%u -%u, real servers +%u ~%u -%u (%u message%s%s)",
	    why, nsvc, nsvc == 1 ? "" : "s", ndst, ndst == 1 ? "" : "s",
	    st->svc_added + st->svc_adopted, st->svc_edited, st->svc_removed,
	    st->dst_added, st->dst_edited, st->dst_removed, st->msgs,
	    st->msgs == 1 ? "" : "s", dry_note(d));
	if (st->errors > 0)
		log_warnx("%s: the kernel refused %u change%s (logged above)",
		    why, st->errors, st->errors == 1 ? "" : "s");
}

int
lvsd_ipvs_apply_now(struct lvsd *d, const char *why,
    struct ipvs_apply_stats *out)
{
	lvsd_ipvs_set_timeouts(d);
	struct ipvs_table *t = desired_now(d);
	size_t nsvc = ipvs_table_nservices(t), ndst = ipvs_table_ndests(t);
	struct ipvs_apply_stats st = { 0 };
	int r = ipvs_apply(d->ipvs, t, &st);
	log_outcome(d, why, r, nsvc, ndst, &st);
	announce_applied(d, r, st.errors);
	lvsd_stats_changed(d);
	if (out != NULL)
		*out = st;
	return r;
}

static void
tell(struct waiters *w, int r, const struct ipvs_apply_stats *st)
{
	struct waiter *x;
	while ((x = TAILQ_FIRST(w)) != NULL) {
		TAILQ_REMOVE(w, x, entry);
		if (x->fn != NULL)
			x->fn(x->arg, r, st);
		free(x);
	}
}

static void
begin(struct lvsd *d)
{
	struct lvsd_apply *a = d->apply;
	lvsd_ipvs_set_timeouts(d);
	struct ipvs_table *t = desired_now(d);
	a->nsvc = ipvs_table_nservices(t);
	a->ndst = ipvs_table_ndests(t);
	a->busy = true;
	if (ipvs_apply_start(d->ipvs, t) < 0) {
		struct ipvs_apply_stats st = { 0 };
		a->busy = false;
		log_outcome(d, a->why, -1, a->nsvc, a->ndst, &st);
		announce_applied(d, -1, 0);
		tell(&a->now, -1, &st);
		return;
	}
	sd_event_source_set_enabled(a->step, SD_EVENT_ON);
}

static void
log_resync(int r, const struct ipvs_apply_stats *st)
{
	if (r < 0)
		log_warn("IPVS consistency check failed");
	else if (st->msgs > 0)
		log_warnx("IPVS table had drifted from lvsd's (changed behind its "
		    "back?): restored with %u message%s", st->msgs,
		    st->msgs == 1 ? "" : "s");
}

static void
begin_resync(struct lvsd *d)
{
	struct lvsd_apply *a = d->apply;
	a->resync_after = false;
	if (ipvs_resync_start(d->ipvs) < 0) {
		log_resync(-1, NULL);
		lvsd_ipvs_schedule_resync(d);
		return;
	}
	a->busy = a->resyncing = true;
	sd_event_source_set_enabled(a->step, SD_EVENT_ON);
}

static int
on_step(sd_event_source *s, void *userdata)
{
	struct lvsd *d = userdata;
	struct lvsd_apply *a = d->apply;
	struct ipvs_apply_stats st = { 0 };
	int r = ipvs_apply_continue(d->ipvs, SLICE_SERVICES, &st);
	if (r == 1)
		return 0;
	sd_event_source_set_enabled(s, SD_EVENT_OFF);
	a->busy = false;
	if (a->resyncing) {
		a->resyncing = false;
		log_resync(r, &st);
		lvsd_ipvs_schedule_resync(d);
	} else {
		log_outcome(d, a->why, r, a->nsvc, a->ndst, &st);
		announce_applied(d, r, st.errors);
		tell(&a->now, r, &st);
	}
	lvsd_stats_changed(d);
	if (a->again) {
		a->again = false;
		memcpy(a->why, a->next_why, sizeof(a->why));
		TAILQ_CONCAT(&a->now, &a->later, entry);
		begin(d);
	} else if (a->resync_after) {
		begin_resync(d);
	}
	return 0;
}

static struct lvsd_apply *
apply_state(struct lvsd *d)
{
	if (d->apply != NULL)
		return d->apply;
	struct lvsd_apply *a = xcalloc(1, sizeof(*a));
	TAILQ_INIT(&a->now);
	TAILQ_INIT(&a->later);
	if (sd_event_add_defer(d->event, &a->step, on_step, d) < 0)
		fatalx("cannot add an event source");
	sd_event_source_set_enabled(a->step, SD_EVENT_OFF);
	sd_event_source_set_priority(a->step, LVSD_PRIO_BULK);
	d->apply = a;
	return a;
}

void
lvsd_ipvs_apply(struct lvsd *d, const char *why, lvsd_applied_fn *done,
    void *arg)
{
	struct lvsd_apply *a = apply_state(d);
	struct waiter *w = xcalloc(1, sizeof(*w));
	w->fn = done;
	w->arg = arg;
	if (a->busy && a->resyncing) {
		/* Joins the resync's read of the kernel; it is an apply now,
		 * and the next check comes after it. */
		a->resyncing = false;
		lvsd_ipvs_schedule_resync(d);
		snprintf(a->why, sizeof(a->why), "%s", why);
		TAILQ_INSERT_TAIL(&a->now, w, entry);
		begin(d);
		return;
	}
	if (a->busy) {
		/* The running one started before this request: one more. */
		if (!a->again)
			snprintf(a->next_why, sizeof(a->next_why), "%s", why);
		a->again = true;
		TAILQ_INSERT_TAIL(&a->later, w, entry);
		return;
	}
	snprintf(a->why, sizeof(a->why), "%s", why);
	TAILQ_INSERT_TAIL(&a->now, w, entry);
	begin(d);
}

/*
 * Whether a change of v's servers' health may be applied to v's service
 * alone: nothing else may have to change with it (no drain to start or
 * end, no announcement whose quorum follows the table), and no apply runs
 * (one that runs takes the change when it comes again).
 */
static bool
alone(const struct lvsd *d, const struct lvsd_apply *a)
{
	return !a->busy && d->ipvs != NULL && d->cfg->announce == NULL &&
	    d->cfg->global.drain_time == 0 && drain_count(&d->drains) == 0;
}

void
lvsd_ipvs_apply_virtual(struct lvsd *d, const struct cfg_virtual *v,
    const char *why, lvsd_applied_fn *done, void *arg)
{
	struct lvsd_apply *a = apply_state(d);
	if (!alone(d, a)) {
		lvsd_ipvs_apply(d, why, done, arg);
		return;
	}
	struct desired_inputs in = lvsd_desired_inputs(d);
	struct ipvs_apply_stats st = { 0 };
	int r = ipvs_apply_part(d->ipvs, desired_virtual(&in, v), &st);
	if (r == 1) {
		lvsd_ipvs_apply(d, why, done, arg);
		return;
	}
	if (r < 0 || st.errors > 0)
		log_outcome(d, why, r, a->nsvc, a->ndst, &st);
	else if (st.msgs > 0)
		log_info("%s: virtual %s: real servers +%u ~%u -%u (%u "
		    "message%s%s)", why, v->name, st.dst_added, st.dst_edited,
		    st.dst_removed, st.msgs, st.msgs == 1 ? "" : "s",
		    dry_note(d));
	lvsd_stats_changed(d);
	if (done != NULL)
		done(arg, r, &st);
	if (r < 0)	/* the whole table, the kernel read first */
		lvsd_ipvs_apply(d, why, NULL, NULL);
}

void
lvsd_ipvs_resync(struct lvsd *d)
{
	struct lvsd_apply *a = apply_state(d);
	if (a->busy)
		a->resync_after = true;
	else
		begin_resync(d);
}

void
lvsd_ipvs_apply_stop(struct lvsd *d)
{
	struct lvsd_apply *a = d->apply;
	if (a == NULL)
		return;
	struct ipvs_apply_stats st = { 0 };
	int r = -1;
	/* Finish what runs at once: the stop removes the table after. */
	if (a->busy) {
		while ((r = ipvs_apply_continue(d->ipvs, SIZE_MAX, &st)) == 1)
			;
		if (a->resyncing)
			log_resync(r, &st);
		else
			log_outcome(d, a->why, r, a->nsvc, a->ndst, &st);
	}
	tell(&a->now, r, &st);
	tell(&a->later, -1, &st);
	sd_event_source_disable_unref(a->step);
	free(a);
	d->apply = NULL;
}
