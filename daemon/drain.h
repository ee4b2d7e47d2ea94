/*
 * Draining before deletion (daemon/drain.c): with drain_time set, a real
 * server that leaves the desired table stays in the kernel at weight 0
 * that long, so established connections finish.  Plain data and a pure
 * function of the tables and the clock; the daemon owns the timer.
 */
#ifndef LVSD_DAEMON_DRAIN_H
#define LVSD_DAEMON_DRAIN_H

#include <stdint.h>
#include <sys/queue.h>

#include "ipvs/ipvs.h"

struct drain;

struct drain_state {
	TAILQ_HEAD(, drain) list;	/* servers at weight 0 until a deadline */
	struct ipvs_table *last;	/* the last desired table, kept while
					   drain_time is set */
};

void drain_init(struct drain_state *ds);
/*
 * Called with each new desired table before it is applied (now: CLOCK_
 * MONOTONIC us; drain_ms: lvs.cf's drain_time).  Notes what left the table
 * since the last one, and adds back (at weight 0) what is still draining.
 * Returns the earliest deadline still pending, or UINT64_MAX: the caller
 * applies again then, to remove what drained.
 */
uint64_t drain_merge(struct drain_state *ds, struct ipvs_table *next,
    uint64_t now, uint32_t drain_ms);
/* Forgets every drain and the last table. */
void drain_clear(struct drain_state *ds);
unsigned drain_count(const struct drain_state *ds);

#endif
