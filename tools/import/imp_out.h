/*
 * The lvs.cf being written: blocks of `key = value` lines in the order
 * they were set (global keys, `vrrp` blocks, `virtual` blocks with their
 * `server` blocks), and the writer that quotes values as lvs.cf's reader
 * expects.
 */
#ifndef LVSD_IMPORT_IMP_OUT_H
#define LVSD_IMPORT_IMP_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "tools/import/kc_tree.h"

struct out_kv {
	char *key, *value;
};

struct out_block {
	char *kind, *name;	/* NULL for the global keys */
	struct out_kv *kv;
	size_t nkv;
	struct out_block *kids;
	size_t nkids;
	struct kc_loc from;	/* the keepalived statement it comes from */
};

/* Sets key (replacing an earlier value). */
void out_set(struct out_block *b, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets key as the block's first line. */
void out_set_first(struct out_block *b, const char *key, const char *value);
const char *out_get(const struct out_block *b, const char *key);
void out_unset(struct out_block *b, const char *key);
/* Appends a child block (copying kind and name). */
struct out_block *out_add_kid(struct out_block *b, const char *kind,
    const char *name);
/* Deep copy. */
void out_block_copy(struct out_block *dst, const struct out_block *src);
/* Same keys, values and children (the order of keys ignored). */
bool out_block_equal(const struct out_block *a, const struct out_block *b);
/* The first key whose value differs between a and b (or only one has). */
const char *out_block_diff(const struct out_block *a, const struct out_block *b);
void out_block_clear(struct out_block *b);

/* True when lvs.cf can hold v as a value (no control character but tab,
 * CR or LF, which are escaped). */
bool out_value_ok(const char *v);
/* Writes the block (global keys with no indent). */
void out_write_block(FILE *f, const struct out_block *b, int indent);

#endif
