/*
 * VRRP raw sockets (IPPROTO_VRRP, internal to vrrp/): open per instance,
 * send with an explicit source (the v3 checksum covers it), receive with
 * source, destination and TTL / hop limit.
 */
#ifndef LVSD_VRRP_SOCK_H
#define LVSD_VRRP_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vrrp/vrrp.h"

/* DSCP CS6 (network control), in IP_TOS / IPV6_TCLASS form. */
#define VRRP_TOS	0xc0

/* The multicast group of the family: 224.0.0.18 or ff02::12. */
void vrrp_sock_group(sa_family_t af, struct lvs_addr *out);
/* Non-blocking raw socket on the device, TTL 255, group joined if needed. */
int vrrp_sock_open(const struct vrrp_instance_config *c, unsigned ifindex);
int vrrp_sock_send(int fd, unsigned ifindex, const struct lvs_addr *src,
    const struct lvs_addr *dst, const uint8_t *buf, size_t len);
/*
 * Reads one packet into buf; payload and plen give the VRRP part.
 * Returns 0, 1 when nothing is left to read, -2 for a malformed IP
 * header or missing ancillary data, -1 on a socket error.
 */
int vrrp_sock_recv(int fd, sa_family_t af, uint8_t *buf, size_t len,
    const uint8_t **payload, size_t *plen, struct lvs_addr *src,
    struct lvs_addr *dst, int *ttl);
/*
 * Our address on the device for adverts and the tie-break: IPv4 the
 * first address that is not a VIP; IPv6 the link-local one (or, for
 * non-link-local unicast peers, the first global one).  Multicast: one
 * of c->senders if the device has one.
 */
int vrrp_sock_self(const struct vrrp_instance_config *c, struct lvs_addr *out);
/* IPv6: the link-local address adverts name first (c->link_local, or the
 * device's own that is not a VIP); -1 if there is none. */
int vrrp_sock_link_local(const struct vrrp_instance_config *c,
    struct lvs_addr *out);

/* Whether a is an address of this host (any device). */
bool vrrp_sock_is_local(const struct lvs_addr *a);

#endif
