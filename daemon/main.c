/*
 * lvsd: command line, configuration check mode (-t), and daemon start.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "daemon/child.h"
#include "daemon/host_check.h"
#include "daemon/lvsd.h"
#include "daemon/plan.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define DEFAULT_CONFIG SYSCONFDIR "/lvsd/lvs.cf"
#define DEFAULT_STATE_DIR RUNSTATEDIR "/lvsd"
#define DEFAULT_LIB_DIR LOCALSTATEDIR "/lib/lvsd"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: lvsd [options]\n"
	    "  -f, --config FILE     configuration file (default %s)\n"
	    "  -t, --test            check the configuration and exit (0 good, 2 bad)\n"
	    "  -v, --verbose         with -t: print the configuration in canonical form\n"
	    "  -n, --foreground      stay in the foreground and log to stderr\n"
	    "  -d, --debug           log debug messages\n"
	    "      --role ROLE       act as the `primary` or `backup` director\n"
	    "                        (default: decided by the local addresses)\n"
	    "      --pid-file FILE   write the process id to FILE\n"
	    "      --dry-run         preview: never change the kernel's IPVS table\n"
	    "                        (log each change as the equivalent ipvsadm\n"
	    "                        command) and do not start failover\n"
	    "      --ipvs-dry-run    like --dry-run for IPVS only: failover runs\n"
	    "                        (tests on kernels without IPVS)\n"
	    "      --state-dir DIR   runtime state files (default %s)\n"
	    "      --lib-dir DIR     persistent state: operator overrides\n"
	    "                        (default %s)\n"
	    "      --socket PATH     control socket for lvsctl (default\n"
	    "                        STATE-DIR/lvsd.sock)\n"
	    "  -V, --version         print the version and exit\n"
	    "  -h, --help            print this help and exit\n",
	    DEFAULT_CONFIG, DEFAULT_STATE_DIR, DEFAULT_LIB_DIR);
}

/*
 * -t reads what it is given, a pipe too (`lvsd -t -f /dev/stdin`): it is a
 * command that may wait for its input.  The daemon reads regular files
 * only (cfg/parse.c), so a reload never waits for a writer.
 */
static struct cfg *
load_for_check(const char *path, struct cfg_diags *diags)
{
	struct stat sb;
	if (stat(path, &sb) < 0 || S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode))
		return cfg_load(path, diags);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return cfg_load(path, diags);	/* says why */
	char *buf = NULL;
	size_t len = 0, cap = 0;
	while (!feof(f) && !ferror(f) && len < (64u << 20)) {
		if (cap - len < 65536)
			buf = xrealloc(buf, cap = cap ? cap * 2 : 65536);
		len += fread(buf + len, 1, cap - len, f);
	}
	fclose(f);
	struct cfg *cfg = cfg_load_buffer(path, buf != NULL ? buf : "", len,
	    diags);
	free(buf);
	return cfg;
}

/*
 * -t: parse, validate and build the plan (for both roles, or the one
 * --role names), print every diagnostic, optionally the configuration.
 * Start and reload run the same checks: a file -t accepts starts.
 */
static int
check_config(const char *path, enum node_role role, bool verbose)
{
	struct cfg_diags *diags = cfg_diags_new();
	struct cfg *cfg = load_for_check(path, diags);
	struct access_policy policy;
	if (cfg != NULL && plan_check_roles(cfg, role, diags) == 0)
		host_check(cfg, &policy, diags);
	if (cfg != NULL && diags->nerrors > 0) {
		cfg_free(cfg);
		cfg = NULL;
	}
	cfg_diags_print(stderr, diags);
	int rc = LVSD_EXIT_OK;
	if (cfg == NULL) {
		fprintf(stderr, "%s: %u error%s\n", path, diags->nerrors,
		    diags->nerrors == 1 ? "" : "s");
		rc = LVSD_EXIT_USAGE;
	} else if (verbose) {
		cfg_print(stdout, cfg);
	} else {
		fprintf(stderr, "%s: configuration OK (%u virtual service%s)\n",
		    path, cfg->nvirtuals, cfg->nvirtuals == 1 ? "" : "s");
	}
	cfg_free(cfg);
	cfg_diags_free(diags);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc;
	/* lvsd's own processes (daemon/child.c) start as `lvsd: KIND`. */
	if (child_main(argc, argv, &rc))
		return rc;
	enum {
		OPT_ROLE = 256, OPT_PID_FILE, OPT_DRY_RUN, OPT_IPVS_DRY_RUN,
		OPT_STATE_DIR, OPT_LIB_DIR, OPT_SOCKET
	};
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "test", no_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "foreground", no_argument, NULL, 'n' },
		{ "debug", no_argument, NULL, 'd' },
		{ "role", required_argument, NULL, OPT_ROLE },
		{ "pid-file", required_argument, NULL, OPT_PID_FILE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "ipvs-dry-run", no_argument, NULL, OPT_IPVS_DRY_RUN },
		{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
		{ "lib-dir", required_argument, NULL, OPT_LIB_DIR },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct lvsd_options opts = {
		.config_path = DEFAULT_CONFIG, .state_dir = DEFAULT_STATE_DIR,
		.lib_dir = DEFAULT_LIB_DIR,
	};
	bool test = false, verbose = false;
	int c;
	while ((c = getopt_long(argc, argv, "f:tvndVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			opts.config_path = optarg;
			break;
		case 't':
			test = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'n':
			opts.foreground = true;
			break;
		case 'd':
			opts.debug = true;
			break;
		case OPT_ROLE:
			if (node_role_parse(optarg, &opts.role) < 0) {
				fprintf(stderr, "lvsd: --role: expected `primary` "
				    "or `backup`, found `%s`\n", optarg);
				return LVSD_EXIT_USAGE;
			}
			break;
		case OPT_PID_FILE:
			opts.pid_file = optarg;
			break;
		case OPT_DRY_RUN:
			opts.dry_run = true;
			break;
		case OPT_IPVS_DRY_RUN:
			opts.ipvs_dry_run = true;
			break;
		case OPT_STATE_DIR:
			opts.state_dir = optarg;
			break;
		case OPT_LIB_DIR:
			opts.lib_dir = optarg;
			break;
		case OPT_SOCKET:
			opts.socket_path = optarg;
			break;
		case 'V':
			printf("lvsd %s\n", PACKAGE_VERSION);
			return LVSD_EXIT_OK;
		case 'h':
			usage(stdout);
			return LVSD_EXIT_OK;
		default:
			usage(stderr);
			return LVSD_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "lvsd: unexpected argument `%s`\n", argv[optind]);
		usage(stderr);
		return LVSD_EXIT_USAGE;
	}
	if (verbose && !test) {
		fprintf(stderr, "lvsd: -v goes with -t\n");
		return LVSD_EXIT_USAGE;
	}
	if (test)
		return check_config(opts.config_path, opts.role, verbose);
	return lvsd_run(&opts);
}
