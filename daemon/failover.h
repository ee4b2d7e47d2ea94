/* Failover in the daemon (daemon/failover.c). */
#ifndef LVSD_DAEMON_FAILOVER_H
#define LVSD_DAEMON_FAILOVER_H

#include <stdbool.h>
#include <stddef.h>

struct lvsd;
struct plan;
struct json_object;

/* Starts VRRP, pulse or the lone director's hold on d->plan's addresses. */
int failover_start(struct lvsd *d);
/*
 * Reload, in two steps.  failover_prepare does every part of moving to
 * next's settings that can fail (new VRRP instances' sockets, a new
 * heartbeat port, the interfaces of a new mechanism) and changes nothing
 * that runs; -1 with a sentence in why.  failover_commit (d->plan is next
 * by then; old is the plan it replaced) applies them and cannot fail: the
 * same mechanism keeps its state, a different one replaces it.
 * failover_abort drops a prepared reload.
 */
int failover_prepare(struct lvsd *d, const struct plan *next, char *why,
    size_t whylen);
void failover_commit(struct lvsd *d, const struct plan *old);
void failover_abort(struct lvsd *d);
/* Releases the addresses (a VRRP master sends priority 0) and stops. */
void failover_stop(struct lvsd *d);
/* "VRRP", "pulse heartbeat", "lone director". */
const char *failover_mode_name(const struct lvsd *d);
/* True while this director holds the (first instance's) addresses. */
bool failover_active(const struct lvsd *d);
/*
 * Planned switchover: the master releases (VRRP priority 0, pulse
 * "stopped") and stays backup for hold_s seconds.  -1 with a sentence in
 * why when it cannot (not master, lone director).
 */
int failover_drill(struct lvsd *d, unsigned hold_s, char *why, size_t whylen);

/* Mode, whether active, and each instance's state and counters. */
struct json_object *failover_status_json(const struct lvsd *d);

#endif
