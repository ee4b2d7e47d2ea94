/*
 * keepalived's line preprocessing, before words are split: conditional
 * lines (`@id ...`, `@^id ...`) and parameters (`$NAME=value` defines;
 * `$NAME` before a blank or the end of the line, and `${NAME}` anywhere,
 * are replaced, recursively).
 */
#ifndef LVSD_IMPORT_KC_PRE_H
#define LVSD_IMPORT_KC_PRE_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/import/imp_diag.h"

struct kc_params {
	char **name, **value;
	size_t n;
	bool warned_cond;	/* the missing config id was reported */
};

enum kc_pre_result {
	KC_PRE_KEEP,		/* tokenize *out (the line, maybe rewritten) */
	KC_PRE_DROP,		/* nothing left to tokenize */
};

/*
 * Preprocesses one line.  *out points into line or at a new string the
 * caller frees (*owned set).  *col0 is the column of (*out)[0] in the file
 * (columns after a substitution refer to the substituted text).
 * config_id NULL: conditional lines are reported once and treated as
 * keepalived treats an id that matches none.
 */
enum kc_pre_result kc_pre_line(struct kc_params *p, const char *config_id,
    const char *line, size_t len, const struct kc_loc *at, char **out,
    size_t *outlen, bool *owned, unsigned *col0, struct imp_diags *d);
void kc_params_clear(struct kc_params *p);

#endif
