/*
 * Prometheus text format from the `status` and `show` replies.  The
 * format wants each family's samples together, so the label sets of every
 * service and real server are formatted once, then each family walks them.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/metrics_text.h"
#include "lib/xalloc.h"

static struct json_object *
field(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

static const char *
str_field(struct json_object *o, const char *k)
{
	struct json_object *v = field(o, k);
	return json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "";
}

static size_t
arr_len(struct json_object *a)
{
	return json_object_is_type(a, json_type_array) ?
	    json_object_array_length(a) : 0;
}

static struct json_object *
arr_at(struct json_object *a, size_t i)
{
	return json_object_array_get_idx(a, i);
}

void
lvs_metrics_label_value(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void
label(FILE *f, bool first, const char *name, const char *value)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", name);
	lvs_metrics_label_value(f, value);
	fputc('"', f);
}

static void
help(FILE *f, const char *name, const char *type, const char *text)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* One sample: name{labels} value (value an integer or a double). */
static void
sample(FILE *f, const char *name, const char *labels, struct json_object *v)
{
	if (json_object_is_type(v, json_type_double))
		fprintf(f, "%s%s%s%s %.6g\n", name, labels[0] ? "{" : "", labels,
		    labels[0] ? "}" : "", json_object_get_double(v));
	else
		fprintf(f, "%s%s%s%s %lld\n", name, labels[0] ? "{" : "", labels,
		    labels[0] ? "}" : "", (long long)json_object_get_int64(v));
}

static void
sample_int(FILE *f, const char *name, const char *labels, int64_t v)
{
	fprintf(f, "%s%s%s%s %lld\n", name, labels[0] ? "{" : "", labels,
	    labels[0] ? "}" : "", (long long)v);
}

/* ---- label sets ---------------------------------------------------------- */

/*
 * virtual, [server,] then node_exporter's names: proto in capitals, FWM
 * for a firewall mark (no address, port 0), [remote_address, remote_port].
 */
static void
endpoint_labels(FILE *f, struct json_object *v, struct json_object *srv)
{
	char port[16], mark[16], proto[16];
	int64_t fwmark = json_object_get_int64(field(v, "fwmark"));
	snprintf(port, sizeof(port), "%lld",
	    (long long)json_object_get_int64(field(v, "port")));
	snprintf(mark, sizeof(mark), "%lld", (long long)fwmark);
	snprintf(proto, sizeof(proto), "%s", fwmark ? "FWM" :
	    str_field(v, "protocol"));
	for (char *p = proto; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	label(f, true, "virtual", str_field(v, "name"));
	if (srv != NULL)
		label(f, false, "server", str_field(srv, "name"));
	label(f, false, "local_address", fwmark ? "" : str_field(v, "address"));
	label(f, false, "local_port", fwmark ? "0" : port);
	label(f, false, "local_mark", fwmark ? mark : "");
	label(f, false, "proto", proto);
	if (srv != NULL) {
		snprintf(port, sizeof(port), "%lld",
		    (long long)json_object_get_int64(field(srv, "port")));
		label(f, false, "remote_address", str_field(srv, "address"));
		label(f, false, "remote_port", port);
	}
}

struct row {
	struct json_object *o;		/* the service or real server */
	char *labels;
};

struct rows {
	struct row *v;
	size_t n;
};

static char *
labels_of(struct json_object *svc, struct json_object *srv)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		abort();
	endpoint_labels(f, svc, srv);
	fclose(f);
	return buf;
}

static void
rows_build(struct json_object *svcs, struct rows *services,
    struct rows *servers)
{
	size_t nsvc = arr_len(svcs), nsrv = 0;
	for (size_t i = 0; i < nsvc; i++)
		nsrv += arr_len(field(arr_at(svcs, i), "servers"));
	services->v = xcalloc(nsvc + 1, sizeof(struct row));
	servers->v = xcalloc(nsrv + 1, sizeof(struct row));
	services->n = servers->n = 0;
	for (size_t i = 0; i < nsvc; i++) {
		struct json_object *v = arr_at(svcs, i);
		services->v[services->n++] = (struct row){ v, labels_of(v, NULL) };
		struct json_object *ss = field(v, "servers");
		for (size_t j = 0; j < arr_len(ss); j++)
			servers->v[servers->n++] = (struct row){ arr_at(ss, j),
			    labels_of(v, arr_at(ss, j)) };
	}
}

static void
rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].labels);
	free(r->v);
}

/* ---- families --------------------------------------------------------- */

enum value_kind { V_FIELD, V_BOOL, V_UP, V_DRAIN, V_DISABLE, V_TAKING };

struct family {
	const char *name, *type, *key;
	enum value_kind kind;
	const char *help;
};

static const struct family server_families[] = {
	{ "lvsd_real_server_up", "gauge", NULL, V_UP, "1 while the real server "
	    "passes its health check (or is not checked), 0 when down or inactive" },
	{ "lvsd_real_server_weight", "gauge", "effective_weight", V_FIELD,
	    "weight lvsd gives the real server (after health and overrides)" },
	{ "lvsd_real_server_configured_weight", "gauge", "weight", V_FIELD,
	    "weight in lvs.cf" },
	{ "lvsd_real_server_in_table", "gauge", "in_table", V_BOOL,
	    "1 while lvsd keeps the real server in the IPVS table" },
	{ "lvsd_real_server_drained", "gauge", NULL, V_DRAIN,
	    "1 while an operator has drained the real server" },
	{ "lvsd_real_server_disabled", "gauge", NULL, V_DISABLE,
	    "1 while an operator has disabled the real server" },
	{ "lvsd_real_server_health_checks_total", "counter", "checks", V_FIELD,
	    "health checks run" },
	{ "lvsd_real_server_health_transitions_total", "counter", "transitions",
	    V_FIELD, "UP/DOWN transitions" },
	{ "lvsd_ipvs_backend_weight", "gauge", "kernel_weight", V_FIELD,
	    "weight of the real server in the IPVS table" },
	{ "lvsd_ipvs_backend_connections_active", "gauge", "active_conns",
	    V_FIELD, "established connections (IPVS)" },
	{ "lvsd_ipvs_backend_connections_inactive", "gauge", "inactive_conns",
	    V_FIELD, "other connections (IPVS)" },
	{ "lvsd_ipvs_backend_connections_total", "counter", "conns", V_FIELD,
	    "connections scheduled to the real server (IPVS)" },
	{ "lvsd_ipvs_backend_incoming_packets_total", "counter", "inpkts",
	    V_FIELD, "packets from clients to the real server (IPVS)" },
	{ "lvsd_ipvs_backend_outgoing_packets_total", "counter", "outpkts",
	    V_FIELD, "packets from the real server to clients (IPVS)" },
	{ "lvsd_ipvs_backend_incoming_bytes_total", "counter", "inbytes",
	    V_FIELD, "bytes from clients to the real server (IPVS)" },
	{ "lvsd_ipvs_backend_outgoing_bytes_total", "counter", "outbytes",
	    V_FIELD, "bytes from the real server to clients (IPVS)" },
};

static const struct family service_families[] = {
	{ "lvsd_virtual_service_active", "gauge", "active", V_BOOL,
	    "1 if the virtual service is active in lvs.cf" },
	{ "lvsd_virtual_service_servers_taking_traffic", "gauge", NULL, V_TAKING,
	    "real servers with a weight above 0 in the table" },
	{ "lvsd_ipvs_service_connections_total", "counter", "conns", V_FIELD,
	    "connections to the virtual service (IPVS)" },
	{ "lvsd_ipvs_service_incoming_packets_total", "counter", "inpkts",
	    V_FIELD, "packets from clients (IPVS)" },
	{ "lvsd_ipvs_service_outgoing_packets_total", "counter", "outpkts",
	    V_FIELD, "packets to clients (IPVS)" },
	{ "lvsd_ipvs_service_incoming_bytes_total", "counter", "inbytes",
	    V_FIELD, "bytes from clients (IPVS)" },
	{ "lvsd_ipvs_service_outgoing_bytes_total", "counter", "outbytes",
	    V_FIELD, "bytes to clients (IPVS)" },
};

static bool
is_int(struct json_object *v)
{
	return json_object_is_type(v, json_type_int);
}

/* The value of family fam for o; false: no sample (e.g. not in the kernel). */
static bool
value_of(const struct family *fam, struct json_object *o, int64_t *out)
{
	const char *health = str_field(o, "health");
	const char *ov = str_field(o, "override");
	struct json_object *v = fam->key != NULL ? field(o, fam->key) : NULL;
	switch (fam->kind) {
	case V_FIELD:
		*out = json_object_get_int64(v);
		return is_int(v);
	case V_BOOL:
		*out = json_object_get_boolean(v);
		return json_object_is_type(v, json_type_boolean);
	case V_UP:
		*out = strcmp(health, "down") != 0 && strcmp(health, "inactive") != 0;
		return true;
	case V_DRAIN:
		*out = strcmp(ov, "drain") == 0;
		return true;
	case V_DISABLE:
		*out = strcmp(ov, "disable") == 0;
		return true;
	case V_TAKING: {
		struct json_object *ss = field(o, "servers");
		*out = 0;
		for (size_t j = 0; j < arr_len(ss); j++) {
			struct json_object *s = arr_at(ss, j);
			*out += json_object_get_boolean(field(s, "in_table")) &&
			    json_object_get_int64(field(s, "effective_weight")) > 0;
		}
		return true;
	}
	}
	return false;
}

static void
families(FILE *f, const struct family *fams, size_t nfams,
    const struct rows *rows)
{
	for (size_t k = 0; k < nfams; k++) {
		help(f, fams[k].name, fams[k].type, fams[k].help);
		for (size_t i = 0; i < rows->n; i++) {
			int64_t v;
			if (value_of(&fams[k], rows->v[i].o, &v))
				sample_int(f, fams[k].name, rows->v[i].labels, v);
		}
	}
}

/* ---- the daemon and failover ------------------------------------------ */

static void
process_metrics(FILE *f, struct json_object *status)
{
	char labels[256];
	char *p;
	size_t len;
	FILE *l = open_memstream(&p, &len);
	if (l == NULL)
		abort();
	label(l, true, "version", str_field(status, "version"));
	label(l, false, "role", str_field(status, "role"));
	fclose(l);
	snprintf(labels, sizeof(labels), "%s", p);
	free(p);
	help(f, "lvsd_build_info", "gauge", "version and role of this director");
	sample_int(f, "lvsd_build_info", labels, 1);
	help(f, "lvsd_uptime_seconds", "gauge", "seconds since lvsd started");
	sample(f, "lvsd_uptime_seconds", "", field(status, "uptime_s"));
	static const struct { const char *key, *name, *type, *text; } pm[] = {
		{ "rss_bytes", "lvsd_process_resident_memory_bytes", "gauge",
		    "resident memory of lvsd" },
		{ "cpu_seconds", "lvsd_process_cpu_seconds_total", "counter",
		    "CPU time lvsd used (user and system)" },
		{ "open_fds", "lvsd_process_open_fds", "gauge",
		    "file descriptors lvsd holds" },
	};
	struct json_object *proc = field(status, "process");
	for (size_t i = 0; i < sizeof(pm) / sizeof(pm[0]); i++) {
		struct json_object *v = field(proc, pm[i].key);
		if (v == NULL)
			continue;
		help(f, pm[i].name, pm[i].type, pm[i].text);
		sample(f, pm[i].name, "", v);
	}
}

static void
reload_metrics(FILE *f, struct json_object *status)
{
	help(f, "lvsd_reloads_total", "counter", "configuration reloads");
	sample(f, "lvsd_reloads_total", "", field(status, "reloads"));
	help(f, "lvsd_reload_failures_total", "counter", "reloads rejected");
	sample(f, "lvsd_reload_failures_total", "",
	    field(status, "reload_failures"));
	help(f, "lvsd_overrides_lost", "gauge", "1 when the operator overrides "
	    "saved on disk could not be read at start (see lvsctl status)");
	sample_int(f, "lvsd_overrides_lost", "",
	    field(status, "overrides_problem") != NULL);
	struct json_object *last = field(status, "last_reload");
	help(f, "lvsd_last_reload_success", "gauge",
	    "0 if the last reload was rejected or failed (1 before any reload)");
	sample_int(f, "lvsd_last_reload_success", "", last == NULL ||
	    strcmp(str_field(last, "result"), "applied") == 0);
	if (last != NULL) {
		help(f, "lvsd_last_reload_timestamp_seconds", "gauge",
		    "when the last reload was tried (Unix time)");
		sample(f, "lvsd_last_reload_timestamp_seconds", "",
		    field(last, "time"));
	}
}

static void
instance_labels(char *buf, size_t len, struct json_object *o,
    const char *state)
{
	char *p;
	size_t n;
	FILE *l = open_memstream(&p, &n);
	if (l == NULL)
		abort();
	label(l, true, "instance", str_field(o, "name"));
	if (state != NULL)
		label(l, false, "state", state);
	fclose(l);
	snprintf(buf, len, "%s", p);
	free(p);
}

/* Drops by reason (vrrp_drop_name's names), for the alerts worth having:
 * unknown-sender is a host speaking VRRP that lvs.cf does not name. */
static void
drop_reason_metrics(FILE *f, struct json_object *inst)
{
	static const char name[] = "lvsd_failover_dropped_by_reason_total";
	help(f, name, "counter", "VRRP adverts or heartbeats dropped, by "
	    "reason (e.g. unknown-sender, bad-ttl, other-vrid)");
	for (size_t i = 0; i < arr_len(inst); i++) {
		struct json_object *by = field(arr_at(inst, i), "dropped_by_reason");
		if (by == NULL || !json_object_is_type(by, json_type_object))
			continue;
		json_object_object_foreach(by, reason, count) {
			char *p;
			size_t n;
			FILE *l = open_memstream(&p, &n);
			if (l == NULL)
				abort();
			label(l, true, "instance", str_field(arr_at(inst, i),
			    "name"));
			label(l, false, "reason", reason);
			fclose(l);
			sample(f, name, p, count);
			free(p);
		}
	}
}

static void
failover_metrics(FILE *f, struct json_object *status)
{
	static const char *const states[] = { "INIT", "BACKUP", "MASTER", "FAULT" };
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
	struct json_object *fo = field(status, "failover");
	struct json_object *inst = field(fo, "instances");
	size_t n = arr_len(inst);
	char labels[256];
	help(f, "lvsd_failover_active", "gauge",
	    "1 while this director holds the virtual addresses");
	sample_int(f, "lvsd_failover_active", "",
	    json_object_get_boolean(field(fo, "active")));
	help(f, "lvsd_failover_master", "gauge", "1 while the instance is master");
	for (size_t i = 0; i < n; i++) {
		instance_labels(labels, sizeof(labels), arr_at(inst, i), NULL);
		sample_int(f, "lvsd_failover_master", labels,
		    strcmp(str_field(arr_at(inst, i), "state"), "MASTER") == 0);
	}
	help(f, "lvsd_failover_state", "gauge",
	    "1 for the instance's current state, 0 for the others");
	for (size_t i = 0; i < n; i++)
		for (size_t s = 0; s < sizeof(states) / sizeof(states[0]); s++) {
			instance_labels(labels, sizeof(labels), arr_at(inst, i),
			    states[s]);
			sample_int(f, "lvsd_failover_state", labels, strcmp(
			    str_field(arr_at(inst, i), "state"), states[s]) == 0);
		}
	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		help(f, c[k].name, "counter", c[k].text);
		for (size_t i = 0; i < n; i++) {
			instance_labels(labels, sizeof(labels), arr_at(inst, i), NULL);
			sample(f, c[k].name, labels, field(arr_at(inst, i), c[k].key));
		}
	}
	drop_reason_metrics(f, inst);
}

/* An `announce` block: each address announced or not, the withdrawal. */
static void
announce_metrics(FILE *f, struct json_object *status)
{
	struct json_object *a = field(status, "announce");
	if (a == NULL)
		return;
	struct json_object *vips = field(a, "vips");
	help(f, "lvsd_vip_announced", "gauge", "1 while this director "
	    "announces the virtual address (its route is in the table)");
	for (size_t i = 0; i < arr_len(vips); i++) {
		char *p;
		size_t n;
		FILE *l = open_memstream(&p, &n);
		if (l == NULL)
			abort();
		label(l, true, "vip", str_field(arr_at(vips, i), "address"));
		fclose(l);
		sample_int(f, "lvsd_vip_announced", p, json_object_get_boolean(
		    field(arr_at(vips, i), "announced")));
		free(p);
	}
	help(f, "lvsd_announce_withdrawn", "gauge",
	    "1 while the operator has withdrawn this director (lvsctl withdraw)");
	sample_int(f, "lvsd_announce_withdrawn", "",
	    json_object_get_boolean(field(a, "withdrawn")));
	help(f, "lvsd_announce_failures_total", "counter",
	    "route or address changes the kernel refused or lost");
	sample_int(f, "lvsd_announce_failures_total", "",
	    json_object_get_int64(field(a, "failures")));
}

void
lvs_metrics_render(FILE *f, struct json_object *status,
    struct json_object *show)
{
	process_metrics(f, status);
	reload_metrics(f, status);
	failover_metrics(f, status);
	announce_metrics(f, status);
	struct rows services, servers;
	rows_build(field(show, "virtual_services"), &services, &servers);
	families(f, service_families, sizeof(service_families) /
	    sizeof(service_families[0]), &services);
	families(f, server_families, sizeof(server_families) /
	    sizeof(server_families[0]), &servers);
	rows_free(&services);
	rows_free(&servers);
}
