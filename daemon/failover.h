/*
 * Failover, the parent's side (daemon/failover.c): the failover process
 * (daemon/fo_proc.c) and what its role changes drive.
 */
#ifndef LVSD_DAEMON_FAILOVER_H
#define LVSD_DAEMON_FAILOVER_H

#include <stdbool.h>
#include <stddef.h>

struct lvsd;
struct plan;
struct json_object;

/*
 * Starts the failover process on d->plan; lvsd_failover_started() follows
 * once it runs (at once in a dry run).  -1 if it cannot be started.
 */
int failover_start(struct lvsd *d);

/* The answer to failover_prepare: ok, or why not. */
typedef void failover_prepared_fn(void *arg, bool ok, const char *why);
/*
 * Reload, in two steps.  failover_prepare has the failover process do
 * every part of moving to next's settings that can fail (new VRRP
 * instances' sockets, a new heartbeat port, the interfaces of a new
 * mechanism) without changing what runs; fn gets the answer (within a few
 * seconds; no answer counts as a failure).  failover_commit (d->plan is
 * next by then) applies them and cannot fail; failover_abort drops them.
 */
void failover_prepare(struct lvsd *d, const struct plan *next,
    failover_prepared_fn *fn, void *arg);
void failover_commit(struct lvsd *d);
void failover_abort(struct lvsd *d);

/* Releases the addresses (a VRRP master sends priority 0) and stops. */
void failover_stop(struct lvsd *d);
/* "VRRP", "pulse heartbeat", "lone director". */
const char *failover_mode_name(const struct lvsd *d);
/* True while this director holds the (first instance's) addresses. */
bool failover_active(const struct lvsd *d);
/* The failover process's pid (0: none now). */
long failover_process_pid(const struct lvsd *d);

/* The answer to a drill: instances released (-1: refused, with why). */
typedef void failover_drilled_fn(void *arg, int released, const char *why);
/*
 * Planned switchover: the master releases (VRRP priority 0, pulse
 * "stopped") and stays backup for hold_s seconds, once the failover
 * process has found a backup ready to take over (VRRP: a drill query
 * answered; pulse: the partner's heartbeat), or at once with force.
 * Refused with the reason on a lone director, on a backup (saying what
 * it hears), and when no backup is ready; nothing changes then.
 */
void failover_drill(struct lvsd *d, unsigned hold_s, bool force,
    failover_drilled_fn *fn, void *arg);

/*
 * The announcement (PLAN_ANNOUNCE): the addresses to announce (v is
 * copied; kept for a new failover process), and the operator's
 * withdrawal; what the failover process last reported (NULL: nothing).
 */
struct lvs_addr;
struct proto_announced;
void failover_announce(struct lvsd *d, const struct lvs_addr *v, size_t n);
void failover_withdraw(struct lvsd *d, bool withdraw);
const struct proto_announced *failover_announced(const struct lvsd *d);

/* Mode, whether active, and each instance's state and counters. */
struct json_object *failover_status_json(const struct lvsd *d);

#endif
