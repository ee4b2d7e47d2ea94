/* lvs.cf statements into blocks (cfg/parse.c): files, include, keys. */
#ifndef LVSD_CFG_PARSE_H
#define LVSD_CFG_PARSE_H

#include <stddef.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"

/* Parses a file (and what it includes) into cfg, reporting to diags and
 * telling watch (NULL: no one) what it reads. */
void cfg_parse_file(struct cfg *cfg, const char *path, struct cfg_diags *diags,
    const struct cfg_read_watch *watch);
void cfg_parse_buffer(struct cfg *cfg, const char *name, const char *text,
    size_t len, struct cfg_diags *diags);
/* Stable copy of a file name for cfg_loc.file, owned by cfg. */
const char *cfg_intern_file(struct cfg *cfg, const char *name);

#endif
