/* Internal interfaces between the parts of the lvs.cf reader. */
#ifndef LVSD_DAEMON_CFG_PARSE_H
#define LVSD_DAEMON_CFG_PARSE_H

#include <stddef.h>

#include "daemon/cfg.h"
#include "daemon/cfg_diag.h"

/* Parses a file (and what it includes) into cfg, reporting to diags. */
void cfg_parse_file(struct cfg *cfg, const char *path, struct cfg_diags *diags);
void cfg_parse_buffer(struct cfg *cfg, const char *name, const char *text,
    size_t len, struct cfg_diags *diags);
/* Stable copy of a file name for cfg_loc.file, owned by cfg. */
const char *cfg_intern_file(struct cfg *cfg, const char *name);
/* Cross-key checks after parsing; fills inherited effective values. */
void cfg_validate(struct cfg *cfg, struct cfg_diags *diags);
/* The failover part of it (daemon/cfg_vrrp.c). */
void cfg_validate_failover(struct cfg *cfg, struct cfg_diags *diags);

#endif
