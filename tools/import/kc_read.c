#include "config.h"

#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/xalloc.h"
#include "tools/import/kc_lex.h"
#include "tools/import/kc_pre.h"
#include "tools/import/kc_read.h"

#define KC_MAX_DEPTH 8			/* nested includes */
#define KC_MAX_NESTING 64		/* nested blocks */
#define KC_MAX_FILE (16u << 20)		/* bytes */

struct reader {
	struct kc_doc *doc;
	struct imp_diags *d;
	const struct kc_read_opts *o;
	struct kc_params params;
	/* The open blocks, innermost last; stack[0] is the root. */
	struct kc_node *stack[KC_MAX_NESTING + 1];
	struct kc_loc opened[KC_MAX_NESTING + 1];
	size_t depth;
	size_t skip_depth;	/* > 0: inside blocks too deep to keep */
	/* The last statement, which a `{` at the start of a line opens. */
	struct kc_node *last;
	char *files[KC_MAX_DEPTH];	/* real paths being read (loops) */
	size_t nfiles;
};

static void read_text(struct reader *r, const char *name, const char *buf,
    size_t len);

static struct kc_node *
top(struct reader *r)
{
	return r->stack[r->depth];
}

static void
open_block(struct reader *r, struct kc_node *n, const struct kc_loc *at)
{
	if (r->skip_depth > 0 || r->depth == KC_MAX_NESTING) {
		if (r->skip_depth++ == 0)
			imp_invalid(r->d, at, "blocks nested more than %d deep",
			    KC_MAX_NESTING);
		return;
	}
	n->block = true;
	r->stack[++r->depth] = n;
	r->opened[r->depth] = n->w[0].loc;
}

static void
close_block(struct reader *r, const struct kc_loc *at)
{
	r->last = NULL;
	if (r->skip_depth > 0) {
		r->skip_depth--;
		return;
	}
	if (r->depth == 0) {
		imp_invalid(r->d, at, "`}` without a block to close");
		return;
	}
	r->depth--;
}

/* include PATTERN: the matching files, as if their text stood here. */
static void
do_include(struct reader *r, const struct kc_word *w, size_t nw)
{
	if (nw != 2) {
		imp_invalid(r->d, &w[0].loc, "`%s` takes one file name or glob "
		    "pattern", w[0].text);
		return;
	}
	if (r->o->no_include) {
		imp_invalid(r->d, &w[0].loc, "`include` is not read here");
		return;
	}
	if (r->nfiles >= KC_MAX_DEPTH) {
		imp_invalid(r->d, &w[0].loc, "includes nest more than %d deep",
		    KC_MAX_DEPTH);
		return;
	}
	const char *pat = w[1].text;
	char *full;
	if (pat[0] == '/')
		full = xstrdup(pat);
	else {
		char *copy = xstrdup(w[0].loc.file);
		full = xasprintf("%s/%s", dirname(copy), pat);
		free(copy);
	}
	glob_t g;
	int rc = glob(full, GLOB_BRACE | GLOB_NOCHECK, NULL, &g);
	bool wild = strpbrk(pat, "*?[{") != NULL;
	for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++) {
		struct stat st;
		if (wild && stat(g.gl_pathv[i], &st) < 0) {
			imp_note(r->d, &w[1].loc, "`%s` matches no file", pat);
			continue;
		}
		char *real = realpath(g.gl_pathv[i], NULL);
		bool loop = false;
		for (size_t k = 0; real != NULL && k < r->nfiles; k++)
			loop |= strcmp(real, r->files[k]) == 0;
		if (loop) {
			imp_invalid(r->d, &w[1].loc, "`%s` includes itself",
			    g.gl_pathv[i]);
			free(real);
			continue;
		}
		FILE *f = real ? fopen(real, "r") : NULL;
		if (f == NULL) {
			imp_invalid(r->d, &w[1].loc, "cannot read `%s`: %s",
			    g.gl_pathv[i], strerror(errno));
			free(real);
			continue;
		}
		char *buf = xmalloc(KC_MAX_FILE + 1);
		size_t n = fread(buf, 1, KC_MAX_FILE + 1, f);
		fclose(f);
		if (n > KC_MAX_FILE)
			imp_invalid(r->d, &w[1].loc, "`%s` is larger than %u bytes",
			    g.gl_pathv[i], KC_MAX_FILE);
		else {
			r->files[r->nfiles++] = real;
			read_text(r, g.gl_pathv[i], buf, n);
			real = r->files[--r->nfiles];
		}
		free(real);
		free(buf);
	}
	if (rc != 0 && rc != GLOB_NOMATCH)
		imp_invalid(r->d, &w[1].loc, "cannot expand `%s`", pat);
	if (rc == 0)
		globfree(&g);
	free(full);
}

static bool
is_include(const char *w)
{
	return strcmp(w, "include") == 0 || strcmp(w, "includer") == 0 ||
	    strcmp(w, "includem") == 0 || strcmp(w, "includew") == 0 ||
	    strcmp(w, "includeb") == 0 || strcmp(w, "includea") == 0;
}

/* The words of one line into the tree. */
static void
add_tokens(struct reader *r, const struct kc_line *ln, const struct kc_loc *at)
{
	struct kc_node *cur = NULL;
	for (size_t i = 0; i < ln->n; i++) {
		const struct kc_tok *t = &ln->t[i];
		struct kc_loc l = { at->file, at->line, t->col };
		if (t->kind == KC_CLOSE) {
			cur = NULL;
			close_block(r, &l);
		} else if (t->kind == KC_OPEN && r->skip_depth > 0) {
			r->skip_depth++;	/* inside blocks too deep to keep */
		} else if (t->kind == KC_OPEN) {
			struct kc_node *n = cur ? cur : (i == 0 ? r->last : NULL);
			if (n == NULL || n->block) {
				imp_invalid(r->d, &l, "`{` without a keyword "
				    "before it");
				/* keep the braces balanced all the same */
				n = kc_node_add(top(r));
				kc_node_push(n, xstrdup("{"), &l, false);
			}
			open_block(r, n, &l);
			cur = NULL;
			r->last = NULL;
		} else if (r->skip_depth > 0) {
			continue;
		} else {
			if (cur == NULL)
				cur = r->last = kc_node_add(top(r));
			kc_node_push(cur, xstrdup(t->text), &l, t->quoted);
		}
	}
	/* An include ends its line: replace the statement by the files. */
	struct kc_node *parent = top(r);
	if (cur != NULL && parent->nkids > 0 &&
	    cur == &parent->kids[parent->nkids - 1] && is_include(kc_key(cur))) {
		struct kc_node inc = *cur;
		parent->nkids--;
		r->last = NULL;
		do_include(r, inc.w, inc.nw);
		kc_node_clear(&inc);
	}
}

static void
read_line(struct reader *r, const char *s, size_t len, const struct kc_loc *at)
{
	char *text;
	size_t tlen;
	bool owned;
	unsigned col0;
	if (kc_pre_line(&r->params, r->o->config_id, s, len, at, &text, &tlen,
	    &owned, &col0, r->d) == KC_PRE_DROP)
		return;
	struct kc_line ln;
	kc_lex_line(text, tlen, at, col0, &ln, r->d);
	if (owned)
		free(text);
	add_tokens(r, &ln, at);
	kc_line_clear(&ln);
}

static void
read_text(struct reader *r, const char *name, const char *buf, size_t len)
{
	const char *file = kc_doc_file(r->doc, name);
	unsigned lineno = 0;
	for (size_t pos = 0; pos < len;) {
		const char *s = buf + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		struct kc_loc at = { file, lineno, 1 };
		const char *nul = memchr(s, '\0', n);
		if (nul != NULL) {
			at.col = (unsigned)(nul - s) + 1;
			imp_invalid(r->d, &at, "a NUL byte in the file");
			continue;
		}
		read_line(r, s, n, &at);
	}
	r->last = NULL;
}

static struct kc_doc *
finish(struct reader *r)
{
	while (r->depth > 0) {
		struct kc_loc *l = &r->opened[r->depth];
		imp_invalid(r->d, l, "the block `%s` is not closed: expected "
		    "`}`", kc_key(r->stack[r->depth]));
		r->depth--;
	}
	kc_params_clear(&r->params);
	return r->doc;
}

static void
reader_init(struct reader *r, const struct kc_read_opts *o,
    struct imp_diags *d)
{
	static const struct kc_read_opts none;
	memset(r, 0, sizeof(*r));
	r->doc = xcalloc(1, sizeof(*r->doc));
	r->d = d;
	r->o = o ? o : &none;
	r->stack[0] = &r->doc->root;
}

struct kc_doc *
kc_read_buffer(const char *name, const char *buf, size_t len,
    const struct kc_read_opts *o, struct imp_diags *d)
{
	struct reader r;
	reader_init(&r, o, d);
	read_text(&r, name, buf, len);
	return finish(&r);
}

struct kc_doc *
kc_read_file(const char *path, const struct kc_read_opts *o,
    struct imp_diags *d)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		imp_invalid(d, NULL, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = xmalloc(KC_MAX_FILE + 1);
	size_t n = fread(buf, 1, KC_MAX_FILE + 1, f);
	fclose(f);
	if (n > KC_MAX_FILE) {
		imp_invalid(d, NULL, "%s is larger than %u bytes", path,
		    KC_MAX_FILE);
		free(buf);
		return NULL;
	}
	struct reader r;
	reader_init(&r, o, d);
	r.files[r.nfiles++] = realpath(path, NULL);
	read_text(&r, path, buf, n);
	free(r.files[0]);
	free(buf);
	return finish(&r);
}
