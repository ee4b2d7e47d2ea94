#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ipvs/priv.h"
#include "lib/log.h"

/*
 * The apply and the resync as one state machine, driven in slices by
 * ipvs_apply_continue (or to the end by the blocking ipvs_apply and
 * ipvs_resync):
 *
 *   IDLE --apply_start--> [DUMP] --> RECONCILE --> IDLE
 *   IDLE --resync_start-> DUMP ----> RECONCILE --> IDLE
 *
 * DUMP reads the kernel's table into a fresh mirror (a resync; after a
 * failure that left the mirror untrusted; once after errors that mean it
 * may be wrong), a bounded number of services per slice; RECONCILE sends
 * the difference between the newest desired table and the mirror, a
 * bounded number of desired services per slice.  Each slice's requests
 * are sent and acknowledged before it returns.
 *
 * Nothing lvsd does changes the kernel's table during DUMP (the only
 * writer is RECONCILE), so a dump in progress is never thrown away: an
 * apply started meanwhile replaces the desired table and joins it, and
 * its reconcile starts from the fresh mirror.  An apply started during
 * RECONCILE restarts the reconcile with its table (what was sent stays
 * sent and is in the mirror); a resync started then re-dumps first.
 */

static void
reconcile_open(struct ipvs_driver *drv)
{
	drv->need_resync = false;
	drv->io_failed = false;
	ipvs_reconcile_begin(drv, drv->desired);
	drv->phase = IPVS_PHASE_RECONCILE;
}

/* Starts a pass: with dump, the kernel is read first. */
static int
pass_begin(struct ipvs_driver *drv, bool dump)
{
	if (!dump || drv->opts.dry_run) {
		reconcile_open(drv);
		return 0;
	}
	if (!drv->force)
		log_warnx("IPVS: table out of sync: re-dumping the kernel");
	drv->st->resyncs++;
	/* Until a dump succeeds the mirror cannot be trusted. */
	drv->mirror_stale = true;
	if (ipvs_dumper_begin(drv, &drv->redump, drv->mirror->nsvc) == -1)
		return -1;
	drv->phase = IPVS_PHASE_DUMP;
	return 0;
}

/*
 * A finished re-dump becomes the mirror, keeping what lvsd manages and
 * the labels.  Managed services the kernel lost are still in the desired
 * table, so the reconcile that follows re-creates them.
 */
static void
install_redump(struct ipvs_driver *drv)
{
	struct ipvs_table *fresh = drv->redump.t;
	struct ipvs_svc *s;

	drv->redump.t = NULL;
	ipvs_carry_mirror(drv->mirror, fresh, false);
	TAILQ_FOREACH(s, &drv->mirror->svcs, entry) {
		if (!s->managed || s->broken ||
		    ipvs_table_find_service(fresh, &s->conf) != NULL)
			continue;
		log_info("IPVS: a service lvsd manages vanished from the kernel: "
		    "%s", s->label != NULL ? s->label : "(unnamed)");
	}
	ipvs_table_free(drv->mirror);
	drv->mirror = fresh;
	drv->mirror_stale = false;
}

int
ipvs_apply_end(struct ipvs_driver *drv, int rc, struct ipvs_apply_stats *stats)
{
	ipvs_dumper_abandon(&drv->redump);
	/* The file lists the managed services only: rewritten (10,000 lines)
	 * when a pass may have changed that set, not for every weight. */
	const struct ipvs_apply_stats *st = drv->st;
	if (rc == 0 && drv->state_file != NULL && !drv->opts.dry_run &&
	    (!drv->state_current || st == NULL || st->svc_added +
	    st->svc_adopted + st->svc_removed + st->errors + st->resyncs > 0))
		drv->state_current = ipvs_state_write(drv->state_file,
		    drv->mirror) == 0;
	if (rc == 0 && drv->io_failed) {
		drv->mirror_stale = true;
		rc = -1;
	}
	drv->phase = IPVS_PHASE_IDLE;
	if (stats != NULL)
		*stats = drv->run_st;
	drv->st = NULL;
	return rc;
}

static int
run_start(struct ipvs_driver *drv, bool force)
{
	if (drv->phase == IPVS_PHASE_DUMP) {
		/* Join the read in progress (see above); a resync's single
		 * re-dump is this one. */
		if (force) {
			drv->force = true;
			drv->pass = 1;
		}
		return 0;
	}
	memset(&drv->run_st, 0, sizeof(drv->run_st));
	drv->st = &drv->run_st;
	drv->force = force;
	drv->pass = force ? 1 : 0;	/* a resync is the one re-dump */
	return pass_begin(drv, force || drv->mirror_stale);
}

int
ipvs_apply_start(struct ipvs_driver *drv, struct ipvs_table *desired)
{
	ipvs_table_free(drv->desired);
	drv->desired = desired;
	if (run_start(drv, false) == -1) {
		ipvs_apply_end(drv, -1, NULL);
		return -1;
	}
	return 0;
}

int
ipvs_resync_start(struct ipvs_driver *drv)
{
	if (run_start(drv, true) == -1) {
		ipvs_apply_end(drv, -1, NULL);
		return -1;
	}
	return 0;
}

static int
progress(struct ipvs_driver *drv, struct ipvs_apply_stats *stats)
{
	if (stats != NULL)
		*stats = drv->run_st;
	return 1;
}

int
ipvs_apply_continue(struct ipvs_driver *drv, size_t budget,
    struct ipvs_apply_stats *stats)
{
	if (drv->phase == IPVS_PHASE_IDLE) {
		if (stats != NULL)
			*stats = drv->run_st;
		return 0;
	}
	drv->st = &drv->run_st;
	if (budget == 0)
		budget = 1;
	if (drv->phase == IPVS_PHASE_DUMP) {
		int rc = ipvs_dumper_step(drv, &drv->redump, budget);
		if (rc == -1)
			return ipvs_apply_end(drv, -1, stats);
		if (rc == 0) {
			install_redump(drv);
			reconcile_open(drv);
		}
		return progress(drv, stats);
	}
	if (!ipvs_reconcile_step(drv, budget))
		return progress(drv, stats);
	/* After errors that mean the mirror may be wrong: re-dump and
	 * reconcile once more, never more (a kernel that keeps refusing
	 * must not turn an apply into a loop). */
	if (drv->need_resync && drv->pass == 0) {
		drv->pass = 1;
		if (pass_begin(drv, true) == -1)
			return ipvs_apply_end(drv, -1, stats);
		return progress(drv, stats);
	}
	return ipvs_apply_end(drv, 0, stats);
}

static int
run_all(struct ipvs_driver *drv, struct ipvs_apply_stats *stats)
{
	int rc;

	while ((rc = ipvs_apply_continue(drv, SIZE_MAX, stats)) == 1)
		;
	return rc;
}

int
ipvs_apply(struct ipvs_driver *drv, struct ipvs_table *desired,
    struct ipvs_apply_stats *stats)
{
	if (ipvs_apply_start(drv, desired) == -1) {
		if (stats != NULL)
			*stats = drv->run_st;
		return -1;
	}
	return run_all(drv, stats);
}

int
ipvs_resync(struct ipvs_driver *drv, struct ipvs_apply_stats *stats)
{
	if (ipvs_resync_start(drv) == -1) {
		if (stats != NULL)
			*stats = drv->run_st;
		return -1;
	}
	return run_all(drv, stats);
}

bool
ipvs_apply_busy(const struct ipvs_driver *drv)
{
	return drv->phase != IPVS_PHASE_IDLE;
}
