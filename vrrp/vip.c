#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/iflink.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/rt.h"
#include "lib/xalloc.h"
#include "vrrp/vip.h"

/*
 * Addresses are added and removed in batches over one NETLINK_ROUTE
 * socket (vrrp/rtaddr.c): 10,000 of them cost a few system calls, not
 * two each, and the kernel's refusals are still named per address.
 */

int
vip_ctx_init(struct vip_ctx *c, sd_event *ev)
{
	c->ev = ev;
	c->arp_fd = c->na_fd = -1;
	c->na_ifindex = 0;
	if (rtaddr_open(&c->rt, 0, 0) < 0) {
		log_warn("vrrp: cannot open a netlink socket");
		return -1;
	}
	return 0;
}

void
vip_ctx_fini(struct vip_ctx *c)
{
	rtaddr_close(&c->rt);
	if (c->arp_fd >= 0)
		close(c->arp_fd);
	if (c->na_fd >= 0)
		close(c->na_fd);
	c->arp_fd = c->na_fd = -1;
	c->na_ifindex = 0;
}

static const char *
vip_dev(const struct vip_set *s, const struct vrrp_vip *v)
{
	return v->ifname[0] ? v->ifname : s->ifname;
}

/*
 * A device's index and link-layer address (lib/iflink.c: rtnetlink, never
 * the ioctl that may run modprobe), remembering the last device for the
 * length of one pass over a VIP list: VIPs share a few devices.
 */
struct dev_cache {
	char name[IFNAMSIZ];
	unsigned idx;
	bool has_mac;
	uint8_t mac[ETH_ALEN];
};

static unsigned
dev_index(struct dev_cache *dc, const char *name)
{
	if (dc->idx == 0 || strcmp(dc->name, name) != 0) {
		snprintf(dc->name, sizeof(dc->name), "%s", name);
		size_t len = 0;
		if (iflink_lookup(name, &dc->idx, dc->mac, sizeof(dc->mac),
		    &len) < 0)
			dc->idx = 0;
		dc->has_mac = dc->idx != 0 && len == ETH_ALEN;
	}
	return dc->idx;
}

/* The link-layer address of the device dev_index last looked up. */
static const uint8_t *
dev_mac(struct dev_cache *dc)
{
	return dc->has_mac ? dc->mac : NULL;
}

/* One batch of changes to a vip_set's addresses, for the error callback. */
struct vip_change {
	const struct vip_set *s;
	const struct vrrp_vip *vips;
	bool add;
	unsigned failed;
};

static void
vip_refused(void *arg, size_t i, int err)
{
	struct vip_change *ch = arg;
	const struct vrrp_vip *v = &ch->vips[i];
	char buf[LVS_ADDRSTRLEN];

	/* Adding what exists, or removing what is gone, is what we want. */
	if (ch->add ? err == EEXIST : err == EADDRNOTAVAIL || err == ENOENT ||
	    err == ENODEV || err == ESRCH)
		return;
	ch->failed++;
	log_warnx("vrrp %s: cannot %s %s/%u %s %s: %s", ch->s->owner,
	    ch->add ? "add" : "remove", addr_fmt(&v->addr, buf), v->plen,
	    ch->add ? "to" : "from", vip_dev(ch->s, v), strerror(err));
}

/*
 * Adds (add) or removes the vips whose pick[i] is set (all if pick is
 * NULL) in batches; returns how many could not be (each logged).
 */
static unsigned
vip_change(const struct vip_set *s, const struct vrrp_vip *vips, size_t n,
    const bool *pick, bool add)
{
	struct vip_change ch = { s, vips, add, 0 };
	struct dev_cache dc = { .idx = 0 };
	size_t queued = 0;
	uint64_t t0 = mono_usec();

	for (size_t i = 0; i < n; i++) {
		const struct vrrp_vip *v = &vips[i];
		if (pick != NULL && !pick[i])
			continue;
		struct rtaddr_req r = { &v->addr, v->plen,
		    (int)dev_index(&dc, vip_dev(s, v)), v->label };
		if (r.ifindex == 0) {
			if (add) {
				log_warn("vrrp %s: interface %s", s->owner,
				    vip_dev(s, v));
				ch.failed++;
			}
			continue;
		}
		rtaddr_queue(&s->ctx->rt, add, &r, i, vip_refused, &ch);
		queued++;
	}
	(void)rtaddr_flush(&s->ctx->rt, vip_refused, &ch);
	log_debug("vrrp %s: %s %zu address%s (%u failed) in %.1f ms", s->owner,
	    add ? "added" : "removed", queued, queued == 1 ? "" : "es",
	    ch.failed, (double)(mono_usec() - t0) / 1000);
	return ch.failed;
}

int
vip_set_take(struct vip_set *s)
{
	unsigned failed = vip_change(s, s->vips, s->nvips, NULL, true);

	s->held = true;
	return failed > 0 ? -1 : 0;
}

void
vip_set_release(struct vip_set *s)
{
	s->left = 0;
	if (s->timer != NULL)
		sd_event_source_set_enabled(s->timer, SD_EVENT_OFF);
	(void)vip_change(s, s->vips, s->nvips, NULL, false);
	s->held = false;
}

/* An address as one string, device included, to compare lists fast. */
struct vip_key {
	const struct vrrp_vip *v;
	const char *dev;
	size_t i;
};

static int
vip_key_cmp(const void *a, const void *b)
{
	const struct vip_key *x = a, *y = b;
	int c = addr_cmp(&x->v->addr, &y->v->addr);

	if (c == 0)
		c = (int)x->v->plen - (int)y->v->plen;
	if (c == 0)
		c = strcmp(x->dev, y->dev);
	if (c == 0)
		c = strcmp(x->v->label, y->v->label);
	return c;
}

/* Sorted keys of a VIP list (the caller frees them). */
static struct vip_key *
vip_keys(const struct vrrp_vip *vips, size_t n, const char *ifname)
{
	struct vip_key *k = xcalloc(n ? n : 1, sizeof(*k));

	for (size_t i = 0; i < n; i++)
		k[i] = (struct vip_key){ &vips[i],
		    vips[i].ifname[0] ? vips[i].ifname : ifname, i };
	qsort(k, n, sizeof(*k), vip_key_cmp);
	return k;
}

/* Marks in[i] each of a's keys that b has too; returns how many not. */
static size_t
vip_mark_common(const struct vip_key *a, size_t na, const struct vip_key *b,
    size_t nb, bool *in)
{
	size_t missing = 0;

	for (size_t i = 0; i < na; i++) {
		in[a[i].i] = bsearch(&a[i], b, nb, sizeof(*b), vip_key_cmp) != NULL;
		missing += !in[a[i].i];
	}
	return missing;
}

void
vip_set_update(struct vip_set *s, const struct vrrp_vip *vips, size_t n,
    const char *ifname, unsigned count, unsigned delay_ms)
{
	size_t added = 0;

	bool *add = NULL;

	if (s->held) {
		/* Old ones no longer configured go (while the old list is
		 * alive), new ones come; the cost follows the change: those in
		 * both lists are not touched. */
		struct vip_key *ko = vip_keys(s->vips, s->nvips, s->ifname);
		struct vip_key *kn = vip_keys(vips, n, ifname);
		bool *keep = xcalloc(s->nvips + 1, sizeof(*keep));
		add = xcalloc(n + 1, sizeof(*add));
		if (vip_mark_common(ko, s->nvips, kn, n, keep) > 0) {
			for (size_t i = 0; i < s->nvips; i++)
				keep[i] = !keep[i];	/* now: to remove */
			(void)vip_change(s, s->vips, s->nvips, keep, false);
		}
		added = vip_mark_common(kn, n, ko, s->nvips, add);
		for (size_t i = 0; i < n; i++)
			add[i] = !add[i];		/* now: to add */
		free(ko);
		free(kn);
		free(keep);
	}
	s->vips = vips;
	s->nvips = n;
	s->ifname = ifname;
	s->count = count ? count : 1;
	s->delay_ms = delay_ms;
	if (s->held && added > 0) {
		(void)vip_change(s, vips, n, add, true);
		vip_set_announce(s);
	}
	free(add);
}

/* Gratuitous ARP request: sender = target = the VIP, to broadcast. */
static int
send_garp(struct vip_ctx *c, const struct vrrp_vip *v, const uint8_t *mac,
    unsigned idx)
{
	uint8_t pkt[28];
	struct sockaddr_ll sll;

	if (c->arp_fd < 0)
		c->arp_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, 0);	/* protocol 0: never receives */
	if (c->arp_fd < 0 || mac == NULL)
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
send_na(struct vip_ctx *c, const struct vrrp_vip *v, const uint8_t *mac,
    unsigned idx)
{
	uint8_t pkt[32];
	struct sockaddr_in6 to;
	int ifi = (int)idx;

	if (c->na_fd < 0)
		c->na_fd = na_socket();
	if (c->na_fd < 0 || mac == NULL)
		return -1;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = ND_NEIGHBOR_ADVERT;
	pkt[4] = 0x20;			/* Override */
	memcpy(pkt + 8, &v->addr.u.v6, 16);
	pkt[24] = ND_OPT_TARGET_LINKADDR;
	pkt[25] = 1;			/* 8 bytes */
	memcpy(pkt + 26, mac, ETH_ALEN);
	memset(&to, 0, sizeof(to));
	to.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	to.sin6_scope_id = idx;
	if (ifi != c->na_ifindex) {
		if (setsockopt(c->na_fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifi,
		    sizeof(ifi)) < 0)
			return -1;
		c->na_ifindex = ifi;
	}
	/* The kernel fills in the ICMPv6 checksum on raw ICMPv6 sockets. */
	return sendto(c->na_fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to,
	    sizeof(to)) < 0 ? -1 : 0;
}

static void
announce_once(struct vip_set *s)
{
	char buf[LVS_ADDRSTRLEN];
	struct dev_cache dc = { .idx = 0 };

	for (size_t i = 0; i < s->nvips; i++) {
		const struct vrrp_vip *v = &s->vips[i];
		const char *dev = vip_dev(s, v);
		unsigned idx = dev_index(&dc, dev);
		int rc;

		if (idx == 0)
			continue;
		const uint8_t *mac = dev_mac(&dc);
		rc = v->addr.af == AF_INET ? send_garp(s->ctx, v, mac, idx) :
		    send_na(s->ctx, v, mac, idx);
		if (rc < 0)
			log_warn("vrrp %s: cannot announce %s on %s", s->owner,
			    addr_fmt(&v->addr, buf), dev);
		if (i % 256 == 255)
			rt_breathe();	/* lib/rt.h: thousands of addresses */
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
