/*
 * A part of the desired table applied alone (ipvs/ipvs.h): after a health
 * transition only one service's real servers change, and bringing the
 * kernel in line costs that service, not a pass over every desired
 * service (a pass over 10,000 of them for each transition kept the
 * parent busy while thousands of checks came up).
 */
#include "config.h"

#include <string.h>

#include "ipvs/priv.h"

/* Whether the whole table must be applied instead (see ipvs.h). */
static bool
needs_whole(const struct ipvs_driver *drv, const struct ipvs_table *part)
{
	if (drv->phase != IPVS_PHASE_IDLE || drv->desired == NULL ||
	    drv->mirror_stale || drv->need_resync)
		return true;
	const struct ipvs_svc *ps;
	TAILQ_FOREACH(ps, &part->svcs, entry)
		if (ipvs_table_find_service(drv->desired, &ps->conf) == NULL)
			return true;
	return false;
}

/* Puts ps (and its dests) in the desired table in place of its like. */
static const struct ipvs_svc *
replace(struct ipvs_table *desired, const struct ipvs_svc *ps)
{
	ipvs_table_del_service(desired, ipvs_table_find_service(desired,
	    &ps->conf));
	return ipvs_table_add_copy(desired, ps);
}

int
ipvs_apply_part(struct ipvs_driver *drv, struct ipvs_table *part,
    struct ipvs_apply_stats *stats)
{
	if (needs_whole(drv, part)) {
		ipvs_table_free(part);
		return 1;
	}
	memset(&drv->run_st, 0, sizeof(drv->run_st));
	drv->st = &drv->run_st;
	drv->io_failed = false;
	drv->phase = IPVS_PHASE_RECONCILE;
	const struct ipvs_svc *ps;
	TAILQ_FOREACH(ps, &part->svcs, entry)
		ipvs_reconcile_service(drv, replace(drv->desired, ps));
	ipvs_reconcile_settle(drv);
	ipvs_table_free(part);
	/* A refusal that means the mirror may be wrong: the whole table,
	 * with a re-dump first, is the repair. */
	if (drv->need_resync)
		drv->mirror_stale = true;
	int rc = ipvs_apply_end(drv, 0, stats);
	return rc == 0 && drv->mirror_stale ? -1 : rc;
}
