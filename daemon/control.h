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

/* Listens on path (mode 0600, or 0660 for group when given). */
int control_open(struct lvsd *d, const char *path, const char *group);
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
/* The answer to call (reply, or NULL and why); frees call.  If the client
 * went away meanwhile, the answer is dropped. */
void control_finish(struct control_call *call, struct json_object *reply,
    const char *why);

/* The replies of `status` and `show` (for metrics). */
struct json_object *control_status(struct lvsd *d);
struct json_object *control_show(struct lvsd *d);

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
