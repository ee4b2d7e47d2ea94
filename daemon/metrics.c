/*
 * `lvsctl metrics`: the daemon's state in Prometheus' text format, built
 * from the same data as `status` and `show` so the numbers agree.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/control.h"

static int64_t
get_int(struct json_object *o, const char *k, bool *found)
{
	struct json_object *v;
	*found = json_object_object_get_ex(o, k, &v) && v != NULL;
	return *found ? json_object_get_int64(v) : 0;
}

static const char *
get_str(struct json_object *o, const char *k)
{
	struct json_object *v;
	return json_object_object_get_ex(o, k, &v) && v != NULL ?
	    json_object_get_string(v) : "";
}

/* Label values are names from lvs.cf: words without quotes or newlines. */
static void
metric(FILE *f, const char *name, const char *labels, int64_t value)
{
	fprintf(f, "%s%s%s%s %lld\n", name, labels[0] ? "{" : "", labels,
	    labels[0] ? "}" : "", (long long)value);
}

static void
help(FILE *f, const char *name, const char *type, const char *text)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* Every server counter, one family at a time as the format requires. */
static void
server_family(FILE *f, struct json_object *svcs, const char *key,
    const char *name, const char *type, const char *text)
{
	help(f, name, type, text);
	size_t n = json_object_array_length(svcs);
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(svcs, i);
		struct json_object *servers;
		json_object_object_get_ex(v, "servers", &servers);
		size_t m = json_object_array_length(servers);
		for (size_t j = 0; j < m; j++) {
			struct json_object *s = json_object_array_get_idx(servers, j);
			char labels[512];
			snprintf(labels, sizeof(labels), "virtual=\"%s\",server=\"%s\"",
			    get_str(v, "name"), get_str(s, "name"));
			bool found;
			int64_t val = strcmp(key, "up") == 0 ?
			    strcmp(get_str(s, "health"), "down") != 0 &&
			    strcmp(get_str(s, "health"), "inactive") != 0 :
			    get_int(s, key, &found);
			if (strcmp(key, "up") == 0 || found)
				metric(f, name, labels, val);
		}
	}
}

static void
failover_metrics(FILE *f, struct json_object *status)
{
	struct json_object *fo, *inst;
	json_object_object_get_ex(status, "failover", &fo);
	json_object_object_get_ex(fo, "instances", &inst);
	size_t n = json_object_array_length(inst);
	static const struct { const char *key, *name, *text; } c[] = {
		{ "adverts_sent", "lvsd_failover_adverts_sent_total",
		    "VRRP adverts or heartbeats sent" },
		{ "adverts_received", "lvsd_failover_adverts_received_total",
		    "VRRP adverts or heartbeats accepted" },
		{ "dropped", "lvsd_failover_adverts_dropped_total",
		    "packets dropped (bad peer, auth, TTL, checksum...)" },
		{ "became_master", "lvsd_failover_transitions_to_master_total",
		    "times this director became master" },
	};
	help(f, "lvsd_failover_master", "gauge", "1 while the instance is master");
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(inst, i);
		char labels[128];
		snprintf(labels, sizeof(labels), "instance=\"%s\"", get_str(o, "name"));
		metric(f, "lvsd_failover_master", labels,
		    strcmp(get_str(o, "state"), "MASTER") == 0);
	}
	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		help(f, c[k].name, "counter", c[k].text);
		for (size_t i = 0; i < n; i++) {
			struct json_object *o = json_object_array_get_idx(inst, i);
			char labels[128];
			bool found;
			snprintf(labels, sizeof(labels), "instance=\"%s\"",
			    get_str(o, "name"));
			metric(f, c[k].name, labels, get_int(o, c[k].key, &found));
		}
	}
}

struct json_object *
control_metrics(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	(void)req;
	(void)call;
	(void)why;
	(void)whylen;
	struct json_object *status = control_status(d);
	struct json_object *show = control_show(d);
	struct json_object *svcs;
	json_object_object_get_ex(show, "virtual_services", &svcs);
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	bool found;
	help(f, "lvsd_reloads_total", "counter", "configuration reloads");
	metric(f, "lvsd_reloads_total", "", get_int(status, "reloads", &found));
	help(f, "lvsd_reload_failures_total", "counter", "reloads rejected");
	metric(f, "lvsd_reload_failures_total", "",
	    get_int(status, "reload_failures", &found));
	failover_metrics(f, status);
	server_family(f, svcs, "up", "lvsd_real_server_up", "gauge",
	    "1 while the real server passes its health check");
	server_family(f, svcs, "effective_weight", "lvsd_real_server_weight",
	    "gauge", "weight lvsd gives the real server in IPVS");
	server_family(f, svcs, "transitions",
	    "lvsd_real_server_health_transitions_total", "counter",
	    "UP/DOWN transitions");
	server_family(f, svcs, "active_conns", "lvsd_real_server_active_connections",
	    "gauge", "established connections (IPVS)");
	server_family(f, svcs, "conns", "lvsd_real_server_connections_total",
	    "counter", "connections scheduled to the server (IPVS)");
	server_family(f, svcs, "inpkts", "lvsd_real_server_in_packets_total",
	    "counter", "packets to the server (IPVS)");
	server_family(f, svcs, "outpkts", "lvsd_real_server_out_packets_total",
	    "counter", "packets from the server (IPVS)");
	server_family(f, svcs, "inbytes", "lvsd_real_server_in_bytes_total",
	    "counter", "bytes to the server (IPVS)");
	server_family(f, svcs, "outbytes", "lvsd_real_server_out_bytes_total",
	    "counter", "bytes from the server (IPVS)");
	fclose(f);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "text", json_object_new_string_len(buf, (int)len));
	free(buf);
	json_object_put(status);
	json_object_put(show);
	return o;
}
