/*
 * Reload: the file is read into a new generation beside the running one
 * and its plan built; a bad file changes nothing.  Then whatever only I/O
 * can refuse is prepared (failover_prepare); a refusal changes nothing
 * either.  Only then does the new generation replace the running one, and
 * the checkers, the kernel and the failover settings follow with the
 * fewest changes.  The outcome is logged, kept for `lvsctl status`, and
 * returned to `lvsctl reload`.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "cfg/diag.h"
#include "daemon/failover.h"
#include "daemon/health.h"
#include "daemon/lvsd.h"
#include "daemon/plan.h"
#include "lib/clock.h"
#include "lib/log.h"

/* Logs every diagnostic of a load at its own severity. */
void
lvsd_log_diags(const struct cfg_diags *diags)
{
	const struct cfg_diag *dg;
	TAILQ_FOREACH(dg, &diags->list, entry) {
		char *s = cfg_diag_format(dg);
		log_line(dg->severity == CFG_ERROR ? LOG_ERR : LOG_WARNING, s);
		free(s);
	}
}

static void
add_diags(struct json_object *o, const struct cfg_diags *diags)
{
	struct json_object *errors = json_object_new_array();
	struct json_object *warnings = json_object_new_array();
	const struct cfg_diag *dg;
	TAILQ_FOREACH(dg, &diags->list, entry) {
		char *s = cfg_diag_format(dg);
		json_object_array_add(dg->severity == CFG_ERROR ? errors :
		    warnings, json_object_new_string(s));
		free(s);
	}
	json_object_object_add(o, "errors", errors);
	json_object_object_add(o, "warnings", warnings);
}

static struct json_object *
changes_json(const struct ipvs_apply_stats *st)
{
	struct json_object *c = json_object_new_object();
	json_object_object_add(c, "services_added",
	    json_object_new_int((int)(st->svc_added + st->svc_adopted)));
	json_object_object_add(c, "services_changed",
	    json_object_new_int((int)st->svc_edited));
	json_object_object_add(c, "services_removed",
	    json_object_new_int((int)st->svc_removed));
	json_object_object_add(c, "servers_added",
	    json_object_new_int((int)st->dst_added));
	json_object_object_add(c, "servers_changed",
	    json_object_new_int((int)st->dst_edited));
	json_object_object_add(c, "servers_removed",
	    json_object_new_int((int)st->dst_removed));
	json_object_object_add(c, "netlink_messages",
	    json_object_new_int((int)st->msgs));
	json_object_object_add(c, "kernel_errors",
	    json_object_new_int((int)st->errors));
	return c;
}

static struct json_object *
checks_json(const struct health_changes *ch)
{
	struct json_object *c = json_object_new_object();
	json_object_object_add(c, "kept", json_object_new_int((int)ch->kept));
	json_object_object_add(c, "restarted",
	    json_object_new_int((int)ch->restarted));
	json_object_object_add(c, "added", json_object_new_int((int)ch->added));
	json_object_object_add(c, "removed",
	    json_object_new_int((int)ch->removed));
	return c;
}

static void
set_outcome(struct json_object *res, const char *result, const char *state,
    const char *error)
{
	json_object_object_add(res, "result", json_object_new_string(result));
	json_object_object_add(res, "state", json_object_new_string(state));
	if (error != NULL)
		json_object_object_add(res, "error", json_object_new_string(error));
}

/* The new generation replaces the running one: health, kernel, failover. */
static void
commit(struct lvsd *d, struct cfg *next, struct plan *plan,
    struct json_object *res)
{
	struct cfg *old_cfg = d->cfg;
	struct plan *old_plan = d->plan;
	d->cfg = next;
	d->plan = plan;
	struct health_changes ch;
	health_reconfigure(d, &ch);
	struct ipvs_apply_stats st;
	int r = lvsd_ipvs_apply(d, "reload", &st);
	lvsd_ipvs_schedule_resync(d);
	failover_commit(d, old_plan);
	plan_free(old_plan);
	cfg_free(old_cfg);
	json_object_object_add(res, "changes", changes_json(&st));
	json_object_object_add(res, "checks", checks_json(&ch));
	if (r == 0 && st.errors == 0) {
		set_outcome(res, "applied", "running the new configuration",
		    NULL);
		return;
	}
	char err[160];
	snprintf(err, sizeof(err), r < 0 ? "the kernel's IPVS table could not "
	    "be updated (see the log)" : "the kernel refused %u IPVS change%s "
	    "(see the log)", st.errors, st.errors == 1 ? "" : "s");
	set_outcome(res, "failed", "running the new configuration; the IPVS "
	    "table lacks what the kernel refused until the next reload or "
	    "consistency check", err);
}

struct json_object *
lvsd_reload(struct lvsd *d)
{
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)mono_usec());
	d->reloads++;
	struct json_object *res = json_object_new_object();
	json_object_object_add(res, "file",
	    json_object_new_string(d->opts->config_path));
	json_object_object_add(res, "time", json_object_new_int64(time(NULL)));
	struct cfg_diags *diags = cfg_diags_new();
	struct cfg *next = cfg_load(d->opts->config_path, diags);
	struct plan *plan = next != NULL ? plan_build(next, d->role, diags) :
	    NULL;
	lvsd_log_diags(diags);
	add_diags(res, diags);
	char why[256];
	if (plan == NULL) {
		log_warnx("reload: %s has %u error%s; keeping the running "
		    "configuration", d->opts->config_path, diags->nerrors,
		    diags->nerrors == 1 ? "" : "s");
		set_outcome(res, "rejected", "running the previous "
		    "configuration, unchanged", NULL);
		cfg_free(next);
	} else if (failover_prepare(d, plan, why, sizeof(why)) < 0) {
		log_warnx("reload: %s cannot be applied: %s; keeping the running "
		    "configuration", d->opts->config_path, why);
		set_outcome(res, "failed", "running the previous configuration, "
		    "unchanged", why);
		plan_free(plan);
		cfg_free(next);
	} else {
		log_info("reload: %s is valid (%u virtual service%s)",
		    d->opts->config_path, next->nvirtuals,
		    next->nvirtuals == 1 ? "" : "s");
		commit(d, next, plan, res);
	}
	cfg_diags_free(diags);
	struct json_object *result;
	json_object_object_get_ex(res, "result", &result);
	d->last_reload_failed = strcmp(json_object_get_string(result),
	    "applied") != 0;
	d->reload_failures += d->last_reload_failed;
	json_object_put(d->last_reload);
	d->last_reload = json_object_get(res);
	sd_notify(0, "READY=1");
	lvsd_notify_status(d);
	return res;
}
