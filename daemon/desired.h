/*
 * The IPVS table this director wants: a function of the configuration and
 * (as they land) each real server's health and the operator's overrides.
 * One function, desired_weight(), decides every real server's weight.
 */
#ifndef LVSD_DAEMON_DESIRED_H
#define LVSD_DAEMON_DESIRED_H

#include "cfg/cfg.h"
#include "ipvs/ipvs.h"

struct lvsd;

/*
 * Weight the kernel should give s, or -1 when s must not be in the table:
 * out when inactive or disabled by the operator, 0 when drained by the
 * operator or down with quiesce_server, out when down otherwise, else the
 * check program's weight or the configured one.
 */
int desired_weight(const struct lvsd *d, const struct cfg_virtual *v,
    const struct cfg_server *s);

/* The kernel service (key, scheduler, flags) virtual v asks for. */
void desired_service(const struct cfg_virtual *v, struct ipvs_service *svc);

/*
 * Builds the desired table for every active virtual service of the
 * running configuration.  Objects the kernel cannot hold are logged and
 * left out.  The caller owns the result (ipvs_apply takes it over).
 */
struct ipvs_table *desired_table(const struct lvsd *d);

#endif
