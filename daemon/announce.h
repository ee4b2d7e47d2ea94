/*
 * The announcement, the parent's side (daemon/announce.c): which virtual
 * addresses this director asks the routers for (an `announce` block),
 * decided after every apply of the IPVS table, and the operator's
 * withdrawal.  The failover process holds the routes (daemon/fo_announce.c).
 */
#ifndef LVSD_DAEMON_ANNOUNCE_H
#define LVSD_DAEMON_ANNOUNCE_H

#include <stdbool.h>

struct lvsd;
struct ipvs_table;
struct json_object;

/*
 * The table an apply is about to make the kernel's: each address's
 * verdict (every active service on it has `quorum` real servers with a
 * weight above 0), announced once the apply ends (announce_applied).
 */
void announce_table(struct lvsd *d, const struct ipvs_table *t);
/*
 * The apply ended (r < 0: the kernel could not be talked to; errors:
 * changes it refused): what was decided goes to the failover process;
 * an address not announced before is announced only when the kernel
 * holds its services (the apply succeeded whole).
 */
void announce_applied(struct lvsd *d, int r, unsigned errors);
/* The operator's withdrawal (saved in the overrides) to the failover process. */
void announce_withdrawn_changed(struct lvsd *d);
bool announce_withdrawn(const struct lvsd *d);
/* The addresses decided so far (*v: a new array, NULL when none). */
struct lvs_addr;
size_t announce_wanted(const struct lvsd *d, struct lvs_addr **v);
/* `lvsctl status`'s "announce" (NULL without an announce block). */
struct json_object *announce_status_json(const struct lvsd *d);
void announce_free(struct lvsd *d);

#endif
