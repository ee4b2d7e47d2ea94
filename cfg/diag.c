#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "cfg/diag.h"
#include "lib/xalloc.h"

struct cfg_diags *
cfg_diags_new(void)
{
	struct cfg_diags *d = xcalloc(1, sizeof(*d));
	TAILQ_INIT(&d->list);
	return d;
}

void
cfg_diags_free(struct cfg_diags *d)
{
	if (d == NULL)
		return;
	struct cfg_diag *dg;
	while ((dg = TAILQ_FIRST(&d->list)) != NULL) {
		TAILQ_REMOVE(&d->list, dg, entry);
		free(dg->file);
		free(dg->msg);
		free(dg);
	}
	free(d);
}

void
cfg_diag(struct cfg_diags *d, enum cfg_severity sev, const struct cfg_loc *loc,
    const char *fmt, ...)
{
	if (d == NULL)
		return;
	struct cfg_diag *dg = xcalloc(1, sizeof(*dg));
	dg->severity = sev;
	if (loc != NULL && loc->file != NULL) {
		dg->file = xstrdup(loc->file);
		dg->line = loc->line;
		dg->col = loc->col;
	}
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&dg->msg, fmt, ap) < 0)
		dg->msg = xstrdup("(out of memory formatting message)");
	va_end(ap);
	TAILQ_INSERT_TAIL(&d->list, dg, entry);
	if (sev == CFG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
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
