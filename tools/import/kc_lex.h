/*
 * One line of a keepalived.conf into tokens: words (quotes removed,
 * escapes applied inside quotes), `{` and `}`.  A `#` or `!` outside
 * quotes starts a comment.
 */
#ifndef LVSD_IMPORT_KC_LEX_H
#define LVSD_IMPORT_KC_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/import/imp_diag.h"

enum kc_tok_kind { KC_WORD, KC_OPEN, KC_CLOSE };

struct kc_tok {
	enum kc_tok_kind kind;
	char *text;		/* KC_WORD only */
	unsigned col;		/* 1-based */
	bool quoted;
};

struct kc_line {
	struct kc_tok *t;
	size_t n;
};

/*
 * Tokenizes s (len bytes, no newline).  at gives the file and line for
 * messages; col0 is the column of s[0].  A malformed word (unterminated
 * quote, NUL) is reported and the rest of the line dropped.
 */
void kc_lex_line(const char *s, size_t len, const struct kc_loc *at,
    unsigned col0, struct kc_line *out, struct imp_diags *d);
void kc_line_clear(struct kc_line *l);

#endif
