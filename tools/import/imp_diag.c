#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/imp_diag.h"

static const char *const sev_words[] = {
	[IMP_NOTE] = "note",
	[IMP_LOSS] = "cannot convert",
	[IMP_INVALID] = "error",
};

struct imp_diags *
imp_diags_new(void)
{
	return xcalloc(1, sizeof(struct imp_diags));
}

void
imp_diags_free(struct imp_diags *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	free(d);
}

static bool
same_place(const struct kc_loc *a, const struct kc_loc *b)
{
	if (a->file == NULL || b->file == NULL)
		return a->file == b->file;
	return strcmp(a->file, b->file) == 0 && a->line == b->line &&
	    a->col == b->col;
}

void
imp_diag(struct imp_diags *d, enum imp_sev sev, const struct kc_loc *loc,
    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg;
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	/* keepalived words may hold escapes: keep each message one line */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	struct kc_loc l = loc ? *loc : (struct kc_loc){ NULL, 0, 0 };
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == sev && same_place(&d->v[i].loc, &l) &&
		    strcmp(d->v[i].msg, msg) == 0) {
			free(msg);
			return;
		}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	unsigned forder = 0;
	if (l.file != NULL) {
		size_t i = 0;
		while (i < d->n && (d->v[i].loc.file == NULL ||
		    strcmp(d->v[i].loc.file, l.file) != 0))
			i++;
		forder = i < d->n ? d->v[i].forder : d->nfiles++;
	}
	d->v[d->n] = (struct imp_diag){ sev, l, msg, (unsigned)d->n, forder };
	d->n++;
	if (sev == IMP_NOTE)
		d->nnotes++;
	else if (sev == IMP_LOSS)
		d->nloss++;
	else
		d->ninvalid++;
}

char *
imp_diag_format(const struct imp_diag *g)
{
	if (g->loc.file == NULL)
		return xasprintf("%s: %s", sev_words[g->sev], g->msg);
	return xasprintf("%s:%u:%u: %s: %s", g->loc.file, g->loc.line,
	    g->loc.col, sev_words[g->sev], g->msg);
}

static int
cmp_diag(const void *a, const void *b)
{
	const struct imp_diag *x = a, *y = b;
	if ((x->loc.file == NULL) != (y->loc.file == NULL))
		return x->loc.file == NULL ? 1 : -1;
	if (x->loc.file != NULL) {
		if (x->forder != y->forder)
			return x->forder < y->forder ? -1 : 1;
		if (x->loc.line != y->loc.line)
			return x->loc.line < y->loc.line ? -1 : 1;
		if (x->loc.col != y->loc.col)
			return x->loc.col < y->loc.col ? -1 : 1;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
imp_diags_sort(struct imp_diags *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), cmp_diag);
}

void
imp_diags_print(FILE *f, const struct imp_diags *d, enum imp_sev sev,
    const char *prefix)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].sev < sev)
			continue;
		char *s = imp_diag_format(&d->v[i]);
		fprintf(f, "%s%s\n", prefix, s);
		free(s);
	}
}
