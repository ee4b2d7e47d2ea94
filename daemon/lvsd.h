/* The running daemon: its configuration generation and event loop. */
#ifndef LVSD_DAEMON_LVSD_H
#define LVSD_DAEMON_LVSD_H

#include <stdbool.h>
#include <sys/queue.h>
#include <systemd/sd-event.h>

#include "daemon/cfg.h"
#include "daemon/node.h"
#include "healthcheck/hc.h"
#include "ipvs/ipvs.h"

struct lh_table;
struct script;
struct failover;
struct drain;
struct control;
struct overrides;
struct json_object;
struct cfg_diags;
struct lvsd_arpwatch;

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
	struct cfg *cfg;		/* the running generation */
	enum node_role role;
	unsigned reloads, reload_failures;
	bool last_reload_failed;
	struct json_object *last_reload;	/* outcome, for lvsctl status */
	struct control *control;	/* daemon/control.c */
	struct overrides *overrides;	/* daemon/override.c */
	uint64_t started_usec;		/* CLOCK_MONOTONIC */
	struct ipvs_driver *ipvs;
	sd_event_source *resync_timer;
	struct hc_engine *hc;
	struct lh_table *health;	/* label -> struct rs_health */
	sd_event_source *apply_defer;	/* coalesced IPVS update */
	LIST_HEAD(, script) scripts;	/* notify commands running */
	struct failover *failover;	/* daemon/failover.c */
	TAILQ_HEAD(, drain) drains;	/* daemon/drain.c */
	struct ipvs_table *last_desired;
	sd_event_source *drain_timer;
	struct lvsd_arpwatch *arpwatch;	/* daemon/arpwatch_hook.c */
};

/* Runs the daemon until SIGTERM/SIGINT; returns the process exit code. */
int lvsd_run(const struct lvsd_options *opts);

/* daemon/reload.c: reload the file; returns the outcome (caller frees). */
struct json_object *lvsd_reload(struct lvsd *d);
/* Logs every diagnostic of a load at its own severity. */
void lvsd_log_diags(const struct cfg_diags *diags);

/* Tells systemd (STATUS=) the role, failover state and last reload. */
void lvsd_notify_status(struct lvsd *d);

/* daemon/arpwatch_hook.c: direct-routing real servers that answer ARP
 * for a VIP are named in a warning.  (Re)start after each load. */
void lvsd_arpwatch_start(struct lvsd *d);
void lvsd_arpwatch_stop(struct lvsd *d);

/* daemon/kernel.c: the daemon's side of the IPVS driver. */
/* Opens the driver; returns an LVSD_EXIT_* code. */
int lvsd_ipvs_open(struct lvsd *d);
/* Makes the kernel hold the table d->cfg describes; logs what changed
 * (and returns it in out, which may be NULL). */
void lvsd_ipvs_apply(struct lvsd *d, const char *why,
    struct ipvs_apply_stats *out);
/* (Re)arms the periodic consistency check of the kernel table. */
void lvsd_ipvs_schedule_resync(struct lvsd *d);
/* Removes what lvsd manages (unless configured to keep it) and closes. */
void lvsd_ipvs_close(struct lvsd *d);

#endif
