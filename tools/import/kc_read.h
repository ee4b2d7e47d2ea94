/*
 * The keepalived.conf reader: words, quotes and escapes, `#`/`!`
 * comments, `{ }` blocks (on the keyword's line or the next), `include`
 * with globs relative to the including file, conditional lines (`@id`)
 * and parameters (`$NAME=value`, `$NAME`, `${NAME}`).  Malformed input is
 * reported through the diagnostics with its file:line:column; the reader
 * never gives up early, so one pass reports every mistake.
 */
#ifndef LVSD_IMPORT_KC_READ_H
#define LVSD_IMPORT_KC_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/import/imp_diag.h"
#include "tools/import/kc_tree.h"

struct kc_read_opts {
	const char *config_id;	/* keepalived -i: selects `@id` lines; NULL: none */
	bool no_include;	/* refuse `include` (the fuzz target reads no files) */
};

/* Reads path and its includes; NULL only when path itself is unreadable. */
struct kc_doc *kc_read_file(const char *path, const struct kc_read_opts *o,
    struct imp_diags *d);
/* Reads a file held in memory, called name in messages. */
struct kc_doc *kc_read_buffer(const char *name, const char *buf, size_t len,
    const struct kc_read_opts *o, struct imp_diags *d);

#endif
