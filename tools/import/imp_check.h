/*
 * keepalived's health checkers of one real_server (TCP_CHECK, HTTP_GET,
 * SSL_GET, MISC_CHECK, PING_CHECK, UDP_CHECK; the others are reported)
 * as the check keys of an lvs.cf virtual service.  lvs.cf checks all the
 * real servers of a service alike, so imp_vs.c compares what each server
 * asks for.
 */
#ifndef LVSD_IMPORT_IMP_CHECK_H
#define LVSD_IMPORT_IMP_CHECK_H

#include "tools/import/imp_site.h"

/* Settings a virtual_server passes to its real servers and theirs to
 * their checkers (each level may override them). */
struct imp_timing {
	uint32_t delay_loop_ms;		/* keepalived: 60 s */
	uint32_t connect_timeout_ms;	/* keepalived: 5 s */
	int64_t retry;			/* -1: the checker's own default */
	uint32_t dbr_ms;		/* delay_before_retry; 0: the default */
	bool alpha;			/* servers start down */
	bool inhibit;			/* weight 0 instead of removal */
	const char *virtualhost;	/* NULL: none */
};

void imp_timing_init(struct imp_timing *t);
/* Maps n if it is one of the inherited settings; false if it is not. */
bool imp_timing_keyword(struct imp_ctx *c, const struct kc_node *n,
    struct imp_timing *t);

/* What one real server's checkers ask of the virtual service. */
struct imp_rs_check {
	struct out_block keys;	/* check, check_interval, http_path, ... */
	int64_t port;		/* the port checked; -1: the server's own */
	struct kc_loc loc;	/* its first checker, or the real_server */
	bool any;		/* it has a checker lvs.cf can express */
};

/* Maps the checkers of real_server rs. */
void imp_map_rs_checks(struct imp_ctx *c, const struct kc_node *rs,
    const struct imp_timing *t, const struct lvs_addr *rs_addr,
    struct imp_rs_check *out);

#endif
