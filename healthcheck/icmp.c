#include "config.h"

#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "healthcheck/hc_int.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

/*
 * ICMP/ICMPv6 echo.  An unprivileged ping socket (SOCK_DGRAM, allowed by
 * net.ipv4.ping_group_range) is tried first; the kernel then filters
 * replies per socket.  Otherwise a raw socket, which sees every ICMP packet
 * and so matches replies by identifier and a random cookie.
 */

#define ICMP_PAYLOAD 16

struct icmp_run {
	int fd;
	bool raw;
	uint16_t id, seq;
	uint8_t cookie[ICMP_PAYLOAD];
	sd_event_source *io;
};

static int
icmp_setup(struct hc_checker *ck)
{
	(void)ck;
	return 0;
}

static void
icmp_free(struct hc_checker *ck)
{
	(void)ck;
}

static uint16_t
cksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int
open_socket(struct hc_checker *ck, struct icmp_run *r)
{
	int af = ck->addr.af;
	int proto = af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;

	r->fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (r->fd >= 0)
		return 0;
	r->fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	r->raw = true;
	return r->fd < 0 ? -1 : 0;
}

/* True if the packet at p (ICMP header first) is our echo reply. */
static bool
is_reply(const struct hc_checker *ck, const struct icmp_run *r,
    const uint8_t *p, size_t n)
{
	uint8_t want = ck->addr.af == AF_INET6 ? ICMP6_ECHO_REPLY :
	    ICMP_ECHOREPLY;

	if (n < 8 + ICMP_PAYLOAD || p[0] != want || p[1] != 0)
		return false;
	/* Ping sockets rewrite the identifier; raw ones keep ours. */
	if (r->raw && (uint16_t)(p[4] << 8 | p[5]) != r->id)
		return false;
	if ((uint16_t)(p[6] << 8 | p[7]) != r->seq)
		return false;
	return memcmp(p + 8, r->cookie, ICMP_PAYLOAD) == 0;
}

static int
on_reply(sd_event_source *s, int fd, uint32_t revents, void *ud)
{
	struct hc_checker *ck = ud;
	struct icmp_run *r = ck->run;
	uint8_t buf[1500];

	(void)s;
	(void)revents;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0) {
			hc_result(ck, false, -1, "ICMP echo: %s", strerror(errno));
			return 0;
		}
		const uint8_t *p = buf;
		size_t len = (size_t)n;
		if (r->raw && ck->addr.af == AF_INET) {
			/* Raw IPv4 sockets deliver the IP header too. */
			size_t hl = len ? (size_t)(buf[0] & 0x0f) * 4 : 0;
			if (hl < 20 || hl > len)
				continue;
			p += hl;
			len -= hl;
		}
		if (is_reply(ck, r, p, len)) {
			uint64_t us = hc_now(ck) - ck->start_usec;
			hc_result(ck, true, -1, "ICMP echo reply in %llu.%03llu ms",
			    (unsigned long long)(us / 1000),
			    (unsigned long long)(us % 1000));
			return 0;
		}
	}
}

static int
send_echo(struct hc_checker *ck, struct icmp_run *r)
{
	uint8_t pkt[8 + ICMP_PAYLOAD];
	struct sockaddr_storage ss;
	socklen_t len;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = ck->addr.af == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	r->id = (uint16_t)hc_random(0xffff);
	r->seq = (uint16_t)hc_random(0xffff);
	for (size_t i = 0; i < ICMP_PAYLOAD; i++)
		r->cookie[i] = (uint8_t)hc_random(0xff);
	pkt[4] = (uint8_t)(r->id >> 8);
	pkt[5] = (uint8_t)r->id;
	pkt[6] = (uint8_t)(r->seq >> 8);
	pkt[7] = (uint8_t)r->seq;
	memcpy(pkt + 8, r->cookie, ICMP_PAYLOAD);
	if (ck->addr.af == AF_INET) {
		uint16_t c = cksum(pkt, sizeof(pkt));
		memcpy(pkt + 2, &c, 2);
	}	/* ICMPv6: the kernel fills in the checksum. */
	hc_sockaddr(ck, 0, &ss, &len);
	if (connect(r->fd, (struct sockaddr *)&ss, len) < 0 ||
	    send(r->fd, pkt, sizeof(pkt), 0) < 0)
		return -1;
	return 0;
}

static int
icmp_start(struct hc_checker *ck)
{
	struct icmp_run *r = xcalloc(1, sizeof(*r));

	r->fd = -1;
	ck->run = r;
	if (open_socket(ck, r) < 0) {
		hc_result(ck, false, -1, "ICMP socket: %s", strerror(errno));
		return -1;
	}
	if (send_echo(ck, r) < 0) {
		hc_result(ck, false, -1, "ICMP echo: %s", strerror(errno));
		return -1;
	}
	/* Edge-triggered (see conn.c); on_reply reads until EAGAIN. */
	if (sd_event_add_io(ck->eng->ev, &r->io, r->fd, EPOLLIN | EPOLLET, on_reply,
	    ck) < 0) {
		hc_result(ck, false, -1, "event loop: cannot watch socket");
		return -1;
	}
	sd_event_source_set_priority(r->io, LVSD_PRIO_CHECK);
	return 0;
}

static void
icmp_cancel(struct hc_checker *ck)
{
	struct icmp_run *r = ck->run;

	if (r == NULL)
		return;
	sd_event_source_disable_unref(r->io);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
	ck->run = NULL;
}

static void
icmp_describe(const struct hc_checker *ck, char *buf, size_t len)
{
	const struct icmp_run *r = ck->run;

	snprintf(buf, len, "no echo reply%s", r && r->raw ? " on a raw socket" :
	    "");
}

const struct hc_ops hc_icmp_ops = {
	.name = "ICMP",
	.setup = icmp_setup,
	.start = icmp_start,
	.cancel = icmp_cancel,
	.free = icmp_free,
	.describe = icmp_describe,
};
