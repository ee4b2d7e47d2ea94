/*
 * Route announcement for N active directors behind ECMP: lvsd speaks no
 * BGP; it installs one host route per virtual address it wants to attract
 * in a routing table of its own, and a routing daemon (BIRD 2's kernel
 * protocol with `learn`, or FRR's `ip import-table`) exports that table
 * over BGP.  The table is never consulted for forwarding unless a rule
 * points at it; the routes are only a message to the routing daemon.
 *
 * The module also holds the virtual addresses themselves on a device that
 * answers no ARP/ND of its own (`lo`, or a dummy device), so the director
 * accepts their traffic without claiming them on any link: every director
 * holds every address, the routers pick one by ECMP.  Held as addresses
 * (/32, /128: `ip addr`), or as local routes (`local VIP dev lo table
 * local proto P`, "AnyIP"): the kernel delivers their traffic alike (IPVS
 * sees it), but no routing daemon sees a connected route for them (with
 * FRR 8.4 a VIP's connected route hides the imported table's route from
 * `redistribute table`), and the module owns them by protocol as well.
 *
 * Ownership: routes of the configured table *and* protocol are the
 * module's (it removes them all at start, so a killed earlier run leaves
 * nothing announced), and so are local routes of that protocol when it
 * holds by route; addresses are the ones listed by the caller.
 * Everything runs on the caller's sd-event loop at LVSD_PRIO_VRRP; the
 * netlink requests of one change go out together (one sendmsg per batch of
 * up to 64) and their answers are read at once (rtnetlink answers while it
 * is sent to), so a change never waits on anything outside the kernel.
 * A failed change is logged (address, table, protocol, device, the
 * kernel's words) and retried with a growing delay (1 s .. 30 s).
 */
#ifndef LVSD_VRRP_ANNOUNCE_H
#define LVSD_VRRP_ANNOUNCE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

typedef struct sd_event sd_event;

/* Defaults (vrrp_announce_config_init). */
#define VRRP_ANNOUNCE_TABLE	200	/* FRR's import-table takes 1..252 */
#define VRRP_ANNOUNCE_PROTOCOL	200	/* unassigned in iproute2's rt_protos */
#define VRRP_ANNOUNCE_DEVICE	"lo"

enum vrrp_announce_hold {
	VRRP_ANNOUNCE_HOLD_ADDRESS = 0,	/* local addresses on the device */
	VRRP_ANNOUNCE_HOLD_ROUTE,	/* local routes through it (AnyIP) */
};

struct vrrp_announce_config {
	uint32_t table;		/* 1..252 or 256..2^32-1 (not 0, 253-255) */
	uint8_t protocol;	/* marks the module's routes; 5..255 */
	char ifname[IFNAMSIZ];	/* holds the addresses; routes point at it */
	enum vrrp_announce_hold hold;
};

void vrrp_announce_config_init(struct vrrp_announce_config *c);
/* Checks ranges (logs each problem); 0 if usable. */
int vrrp_announce_config_check(const struct vrrp_announce_config *c);

/* One virtual address: held always, its route only while announce. */
struct vrrp_announce_vip {
	struct lvs_addr addr;
	bool announce;
};

struct vrrp_announce;

/* Copies c.  NULL (logged) if c is invalid or no netlink socket opens. */
struct vrrp_announce *vrrp_announce_new(sd_event *ev,
    const struct vrrp_announce_config *c);
/*
 * Removes every route of the table and protocol (stale ones of an earlier
 * run; holding by route, stale local routes of the protocol too), then
 * applies the set given so far (none: only the cleaning).
 * 0, or -1 if something failed (logged; retried on the loop).
 */
int vrrp_announce_start(struct vrrp_announce *a);
/*
 * The wanted state: every listed address held on the device, a host
 * route (/32, /128) for each one marked announce (unless withdrawn).
 * Minimal change: routes no longer wanted go first, then new addresses
 * are added, then new routes (never a route for an address not held),
 * then addresses no longer listed go.  To stop attracting an address
 * while its connections drain, list it with announce = false first and
 * drop it later.  Before start, only recorded.  v is copied; duplicates
 * are merged (announce if any says so).  0, or -1 if a change failed.
 */
int vrrp_announce_set(struct vrrp_announce *a,
    const struct vrrp_announce_vip *v, size_t n);
/*
 * Withdraws every route at once (one batch), addresses stay so traffic
 * still arriving is served; sticky: later sets change addresses and the
 * wanted routes but announce nothing until vrrp_announce_restore.
 * The first thing on a clean stop, and the operator's withdrawal.
 */
int vrrp_announce_withdraw(struct vrrp_announce *a);
/* Ends a withdrawal: the wanted routes come back. */
int vrrp_announce_restore(struct vrrp_announce *a);
/*
 * Re-reads the table from the kernel and repairs it (routes removed or
 * added behind the module's back), as start does for stale routes.
 */
int vrrp_announce_resync(struct vrrp_announce *a);
/*
 * Clean stop: routes first, then the addresses; nothing is wanted any
 * more (a later set starts over).  The caller leaves time between
 * vrrp_announce_withdraw and this for the routers to move the traffic.
 */
void vrrp_announce_release(struct vrrp_announce *a);
/* Releases (if not done) and frees.  NULL is fine. */
void vrrp_announce_free(struct vrrp_announce *a);

struct vrrp_announce_stats {
	size_t wanted;		/* addresses listed by the last set */
	size_t held;		/* addresses on the device (as last applied) */
	size_t announced;	/* routes in the table (as last applied) */
	bool withdrawn;
	bool failing;		/* the last change failed; a retry is armed */
	uint64_t routes_added, routes_removed;
	uint64_t failures;	/* requests the kernel refused or lost */
	char last_error[160];	/* "" until a request fails */
};

void vrrp_announce_stats(const struct vrrp_announce *a,
    struct vrrp_announce_stats *s);
/* Whether vip is held / announced now; false for both if unknown. */
void vrrp_announce_vip_state(const struct vrrp_announce *a,
    const struct lvs_addr *vip, bool *held, bool *announced);

#endif
