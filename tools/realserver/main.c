/*
 * lvs-realserver: the command line, and `show`.  See rs.h for the parts
 * and lvs-realserver(8) for the user's view.
 */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "lib/xalloc.h"
#include "tools/realserver/rs.h"

#define DEFAULT_CONFIG SYSCONFDIR "/lvsd/lvs.cf"
#define DEFAULT_STATE LOCALSTATEDIR "/lib/lvs-realserver/state"

/* Exit codes with systemd's meanings. */
#define EXIT_USAGE 2
#define EXIT_NOTCONFIGURED 6

struct args {
	const char *config, *command;
	bool all;
	enum rs_mode mode;
	enum rs_tun tun;
	long gue_port;
	sa_family_t outer;
	char **vips;
	int nvips;
	struct rs_opts o;
	char *state_abs;	/* --state made absolute */
};

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: lvs-realserver [options] show|apply|persist|undo [VIP...]\n"
	    "Sets this host up as a real server for LVS direct routing or\n"
	    "tunnelling: the VIPs of the lvs.cf services that list this host's\n"
	    "addresses, or the VIPs given.\n"
	    "  show     what apply would change, and what is wrong now\n"
	    "           (exit 0: in place; 1: changes or problems)\n"
	    "  apply    make it so (again: nothing to do), recording what changed\n"
	    "  persist  apply, and keep it across reboots (a sysctl.d file and\n"
	    "           a systemd unit)\n"
	    "  undo     reverse exactly what apply and persist changed\n"
	    "options:\n"
	    "  -f, --config FILE     lvs.cf (default %s)\n"
	    "  -a, --all             every direct-routing and tunnel service of\n"
	    "                        the file, not only those listing this host\n"
	    "  -m, --mode dr|tun     for VIPs given: direct routing (default) or\n"
	    "                        tunnelling\n"
	    "  -t, --tunnel ipip|gue|gre   tunnel type (default ipip)\n"
	    "  -p, --gue-port PORT   UDP port the director sends GUE to\n"
	    "      --outer inet|inet6   family of this host's address the\n"
	    "                        director tunnels to (default: the VIP's)\n"
	    "  -i, --interface IF    an interface that carries traffic (again for\n"
	    "                        more; default: those holding this host's\n"
	    "                        real-server addresses, or all with IPv4)\n"
	    "      --state FILE      record of changes (default %s)\n"
	    "      --root DIR        persist/undo: write the files under DIR\n"
	    "  -V, --version         print the version and exit\n"
	    "  -h, --help            print this help and exit\n",
	    DEFAULT_CONFIG, DEFAULT_STATE);
}

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A usage error, said on stderr; returns -1. */
static int
bad(const char *fmt, ...)
{
	va_list ap;

	fputs("lvs-realserver: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (lvs-realserver --help)\n", stderr);
	return -1;
}

static int
parse_option(struct args *a, int c, const char *arg)
{
	char *end;

	switch (c) {
	case 'f': a->config = arg; return 0;
	case 'a': a->all = true; return 0;
	case 'm':
		if (strcmp(arg, "dr") != 0 && strcmp(arg, "tun") != 0)
			return bad("--mode: `%s`: expected dr or tun", arg);
		a->mode = arg[0] == 'd' ? RS_DR : RS_TUN;
		return 0;
	case 't':
		if (strcmp(arg, "ipip") == 0)
			a->tun = RS_TUN_IPIP;
		else if (strcmp(arg, "gue") == 0)
			a->tun = RS_TUN_GUE;
		else if (strcmp(arg, "gre") == 0)
			a->tun = RS_TUN_GRE;
		else
			return bad("--tunnel: `%s`: expected ipip, gue or gre", arg);
		return 0;
	case 'p':
		a->gue_port = strtol(arg, &end, 10);
		if (*end != '\0' || a->gue_port < 1 || a->gue_port > 65535)
			return bad("--gue-port: `%s`: expected a port, 1 to 65535", arg);
		return 0;
	case 'o':
		if (strcmp(arg, "inet") != 0 && strcmp(arg, "inet6") != 0)
			return bad("--outer: `%s`: expected inet or inet6", arg);
		a->outer = strcmp(arg, "inet") == 0 ? AF_INET : AF_INET6;
		return 0;
	case 's': a->o.state_path = arg; return 0;
	case 'r': a->o.root = arg; return 0;
	}
	return -1;
}

static int
parse_args(int argc, char **argv, struct args *a, struct rs_plan *p)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "mode", required_argument, NULL, 'm' },
		{ "tunnel", required_argument, NULL, 't' },
		{ "gue-port", required_argument, NULL, 'p' },
		{ "outer", required_argument, NULL, 'o' },
		{ "interface", required_argument, NULL, 'i' },
		{ "state", required_argument, NULL, 's' },
		{ "root", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "f:am:t:p:i:Vh", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		} else if (c == 'V') {
			printf("lvs-realserver %s\n", PACKAGE_VERSION);
			exit(0);
		} else if (c == 'i') {
			rs_plan_add_iface(p, optarg);
		} else if (c == '?' || parse_option(a, c, optarg) < 0) {
			if (c == '?')
				usage(stderr);
			return -1;
		}
	}
	if (optind >= argc)
		return bad("%s", "which command: show, apply, persist or undo?");
	a->command = argv[optind++];
	if (strcmp(a->command, "show") != 0 && strcmp(a->command, "apply") != 0 &&
	    strcmp(a->command, "persist") != 0 && strcmp(a->command, "undo") != 0)
		return bad("unknown command `%s`: expected show, apply, persist "
		    "or undo", a->command);
	a->vips = argv + optind;
	a->nvips = argc - optind;
	if (a->nvips > 0 && a->mode == RS_TUN && a->tun == RS_TUN_GUE &&
	    a->gue_port == 0)
		return bad("%s", "--tunnel gue needs --gue-port");
	if (strcmp(a->command, "undo") == 0 && a->nvips > 0)
		return bad("%s", "undo takes no VIP: it reverses what was recorded");
	/* The unit persist writes runs elsewhere: the record by full path. */
	if (a->o.state_path[0] != '/') {
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return bad("%s", "--state: cannot tell the current directory");
		a->state_abs = xasprintf("%s/%s", cwd, a->o.state_path);
		a->o.state_path = a->state_abs;
	}
	return 0;
}

/* The VIPs: from the command line, or from lvs.cf.  Exit code, or 0. */
static int
select_vips(const struct args *a, struct rs_plan *p, const struct rs_host *h)
{
	char why[1024];

	if (a->nvips > 0) {
		for (int i = 0; i < a->nvips; i++)
			if (rs_select_arg(p, a->vips[i], a->mode, a->tun,
			    (uint16_t)a->gue_port, why, sizeof(why)) < 0) {
				fprintf(stderr, "lvs-realserver: %s\n", why);
				return EXIT_USAGE;
			}
		for (size_t i = 0; a->outer != 0 && i < p->nvips; i++)
			p->vips[i].outer = a->outer;
		return 0;
	}
	struct cfg_diags *diags = cfg_diags_new();
	struct cfg *cfg = cfg_load(a->config, diags);
	cfg_diags_print(stderr, diags);
	cfg_diags_free(diags);
	if (cfg == NULL) {
		fprintf(stderr, "lvs-realserver: %s has errors: nothing done\n",
		    a->config);
		return EXIT_USAGE;
	}
	int rc = rs_select_cfg(p, cfg, h, a->all, why, sizeof(why));
	cfg_free(cfg);
	if (rc < 0) {
		fprintf(stderr, "lvs-realserver: %s\n", why);
		return EXIT_NOTCONFIGURED;
	}
	return 0;
}

static int
show(const struct rs_plan *p, const struct rs_host *h)
{
	char ab[LVS_ADDRSTRLEN], ib[200], now[128];
	size_t todo = 0;

	for (size_t i = 0; i < p->nvips; i++) {
		const struct rs_vip *v = &p->vips[i];
		if (v->mode == RS_DR)
			printf("VIP %s: direct routing, for %s\n",
			    addr_fmt(&v->vip, ab), v->why);
		else if (v->tun == RS_TUN_GUE)
			printf("VIP %s: tunnelled (gue on UDP port %u, to this "
			    "host's IPv%c address), for %s\n", addr_fmt(&v->vip, ab),
			    v->gue_port, v->outer == AF_INET ? '4' : '6', v->why);
		else
			printf("VIP %s: tunnelled (%s, to this host's IPv%c "
			    "address), for %s\n", addr_fmt(&v->vip, ab),
			    rs_tun_name(v->tun), v->outer == AF_INET ? '4' : '6',
			    v->why);
	}
	for (size_t i = 0; i < p->nifaces; i++)
		printf("%s %s%s", i == 0 ? "interfaces that carry traffic:" : "",
		    p->ifaces[i], i + 1 == p->nifaces ? "\n" : ",");
	for (size_t i = 0; i < p->nitems; i++) {
		const struct rs_item *it = &p->items[i];
		bool done = rs_item_done(it, h, now, sizeof(now));
		todo += !done;
		printf("  %-7s %s%s%s%s\n", done ? "ok" : "change",
		    rs_item_fmt(it, ib, sizeof(ib)), done ? "" : " (",
		    done ? "" : now, done ? "" : ")");
	}
	rs_diagnose(p, h, stdout);
	for (size_t i = 0; i < p->nproblems; i++)
		printf("problem: %s\n", p->problems[i]);
	if (todo == 0 && p->nproblems == 0)
		printf("lvs-realserver: this host is set up for its VIPs\n");
	else if (todo > 0)
		printf("lvs-realserver: %zu of %zu settings to change "
		    "(lvs-realserver apply)\n", todo, p->nitems);
	return todo == 0 && p->nproblems == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct args a = { .config = DEFAULT_CONFIG, .mode = RS_DR,
	    .o = { .state_path = DEFAULT_STATE } };
	struct rs_plan p = { 0 };
	struct rs_host h = { 0 };
	struct rs_nl *nl;
	char why[512];
	int rc;

	/* Changes (stdout) and errors (stderr) in the order they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &a, &p) < 0) {
		rs_plan_free(&p);
		return EXIT_USAGE;
	}
	if ((nl = rs_nl_open(why, sizeof(why))) == NULL) {
		fprintf(stderr, "lvs-realserver: %s\n", why);
		rs_plan_free(&p);
		free(a.state_abs);
		return 1;
	}
	if (strcmp(a.command, "undo") == 0) {
		rc = rs_undo(nl, &a.o) < 0;
	} else if (rs_host_read(nl, &h, why, sizeof(why)) < 0) {
		fprintf(stderr, "lvs-realserver: %s\n", why);
		rc = 1;
	} else if ((rc = select_vips(&a, &p, &h)) == 0) {
		rs_plan_build(&p, &h);
		if (strcmp(a.command, "show") == 0)
			rc = show(&p, &h);
		else
			rc = rs_apply(nl, &p, &h, &a.o) < 0;
		if (strcmp(a.command, "persist") == 0 && rs_persist(&p, &a.o) < 0)
			rc = 1;
	}
	rs_host_free(&h);
	rs_plan_free(&p);
	rs_nl_close(nl);
	free(a.state_abs);
	return rc;
}
