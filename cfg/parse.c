/*
 * lvs.cf statements into blocks: `key = value` against the key table of
 * the enclosing block, nested `virtual`/`server`/`failover` blocks, and
 * `include`.  Errors never stop the pass: each is reported with its place
 * and parsing resumes at the next line (or after the bad block), so an
 * operator sees every mistake of a file at once.
 */
#include "config.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "cfg/arena.h"
#include "cfg/keys.h"
#include "cfg/lex.h"
#include "cfg/parse.h"
#include "lib/suggest.h"
#include "lib/xalloc.h"

#define MAX_INCLUDE_DEPTH 8
#define MAX_FILE_SIZE (64u << 20)

/* The arena aligns to 8 bytes (cfg/arena.c). */
_Static_assert(_Alignof(struct cfg_virtual) <= 8 &&
    _Alignof(struct cfg_server) <= 8 && _Alignof(struct cfg_vcheck) <= 8 &&
    _Alignof(struct cfg_vrrp) <= 8 && _Alignof(struct cfg_failover) <= 8 &&
    _Alignof(struct cfg_announce) <= 8 &&
    _Alignof(struct cfg_loc) <= 8, "blocks need more than the arena's alignment");

enum block_kind {
	BLK_GLOBAL, BLK_VIRTUAL, BLK_SERVER, BLK_FAILOVER, BLK_VRRP, BLK_ANNOUNCE
};

static const struct cfg_block_desc *const descs[] = {
	[BLK_GLOBAL] = &cfg_global_desc,
	[BLK_VIRTUAL] = &cfg_virtual_desc,
	[BLK_SERVER] = &cfg_server_desc,
	[BLK_FAILOVER] = &cfg_failover_desc,
	[BLK_VRRP] = &cfg_vrrp_desc,
	[BLK_ANNOUNCE] = &cfg_announce_desc,
};

/*
 * A block being read.  Where its keys were set is kept here, by key, until
 * it closes; then the block gets them in its arena, the keys set only.
 */
struct block {
	enum block_kind kind;
	void *obj;			/* struct cfg_global / virtual / … */
	const char *name;		/* NULL for the global block */
	struct cfg_loc open;		/* where it was opened */
	struct cfg_loc locs[64];
	/* A virtual's shared keys once it sets one: its own copy, until it
	 * closes and shares whichever copy is alike (intern_vcheck). */
	bool own_vcheck;
	struct cfg_vcheck vcheck;
};

struct parser {
	struct cfg *cfg;
	struct cfg_diags *diags;
	const struct cfg_read_watch *watch;	/* NULL: no one */
	unsigned depth;			/* include nesting */
	char *stack[MAX_INCLUDE_DEPTH + 1];	/* real paths being read */
	/* Fresh blocks, defaults set: each new one is a copy. */
	struct cfg_virtual virtual_defaults;
	struct cfg_server server_defaults;
	/* The distinct shared keys of virtuals: open addressing. */
	struct cfg_vcheck **vchecks;
	uint32_t *vhashes;
	size_t vmask, nvchecks;
};

/* The one copy of c in the generation (stored now if it is the first). */
static const struct cfg_vcheck *
intern_vcheck(struct parser *p, const struct cfg_vcheck *c)
{
	if ((p->nvchecks + 1) * 2 > p->vmask + 1) {
		size_t n = p->vmask ? (p->vmask + 1) * 2 : 16;
		struct cfg_vcheck **t = xcalloc(n, sizeof(*t));
		uint32_t *h = xcalloc(n, sizeof(*h));
		for (size_t i = 0; p->vchecks && i <= p->vmask; i++) {
			if (p->vchecks[i] == NULL)
				continue;
			size_t j = p->vhashes[i] & (n - 1);
			while (t[j] != NULL)
				j = (j + 1) & (n - 1);
			t[j] = p->vchecks[i];
			h[j] = p->vhashes[i];
		}
		free(p->vchecks);
		free(p->vhashes);
		p->vchecks = t;
		p->vhashes = h;
		p->vmask = n - 1;
	}
	/* Strings are interned and padding is zero: bytes decide. */
	uint64_t w[sizeof(*c) / 8 + 1] = { 0 };
	memcpy(w, c, sizeof(*c));
	uint64_t x = 0;
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		x = (x ^ w[i]) * 0x100000001b3ull;
	uint32_t h = (uint32_t)(x ^ x >> 32);
	size_t j = h & p->vmask;
	for (; p->vchecks[j] != NULL; j = (j + 1) & p->vmask)
		if (p->vhashes[j] == h && memcmp(p->vchecks[j], c, sizeof(*c)) == 0)
			return p->vchecks[j];
	p->vchecks[j] = cfg_arena_alloc(p->cfg->arena, sizeof(*c));
	memcpy(p->vchecks[j], c, sizeof(*c));
	p->vhashes[j] = h;
	p->nvchecks++;
	return p->vchecks[j];
}

enum body_end { END_EOF, END_CLOSE };

static enum body_end parse_body(struct parser *p, struct cfg_lexer *lx,
    struct block *blk, bool closable);

const char *
cfg_intern_file(struct cfg *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nfiles; i++)
		if (strcmp(cfg->files[i], name) == 0)
			return cfg->files[i];
	cfg->files = xrealloc(cfg->files, (cfg->nfiles + 1) * sizeof(char *));
	cfg->files[cfg->nfiles] = xstrdup(name);
	return cfg->files[cfg->nfiles++];
}

/* ---- unknown keys --------------------------------------------------- */

static const char *
nearest_key(const struct cfg_block_desc *desc, const char *word)
{
	const char *names[64];
	for (unsigned i = 0; i < desc->nkeys; i++)
		names[i] = desc->keys[i].name;
	return suggest_nearest(word, names, desc->nkeys);
}

static void
unknown_key(struct parser *p, const struct block *blk, const struct cfg_stmt *st)
{
	const struct cfg_block_desc *here = descs[blk->kind];
	const char *near = nearest_key(here, st->word);
	if (near != NULL) {
		cfg_diag(p->diags, CFG_ERROR, &st->loc, "unknown key `%s` in a "
		    "`%s` block; did you mean `%s`?", st->word, here->keyword, near);
		return;
	}
	/* A real key in the wrong block is a different mistake. */
	for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++) {
		if (descs[i] == here || cfg_key_find(descs[i], st->word) < 0)
			continue;
		if (i == BLK_GLOBAL)
			cfg_diag(p->diags, CFG_ERROR, &st->loc, "`%s` is a global "
			    "key: it goes outside any block", st->word);
		else
			cfg_diag(p->diags, CFG_ERROR, &st->loc, "`%s` is not valid "
			    "in a `%s` block: it belongs in a `%s` block",
			    st->word, here->keyword, descs[i]->keyword);
		return;
	}
	/* …or a misspelling of a key of another block. */
	for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++) {
		if (descs[i] == here || (near = nearest_key(descs[i], st->word)) == NULL)
			continue;
		cfg_diag(p->diags, CFG_ERROR, &st->loc, "unknown key `%s` in a "
		    "`%s` block; did you mean `%s` (a `%s` key)?", st->word,
		    here->keyword, near, descs[i]->keyword);
		return;
	}
	cfg_diag(p->diags, CFG_ERROR, &st->loc, "unknown key `%s` in a `%s` "
	    "block", st->word, here->keyword);
}

/* ---- key = value ---------------------------------------------------- */

static void
assign(struct parser *p, struct block *blk, const struct cfg_stmt *st)
{
	const struct cfg_block_desc *desc = descs[blk->kind];
	int idx = cfg_key_lookup_hash(desc, st->word, st->wlen, st->whash);
	if (idx < 0) {
		unknown_key(p, blk, st);
		return;
	}
	char *base = blk->obj;
	uint64_t *set = (uint64_t *)(void *)(base + desc->set_off);
	struct cfg_loc *locs = blk->locs;
	if ((*set >> idx) & 1) {
		cfg_diag(p->diags, CFG_ERROR, &st->loc, "duplicate key `%s` (first "
		    "set at line %u%s%s)", st->word, locs[idx].line,
		    locs[idx].file == st->loc.file ? "" : " of ",
		    locs[idx].file == st->loc.file ? "" : locs[idx].file);
		return;
	}
	const struct cfg_key *k = &desc->keys[idx];
	if (k->shared && !blk->own_vcheck) {
		struct cfg_virtual *vs = blk->obj;
		memcpy(&blk->vcheck, vs->hc, sizeof(blk->vcheck));
		vs->hc = &blk->vcheck;
		blk->own_vcheck = true;
	}
	struct cfg_value v = {
		.text = st->arg, .len = st->alen, .loc = st->arg_loc,
		.quoted = st->quoted, .diags = p->diags, .arena = p->cfg->arena,
	};
	if (k->type->parse(k, &v, cfg_key_field(desc, base, k)) < 0)
		return;
	*set |= UINT64_C(1) << idx;
	locs[idx] = st->loc;
}

/* ---- blocks ----------------------------------------------------------- */

/* Skips the body of a block whose opening line was rejected. */
static void
skip_block(struct cfg_lexer *lx)
{
	unsigned depth = 1;
	struct cfg_stmt st;
	while (depth > 0) {
		cfg_lex_next(lx, &st, NULL);
		if (st.kind == CFG_STMT_EOF)
			return;
		if (st.kind == CFG_STMT_OPEN || (st.kind == CFG_STMT_BAD &&
		    st.opens_block))
			depth++;
		else if (st.kind == CFG_STMT_CLOSE)
			depth--;
	}
}

/*
 * The block's keys' places, in key order, into its arena: two bytes each
 * when the key is in the block's file and near its line (the common
 * case), a whole place otherwise (cfg/cfg.h).
 */
static void
close_block(struct parser *p, struct block *blk)
{
	const struct cfg_block_desc *desc = descs[blk->kind];
	char *base = blk->obj;
	uint64_t set = *(uint64_t *)(void *)(base + desc->set_off);
	const uint8_t **locs = (const uint8_t **)(void *)(base + desc->locs_off);
	*locs = NULL;
	if (set == 0)
		return;
	size_t n = (size_t)__builtin_popcountll(set), nfull = 0;
	struct cfg_loc full[64];
	uint8_t pos[2 * 64];
	const struct cfg_loc *at = &blk->open;
	uint8_t *q = pos;
	for (uint64_t left = set; left != 0; left &= left - 1, q += 2) {
		const struct cfg_loc *k = &blk->locs[__builtin_ctzll(left)];
		if (k->file == at->file && k->line > at->line &&
		    k->line - at->line <= 255 && k->col >= 1 && k->col <= 255) {
			q[0] = (uint8_t)(k->line - at->line);
			q[1] = (uint8_t)k->col;
		} else {
			q[0] = 0;
			q[1] = (uint8_t)nfull;
			full[nfull++] = *k;
		}
	}
	size_t head = (2 * n + 7) & ~(size_t)7;
	uint8_t *l = cfg_arena_alloc(p->cfg->arena,
	    head + nfull * sizeof(full[0]));
	memcpy(l, pos, 2 * n);
	if (nfull > 0)
		memcpy(l + head, full, nfull * sizeof(full[0]));
	*locs = l;
}

/* "VIRTUAL/SERVER" in the arena; the server's name is its end. */
static void
server_names(struct cfg *cfg, struct cfg_server *s, const char *vname,
    const char *name, size_t len)
{
	size_t vlen = strlen(vname);
	char *id = cfg_arena_alloc(cfg->arena, vlen + 1 + len + 1);
	memcpy(id, vname, vlen);
	id[vlen] = '/';
	memcpy(id + vlen + 1, name, len);
	id[vlen + 1 + len] = '\0';
	s->id = id;
	s->name = id + vlen + 1;
}

/* A new block with its defaults; its name is *name (kept). */
static void *
new_block(struct parser *p, struct block *parent, enum block_kind kind,
    const struct cfg_stmt *st, const char **name)
{
	struct cfg *cfg = p->cfg;
	struct cfg_arena *a = cfg->arena;
	switch (kind) {
	case BLK_VIRTUAL: {
		struct cfg_virtual *v = cfg_arena_alloc(a, sizeof(*v));
		*v = p->virtual_defaults;
		TAILQ_INIT(&v->servers);
		*name = v->name = cfg_arena_strndup(a, st->arg, st->alen);
		v->loc = st->loc;
		TAILQ_INSERT_TAIL(&cfg->virtuals, v, entry);
		cfg->nvirtuals++;
		return v;
	}
	case BLK_SERVER: {
		struct cfg_virtual *v = parent->obj;
		struct cfg_server *s = cfg_arena_alloc(a, sizeof(*s));
		*s = p->server_defaults;
		s->virtual = v;
		server_names(cfg, s, v->name, st->arg, st->alen);
		*name = s->name;
		s->loc = st->loc;
		TAILQ_INSERT_TAIL(&v->servers, s, entry);
		v->nservers++;
		return s;
	}
	case BLK_FAILOVER: {
		struct cfg_failover *f = cfg_arena_zalloc(a, sizeof(*f));
		*name = f->name = cfg_arena_strndup(a, st->arg, st->alen);
		f->loc = st->loc;
		TAILQ_INSERT_TAIL(&cfg->failovers, f, entry);
		cfg->nfailovers++;
		cfg_block_defaults(&cfg_failover_desc, f, a);
		return f;
	}
	case BLK_VRRP: {
		struct cfg_vrrp *r = cfg_arena_zalloc(a, sizeof(*r));
		*name = r->name = cfg_arena_strndup(a, st->arg, st->alen);
		r->loc = st->loc;
		TAILQ_INSERT_TAIL(&cfg->vrrps, r, entry);
		cfg->nvrrps++;
		cfg_block_defaults(&cfg_vrrp_desc, r, a);
		return r;
	}
	case BLK_ANNOUNCE: {
		struct cfg_announce *n = cfg_arena_zalloc(a, sizeof(*n));
		*name = "";
		n->loc = st->loc;
		cfg->announce = n;
		cfg_block_defaults(&cfg_announce_desc, n, a);
		return n;
	}
	case BLK_GLOBAL:
		break;
	}
	return NULL;
}

/* word[0..n) is the constant (memcmp of a constant: no call). */
#define IS_WORD(w, n, lit) ((n) == sizeof(lit) - 1 && memcmp(w, lit, n) == 0)

static int
block_kind_of(const char *word, size_t n, enum block_kind *kind)
{
	if (IS_WORD(word, n, "server"))
		*kind = BLK_SERVER;
	else if (IS_WORD(word, n, "virtual"))
		*kind = BLK_VIRTUAL;
	else if (IS_WORD(word, n, "failover"))
		*kind = BLK_FAILOVER;
	else if (IS_WORD(word, n, "vrrp"))
		*kind = BLK_VRRP;
	else if (IS_WORD(word, n, "announce"))
		*kind = BLK_ANNOUNCE;
	else
		return -1;
	return 0;
}

static bool
may_nest(enum block_kind parent, enum block_kind child)
{
	if (parent == BLK_GLOBAL)
		return child == BLK_VIRTUAL || child == BLK_FAILOVER ||
		    child == BLK_VRRP || child == BLK_ANNOUNCE;
	return parent == BLK_VIRTUAL && child == BLK_SERVER;
}

/* `announce {`: no name, and one block at most. */
static bool
announce_block_ok(struct parser *p, const struct cfg_stmt *st)
{
	if (st->alen > 0) {
		cfg_diag(p->diags, CFG_ERROR, &st->arg_loc, "an `announce` block "
		    "has no name: `announce {`");
		return false;
	}
	const struct cfg_announce *n = p->cfg->announce;
	if (n != NULL) {
		cfg_diag(p->diags, CFG_ERROR, &st->loc, "a second `announce` "
		    "block (the first is at %s:%u)", n->loc.file, n->loc.line);
		return false;
	}
	return true;
}

static void
open_block(struct parser *p, struct cfg_lexer *lx, struct block *parent,
    const struct cfg_stmt *st)
{
	enum block_kind kind;
	if (block_kind_of(st->word, st->wlen, &kind) < 0) {
		static const char *const kws[] = {
			"virtual", "server", "failover", "vrrp", "announce"
		};
		const char *near = suggest_nearest(st->word, kws, 5);
		if (near != NULL)
			cfg_diag(p->diags, CFG_ERROR, &st->loc, "unknown block `%s`; "
			    "did you mean `%s`?", st->word, near);
		else
			cfg_diag(p->diags, CFG_ERROR, &st->loc, "unknown block `%s` "
			    "(blocks are `virtual`, `server`, `failover`, "
			    "`vrrp` and `announce`)",
			    st->word);
		skip_block(lx);
		return;
	}
	if (!may_nest(parent->kind, kind)) {
		if (kind == BLK_SERVER)
			cfg_diag(p->diags, CFG_ERROR, &st->loc, "a `server` block "
			    "goes inside a `virtual` block");
		else
			cfg_diag(p->diags, CFG_ERROR, &st->loc, "a `%s` block goes "
			    "at the top level, not inside `%s %s`", st->word,
			    descs[parent->kind]->keyword, parent->name);
		skip_block(lx);
		return;
	}
	if (kind == BLK_ANNOUNCE && !announce_block_ok(p, st)) {
		skip_block(lx);
		return;
	}
	size_t len = st->alen;
	if (len > CFG_NAME_MAX)
		cfg_diag(p->diags, CFG_ERROR, &st->arg_loc, "`%s` name is %zu "
		    "characters long; names are at most %u", st->word, len,
		    CFG_NAME_MAX);
	/* st is the lexer's until its next statement: keep what is needed */
	struct block child;	/* (its locs are read only where set) */
	child.own_vcheck = false;
	child.kind = kind;
	child.open = st->loc;
	child.obj = new_block(p, parent, kind, st, &child.name);
	if (parse_body(p, lx, &child, true) == END_EOF) {
		struct cfg_loc eof = { lx->file, lx->line, 1 };
		cfg_diag(p->diags, CFG_ERROR, &eof, "missing `}` to close `%s%s%s` "
		    "opened at line %u", descs[kind]->keyword,
		    child.name[0] != '\0' ? " " : "", child.name,
		    child.open.line);
	}
	if (child.own_vcheck)
		((struct cfg_virtual *)child.obj)->hc = intern_vcheck(p,
		    &child.vcheck);
	close_block(p, &child);
}

/* ---- include ---------------------------------------------------------- */

/* What a file that is not a regular file is, for the message. */
static const char *
kind_of(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" :
	    S_ISSOCK(m) ? "a socket" : S_ISCHR(m) ? "a character device" :
	    S_ISBLK(m) ? "a block device" : "not a regular file";
}

/* O_NONBLOCK keeps even the open of a FIFO from waiting. */
int
cfg_open_regular(const char *path, size_t *size, char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > (off_t)MAX_FILE_SIZE) {
		if (S_ISREG(sb.st_mode))
			snprintf(why, whylen, "larger than %u MiB",
			    MAX_FILE_SIZE >> 20);
		else
			snprintf(why, whylen, "%s: lvsd reads only regular files",
			    kind_of(sb.st_mode));
		close(fd);
		return -1;
	}
	*size = (size_t)sb.st_size;
	return fd;
}

static void
cannot_read(struct parser *p, const char *path, const struct cfg_loc *from,
    const char *why)
{
	struct cfg_loc none = { cfg_intern_file(p->cfg, path), 0, 0 };
	cfg_diag(p->diags, CFG_ERROR, from ? from : &none, "cannot read %s: %s",
	    path, why);
}

/* Parses one file into the block blk; used for the top file and includes. */
static void
parse_file(struct parser *p, const char *path, struct block *blk,
    const struct cfg_loc *from, const char *written)
{
	char real[PATH_MAX];
	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	for (unsigned i = 0; i < p->depth; i++) {
		if (strcmp(p->stack[i], real) == 0) {
			cfg_diag(p->diags, CFG_ERROR, from, "`include %s`: the "
			    "file includes itself (through %s)", written,
			    p->stack[p->depth - 1]);
			return;
		}
	}
	if (p->depth > MAX_INCLUDE_DEPTH) {
		cfg_diag(p->diags, CFG_ERROR, from, "`include %s`: includes "
		    "nested deeper than %d", written, MAX_INCLUDE_DEPTH);
		return;
	}
	size_t size;
	char why[128];
	int fd = cfg_open_regular(path, &size, why, sizeof(why));
	if (fd < 0) {
		cannot_read(p, path, from, why);
		return;
	}
	/* The file is read as it is parsed: if reading fails half-way, what
	 * was found in it is taken back and only the failure is reported. */
	struct cfg_diags_mark mark;
	cfg_diags_mark(p->diags, &mark);
	p->stack[p->depth++] = xstrdup(real);
	struct cfg_lexer lx;
	cfg_lex_init_fd(&lx, cfg_intern_file(p->cfg, path), fd, size);
	if (p->watch != NULL) {
		p->watch->file(p->watch->ctx, path);
		lx.watch = p->watch;
	}
	parse_body(p, &lx, blk, false);
	free(p->stack[--p->depth]);
	if (p->watch != NULL)
		p->watch->done(p->watch->ctx, fd);
	int err = cfg_lex_error(&lx);
	cfg_lex_fini(&lx);
	close(fd);
	if (err != 0) {
		cfg_diags_rollback(p->diags, &mark);
		snprintf(why, sizeof(why), "%s", err > 0 ? strerror(err) :
		    "it shrank while being read");
		cannot_read(p, path, from, why);
	}
}

static void
include(struct parser *p, struct block *blk, const struct cfg_stmt *st)
{
	/* Relative patterns are relative to the including file's directory. */
	char *pattern;
	const char *slash = strrchr(st->loc.file, '/');
	if (st->arg[0] == '/' || slash == NULL)
		pattern = xstrdup(st->arg);
	else
		pattern = xasprintf("%.*s/%s", (int)(slash - st->loc.file),
		    st->loc.file, st->arg);
	glob_t g;
	int r = glob(pattern, GLOB_ERR, NULL, &g);
	if (p->watch != NULL && (r == 0 || r == GLOB_NOMATCH))
		p->watch->expanded(p->watch->ctx, pattern, r == 0 ?
		    g.gl_pathv : NULL, r == 0 ? g.gl_pathc : 0);
	if (r == GLOB_NOMATCH) {
		if (strpbrk(st->arg, "*?[") != NULL)
			cfg_diag(p->diags, CFG_WARNING, &st->arg_loc, "`include "
			    "%s` matches no file", st->arg);
		else
			cfg_diag(p->diags, CFG_ERROR, &st->arg_loc, "cannot read "
			    "%s: %s", pattern, strerror(ENOENT));
	} else if (r != 0) {
		cfg_diag(p->diags, CFG_ERROR, &st->arg_loc, "`include %s`: "
		    "cannot expand the pattern", st->arg);
	} else {
		for (size_t i = 0; i < g.gl_pathc; i++)
			parse_file(p, g.gl_pathv[i], blk, &st->arg_loc, st->arg);
	}
	if (r != GLOB_NOMATCH)
		globfree(&g);
	free(pattern);
}

/* ---- bodies ----------------------------------------------------------- */

static enum body_end
parse_body(struct parser *p, struct cfg_lexer *lx, struct block *blk,
    bool closable)
{
	struct cfg_stmt st;
	for (;;) {
		if (cfg_diags_full(p->diags))
			return END_EOF;	/* reported: nothing more is read */
		cfg_lex_next(lx, &st, p->diags);
		switch (st.kind) {
		case CFG_STMT_EOF:
			return END_EOF;
		case CFG_STMT_CLOSE:
			if (closable)
				return END_CLOSE;
			if (blk->kind == BLK_GLOBAL)
				cfg_diag(p->diags, CFG_ERROR, &st.loc,
				    "unexpected `}`: no block is open");
			else
				cfg_diag(p->diags, CFG_ERROR, &st.loc, "unexpected "
				    "`}`: an included file cannot close `%s %s` "
				    "opened in %s", descs[blk->kind]->keyword,
				    blk->name, blk->open.file);
			break;
		case CFG_STMT_ASSIGN:
			assign(p, blk, &st);
			break;
		case CFG_STMT_OPEN:
			open_block(p, lx, blk, &st);
			break;
		case CFG_STMT_INCLUDE:
			include(p, blk, &st);
			break;
		case CFG_STMT_BAD:
			if (st.opens_block)
				skip_block(lx);
			break;
		}
	}
}

static void
parser_init(struct parser *p, struct cfg *cfg, struct cfg_diags *diags)
{
	memset(p, 0, sizeof(*p));
	p->cfg = cfg;
	p->diags = diags;
	struct cfg_vcheck *hc = cfg_arena_zalloc(cfg->arena, sizeof(*hc));
	p->virtual_defaults.hc = hc;
	cfg_block_defaults(&cfg_virtual_desc, &p->virtual_defaults, cfg->arena);
	p->virtual_defaults.hc = intern_vcheck(p, hc);
	cfg_block_defaults(&cfg_server_desc, &p->server_defaults, cfg->arena);
}

static void
parser_fini(struct parser *p)
{
	free(p->vchecks);
	free(p->vhashes);
}

void
cfg_parse_file(struct cfg *cfg, const char *path, struct cfg_diags *diags,
    const struct cfg_read_watch *watch)
{
	struct parser p;
	parser_init(&p, cfg, diags);
	p.watch = watch;
	cfg->global.loc = (struct cfg_loc){ cfg_intern_file(cfg, path), 0, 0 };
	struct block top = { .kind = BLK_GLOBAL, .obj = &cfg->global,
	    .open = cfg->global.loc };
	parse_file(&p, path, &top, NULL, path);
	close_block(&p, &top);
	parser_fini(&p);
}

void
cfg_parse_buffer(struct cfg *cfg, const char *name, const char *text,
    size_t len, struct cfg_diags *diags)
{
	struct parser p;
	parser_init(&p, cfg, diags);
	cfg->global.loc = (struct cfg_loc){ cfg_intern_file(cfg, name), 0, 0 };
	struct block top = { .kind = BLK_GLOBAL, .obj = &cfg->global,
	    .open = cfg->global.loc };
	struct cfg_lexer lx;
	cfg_lex_init(&lx, cfg->global.loc.file, text, len);
	parse_body(&p, &lx, &top, false);
	cfg_lex_fini(&lx);
	close_block(&p, &top);
	parser_fini(&p);
}
