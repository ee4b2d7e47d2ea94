/*
 * lvs.cf is line oriented: each line is empty, a comment, `key = value`,
 * `keyword NAME {`, `}` or `include PATTERN`.  The lexer turns one line into
 * one statement with the locations of its parts.
 *
 * It reads a file in pieces as it goes (a window of CFG_LEX_CHUNK bytes,
 * larger only for a longer line), so a file of any size costs the same
 * memory; a statement's word and value are copied into buffers the lexer
 * reuses: nothing is allocated per line.
 */
#ifndef LVSD_CFG_LEX_H
#define LVSD_CFG_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"

#define CFG_LEX_CHUNK	(128u << 10)

enum cfg_stmt_kind {
	CFG_STMT_EOF,
	CFG_STMT_ASSIGN,	/* word = arg */
	CFG_STMT_OPEN,		/* word arg {   (block keyword and name) */
	CFG_STMT_CLOSE,		/* } */
	CFG_STMT_INCLUDE,	/* include arg */
	CFG_STMT_BAD,		/* error already reported; skip the line */
};

/*
 * word and arg are NUL-terminated, owned by the lexer and valid until its
 * next cfg_lex_next(): whoever keeps one copies it.
 */
struct cfg_stmt {
	enum cfg_stmt_kind kind;
	struct cfg_loc loc;	/* of the first token */
	const char *word;	/* key or block keyword */
	size_t wlen;
	uint32_t whash;		/* cfg_hash_bytes() of word */
	const char *arg;	/* value, name or pattern, unescaped */
	size_t alen;
	struct cfg_loc arg_loc;
	bool quoted;		/* arg was a quoted string */
	bool opens_block;	/* a BAD line that ends with `{` */
};

struct cfg_lexer {
	const char *file;	/* interned name, for locations */
	const char *text;	/* the window: text[pos..len) is unread */
	size_t len;
	size_t pos;		/* start of the next line */
	unsigned line;		/* number of the next line */
	/* Reading a file (fd >= 0): the window is buf. */
	int fd;
	char *buf;
	size_t cap;
	size_t left;		/* bytes of the file still to read */
	int err;		/* errno of a failed read; -1: it shrank */
	bool nul;		/* the text read so far has a NUL byte */
	const struct cfg_read_watch *watch;	/* told of every byte read */
	/* The current statement's word and value. */
	char *word, *arg;
	size_t wcap, acap;
};

/* Text already in memory (the lexer does not copy it). */
void cfg_lex_init(struct cfg_lexer *lx, const char *file, const char *buf,
    size_t len);
/* size bytes of the open file fd (the caller closes it). */
void cfg_lex_init_fd(struct cfg_lexer *lx, const char *file, int fd,
    size_t size);
void cfg_lex_fini(struct cfg_lexer *lx);
/* Reads the next statement; errors go to diags and yield CFG_STMT_BAD. */
void cfg_lex_next(struct cfg_lexer *lx, struct cfg_stmt *st,
    struct cfg_diags *diags);
/* Why reading the file stopped early (an errno, or -1: it shrank); 0. */
static inline int
cfg_lex_error(const struct cfg_lexer *lx)
{
	return lx->err;
}

/* True for the characters of keys and block names. */
bool cfg_is_word_char(int c);

#endif
