/*
 * The kernel's IPVS counters for show, dump and metrics (daemon/stats.c):
 * read in slices, at most once a second, shared by the requests that wait.
 */
#ifndef LVSD_DAEMON_STATS_H
#define LVSD_DAEMON_STATS_H

#include "ipvs/ipvs.h"

struct lvsd;

/* kernel: the table with counters, or NULL if it could not be read; valid
 * during the call only. */
typedef void lvsd_stats_fn(void *arg, const struct ipvs_table *kernel);

/* Calls fn with counters at most a second old: now, or after a read. */
void lvsd_stats_get(struct lvsd *d, lvsd_stats_fn *fn, void *arg);
/* lvsd changed the table: the next request reads it again. */
void lvsd_stats_changed(struct lvsd *d);
/* Before the IPVS driver closes: a read in progress is dropped, whoever
 * waits is told (NULL). */
void lvsd_stats_stop(struct lvsd *d);

#endif
