/*
 * Connection handoff: the master's IPVS connections, sent to the backup's
 * sync daemon as it releases (see ipvs/conns.h).  Streams: one line of
 * /proc/net/ip_vs_conn at a time into a message, sent when full, so a
 * table of millions costs no memory; in steps of a bounded number of
 * lines, so the event loop (VRRP first) runs in between.  Connections
 * that are closing (TIME_WAIT, CLOSE) stay home: the kernel's own sync
 * sends those state changes, and they are most of a busy table.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipvs/conns.h"
#include "ipvs/priv.h"
#include "lib/iflink.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define SYNC_GROUP4	"224.0.0.81"	/* the kernel's default group */
#define SYNC_PORT	8848
/* Below any backup's receive length (its interface MTU minus headers). */
#define MSG_MAX		1200
#define CONNS_PATH	"/proc/net/ip_vs_conn"

struct ipvs_handoff {
	struct ipvs_driver *drv;
	char ifname[16];
	int fd;
	FILE *f;
	char *line;
	size_t linecap;
	unsigned lineno, bad;
	struct sockaddr_storage to;
	socklen_t tolen;
	uint8_t syncid;
	size_t cap;
	struct ipvs_conn batch[255];
	size_t n;
	/* Keys of the fwmark services lvsd manages (the table may change
	 * between steps: keys, not pointers), for the connections whose
	 * service a lookup by address cannot find. */
	struct ipvs_service *marks;
	size_t nmarks;
	unsigned sent, skipped, closing, failed;
};

static int
open_socket(struct ipvs_handoff *h, const struct ipvs_sync_conf *c)
{
	unsigned ifindex = iflink_index(c->ifname);
	if (ifindex == 0)
		return -1;
	int ttl = c->ttl ? c->ttl : 1, loop = 0, sndbuf = 4 << 20;
	uint16_t port = c->port ? c->port : SYNC_PORT;
	memset(&h->to, 0, sizeof(h->to));
	if (c->group.af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&h->to;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = c->group.u.v6;
		h->tolen = sizeof(*s6);
		h->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (h->fd < 0 ||
		    setsockopt(h->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
		    sizeof(ifindex)) < 0 ||
		    setsockopt(h->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl,
		    sizeof(ttl)) < 0 ||
		    setsockopt(h->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &loop,
		    sizeof(loop)) < 0)
			return -1;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&h->to;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (c->group.af == AF_INET)
			s4->sin_addr = c->group.u.v4;
		else
			inet_pton(AF_INET, SYNC_GROUP4, &s4->sin_addr);
		h->tolen = sizeof(*s4);
		struct ip_mreqn mr = { .imr_ifindex = (int)ifindex };
		h->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (h->fd < 0 ||
		    setsockopt(h->fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
		    sizeof(mr)) < 0 ||
		    setsockopt(h->fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
		    sizeof(ttl)) < 0 ||
		    setsockopt(h->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop,
		    sizeof(loop)) < 0)
			return -1;
	}
	/* A burst of thousands of messages must not block on a small buffer. */
	(void)setsockopt(h->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	return 0;
}

static void
flush(struct ipvs_handoff *h)
{
	uint8_t msg[MSG_MAX];
	size_t off = 0;
	while (off < h->n) {
		size_t used;
		size_t len = ipvs_sync_encode(h->batch + off, h->n - off, h->syncid,
		    msg, h->cap, &used);
		if (len == 0)
			break;
		if (sendto(h->fd, msg, len, 0, (struct sockaddr *)&h->to,
		    h->tolen) < 0)
			h->failed += (unsigned)used;
		else
			h->sent += (unsigned)used;
		off += used;
	}
	h->n = 0;
}

/* The service of c among those lvsd manages, or NULL. */
static const struct ipvs_svc *
service_of(const struct ipvs_handoff *h, const struct ipvs_conn *c,
    const struct ipvs_dst **dst)
{
	const struct ipvs_table *mirror = h->drv->mirror;
	struct ipvs_service key;
	ipvs_service_init(&key, c->vaddr.af);
	if (c->protocol == 0) {
		/* fwmark templates carry the mark in the virtual address */
		uint32_t mark;
		memcpy(&mark, c->vaddr.af == AF_INET6 ? (const void *)&c->vaddr.u.v6 :
		    (const void *)&c->vaddr.u.v4, sizeof(mark));
		key.fwmark = ntohl(mark);
	} else {
		key.protocol = c->protocol;
		key.addr = c->vaddr;
		key.port = c->vport;
	}
	const struct ipvs_svc *s = ipvs_table_find_service(mirror, &key);
	if (s != NULL && s->managed) {
		*dst = ipvs_table_find_dest(mirror, s, &c->daddr, c->dport);
		return *dst != NULL ? s : NULL;
	}
	/* A fwmark service's connection: the one whose real server it uses. */
	for (size_t i = 0; i < h->nmarks; i++) {
		s = ipvs_table_find_service(mirror, &h->marks[i]);
		if (s == NULL || !s->managed || s->conf.af != c->vaddr.af)
			continue;
		*dst = ipvs_table_find_dest(mirror, s, &c->daddr, c->dport);
		if (*dst != NULL)
			return s;
	}
	return NULL;
}

static void
add_conn(struct ipvs_handoff *h, struct ipvs_conn *c)
{
	if (c->closing) {
		h->closing++;
		return;
	}
	const struct ipvs_dst *d = NULL;
	const struct ipvs_svc *s = service_of(h, c, &d);
	if (s == NULL) {
		h->skipped++;
		return;
	}
	c->flags = (uint32_t)d->conf.fwd & IPVS_CONN_F_FWD_MASK;
	if (c->template) {
		c->flags |= IPVS_CONN_F_TEMPLATE;
		c->timeout = s->conf.timeout;
	} else {
		if (!c->established)
			c->flags |= IPVS_CONN_F_INACTIVE;
		if (c->cport == 0)
			c->flags |= IPVS_CONN_F_NO_CPORT;
		c->timeout = 0;	/* the backup's timeout for the state */
	}
	c->fwmark = s->conf.fwmark;
	h->batch[h->n++] = *c;
	if (h->n == sizeof(h->batch) / sizeof(h->batch[0]))
		flush(h);
}

struct ipvs_handoff *
ipvs_handoff_start(struct ipvs_driver *drv, const struct ipvs_sync_conf *c)
{
	if (drv->opts.dry_run) {
		log_info("dry-run: connection handoff to the sync group on %s "
		    "skipped", c->ifname);
		return NULL;
	}
	struct ipvs_handoff *h = xcalloc(1, sizeof(*h));
	h->drv = drv;
	h->fd = -1;
	h->syncid = (uint8_t)c->syncid;
	h->cap = c->maxlen && c->maxlen < MSG_MAX ? c->maxlen : MSG_MAX;
	snprintf(h->ifname, sizeof(h->ifname), "%s", c->ifname);
	if (open_socket(h, c) < 0) {
		log_warn("connection handoff: cannot send on %s", c->ifname);
		goto fail;
	}
	h->f = fopen(CONNS_PATH, "re");
	if (h->f == NULL) {
		log_warn("connection handoff: %s", CONNS_PATH);
		goto fail;
	}
	const struct ipvs_svc *s;
	TAILQ_FOREACH(s, &drv->mirror->svcs, entry) {
		if (!s->managed || s->conf.fwmark == 0)
			continue;
		h->marks = xrealloc(h->marks, (h->nmarks + 1) * sizeof(*h->marks));
		h->marks[h->nmarks++] = s->conf;
	}
	return h;
fail:
	if (h->fd >= 0)
		close(h->fd);
	free(h);
	return NULL;
}

int
ipvs_handoff_step(struct ipvs_handoff *h, size_t budget)
{
	char err[128];
	for (size_t i = 0; i < budget; i++) {
		if (getline(&h->line, &h->linecap, h->f) <= 0) {
			flush(h);
			return 0;
		}
		struct ipvs_conn conn;
		h->lineno++;
		int r = ipvs_conn_parse_line(h->line, &conn, err, sizeof(err));
		if (r > 0)
			add_conn(h, &conn);
		else if (r < 0 && h->bad++ == 0)
			log_warnx("connection handoff: %s:%u: %s", CONNS_PATH,
			    h->lineno, err);
	}
	/* what was read goes now, not after the next step */
	flush(h);
	return 1;
}

unsigned
ipvs_handoff_finish(struct ipvs_handoff *h)
{
	if (h == NULL)
		return 0;
	flush(h);
	unsigned sent = h->sent;
	log_info("connection handoff: %u connections sent to the sync group on "
	    "%s (%u closing and %u of services lvsd does not manage left out)",
	    h->sent, h->ifname, h->closing, h->skipped);
	if (h->failed)
		log_warnx("connection handoff: %u connections could not be sent",
		    h->failed);
	fclose(h->f);
	close(h->fd);
	free(h->line);
	free(h->marks);
	free(h);
	return sent;
}

int
ipvs_conn_handoff(struct ipvs_driver *drv, const struct ipvs_sync_conf *c)
{
	struct ipvs_handoff *h = ipvs_handoff_start(drv, c);
	if (h == NULL)
		return drv->opts.dry_run ? 0 : -1;
	while (ipvs_handoff_step(h, SIZE_MAX) > 0)
		;
	return (int)ipvs_handoff_finish(h);
}
