/*
 * VIP ownership (internal to vrrp/): adding and removing the addresses
 * in batches (vrrp/rtaddr.c), and announcing them with gratuitous ARP (IPv4) or
 * unsolicited neighbour advertisements (IPv6), repeated count times
 * delay_ms apart on a timer.
 */
#ifndef LVSD_VRRP_VIP_H
#define LVSD_VRRP_VIP_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrp/rtaddr.h"
#include "vrrp/vrrp.h"

typedef struct sd_event_source sd_event_source;

/* Sockets shared by every vipset of one vrrp/pulse context. */
struct vip_ctx {
	sd_event *ev;
	struct rtaddr_sock rt;	/* NETLINK_ROUTE, for address changes */
	int arp_fd;		/* AF_PACKET, for GARP; -1 until needed */
	int na_fd;		/* raw ICMPv6, for NA; -1 until needed */
	int na_ifindex;		/* its IPV6_MULTICAST_IF; 0: not set */
};

struct vip_set {
	struct vip_ctx *ctx;	/* not owned */
	const char *owner;	/* instance name, for logs; not owned */
	const struct vrrp_vip *vips; /* not owned */
	size_t nvips;
	const char *ifname;	/* default device; not owned */
	unsigned count, delay_ms;
	unsigned left;		/* announcements still to send */
	sd_event_source *timer;
	bool held;
};

int vip_ctx_init(struct vip_ctx *c, sd_event *ev);
void vip_ctx_fini(struct vip_ctx *c);

void vip_set_init(struct vip_set *s, struct vip_ctx *c, const char *owner,
    const struct vrrp_vip *vips, size_t nvips, const char *ifname,
    unsigned count, unsigned delay_ms);
/* Adds every VIP (existing ones are fine); 0, or -1 if one failed. */
int vip_set_take(struct vip_set *s);
/* Removes every VIP (missing ones are fine) and stops announcing. */
void vip_set_release(struct vip_set *s);
/*
 * Reload: switches to a new VIP list.  While held, VIPs no longer listed
 * are removed and new ones added and announced (all of them, as after a
 * takeover); VIPs in both lists are left alone.  The old array must
 * still be valid during the call.
 */
void vip_set_update(struct vip_set *s, const struct vrrp_vip *vips, size_t n,
    const char *ifname, unsigned count, unsigned delay_ms);
/* Starts (or restarts) a burst of count announcements. */
void vip_set_announce(struct vip_set *s);
void vip_set_fini(struct vip_set *s);

#endif
