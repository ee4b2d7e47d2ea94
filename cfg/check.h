/*
 * Health-check keys of lvs.cf (cfg/check.c): the check type a virtual
 * service asks for and the rules among its keys.  The plan turns them into
 * the healthcheck module's settings (daemon/plan_checks.c).
 */
#ifndef LVSD_CFG_CHECK_H
#define LVSD_CFG_CHECK_H

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "healthcheck/hc.h"

/* The check type of v, with `check = auto` resolved as nanny would. */
int cfg_check_type(const struct cfg_virtual *v);

/* "sha256:HEX" or "md5:HEX" into alg and out; 0 or -1. */
int cfg_parse_digest(const char *text, enum hc_digest_alg *alg, uint8_t *out);
/* What cfg_parse_digest expects, for messages. */
extern const char cfg_digest_expected[];

/* Cross-key checks of v's health-check settings. */
void cfg_validate_check(const struct cfg_virtual *v,
    struct cfg_diags *d);

#endif
