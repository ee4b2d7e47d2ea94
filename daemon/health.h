/*
 * Real-server health as the parent knows it (daemon/health.c): the checks
 * run in the health-check process (daemon/hc_proc.c); this side sends it
 * the plan's check settings, one message per checker that starts, changes
 * or stops, keeps the last state and status each reported, and brings the
 * kernel in line when one changes.
 *
 * Health outlives configuration generations and health processes: a
 * reload keeps the state of every server still configured and leaves a
 * checker whose settings did not change running; a new health process
 * (after one died) starts every checker from the state the parent knew,
 * so the table keeps its weights until fresh results say otherwise.
 */
#ifndef LVSD_DAEMON_HEALTH_H
#define LVSD_DAEMON_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/desired.h"
#include "daemon/plan.h"
#include "healthcheck/hc.h"

struct lvsd;

/* One real server of the running plan. */
struct rs_health {
	char *id;			/* "VIRTUAL/SERVER", the table key */
	const struct plan_check *check;	/* in d->plan; NULL: unchecked */
	struct rs_state state;
	bool known;			/* a result arrived */
	uint64_t checks, transitions;	/* as the health process reported */
	char *last_result;		/* of the last check (NULL: none yet) */
	bool kept;			/* carried into the next table */
};

/* What a reload did to the checkers. */
struct health_changes {
	unsigned kept;			/* same settings: left running */
	unsigned restarted;		/* new settings, state carried over */
	unsigned added, removed;
};

/* Starts the health-check process and a checker per server of d->plan. */
int health_start(struct lvsd *d);
/* After a reload (d->plan is the new one, old the previous). */
void health_reconfigure(struct lvsd *d, const struct plan *old,
    struct health_changes *out);
void health_stop(struct lvsd *d);
/* The health of the server with identity id, or NULL (not in the plan). */
const struct rs_health *health_get(const struct lvsd *d, const char *id);
/* The daemon's health view, for desired_inputs. */
desired_health_fn health_state_of;
/* The health-check process's pid (0: none now), for status. */
long health_process_pid(const struct lvsd *d);

#endif
