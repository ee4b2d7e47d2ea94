/*
 * lvsd's metrics in Prometheus' text exposition format (version 0.0.4),
 * rendered from the replies of the control commands `status` and `show`.
 * One renderer serves `lvsctl metrics` (in the daemon) and lvsd-web's
 * /metrics (from its cache), so the two always agree.
 *
 * Real-server and service series carry the label names of node_exporter's
 * IPVS collector (local_address, local_port, local_mark, proto,
 * remote_address, remote_port) plus lvs.cf's names (virtual, server).
 *
 * The renderer reads the JSON defensively (a missing or mistyped field
 * omits that sample; it never crashes), but callers that got the JSON
 * from outside validate it first (web/snapshot.c) so that nothing is
 * silently dropped.
 */
#ifndef LVSD_LIB_METRICS_TEXT_H
#define LVSD_LIB_METRICS_TEXT_H

#include <stdio.h>

struct json_object;

/* Writes every lvsd_* family to f. */
void lvs_metrics_render(FILE *f, struct json_object *status,
    struct json_object *show);

/* Writes s as a label value: \ " and newline escaped. */
void lvs_metrics_label_value(FILE *f, const char *s);

#endif
