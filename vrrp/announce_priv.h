/*
 * Internals of the route announcement (vrrp/announce*.c), apart so the
 * unit tests and the fuzz target reach the pure parts: sets of addresses,
 * the plan of one change, and the reading of rtnetlink answers.
 */
#ifndef LVSD_VRRP_ANNOUNCE_PRIV_H
#define LVSD_VRRP_ANNOUNCE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

/* Sorted arrays of distinct addresses (addr_cmp order). */
/* Sorts and removes duplicates in place; returns the new count. */
size_t addrset_normalize(struct lvs_addr *a, size_t n);
bool addrset_has(const struct lvs_addr *a, size_t n, const struct lvs_addr *x);
/* out = a \ b; out holds na; returns the count. */
size_t addrset_minus(const struct lvs_addr *a, size_t na,
    const struct lvs_addr *b, size_t nb, struct lvs_addr *out);
/* out = a ∪ b; out holds na + nb; returns the count. */
size_t addrset_union(const struct lvs_addr *a, size_t na,
    const struct lvs_addr *b, size_t nb, struct lvs_addr *out);

enum ann_op_kind {
	ANN_ROUTE_DEL,
	ANN_ADDR_ADD,
	ANN_ROUTE_ADD,
	ANN_ADDR_DEL,
};

/* One rtnetlink request of a change, and its outcome. */
struct ann_op {
	enum ann_op_kind kind;
	struct lvs_addr addr;
	uint8_t plen;		/* routes: /32 or /128 unless a stale one's */
	uint8_t type;		/* a stale route's RTN_*; 0: unicast */
	uint32_t priority;	/* a stale route's metric; 0: any */
	int err;		/* after running: 0, or -errno */
	char why[96];		/* the kernel's message (extended ack), or "" */
};

/* What the module believes is in the kernel, and what it wants. */
struct ann_state {
	const struct lvs_addr *held;	/* addresses on the device */
	size_t nheld;
	const struct lvs_addr *routed;	/* host routes in the table */
	size_t nrouted;
	const struct lvs_addr *want;	/* every listed address */
	size_t nwant;
	const struct lvs_addr *want_rt;	/* those to announce (none if withdrawn) */
	size_t nwant_rt;
};

/*
 * First step of a change: routes no longer wanted go, then addresses not
 * yet held are added.  ops holds nrouted + nwant; returns the count.
 */
size_t ann_plan_first(const struct ann_state *s, struct ann_op *ops);
/*
 * Second step, from the state after the first: routes wanted for held
 * addresses are added, then addresses no longer listed (and no longer
 * routed) go.  ops holds nwant_rt + nheld; returns the count.
 */
size_t ann_plan_second(const struct ann_state *s, struct ann_op *ops);

/* A route of the module's table and protocol, as the kernel lists it. */
struct ann_route {
	struct lvs_addr dst;
	uint8_t plen;
	uint8_t type;		/* RTN_* */
	uint32_t priority;	/* RTA_PRIORITY, 0 if absent */
	int oif;		/* RTA_OIF, 0 if absent (or multipath) */
};

/*
 * After a dump: which listed routes to keep (host routes through ifindex
 * of wanted addresses, of type if not 0, one each; into kept, which holds
 * n, sorted) and
 * deletions (of kind del: ANN_ROUTE_DEL for announced routes,
 * ANN_ADDR_DEL for held local routes) for all the others (into ops, which
 * holds n).  Returns the number of ops; *nkept the number kept.
 */
size_t ann_plan_resync(const struct ann_route *r, size_t n,
    const struct lvs_addr *want, size_t nwant, int ifindex, uint8_t type,
    enum ann_op_kind del, struct lvs_addr *kept, size_t *nkept,
    struct ann_op *ops);

/*
 * Reads one netlink message of a route dump (buf, len: the whole message,
 * header included).  1: a route of table and protocol, in *r; 0: another
 * route or another message type; -1: malformed (truncated header or
 * attribute, bad family or prefix length).
 */
int ann_route_parse(const void *buf, size_t len, uint32_t table,
    uint8_t protocol, struct ann_route *r);
/*
 * The text of an extended ack (NLMSGERR_ATTR_MSG) in an NLMSG_ERROR
 * message (buf, len: the whole message), copied into out (NUL-terminated,
 * cut to outlen); "" if there is none or the message is malformed.
 */
void ann_extack_text(const void *buf, size_t len, char *out, size_t outlen);

/* The netlink side (announce_nl.c). */
struct nl_sock;
struct ann_nl {
	struct nl_sock *sk;
	uint32_t table;
	uint8_t protocol;
	bool hold_route;	/* ANN_ADDR_*: local routes, not addresses */
	int ifindex;		/* of the device; set before each run */
};

int ann_nl_open(struct ann_nl *n, uint32_t table, uint8_t protocol,
    bool hold_route);
void ann_nl_close(struct ann_nl *n);
/*
 * Sends ops in batches (one sendmsg each) and reads every answer, setting
 * each op's err and why; a missing route on deletion and an existing
 * address on addition count as done.  Returns the number that failed.
 */
size_t ann_nl_run(struct ann_nl *n, struct ann_op *ops, size_t nops);
/*
 * Every route of table (the announcement's, or RT_TABLE_LOCAL for held
 * local routes) and the protocol, IPv4 and IPv6 (*out: malloc'ed, the
 * caller frees).  0, or -errno.
 */
int ann_nl_dump(struct ann_nl *n, uint32_t table, struct ann_route **out,
    size_t *nout);

#endif
