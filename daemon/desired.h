/*
 * The IPVS table this director wants: a function of the configuration and
 * (as they land) each real server's health and the operator's overrides.
 * One function, desired_weight(), decides every real server's weight.
 */
#ifndef LVSD_DAEMON_DESIRED_H
#define LVSD_DAEMON_DESIRED_H

#include "daemon/cfg.h"
#include "ipvs/ipvs.h"

/* Weight the kernel should give s, or -1 when s must not be in the table. */
int desired_weight(const struct cfg_virtual *v, const struct cfg_server *s);

/*
 * Builds the desired table for every active virtual service of cfg.
 * Objects the kernel cannot hold are logged and left out.  The caller owns
 * the result (ipvs_apply takes it over).
 */
struct ipvs_table *desired_table(const struct cfg *cfg);

#endif
