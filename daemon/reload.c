/*
 * Reload, without ever holding the parent's loop for long:
 *
 *   1. a thread reads the file into a new generation and builds its plan
 *      (a bad file, however big, and a file that is not a regular file are
 *      refused there; the loop keeps serving lvsctl meanwhile);
 *   2. the failover process prepares every part of the change that only
 *      the machine can refuse (failover_prepare) without changing what runs;
 *   3. only then does the new generation replace the running one: the
 *      checkers follow by identity, the kernel follows in slices, and the
 *      failover process commits once the table is in place.
 *
 * When the files read for the running generation still have the same
 * content and every `include` the same matches (daemon/sources.c says why
 * that means the same configuration), 1 only runs the host checks and the
 * reload ends there (the ARP watch starts a round): nothing to apply.
 * Not after a reload that failed: that one retries what the kernel or the
 * machine refused.
 *
 * A refusal at 1 or 2 changes nothing.  The outcome is logged, kept for
 * `lvsctl status`, and given to whoever asked (lvsctl reload waits for
 * it).  A reload asked for while one runs is done after it, once, for
 * every request that came meanwhile: the file may have changed since the
 * running one read it.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <syslog.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "cfg/diag.h"
#include "daemon/control.h"
#include "daemon/events.h"
#include "daemon/failover.h"
#include "daemon/health.h"
#include "daemon/host_check.h"
#include "daemon/lvsd.h"
#include "daemon/plan.h"
#include "daemon/sources.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

struct asker {
	TAILQ_ENTRY(asker) entry;
	lvsd_reloaded_fn *fn;
	void *arg;
};
TAILQ_HEAD(askers, asker);

enum stage { READING, PREPARING, COMMITTING };

/* One reload in progress. */
struct reload {
	struct lvsd *d;
	enum stage stage;
	struct askers askers;
	/* read by the thread */
	char *path;
	enum node_role role;
	struct cfg *next;
	struct plan *plan;
	struct access_policy policy;	/* the control socket's, for next */
	struct cfg_diags *diags;
	struct cfg_sources *sources;	/* what next was read from */
	struct cfg_diags *warnings;	/* next's own (not the host's) */
	/* The running generation, which the thread may find unchanged (it is
	 * replaced only by a commit, after the thread is done). */
	const struct cfg *running;
	/* the thread may record files it read again: it alone uses them
	 * while it runs */
	struct cfg_sources *running_sources;
	const struct cfg_diags *running_warnings;
	bool unchanged;
	size_t reread;			/* files unchanged read to tell */
	pthread_t thread;
	int efd;			/* the thread says it is done */
	sd_event_source *done;
	struct json_object *res;
	struct plan *old_plan;		/* until the commit is over */
	struct cfg *old_cfg;
};

struct lvsd_reloads {
	struct reload *running;
	struct askers waiting;		/* for the reload after it */
	bool stopping;			/* lvsd stops: no new reload */
};

struct cfg_diags *
lvsd_copy_warnings(struct cfg_diags *to, const struct cfg_diags *from)
{
	if (to == NULL)
		to = cfg_diags_new();
	const struct cfg_diag *dg;
	TAILQ_FOREACH(dg, &from->list, entry) {
		if (dg->severity != CFG_WARNING)
			continue;
		struct cfg_loc loc = { dg->file, dg->line, dg->col };
		cfg_diag(to, CFG_WARNING, dg->file != NULL ? &loc : NULL, "%s",
		    dg->msg);
	}
	return to;
}

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

static void start(struct lvsd *d);

/* The end of a reload: its outcome to everyone who asked. */
static void
finish(struct reload *r)
{
	struct lvsd *d = r->d;
	struct json_object *result;
	json_object_object_get_ex(r->res, "result", &result);
	d->last_reload_failed = strcmp(json_object_get_string(result),
	    "applied") != 0;
	d->reload_failures += d->last_reload_failed;
	events_reload(r->res);
	json_object_put(d->last_reload);
	d->last_reload = json_object_get(r->res);
	sd_notify(0, "READY=1");
	lvsd_notify_status(d);
	struct lvsd_reloads *rs = d->reloads_state;
	if (rs->stopping)	/* those who wait get this outcome */
		TAILQ_CONCAT(&r->askers, &rs->waiting, entry);
	struct asker *a;
	while ((a = TAILQ_FIRST(&r->askers)) != NULL) {
		TAILQ_REMOVE(&r->askers, a, entry);
		if (a->fn != NULL)
			a->fn(a->arg, json_object_get(r->res));
		free(a);
	}
	json_object_put(r->res);
	plan_free(r->plan);
	cfg_free(r->next);
	sources_free(r->sources);
	cfg_diags_free(r->warnings);
	cfg_diags_free(r->diags);
	free(r->path);
	free(r);
	rs->running = NULL;
	if (!TAILQ_EMPTY(&rs->waiting))
		start(d);
}

/* ---- 3. commit ------------------------------------------------------------ */

static void
applied(void *arg, int rc, const struct ipvs_apply_stats *st)
{
	struct reload *r = arg;
	struct lvsd *d = r->d;
	/* The table is in place: now the addresses may follow. */
	failover_commit(d);
	/* Half the servers or fewer: give back what the larger generation
	 * held (the heap keeps freed memory for reloads; lvsd_run). */
	bool shrank = r->old_plan != NULL &&
	    d->plan->nchecks < r->old_plan->nchecks / 2;
	plan_free(r->old_plan);
	cfg_free(r->old_cfg);
	if (shrank)
		malloc_trim(0);
	r->old_plan = NULL;
	r->old_cfg = NULL;
	json_object_object_add(r->res, "changes", changes_json(st));
	if (rc == 0 && st->errors == 0) {
		set_outcome(r->res, "applied", "running the new configuration",
		    NULL);
		finish(r);
		return;
	}
	char err[160];
	snprintf(err, sizeof(err), rc < 0 ? "the kernel's IPVS table could not "
	    "be updated (see the log)" : "the kernel refused %u IPVS change%s "
	    "(see the log)", st->errors, st->errors == 1 ? "" : "s");
	set_outcome(r->res, "failed", "running the new configuration; the IPVS "
	    "table lacks what the kernel refused until the next reload or "
	    "consistency check", err);
	finish(r);
}

static void
commit(struct reload *r)
{
	struct lvsd *d = r->d;
	log_info("reload: %s is valid (%u virtual service%s)", r->path,
	    r->next->nvirtuals, r->next->nvirtuals == 1 ? "" : "s");
	r->stage = COMMITTING;
	r->old_cfg = d->cfg;
	r->old_plan = d->plan;
	d->cfg = r->next;
	d->plan = r->plan;
	r->next = NULL;
	r->plan = NULL;
	sources_free(d->sources);
	d->sources = r->sources;
	r->sources = NULL;
	cfg_diags_free(d->load_warnings);
	d->load_warnings = r->warnings;
	r->warnings = NULL;
	struct health_changes ch;
	health_reconfigure(d, r->old_plan, &ch);
	json_object_object_add(r->res, "checks", checks_json(&ch));
	control_set_policy(d, &r->policy);
	lvsd_ipvs_schedule_resync(d);
	lvsd_ipvs_apply(d, "reload", applied, r);
	lvsd_arpwatch_start(d);
}

/* ---- 2. prepare --------------------------------------------------------- */

static void
prepared(void *arg, bool ok, const char *why)
{
	struct reload *r = arg;
	if (ok) {
		commit(r);
		return;
	}
	log_warnx("reload: %s cannot be applied: %s; keeping the running "
	    "configuration", r->path, why);
	set_outcome(r->res, "failed", "running the previous configuration, "
	    "unchanged", why);
	finish(r);
}

/* ---- 1. read and plan (in a thread) ------------------------------------ */

/* The same files, the same content: the running generation stays. */
static void
unchanged(struct reload *r)
{
	struct lvsd *d = r->d;
	size_t n = sources_nfiles(d->sources);
	log_info("reload: %s unchanged (%zu file%s, the same content; %zu read "
	    "again): nothing to apply", r->path, n, n == 1 ? "" : "s",
	    r->reread);
	control_set_policy(d, &r->policy);
	/* Like the host checks, the ARP watch looks at the machine again. */
	lvsd_arpwatch_start(d);
	json_object_object_add(r->res, "unchanged", json_object_new_boolean(1));
	json_object_object_add(r->res, "files", json_object_new_int((int)n));
	json_object_object_add(r->res, "read_again",
	    json_object_new_int((int)r->reread));
	set_outcome(r->res, "applied", "running the configuration, unchanged",
	    NULL);
	finish(r);
}

static void *
read_and_plan(void *arg)
{
	struct reload *r = arg;
	char why[PATH_MAX + 64];
	if (r->running_sources != NULL &&
	    sources_unchanged(r->running_sources, &r->reread, why,
	    sizeof(why))) {
		r->unchanged = true;
		lvsd_copy_warnings(r->diags, r->running_warnings);
		host_check(r->running, &r->policy, r->diags);
		host_check_privileges(r->running, r->diags);
	} else {
		r->sources = sources_new();
		if (host_check_readable(r->path, r->diags))
			r->next = cfg_load_watched(r->path, r->diags,
			    sources_watch(r->sources));
		if (r->next != NULL)
			r->plan = plan_build(r->next, r->role, r->diags);
		if (r->plan != NULL)
			r->warnings = lvsd_copy_warnings(NULL, r->diags);
		if (r->plan != NULL &&
		    host_check(r->next, &r->policy, r->diags) +
		    host_check_privileges(r->next, r->diags) > 0) {
			plan_free(r->plan);
			r->plan = NULL;
		}
	}
	uint64_t one = 1;
	(void)!write(r->efd, &one, sizeof(one));
	return NULL;
}

static int
on_read(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	(void)fd;
	(void)revents;
	struct reload *r = arg;
	pthread_join(r->thread, NULL);
	sd_event_source_disable_unref(s);
	close(r->efd);
	lvsd_log_diags(r->diags);
	add_diags(r->res, r->diags);
	if (r->unchanged && r->diags->nerrors == 0) {
		unchanged(r);
		return 0;
	}
	if (r->plan == NULL) {
		log_warnx("reload: %s has %u error%s; keeping the running "
		    "configuration", r->path, r->diags->nerrors,
		    r->diags->nerrors == 1 ? "" : "s");
		set_outcome(r->res, "rejected", "running the previous "
		    "configuration, unchanged", NULL);
		finish(r);
		return 0;
	}
	r->stage = PREPARING;
	failover_prepare(r->d, r->plan, prepared, r);
	return 0;
}

static void
start(struct lvsd *d)
{
	struct lvsd_reloads *rs = d->reloads_state;
	struct reload *r = xcalloc(1, sizeof(*r));
	r->d = d;
	TAILQ_INIT(&r->askers);
	TAILQ_CONCAT(&r->askers, &rs->waiting, entry);
	rs->running = r;
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)mono_usec());
	d->reloads++;
	r->path = xstrdup(d->opts->config_path);
	r->role = d->role;
	if (!d->last_reload_failed && d->sources != NULL) {
		r->running = d->cfg;
		r->running_sources = d->sources;
		r->running_warnings = d->load_warnings;
	}
	r->diags = cfg_diags_new();
	r->res = json_object_new_object();
	json_object_object_add(r->res, "file", json_object_new_string(r->path));
	json_object_object_add(r->res, "time", json_object_new_int64(time(NULL)));
	r->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int err = r->efd < 0 ? errno : sd_event_add_io(d->event, &r->done,
	    r->efd, EPOLLIN, on_read, r) < 0 ? EIO :
	    pthread_create(&r->thread, NULL, read_and_plan, r);
	if (err == 0) {
		sd_event_source_set_priority(r->done, LVSD_PRIO_CTL);
		return;
	}
	log_warnx("reload: cannot read %s apart from the loop: %s", r->path,
	    strerror(err));
	sd_event_source_disable_unref(r->done);
	if (r->efd >= 0)
		close(r->efd);
	set_outcome(r->res, "failed", "running the previous configuration, "
	    "unchanged", "lvsd could not start reading the file");
	finish(r);
}

void
lvsd_reload(struct lvsd *d, lvsd_reloaded_fn *fn, void *arg)
{
	if (d->reloads_state == NULL) {
		d->reloads_state = xcalloc(1, sizeof(*d->reloads_state));
		TAILQ_INIT(&d->reloads_state->waiting);
	}
	struct asker *a = xcalloc(1, sizeof(*a));
	a->fn = fn;
	a->arg = arg;
	TAILQ_INSERT_TAIL(&d->reloads_state->waiting, a, entry);
	if (d->reloads_state->running == NULL)
		start(d);
}

bool
lvsd_reload_busy(const struct lvsd *d)
{
	return d->reloads_state != NULL && d->reloads_state->running != NULL;
}

void
lvsd_reload_stop(struct lvsd *d)
{
	struct lvsd_reloads *rs = d->reloads_state;
	if (rs == NULL)
		return;
	rs->stopping = true;
	struct reload *r = rs->running;
	if (r == NULL || r->stage != READING)
		return;	/* failover_stop or lvsd_ipvs_apply_stop ends it */
	pthread_join(r->thread, NULL);
	sd_event_source_disable_unref(r->done);
	close(r->efd);
	set_outcome(r->res, "failed", "lvsd is stopping", "lvsd stopped "
	    "during the reload");
	finish(r);
}

void
lvsd_reload_free(struct lvsd *d)
{
	struct lvsd_reloads *rs = d->reloads_state;
	if (rs == NULL)
		return;
	struct asker *a;
	while ((a = TAILQ_FIRST(&rs->waiting)) != NULL) {
		TAILQ_REMOVE(&rs->waiting, a, entry);
		free(a);
	}
	free(rs);
	d->reloads_state = NULL;
}
