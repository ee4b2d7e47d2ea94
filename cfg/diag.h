/*
 * Configuration diagnostics: every error and warning found in one pass,
 * each with its file:line:column, printed in the order found.
 */
#ifndef LVSD_CFG_DIAG_H
#define LVSD_CFG_DIAG_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/queue.h>

#include "cfg/cfg.h"

enum cfg_severity { CFG_ERROR, CFG_WARNING };

struct cfg_diag {
	TAILQ_ENTRY(cfg_diag) entry;
	enum cfg_severity severity;
	char *file;			/* owned copy: outlives a failed cfg */
	unsigned line, col;
	char *msg;
};

/*
 * Reading stops after this many errors (a file of 300,000 bad lines is
 * reported in a moment, not in minutes); 0 in max_errors: no limit.
 */
#define CFG_MAX_ERRORS 100

struct cfg_diags {
	TAILQ_HEAD(cfg_diag_list, cfg_diag) list;
	unsigned nerrors, nwarnings;
	unsigned max_errors;		/* CFG_MAX_ERRORS unless changed */
	bool full;			/* reached: nothing more is added */
};

struct cfg_diags *cfg_diags_new(void);
void cfg_diags_free(struct cfg_diags *d);
/* Adds a diagnostic at loc (NULL loc: not tied to a place in a file). */
void cfg_diag(struct cfg_diags *d, enum cfg_severity sev,
    const struct cfg_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* True once max_errors errors were found: readers stop there. */
bool cfg_diags_full(const struct cfg_diags *d);
/* The state of a list, to take back what was added since. */
struct cfg_diags_mark {
	struct cfg_diag *last;
	unsigned nerrors, nwarnings;
	bool full;
};
void cfg_diags_mark(const struct cfg_diags *d, struct cfg_diags_mark *m);
void cfg_diags_rollback(struct cfg_diags *d, const struct cfg_diags_mark *m);
/* Moves from's diagnostics to the end of to, but those to already has. */
void cfg_diags_merge(struct cfg_diags *to, struct cfg_diags *from);
/* "file:line:col: error: message", one per line. */
void cfg_diags_print(FILE *out, const struct cfg_diags *d);
/* Formats one diagnostic as above into a new string (caller frees). */
char *cfg_diag_format(const struct cfg_diag *dg);

#endif
