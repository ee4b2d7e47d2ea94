/*
 * virtual_server and real_server blocks (imp_vs.c, imp_rs.c): the parts
 * both files share.
 */
#ifndef LVSD_IMPORT_IMP_VS_H
#define LVSD_IMPORT_IMP_VS_H

#include "tools/import/imp_check.h"
#include "tools/import/imp_site.h"

/* lb_kind / lvs_method: NAT, DR or TUN with its options. */
struct imp_method {
	const char *network;		/* "nat", "direct", "tunnel"; NULL: unset */
	const char *tunnel_type;	/* NULL: ipip */
	uint32_t tunnel_port;		/* 0: none */
	const char *tunnel_csum;	/* NULL: none */
	struct kc_loc loc;
};

bool imp_parse_method(struct imp_ctx *c, const struct kc_node *n,
    struct imp_method *m);

/* One real server of a virtual service, mapped. */
struct imp_rs {
	struct imp_rs_check check;
	int64_t port;			/* -1: none given */
	struct kc_loc loc;
};

/*
 * Maps real_server n into a `server` block of v; timing and method are the
 * virtual_server's, which the real server may override.  False when it
 * adds no server (malformed, or a duplicate keepalived drops).
 */
bool imp_map_real_server(struct imp_ctx *c, const struct kc_node *n,
    const struct imp_timing *t, const struct imp_method *m,
    struct out_block *v, struct imp_rs *rs);

/*
 * The check keys of the virtual service v from its real servers' (lvs.cf
 * checks them all alike); fwmark: the service has no port of its own.
 */
void imp_merge_checks(struct imp_ctx *c, struct out_block *v,
    struct imp_rs *rs, size_t n, bool fwmark, const struct kc_loc *at);

#endif
