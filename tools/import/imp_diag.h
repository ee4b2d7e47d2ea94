/*
 * What the importer has to say about a keepalived.conf, each message with
 * the file:line:column it concerns:
 *   error          the file is malformed (keepalived would refuse it too);
 *                  nothing is written, even with --force
 *   cannot convert lvs.cf cannot express this construct; nothing is
 *                  written unless --force (which writes the rest)
 *   note           an assumption made, or a difference the operator
 *                  should know of; never fails the conversion
 */
#ifndef LVSD_IMPORT_IMP_DIAG_H
#define LVSD_IMPORT_IMP_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "tools/import/kc_tree.h"

enum imp_sev { IMP_NOTE, IMP_LOSS, IMP_INVALID };

struct imp_diag {
	enum imp_sev sev;
	struct kc_loc loc;	/* loc.file NULL: about the whole conversion */
	char *msg;
	unsigned seq;		/* order of report, for a stable sort */
	unsigned forder;	/* order of the file's first message */
};

struct imp_diags {
	struct imp_diag *v;
	size_t n, cap;
	unsigned nnotes, nloss, ninvalid;
	unsigned nfiles;
};

struct imp_diags *imp_diags_new(void);
void imp_diags_free(struct imp_diags *d);

/* Records a message (the same one at the same place only once). */
void imp_diag(struct imp_diags *d, enum imp_sev sev, const struct kc_loc *loc,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define imp_note(d, loc, ...) imp_diag((d), IMP_NOTE, (loc), __VA_ARGS__)
#define imp_loss(d, loc, ...) imp_diag((d), IMP_LOSS, (loc), __VA_ARGS__)
#define imp_invalid(d, loc, ...) imp_diag((d), IMP_INVALID, (loc), __VA_ARGS__)

/* "file:line:col: cannot convert: message" (malloc'd). */
char *imp_diag_format(const struct imp_diag *g);
/* Sorts by file (in order of first mention), line and column;
 * messages about no place come last. */
void imp_diags_sort(struct imp_diags *d);
/* Every message of at least sev, one per line, prefixed with `prefix`. */
void imp_diags_print(FILE *f, const struct imp_diags *d, enum imp_sev sev,
    const char *prefix);

#endif
