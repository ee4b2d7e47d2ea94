/*
 * Reload: the file is read into a new generation beside the running one;
 * a bad file changes nothing, a good one replaces it and the kernel, the
 * checkers and the failover settings follow with the fewest changes.
 * The outcome is logged, kept for `lvsctl status`, and returned to
 * `lvsctl reload`.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <syslog.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "daemon/cfg_diag.h"
#include "daemon/failover.h"
#include "daemon/health.h"
#include "daemon/lvsd.h"
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
	lvsd_log_diags(diags);
	add_diags(res, diags);
	if (next == NULL) {
		d->reload_failures++;
		d->last_reload_failed = true;
		log_warnx("reload: %s has %u error%s; keeping the running "
		    "configuration", d->opts->config_path, diags->nerrors,
		    diags->nerrors == 1 ? "" : "s");
		json_object_object_add(res, "result",
		    json_object_new_string("rejected"));
	} else {
		log_info("reload: %s is valid (%u virtual service%s)",
		    d->opts->config_path, next->nvirtuals,
		    next->nvirtuals == 1 ? "" : "s");
		cfg_free(d->cfg);
		d->cfg = next;
		d->last_reload_failed = false;
		health_reconfigure(d);
		struct ipvs_apply_stats st;
		lvsd_ipvs_apply(d, "reload", &st);
		lvsd_ipvs_schedule_resync(d);
		failover_reconfigure(d);
		lvsd_arpwatch_start(d);
		json_object_object_add(res, "result",
		    json_object_new_string("applied"));
		json_object_object_add(res, "changes", changes_json(&st));
	}
	cfg_diags_free(diags);
	json_object_put(d->last_reload);
	d->last_reload = json_object_get(res);
	sd_notify(0, "READY=1");
	lvsd_notify_status(d);
	return res;
}
