/*
 * The ARP watch's rounds (see arpwatch.h): probes for the VIPs, then, if
 * an answer came from a MAC it cannot place, probes for the real servers'
 * and known hosts' own addresses; answers are read from an AF_PACKET
 * socket (ARP replies only, by a socket filter) and a raw ICMPv6 socket
 * (neighbour advertisements only, hop limit 255).  Probes go out in
 * slices so a large site never floods the segment in one burst.
 */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "healthcheck/arpwatch.h"
#include "lib/iflink.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

#define SLICE 32		/* probes sent per loop turn */
#define SLICE_GAP_US 5000	/* between two slices */
#define MAC_TTL_US (300ULL * 1000000)	/* a learned MAC is trusted this long */
#define MAX_ANSWERS 256		/* per round: a flood cannot grow memory */
#define READS_PER_WAKE 64

enum phase { IDLE, ASK_VIPS, ASK_PEERS };

/* A real server (index < nservers) or a known host, and its MAC. */
struct peer {
	struct lvs_addr addr;
	uint8_t mac[HC_MAC_LEN];
	uint64_t learned;	/* CLOCK_MONOTONIC µs; 0: never */
};

struct hc_arpwatch {
	sd_event *ev;
	char ifname[IFNAMSIZ];
	unsigned ifindex;
	uint8_t mac[HC_MAC_LEN];	/* this host's, on ifname */
	struct lvs_addr *vips;
	size_t nvips;
	struct peer *peers;		/* servers, then known hosts */
	size_t nservers, npeers;
	bool want4, want6;
	int fd4, fd6;
	sd_event_source *io4, *io6, *timer;
	enum phase phase;
	size_t next;			/* next probe of the phase */
	bool sent_all;			/* the phase now only listens */
	uint64_t round_start;
	struct hc_nd_answer got[MAX_ANSWERS];	/* VIP answers this round */
	size_t ngot;
	bool send_failed;		/* warned once until a send works */
	struct hc_arpwatch_params p;	/* arrays point into this struct */
};

static uint64_t
now_usec(const struct hc_arpwatch *w)
{
	uint64_t t = 0;

	sd_event_now(w->ev, CLOCK_MONOTONIC, &t);
	return t;
}

static void
arm(struct hc_arpwatch *w, uint64_t at)
{
	sd_event_source_set_time(w->timer, at);
	sd_event_source_set_enabled(w->timer, SD_EVENT_ONESHOT);
}

static struct peer *
find_peer(struct hc_arpwatch *w, const struct lvs_addr *a)
{
	for (size_t i = 0; i < w->npeers; i++)
		if (addr_eq(&w->peers[i].addr, a))
			return &w->peers[i];
	return NULL;
}

static bool
is_vip(const struct hc_arpwatch *w, const struct lvs_addr *a)
{
	for (size_t i = 0; i < w->nvips; i++)
		if (addr_eq(&w->vips[i], a))
			return true;
	return false;
}

/*
 * A fresh peer owning mac, or NULL; one of family af if there is one (a
 * host answering for an IPv6 VIP is named by its IPv6 address).
 */
static struct peer *
peer_by_mac(struct hc_arpwatch *w, const uint8_t *mac, sa_family_t af,
    uint64_t now)
{
	struct peer *other = NULL;

	for (size_t i = 0; i < w->npeers; i++) {
		struct peer *pe = &w->peers[i];
		if (pe->learned == 0 || now - pe->learned >= MAC_TTL_US ||
		    memcmp(pe->mac, mac, HC_MAC_LEN) != 0)
			continue;
		if (pe->addr.af == af)
			return pe;
		if (other == NULL)
			other = pe;
	}
	return other;
}

static void
take_answer(struct hc_arpwatch *w, const struct hc_nd_answer *a)
{
	char ab[LVS_ADDRSTRLEN], mb[HC_MACSTRLEN];
	struct peer *pe;

	if (a->has_mac && memcmp(a->mac, w->mac, HC_MAC_LEN) == 0)
		return;			/* this host */
	if (a->has_mac && (pe = find_peer(w, &a->addr)) != NULL) {
		memcpy(pe->mac, a->mac, HC_MAC_LEN);
		pe->learned = now_usec(w);
	}
	if (w->phase == IDLE || !is_vip(w, &a->addr))
		return;
	for (size_t i = 0; i < w->ngot; i++)
		if (addr_eq(&w->got[i].addr, &a->addr) &&
		    w->got[i].has_mac == a->has_mac &&
		    memcmp(w->got[i].mac, a->mac, HC_MAC_LEN) == 0)
			return;
	if (w->ngot == MAX_ANSWERS)
		return;
	log_debug("arp watch %s: %s answered by %s", w->ifname,
	    addr_fmt(&a->addr, ab), a->has_mac ? hc_mac_fmt(a->mac, mb) :
	    "(no MAC)");
	w->got[w->ngot++] = *a;
}

static int
on_arp(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct hc_arpwatch *w = arg;
	uint8_t buf[128];
	char why[160];
	(void)s;
	(void)revents;

	for (int i = 0; i < READS_PER_WAKE; i++) {
		struct sockaddr_ll from;
		socklen_t flen = sizeof(from);
		struct hc_nd_answer a;
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &flen);

		if (n < 0)
			break;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (hc_arp_parse_reply(buf, (size_t)n, &a, why, sizeof(why)) < 0) {
			log_debug("arp watch %s: ignored: %s", w->ifname, why);
			continue;
		}
		take_answer(w, &a);
	}
	return 0;
}

static int
on_na(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct hc_arpwatch *w = arg;
	uint8_t buf[512];
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(int))];
	} ctl;
	char why[160];
	(void)s;
	(void)revents;

	for (int i = 0; i < READS_PER_WAKE; i++) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
		    .msg_control = &ctl, .msg_controllen = sizeof(ctl) };
		struct hc_nd_answer a;
		int hops = -1;
		ssize_t n = recvmsg(fd, &m, 0);

		if (n < 0)
			break;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL;
		    c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == IPPROTO_IPV6 &&
			    c->cmsg_type == IPV6_HOPLIMIT)
				memcpy(&hops, CMSG_DATA(c), sizeof(hops));
		if (hops != 255) {
			log_debug("arp watch %s: ignored a neighbour "
			    "advertisement with hop limit %d", w->ifname, hops);
			continue;
		}
		if (hc_nd_parse_advert(buf, (size_t)n, &a, why, sizeof(why)) < 0) {
			log_debug("arp watch %s: ignored: %s", w->ifname, why);
			continue;
		}
		take_answer(w, &a);
	}
	return 0;
}

/* Only ARP replies reach the socket (its buffer never fills with requests). */
static int
arp_socket(unsigned ifindex)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),	/* operation */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETH_P_ARP), .sll_ifindex = (int)ifindex };
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    htons(ETH_P_ARP));

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog)) < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
na_socket(const char *ifname, unsigned ifindex)
{
	struct icmp6_filter filt;
	int on = 1, hops = 255, off = 0, idx = (int)ifindex;
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_ICMPV6);

	if (fd < 0)
		return -1;
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &filt);
	/* Our own solicitation must not loop back to this host's stack. */
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof(filt)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    (socklen_t)strlen(ifname)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
	    sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops,
	    sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off,
	    sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx,
	    sizeof(idx)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void
close_sockets(struct hc_arpwatch *w)
{
	w->io4 = sd_event_source_disable_unref(w->io4);
	w->io6 = sd_event_source_disable_unref(w->io6);
	if (w->fd4 >= 0)
		close(w->fd4);
	if (w->fd6 >= 0)
		close(w->fd6);
	w->fd4 = w->fd6 = -1;
}

static int
add_io(struct hc_arpwatch *w, int fd, sd_event_io_handler_t fn,
    sd_event_source **src)
{
	int r = sd_event_add_io(w->ev, src, fd, EPOLLIN, fn, w);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	sd_event_source_set_priority(*src, LVSD_PRIO_BULK);
	return 0;
}

/* (Re)opens the sockets on the interface as it is now; -1 with errno. */
static int
open_sockets(struct hc_arpwatch *w)
{
	struct ifreq ifr;
	unsigned idx = iflink_index(w->ifname);

	close_sockets(w);
	if (idx == 0)
		return -1;
	w->ifindex = idx;
	if (w->want4 && ((w->fd4 = arp_socket(idx)) < 0 ||
	    add_io(w, w->fd4, on_arp, &w->io4) < 0))
		return -1;
	if (w->want6 && ((w->fd6 = na_socket(w->ifname, idx)) < 0 ||
	    add_io(w, w->fd6, on_na, &w->io6) < 0))
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", w->ifname);
	if (ioctl(w->want4 ? w->fd4 : w->fd6, SIOCGIFHWADDR, &ifr) < 0)
		return -1;
	memcpy(w->mac, ifr.ifr_hwaddr.sa_data, HC_MAC_LEN);
	return 0;
}

static int
send_probe(struct hc_arpwatch *w, const struct lvs_addr *target)
{
	if (target->af == AF_INET) {
		static const struct in_addr any = { 0 };
		uint8_t pkt[HC_ARP_LEN];
		struct sockaddr_ll to = { .sll_family = AF_PACKET,
		    .sll_protocol = htons(ETH_P_ARP),
		    .sll_ifindex = (int)w->ifindex, .sll_halen = ETH_ALEN };

		memset(to.sll_addr, 0xff, ETH_ALEN);
		hc_arp_request(pkt, w->mac, &any, &target->u.v4);
		return (int)sendto(w->fd4, pkt, sizeof(pkt), 0,
		    (struct sockaddr *)&to, sizeof(to));
	}
	uint8_t pkt[HC_NS_LEN];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
	    .sin6_scope_id = w->ifindex };

	hc_nd_solicit(pkt, w->mac, &target->u.v6);
	hc_nd_solicited_node(&target->u.v6, &to.sin6_addr);
	return (int)sendto(w->fd6, pkt, sizeof(pkt), 0,
	    (struct sockaddr *)&to, sizeof(to));
}

/* Whether a phase-2 probe is needed for peer i (its MAC is unknown or old). */
static bool
peer_stale(const struct hc_arpwatch *w, size_t i, uint64_t now)
{
	const struct peer *pe = &w->peers[i];

	return pe->learned == 0 || now - pe->learned >= MAC_TTL_US;
}

/* Sends the next slice of the phase's probes; true once all are out. */
static bool
send_slice(struct hc_arpwatch *w, uint64_t now)
{
	size_t total = w->phase == ASK_VIPS ? w->nvips : w->npeers;
	int sent = 0;

	while (w->next < total && sent < SLICE) {
		size_t i = w->next++;
		const struct lvs_addr *t;
		char ab[LVS_ADDRSTRLEN];

		if (w->phase == ASK_PEERS && !peer_stale(w, i, now))
			continue;
		t = w->phase == ASK_VIPS ? &w->vips[i] : &w->peers[i].addr;
		sent++;
		if (send_probe(w, t) < 0) {
			if (!w->send_failed)
				log_warn("arp watch %s: cannot ask for %s",
				    w->ifname, addr_fmt(t, ab));
			w->send_failed = true;
		} else {
			w->send_failed = false;
		}
	}
	return w->next >= total;
}

/* An answer whose MAC belongs to no fresh peer and is not this host's. */
static bool
unplaced_answer(struct hc_arpwatch *w, uint64_t now)
{
	for (size_t i = 0; i < w->ngot; i++)
		if (w->got[i].has_mac && peer_by_mac(w, w->got[i].mac,
		    w->got[i].addr.af, now) == NULL)
			return true;
	return false;
}

static void
finish_round(struct hc_arpwatch *w, uint64_t now)
{
	struct hc_arpwatch_answer out[MAX_ANSWERS];
	size_t n = 0;

	for (size_t i = 0; i < w->ngot; i++) {
		const struct hc_nd_answer *g = &w->got[i];
		struct peer *pe = g->has_mac ?
		    peer_by_mac(w, g->mac, g->addr.af, now) : NULL;
		size_t idx = pe != NULL ? (size_t)(pe - w->peers) : SIZE_MAX;

		if (idx != SIZE_MAX && idx >= w->nservers)
			continue;	/* a known host: the other director */
		out[n].vip = g->addr;
		memcpy(out[n].mac, g->mac, HC_MAC_LEN);
		out[n].has_mac = g->has_mac;
		out[n].server = idx == SIZE_MAX ? -1 : (int)idx;
		n++;
	}
	w->phase = IDLE;
	w->ngot = 0;
	arm(w, w->round_start + w->p.interval_ms * 1000ULL);
	w->p.done(w->p.arg, w->ifname, out, n);
}

static void
start_round(struct hc_arpwatch *w, uint64_t now)
{
	w->round_start = now;
	if (iflink_index(w->ifname) != w->ifindex || w->fd4 + w->fd6 == -2) {
		if (open_sockets(w) < 0) {
			if (!w->send_failed)
				log_warn("arp watch %s: cannot open the "
				    "interface", w->ifname);
			w->send_failed = true;
			close_sockets(w);
			arm(w, now + w->p.interval_ms * 1000ULL);
			return;
		}
	}
	w->phase = ASK_VIPS;
	w->next = 0;
	w->sent_all = false;
	w->ngot = 0;
}

static int
on_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct hc_arpwatch *w = arg;
	(void)s;

	if (w->phase == IDLE) {
		start_round(w, usec);
		if (w->phase == IDLE)
			return 0;
	} else if (w->sent_all) {
		/* The window of the phase is over. */
		if (w->phase == ASK_VIPS && w->npeers > 0 &&
		    unplaced_answer(w, usec)) {
			w->phase = ASK_PEERS;
			w->next = 0;
			w->sent_all = false;
		} else {
			finish_round(w, usec);
			return 0;
		}
	}
	if (send_slice(w, usec)) {
		w->sent_all = true;
		arm(w, usec + w->p.window_ms * 1000ULL);
	} else {
		arm(w, usec + SLICE_GAP_US);
	}
	return 0;
}

struct hc_arpwatch *
hc_arpwatch_new(sd_event *ev, const struct hc_arpwatch_params *p, char *why,
    size_t whylen)
{
	struct hc_arpwatch *w = xcalloc(1, sizeof(*w));
	uint64_t now;
	int r;

	w->ev = sd_event_ref(ev);
	w->fd4 = w->fd6 = -1;
	w->p = *p;
	snprintf(w->ifname, sizeof(w->ifname), "%s", p->ifname);
	w->p.ifname = w->ifname;
	w->nvips = p->nvips;
	w->vips = xcalloc(p->nvips + 1, sizeof(*w->vips));
	memcpy(w->vips, p->vips, p->nvips * sizeof(*w->vips));
	w->nservers = p->nservers;
	w->npeers = p->nservers + p->nknown;
	w->peers = xcalloc(w->npeers + 1, sizeof(*w->peers));
	for (size_t i = 0; i < p->nservers; i++)
		w->peers[i].addr = p->servers[i];
	for (size_t i = 0; i < p->nknown; i++)
		w->peers[p->nservers + i].addr = p->known[i];
	w->p.vips = w->p.servers = w->p.known = NULL;
	for (size_t i = 0; i < w->nvips; i++) {
		w->want4 |= w->vips[i].af == AF_INET;
		w->want6 |= w->vips[i].af == AF_INET6;
	}
	if (open_sockets(w) < 0) {
		snprintf(why, whylen, "arp watch on %s: %s", w->ifname,
		    w->ifindex == 0 ? "no such interface" : strerror(errno));
		hc_arpwatch_free(w);
		return NULL;
	}
	sd_event_now(ev, CLOCK_MONOTONIC, &now);
	r = sd_event_add_time(ev, &w->timer, CLOCK_MONOTONIC,
	    now + p->first_ms * 1000ULL, 1000, on_timer, w);
	if (r < 0) {
		snprintf(why, whylen, "arp watch on %s: timer: %s", w->ifname,
		    strerror(-r));
		hc_arpwatch_free(w);
		return NULL;
	}
	sd_event_source_set_priority(w->timer, LVSD_PRIO_BULK);
	return w;
}

void
hc_arpwatch_free(struct hc_arpwatch *w)
{
	if (w == NULL)
		return;
	w->timer = sd_event_source_disable_unref(w->timer);
	close_sockets(w);
	free(w->vips);
	free(w->peers);
	sd_event_unref(w->ev);
	free(w);
}
