/*
 * `lvsctl metrics`: the daemon's state in Prometheus' text format, built
 * by lib/metrics_text.c from the replies of `status` and `show`, the same
 * renderer lvsd-web uses for /metrics.  Also what those replies carry for
 * it: each service's key and the IPVS counters, and the process' health.
 */
#include "config.h"

#include <dirent.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/control.h"
#include "ipvs/ipvs.h"
#include "lib/metrics_text.h"

void
metrics_add_service_keys(struct json_object *o, const struct ipvs_service *svc)
{
	char a[LVS_ADDRSTRLEN];
	const char *proto = svc->protocol == IPPROTO_UDP ? "udp" :
	    svc->protocol == IPPROTO_SCTP ? "sctp" : "tcp";
	if (svc->fwmark != 0) {
		json_object_object_add(o, "fwmark",
		    json_object_new_int64(svc->fwmark));
		return;
	}
	json_object_object_add(o, "address",
	    json_object_new_string(addr_fmt(&svc->addr, a)));
	json_object_object_add(o, "port", json_object_new_int(svc->port));
	json_object_object_add(o, "protocol", json_object_new_string(proto));
}

void
metrics_add_counters(struct json_object *o, const struct ipvs_counters *c)
{
	static const struct { const char *key; size_t off; } k[] = {
		{ "conns", offsetof(struct ipvs_counters, conns) },
		{ "inpkts", offsetof(struct ipvs_counters, inpkts) },
		{ "outpkts", offsetof(struct ipvs_counters, outpkts) },
		{ "inbytes", offsetof(struct ipvs_counters, inbytes) },
		{ "outbytes", offsetof(struct ipvs_counters, outbytes) },
		{ "cps", offsetof(struct ipvs_counters, cps) },
		{ "inbps", offsetof(struct ipvs_counters, inbps) },
		{ "outbps", offsetof(struct ipvs_counters, outbps) },
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		uint64_t v;
		memcpy(&v, (const char *)c + k[i].off, sizeof(v));
		json_object_object_add(o, k[i].key, json_object_new_int64(
		    (int64_t)(v > INT64_MAX ? INT64_MAX : v)));
	}
}

/* Resident memory, CPU time and open descriptors, from /proc/self. */
struct json_object *
metrics_process_json(void)
{
	struct json_object *o = json_object_new_object();
	FILE *f = fopen("/proc/self/stat", "r");
	unsigned long utime, stime;
	long rss;
	if (f != NULL && fscanf(f, "%*d (%*[^)]) %*c %*d %*d %*d %*d %*d %*u "
	    "%*u %*u %*u %*u %lu %lu %*d %*d %*d %*d %*d %*d %*u %*u %ld",
	    &utime, &stime, &rss) == 3) {
		long hz = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
		json_object_object_add(o, "cpu_seconds", json_object_new_double(
		    (double)(utime + stime) / (double)(hz > 0 ? hz : 100)));
		json_object_object_add(o, "rss_bytes",
		    json_object_new_int64((int64_t)rss * page));
	}
	if (f != NULL)
		fclose(f);
	DIR *dir = opendir("/proc/self/fd");
	if (dir != NULL) {
		int64_t n = -1;		/* the directory's own descriptor */
		const struct dirent *e;
		while ((e = readdir(dir)) != NULL)
			n += e->d_name[0] != '.';
		closedir(dir);
		json_object_object_add(o, "open_fds", json_object_new_int64(n));
	}
	return o;
}

static struct json_object *
metrics_text(struct lvsd *d, const struct ipvs_table *kernel)
{
	struct json_object *status = control_status(d);
	struct json_object *show = control_show(d, kernel);
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		abort();
	lvs_metrics_render(f, status, show);
	fclose(f);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "text", json_object_new_string_len(buf, (int)len));
	free(buf);
	json_object_put(status);
	json_object_put(show);
	return o;
}

struct json_object *
control_metrics(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	(void)req;
	(void)why;
	(void)whylen;
	return control_with_stats(d, call, metrics_text);
}
