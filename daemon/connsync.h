/*
 * IPVS connection synchronisation between the directors (syncdaemon = 1):
 * the kernel's sync daemons, both ways on every director, and lvsd's
 * connection handoff as a director stops forwarding.  Embedded in the
 * failover state; every function is a no-op without syncdaemon.
 */
#ifndef LVSD_DAEMON_CONNSYNC_H
#define LVSD_DAEMON_CONNSYNC_H

#include <stdbool.h>
#include <systemd/sd-event.h>

#include "ipvs/ipvs.h"

struct lvsd;

struct connsync {
	struct lvsd *d;
	struct ipvs_sync_conf conf;	/* the daemons running (ifname "": none) */
	uint32_t maxlen;		/* the master's syncd_maxlen */
	bool handed_off;		/* since this director last became active */
	struct ipvs_handoff *handoff;	/* a handoff in progress, */
	sd_event_source *step;		/* and its steps on the loop */
};

/* Starts the master and backup daemons as d's configuration says. */
void connsync_start(struct connsync *cs, struct lvsd *d);
/* After a reload: restarts the daemons if their settings changed. */
void connsync_reconfigure(struct connsync *cs, struct lvsd *d);
/* This director became active: a later release hands over again. */
void connsync_active(struct connsync *cs);
/*
 * This director stopped forwarding (its addresses are gone): sends its
 * live connections to the peer's backup daemon, in steps on the loop.
 * Once per period of activity.  why goes in the log.
 */
void connsync_handoff(struct connsync *cs, const char *why);
/* Ends a handoff in progress (at once) and stops the daemons. */
void connsync_stop(struct connsync *cs);

#endif
