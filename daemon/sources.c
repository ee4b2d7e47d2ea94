/*
 * What a load of lvs.cf read, and whether reading again would read the
 * same (daemon/sources.h).
 *
 * Why skipping the parse is safe: the parser's output is a function of
 * the bytes it reads, the files an `include` pattern matches, and the
 * port names of /etc/services (cfg/types.c); nothing else of the host
 * enters it (the role is decided once at start; users, groups and
 * scripts are the host checks', which run at every reload).  The digests
 * are of the bytes parsed, taken as they are read (cfg_read_watch), so a
 * file changed during a load is never recorded with content it did not
 * have; /etc/services is hashed before the load, so a change during it
 * shows at the next reload.  With the same content in every file, the
 * same `include` lines are met in the same order; with the same matches
 * for each, the same files are read: the same configuration.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/sources.h"
#include "lib/xalloc.h"

#define SERVICES_FILE	"/etc/services"
/* Deeper than cfg/parse.c lets includes nest. */
#define MAX_OPEN	32

struct source {
	char *path;		/* a file, or an include's pattern */
	bool pattern;
	uint64_t size;		/* file: the bytes hashed, */
	unsigned char md[EVP_MAX_MD_SIZE];	/* their SHA-256 */
	unsigned mdlen;
	char **matches;		/* pattern: what it matched */
	size_t nmatches;
};

struct cfg_sources {
	struct source *v;
	size_t n, cap;
	/* files being read, innermost last: v[open[i]] */
	size_t open[MAX_OPEN];
	EVP_MD_CTX *ctx[MAX_OPEN];
	unsigned depth;
	bool broken;		/* a digest failed: never "unchanged" */
	struct cfg_read_watch watch;
};

static struct source *
push(struct cfg_sources *s, const char *path, bool pattern)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	struct source *x = &s->v[s->n++];
	memset(x, 0, sizeof(*x));
	x->path = xstrdup(path);
	x->pattern = pattern;
	return x;
}

/* SHA-256 of a regular file's content; -1 with why when unreadable. */
static int
digest_file(const char *path, uint64_t *size, unsigned char *md,
    unsigned *mdlen, char *why, size_t whylen)
{
	/* O_NONBLOCK: a FIFO put in a file's place never holds a reload. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		snprintf(why, whylen, "%s: %s", path, fd < 0 ? strerror(errno) :
		    "not a regular file now");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1;
	char buf[65536];
	ssize_t n;
	*size = 0;
	while (ok && ((n = read(fd, buf, sizeof(buf))) > 0 ||
	    (n < 0 && errno == EINTR))) {
		if (n < 0)
			continue;
		ok = EVP_DigestUpdate(c, buf, (size_t)n) == 1;
		*size += (uint64_t)n;
	}
	ok = ok && n == 0 && EVP_DigestFinal_ex(c, md, mdlen) == 1;
	EVP_MD_CTX_free(c);
	close(fd);
	if (!ok)
		snprintf(why, whylen, "%s: cannot be read again", path);
	return ok ? 0 : -1;
}

static void
on_file(void *ctx, const char *path)
{
	struct cfg_sources *s = ctx;
	push(s, path, false);
	if (s->depth == MAX_OPEN) {
		s->broken = true;
		return;
	}
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
		s->broken = true;
	s->open[s->depth] = s->n - 1;
	s->ctx[s->depth++] = c;
}

static void
on_bytes(void *ctx, const void *buf, size_t n)
{
	struct cfg_sources *s = ctx;
	if (s->depth == 0 || s->ctx[s->depth - 1] == NULL)
		return;
	if (EVP_DigestUpdate(s->ctx[s->depth - 1], buf, n) != 1)
		s->broken = true;
	s->v[s->open[s->depth - 1]].size += n;
}

static void
on_done(void *ctx)
{
	struct cfg_sources *s = ctx;
	if (s->depth == 0)
		return;
	EVP_MD_CTX *c = s->ctx[--s->depth];
	struct source *x = &s->v[s->open[s->depth]];
	if (c == NULL || EVP_DigestFinal_ex(c, x->md, &x->mdlen) != 1)
		s->broken = true;
	EVP_MD_CTX_free(c);
}

static void
on_expanded(void *ctx, const char *pattern, char *const *paths, size_t n)
{
	struct cfg_sources *s = ctx;
	struct source *x = push(s, pattern, true);
	x->nmatches = n;
	x->matches = xcalloc(n ? n : 1, sizeof(*x->matches));
	for (size_t i = 0; i < n; i++)
		x->matches[i] = xstrdup(paths[i]);
}

struct cfg_sources *
sources_new(void)
{
	struct cfg_sources *s = xcalloc(1, sizeof(*s));
	s->watch = (struct cfg_read_watch){
		.ctx = s, .file = on_file, .bytes = on_bytes, .done = on_done,
		.expanded = on_expanded,
	};
	struct source *x = push(s, SERVICES_FILE, false);
	char why[64];
	/* No /etc/services: recorded as unreadable, and compared so. */
	if (digest_file(SERVICES_FILE, &x->size, x->md, &x->mdlen, why,
	    sizeof(why)) < 0)
		x->mdlen = 0;
	return s;
}

void
sources_free(struct cfg_sources *s)
{
	if (s == NULL)
		return;
	while (s->depth > 0)
		EVP_MD_CTX_free(s->ctx[--s->depth]);
	for (size_t i = 0; i < s->n; i++) {
		for (size_t j = 0; j < s->v[i].nmatches; j++)
			free(s->v[i].matches[j]);
		free(s->v[i].matches);
		free(s->v[i].path);
	}
	free(s->v);
	free(s);
}

const struct cfg_read_watch *
sources_watch(struct cfg_sources *s)
{
	return &s->watch;
}

size_t
sources_nfiles(const struct cfg_sources *s)
{
	size_t n = 0;
	for (size_t i = 1; i < s->n; i++)	/* not /etc/services */
		n += !s->v[i].pattern;
	return n;
}

static bool
same_matches(const struct source *x, char *why, size_t whylen)
{
	glob_t g;
	int r = glob(x->path, GLOB_ERR, NULL, &g);
	size_t n = r == 0 ? g.gl_pathc : 0;
	bool same = (r == 0 || r == GLOB_NOMATCH) && n == x->nmatches;
	for (size_t i = 0; same && i < n; i++)
		same = strcmp(g.gl_pathv[i], x->matches[i]) == 0;
	if (r == 0)
		globfree(&g);
	if (!same)
		snprintf(why, whylen, "`include %s` matches other files", x->path);
	return same;
}

bool
sources_unchanged(const struct cfg_sources *s, char *why, size_t whylen)
{
	if (s->broken || s->depth != 0) {
		snprintf(why, whylen, "the last read was not recorded whole");
		return false;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct source *x = &s->v[i];
		if (x->pattern) {
			if (!same_matches(x, why, whylen))
				return false;
			continue;
		}
		uint64_t size;
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned mdlen = 0;
		if (digest_file(x->path, &size, md, &mdlen, why, whylen) < 0) {
			if (i == 0 && x->mdlen == 0)
				continue;	/* no /etc/services, still */
			return false;
		}
		if (size != x->size || mdlen != x->mdlen ||
		    memcmp(md, x->md, mdlen) != 0) {
			snprintf(why, whylen, "%s changed", x->path);
			return false;
		}
	}
	return true;
}
