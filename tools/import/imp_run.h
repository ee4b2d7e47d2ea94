/*
 * The whole conversion as the command and the fuzz target run it: read
 * and map each director's file, combine them, write the lvs.cf.
 */
#ifndef LVSD_IMPORT_IMP_RUN_H
#define LVSD_IMPORT_IMP_RUN_H

#include <stdio.h>

#include "tools/import/imp_combine.h"
#include "tools/import/kc_read.h"

struct imp_file {
	struct kc_doc *doc;
	struct imp_site site;
};

/* Maps an already read document (doc then belongs to f). */
void imp_file_map(struct imp_diags *d, struct kc_doc *doc, const char *path,
    struct imp_file *f);
void imp_file_clear(struct imp_file *f);

/*
 * Writes the lvs.cf: a header naming the files (backup NULL: one file),
 * the messages lvs.cf could not express (as comments, when written with
 * --force), then the keys and blocks.
 */
void imp_write(FILE *f, const struct imp_result *r, const char *primary,
    const char *backup, const struct imp_diags *d);

#endif
