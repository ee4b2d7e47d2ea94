/* Failover in the daemon (daemon/failover.c). */
#ifndef LVSD_DAEMON_FAILOVER_H
#define LVSD_DAEMON_FAILOVER_H

#include <stdbool.h>
#include <stddef.h>

struct lvsd;
struct json_object;

/* Starts VRRP, pulse or the lone director's hold on the addresses. */
int failover_start(struct lvsd *d);
/* After a reload: new settings, state kept where the mechanism is the same. */
int failover_reconfigure(struct lvsd *d);
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
