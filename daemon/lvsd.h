/* The running daemon: its configuration generation and event loop. */
#ifndef LVSD_DAEMON_LVSD_H
#define LVSD_DAEMON_LVSD_H

#include <stdbool.h>
#include <systemd/sd-event.h>

#include "daemon/cfg.h"
#include "daemon/node.h"

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
	bool foreground;
	bool debug;
};

struct lvsd {
	const struct lvsd_options *opts;
	sd_event *event;
	sd_event_source *signals[4];	/* TERM, INT, HUP, USR1 */
	struct cfg *cfg;		/* the running generation */
	enum node_role role;
	unsigned reloads, reload_failures;
};

/* Runs the daemon until SIGTERM/SIGINT; returns the process exit code. */
int lvsd_run(const struct lvsd_options *opts);

#endif
