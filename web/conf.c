/*
 * lvsd-web.conf: one `key = value` per line.  A value runs to the end of
 * the line or to a `#` preceded by a blank; surrounding blanks are
 * dropped.  Keys are looked up in one table (type, bounds, field); an
 * unknown key gets a "did you mean".
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/suggest.h"
#include "lib/xalloc.h"
#include "web/conf.h"

#define MAX_FILE	(1024 * 1024)
#ifndef WEB_ASSETS_DIR		/* set by the build; not by the fuzz build */
#define WEB_ASSETS_DIR	"/usr/share/lvsd/web"
#endif
#ifndef RUNSTATEDIR
#define RUNSTATEDIR	"/run"
#endif

enum key_type { K_LISTEN, K_PATH, K_DURATION, K_UINT, K_ADMIN };

struct key {
	const char *name;
	enum key_type type;
	size_t off;			/* field in struct web_config */
	uint64_t min, max;		/* durations in ms, or integers */
	const char *expected;		/* what the error says */
};

#define F(f) offsetof(struct web_config, f)
static const struct key keys[] = {
	{ "listen", K_LISTEN, 0, 0, 0,
	    "ADDRESS:PORT (127.0.0.1:3636, [::1]:3636)" },
	{ "socket", K_PATH, F(socket), 0, 0, "an absolute path" },
	{ "poll_interval", K_DURATION, F(poll_ms), 250, 60000,
	    "a duration from 250ms to 60s" },
	{ "refresh", K_DURATION, F(refresh_ms), 1000, 60000,
	    "a duration from 1s to 60s" },
	{ "history_servers", K_UINT, F(history_servers), 0, 100000,
	    "an integer from 0 to 100000" },
	{ "assets", K_PATH, F(assets), 0, 0, "an absolute path" },
	{ "charts", K_PATH, F(charts), 0, 0, "an absolute path" },
	{ "tls_certificate", K_PATH, F(tls_certificate), 0, 0,
	    "an absolute path" },
	{ "tls_key", K_PATH, F(tls_key), 0, 0, "an absolute path" },
	{ "admin", K_ADMIN, F(admin), 0, 0, "`off` or `password`" },
	{ "password_file", K_PATH, F(password_file), 0, 0, "an absolute path" },
	{ "session_timeout", K_DURATION, F(session_s), 60000, 7 * 86400000ULL,
	    "a duration from 1m to 7d" },
	{ "max_reply_mb", K_UINT, F(max_reply_mb), 1, 4096,
	    "an integer from 1 to 4096" },
};
#undef F
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void
web_config_init(struct web_config *c)
{
	memset(c, 0, sizeof(*c));
	addr_parse("127.0.0.1", &c->listen_addr);
	c->listen_port = WEB_DEFAULT_PORT;
	c->socket = xstrdup(RUNSTATEDIR "/lvsd/lvsd.sock");
	c->poll_ms = 2000;
	c->refresh_ms = 3000;
	c->history_servers = 2000;
	c->assets = xstrdup(WEB_ASSETS_DIR);
	c->charts = xstrdup("/usr/share/javascript/dygraphs");
	c->admin = WEB_ADMIN_OFF;
	c->session_s = 8 * 3600;
	c->max_reply_mb = 256;
}

void
web_config_clear(struct web_config *c)
{
	free(c->socket);
	free(c->assets);
	free(c->charts);
	free(c->tls_certificate);
	free(c->tls_key);
	free(c->password_file);
	memset(c, 0, sizeof(*c));
}

int
web_parse_listen(const char *s, struct lvs_addr *a, uint16_t *port)
{
	char host[64];
	const char *colon;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (end == NULL || end[1] != ':' || (size_t)(end - s) > sizeof(host))
			return -1;
		snprintf(host, sizeof(host), "%.*s", (int)(end - s - 1), s + 1);
		colon = end + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || (size_t)(colon - s) >= sizeof(host) ||
		    memchr(s, ':', (size_t)(colon - s)) != NULL)
			return -1;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
	}
	if (addr_parse(host, a) < 0 || (s[0] == '[') != (a->af == AF_INET6))
		return -1;
	char *end;
	errno = 0;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || errno != 0 ||
	    p == 0 || p > 65535)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

int
web_parse_duration_ms(const char *s, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 },
	};
	char *end;
	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || v > 1000000000ULL)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0) {
			*ms = v * units[i].ms;
			return 0;
		}
	return -1;
}

static void __attribute__((format(printf, 5, 6)))
error_at(FILE *err, const char *name, unsigned line, size_t col,
    const char *fmt, ...)
{
	va_list ap;
	fprintf(err, "%s:%u:%zu: error: ", name, line, col);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

static const struct key *
find_key(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* Sets k from value; 0, or -1 if the value is not what k expects. */
static int
set_key(struct web_config *c, const struct key *k, const char *value)
{
	char *base = (char *)c;
	uint64_t v;
	char *end;
	switch (k->type) {
	case K_LISTEN:
		return web_parse_listen(value, &c->listen_addr, &c->listen_port);
	case K_PATH:
		if (value[0] != '/')
			return -1;
		free(*(char **)(base + k->off));
		*(char **)(base + k->off) = xstrdup(value);
		return 0;
	case K_ADMIN:
		if (strcmp(value, "off") != 0 && strcmp(value, "password") != 0)
			return -1;
		c->admin = strcmp(value, "off") == 0 ? WEB_ADMIN_OFF :
		    WEB_ADMIN_PASSWORD;
		return 0;
	case K_DURATION:
		if (web_parse_duration_ms(value, &v) < 0 || v < k->min || v > k->max)
			return -1;
		if (k->off == offsetof(struct web_config, session_s))
			v /= 1000;
		*(unsigned *)(base + k->off) = (unsigned)v;
		return 0;
	case K_UINT:
		errno = 0;
		v = strtoull(value, &end, 10);
		if (value[0] < '0' || value[0] > '9' || *end != '\0' ||
		    errno != 0 || v < k->min || v > k->max)
			return -1;
		*(unsigned *)(base + k->off) = (unsigned)v;
		return 0;
	}
	return -1;
}

static bool
blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* One line (NUL-terminated, no newline); the number of errors. */
static unsigned
parse_line(struct web_config *c, const char *name, unsigned lineno,
    char *line, FILE *err)
{
	char *p = line;
	while (blank(*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	char *key = p;
	while ((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9'))
		p++;
	char *key_end = p;
	while (blank(*p))
		p++;
	if (key_end == key || *p != '=') {
		error_at(err, name, lineno, (size_t)(p - line) + 1, "expected "
		    "`key = value`");
		return 1;
	}
	*key_end = '\0';
	p++;
	while (blank(*p))
		p++;
	char *value = p;
	for (char *h = value; *h != '\0'; h++)
		if (*h == '#' && h > value && blank(h[-1])) {
			*h = '\0';
			break;
		}
	size_t n = strlen(value);
	while (n > 0 && blank(value[n - 1]))
		value[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f) {
			error_at(err, name, lineno, (size_t)(value - line) + i + 1,
			    "control character in a value");
			return 1;
		}
	const struct key *k = find_key(key);
	if (k == NULL) {
		const char *names[NKEYS];
		for (size_t i = 0; i < NKEYS; i++)
			names[i] = keys[i].name;
		const char *near = suggest_nearest(key, names, NKEYS);
		error_at(err, name, lineno, (size_t)(key - line) + 1, "unknown key "
		    "`%s`%s%s%s", key, near ? "; did you mean `" : "",
		    near ? near : "", near ? "`?" : "");
		return 1;
	}
	if (n == 0 || set_key(c, k, value) < 0) {
		error_at(err, name, lineno, (size_t)(value - line) + 1, "`%s`: "
		    "expected %s, found `%s`", k->name, k->expected, value);
		return 1;
	}
	return 0;
}

unsigned
web_config_parse(struct web_config *c, const char *name, const char *text,
    size_t len, FILE *err)
{
	unsigned errors = 0, lineno = 0;
	size_t start = 0;
	while (start < len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		lineno++;
		if (memchr(text + start, '\0', end - start) != NULL) {
			error_at(err, name, lineno, 1, "NUL byte in the file");
			errors++;
		} else if (end - start > 4096) {
			error_at(err, name, lineno, 4097, "line longer than 4096 "
			    "bytes");
			errors++;
		} else {
			char *line = xstrndup(text + start, end - start);
			errors += parse_line(c, name, lineno, line, err);
			free(line);
		}
		start = end + 1;
	}
	return errors;
}

unsigned
web_config_load(struct web_config *c, const char *path, FILE *err)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return 1;
	}
	char *buf = xmalloc(MAX_FILE + 1);
	size_t n = fread(buf, 1, MAX_FILE + 1, f);
	bool bad = ferror(f) != 0;
	fclose(f);
	unsigned errors;
	if (bad || n > MAX_FILE) {
		fprintf(err, "%s: %s\n", path, bad ? "read error" :
		    "larger than 1 MiB");
		errors = 1;
	} else
		errors = web_config_parse(c, path, buf, n, err);
	free(buf);
	return errors;
}

unsigned
web_config_check(const struct web_config *c, const char *name, FILE *err)
{
	unsigned errors = 0;
	if ((c->tls_certificate == NULL) != (c->tls_key == NULL)) {
		fprintf(err, "%s: error: `tls_certificate` and `tls_key` go "
		    "together (HTTPS needs both)\n", name);
		errors++;
	}
	if (c->admin == WEB_ADMIN_PASSWORD && c->password_file == NULL) {
		fprintf(err, "%s: error: `admin = password` needs `password_file` "
		    "(make it with `lvsd-web --hash-password USER`)\n", name);
		errors++;
	}
	return errors;
}
