/* lvs.cf health-check keys → the healthcheck module's check configuration. */
#ifndef LVSD_CFG_CHECK_H
#define LVSD_CFG_CHECK_H

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "healthcheck/hc.h"

/* The check type of v, with `check = auto` resolved as nanny would. */
int cfg_check_type(const struct cfg_virtual *v);

/*
 * Fills c (initialised here; the caller clears it with
 * hc_check_config_clear) for real server s of v.  Returns 0; 1 when v has
 * `check = none` (no checker: the server counts as up); -1 with *err set
 * when a value cannot be used (cfg_validate_check reports those first).
 */
int cfg_check_build(const struct cfg *cfg, const struct cfg_virtual *v,
    const struct cfg_server *s, struct hc_check_config *c, const char **err);

/* Cross-key checks of v's health-check settings. */
void cfg_validate_check(const struct cfg_virtual *v,
    struct cfg_diags *d);

#endif
