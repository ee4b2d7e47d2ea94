#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/diag.h"
#include "lib/xalloc.h"

struct cfg_diags *
cfg_diags_new(void)
{
	struct cfg_diags *d = xcalloc(1, sizeof(*d));
	TAILQ_INIT(&d->list);
	d->max_errors = CFG_MAX_ERRORS;
	return d;
}

static void
diag_free(struct cfg_diag *dg)
{
	free(dg->file);
	free(dg->msg);
	free(dg);
}

void
cfg_diags_free(struct cfg_diags *d)
{
	if (d == NULL)
		return;
	struct cfg_diag *dg;
	while ((dg = TAILQ_FIRST(&d->list)) != NULL) {
		TAILQ_REMOVE(&d->list, dg, entry);
		diag_free(dg);
	}
	free(d);
}

static bool
same_text(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
same_diag(const struct cfg_diag *a, const struct cfg_diag *b)
{
	return a->severity == b->severity && a->line == b->line &&
	    a->col == b->col && same_text(a->file, b->file) &&
	    same_text(a->msg, b->msg);
}

void
cfg_diags_merge(struct cfg_diags *to, struct cfg_diags *from)
{
	struct cfg_diag *dg;
	while ((dg = TAILQ_FIRST(&from->list)) != NULL) {
		TAILQ_REMOVE(&from->list, dg, entry);
		const struct cfg_diag *have;
		TAILQ_FOREACH(have, &to->list, entry)
			if (same_diag(have, dg))
				break;
		if (have != NULL) {
			diag_free(dg);
			continue;
		}
		TAILQ_INSERT_TAIL(&to->list, dg, entry);
		if (dg->severity == CFG_ERROR)
			to->nerrors++;
		else
			to->nwarnings++;
	}
	from->nerrors = from->nwarnings = 0;
}

static void
add(struct cfg_diags *d, enum cfg_severity sev, const struct cfg_loc *loc,
    char *msg)
{
	struct cfg_diag *dg = xcalloc(1, sizeof(*dg));
	dg->severity = sev;
	if (loc != NULL && loc->file != NULL) {
		dg->file = xstrdup(loc->file);
		dg->line = loc->line;
		dg->col = loc->col;
	}
	dg->msg = msg;
	TAILQ_INSERT_TAIL(&d->list, dg, entry);
	if (sev == CFG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

void
cfg_diag(struct cfg_diags *d, enum cfg_severity sev, const struct cfg_loc *loc,
    const char *fmt, ...)
{
	if (d == NULL || d->full)
		return;
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup("(out of memory formatting message)");
	va_end(ap);
	add(d, sev, loc, msg);
	if (sev == CFG_ERROR && d->max_errors > 0 &&
	    d->nerrors >= d->max_errors) {
		d->full = true;
		add(d, CFG_ERROR, loc, xasprintf("too many errors: reading "
		    "stops after %u", d->max_errors));
	}
}

void
cfg_diags_mark(const struct cfg_diags *d, struct cfg_diags_mark *m)
{
	memset(m, 0, sizeof(*m));
	if (d == NULL)
		return;
	m->last = TAILQ_LAST(&d->list, cfg_diag_list);
	m->nerrors = d->nerrors;
	m->nwarnings = d->nwarnings;
	m->full = d->full;
}

void
cfg_diags_rollback(struct cfg_diags *d, const struct cfg_diags_mark *m)
{
	if (d == NULL)
		return;
	struct cfg_diag *dg;
	while ((dg = TAILQ_LAST(&d->list, cfg_diag_list)) != m->last) {
		TAILQ_REMOVE(&d->list, dg, entry);
		diag_free(dg);
	}
	d->nerrors = m->nerrors;
	d->nwarnings = m->nwarnings;
	d->full = m->full;
}

bool
cfg_diags_full(const struct cfg_diags *d)
{
	return d != NULL && d->full;
}

char *
cfg_diag_format(const struct cfg_diag *dg)
{
	const char *sev = dg->severity == CFG_ERROR ? "error" : "warning";
	if (dg->file == NULL)
		return xasprintf("%s: %s", sev, dg->msg);
	if (dg->line == 0)
		return xasprintf("%s: %s: %s", dg->file, sev, dg->msg);
	return xasprintf("%s:%u:%u: %s: %s", dg->file, dg->line, dg->col, sev,
	    dg->msg);
}

void
cfg_diags_print(FILE *out, const struct cfg_diags *d)
{
	const struct cfg_diag *dg;
	TAILQ_FOREACH(dg, &d->list, entry) {
		char *s = cfg_diag_format(dg);
		fprintf(out, "%s\n", s);
		free(s);
	}
}
