/*
 * Real-server health in the daemon (daemon/health.c): a checker per real
 * server of the running plan and the state each reported last.  Health
 * outlives configuration generations: a reload keeps the state of every
 * server still configured, and a checker whose settings did not change
 * keeps running untouched (same schedule, same check in flight).
 */
#ifndef LVSD_DAEMON_HEALTH_H
#define LVSD_DAEMON_HEALTH_H

#include <stdbool.h>

#include "daemon/desired.h"
#include "daemon/plan.h"
#include "healthcheck/hc.h"

struct lvsd;

/* One real server of the running plan. */
struct rs_health {
	struct lvsd *daemon;
	char *id;			/* "VIRTUAL/SERVER", the table key */
	struct hc_checker *checker;	/* NULL: `check = none` or not startable */
	struct rs_state state;
	bool kept;			/* carried into the next table */
};

/* What a reload did to the checkers. */
struct health_changes {
	unsigned kept;			/* same settings: left running */
	unsigned restarted;		/* new settings, state carried over */
	unsigned added, removed;
};

/* Starts the engine and a checker per real server of d->plan. */
int health_start(struct lvsd *d);
/* After a reload (d->plan is the new one): checkers follow by identity. */
void health_reconfigure(struct lvsd *d, struct health_changes *out);
void health_stop(struct lvsd *d);
/* The health of the server with identity id, or NULL (not in the plan). */
const struct rs_health *health_get(const struct lvsd *d, const char *id);
/* The daemon's health view, for desired_inputs. */
desired_health_fn health_state_of;
/* Brings the kernel in line soon, once for any number of calls. */
void health_schedule_apply(struct lvsd *d);

#endif
