#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "vrrp/sock.h"

void
vrrp_sock_group(sa_family_t af, struct lvs_addr *out)
{
	addr_parse(af == AF_INET6 ? "ff02::12" : "224.0.0.18", out);
}

static int
setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

static int
open4(int fd, const struct vrrp_instance_config *c, unsigned ifindex)
{
	struct ip_mreqn mr;

	memset(&mr, 0, sizeof(mr));
	mr.imr_ifindex = (int)ifindex;
	/* Network control (DSCP CS6), as routers send VRRP: queued ahead
	 * of bulk traffic on a busy link. */
	if (setopt(fd, IPPROTO_IP, IP_TOS, VRRP_TOS) < 0 ||
	    setopt(fd, IPPROTO_IP, IP_TTL, 255) < 0 ||
	    setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, 255) < 0 ||
	    setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0)
		return -1;
	if (c->npeers > 0)
		return 0;
	inet_pton(AF_INET, "224.0.0.18", &mr.imr_multiaddr);
	return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
}

static int
open6(int fd, const struct vrrp_instance_config *c, unsigned ifindex)
{
	struct ipv6_mreq mr;

	if (setopt(fd, IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, (int)ifindex) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0)
		return -1;
	if (c->npeers > 0)
		return 0;
	memset(&mr, 0, sizeof(mr));
	inet_pton(AF_INET6, "ff02::12", &mr.ipv6mr_multiaddr);
	mr.ipv6mr_interface = ifindex;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr));
}

int
vrrp_sock_open(const struct vrrp_instance_config *c, unsigned ifindex)
{
	int fd = socket(c->af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    VRRP_PROTO);
	int rc;

	if (fd < 0) {
		log_warn("vrrp %s: raw socket", c->name);
		return -1;
	}
	/* Only adverts that arrive on our device count. */
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->ifname,
	    (socklen_t)strlen(c->ifname)) < 0) {
		log_warn("vrrp %s: bind to %s", c->name, c->ifname);
		close(fd);
		return -1;
	}
	rc = c->af == AF_INET ? open4(fd, c, ifindex) : open6(fd, c, ifindex);
	if (rc < 0) {
		log_warn("vrrp %s: socket options on %s", c->name, c->ifname);
		close(fd);
		return -1;
	}
	return fd;
}

static void
to_sockaddr(const struct lvs_addr *a, unsigned ifindex,
    struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_addr = a->u.v4;
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&a->u.v6) ||
		    IN6_IS_ADDR_MC_LINKLOCAL(&a->u.v6))
			sin6->sin6_scope_id = ifindex;
		*len = sizeof(*sin6);
	}
}

int
vrrp_sock_send(int fd, unsigned ifindex, const struct lvs_addr *src,
    const struct lvs_addr *dst, const uint8_t *buf, size_t len)
{
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_storage ss;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct msghdr msg;
	struct cmsghdr *cm;

	memset(&msg, 0, sizeof(msg));
	memset(&cbuf, 0, sizeof(cbuf));
	to_sockaddr(dst, ifindex, &ss, &msg.msg_namelen);
	msg.msg_name = &ss;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.b;
	cm = (struct cmsghdr *)cbuf.b;
	/* The source must be exactly the one the v3 checksum covers. */
	if (src->af == AF_INET) {
		struct in_pktinfo pi = { .ipi_ifindex = (int)ifindex,
		    .ipi_spec_dst = src->u.v4 };
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_ifindex = ifindex,
		    .ipi6_addr = src->u.v6 };
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	return sendmsg(fd, &msg, 0) < 0 ? -1 : 0;
}

static int
recv4(const uint8_t *buf, size_t n, const uint8_t **payload, size_t *plen,
    struct lvs_addr *src, struct lvs_addr *dst, int *ttl)
{
	size_t ihl, tot;

	if (n < 20)
		return -1;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	tot = (size_t)buf[2] << 8 | buf[3];
	if (ihl < 20 || ihl > n)
		return -1;
	if (tot > n || tot < ihl)
		tot = n;
	*ttl = buf[8];
	src->af = dst->af = AF_INET;
	memcpy(&src->u.v4, buf + 12, 4);
	memcpy(&dst->u.v4, buf + 16, 4);
	*payload = buf + ihl;
	*plen = tot - ihl;
	return 0;
}

static void
recv6_cmsgs(struct msghdr *msg, struct lvs_addr *dst, int *ttl)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm != NULL;
	    cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != IPPROTO_IPV6)
			continue;
		if (cm->cmsg_type == IPV6_HOPLIMIT)
			memcpy(ttl, CMSG_DATA(cm), sizeof(*ttl));
		else if (cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			dst->af = AF_INET6;
			dst->u.v6 = pi.ipi6_addr;
		}
	}
}

int
vrrp_sock_recv(int fd, sa_family_t af, uint8_t *buf, size_t len,
    const uint8_t **payload, size_t *plen, struct lvs_addr *src,
    struct lvs_addr *dst, int *ttl)
{
	union {
		char b[256];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.b;
	msg.msg_controllen = sizeof(cbuf.b);
	n = recvmsg(fd, &msg, 0);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 1 : -1;
	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	*ttl = -1;
	if (af == AF_INET)
		return recv4(buf, (size_t)n, payload, plen, src, dst, ttl) < 0 ?
		    -2 : 0;
	src->af = AF_INET6;
	src->u.v6 = from.sin6_addr;
	recv6_cmsgs(&msg, dst, ttl);
	*payload = buf;
	*plen = (size_t)n;
	return dst->af == AF_INET6 ? 0 : -2;
}

static bool
is_vip(const struct vrrp_instance_config *c, const struct lvs_addr *a)
{
	for (size_t i = 0; i < c->nvips; i++)
		if (addr_eq(&c->vips[i].addr, a))
			return true;
	return false;
}

static bool
scope_fits(const struct vrrp_instance_config *c, const struct in6_addr *a)
{
	bool want_ll = c->npeers == 0 ||
	    IN6_IS_ADDR_LINKLOCAL(&c->peers[0].u.v6);

	return IN6_IS_ADDR_LINKLOCAL(a) == want_ll;
}

int
vrrp_sock_link_local(const struct vrrp_instance_config *c, struct lvs_addr *out)
{
	struct ifaddrs *ifa, *i;
	int rc = -1;

	if (c->link_local.af != AF_UNSPEC) {
		*out = c->link_local;
		return 0;
	}
	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i != NULL && rc < 0; i = i->ifa_next) {
		struct lvs_addr a;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET6 ||
		    strcmp(i->ifa_name, c->ifname) != 0)
			continue;
		memset(&a, 0, sizeof(a));
		a.af = AF_INET6;
		a.u.v6 = ((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr;
		if (!IN6_IS_ADDR_LINKLOCAL(&a.u.v6) || is_vip(c, &a))
			continue;
		*out = a;
		rc = 0;
	}
	freeifaddrs(ifa);
	return rc;
}

static bool
is_sender(const struct vrrp_instance_config *c, const struct lvs_addr *a)
{
	for (size_t i = 0; i < c->nsenders; i++)
		if (addr_eq(&c->senders[i], a))
			return true;
	return false;
}

int
vrrp_sock_self(const struct vrrp_instance_config *c, struct lvs_addr *out)
{
	struct ifaddrs *ifa, *i;
	int rc = -1;

	if (c->src.af != AF_UNSPEC) {
		*out = c->src;
		return 0;
	}
	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		struct lvs_addr a;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != c->af ||
		    strcmp(i->ifa_name, c->ifname) != 0)
			continue;
		memset(&a, 0, sizeof(a));
		a.af = c->af;
		if (c->af == AF_INET)
			a.u.v4 = ((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
		else
			a.u.v6 = ((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr;
		if (is_vip(c, &a) ||
		    (c->af == AF_INET6 && !scope_fits(c, &a.u.v6)))
			continue;
		/* The first usable one, or better one the other routers
		 * know: they drop adverts from anything else. */
		if (rc < 0 || (c->npeers == 0 && is_sender(c, &a))) {
			*out = a;
			rc = 0;
		}
		if (c->npeers == 0 && is_sender(c, &a))
			break;
	}
	freeifaddrs(ifa);
	return rc;
}

bool
vrrp_sock_is_local(const struct lvs_addr *a)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (getifaddrs(&ifa) < 0)
		return false;
	for (i = ifa; i != NULL && !found; i = i->ifa_next) {
		struct lvs_addr b;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != a->af)
			continue;
		memset(&b, 0, sizeof(b));
		b.af = a->af;
		if (a->af == AF_INET)
			b.u.v4 = ((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr;
		else
			b.u.v6 = ((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr;
		found = addr_eq(a, &b);
	}
	freeifaddrs(ifa);
	return found;
}
