/*
 * Failover rules of lvs.cf (cfg/failover.c): which mechanism moves the
 * virtual addresses and the VRRP rules that span keys or blocks.
 */
#ifndef LVSD_CFG_FAILOVER_H
#define LVSD_CFG_FAILOVER_H

#include "cfg/cfg.h"
#include "cfg/diag.h"

/* Resolves each virtual's instance; checks the vrrp blocks. */
void cfg_validate_failover(struct cfg *cfg, struct cfg_diags *diags);

#endif
