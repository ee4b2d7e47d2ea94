#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "lib/iflink.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "vrrp/vip.h"

int
vip_ctx_init(struct vip_ctx *c, sd_event *ev)
{
	int err;

	c->ev = ev;
	c->arp_fd = c->na_fd = -1;
	c->nl = nl_socket_alloc();
	if (c->nl == NULL) {
		log_warnx("vrrp: cannot allocate a netlink socket");
		return -1;
	}
	if ((err = nl_connect(c->nl, NETLINK_ROUTE)) < 0) {
		log_warnx("vrrp: netlink: %s", nl_geterror(err));
		nl_socket_free(c->nl);
		c->nl = NULL;
		return -1;
	}
	return 0;
}

void
vip_ctx_fini(struct vip_ctx *c)
{
	if (c->nl != NULL)
		nl_socket_free(c->nl);
	c->nl = NULL;
	if (c->arp_fd >= 0)
		close(c->arp_fd);
	if (c->na_fd >= 0)
		close(c->na_fd);
	c->arp_fd = c->na_fd = -1;
}

static const char *
vip_dev(const struct vip_set *s, const struct vrrp_vip *v)
{
	return v->ifname[0] ? v->ifname : s->ifname;
}

/* Builds the rtnl_addr for v; NULL (logged) if the device is unknown. */
static struct rtnl_addr *
vip_obj(const struct vip_set *s, const struct vrrp_vip *v)
{
	struct rtnl_addr *a;
	struct nl_addr *local;
	unsigned idx = iflink_index(vip_dev(s, v));

	if (idx == 0) {
		log_warn("vrrp %s: interface %s", s->owner, vip_dev(s, v));
		return NULL;
	}
	a = rtnl_addr_alloc();
	local = nl_addr_build(v->addr.af, &v->addr.u, addr_len(&v->addr));
	if (a == NULL || local == NULL)
		abort();
	nl_addr_set_prefixlen(local, v->plen);
	rtnl_addr_set_ifindex(a, (int)idx);
	rtnl_addr_set_local(a, local);
	rtnl_addr_set_prefixlen(a, v->plen);
	nl_addr_put(local);
	if (v->addr.af == AF_INET && v->label[0])
		rtnl_addr_set_label(a, v->label);
	/* Usable at once: duplicate detection would delay a takeover. */
	if (v->addr.af == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);
	return a;
}

int
vip_set_take(struct vip_set *s)
{
	char buf[LVS_ADDRSTRLEN];
	int rc = 0;

	for (size_t i = 0; i < s->nvips; i++) {
		const struct vrrp_vip *v = &s->vips[i];
		struct rtnl_addr *a = vip_obj(s, v);
		int err;

		if (a == NULL) {
			rc = -1;
			continue;
		}
		err = rtnl_addr_add(s->ctx->nl, a, 0);
		rtnl_addr_put(a);
		if (err < 0 && err != -NLE_EXIST) {
			log_warnx("vrrp %s: cannot add %s/%u to %s: %s", s->owner,
			    addr_fmt(&v->addr, buf), v->plen, vip_dev(s, v),
			    nl_geterror(err));
			rc = -1;
		} else {
			log_debug("vrrp %s: added %s/%u on %s", s->owner,
			    addr_fmt(&v->addr, buf), v->plen, vip_dev(s, v));
		}
	}
	s->held = true;
	return rc;
}

static void
vip_remove(const struct vip_set *s, const struct vrrp_vip *v)
{
	char buf[LVS_ADDRSTRLEN];
	struct rtnl_addr *a = vip_obj(s, v);
	int err;

	if (a == NULL)
		return;
	err = rtnl_addr_delete(s->ctx->nl, a, 0);
	rtnl_addr_put(a);
	if (err < 0 && err != -NLE_NOADDR && err != -NLE_OBJ_NOTFOUND &&
	    err != -NLE_NODEV)
		log_warnx("vrrp %s: cannot remove %s/%u from %s: %s", s->owner,
		    addr_fmt(&v->addr, buf), v->plen, vip_dev(s, v),
		    nl_geterror(err));
}

void
vip_set_release(struct vip_set *s)
{
	s->left = 0;
	if (s->timer != NULL)
		sd_event_source_set_enabled(s->timer, SD_EVENT_OFF);
	for (size_t i = 0; i < s->nvips; i++)
		vip_remove(s, &s->vips[i]);
	s->held = false;
}

static bool
same_vip(const char *dev_a, const struct vrrp_vip *a, const char *dev_b,
    const struct vrrp_vip *b)
{
	return addr_eq(&a->addr, &b->addr) && a->plen == b->plen &&
	    strcmp(a->label, b->label) == 0 && strcmp(dev_a, dev_b) == 0;
}

void
vip_set_update(struct vip_set *s, const struct vrrp_vip *vips, size_t n,
    const char *ifname, unsigned count, unsigned delay_ms)
{
	bool added = false;

	/* Old ones no longer configured go (while the old list is alive). */
	for (size_t i = 0; s->held && i < s->nvips; i++) {
		bool keep = false;

		for (size_t j = 0; j < n && !keep; j++)
			keep = same_vip(vip_dev(s, &s->vips[i]), &s->vips[i],
			    vips[j].ifname[0] ? vips[j].ifname : ifname, &vips[j]);
		if (!keep)
			vip_remove(s, &s->vips[i]);
	}
	for (size_t j = 0; s->held && j < n; j++) {
		bool had = false;

		for (size_t i = 0; i < s->nvips && !had; i++)
			had = same_vip(vip_dev(s, &s->vips[i]), &s->vips[i],
			    vips[j].ifname[0] ? vips[j].ifname : ifname, &vips[j]);
		added = added || !had;
	}
	s->vips = vips;
	s->nvips = n;
	s->ifname = ifname;
	s->count = count ? count : 1;
	s->delay_ms = delay_ms;
	if (s->held) {
		vip_set_take(s);
		if (added)
			vip_set_announce(s);
	}
}

static int
hwaddr(const char *ifname, uint8_t mac[ETH_ALEN])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (rc < 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return 0;
}

/* Gratuitous ARP request: sender = target = the VIP, to broadcast. */
static int
send_garp(struct vip_ctx *c, const struct vrrp_vip *v, const char *dev,
    unsigned idx)
{
	uint8_t pkt[28], mac[ETH_ALEN];
	struct sockaddr_ll sll;

	if (c->arp_fd < 0)
		c->arp_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, 0);	/* protocol 0: never receives */
	if (c->arp_fd < 0 || hwaddr(dev, mac) < 0)
		return -1;
	memcpy(pkt, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	memcpy(pkt + 8, mac, ETH_ALEN);
	memcpy(pkt + 14, &v->addr.u.v4, 4);
	memset(pkt + 18, 0, ETH_ALEN);
	memcpy(pkt + 24, &v->addr.u.v4, 4);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = (int)idx;
	sll.sll_halen = ETH_ALEN;
	memset(sll.sll_addr, 0xff, ETH_ALEN);
	return sendto(c->arp_fd, pkt, sizeof(pkt), 0,
	    (struct sockaddr *)&sll, sizeof(sll)) < 0 ? -1 : 0;
}

static int
na_socket(void)
{
	struct icmp6_filter filt;
	int hops = 255;
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    IPPROTO_ICMPV6);

	if (fd < 0)
		return -1;
	/* Send only: receiving nothing keeps the buffer empty. */
	ICMP6_FILTER_SETBLOCKALL(&filt);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
	    sizeof(filt)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
	    sizeof(hops)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Unsolicited NA (RFC 4861 §7.2.6) to all-nodes, Override set. */
static int
send_na(struct vip_ctx *c, const struct vrrp_vip *v, const char *dev,
    unsigned idx)
{
	uint8_t pkt[32];
	struct sockaddr_in6 to;
	int ifi = (int)idx;

	if (c->na_fd < 0)
		c->na_fd = na_socket();
	if (c->na_fd < 0)
		return -1;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = ND_NEIGHBOR_ADVERT;
	pkt[4] = 0x20;			/* Override */
	memcpy(pkt + 8, &v->addr.u.v6, 16);
	pkt[24] = ND_OPT_TARGET_LINKADDR;
	pkt[25] = 1;			/* 8 bytes */
	if (hwaddr(dev, pkt + 26) < 0)
		return -1;
	memset(&to, 0, sizeof(to));
	to.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	to.sin6_scope_id = idx;
	if (setsockopt(c->na_fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifi,
	    sizeof(ifi)) < 0)
		return -1;
	/* The kernel fills in the ICMPv6 checksum on raw ICMPv6 sockets. */
	return sendto(c->na_fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to,
	    sizeof(to)) < 0 ? -1 : 0;
}

static void
announce_once(struct vip_set *s)
{
	char buf[LVS_ADDRSTRLEN];

	for (size_t i = 0; i < s->nvips; i++) {
		const struct vrrp_vip *v = &s->vips[i];
		const char *dev = vip_dev(s, v);
		unsigned idx = iflink_index(dev);
		int rc;

		if (idx == 0)
			continue;
		rc = v->addr.af == AF_INET ? send_garp(s->ctx, v, dev, idx) :
		    send_na(s->ctx, v, dev, idx);
		if (rc < 0)
			log_warn("vrrp %s: cannot announce %s on %s", s->owner,
			    addr_fmt(&v->addr, buf), dev);
	}
}

static int
announce_timer(sd_event_source *src, uint64_t usec, void *arg)
{
	struct vip_set *s = arg;

	if (!s->held || s->left == 0)
		return 0;
	announce_once(s);
	if (--s->left > 0) {
		sd_event_source_set_time(src, usec + s->delay_ms * 1000ULL);
		sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
	}
	return 0;
}

void
vip_set_init(struct vip_set *s, struct vip_ctx *c, const char *owner,
    const struct vrrp_vip *vips, size_t nvips, const char *ifname,
    unsigned count, unsigned delay_ms)
{
	memset(s, 0, sizeof(*s));
	s->ctx = c;
	s->owner = owner;
	s->vips = vips;
	s->nvips = nvips;
	s->ifname = ifname;
	s->count = count ? count : 1;
	s->delay_ms = delay_ms;
}

void
vip_set_announce(struct vip_set *s)
{
	uint64_t now;

	if (!s->held)
		return;
	announce_once(s);
	s->left = s->count - 1;
	if (s->left == 0)
		return;
	sd_event_now(s->ctx->ev, CLOCK_MONOTONIC, &now);
	if (s->timer == NULL) {
		if (sd_event_add_time(s->ctx->ev, &s->timer, CLOCK_MONOTONIC,
		    now + s->delay_ms * 1000ULL, 1, announce_timer, s) < 0) {
			log_warnx("vrrp %s: cannot arm the GARP timer", s->owner);
			return;
		}
		sd_event_source_set_priority(s->timer, LVSD_PRIO_VRRP);
	} else {
		sd_event_source_set_time(s->timer, now + s->delay_ms * 1000ULL);
	}
	sd_event_source_set_enabled(s->timer, SD_EVENT_ONESHOT);
}

void
vip_set_fini(struct vip_set *s)
{
	s->timer = sd_event_source_disable_unref(s->timer);
}
