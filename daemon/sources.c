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
 *
 * A file's digest is a SHA-256 for each BLOCK bytes of it: the same
 * size and the same digest for every block is the same content, and a
 * file read again to compare stops at its first block that differs (a
 * change near the top of a large file costs little more than that block,
 * where one digest of the whole would read and hash it all twice: to
 * compare, then to parse).
 *
 * Why a file is not always read again: its content is the same when the
 * inode lvsd read is still the one its path names, with the same size,
 * mtime and ctime, and was "settled" when read: its ctime and mtime at
 * the end of that read were more than SETTLE_NS before the read began.
 * Every write sets both times to the time of the write, and no program
 * can set the ctime back (utimensat sets it to now), so a write after
 * the read began leaves a ctime later than that, which differs from the
 * recorded one; SETTLE_NS covers filesystems whose times are coarse (up
 * to 2 s) or lag the clock.  A file written just before or during its
 * read is not settled: it is hashed at the next reload, and recorded
 * again (settled by then) if its content is the same.  A change of inode
 * (an editor's rename over the file, a symbolic link pointed elsewhere)
 * differs by device and inode number.  What this trusts beyond the
 * hash: that the wall clock is not stepped back by more than SETTLE_NS
 * between a read and a write.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/sources.h"
#include "lib/xalloc.h"

#define SERVICES_FILE	"/etc/services"
/* Deeper than cfg/parse.c lets includes nest. */
#define MAX_OPEN	32
/* How long before its read a file's times must be to trust them. */
#define SETTLE_NS	(2 * 1000000000LL)

/* Bytes of a file under one SHA-256 (the last block may be shorter). */
#define BLOCK		(64u << 10)
#define MD_LEN		32u	/* SHA-256 */

/* A file's content as read: its digests, and what stat said of it. */
struct digest {
	bool readable;		/* read to the end, every block hashed */
	uint64_t size;		/* the bytes hashed, */
	unsigned char (*md)[MD_LEN];	/* each BLOCK's SHA-256 */
	size_t nmd, mdcap;
	long long read_at;	/* CLOCK_REALTIME (ns) as the read began */
	struct stat st;		/* fstat of what was read, once read */
	bool settled;		/* st may stand for the content (above) */
};

struct source {
	char *path;		/* a file, or an include's pattern */
	bool pattern;
	struct digest d;	/* file */
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

static long long
ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void
read_begins(struct digest *d)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	d->read_at = ns_of(&now);
}

/* The read of d is over; fd is what was read. */
static void
read_ends(struct digest *d, int fd)
{
	d->settled = fstat(fd, &d->st) == 0 &&
	    ns_of(&d->st.st_ctim) < d->read_at - SETTLE_NS &&
	    ns_of(&d->st.st_mtim) < d->read_at - SETTLE_NS;
}

/* Whether st (of the path now) is the settled file d was read from. */
static bool
untouched(const struct digest *d, const struct stat *st)
{
	return d->settled && S_ISREG(st->st_mode) &&
	    st->st_dev == d->st.st_dev && st->st_ino == d->st.st_ino &&
	    st->st_size == d->st.st_size &&
	    ns_of(&st->st_mtim) == ns_of(&d->st.st_mtim) &&
	    ns_of(&st->st_ctim) == ns_of(&d->st.st_ctim);
}

static void
digest_clear(struct digest *d)
{
	free(d->md);
	memset(d, 0, sizeof(*d));
}

static bool
hash_begin(EVP_MD_CTX *c)
{
	return c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1;
}

/* The block being hashed is complete: its digest appended to d's; false
 * when it differs from ref's block at the same place (ref may be NULL). */
static bool
block_ends(struct digest *d, EVP_MD_CTX *c, const struct digest *ref,
    bool *ok)
{
	if (d->nmd == d->mdcap) {
		d->mdcap = d->mdcap ? d->mdcap * 2 : 4;
		d->md = xrealloc(d->md, d->mdcap * sizeof(*d->md));
	}
	unsigned char *md = d->md[d->nmd++];
	unsigned len = 0;
	*ok = *ok && EVP_DigestFinal_ex(c, md, &len) == 1 && len == MD_LEN &&
	    hash_begin(c);
	return *ok && (ref == NULL || (d->nmd <= ref->nmd &&
	    memcmp(md, ref->md[d->nmd - 1], MD_LEN) == 0));
}

/* n more bytes of the file into d; false as soon as a finished block
 * differs from ref's (or hashing failed: *ok false). */
static bool
digest_feed(struct digest *d, EVP_MD_CTX *c, const unsigned char *p,
    size_t n, const struct digest *ref, bool *ok)
{
	while (n > 0 && *ok) {
		size_t room = BLOCK - (size_t)(d->size % BLOCK);
		size_t take = n < room ? n : room;
		*ok = EVP_DigestUpdate(c, p, take) == 1;
		d->size += take;
		p += take;
		n -= take;
		if (d->size % BLOCK == 0 && !block_ends(d, c, ref, ok))
			return false;
	}
	return *ok;
}

/* The end of the file: its last, short block hashed.  False when d
 * differs from ref (or hashing failed). */
static bool
digest_end(struct digest *d, EVP_MD_CTX *c, const struct digest *ref,
    bool *ok)
{
	if (*ok && (d->size % BLOCK != 0 || d->size == 0) &&
	    !block_ends(d, c, ref, ok))
		return false;
	d->readable = *ok;
	return *ok && (ref == NULL || (d->size == ref->size &&
	    d->nmd == ref->nmd));
}

/*
 * A regular file's digests, compared with ref's as it is read (ref may
 * be NULL): 1 when read whole and, with ref, the same; 0 when it differs
 * from ref (the read stopped at the first block that does); -1 with why
 * when it cannot be read.
 */
static int
digest_file(const char *path, struct digest *d, const struct digest *ref,
    char *why, size_t whylen)
{
	size_t expected;
	char err[128];
	read_begins(d);
	int fd = cfg_open_regular(path, &expected, err, sizeof(err));
	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, err);
		return -1;
	}
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = hash_begin(c), same = true;
	unsigned char buf[BLOCK];
	ssize_t n = 0;
	while (ok && same && ((n = read(fd, buf, sizeof(buf))) > 0 ||
	    (n < 0 && errno == EINTR)))
		if (n > 0)
			same = digest_feed(d, c, buf, (size_t)n, ref, &ok);
	ok = ok && (n == 0 || !same);
	if (ok && same)
		same = digest_end(d, c, ref, &ok);
	EVP_MD_CTX_free(c);
	read_ends(d, fd);
	close(fd);
	if (!ok) {
		snprintf(why, whylen, "%s: cannot be read again", path);
		return -1;
	}
	return same ? 1 : 0;
}

static void
on_file(void *ctx, const char *path)
{
	struct cfg_sources *s = ctx;
	read_begins(&push(s, path, false)->d);
	if (s->depth == MAX_OPEN) {
		s->broken = true;
		return;
	}
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!hash_begin(c))
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
	bool ok = true;
	if (!digest_feed(&s->v[s->open[s->depth - 1]].d, s->ctx[s->depth - 1],
	    buf, n, NULL, &ok))
		s->broken = true;
}

static void
on_done(void *ctx, int fd)
{
	struct cfg_sources *s = ctx;
	if (s->depth == 0)
		return;
	EVP_MD_CTX *c = s->ctx[--s->depth];
	struct source *x = &s->v[s->open[s->depth]];
	bool ok = c != NULL;
	if (!digest_end(&x->d, c, NULL, &ok))
		s->broken = true;
	EVP_MD_CTX_free(c);
	read_ends(&x->d, fd);
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
	char why[PATH_MAX];
	/* No /etc/services: recorded as unreadable, and compared so. */
	if (digest_file(SERVICES_FILE, &x->d, NULL, why, sizeof(why)) < 0)
		x->d.readable = false;
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
		digest_clear(&s->v[i].d);
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

/*
 * Whether file x still has the content recorded: by its identity when it
 * was settled (no read), else by reading it again; a file read again with
 * the same content is recorded anew, so the next reload need not read it.
 */
static bool
same_content(struct source *x, bool optional, size_t *reread, char *why,
    size_t whylen)
{
	/* Opened, not stat(2)ed by name: an open revalidates what NFS and
	 * its kin cache of a file's attributes (close-to-open). */
	struct stat st;
	int fd = open(x->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	bool known = fd >= 0 && fstat(fd, &st) == 0;
	if (fd >= 0)
		close(fd);
	if (known) {
		if (untouched(&x->d, &st))
			return true;
		if (S_ISREG(st.st_mode) && x->d.readable &&
		    (uint64_t)st.st_size != x->d.size) {
			snprintf(why, whylen, "%s changed", x->path);
			return false;
		}
	}
	struct digest now;
	memset(&now, 0, sizeof(now));
	++*reread;
	int r = digest_file(x->path, &now, x->d.readable ? &x->d : NULL, why,
	    whylen);
	/* (unreadable when recorded and readable now: changed too) */
	if (r <= 0 || !x->d.readable) {
		digest_clear(&now);
		if (r < 0)
			return optional && !x->d.readable;	/* still none */
		snprintf(why, whylen, "%s changed", x->path);
		return false;
	}
	digest_clear(&x->d);
	x->d = now;
	return true;
}

bool
sources_unchanged(struct cfg_sources *s, size_t *reread, char *why,
    size_t whylen)
{
	*reread = 0;
	if (s->broken || s->depth != 0) {
		snprintf(why, whylen, "the last read was not recorded whole");
		return false;
	}
	size_t services_reread = 0;	/* not one of lvs.cf's files */
	for (size_t i = 0; i < s->n; i++) {
		struct source *x = &s->v[i];
		if (x->pattern ? !same_matches(x, why, whylen) :
		    !same_content(x, i == 0, i == 0 ? &services_reread : reread,
		    why, whylen))
			return false;
	}
	return true;
}
