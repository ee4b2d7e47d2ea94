/*
 * Rules that span keys or blocks (cfg/validate.c), run once a file parsed
 * without errors.  Rules that need to know the machine (interfaces,
 * addresses) or the role of this node are not here: they belong to the
 * plan (daemon/plan.c), which `lvsd -t` builds too.
 */
#ifndef LVSD_CFG_VALIDATE_H
#define LVSD_CFG_VALIDATE_H

#include "cfg/cfg.h"
#include "cfg/diag.h"

/* Cross-key checks after parsing; fills inherited effective values. */
void cfg_validate(struct cfg *cfg, struct cfg_diags *diags);

#endif
