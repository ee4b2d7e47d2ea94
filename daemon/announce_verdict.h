/*
 * Which virtual addresses a director should announce (an `announce`
 * block), as a pure function of the configuration, the failover plan and
 * the table lvsd wants the kernel to hold (daemon/announce_verdict.c).
 * No daemon state and no I/O: unit tests drive it with plain inputs.
 */
#ifndef LVSD_DAEMON_ANNOUNCE_VERDICT_H
#define LVSD_DAEMON_ANNOUNCE_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg/cfg.h"
#include "daemon/plan.h"

struct ipvs_table;

/* One address's verdict, and the service that decided it. */
struct announce_verdict {
	struct lvs_addr addr;
	bool want;			/* every active service meets its quorum */
	const char *virtual;		/* the first below its quorum, else the
					   first service on the address */
	unsigned up, total, quorum;	/* of that service */
	bool all_up;			/* every active service on the address
					   has every active real server up */
	/* The daemon's (daemon/announce.c): not sent yet, until when. */
	bool held;
	uint64_t hold_until;
};

/*
 * One verdict per address of pf (pf->nvips entries, in pf's order:
 * sorted by address).  A service counts its real servers with a weight
 * above 0 in t; a sorry server standing in counts for none.
 */
void announce_verdicts(const struct cfg *cfg, const struct plan_failover *pf,
    const struct ipvs_table *t, struct announce_verdict *out);
/* The verdict for a in v (sorted by address), or NULL. */
struct announce_verdict *announce_verdict_find(struct announce_verdict *v,
    size_t n, const struct lvs_addr *a);

#endif
