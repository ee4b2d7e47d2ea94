/*
 * lvs.cf is line oriented: each line is empty, a comment, `key = value`,
 * `keyword NAME {`, `}` or `include PATTERN`.  The lexer turns one line into
 * one statement with the locations of its parts.
 */
#ifndef LVSD_CFG_LEX_H
#define LVSD_CFG_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"

enum cfg_stmt_kind {
	CFG_STMT_EOF,
	CFG_STMT_ASSIGN,	/* word = arg */
	CFG_STMT_OPEN,		/* word arg {   (block keyword and name) */
	CFG_STMT_CLOSE,		/* } */
	CFG_STMT_INCLUDE,	/* include arg */
	CFG_STMT_BAD,		/* error already reported; skip the line */
};

struct cfg_stmt {
	enum cfg_stmt_kind kind;
	struct cfg_loc loc;	/* of the first token */
	char *word;		/* key or block keyword (owned) */
	char *arg;		/* value, name or pattern, unescaped (owned) */
	struct cfg_loc arg_loc;
	bool quoted;		/* arg was a quoted string */
	bool opens_block;	/* a BAD line that ends with `{` */
};

struct cfg_lexer {
	const char *file;	/* interned name, for locations */
	const char *buf;
	size_t len;
	size_t pos;		/* start of the next line */
	unsigned line;		/* number of the next line */
};

void cfg_lex_init(struct cfg_lexer *lx, const char *file, const char *buf,
    size_t len);
/* Reads the next statement; errors go to diags and yield CFG_STMT_BAD. */
void cfg_lex_next(struct cfg_lexer *lx, struct cfg_stmt *st,
    struct cfg_diags *diags);
void cfg_stmt_clear(struct cfg_stmt *st);

/* True for the characters of keys and block names. */
bool cfg_is_word_char(int c);

#endif
