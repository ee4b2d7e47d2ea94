/*
 * lvsd-web: the operator console and Prometheus endpoint of lvsd.  The
 * main thread polls lvsd's control socket (status, show, events) and
 * publishes a snapshot; libmicrohttpd's threads serve the page, the API
 * and /metrics from it.  Signals are taken synchronously by the poller
 * (sigtimedwait), which also sleeps in it between polls.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "web/auth.h"
#include "web/conf.h"
#include "web/ctlclient.h"
#include "web/history.h"
#include "web/http.h"
#include "web/snapshot.h"

#define DEFAULT_CONFIG	SYSCONFDIR "/lvsd/lvsd-web.conf"
#define POLL_TIMEOUT_MS	30000
#define POLL_SHARE	10	/* lvsd spends at most 1/10 of its time on us */

/* Exit codes with systemd's meanings. */
#define LVSD_WEB_EXIT_FAILURE	1
#define LVSD_WEB_EXIT_USAGE	2	/* bad arguments or configuration */

static pthread_t main_thread;

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: lvsd-web [-f FILE] [-l ADDRESS:PORT] [-s SOCKET] [-d] [-t]\n"
	    "       lvsd-web --hash-password USER\n"
	    "  -f, --config FILE      configuration (default %s;\n"
	    "                         a missing default file means defaults)\n"
	    "  -l, --listen ADDR:PORT where to serve (default 127.0.0.1:%d)\n"
	    "  -s, --socket PATH      lvsd's control socket\n"
	    "  -a, --assets DIR       the page's files\n"
	    "  -d, --debug            log more\n"
	    "  -t, --test             check the configuration and exit\n"
	    "  --hash-password USER   read a password, print a password-file line\n",
	    DEFAULT_CONFIG, WEB_DEFAULT_PORT);
}

static void
kick(void)
{
	pthread_kill(main_thread, SIGUSR1);
}

static int64_t
realtime_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One poll: status, show and the new events, on one connection. */
static void
poll_once(const struct web_config *cfg, struct web_data *wd,
    struct ctl_conn **conn)
{
	char err[512], events_req[96];
	size_t cap = (size_t)cfg->max_reply_mb << 20;
	uint64_t t0 = mono_usec();
	if (*conn == NULL)
		*conn = ctl_connect(cfg->socket, err, sizeof(err));
	snprintf(events_req, sizeof(events_req), "{\"command\":\"events\","
	    "\"since\":%llu}", (unsigned long long)history_last_seq(wd->history));
	size_t l1 = 0, l2 = 0, l3 = 0;
	char *st = NULL, *sh = NULL, *ev = NULL;
	if (*conn != NULL &&
	    (st = ctl_request(*conn, "{\"command\":\"status\"}", cap,
	    POLL_TIMEOUT_MS, &l1, err, sizeof(err))) != NULL &&
	    (sh = ctl_request(*conn, "{\"command\":\"show\"}", cap,
	    POLL_TIMEOUT_MS, &l2, err, sizeof(err))) != NULL)
		ev = ctl_request(*conn, events_req, cap, POLL_TIMEOUT_MS, &l3,
		    err, sizeof(err));
	bool had_error = wd->error[0] != '\0';
	uint64_t t1 = mono_usec();
	if (ev == NULL || web_ingest(wd, st, l1, sh, l2, ev, l3,
	    realtime_ms()) < 0) {
		if (ev == NULL)
			web_poll_failed(wd, err, realtime_ms());
		if (!had_error || wd->poll_errors == 1)
			log_warnx("lvsd: %s", wd->error);
		ctl_close(*conn);
		*conn = NULL;
	} else if (had_error && wd->poll_errors > 0)
		log_info("lvsd answers again");
	free(st);
	free(sh);
	free(ev);
	uint64_t t2 = mono_usec();
	web_publish(wd, realtime_ms());
	uint64_t t3 = mono_usec();
	wd->poll_seconds = (double)(t3 - t0) / 1e6;
	log_debug("poll: lvsd answered in %.3f s (%zu bytes), checked in %.3f s, "
	    "rendered in %.3f s", (double)(t1 - t0) / 1e6, l1 + l2 + l3,
	    (double)(t2 - t1) / 1e6, (double)(t3 - t2) / 1e6);
}

/* Polls until SIGTERM/SIGINT; SIGUSR1 (an action was done) polls now. */
static void
run(const struct web_config *cfg, struct web_data *wd, const sigset_t *sigs)
{
	struct ctl_conn *conn = NULL;
	for (;;) {
		poll_once(cfg, wd, &conn);
		uint64_t wait_ms = cfg->poll_ms;
		uint64_t spent = (uint64_t)(wd->poll_seconds * 1000 * POLL_SHARE);
		if (spent > wait_ms)
			wait_ms = spent;	/* a large table: poll less often */
		struct timespec ts = { (time_t)(wait_ms / 1000),
		    (long)(wait_ms % 1000) * 1000000 };
		int sig = sigtimedwait(sigs, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	ctl_close(conn);
}

static int
hash_password(const char *user)
{
	char pw[256], again[256];
	bool tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (tty)
		fprintf(stderr, "password for %s: ", user);
	bool ok = fgets(pw, sizeof(pw), stdin) != NULL;
	if (tty) {
		fprintf(stderr, "\nagain: ");
		ok = ok && fgets(again, sizeof(again), stdin) != NULL &&
		    strcmp(pw, again) == 0;
		fprintf(stderr, "\n");
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if (!ok || strlen(pw) < 8) {
		fprintf(stderr, "lvsd-web: %s\n", !ok ? "no password (or the two "
		    "differ)" : "a password needs 8 characters or more");
		return LVSD_WEB_EXIT_USAGE;
	}
	char *line = auth_hash_line(user, pw);
	memset(pw, 0, sizeof(pw));
	memset(again, 0, sizeof(again));
	if (line == NULL) {
		fprintf(stderr, "lvsd-web: user names are 1 to 32 of A-Z a-z 0-9 "
		    ". _ - (or scrypt failed)\n");
		return LVSD_WEB_EXIT_USAGE;
	}
	printf("%s\n", line);
	free(line);
	return 0;
}

struct cli {
	const char *config, *listen, *socket, *assets, *hash_user;
	bool config_given, debug, test;
};

static int
parse_args(int argc, char **argv, struct cli *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "listen", required_argument, NULL, 'l' },
		{ "socket", required_argument, NULL, 's' },
		{ "assets", required_argument, NULL, 'a' },
		{ "debug", no_argument, NULL, 'd' },
		{ "test", no_argument, NULL, 't' },
		{ "hash-password", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(o, 0, sizeof(*o));
	o->config = DEFAULT_CONFIG;
	int c;
	while ((c = getopt_long(argc, argv, "f:l:s:a:dth", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->config = optarg; o->config_given = true; break;
		case 'l': o->listen = optarg; break;
		case 's': o->socket = optarg; break;
		case 'a': o->assets = optarg; break;
		case 'd': o->debug = true; break;
		case 't': o->test = true; break;
		case 'H': o->hash_user = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "lvsd-web: unexpected argument `%s`\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* Configuration file, then the command line over it; errors on stderr. */
static unsigned
configure(struct web_config *cfg, const struct cli *o)
{
	web_config_init(cfg);
	unsigned errors = 0;
	if (o->config_given || access(o->config, F_OK) == 0)
		errors += web_config_load(cfg, o->config, stderr);
	if (o->listen != NULL && web_parse_listen(o->listen, &cfg->listen_addr,
	    &cfg->listen_port) < 0) {
		fprintf(stderr, "lvsd-web: --listen: expected ADDRESS:PORT "
		    "(127.0.0.1:3636, [::1]:3636), found `%s`\n", o->listen);
		errors++;
	}
	if (o->socket != NULL) {
		free(cfg->socket);
		cfg->socket = xstrdup(o->socket);
	}
	if (o->assets != NULL) {
		free(cfg->assets);
		cfg->assets = xstrdup(o->assets);
	}
	errors += web_config_check(cfg, o->config, stderr);
	return errors;
}

static int
serve(const struct web_config *cfg, struct auth_users *users)
{
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);
	/* Blocked before libmicrohttpd starts its threads: they inherit it. */
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	main_thread = pthread_self();
	struct web_history *history = history_new(cfg->history_servers);
	struct web_data wd;
	web_data_init(&wd, history);
	wd.refresh_ms = cfg->refresh_ms;
	wd.poll_ms = cfg->poll_ms;
	wd.admin = users != NULL;
	struct web_server ws = {
		.cfg = cfg, .data = &wd, .history = history, .users = users,
		.kick = kick,
	};
	if (users != NULL)
		ws.sessions = auth_sessions_new(cfg->session_s);
	int rc = LVSD_WEB_EXIT_FAILURE;
	if (web_assets_load(&ws) == 0) {
		web_publish(&wd, realtime_ms());
		if (web_http_start(&ws) == 0) {
			char a[LVS_ADDRSTRLEN];
			log_info("serving on %s://%s%s%s:%u/ (lvsd at %s, admin %s)",
			    ws.tls ? "https" : "http",
			    cfg->listen_addr.af == AF_INET6 ? "[" : "",
			    addr_fmt(&cfg->listen_addr, a),
			    cfg->listen_addr.af == AF_INET6 ? "]" : "",
			    cfg->listen_port, cfg->socket, users ? "on" : "off");
			run(cfg, &wd, &sigs);
			rc = 0;
		}
		web_http_stop(&ws);
	}
	web_assets_free(&ws);
	auth_sessions_free(ws.sessions);
	web_data_clear(&wd);
	history_free(history);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli o;
	if (parse_args(argc, argv, &o) < 0)
		return LVSD_WEB_EXIT_USAGE;
	if (o.hash_user != NULL)
		return hash_password(o.hash_user);
	log_init("lvsd-web", LOG_TO_STDERR, o.debug);
	struct web_config cfg;
	unsigned errors = configure(&cfg, &o);
	static struct auth_users users;
	if (errors == 0 && cfg.admin == WEB_ADMIN_PASSWORD)
		errors += auth_users_load(&users, cfg.password_file, stderr);
	if (errors > 0 || o.test) {
		if (errors > 0)
			fprintf(stderr, "lvsd-web: %u error%s\n", errors,
			    errors == 1 ? "" : "s");
		web_config_clear(&cfg);
		return errors > 0 ? LVSD_WEB_EXIT_USAGE : 0;
	}
	int rc = serve(&cfg, cfg.admin == WEB_ADMIN_PASSWORD ? &users : NULL);
	web_config_clear(&cfg);
	return rc;
}
