/*
 * The IPVS table this director wants: a pure function of the
 * configuration, each real server's health and the operator's overrides.
 * desired_weight() is the one place a real server's weight is decided.
 * No daemon state and no I/O: unit tests drive it with plain inputs.
 */
#ifndef LVSD_DAEMON_DESIRED_H
#define LVSD_DAEMON_DESIRED_H

#include <stdbool.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "daemon/override.h"
#include "ipvs/ipvs.h"

/* What a real server's check last said. */
struct rs_state {
	bool up;			/* true for a server nothing checks */
	int dyn_weight;			/* from the check program, -1 = none */
};

/* The state of s, or NULL when nothing is known (it counts as up). */
typedef const struct rs_state *desired_health_fn(const void *ctx,
    const struct cfg_server *s);

struct desired_inputs {
	const struct cfg *cfg;
	desired_health_fn *health;	/* NULL: every server up */
	const void *health_ctx;
	const struct overrides *overrides;	/* NULL: none */
};

/*
 * Weight the kernel should give s of v, or -1 when s must not be in the
 * table: out when inactive (or its virtual is) or disabled by the
 * operator; 0 when drained by the operator or down with quiesce_server;
 * out when down otherwise; else the check program's weight, or the
 * configured one.
 */
int desired_weight(const struct desired_inputs *in,
    const struct cfg_virtual *v, const struct cfg_server *s);

/* The label of v's sorry server in the table ("web/sorry_server"). */
void desired_sorry_label(const struct cfg_virtual *v, char *buf, size_t len);

/* The kernel service (key, scheduler, flags) virtual v asks for. */
void desired_service(const struct cfg_virtual *v, struct ipvs_service *svc);

/*
 * The desired table: every active virtual service, its real servers at
 * their desired weights, and its sorry server when none of them has a
 * weight above 0.  The caller owns the result (ipvs_apply takes it).
 */
struct ipvs_table *desired_table(const struct desired_inputs *in);
/* The part of it virtual v makes (empty when v is not active): what a
 * health transition of one of v's servers can change. */
struct ipvs_table *desired_virtual(const struct desired_inputs *in,
    const struct cfg_virtual *v);

/*
 * Checks that the kernel can hold whatever the table may be asked to:
 * every active service, every active real server and each sorry server at
 * once.  What it cannot (two servers the kernel sees as one, a service it
 * would refuse) is reported at its place in lvs.cf.  Returns the number
 * of errors added.
 */
unsigned desired_check(const struct cfg *cfg, struct cfg_diags *diags);

#endif
