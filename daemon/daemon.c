/*
 * The running daemon: start-up, the sd-event loop, signals, reload and
 * stop.  Modules hang their sources on the loop; this file only wires them.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cfg/diag.h"
#include "daemon/control.h"
#include "daemon/announce.h"
#include "daemon/failover.h"
#include "daemon/health.h"
#include "daemon/host_check.h"
#include "daemon/lvsd.h"
#include "daemon/override.h"
#include "daemon/plan.h"
#include "daemon/sandbox.h"
#include "daemon/script.h"
#include "daemon/sources.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/mkdirs.h"
#include "lib/prio.h"

void
lvsd_notify_status(struct lvsd *d)
{
	sd_notifyf(0, "STATUS=%s director (%s, %s), %u virtual service%s%s%s",
	    node_role_name(d->role), failover_mode_name(d),
	    failover_active(d) ? "active" : "standby", d->cfg->nvirtuals,
	    d->cfg->nvirtuals == 1 ? "" : "s", d->last_reload_failed ?
	    "; last reload FAILED (lvsctl status)" : "",
	    overrides_problem(d->overrides) != NULL ?
	    "; operator overrides LOST (lvsctl status)" : "");
}

static int
on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	struct lvsd *d = userdata;
	switch (si->ssi_signo) {
	case SIGHUP:
		log_info("SIGHUP: reloading %s", d->opts->config_path);
		lvsd_reload(d, NULL, NULL);
		break;
	case SIGUSR1:
		log_info("state: %s director, %s %s, %u virtual services, %u "
		    "reloads (%u failed), %u notify command%s running",
		    node_role_name(d->role), failover_mode_name(d),
		    failover_active(d) ? "active" : "standby", d->cfg->nvirtuals,
		    d->reloads, d->reload_failures, script_running(d),
		    script_running(d) == 1 ? "" : "s");
		break;
	default:
		log_info("%s: stopping", strsignal((int)si->ssi_signo));
		sd_event_exit(sd_event_source_get_event(s), LVSD_EXIT_OK);
	}
	return 0;
}

static int
setup_loop(struct lvsd *d)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	_Static_assert(sizeof(sigs) / sizeof(sigs[0]) ==
	    sizeof(d->signals) / sizeof(d->signals[0]), "one source per signal");
	sigset_t mask;
	sigemptyset(&mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&mask, sigs[i]);
	sigaddset(&mask, SIGCHLD);	/* children are reaped by sd-event */
	/* A control client or a child that went away is an EPIPE to handle,
	 * never a signal that kills the daemon. */
	signal(SIGPIPE, SIG_IGN);
	/* sd-event takes signals through a signalfd: block their default. */
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0) {
		log_warn("sigprocmask");
		return -1;
	}
	int r = sd_event_default(&d->event);
	if (r < 0) {
		errno = -r;
		log_warn("sd_event_default");
		return -1;
	}
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		r = sd_event_add_signal(d->event, &d->signals[i], sigs[i],
		    on_signal, d);
		if (r < 0) {
			errno = -r;
			log_warn("sd_event_add_signal(%s)", strsignal(sigs[i]));
			return -1;
		}
		sd_event_source_set_priority(d->signals[i], LVSD_PRIO_CTL);
	}
	/* Pings the watchdog from the loop itself when WatchdogSec= is set. */
	sd_event_set_watchdog(d->event, 1);
	return 0;
}

static int
write_pid_file(const char *path)
{
	FILE *f = fopen(path, "we");
	if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		log_warn("cannot write pid file %s", path);
		return -1;
	}
	return 0;
}

/* Operator overrides (persistent) and the control socket lvsctl uses. */
static int
open_control(struct lvsd *d, const struct access_policy *policy)
{
	const struct lvsd_options *o = d->opts;
	char failed[PATH_MAX];
	if (mkdir_parents(o->lib_dir, 0755, failed, sizeof(failed)) < 0)
		log_warn("cannot create %s (at %s): operator overrides will not "
		    "persist (--lib-dir DIR picks another place)", o->lib_dir,
		    failed);
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/overrides.json", o->lib_dir);
	d->overrides = overrides_load(path);
	if (o->socket_path != NULL)
		snprintf(path, sizeof(path), "%s", o->socket_path);
	else
		snprintf(path, sizeof(path), "%s/lvsd.sock", o->state_dir);
	return control_open(d, path, policy);
}

static int
start(struct lvsd *d)
{
	const struct lvsd_options *o = d->opts;
	int rc;
	struct cfg_diags *diags = cfg_diags_new();
	d->sources = sources_new();
	if (host_check_readable(o->config_path, diags))
		d->cfg = cfg_load_watched(o->config_path, diags,
		    sources_watch(d->sources));
	lvsd_log_diags(diags);
	unsigned nerr = diags->nerrors;
	d->load_warnings = lvsd_copy_warnings(NULL, diags);
	cfg_diags_free(diags);
	if (d->cfg == NULL) {
		log_errorx("not starting: %s has %u error%s (listed above; "
		    "`lvsd -t -f FILE` checks a file)", o->config_path, nerr,
		    nerr == 1 ? "" : "s");
		return LVSD_EXIT_USAGE;
	}
	d->role = o->role;
	if (d->role == NODE_ROLE_UNKNOWN) {
		char why[512];
		if (node_role_detect(d->cfg, &d->role, why, sizeof(why)) < 0) {
			log_errorx("not starting: %s", why);
			return LVSD_EXIT_NOTCONFIGURED;
		}
	}
	/* What `lvsd -t` checks for this role: the same rules, the same
	 * verdict. */
	diags = cfg_diags_new();
	struct access_policy policy;
	d->plan = plan_build(d->cfg, d->role, diags);
	lvsd_copy_warnings(d->load_warnings, diags);
	if (d->plan != NULL && host_check(d->cfg, &policy, diags) +
	    host_check_privileges(d->cfg, diags) > 0) {
		plan_free(d->plan);
		d->plan = NULL;
	}
	lvsd_log_diags(diags);
	nerr = diags->nerrors;
	cfg_diags_free(diags);
	if (d->plan == NULL) {
		log_errorx("not starting: %s has %u error%s for the %s director",
		    o->config_path, nerr, nerr == 1 ? "" : "s",
		    node_role_name(d->role));
		return LVSD_EXIT_USAGE;
	}
	rc = lvsd_ipvs_open(d);
	if (rc != LVSD_EXIT_OK)
		return rc;
	/* ip_vs is loaded (modprobe): from now on what the parent uses. */
	sandbox_parent();
	/* Under systemd (Type=notify) stay in the foreground, logging to the journal. */
	if (!o->foreground && getenv("NOTIFY_SOCKET") == NULL && daemon(0, 0) < 0) {
		log_warn("daemon");
		return LVSD_EXIT_FAILURE;
	}
	if (o->pid_file != NULL && write_pid_file(o->pid_file) < 0)
		return LVSD_EXIT_FAILURE;
	if (setup_loop(d) < 0 || open_control(d, &policy) < 0 || health_start(d) < 0)
		return LVSD_EXIT_FAILURE;
	/* The table first: a director that takes the addresses forwards. */
	lvsd_ipvs_apply_now(d, "start", NULL);
	lvsd_ipvs_schedule_resync(d);
	if (failover_start(d) < 0)
		return LVSD_EXIT_FAILURE;
	lvsd_arpwatch_start(d);
	return LVSD_EXIT_OK;
}

void
lvsd_failover_started(struct lvsd *d, bool ok, const char *why)
{
	if (!ok) {
		log_errorx("not starting: the failover process could not start: "
		    "%s", why != NULL ? why : "(see above)");
		sd_event_exit(d->event, LVSD_EXIT_FAILURE);
		return;
	}
	if (d->ready)
		return;
	d->ready = true;
	log_info("lvsd %s ready: %s director, %u virtual service%s from %s",
	    PACKAGE_VERSION, node_role_name(d->role), d->cfg->nvirtuals,
	    d->cfg->nvirtuals == 1 ? "" : "s", d->opts->config_path);
	sd_notify(0, "READY=1");
	lvsd_notify_status(d);
}

int
lvsd_run(const struct lvsd_options *opts)
{
	log_init("lvsd", opts->foreground ? LOG_TO_STDERR : LOG_TO_SYSLOG,
	    opts->debug);
	if (!opts->foreground)
		log_use_journal("lvsd");
	/*
	 * Memory freed stays in the heap for the next reload, which needs as
	 * much: given back to the kernel, two generations' pages (~100 MB at
	 * 10,000 services x 4) were faulted in and zeroed again at every
	 * reload, a quarter of a small change's time.  A reload to a much
	 * smaller configuration gives it back (reload.c).
	 */
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	struct lvsd d = { .opts = opts };
	LIST_INIT(&d.scripts);
	drain_init(&d.drains);
	d.started_usec = mono_usec();
	int rc = start(&d);
	if (rc == LVSD_EXIT_OK) {
		/* READY=1 once the failover process runs: lvsd_failover_started */
		int r = sd_event_loop(d.event);
		if (r < 0) {
			errno = -r;
			log_warn("event loop");
			rc = LVSD_EXIT_FAILURE;
		} else
			rc = r;
		sd_notify(0, "STOPPING=1");
	}
	lvsd_arpwatch_stop(&d);
	/* Addresses first: the peer takes over while the table still forwards. */
	lvsd_reload_stop(&d);
	failover_stop(&d);
	control_close(&d);
	script_kill_all(&d);
	health_stop(&d);
	lvsd_ipvs_close(&d);
	lvsd_reload_free(&d);
	overrides_free(d.overrides);
	announce_free(&d);
	json_object_put(d.last_reload);
	if (rc == LVSD_EXIT_OK)
		log_info("lvsd stopped");
	if (opts->pid_file != NULL && rc != LVSD_EXIT_USAGE &&
	    rc != LVSD_EXIT_NOTCONFIGURED)
		unlink(opts->pid_file);
	/* Sources hold references on the loop: drop them first. */
	for (size_t i = 0; i < sizeof(d.signals) / sizeof(d.signals[0]); i++)
		sd_event_source_unref(d.signals[i]);
	sd_event_unref(d.event);
	plan_free(d.plan);
	cfg_free(d.cfg);
	sources_free(d.sources);
	cfg_diags_free(d.load_warnings);
	return rc;
}
