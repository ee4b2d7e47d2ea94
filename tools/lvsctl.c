/*
 * lvsctl: talk to a running lvsd over its control socket.  One JSON
 * request line out, one JSON reply line back; printed for people, or as
 * JSON with --json.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "tools/lvsctl_print.h"

#define DEFAULT_SOCKET RUNSTATEDIR "/lvsd/lvsd.sock"
#define REPLY_TIMEOUT_MS (300 * 1000)	/* a reload of a large table */

enum { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_CONNECT = 3 };

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: lvsctl [--socket PATH] [--json] COMMAND [ARGS]\n"
	    "  (--socket and --json may also follow the command)\n"
	    "  status                      role, failover, last reload, counts\n"
	    "  show                        the table: health, weights, why, traffic\n"
	    "  drain VIRTUAL/SERVER        weight 0: established connections finish\n"
	    "  disable VIRTUAL/SERVER      take the server out of the table\n"
	    "  enable VIRTUAL/SERVER       undo drain or disable\n"
	    "  failover [--hold SECONDS] [--force]\n"
	    "                              planned switchover (run on the master;\n"
	    "                              refused unless a backup is ready, or --force)\n"
	    "  withdraw [--reason TEXT]    announce: take this director out of the\n"
	    "                              routers' ECMP (routes withdrawn)\n"
	    "  restore                     announce again what health allows\n"
	    "  reload                      reload lvs.cf and print what changed\n"
	    "  dump                        full state, for bug reports (JSON)\n"
	    "  metrics                     Prometheus text format\n"
	    "Overrides (drain, disable, withdraw) persist across reloads and restarts.\n"
	    "Socket: --socket, $LVSCTL_SOCKET, or %s.\n", DEFAULT_SOCKET);
}

static int
connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Sends req, reads one line; the parsed reply or NULL (message printed). */
static struct json_object *
transact(const char *path, struct json_object *req)
{
	int fd = connect_to(path);
	if (fd < 0) {
		fprintf(stderr, "lvsctl: cannot connect to lvsd at %s: %s%s\n",
		    path, strerror(errno), errno == ENOENT ||
		    errno == ECONNREFUSED ? " (is lvsd running?)" : "");
		return NULL;
	}
	const char *s = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	size_t n = strlen(s);
	char *line = malloc(n + 2);
	memcpy(line, s, n);
	line[n++] = '\n';
	/* lvsd refuses a user without a role at once, and closes: its
	 * answer is still there to read, so a broken pipe is no error yet. */
	ssize_t w = send(fd, line, n, MSG_NOSIGNAL);
	int send_errno = errno;
	free(line);
	if (w != (ssize_t)n && send_errno != EPIPE) {
		fprintf(stderr, "lvsctl: cannot send the request: %s\n",
		    strerror(send_errno));
		close(fd);
		return NULL;
	}
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	/* Only the bytes just read are searched: a reply of 100 MB (metrics
	 * of 40,000 real servers) must not cost a scan per read. */
	char *nl = NULL;
	while (nl == NULL) {
		if (poll(&p, 1, REPLY_TIMEOUT_MS) <= 0) {
			fprintf(stderr, "lvsctl: no reply from lvsd\n");
			free(buf);
			close(fd);
			return NULL;
		}
		if (len == cap)
			buf = realloc(buf, cap *= 2);
		ssize_t r = read(fd, buf + len, cap - len);
		if (r <= 0) {
			fprintf(stderr, "lvsctl: lvsd closed the connection\n");
			free(buf);
			close(fd);
			return NULL;
		}
		nl = memchr(buf + len, '\n', (size_t)r);
		len += (size_t)r;
	}
	close(fd);
	*nl = '\0';
	struct json_object *reply = json_tokener_parse(buf);
	free(buf);
	if (reply == NULL)
		fprintf(stderr, "lvsctl: lvsd sent a reply that is not JSON\n");
	return reply;
}

/* `failover [--hold SECONDS] [--force]` into req; -1 on a usage error. */
static int
failover_args(int argc, char **argv, struct json_object *req)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0) {
			json_object_object_add(req, "force",
			    json_object_new_boolean(true));
		} else if (strcmp(argv[i], "--hold") == 0 && i + 1 < argc) {
			char *end;
			long h = strtol(argv[++i], &end, 10);
			if (*end != '\0' || h < 0 || h > 86400) {
				fprintf(stderr, "lvsctl failover: --hold takes "
				    "seconds from 0 to 86400\n");
				return -1;
			}
			json_object_object_add(req, "hold",
			    json_object_new_int((int)h));
		} else {
			fprintf(stderr, "lvsctl failover: usage: lvsctl failover "
			    "[--hold SECONDS] [--force]\n");
			return -1;
		}
	}
	return 0;
}

/* Builds the request from the command line; NULL on a usage error. */
static struct json_object *
build_request(int argc, char **argv)
{
	const char *cmd = argv[0];
	struct json_object *req = json_object_new_object();
	json_object_object_add(req, "command", json_object_new_string(cmd));
	if (strcmp(cmd, "drain") == 0 || strcmp(cmd, "disable") == 0 ||
	    strcmp(cmd, "enable") == 0) {
		if (argc != 2 || strchr(argv[1], '/') == NULL) {
			fprintf(stderr, "lvsctl %s: expected VIRTUAL/SERVER\n", cmd);
			json_object_put(req);
			return NULL;
		}
		json_object_object_add(req, "server", json_object_new_string(argv[1]));
	} else if (strcmp(cmd, "withdraw") == 0 && argc == 3 &&
	    strcmp(argv[1], "--reason") == 0) {
		json_object_object_add(req, "reason", json_object_new_string(argv[2]));
	} else if (strcmp(cmd, "failover") == 0) {
		if (failover_args(argc, argv, req) < 0) {
			json_object_put(req);
			return NULL;
		}
	} else if (argc != 1) {
		fprintf(stderr, "lvsctl %s: unexpected argument `%s`\n", cmd,
		    argv[1]);
		json_object_put(req);
		return NULL;
	}
	return req;
}

struct globals {
	const char *socket;
	bool json;
	bool help;
};

/*
 * Takes the global flags (--json, --socket PATH, --help) from anywhere on
 * the line: `lvsctl status --json` as well as `lvsctl --json status`.
 * The other words, in order, are the command and its arguments
 * (`failover --hold 60`); after `--` no word is a global flag.  Returns
 * the number of words left in argv, or -1 on a usage error (printed).
 */
static int
parse_globals(int argc, char **argv, struct globals *g)
{
	int n = 0;
	bool flags = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (flags && strcmp(a, "--") == 0) {
			flags = false;
		} else if (flags && (strcmp(a, "--json") == 0 ||
		    strcmp(a, "-j") == 0)) {
			g->json = true;
		} else if (flags && (strcmp(a, "--help") == 0 ||
		    strcmp(a, "-h") == 0)) {
			g->help = true;
		} else if (flags && strncmp(a, "--socket=", 9) == 0) {
			g->socket = a + 9;
		} else if (flags && (strcmp(a, "--socket") == 0 ||
		    strcmp(a, "-s") == 0)) {
			if (++i == argc) {
				fprintf(stderr, "lvsctl: %s needs a path\n", a);
				return -1;
			}
			g->socket = argv[i];
		} else if (n == 0 && a[0] == '-') {
			/* Before the command, a flag must be a global one. */
			fprintf(stderr, "lvsctl: unknown option `%s`\n", a);
			return -1;
		} else {
			argv[n++] = argv[i];
		}
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct globals g = { .socket = getenv("LVSCTL_SOCKET") };
	int nwords = parse_globals(argc, argv, &g);
	if (g.help) {
		usage(stdout);
		return EXIT_OK;
	}
	if (nwords <= 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *path = g.socket != NULL ? g.socket : DEFAULT_SOCKET;
	struct json_object *req = build_request(nwords, argv);
	if (req == NULL)
		return EXIT_USAGE;
	struct json_object *reply = transact(path, req);
	json_object_put(req);
	if (reply == NULL)
		return EXIT_CONNECT;
	struct json_object *ok;
	bool good = json_object_object_get_ex(reply, "ok", &ok) &&
	    json_object_get_boolean(ok);
	if (g.json)
		printf("%s\n", json_object_to_json_string_ext(reply,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	else if (!good) {
		struct json_object *e;
		json_object_object_get_ex(reply, "error", &e);
		fprintf(stderr, "lvsctl: %s\n", json_object_get_string(e));
	} else
		lvsctl_print(stdout, argv[0], reply);
	json_object_put(reply);
	return good ? EXIT_OK : EXIT_REFUSED;
}
