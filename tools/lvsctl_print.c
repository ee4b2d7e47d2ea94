#include "config.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "tools/lvsctl_print.h"

static const char *
str(struct json_object *o, const char *k)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, k, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

static int64_t
num(struct json_object *o, const char *k)
{
	struct json_object *v;
	return json_object_object_get_ex(o, k, &v) ? json_object_get_int64(v) : 0;
}

static struct json_object *
get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;
	json_object_object_get_ex(o, k, &v);
	return v;
}

static void
print_changes(FILE *out, struct json_object *c)
{
	fprintf(out, "services +%lld ~%lld -%lld, real servers +%lld ~%lld -%lld "
	    "(%lld netlink message%s)", (long long)num(c, "services_added"),
	    (long long)num(c, "services_changed"),
	    (long long)num(c, "services_removed"),
	    (long long)num(c, "servers_added"),
	    (long long)num(c, "servers_changed"),
	    (long long)num(c, "servers_removed"),
	    (long long)num(c, "netlink_messages"),
	    num(c, "netlink_messages") == 1 ? "" : "s");
}

static void
print_diag_list(FILE *out, struct json_object *r, const char *key)
{
	struct json_object *a = get(r, key);
	size_t n = a ? json_object_array_length(a) : 0;
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %s\n", json_object_get_string(
		    json_object_array_get_idx(a, i)));
}

static void
print_reload(FILE *out, struct json_object *r, const char *prefix)
{
	time_t t = (time_t)num(r, "time");
	char when[32];
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
	fprintf(out, "%s%s %s at %s", prefix, str(r, "result"), str(r, "file"),
	    when);
	if (get(r, "changes") != NULL) {
		fprintf(out, ": ");
		print_changes(out, get(r, "changes"));
	} else if (get(r, "unchanged") != NULL) {
		fprintf(out, ": unchanged, nothing to apply (%lld file%s, the "
		    "same content; %lld read again)", (long long)num(r, "files"),
		    num(r, "files") == 1 ? "" : "s", (long long)num(r,
		    "read_again"));
	}
	fputc('\n', out);
	struct json_object *ck = get(r, "checks");
	if (ck != NULL)
		fprintf(out, "  health checks: %lld kept running, %lld restarted, "
		    "%lld added, %lld removed\n", (long long)num(ck, "kept"),
		    (long long)num(ck, "restarted"), (long long)num(ck, "added"),
		    (long long)num(ck, "removed"));
	if (str(r, "error") != NULL)
		fprintf(out, "  failed: %s\n", str(r, "error"));
	if (str(r, "state") != NULL && strcmp(str(r, "result"), "applied") != 0)
		fprintf(out, "  lvsd is %s\n", str(r, "state"));
	print_diag_list(out, r, "errors");
	print_diag_list(out, r, "warnings");
}

/* " (unknown-sender 3, other-vrid 1)" after an instance's drop count. */
static void
print_drop_reasons(FILE *out, struct json_object *by)
{
	const char *sep = " (";
	if (by == NULL || !json_object_is_type(by, json_type_object))
		return;
	json_object_object_foreach(by, reason, count) {
		fprintf(out, "%s%s %lld", sep, reason,
		    (long long)json_object_get_int64(count));
		sep = ", ";
	}
	if (sep[0] == ',')
		fputc(')', out);
}

/* The announcement: each address, announced or not and why. */
static void
print_announce(FILE *out, struct json_object *a)
{
	if (a == NULL)
		return;
	fprintf(out, "announcement: table %lld, protocol %lld, device %s\n",
	    (long long)num(a, "table"), (long long)num(a, "protocol"),
	    str(a, "device"));
	struct json_object *v = get(a, "vips");
	size_t n = v ? json_object_array_length(v) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(v, i);
		fprintf(out, "  %-39s %-12s (%s)\n", str(o, "address"),
		    json_object_get_boolean(get(o, "announced")) ? "announced" :
		    "withdrawn", str(o, "why"));
	}
	if (json_object_get_boolean(get(a, "withdrawn"))) {
		time_t at = (time_t)num(a, "withdrawn_at");
		char when[32] = "?";
		struct tm tm;
		if (at > 0 && localtime_r(&at, &tm) != NULL)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(out, "  withdrawn by %s since %s%s%s%s\n",
		    str(a, "withdrawn_by") ? str(a, "withdrawn_by") : "?", when,
		    str(a, "withdrawn_reason") ? " (reason: " : "",
		    str(a, "withdrawn_reason") ? str(a, "withdrawn_reason") : "",
		    str(a, "withdrawn_reason") ? ")" : "");
	}
	if (str(a, "last_error") != NULL)
		fprintf(out, "  last error: %s%s\n", str(a, "last_error"),
		    json_object_get_boolean(get(a, "failing")) ? " (retrying)" : "");
}

static void
print_status(FILE *out, struct json_object *r)
{
	int64_t up = num(r, "uptime_s");
	fprintf(out, "lvsd %s: %s director, up %lldd %02lld:%02lld:%02lld%s\n",
	    str(r, "version"), str(r, "role"), (long long)(up / 86400),
	    (long long)(up / 3600 % 24), (long long)(up / 60 % 60),
	    (long long)(up % 60), json_object_get_boolean(get(r, "ipvs_dry_run")) ?
	    " (IPVS dry run)" : "");
	struct json_object *f = get(r, "failover");
	fprintf(out, "failover: %s, %s\n", str(f, "mode"),
	    json_object_get_boolean(get(f, "active")) ? "active (holds the "
	    "virtual addresses)" : "standby");
	struct json_object *inst = get(f, "instances");
	size_t n = inst ? json_object_array_length(inst) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(inst, i);
		fprintf(out, "  %-16s %-7s adverts sent %lld, received %lld, "
		    "dropped %lld", str(o, "name"), str(o, "state"),
		    (long long)num(o, "adverts_sent"),
		    (long long)num(o, "adverts_received"),
		    (long long)num(o, "dropped"));
		print_drop_reasons(out, get(o, "dropped_by_reason"));
		if (num(o, "address_mismatch") > 0)
			fprintf(out, ", naming other addresses %lld",
			    (long long)num(o, "address_mismatch"));
		fputc('\n', out);
	}
	print_announce(out, get(r, "announce"));
	struct json_object *ps = get(r, "processes");
	if (ps != NULL)
		fprintf(out, "processes: lvsd %lld, failover %lld, checks %lld\n",
		    (long long)num(ps, "parent"), (long long)num(ps, "failover"),
		    (long long)num(ps, "checks"));
	fprintf(out, "virtual services: %lld, real servers: %lld (%lld taking "
	    "traffic)\n", (long long)num(r, "virtual_services"),
	    (long long)num(r, "real_servers"),
	    (long long)num(r, "real_servers_taking_traffic"));
	if (str(r, "overrides_problem") != NULL)
		fprintf(out, "OVERRIDES LOST: %s\n", str(r, "overrides_problem"));
	fprintf(out, "reloads: %lld (%lld not applied)\n", (long long)num(r, "reloads"),
	    (long long)num(r, "reload_failures"));
	if (get(r, "last_reload") != NULL)
		print_reload(out, get(r, "last_reload"), "last reload: ");
}

/* One table row; padding never leaves trailing blanks (empty WHY). */
static void __attribute__((format(printf, 2, 3)))
put_row(FILE *out, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	size_t n = strlen(line);
	while (n > 0 && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(out, "%s\n", line);
}

static void
print_show(FILE *out, struct json_object *r)
{
	fprintf(out, "%-22s %-28s %-6s %7s %7s %9s  %-8s %s\n", "VIRTUAL/SERVER",
	    "SERVICE / REAL SERVER", "FWD", "WEIGHT", "ACTIVE", "INACTIVE",
	    "HEALTH", "WHY");
	struct json_object *svcs = get(r, "virtual_services");
	size_t n = svcs ? json_object_array_length(svcs) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(svcs, i);
		bool active = json_object_get_boolean(get(v, "active"));
		fprintf(out, "%-22s %-28s %s%s\n", str(v, "name"),
		    str(v, "service") ? str(v, "service") : "-",
		    str(v, "scheduler"), active ? "" : " (inactive)");
		struct json_object *ss = get(v, "servers");
		size_t m = ss ? json_object_array_length(ss) : 0;
		for (size_t j = 0; j < m; j++) {
			struct json_object *s = json_object_array_get_idx(ss, j);
			char name[64], addr[80];
			snprintf(name, sizeof(name), "  %s", str(s, "name"));
			snprintf(addr, sizeof(addr), "  -> %s:%lld", str(s, "address"),
			    (long long)num(s, "port"));
			const char *why = str(s, "why");
			put_row(out, "%-22s %-28s %-6s %7lld %7lld %9lld  %-8s %s",
			    name, addr, str(s, "forward"),
			    json_object_get_boolean(get(s, "in_table")) ?
			    (long long)num(s, "effective_weight") : -1LL,
			    (long long)num(s, "active_conns"),
			    (long long)num(s, "inactive_conns"), str(s, "health"),
			    why ? why : "");
		}
	}
	fprintf(out, "(weight -1: not in the kernel table)\n");
}

void
lvsctl_print(FILE *out, const char *command, struct json_object *reply)
{
	if (strcmp(command, "status") == 0)
		print_status(out, reply);
	else if (strcmp(command, "show") == 0)
		print_show(out, reply);
	else if (strcmp(command, "reload") == 0)
		print_reload(out, reply, "");
	else if (strcmp(command, "metrics") == 0)
		fputs(str(reply, "text"), out);
	else if (strcmp(command, "failover") == 0)
		fprintf(out, "released mastership (%s); the backup takes over%s\n",
		    str(reply, "released"), num(reply, "hold_s") > 0 ?
		    ", and this director stays backup for the hold" : "");
	else if (strcmp(command, "drain") == 0)
		fprintf(out, "%s: drained (weight 0: established connections "
		    "finish, no new ones)\n", str(reply, "server"));
	else if (strcmp(command, "disable") == 0)
		fprintf(out, "%s: disabled (out of the table)\n", str(reply, "server"));
	else if (strcmp(command, "enable") == 0)
		fprintf(out, "%s: enabled\n", str(reply, "server"));
	else if (strcmp(command, "withdraw") == 0)
		fprintf(out, "withdrawn: this director's routes leave the "
		    "announcement; the addresses and the table stay\n");
	else if (strcmp(command, "restore") == 0)
		fprintf(out, "restored: the routes health allows are announced "
		    "again\n");
	else
		fprintf(out, "%s\n", json_object_to_json_string_ext(reply,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
}
