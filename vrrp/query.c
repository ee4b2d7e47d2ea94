#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/prio.h"
#include "vrrp/inst.h"

/*
 * Drill queries on the wire (packet.h): one UDP socket per family, bound
 * to query_port, asks and answers alike.  Like an advert, a query counts
 * only if it was sent on the link (TTL or hop limit 255, RFC 5082), for
 * a VRID an instance runs on the device it came in on, from one of that
 * instance's routers.  An ask is answered with the instance's state and
 * how long ago it heard the asker; an answer goes to drill.c.  Nothing is
 * ever sent but to the routers lvs.cf names, and only during a drill: a
 * keepalived peer sees at most a few datagrams to a closed port.
 */

static struct vrrp_qsock *
qsock(struct vrrp *v, sa_family_t af)
{
	return af == AF_INET6 ? &v->q6 : &v->q4;
}

static int
setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

static int
qopen(sa_family_t af, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&ss, 0, sizeof(ss));
	int rc;
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
		rc = setopt(fd, IPPROTO_IP, IP_PKTINFO, 1) | setopt(fd,
		    IPPROTO_IP, IP_RECVTTL, 1) | setopt(fd, IPPROTO_IP, IP_TTL,
		    255);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
		rc = setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) | setopt(fd,
		    IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) | setopt(fd,
		    IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) | setopt(fd,
		    IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255);
	}
	if (rc != 0 || setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Sends buf from src (on device ifindex) to dst:port, on the link only. */
static int
qsend(int fd, unsigned ifindex, const struct lvs_addr *src,
    const struct lvs_addr *dst, uint16_t port, const uint8_t *buf,
    size_t len)
{
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_storage ss;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct msghdr msg = { .msg_name = &ss, .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = cbuf.b };
	struct cmsghdr *cm = (struct cmsghdr *)cbuf.b;
	memset(&ss, 0, sizeof(ss));
	memset(&cbuf, 0, sizeof(cbuf));
	if (dst->af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		struct in_pktinfo pi = { .ipi_ifindex = (int)ifindex,
		    .ipi_spec_dst = src->u.v4 };
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = dst->u.v4;
		msg.msg_namelen = sizeof(*sin);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		struct in6_pktinfo pi = { .ipi6_ifindex = ifindex,
		    .ipi6_addr = src->u.v6 };
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = dst->u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&dst->u.v6))
			sin6->sin6_scope_id = ifindex;
		msg.msg_namelen = sizeof(*sin6);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	/* A router lvs.cf names off this link is not asked: no gateway. */
	return sendmsg(fd, &msg, MSG_DONTROUTE) < 0 ? -1 : 0;
}

int
vrrp_query_send(struct vrrp *v, const struct vrrp_inst *in,
    const struct lvs_addr *dst, const struct vrrp_query *q)
{
	uint8_t buf[VRRP_QUERY_LEN];
	const struct vrrp_qsock *s = qsock(v, in->cfg.af);
	if (s->fd < 0 || in->fd < 0) {
		errno = ENOTCONN;
		return -1;
	}
	vrrp_query_build(q, buf);
	return qsend(s->fd, in->ifindex, &in->self, dst, in->cfg.query_port,
	    buf, sizeof(buf));
}

/* Where a datagram came from and went to, from its ancillary data. */
struct qmeta {
	struct lvs_addr src, dst;
	uint16_t sport;
	unsigned ifindex;
	int ttl;
};

static void
read_cmsgs(struct msghdr *msg, struct qmeta *m)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm != NULL;
	    cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) {
			memcpy(&m->ttl, CMSG_DATA(cm), sizeof(m->ttl));
		} else if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			m->ifindex = (unsigned)pi.ipi_ifindex;
			m->dst.af = AF_INET;
			m->dst.u.v4 = pi.ipi_addr;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_HOPLIMIT) {
			memcpy(&m->ttl, CMSG_DATA(cm), sizeof(m->ttl));
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			m->ifindex = pi.ipi6_ifindex;
			m->dst.af = AF_INET6;
			m->dst.u.v6 = pi.ipi6_addr;
		}
	}
}

static struct vrrp_inst *
instance_for(struct vrrp *v, sa_family_t af, unsigned ifindex, uint8_t vrid)
{
	struct vrrp_inst *in;
	TAILQ_FOREACH(in, &v->insts, entry)
		if (in->fd >= 0 && in->cfg.af == af && in->ifindex == ifindex &&
		    in->cfg.vrid == vrid)
			return in;
	return NULL;
}

static void
answer(struct vrrp *v, const struct vrrp_inst *in, const struct qmeta *m,
    const struct vrrp_query *ask)
{
	uint64_t age = vrrp_inst_heard_age(in, &m->src, vrrp_now(v->ev));
	struct vrrp_query a = {
		.kind = VRRP_QUERY_ANSWER, .vrid = ask->vrid,
		.nonce = ask->nonce, .state = (uint8_t)in->fsm.state,
		.priority = in->fsm.prio,
		.heard_ms = age / 1000 >= VRRP_QUERY_NEVER ? VRRP_QUERY_NEVER :
		    (uint32_t)(age / 1000),
	};
	uint8_t buf[VRRP_QUERY_LEN];
	char s[LVS_ADDRSTRLEN];
	vrrp_query_build(&a, buf);
	if (qsend(qsock(v, in->cfg.af)->fd, m->ifindex, &m->dst, &m->src,
	    m->sport, buf, sizeof(buf)) < 0) {
		log_warn("vrrp %s: cannot answer the drill query of %s",
		    in->cfg.name, addr_fmt(&m->src, s));
		return;
	}
	char heard[48] = "has not heard its adverts lately";
	if (a.heard_ms != VRRP_QUERY_NEVER)
		snprintf(heard, sizeof(heard), "heard its last advert %.1f s "
		    "ago", a.heard_ms / 1000.0);
	log_info("vrrp %s: %s asks whether this director is ready to take "
	    "over: answered %s (priority %u), %s", in->cfg.name,
	    addr_fmt(&m->src, s), vrrp_state_name(in->fsm.state),
	    in->fsm.prio, heard);
}

static void
take(struct vrrp *v, const uint8_t *b, size_t n, const struct qmeta *m)
{
	struct vrrp_query q;
	const char *why;
	char detail[64];
	if (vrrp_query_parse(b, n, &q, &why) < 0) {
		droplog_note(&v->qlog, VRRP_DROP_TYPE, &m->src, why);
		return;
	}
	struct vrrp_inst *in = instance_for(v, m->src.af, m->ifindex, q.vrid);
	if (in == NULL) {
		snprintf(detail, sizeof(detail), "drill query, vrid %u", q.vrid);
		droplog_note(&v->qlog, VRRP_DROP_VRID, &m->src, detail);
		return;
	}
	enum vrrp_drop drop = m->ttl != 255 ? VRRP_DROP_TTL :
	    addr_eq(&m->src, &in->self) ? VRRP_DROP_SOURCE :
	    !vrrp_fsm_hears(&in->cfg, &m->src) ? (in->cfg.npeers > 0 ?
	    VRRP_DROP_SOURCE : VRRP_DROP_SENDER) : VRRP_DROP_NONE;
	if (drop != VRRP_DROP_NONE) {
		in->stats.dropped[drop]++;
		droplog_note(&in->droplog, drop, &m->src, "drill query");
		return;
	}
	if (q.kind == VRRP_QUERY_ASK)
		answer(v, in, m, &q);
	else
		vrrp_drill_answer(v, in, &m->src, &q);
}

static int
on_query(sd_event_source *src, int fd, uint32_t revents, void *arg)
{
	struct vrrp *v = arg;
	(void)src;
	(void)revents;
	for (int i = 0; i < 16; i++) {	/* bounded: adverts come first */
		union {
			char b[256];
			struct cmsghdr align;
		} cbuf;
		struct sockaddr_storage from;
		uint8_t buf[64];
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr msg = { .msg_name = &from,
		    .msg_namelen = sizeof(from), .msg_iov = &iov,
		    .msg_iovlen = 1, .msg_control = cbuf.b,
		    .msg_controllen = sizeof(cbuf.b) };
		ssize_t n = recvmsg(fd, &msg, 0);
		if (n < 0)
			break;
		struct qmeta m = { .ttl = -1 };
		if (from.ss_family == AF_INET) {
			const struct sockaddr_in *sin = (void *)&from;
			m.src.af = AF_INET;
			m.src.u.v4 = sin->sin_addr;
			m.sport = ntohs(sin->sin_port);
		} else if (from.ss_family == AF_INET6) {
			const struct sockaddr_in6 *sin6 = (void *)&from;
			m.src.af = AF_INET6;
			m.src.u.v6 = sin6->sin6_addr;
			m.sport = ntohs(sin6->sin6_port);
		} else {
			continue;
		}
		read_cmsgs(&msg, &m);
		if (m.dst.af == m.src.af && m.ifindex != 0)
			take(v, buf, (size_t)n, &m);
	}
	return 0;
}

static void
qclose(struct vrrp_qsock *s)
{
	s->io = sd_event_source_disable_unref(s->io);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->port = 0;
}

void
vrrp_query_close(struct vrrp *v)
{
	qclose(&v->q4);
	qclose(&v->q6);
}

/* The port the instances of af ask and answer on (0: none). */
static uint16_t
wanted_port(const struct vrrp *v, sa_family_t af)
{
	const struct vrrp_inst *in;
	TAILQ_FOREACH(in, &v->insts, entry)
		if (in->cfg.af == af && in->cfg.query_port != 0)
			return in->cfg.query_port;
	return 0;
}

void
vrrp_query_sync(struct vrrp *v)
{
	static const sa_family_t fams[] = { AF_INET, AF_INET6 };
	for (size_t i = 0; i < 2; i++) {
		struct vrrp_qsock *s = qsock(v, fams[i]);
		uint16_t port = wanted_port(v, fams[i]);
		if (s->fd >= 0 && s->port == port)
			continue;
		qclose(s);
		if (port == 0)
			continue;
		s->fd = qopen(fams[i], port);
		if (s->fd < 0) {
			log_warn("vrrp: cannot take drill queries on UDP port %u "
			    "(IPv%c): a master's drill will not find this "
			    "director ready", port, fams[i] == AF_INET ? '4' :
			    '6');
			continue;
		}
		s->port = port;
		if (sd_event_add_io(v->ev, &s->io, s->fd, EPOLLIN, on_query,
		    v) < 0) {
			log_warnx("vrrp: cannot watch the drill query socket");
			qclose(s);
			continue;
		}
		sd_event_source_set_priority(s->io, LVSD_PRIO_CTL);
	}
}
