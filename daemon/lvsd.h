/* The running daemon: its configuration generation and event loop. */
#ifndef LVSD_DAEMON_LVSD_H
#define LVSD_DAEMON_LVSD_H

#include <stdbool.h>
#include <sys/queue.h>
#include <systemd/sd-event.h>

#include "cfg/cfg.h"
#include "daemon/drain.h"
#include "daemon/node.h"
#include "healthcheck/hc.h"
#include "ipvs/ipvs.h"

struct health;
struct plan;
struct script;
struct failover;
struct control;
struct overrides;
struct json_object;
struct cfg_diags;
struct cfg_sources;
struct lvsd_apply;
struct lvsd_stats;
struct lvsd_reloads;
struct lvsd_arpwatch;
struct lvsd_announce;

/* Exit codes with systemd's meanings (systemd.exec(5), LSB). */
#define LVSD_EXIT_OK		0
#define LVSD_EXIT_FAILURE	1
#define LVSD_EXIT_USAGE		2	/* bad arguments or configuration */
#define LVSD_EXIT_NOTINSTALLED	5	/* the kernel lacks IPVS */
#define LVSD_EXIT_NOTCONFIGURED	6	/* cannot tell which director we are */

struct lvsd_options {
	const char *config_path;
	const char *pid_file;
	enum node_role role;		/* NODE_ROLE_UNKNOWN: detect */
	const char *state_dir;		/* /run/lvsd: state files */
	const char *lib_dir;		/* /var/lib/lvsd: operator overrides */
	const char *socket_path;	/* control socket */
	bool foreground;
	bool debug;
	bool dry_run;			/* preview: touch neither IPVS nor addresses */
	bool ipvs_dry_run;		/* log IPVS changes only (tests on kernels
					   without IPVS); failover runs */
};

struct lvsd {
	const struct lvsd_options *opts;
	sd_event *event;
	sd_event_source *signals[4];	/* TERM, INT, HUP, USR1 */
	struct cfg *cfg;		/* the running generation, */
	struct plan *plan;		/* and what this node runs of it, */
	struct cfg_sources *sources;	/* what was read for it, */
	struct cfg_diags *load_warnings;	/* and what the file was warned of */
	enum node_role role;
	unsigned reloads, reload_failures;
	bool last_reload_failed;
	struct json_object *last_reload;	/* outcome, for lvsctl status */
	struct control *control;	/* daemon/control.c */
	struct overrides *overrides;	/* daemon/override.c */
	uint64_t started_usec;		/* CLOCK_MONOTONIC */
	struct ipvs_driver *ipvs;
	sd_event_source *resync_timer;
	struct health *health;		/* daemon/health.c */
	uint64_t checkers_started;	/* since start: `lvsctl dump` */
	LIST_HEAD(, script) scripts;	/* notify commands running */
	struct failover *failover;	/* daemon/failover.c */
	struct drain_state drains;	/* daemon/drain.c */
	sd_event_source *drain_timer;
	struct lvsd_apply *apply;	/* daemon/apply.c */
	struct lvsd_stats *stats;	/* daemon/stats.c */
	struct lvsd_reloads *reloads_state;	/* daemon/reload.c */
	bool ready;			/* READY=1 was sent */
	struct lvsd_arpwatch *arpwatch;	/* daemon/arpwatch_hook.c */
	struct lvsd_announce *announce;	/* daemon/announce.c */
};

/* Runs the daemon until SIGTERM/SIGINT; returns the process exit code. */
int lvsd_run(const struct lvsd_options *opts);

/*
 * daemon/reload.c: reloads the file, apart from the loop.  fn (may be
 * NULL) gets the outcome (and a reference to it): "result" is "applied",
 * "rejected" (the file or its plan has errors: nothing changed) or
 * "failed" (something only I/O can cause: nothing changed, or the new
 * generation runs with the kernel's refusals); "state" says which
 * configuration runs.
 */
typedef void lvsd_reloaded_fn(void *arg, struct json_object *outcome);
void lvsd_reload(struct lvsd *d, lvsd_reloaded_fn *fn, void *arg);
bool lvsd_reload_busy(const struct lvsd *d);
/* At stop: ends a reload still reading; none starts any more. */
void lvsd_reload_stop(struct lvsd *d);
void lvsd_reload_free(struct lvsd *d);
/* daemon/daemon.c: the failover process runs (or could not start). */
void lvsd_failover_started(struct lvsd *d, bool ok, const char *why);
/* Logs every diagnostic of a load at its own severity. */
void lvsd_log_diags(const struct cfg_diags *diags);
/* Appends from's warnings to to (a new list when to is NULL). */
struct cfg_diags *lvsd_copy_warnings(struct cfg_diags *to,
    const struct cfg_diags *from);

/* Tells systemd (STATUS=) the role, failover state and last reload. */
void lvsd_notify_status(struct lvsd *d);

/* daemon/arpwatch_hook.c: direct-routing real servers that answer ARP
 * for a VIP are named in a warning.  (Re)start after each load. */
void lvsd_arpwatch_start(struct lvsd *d);
void lvsd_arpwatch_stop(struct lvsd *d);

/* daemon/kernel.c: the daemon's side of the IPVS driver. */
/* Opens the driver; returns an LVSD_EXIT_* code. */
int lvsd_ipvs_open(struct lvsd *d);
/* lvs.cf's connection timeouts, when set. */
void lvsd_ipvs_set_timeouts(struct lvsd *d);
/* (Re)arms the periodic consistency check of the kernel table. */
void lvsd_ipvs_schedule_resync(struct lvsd *d);
/* Removes what lvsd manages (unless configured to keep it) and closes. */
void lvsd_ipvs_close(struct lvsd *d);

/* daemon/apply.c: the kernel follows the desired table. */
struct desired_inputs;
/* What the desired table follows now: lvs.cf, health, overrides. */
struct desired_inputs lvsd_desired_inputs(const struct lvsd *d);
typedef void lvsd_applied_fn(void *arg, int rc,
    const struct ipvs_apply_stats *st);
/*
 * Brings the kernel in line with what d->plan, health and the overrides
 * want, in slices on the loop; logs what changed.  done (may be NULL) is
 * called once an apply that began after this call ended: rc -1 if the
 * kernel could not be talked to at all.
 */
void lvsd_ipvs_apply(struct lvsd *d, const char *why, lvsd_applied_fn *done,
    void *arg);
/* The same after the health of v's servers changed: v's service alone
 * when nothing else can follow from it (else the whole table); done is
 * then called before this returns. */
void lvsd_ipvs_apply_virtual(struct lvsd *d, const struct cfg_virtual *v,
    const char *why, lvsd_applied_fn *done, void *arg);
/* The same at once (start-up); -1 if the kernel could not be talked to. */
int lvsd_ipvs_apply_now(struct lvsd *d, const char *why,
    struct ipvs_apply_stats *out);
/* The consistency check, in slices; the next one is scheduled after it. */
void lvsd_ipvs_resync(struct lvsd *d);
/* Finishes an apply in progress, tells whoever waits; at stop. */
void lvsd_ipvs_apply_stop(struct lvsd *d);

#endif
