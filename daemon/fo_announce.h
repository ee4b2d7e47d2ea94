/*
 * The announcement in the failover process (daemon/fo_announce.c): the
 * route-announcement module (vrrp/announce.h) driven by the parent's
 * PF_ANNOUNCE and PF_WITHDRAW, reported with FP_ANNOUNCED.
 */
#ifndef LVSD_DAEMON_FO_ANNOUNCE_H
#define LVSD_DAEMON_FO_ANNOUNCE_H

#include <stdbool.h>
#include <stddef.h>

#include "daemon/plan.h"
#include "daemon/proto.h"
#include "vrrp/announce.h"

struct fo_announce {
	struct vrrp_announce *a;	/* NULL until started */
	struct vrrp_announce_config conf;	/* what a runs with */
	struct lvs_addr *want;		/* to announce, sorted (the parent's) */
	size_t nwant;
	bool withdrawn;			/* the operator's, from the parent */
	uint8_t *last;			/* the last FP_ANNOUNCED sent */
	size_t last_len;
};

/* Holds pf's addresses, announces what was wanted so far; 0 or -1. */
int fo_announce_start(struct fo_announce *x, sd_event *ev,
    const struct plan_failover *pf);
/* The addresses to announce (v is taken over); applied if running. */
void fo_announce_want(struct fo_announce *x, struct lvs_addr *v, size_t n,
    const struct plan_failover *pf);
void fo_announce_withdraw(struct fo_announce *x, bool withdraw);
/* A reload's plan: the same routes' settings change only what differs. */
int fo_announce_reconfigure(struct fo_announce *x, sd_event *ev,
    const struct plan_failover *pf);
/* Clean stop in two steps: the routes, then (after the delay) the rest. */
void fo_announce_withdraw_for_stop(struct fo_announce *x);
void fo_announce_release(struct fo_announce *x);
bool fo_announce_running(const struct fo_announce *x);
/* Appends FP_ANNOUNCED to o when it changed (or force). */
void fo_announce_report(struct fo_announce *x, const struct plan_failover *pf,
    struct msg_out *o, bool force);
/* Releases (if running) and frees. */
void fo_announce_free(struct fo_announce *x);

#endif
