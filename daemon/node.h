/*
 * Which director this node is.  One lvs.cf serves both directors: a node is
 * `primary` or `backup` by which of those addresses it owns (or by the
 * --role flag).
 */
#ifndef LVSD_DAEMON_NODE_H
#define LVSD_DAEMON_NODE_H

#include <stddef.h>

#include "cfg/cfg.h"

enum node_role { NODE_ROLE_UNKNOWN, NODE_ROLE_PRIMARY, NODE_ROLE_BACKUP };

const char *node_role_name(enum node_role role);
/* Parses "primary" / "backup"; -1 otherwise. */
int node_role_parse(const char *text, enum node_role *role);

/*
 * Decides the role from the local interface addresses.  Returns 0 with
 * *role set, or -1 with a sentence for the operator in why.
 */
int node_role_detect(const struct cfg *cfg, enum node_role *role, char *why,
    size_t whylen);

/* Same decision for a given list of local addresses (for tests). */
int node_role_decide(const struct cfg *cfg, const struct lvs_addr *local,
    size_t nlocal, enum node_role *role, char *why, size_t whylen);

#endif
