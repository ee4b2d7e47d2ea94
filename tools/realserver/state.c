/*
 * The record of what `apply` changed, read back by `undo`.  One change a
 * line, words separated by blanks:
 *
 *   sysctl KEY OLD              KEY (under /proc/sys) was OLD before apply
 *   addr BOOT IFNAME ADDR/PLEN  apply added the address
 *   up BOOT IFNAME              apply brought the link up
 *   fou BOOT PORT ipv4|ipv6     apply opened the GUE listener
 *
 * BOOT is the boot id: an address or a listener of an earlier boot is
 * gone already.  A sysctl's first record stays: undo restores the value
 * from before the first apply, across reboots (the sysctl.d file of
 * `persist` sets the value again at boot).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xalloc.h"
#include "tools/realserver/rs.h"

#define MAXWORDS 5

struct words {
	char *w[MAXWORDS];
	unsigned col[MAXWORDS];
	size_t n;
	bool extra;		/* more words than MAXWORDS */
};

static void
split(char *line, struct words *ws)
{
	char *p = line;

	memset(ws, 0, sizeof(*ws));
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return;
		if (ws->n == MAXWORDS) {
			ws->extra = true;
			return;
		}
		ws->col[ws->n] = (unsigned)(p - line) + 1;
		ws->w[ws->n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

static bool
word_ok(const char *w, size_t max, const char *extra)
{
	size_t n = strlen(w);

	if (n == 0 || n >= max)
		return false;
	for (const char *c = w; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && strchr(extra, *c) == NULL)
			return false;
	return true;
}

static bool
key_ok(const char *k)
{
	return word_ok(k, sizeof(((struct rs_rec *)0)->key), "_./-") &&
	    k[0] != '/' && strstr(k, "..") == NULL;
}

static bool
ifname_ok(const char *n)
{
	return word_ok(n, IFNAMSIZ, "_.-:@") && strcmp(n, ".") != 0 &&
	    strcmp(n, "..") != 0;
}

/* What one record needs: its words after the kind, and their checks. */
static int
parse_fields(struct rs_rec *r, const struct words *ws, unsigned *bad,
    const char **what)
{
	const char *const *w = (const char *const *)ws->w;

	size_t want = r->kind == REC_SYSCTL || r->kind == REC_UP ? 3 : 4;

	/* A word too many is pointed at; a word missing, the record. */
	*bad = ws->n > want || ws->extra ? (unsigned)want : 0;
	*what = r->kind == REC_SYSCTL ? "`sysctl KEY OLD-VALUE`" :
	    r->kind == REC_ADDR ? "`addr BOOT-ID INTERFACE ADDRESS/PREFIX`" :
	    r->kind == REC_UP ? "`up BOOT-ID INTERFACE`" :
	    "`fou BOOT-ID PORT ipv4|ipv6`";
	if (ws->n != want || ws->extra)
		return -1;
	*bad = 1;
	if (r->kind == REC_SYSCTL) {
		if (!key_ok(w[1]))
			return -1;
		*bad = 2;
		if (!word_ok(w[2], sizeof(r->old), "_.-"))
			return -1;
		snprintf(r->key, sizeof(r->key), "%s", w[1]);
		snprintf(r->old, sizeof(r->old), "%s", w[2]);
		return 0;
	}
	if (!word_ok(w[1], sizeof(r->boot), "-"))
		return -1;
	snprintf(r->boot, sizeof(r->boot), "%s", w[1]);
	*bad = 2;
	if (r->kind == REC_FOU) {
		char *end;
		unsigned long port = strtoul(w[2], &end, 10);
		if (*end != '\0' || port == 0 || port > 65535 || !isdigit((unsigned char)*w[2]))
			return -1;
		r->port = (uint16_t)port;
		*bad = 3;
		if (strcmp(w[3], "ipv4") != 0 && strcmp(w[3], "ipv6") != 0)
			return -1;
		r->af = w[3][3] == '4' ? AF_INET : AF_INET6;
		return 0;
	}
	if (!ifname_ok(w[2]))
		return -1;
	snprintf(r->ifname, sizeof(r->ifname), "%s", w[2]);
	if (r->kind == REC_UP)
		return 0;
	*bad = 3;
	char a[64], *slash, *end;
	snprintf(a, sizeof(a), "%s", w[3]);
	if ((slash = strchr(a, '/')) == NULL)
		return -1;
	*slash = '\0';
	unsigned long plen = strtoul(slash + 1, &end, 10);
	if (addr_parse(a, &r->addr) < 0 || *end != '\0' ||
	    !isdigit((unsigned char)slash[1]) || plen > addr_max_prefix(r->addr.af))
		return -1;
	r->plen = (unsigned)plen;
	return 0;
}

static int
parse_line(const char *name, unsigned lineno, char *line, struct rs_state *st,
    char *why, size_t whylen)
{
	static const char *const kinds[] = { "sysctl", "addr", "up", "fou" };
	struct words ws;
	struct rs_rec r;
	unsigned bad;
	const char *what = "";
	size_t k;

	split(line, &ws);
	if (ws.n == 0 || ws.w[0][0] == '#')
		return 0;
	for (k = 0; k < 4 && strcmp(ws.w[0], kinds[k]) != 0; k++)
		;
	if (k == 4) {
		snprintf(why, whylen, "%s:%u:%u: error: unknown record `%.40s`: "
		    "expected sysctl, addr, up or fou", name, lineno, ws.col[0],
		    ws.w[0]);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.kind = (enum rs_rec_kind)k;
	if (parse_fields(&r, &ws, &bad, &what) < 0) {
		snprintf(why, whylen, "%s:%u:%u: error: bad %s record: "
		    "expected %s", name, lineno, ws.col[bad], kinds[k], what);
		return -1;
	}
	rs_state_add(st, &r);
	return 0;
}

int
rs_state_parse(const char *name, const char *text, struct rs_state *st,
    char *why, size_t whylen)
{
	unsigned lineno = 0;
	const char *p = text;

	memset(st, 0, sizeof(*st));
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char line[512];

		lineno++;
		if (len >= sizeof(line) || memchr(p, '\0', len) != NULL) {
			snprintf(why, whylen, "%s:%u:1: error: line longer than "
			    "%zu bytes", name, lineno, sizeof(line) - 1);
			rs_state_free(st);
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (parse_line(name, lineno, line, st, why, whylen) < 0) {
			rs_state_free(st);
			return -1;
		}
		p += len + (nl != NULL);
	}
	return 0;
}

int
rs_state_load(const char *path, struct rs_state *st, char *why, size_t whylen)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0, n;
	char buf[4096];
	int rc;

	memset(st, 0, sizeof(*st));
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && len < (1u << 20)) {
		text = xrealloc(text, len + n + 1);
		memcpy(text + len, buf, n);
		len += n;
	}
	fclose(f);
	if (text == NULL)
		return 0;
	text[len] = '\0';
	rc = rs_state_parse(path, text, st, why, whylen);
	free(text);
	return rc;
}

void
rs_state_write(FILE *out, const struct rs_state *st)
{
	char ab[LVS_ADDRSTRLEN];

	fputs("# lvs-realserver: what `apply` changed; `lvs-realserver undo` "
	    "reverses it\n", out);
	for (size_t i = 0; i < st->nrecs; i++) {
		const struct rs_rec *r = &st->recs[i];
		switch (r->kind) {
		case REC_SYSCTL:
			fprintf(out, "sysctl %s %s\n", r->key, r->old);
			break;
		case REC_ADDR:
			fprintf(out, "addr %s %s %s/%u\n", r->boot, r->ifname,
			    addr_fmt(&r->addr, ab), r->plen);
			break;
		case REC_UP:
			fprintf(out, "up %s %s\n", r->boot, r->ifname);
			break;
		case REC_FOU:
			fprintf(out, "fou %s %u ipv%c\n", r->boot, r->port,
			    r->af == AF_INET ? '4' : '6');
			break;
		}
	}
}

int
rs_state_save(const char *path, const struct rs_state *st)
{
	char *tmp;
	FILE *f;

	if (st->nrecs == 0) {
		if (unlink(path) < 0 && errno != ENOENT)
			return -1;
		return 0;
	}
	tmp = xasprintf("%s.tmp", path);
	f = fopen(tmp, "we");
	if (f == NULL) {
		free(tmp);
		return -1;
	}
	rs_state_write(f, st);
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || fclose(f) != 0 ||
	    rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	free(tmp);
	return 0;
}

void
rs_state_add(struct rs_state *st, const struct rs_rec *r)
{
	st->recs = xrealloc(st->recs, (st->nrecs + 1) * sizeof(*st->recs));
	st->recs[st->nrecs++] = *r;
}

const struct rs_rec *
rs_state_sysctl(const struct rs_state *st, const char *key)
{
	for (size_t i = 0; i < st->nrecs; i++)
		if (st->recs[i].kind == REC_SYSCTL &&
		    strcmp(st->recs[i].key, key) == 0)
			return &st->recs[i];
	return NULL;
}

void
rs_state_free(struct rs_state *st)
{
	free(st->recs);
	st->recs = NULL;
	st->nrecs = 0;
}
