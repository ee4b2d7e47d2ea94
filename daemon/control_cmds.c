/*
 * What lvsctl can ask: status, show, drain/disable/enable, failover,
 * reload, dump, metrics.  Each command is a table entry and a function
 * that builds the JSON reply (or returns NULL with a sentence for the
 * operator).
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/access.h"
#include "daemon/announce.h"
#include "daemon/control.h"
#include "daemon/desired.h"
#include "daemon/events.h"
#include "daemon/failover.h"
#include "daemon/health.h"
#include "daemon/lvsd.h"
#include "daemon/override.h"
#include "daemon/stats.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"

typedef struct json_object *command_fn(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen);

static void
add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

static void
add_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static const char *
override_word(enum override_kind k)
{
	return k == OVERRIDE_NONE ? "none" : k == OVERRIDE_DRAIN ? "drain" :
	    k == OVERRIDE_WITHDRAW ? "withdraw" : "disable";
}

/* ---- status ------------------------------------------------------------- */

static struct json_object *
cmd_status(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	(void)req;
	(void)call;
	(void)why;
	(void)whylen;
	struct json_object *o = json_object_new_object();
	add_str(o, "version", PACKAGE_VERSION);
	add_str(o, "role", node_role_name(d->role));
	add_str(o, "config", d->opts->config_path);
	add_int(o, "uptime_s", (int64_t)((mono_usec() - d->started_usec) / 1000000));
	json_object_object_add(o, "failover", failover_status_json(d));
	struct json_object *ann = announce_status_json(d);
	if (ann != NULL)
		json_object_object_add(o, "announce", ann);
	unsigned nsvc = 0, nrs = 0, up = 0;
	struct desired_inputs in = lvsd_desired_inputs(d);
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &d->cfg->virtuals, entry) {
		if (!v->active)
			continue;
		nsvc++;
		const struct cfg_server *s;
		TAILQ_FOREACH(s, &v->servers, entry) {
			nrs++;
			up += desired_weight(&in, v, s) > 0;
		}
	}
	add_int(o, "virtual_services", nsvc);
	add_int(o, "real_servers", nrs);
	add_int(o, "real_servers_taking_traffic", up);
	add_int(o, "reloads", d->reloads);
	add_int(o, "reload_failures", d->reload_failures);
	add_str(o, "overrides_problem", overrides_problem(d->overrides));
	json_object_object_add(o, "last_reload", json_object_get(d->last_reload));
	json_object_object_add(o, "ipvs_dry_run",
	    json_object_new_boolean(d->opts->dry_run || d->opts->ipvs_dry_run));
	json_object_object_add(o, "process", metrics_process_json());
	struct json_object *p = json_object_new_object();
	add_int(p, "parent", (int64_t)getpid());
	add_int(p, "failover", failover_process_pid(d));
	add_int(p, "checks", health_process_pid(d));
	json_object_object_add(o, "processes", p);
	return o;
}

/* ---- show --------------------------------------------------------------- */

static const char *const fwd_words[] = { "nat", "direct", "tunnel" };

static const struct ipvs_dst *
kernel_dest(const struct ipvs_table *k, const struct ipvs_svc *ks,
    const struct cfg_server *s)
{
	if (k == NULL || ks == NULL)
		return NULL;
	const struct ipvs_dst *e = NULL;
	while ((e = ipvs_svc_next_dest(ks, e)) != NULL) {
		const struct ipvs_dest *c = ipvs_dst_conf(e);
		if (addr_eq(&c->addr, &s->address) && c->port == s->port)
			return e;
	}
	return NULL;
}

static struct json_object *
server_json(const struct lvsd *d, const struct cfg_virtual *v,
    const struct cfg_server *s, const struct ipvs_dest *kd)
{
	struct json_object *o = json_object_new_object();
	char a[LVS_ADDRSTRLEN];
	add_str(o, "name", s->name);
	add_str(o, "address", addr_fmt(&s->address, a));
	add_int(o, "port", s->port);
	add_str(o, "forward", fwd_words[s->network]);
	add_int(o, "weight", s->weight);
	struct desired_inputs in = lvsd_desired_inputs(d);
	int w = desired_weight(&in, v, s);
	add_int(o, "effective_weight", w < 0 ? 0 : w);
	json_object_object_add(o, "in_table", json_object_new_boolean(w >= 0));
	enum override_kind ov = override_get(d->overrides, s->id);
	const struct rs_health *h = v->active ? health_get(d, s->id) : NULL;
	/* What the health process last reported of its checker. */
	const struct rs_health *hs = h != NULL && h->check != NULL ? h : NULL;
	const char *health = !s->active ? "inactive" : h == NULL ? "none" :
	    h->check == NULL ? "not checked" : h->state.up ? "up" : "down";
	add_str(o, "health", health);
	add_str(o, "last_check", hs != NULL && hs->known ? hs->last_result :
	    NULL);
	if (hs != NULL) {
		add_int(o, "checks", (int64_t)hs->checks);
		add_int(o, "transitions", (int64_t)hs->transitions);
	}
	char reason[300];
	int64_t at = 0;
	const char *by = override_by(d->overrides, s->id, &at);
	if (ov != OVERRIDE_NONE && by != NULL) {
		char when[32];
		time_t t = (time_t)at;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", localtime(&t));
		snprintf(reason, sizeof(reason), "%s by %s, %s", ov ==
		    OVERRIDE_DRAIN ? "drained" : "disabled", by, when);
	} else if (ov != OVERRIDE_NONE)
		snprintf(reason, sizeof(reason), "%s", override_name(ov));
	else if (!s->active)
		snprintf(reason, sizeof(reason), "active = 0 in lvs.cf");
	else if (h != NULL && !h->state.up)
		snprintf(reason, sizeof(reason), "down: %s", hs && hs->known &&
		    hs->last_result != NULL ? hs->last_result :
		    "no check passed yet");
	else
		reason[0] = '\0';
	add_str(o, "why", reason[0] ? reason : NULL);
	add_str(o, "override", ov == OVERRIDE_NONE ? NULL : override_word(ov));
	if (ov != OVERRIDE_NONE && by != NULL) {
		add_str(o, "override_by", by);
		add_int(o, "override_at", at);
	}
	/* What the kernel (or, in a dry run, lvsd's mirror of it) holds. */
	json_object_object_add(o, "in_kernel", json_object_new_boolean(kd != NULL));
	if (kd != NULL) {
		add_int(o, "kernel_weight", kd->weight);
		add_int(o, "active_conns", kd->active_conns);
		add_int(o, "inactive_conns", kd->inact_conns);
		metrics_add_counters(o, &kd->stats);
	}
	return o;
}

/* kernel: the counters (daemon/stats.c), NULL when they could not be read. */
struct json_object *
control_show(struct lvsd *d, const struct ipvs_table *kernel)
{
	struct json_object *list = json_object_new_array();
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &d->cfg->virtuals, entry) {
		struct json_object *o = json_object_new_object();
		add_str(o, "name", v->name);
		json_object_object_add(o, "active", json_object_new_boolean(v->active));
		add_str(o, "scheduler", cfg_schedulers[v->scheduler]);
		add_int(o, "persistent", v->persistent);
		struct ipvs_service svc;
		char buf[IPVS_SVCSTRLEN];
		desired_service(v, &svc);
		add_str(o, "service", ipvs_service_fmt(&svc, buf));
		metrics_add_service_keys(o, &svc);
		const struct ipvs_svc *ks = v->active && kernel != NULL ?
		    ipvs_table_find_service(kernel, &svc) : NULL;
		if (ks != NULL)
			metrics_add_counters(o, &ipvs_svc_conf(ks)->stats);
		struct json_object *servers = json_object_new_array();
		const struct cfg_server *s;
		TAILQ_FOREACH(s, &v->servers, entry) {
			const struct ipvs_dst *kd = kernel_dest(kernel, ks, s);
			json_object_array_add(servers, server_json(d, v, s,
			    kd ? ipvs_dst_conf(kd) : NULL));
		}
		json_object_object_add(o, "servers", servers);
		json_object_array_add(list, o);
	}
	struct json_object *r = json_object_new_object();
	json_object_object_add(r, "virtual_services", list);
	return r;
}

/* ---- drain / disable / enable ------------------------------------------- */

/* The server "VIRTUAL/SERVER" names in the running configuration, or
 * NULL with why. */
static const struct cfg_server *
find_server(struct lvsd *d, struct json_object *req, char *why, size_t whylen)
{
	struct json_object *t;
	if (!json_object_object_get_ex(req, "server", &t) ||
	    !json_object_is_type(t, json_type_string)) {
		snprintf(why, whylen, "expected \"server\": \"VIRTUAL/SERVER\"");
		return NULL;
	}
	const char *label = json_object_get_string(t);
	const char *slash = strchr(label, '/');
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &d->cfg->virtuals, entry) {
		if (slash == NULL || strlen(v->name) != (size_t)(slash - label) ||
		    strncmp(v->name, label, (size_t)(slash - label)) != 0)
			continue;
		const struct cfg_server *s;
		TAILQ_FOREACH(s, &v->servers, entry)
			if (strcmp(s->name, slash + 1) == 0)
				return s;
		snprintf(why, whylen, "virtual `%s` has no server `%s`", v->name,
		    slash + 1);
		return NULL;
	}
	snprintf(why, whylen, "no real server `%s` (expected VIRTUAL/SERVER "
	    "as named in %s)", label, d->opts->config_path);
	return NULL;
}

/* The reply to an override, once the kernel holds it. */
struct override_reply {
	struct control_call *call;
	struct json_object *reply;
};

static void
override_applied(void *arg, int rc, const struct ipvs_apply_stats *st)
{
	struct override_reply *o = arg;
	add_int(o->reply, "netlink_messages", st->msgs);
	if (rc < 0)
		add_str(o->reply, "warning", "the kernel's table could not be "
		    "updated (see the daemon's log)");
	control_finish(o->call, o->reply, NULL);
	free(o);
}

/*
 * Who changes state, as stored with an override and in events: the
 * peer's user name, from the kernel; when a client acting for someone
 * else names them (lvsd-web's "web:alice"), "web:alice via lvsd-web".
 * A client's word alone is never taken for who it is.
 */
static int
request_actor(const struct control_call *call, struct json_object *req,
    char *actor, size_t len, char *why, size_t whylen)
{
	const struct access_peer *p = control_call_peer(call);
	const char *user = p != NULL ? p->user : "lvsd";
	char claimed[72];
	if (events_actor(req, user, claimed, sizeof(claimed), why, whylen) < 0)
		return -1;
	if (strcmp(claimed, user) == 0)
		snprintf(actor, len, "%s", user);
	else
		snprintf(actor, len, "%s via %s", claimed, user);
	return 0;
}

/* The full description of who asked, for the log. */
static const char *
request_who(const struct control_call *call)
{
	const struct access_peer *p = control_call_peer(call);
	return p != NULL ? p->who : "lvsd";
}

static struct json_object *
set_override(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen, enum override_kind k)
{
	const struct cfg_server *srv = find_server(d, req, why, whylen);
	char actor[ACCESS_ACTOR_MAX];
	if (srv == NULL || request_actor(call, req, actor, sizeof(actor), why,
	    whylen) < 0)
		return NULL;
	const char *label = srv->id;
	enum override_kind was = override_get(d->overrides, label);
	if (override_set(d->overrides, label, k, actor) < 0) {
		snprintf(why, whylen, "could not save the override (see the "
		    "daemon's log); nothing changed");
		return NULL;
	}
	log_info("operator: %s %s by %s [%s]", label, k == OVERRIDE_NONE ?
	    "enabled" : k == OVERRIDE_DRAIN ? "drained" : "disabled", actor,
	    request_who(call));
	events_record(EVENT_OPERATOR, label, override_word(was),
	    override_word(k), NULL, actor);
	struct override_reply *o = xcalloc(1, sizeof(*o));
	o->call = call;
	o->reply = json_object_new_object();
	add_str(o->reply, "server", label);
	add_str(o->reply, "override", override_word(k));
	lvsd_ipvs_apply(d, "operator", override_applied, o);
	return CONTROL_LATER;
}

static struct json_object *
cmd_drain(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	return set_override(d, req, call, why, whylen, OVERRIDE_DRAIN);
}

static struct json_object *
cmd_disable(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	return set_override(d, req, call, why, whylen, OVERRIDE_DISABLE);
}

static struct json_object *
cmd_enable(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	return set_override(d, req, call, why, whylen, OVERRIDE_NONE);
}

/* ---- withdraw, restore: the announcement --------------------------------- */

#define REASON_MAX	200

/*
 * The director out of the routers' ECMP (its routes withdrawn, the
 * addresses and the table kept), or back; saved as the "director"
 * override so a restart keeps it.
 */
static struct json_object *
set_withdrawn(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen, bool withdraw)
{
	if (d->cfg->announce == NULL) {
		snprintf(why, whylen, "no `announce` block in %s: this director "
		    "announces no routes", d->opts->config_path);
		return NULL;
	}
	struct json_object *t;
	const char *reason = NULL;
	if (json_object_object_get_ex(req, "reason", &t)) {
		reason = json_object_get_string(t);
		if (!json_object_is_type(t, json_type_string) ||
		    strlen(reason) > REASON_MAX) {
			snprintf(why, whylen, "\"reason\": expected a string of "
			    "at most %d characters", REASON_MAX);
			return NULL;
		}
	}
	char actor[ACCESS_ACTOR_MAX];
	if (request_actor(call, req, actor, sizeof(actor), why, whylen) < 0)
		return NULL;
	bool was = announce_withdrawn(d);
	if (override_set_reason(d->overrides, OVERRIDE_DIRECTOR, withdraw ?
	    OVERRIDE_WITHDRAW : OVERRIDE_NONE, actor, withdraw ? reason :
	    NULL) < 0) {
		snprintf(why, whylen, "could not save the override (see the "
		    "daemon's log); nothing changed");
		return NULL;
	}
	log_info("operator: announcement %s by %s [%s]%s%s", withdraw ?
	    "withdrawn" : "restored", actor, request_who(call),
	    reason != NULL ? ": " : "", reason != NULL ? reason : "");
	events_record(EVENT_OPERATOR, OVERRIDE_DIRECTOR, was ? "withdrawn" :
	    "announced", withdraw ? "withdrawn" : "announced", reason, actor);
	announce_withdrawn_changed(d);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "withdrawn", json_object_new_boolean(withdraw));
	add_str(o, "reason", withdraw ? reason : NULL);
	return o;
}

static struct json_object *
cmd_withdraw(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	return set_withdrawn(d, req, call, why, whylen, true);
}

static struct json_object *
cmd_restore(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	return set_withdrawn(d, req, call, why, whylen, false);
}

/* ---- failover, reload, dump -------------------------------------------- */

struct drill_reply {
	struct lvsd *d;
	struct control_call *call;
	int64_t hold;
	bool force;
	char actor[ACCESS_ACTOR_MAX];
	char who[sizeof(((struct access_peer *)0)->who)];
};

static void
drilled(void *arg, int released, const char *why)
{
	struct drill_reply *r = arg;
	struct json_object *o = NULL;
	if (released > 0) {
		log_info("operator: failover drill (hold %lld s%s) by %s [%s]",
		    (long long)r->hold, r->force ? ", forced" : "", r->actor,
		    r->who);
		events_record(EVENT_OPERATOR, failover_mode_name(r->d), "MASTER",
		    "BACKUP", "failover drill", r->actor);
		o = json_object_new_object();
		add_str(o, "released", failover_mode_name(r->d));
		add_int(o, "hold_s", r->hold);
	}
	control_finish(r->call, o, why);
	free(r);
}

static struct json_object *
cmd_failover(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	struct json_object *t;
	int64_t hold = 0;
	if (json_object_object_get_ex(req, "hold", &t)) {
		hold = json_object_get_int64(t);
		if (!json_object_is_type(t, json_type_int) || hold < 0 ||
		    hold > 86400) {
			snprintf(why, whylen, "\"hold\": expected seconds from 0 "
			    "to 86400");
			return NULL;
		}
	}
	bool force = false;
	if (json_object_object_get_ex(req, "force", &t)) {
		if (!json_object_is_type(t, json_type_boolean)) {
			snprintf(why, whylen, "\"force\": expected true or false");
			return NULL;
		}
		force = json_object_get_boolean(t);
	}
	struct drill_reply *r = xcalloc(1, sizeof(*r));
	if (request_actor(call, req, r->actor, sizeof(r->actor), why,
	    whylen) < 0) {
		free(r);
		return NULL;
	}
	snprintf(r->who, sizeof(r->who), "%s", request_who(call));
	r->d = d;
	r->call = call;
	r->hold = hold;
	r->force = force;
	failover_drill(d, (unsigned)hold, force, drilled, r);
	return CONTROL_LATER;
}

static const char *
get_string(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) ?
	    json_object_get_string(v) : "";
}

struct reload_reply {
	struct lvsd *d;
	struct control_call *call;
};

static void
reloaded(void *arg, struct json_object *r)
{
	struct reload_reply *rr = arg;
	const char *result = get_string(r, "result");
	if (strcmp(result, "applied") == 0) {
		control_finish(rr->call, r, NULL);
		free(rr);
		return;
	}
	/* The reply is an error: what failed, what runs now, every error
	 * (at most CFG_MAX_ERRORS and the line saying so). */
	char *why;
	size_t len;
	FILE *f = open_memstream(&why, &len);
	if (strcmp(result, "failed") == 0)
		fprintf(f, "%s: reload failed: %s\nlvsd is %s",
		    get_string(r, "file"), get_string(r, "error"),
		    get_string(r, "state"));
	else
		fprintf(f, "%s: not reloaded, nothing changed:",
		    get_string(r, "file"));
	struct json_object *errors;
	json_object_object_get_ex(r, "errors", &errors);
	size_t n = json_object_array_length(errors);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "\n%s", json_object_get_string(
		    json_object_array_get_idx(errors, i)));
	fclose(f);
	json_object_put(r);
	control_finish(rr->call, NULL, why);
	free(why);
	free(rr);
}

static struct json_object *
cmd_reload(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	(void)req;
	(void)why;
	(void)whylen;
	log_info("operator: reload asked by %s", request_who(call));
	struct reload_reply *rr = xcalloc(1, sizeof(*rr));
	rr->d = d;
	rr->call = call;
	lvsd_reload(d, reloaded, rr);
	return CONTROL_LATER;
}

/* ---- show, dump: answered once the kernel's counters are read ---------- */

struct stats_reply {
	struct lvsd *d;
	struct control_call *call;
	control_stats_fn *build;
};

static void
stats_ready(void *arg, const struct ipvs_table *kernel)
{
	struct stats_reply *r = arg;
	control_finish(r->call, r->build(r->d, kernel), NULL);
	free(r);
}

struct json_object *
control_with_stats(struct lvsd *d, struct control_call *call,
    control_stats_fn *build)
{
	struct stats_reply *r = xcalloc(1, sizeof(*r));
	r->d = d;
	r->call = call;
	r->build = build;
	lvsd_stats_get(d, stats_ready, r);
	return CONTROL_LATER;
}

static struct json_object *
cmd_show(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	(void)req;
	(void)why;
	(void)whylen;
	return control_with_stats(d, call, control_show);
}

static struct json_object *
dump_json(struct lvsd *d, const struct ipvs_table *kernel)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "status", control_status(d));
	json_object_object_add(o, "show", control_show(d, kernel));
	/* Checkers started since start: a reload that changes no check
	 * settings adds none. */
	add_int(o, "checkers_started", (int64_t)d->checkers_started);
	return o;
}

static struct json_object *
cmd_dump(struct lvsd *d, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	(void)req;
	(void)why;
	(void)whylen;
	return control_with_stats(d, call, dump_json);
}

/* The role each command needs: reading is open to monitor_group. */
static const struct {
	const char *name;
	command_fn *fn;
	enum access_role needs;
} commands[] = {
	{ "status", cmd_status, ACCESS_READ },
	{ "show", cmd_show, ACCESS_READ },
	{ "drain", cmd_drain, ACCESS_ADMIN },
	{ "disable", cmd_disable, ACCESS_ADMIN },
	{ "enable", cmd_enable, ACCESS_ADMIN },
	{ "failover", cmd_failover, ACCESS_ADMIN },
	{ "withdraw", cmd_withdraw, ACCESS_ADMIN },
	{ "restore", cmd_restore, ACCESS_ADMIN },
	{ "reload", cmd_reload, ACCESS_ADMIN },
	{ "dump", cmd_dump, ACCESS_READ },
	{ "metrics", control_metrics, ACCESS_READ },
	{ "events", control_events, ACCESS_READ },
};

/* Refuses a command the peer's role does not allow, saying which it has. */
static bool
allowed(const struct control_call *call, const char *command,
    enum access_role needs, char *why, size_t whylen)
{
	const struct access_peer *p = control_call_peer(call);
	if (p == NULL || p->role >= needs)
		return true;
	snprintf(why, whylen, "permission denied: `%s` needs the admin role "
	    "(root, or lvs.cf's control_group); %s has the %s role", command,
	    p->user, access_role_name(p->role));
	log_info("control socket: refused `%s` to %s (%s role)", command,
	    p->who, access_role_name(p->role));
	return false;
}

struct json_object *
control_dispatch(struct lvsd *d, const char *command, struct json_object *req,
    struct control_call *call, char *why, size_t whylen)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, command) == 0)
			return allowed(call, command, commands[i].needs, why,
			    whylen) ? commands[i].fn(d, req, call, why,
			    whylen) : NULL;
	snprintf(why, whylen, "unknown command `%s` (status, show, drain, "
	    "disable, enable, failover, withdraw, restore, reload, dump, "
	    "metrics, events)", command);
	return NULL;
}

struct json_object *
control_status(struct lvsd *d)
{
	char why[8];
	return cmd_status(d, NULL, NULL, why, sizeof(why));
}
