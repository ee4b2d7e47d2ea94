/*
 * A keepalived.conf as a tree of statements: each statement is a keyword
 * with its arguments (words), and a block of child statements when it
 * opened one with `{`.  Every word carries the place it was read from,
 * so each message about the file can name file:line:column.
 */
#ifndef LVSD_IMPORT_KC_TREE_H
#define LVSD_IMPORT_KC_TREE_H

#include <stdbool.h>
#include <stddef.h>

struct kc_loc {
	const char *file;	/* owned by the kc_doc (interned) */
	unsigned line, col;	/* 1-based */
};

struct kc_word {
	char *text;		/* unquoted, escapes applied */
	struct kc_loc loc;
	bool quoted;		/* some part of it was in quotes */
};

struct kc_node {
	struct kc_word *w;	/* w[0] is the keyword */
	size_t nw;
	struct kc_node *kids;	/* the block's statements */
	size_t nkids, capkids;
	bool block;		/* it opened a `{ ... }` (maybe empty) */
};

/* A whole file with its includes, and the names of every file read. */
struct kc_doc {
	struct kc_node root;	/* a block without keyword */
	char **files;
	size_t nfiles;
};

/* Keyword of a statement (never NULL: a statement has a word). */
static inline const char *
kc_key(const struct kc_node *n)
{
	return n->w[0].text;
}

/* Argument i (1-based), or NULL. */
static inline const char *
kc_arg(const struct kc_node *n, size_t i)
{
	return i < n->nw ? n->w[i].text : NULL;
}

/* Appends an empty child to parent and returns it. */
struct kc_node *kc_node_add(struct kc_node *parent);
/* Appends a word to n (takes ownership of text). */
void kc_node_push(struct kc_node *n, char *text, const struct kc_loc *loc,
    bool quoted);
/* Frees what n owns (not n itself). */
void kc_node_clear(struct kc_node *n);

/* The interned copy of a file name, owned by doc. */
const char *kc_doc_file(struct kc_doc *doc, const char *name);
void kc_doc_free(struct kc_doc *doc);

#endif
