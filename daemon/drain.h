/*
 * Draining before deletion (daemon/drain.c): with drain_time set, what
 * leaves the desired table stays in the kernel at weight 0 that long.
 */
#ifndef LVSD_DAEMON_DRAIN_H
#define LVSD_DAEMON_DRAIN_H

#include "ipvs/ipvs.h"

struct lvsd;

/*
 * Called with each new desired table before it is applied: notes what
 * left it since the last one, and adds back (at weight 0) what is still
 * draining.  Schedules the apply that ends the earliest drain.
 */
void drain_merge(struct lvsd *d, struct ipvs_table *next);
void drain_stop(struct lvsd *d);
unsigned drain_count(const struct lvsd *d);

#endif
