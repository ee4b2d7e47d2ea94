/*
 * Real-server health in the daemon (daemon/health.c): the checkers of the
 * running configuration and the last state each reported.
 */
#ifndef LVSD_DAEMON_HEALTH_H
#define LVSD_DAEMON_HEALTH_H

#include <stdbool.h>

#include "cfg/cfg.h"
#include "healthcheck/hc.h"

struct lvsd;

/* One real server of the running configuration. */
struct rs_health {
	struct lvsd *daemon;
	char *label;			/* "VIRTUAL/SERVER", the table key */
	struct hc_checker *checker;	/* NULL: `check = none` or not startable */
	bool up;
	int dyn_weight;			/* from the check program, -1 = none */
};

/* Starts the engine and a checker per active real server. */
int health_start(struct lvsd *d);
/* After a reload: checkers for the new generation, state carried over. */
void health_reconfigure(struct lvsd *d);
void health_stop(struct lvsd *d);
/* The health of s (NULL if it has none: inactive service or server). */
const struct rs_health *health_lookup(const struct lvsd *d,
    const struct cfg_virtual *v, const struct cfg_server *s);
/* Brings the kernel in line soon, once for any number of calls. */
void health_schedule_apply(struct lvsd *d);

#endif
