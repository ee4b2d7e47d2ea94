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

#include "cfg/keys.h"
#include "cfg/lex.h"
#include "cfg/parse.h"
#include "lib/suggest.h"
#include "lib/xalloc.h"

#define MAX_INCLUDE_DEPTH 8
#define MAX_FILE_SIZE (64u << 20)

enum block_kind { BLK_GLOBAL, BLK_VIRTUAL, BLK_SERVER, BLK_FAILOVER, BLK_VRRP };

static const struct cfg_block_desc *const descs[] = {
	[BLK_GLOBAL] = &cfg_global_desc,
	[BLK_VIRTUAL] = &cfg_virtual_desc,
	[BLK_SERVER] = &cfg_server_desc,
	[BLK_FAILOVER] = &cfg_failover_desc,
	[BLK_VRRP] = &cfg_vrrp_desc,
};

struct block {
	enum block_kind kind;
	void *obj;			/* struct cfg_global / virtual / … */
	const char *name;		/* NULL for the global block */
	struct cfg_loc open;		/* where it was opened */
};

struct parser {
	struct cfg *cfg;
	struct cfg_diags *diags;
	unsigned depth;			/* include nesting */
	char *stack[MAX_INCLUDE_DEPTH + 1];	/* real paths being read */
};

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
	int idx = cfg_key_find(desc, st->word);
	if (idx < 0) {
		unknown_key(p, blk, st);
		return;
	}
	char *base = blk->obj;
	uint64_t *set = (uint64_t *)(void *)(base + desc->set_off);
	struct cfg_loc *locs = (struct cfg_loc *)(void *)(base + desc->locs_off);
	if ((*set >> idx) & 1) {
		cfg_diag(p->diags, CFG_ERROR, &st->loc, "duplicate key `%s` (first "
		    "set at line %u%s%s)", st->word, locs[idx].line,
		    locs[idx].file == st->loc.file ? "" : " of ",
		    locs[idx].file == st->loc.file ? "" : locs[idx].file);
		return;
	}
	const struct cfg_key *k = &desc->keys[idx];
	struct cfg_value v = {
		.text = st->arg, .loc = st->arg_loc, .quoted = st->quoted,
		.diags = p->diags,
	};
	if (k->type->parse(k, &v, base + k->off) < 0)
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
		if (st.kind == CFG_STMT_EOF) {
			cfg_stmt_clear(&st);
			return;
		}
		if (st.kind == CFG_STMT_OPEN || (st.kind == CFG_STMT_BAD &&
		    st.opens_block))
			depth++;
		else if (st.kind == CFG_STMT_CLOSE)
			depth--;
		cfg_stmt_clear(&st);
	}
}

static void *
new_block(struct parser *p, struct block *parent, enum block_kind kind,
    const struct cfg_stmt *st)
{
	struct cfg *cfg = p->cfg;
	switch (kind) {
	case BLK_VIRTUAL: {
		struct cfg_virtual *v = xcalloc(1, sizeof(*v));
		TAILQ_INIT(&v->servers);
		v->name = xstrdup(st->arg);
		v->loc = st->loc;
		TAILQ_INSERT_TAIL(&cfg->virtuals, v, entry);
		cfg->nvirtuals++;
		cfg_block_defaults(&cfg_virtual_desc, v);
		return v;
	}
	case BLK_SERVER: {
		struct cfg_virtual *v = parent->obj;
		struct cfg_server *s = xcalloc(1, sizeof(*s));
		s->virtual = v;
		s->name = xstrdup(st->arg);
		s->id = xasprintf("%s/%s", v->name, s->name);
		s->loc = st->loc;
		TAILQ_INSERT_TAIL(&v->servers, s, entry);
		v->nservers++;
		cfg_block_defaults(&cfg_server_desc, s);
		return s;
	}
	case BLK_FAILOVER: {
		struct cfg_failover *f = xcalloc(1, sizeof(*f));
		f->name = xstrdup(st->arg);
		f->loc = st->loc;
		TAILQ_INSERT_TAIL(&cfg->failovers, f, entry);
		cfg->nfailovers++;
		cfg_block_defaults(&cfg_failover_desc, f);
		return f;
	}
	case BLK_VRRP: {
		struct cfg_vrrp *r = xcalloc(1, sizeof(*r));
		r->name = xstrdup(st->arg);
		r->loc = st->loc;
		TAILQ_INSERT_TAIL(&cfg->vrrps, r, entry);
		cfg->nvrrps++;
		cfg_block_defaults(&cfg_vrrp_desc, r);
		return r;
	}
	case BLK_GLOBAL:
		break;
	}
	return NULL;
}

static int
block_kind_of(const char *word, enum block_kind *kind)
{
	if (strcmp(word, "virtual") == 0)
		*kind = BLK_VIRTUAL;
	else if (strcmp(word, "server") == 0)
		*kind = BLK_SERVER;
	else if (strcmp(word, "failover") == 0)
		*kind = BLK_FAILOVER;
	else if (strcmp(word, "vrrp") == 0)
		*kind = BLK_VRRP;
	else
		return -1;
	return 0;
}

static bool
may_nest(enum block_kind parent, enum block_kind child)
{
	if (parent == BLK_GLOBAL)
		return child == BLK_VIRTUAL || child == BLK_FAILOVER ||
		    child == BLK_VRRP;
	return parent == BLK_VIRTUAL && child == BLK_SERVER;
}

static void
open_block(struct parser *p, struct cfg_lexer *lx, struct block *parent,
    const struct cfg_stmt *st)
{
	enum block_kind kind;
	if (block_kind_of(st->word, &kind) < 0) {
		static const char *const kws[] = {
			"virtual", "server", "failover", "vrrp"
		};
		const char *near = suggest_nearest(st->word, kws, 4);
		if (near != NULL)
			cfg_diag(p->diags, CFG_ERROR, &st->loc, "unknown block `%s`; "
			    "did you mean `%s`?", st->word, near);
		else
			cfg_diag(p->diags, CFG_ERROR, &st->loc, "unknown block `%s` "
			    "(blocks are `virtual`, `server`, `failover` and "
			    "`vrrp`)",
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
	size_t len = strlen(st->arg);
	if (len > CFG_NAME_MAX)
		cfg_diag(p->diags, CFG_ERROR, &st->arg_loc, "`%s` name is %zu "
		    "characters long; names are at most %u", st->word, len,
		    CFG_NAME_MAX);
	struct block child = {
		.kind = kind, .obj = new_block(p, parent, kind, st),
		.name = st->arg, .open = st->loc,
	};
	if (parse_body(p, lx, &child, true) == END_EOF) {
		struct cfg_loc eof = { lx->file, lx->line, 1 };
		cfg_diag(p->diags, CFG_ERROR, &eof, "missing `}` to close `%s %s` "
		    "opened at line %u", st->word, st->arg, st->loc.line);
	}
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

/*
 * The whole of a regular file, or NULL with *why.  Anything else (a FIFO,
 * a device, a socket) is refused without reading it: a reload must never
 * wait for a writer that does not come.  O_NONBLOCK keeps even the open
 * of a FIFO from waiting.
 */
static char *
read_file(const char *path, size_t *len, char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > (off_t)MAX_FILE_SIZE) {
		if (S_ISREG(sb.st_mode))
			snprintf(why, whylen, "larger than %u MiB",
			    MAX_FILE_SIZE >> 20);
		else
			snprintf(why, whylen, "%s: lvsd reads only regular files",
			    kind_of(sb.st_mode));
		close(fd);
		return NULL;
	}
	char *buf = xmalloc((size_t)sb.st_size + 1);
	*len = 0;
	while (*len < (size_t)sb.st_size) {
		ssize_t n = read(fd, buf + *len, (size_t)sb.st_size - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, whylen, "%s", n < 0 ? strerror(errno) :
			    "it shrank while being read");
			close(fd);
			free(buf);
			return NULL;
		}
		*len += (size_t)n;
	}
	close(fd);
	buf[*len] = '\0';
	return buf;
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
	size_t len;
	char why[128];
	char *buf = read_file(path, &len, why, sizeof(why));
	if (buf == NULL) {
		struct cfg_loc none = { cfg_intern_file(p->cfg, path), 0, 0 };
		cfg_diag(p->diags, CFG_ERROR, from ? from : &none,
		    "cannot read %s: %s", path, why);
		return;
	}
	p->stack[p->depth++] = xstrdup(real);
	struct cfg_lexer lx;
	cfg_lex_init(&lx, cfg_intern_file(p->cfg, path), buf, len);
	parse_body(p, &lx, blk, false);
	free(p->stack[--p->depth]);
	free(buf);
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
			cfg_stmt_clear(&st);
			return END_EOF;
		case CFG_STMT_CLOSE:
			if (closable) {
				cfg_stmt_clear(&st);
				return END_CLOSE;
			}
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
		cfg_stmt_clear(&st);
	}
}

void
cfg_parse_file(struct cfg *cfg, const char *path, struct cfg_diags *diags)
{
	struct parser p = { .cfg = cfg, .diags = diags };
	struct block top = { .kind = BLK_GLOBAL, .obj = &cfg->global };
	parse_file(&p, path, &top, NULL, path);
}

void
cfg_parse_buffer(struct cfg *cfg, const char *name, const char *text,
    size_t len, struct cfg_diags *diags)
{
	struct parser p = { .cfg = cfg, .diags = diags };
	struct block top = { .kind = BLK_GLOBAL, .obj = &cfg->global };
	struct cfg_lexer lx;
	cfg_lex_init(&lx, cfg_intern_file(cfg, name), text, len);
	parse_body(&p, &lx, &top, false);
}
