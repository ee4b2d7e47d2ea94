/*
 * The messages between lvsd's processes (framing: lib/msg.h).
 *
 *   parent <-> failover process	PF_* (parent to failover), FP_* (back)
 *   parent <-> health process		PH_* (parent to health), HP_* (back)
 *
 * Each side checks the other's first message (a HELLO with the version)
 * and every message's shape; a malformed one ends the connection with a
 * log line naming the process and the message.  Encoders and decoders live
 * beside the data they carry: daemon/proto_failover.c, proto_health.c.
 * HACKING.md lists every message with its fields.
 */
#ifndef LVSD_DAEMON_PROTO_H
#define LVSD_DAEMON_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/plan.h"
#include "healthcheck/hc.h"
#include "lib/msg.h"
#include "vrrp/vrrp.h"

/* Bumped with any change of a message's fields. */
#define PROTO_VERSION	4

/* What every child learns first (PF_HELLO, PH_HELLO). */
struct proto_hello {
	uint32_t version;		/* PROTO_VERSION */
	bool syslog;			/* log to syslog, else stderr */
	bool debug;
	bool dry_run;			/* failover: touch no address */
	int32_t nice;			/* failover: scheduling niceness */
	uint32_t rt_priority;		/* failover: SCHED_RR priority, 0: none */
	uint32_t max_children;		/* health: programs at once */
	uint32_t kill_grace_ms;		/* health: TERM -> KILL */
	char user[64];			/* health: script_user ("": stay) */
	bool icmp;			/* health: an ICMP check runs */
	bool programs;			/* health: check programs run */
};

enum {
	/* parent -> failover */
	PF_HELLO = 1,		/* proto_hello */
	PF_START,		/* plan_failover + names to resume as master */
	PF_PREPARE,		/* plan_failover: reload, step 1 */
	PF_COMMIT,		/* reload, step 2 */
	PF_ABORT,		/* drop a prepared reload */
	PF_DRILL,		/* u32 hold seconds, bool force */
	PF_STOP,		/* release the addresses and exit */
	PF_ANNOUNCE,		/* count, addr each: the addresses to announce */
	PF_WITHDRAW,		/* bool: withdraw (true) or restore (false) */
	/* failover -> parent */
	FP_STARTED = 64,	/* bool ok, string why */
	FP_PREPARED,		/* bool ok, string why */
	FP_ROLE,		/* string instance, u8 old, u8 new, u8 reason */
	FP_STATS,		/* count, then per instance: see proto_stats */
	FP_DRILLED,		/* i32 released (-1: refused), string why */
	FP_ANNOUNCED,		/* proto_announced: what the routes are */
};

enum {
	/* parent -> health */
	PH_HELLO = 1,		/* proto_hello */
	PH_CHECK,		/* string id, hc_check_config, proto_rs_state */
	PH_REMOVE,		/* string id */
	/* health -> parent */
	HP_EVENT = 64,		/* string id, u8 kind, i32 weight, string reason,
				   string line (to log once the table follows) */
	HP_STATUS,		/* count, then proto_check_status each */
};

/* One instance's state and counters (FP_STATS). */
struct proto_stats {
	char name[VRRP_NAME_MAX];
	enum vrrp_state state;
	struct vrrp_stats stats;
};

/* What the parent knows of a server's health (PH_CHECK), so a checker
 * (re)started by a reload or a new health process goes on from it. */
struct proto_rs_state {
	bool known;			/* a result had arrived */
	bool up;
	int32_t dyn_weight;
};

/* What `lvsctl show` prints of a checker (HP_STATUS). */
struct proto_check_status {
	char *id;
	uint64_t checks, transitions;
	char last_result[HC_RESULT_MAX];
};

/* The announcement as the failover process applied it (FP_ANNOUNCED). */
struct proto_announced_vip {
	struct lvs_addr addr;
	bool held, announced;
};
struct proto_announced {
	bool withdrawn;
	bool failing;			/* a change failed; retrying */
	uint64_t failures, routes_added, routes_removed;
	char last_error[160];
	struct proto_announced_vip *vips;	/* sorted by address */
	size_t nvips;
};

void proto_hello_put(struct msg_out *o, uint8_t type,
    const struct proto_hello *h);
int proto_hello_get(struct msg_in *in, struct proto_hello *h);

/* ---- failover (daemon/proto_failover.c) ----------------------------- */

/* A whole failover plan; decoded into f (plan_failover_clear frees it). */
void proto_failover_put(struct msg_out *o, const struct plan_failover *f);
int proto_failover_get(struct msg_in *in, struct plan_failover *f);
void proto_role_put(struct msg_out *o, const char *instance,
    enum vrrp_state old, enum vrrp_state new, enum vrrp_reason reason);
int proto_role_get(struct msg_in *in, char *instance, size_t len,
    enum vrrp_state *old, enum vrrp_state *new, enum vrrp_reason *reason);
void proto_stats_put(struct msg_out *o, const struct proto_stats *s,
    size_t n);
/* *s: a new array of *n entries (the caller frees it). */
int proto_stats_get(struct msg_in *in, struct proto_stats **s, size_t *n);

/* PF_ANNOUNCE: addresses (*v: a new array, the caller frees it). */
void proto_announce_put(struct msg_out *o, const struct lvs_addr *v,
    size_t n);
int proto_announce_get(struct msg_in *in, struct lvs_addr **v, size_t *n);
void proto_announced_put(struct msg_out *o, const struct proto_announced *a);
/* a->vips is a new array (proto_announced_clear frees it). */
int proto_announced_get(struct msg_in *in, struct proto_announced *a);
void proto_announced_clear(struct proto_announced *a);

/* ---- health (daemon/proto_health.c) --------------------------------- */

void proto_check_put(struct msg_out *o, const char *id,
    const struct hc_check_config *c, const struct proto_rs_state *st);
/* *id is a new string; c is filled (hc_check_config_clear frees it). */
int proto_check_get(struct msg_in *in, char **id, struct hc_check_config *c,
    struct proto_rs_state *st);
void proto_event_put(struct msg_out *o, const char *id,
    const struct hc_event *ev);
/* *id, *reason and *line (the transition's log line) are new strings. */
int proto_event_get(struct msg_in *in, char **id, enum hc_event_kind *kind,
    int *weight, char **reason, char **line);
void proto_status_put(struct msg_out *o, const struct proto_check_status *s,
    size_t n);
int proto_status_get(struct msg_in *in, struct proto_check_status **s,
    size_t *n);
void proto_status_free(struct proto_check_status *s, size_t n);
/*
 * The same one checker at a time (no array of 10,000 texts): begin with
 * how many follow, add each, msg_end().  last_result "" says "as in the
 * last status".
 */
void proto_status_begin(struct msg_out *o, size_t n);
void proto_status_add(struct msg_out *o, const struct proto_check_status *s);
/* Longest identity ("VIRTUAL/SERVER") with its NUL, and room to spare. */
#define PROTO_ID_MAX 256
/* Each entry of HP_STATUS to fn as it is read (its id valid during the
 * call); 0, or -1 when the message is bad (the entries before were
 * passed on). */
typedef void proto_status_fn(void *arg, const struct proto_check_status *s);
int proto_status_each(struct msg_in *in, proto_status_fn *fn, void *arg);

#endif
