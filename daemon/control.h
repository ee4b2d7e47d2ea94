/*
 * The control socket (daemon/control.c) and its commands
 * (daemon/control_cmds.c, daemon/metrics.c).  Protocol: one JSON object
 * per line; a request has "command" and that command's arguments; a reply
 * has "ok" and either the result or "error".
 */
#ifndef LVSD_DAEMON_CONTROL_H
#define LVSD_DAEMON_CONTROL_H

#include <stddef.h>

struct lvsd;
struct json_object;

struct access_policy;
struct access_peer;

/* Listens on path (open to all local users; roles per connection). */
int control_open(struct lvsd *d, const char *path,
    const struct access_policy *p);
/* After a reload: the groups of the new lvs.cf. */
void control_set_policy(struct lvsd *d, const struct access_policy *p);
void control_close(struct lvsd *d);

/* A request whose answer comes later. */
struct control_call;
/* What a command returns when it answers later, through control_finish. */
#define CONTROL_LATER ((struct json_object *)(void *)1)

/*
 * Runs command: the reply object, or NULL with a sentence in why, or
 * CONTROL_LATER, in which case the command owns call and answers through
 * control_finish (the client reads no other request meanwhile).
 */
struct json_object *control_dispatch(struct lvsd *d, const char *command,
    struct json_object *req, struct control_call *call, char *why,
    size_t whylen);
/* Who made the request (NULL: lvsd itself). */
const struct access_peer *control_call_peer(const struct control_call *call);
/* The answer to call (reply, or NULL and why); frees call.  If the client
 * went away meanwhile, the answer is dropped. */
void control_finish(struct control_call *call, struct json_object *reply,
    const char *why);

/* The replies of `status` and `show` (show with the kernel's counters,
 * NULL when they could not be read). */
struct ipvs_table;
struct json_object *control_status(struct lvsd *d);
struct json_object *control_show(struct lvsd *d,
    const struct ipvs_table *kernel);
/* Answers call with build's reply once the kernel's counters are read
 * (daemon/stats.c: at most a second old); returns CONTROL_LATER. */
typedef struct json_object *control_stats_fn(struct lvsd *d,
    const struct ipvs_table *kernel);
struct json_object *control_with_stats(struct lvsd *d,
    struct control_call *call, control_stats_fn *build);

/* `metrics`: Prometheus text exposition in {"text": ...}. */
struct json_object *control_metrics(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen);

/* daemon/metrics.c: what `show` adds to each service for the metrics'
 * labels (address, port, protocol or fwmark), the IPVS counters (conns,
 * packets, bytes, rates) and the process' health. */
struct ipvs_service;
struct ipvs_counters;
void metrics_add_service_keys(struct json_object *o,
    const struct ipvs_service *svc);
void metrics_add_counters(struct json_object *o, const struct ipvs_counters *c);
struct json_object *metrics_process_json(void);

#endif
