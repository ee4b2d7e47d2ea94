/*
 * Recent events for operators' consoles (daemon/events.c): health
 * transitions, failover role changes, reloads and operator commands, in
 * a fixed ring.  Each event has a sequence number, so a poller asks only
 * for what it has not seen yet (`{"command":"events","since":SEQ}`); the
 * oldest events are overwritten, and a reader that fell behind is told.
 * The ring is process-wide and needs no set-up: the hooks are one call.
 */
#ifndef LVSD_DAEMON_EVENTS_H
#define LVSD_DAEMON_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;
struct lvsd;
struct control_call;

enum event_kind {
	EVENT_HEALTH,		/* a real server UP/DOWN */
	EVENT_VRRP,		/* a VRRP/pulse instance changed role */
	EVENT_RELOAD,		/* a reload applied or rejected */
	EVENT_OPERATOR,		/* drain/disable/enable/failover drill */
};

#define EVENTS_RING	2048	/* events kept */

/* Records one event; NULL strings are empty; long strings are cut. */
void events_record(enum event_kind kind, const char *subject,
    const char *from, const char *to, const char *reason, const char *actor);
/* A checker's event (enum hc_event_kind; UP/DOWN only) for real server
 * label, with the check's reason. */
void events_health(const char *label, bool was_up, int kind,
    const char *reason);
/* A reload's outcome (the JSON that `lvsctl reload` returns). */
void events_reload(struct json_object *outcome);

/*
 * The request's optional "actor" (whom a client acts for: lvsd-web's
 * "web:alice") in actor; 0, or -1 with a sentence in why when it is not a
 * short printable string.  No "actor": fallback.
 */
int events_actor(struct json_object *req, const char *fallback, char *actor,
    size_t len, char *why, size_t whylen);

/* The `events` command: {"since": SEQ} -> the events after SEQ. */
struct json_object *control_events(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen);

/* For tests: forget every event. */
void events_reset(void);

#endif
