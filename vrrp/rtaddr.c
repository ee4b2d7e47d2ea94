#include "config.h"

#include <errno.h>
#include <limits.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/rt.h"
#include "lib/xalloc.h"
#include "vrrp/rtaddr.h"

/*
 * Requests go out up to s->batch bytes per sendmsg.  Only the last one
 * of a batch asks for an ack: the kernel handles a sendmsg's requests in
 * order and answers every refused one anyway (the answer echoes only the
 * header: NETLINK_CAP_ACK), so that ack proves the batch is over.  Those
 * answers are produced while the kernel handles the sendmsg and must fit
 * in the receive buffer; the batch is sized from the buffer the kernel
 * granted (a refused request's answer costs ~1 KB of it, the request
 * ~64 bytes), and an overflow (ENOBUFS) is recovered by sending that
 * batch again one request at a time.
 */

#define RTADDR_RCVBUF	(4u << 20)
/*
 * 16 KB: about 250 addresses per sendmsg.  The kernel's cost per IPv4
 * address grows with the addresses the device has (fib_sync_up), and a
 * sendmsg is CPU time the real-time failover process spends without a
 * pause: a batch must stay far below RLIMIT_RTTIME's 0.5 s even near
 * 10,000 addresses on a slow machine (lib/rt.h; between batches it
 * breathes).  Larger batches saved nothing measurable.
 */
#define RTADDR_BATCH	(16u * 1024)
/*
 * Yet on a loaded machine under emulation a batch of 250 took more than
 * that (seen: the failover process killed by SIGXCPU six times in a row
 * while adding 10,000 addresses).  So the batch follows its cost: halved
 * when one took more than BATCH_SLOW of CPU time, doubled back (up to
 * batch) when one took less than BATCH_FAST.
 */
#define BATCH_SLOW_NS	(50 * 1000000LL)
#define BATCH_FAST_NS	(10 * 1000000LL)
#define RTADDR_REQ_MAX	128		/* one request, at most */
#define RTADDR_RBUF	(64u * 1024)

int
rtaddr_open(struct rtaddr_sock *s, size_t batch, size_t rcvbuf)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, rcv = (int)(rcvbuf ? rcvbuf : RTADDR_RCVBUF);
	socklen_t len = sizeof(rcv);

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s->fd < 0)
		return -1;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(s->fd);
		s->fd = -1;
		errno = e;
		return -1;
	}
	(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* FORCE needs CAP_NET_ADMIN (lvsd has it); else what rmem_max allows */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcv, &len) < 0)
		rcv = 0;
	s->batch = batch;
	if (batch == 0) {
		s->batch = (size_t)rcv / 16;
		if (s->batch > RTADDR_BATCH)
			s->batch = RTADDR_BATCH;
	}
	if (s->batch < 2 * RTADDR_REQ_MAX)
		s->batch = 2 * RTADDR_REQ_MAX;
	s->limit = s->batch;
	s->buf = xmalloc(s->batch);
	s->rbuf = xmalloc(RTADDR_RBUF);
	s->seq = 1;
	return 0;
}

void
rtaddr_close(struct rtaddr_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	free(s->rbuf);
	free(s->pend);
	s->buf = s->rbuf = NULL;
	s->pend = NULL;
	s->n = s->cap = s->len = 0;
}

static void
put_attr(struct nlmsghdr *nlh, unsigned short type, const void *data,
    size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)nlh +
	    NLMSG_ALIGN(nlh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* Writes the request at buf; returns its length. */
static size_t
build(void *buf, uint32_t seq, bool add, const struct rtaddr_req *r)
{
	struct nlmsghdr *nlh = buf;
	struct ifaddrmsg *ifa = NLMSG_DATA(nlh);
	size_t alen = addr_len(r->addr);

	memset(buf, 0, NLMSG_SPACE(sizeof(*ifa)));
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | (add ? NLM_F_CREATE : 0);
	nlh->nlmsg_seq = seq;
	ifa->ifa_family = (unsigned char)r->addr->af;
	ifa->ifa_prefixlen = r->plen;
	ifa->ifa_index = (unsigned)r->ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (r->addr->af == AF_INET6 && add)
		ifa->ifa_flags = IFA_F_NODAD;	/* usable at once */
	else if (r->addr->af == AF_INET &&
	    ((const uint8_t *)&r->addr->u.v4)[0] == 127)
		ifa->ifa_scope = RT_SCOPE_HOST;
	put_attr(nlh, IFA_LOCAL, &r->addr->u, alen);
	put_attr(nlh, IFA_ADDRESS, &r->addr->u, alen);
	if (r->addr->af == AF_INET && r->label != NULL && r->label[0] != '\0')
		put_attr(nlh, IFA_LABEL, r->label, strnlen(r->label, 15) + 1);
	return nlh->nlmsg_len;
}

static int
send_all(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	do
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&kernel,
		    sizeof(kernel));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

int
rtaddr_answers(const void *buf, size_t len, uint32_t first,
    struct rtaddr_pending *pend, size_t n, uint32_t last, rtaddr_error_fn *fn,
    void *arg)
{
	int left = len > INT_MAX ? INT_MAX : (int)len;

	for (const struct nlmsghdr *h = buf; NLMSG_OK(h, left);
	    h = NLMSG_NEXT(h, left)) {
		if (h->nlmsg_type != NLMSG_ERROR ||
		    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
			continue;
		const struct nlmsgerr *e = NLMSG_DATA(h);
		uint32_t i = h->nlmsg_seq - first;
		if (e->error != 0 && i < n && !pend[i].refused) {
			pend[i].refused = true;
			/* the kernel's errors are negative; anything else
			 * is a refusal we cannot read */
			fn(arg, pend[i].cookie, e->error < 0 && e->error > -4096 ?
			    -e->error : EPROTO);
		}
		if (h->nlmsg_seq == last)
			return 1;
	}
	return 0;
}

/*
 * Reads answers until the one of seq `last`; refusals of the requests
 * pend[0..n), of seqs from first, go to fn.  0, or -errno (ENOBUFS: some
 * answers were lost; with MSG_DONTWAIT in flags, EAGAIN: none left).
 */
static int
read_answers(struct rtaddr_sock *s, uint32_t first, struct rtaddr_pending *pend,
    size_t n, uint32_t last, int flags, rtaddr_error_fn *fn, void *arg)
{
	for (;;) {
		ssize_t len = recv(s->fd, s->rbuf, RTADDR_RBUF, flags);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (rtaddr_answers(s->rbuf, (size_t)len, first, pend, n, last, fn,
		    arg) == 1)
			return 0;
	}
}

/*
 * After lost answers: the answers that did arrive are read first (the
 * kernel handled the whole batch within the sendmsg, so nothing more
 * comes, and it drops every answer until the socket's queue is empty),
 * then the batch goes again one request at a time, each acknowledged,
 * except those whose refusal was read.  Adding what exists and removing
 * what is gone are refused harmlessly (EEXIST, EADDRNOTAVAIL), so a
 * request sent twice changes nothing.
 */
static int
resend_one_by_one(struct rtaddr_sock *s, rtaddr_error_fn *fn, void *arg)
{
	int left = (int)s->len, err;

	do
		err = read_answers(s, s->first_seq, s->pend, s->n, 0, MSG_DONTWAIT,
		    fn, arg);
	while (err == 0 || err == -ENOBUFS);
	err = 0;

	for (struct nlmsghdr *h = (struct nlmsghdr *)s->buf; NLMSG_OK(h, left);
	    h = NLMSG_NEXT(h, left)) {
		struct rtaddr_pending *p = &s->pend[h->nlmsg_seq - s->first_seq];
		if (p->refused)
			continue;
		uint32_t seq = s->seq++;
		h->nlmsg_seq = seq;
		h->nlmsg_flags |= NLM_F_ACK;
		if (err == 0)
			err = send_all(s->fd, h, h->nlmsg_len);
		if (err == 0)
			err = read_answers(s, seq, p, 1, seq, 0, fn, arg);
		if (err < 0)
			fn(arg, p->cookie, -err);	/* and every one after */
	}
	return err < 0 ? -1 : 0;
}

static long long
cpu_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
		return 0;
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The next batch's size from what this one cost (see BATCH_SLOW_NS). */
static void
adapt(struct rtaddr_sock *s, long long spent)
{
	if (spent > BATCH_SLOW_NS && s->limit / 2 >= 2 * RTADDR_REQ_MAX)
		s->limit /= 2;
	else if (spent < BATCH_FAST_NS && s->limit < s->batch)
		s->limit = s->limit * 2 < s->batch ? s->limit * 2 : s->batch;
}

static int
flush_batch(struct rtaddr_sock *s, rtaddr_error_fn *fn, void *arg)
{
	int err, rc = 0;

	if (s->n == 0)
		return 0;
	long long t0 = cpu_ns();
	struct nlmsghdr *last = (struct nlmsghdr *)(s->buf + s->last);
	last->nlmsg_flags |= NLM_F_ACK;
	err = send_all(s->fd, s->buf, s->len);
	if (err == 0)
		err = read_answers(s, s->first_seq, s->pend, s->n,
		    last->nlmsg_seq, 0, fn, arg);
	if (err == -ENOBUFS)
		rc = resend_one_by_one(s, fn, arg);
	else if (err < 0) {
		for (size_t i = 0; i < s->n; i++)
			if (!s->pend[i].refused)
				fn(arg, s->pend[i].cookie, -err);
		rc = -1;
	}
	s->len = 0;
	s->n = 0;
	if (rc < 0)
		s->failed = true;
	adapt(s, cpu_ns() - t0);
	rt_breathe();		/* lib/rt.h: thousands of addresses */
	return rc;
}

void
rtaddr_queue(struct rtaddr_sock *s, bool add, const struct rtaddr_req *r,
    size_t cookie, rtaddr_error_fn *fn, void *arg)
{
	if (s->len + RTADDR_REQ_MAX > s->limit)
		(void)flush_batch(s, fn, arg);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->pend = xrealloc(s->pend, s->cap * sizeof(*s->pend));
	}
	if (s->n == 0)
		s->first_seq = s->seq;
	s->last = s->len;
	s->len += NLMSG_ALIGN(build(s->buf + s->len, s->seq++, add, r));
	s->pend[s->n++] = (struct rtaddr_pending){ cookie, false };
}

int
rtaddr_flush(struct rtaddr_sock *s, rtaddr_error_fn *fn, void *arg)
{
	(void)flush_batch(s, fn, arg);
	int rc = s->failed ? -1 : 0;
	s->failed = false;
	return rc;
}
