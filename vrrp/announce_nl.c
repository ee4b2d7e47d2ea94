/*
 * The route announcement's rtnetlink side: requests built with
 * libnl-route's objects, sent many per sendmsg, each answer matched to
 * its request by sequence number; and the dump of the module's routes
 * (filtered by the kernel on table and protocol where it can, and here
 * again).
 */
#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "vrrp/announce_priv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Requests per sendmsg: their answers must all fit the receive buffer. */
#define BATCH		64
#define RCVBUF		(1 << 20)
#define PENDING		1	/* op->err while its answer is awaited */

static void
sockopt_on(int fd, int opt)
{
	int one = 1;

	/* Older kernels lack some: the code works without each of them. */
	(void)setsockopt(fd, SOL_NETLINK, opt, &one, sizeof(one));
}

int
ann_nl_open(struct ann_nl *n, uint32_t table, uint8_t protocol, bool hold_route)
{
	struct timeval tv = { .tv_sec = 2 };
	int err, fd;

	memset(n, 0, sizeof(*n));
	n->table = table;
	n->protocol = protocol;
	n->hold_route = hold_route;
	if ((n->sk = nl_socket_alloc()) == NULL)
		abort();
	if ((err = nl_connect(n->sk, NETLINK_ROUTE)) < 0) {
		log_warnx("announce: netlink: %s", nl_geterror(err));
		nl_socket_free(n->sk);
		n->sk = NULL;
		return -1;
	}
	nl_socket_set_buffer_size(n->sk, RCVBUF, RCVBUF);
	nl_socket_enable_msg_peek(n->sk);
	fd = nl_socket_get_fd(n->sk);
	sockopt_on(fd, NETLINK_EXT_ACK);	/* the kernel's reason */
	sockopt_on(fd, NETLINK_CAP_ACK);	/* answers without the request */
	sockopt_on(fd, NETLINK_GET_STRICT_CHK);	/* dumps filtered by table */
	/* The kernel answers while it is sent to; this bounds a lost answer. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

void
ann_nl_close(struct ann_nl *n)
{
	if (n->sk != NULL)
		nl_socket_free(n->sk);
	n->sk = NULL;
}

static struct nl_addr *
nladdr(const struct lvs_addr *a, uint8_t plen)
{
	struct nl_addr *x = nl_addr_build(a->af, &a->u, addr_len(a));

	if (x == NULL)
		abort();
	nl_addr_set_prefixlen(x, plen);
	return x;
}

/*
 * An announced route (ANN_ROUTE_*: unicast in the table), or a held
 * address as a local route (ANN_ADDR_* when holding by route).
 */
static struct nl_msg *
route_msg(const struct ann_nl *n, const struct ann_op *op)
{
	bool local = op->kind == ANN_ADDR_ADD || op->kind == ANN_ADDR_DEL;
	bool add = op->kind == ANN_ROUTE_ADD || op->kind == ANN_ADDR_ADD;
	struct rtnl_route *r = rtnl_route_alloc();
	struct nl_addr *dst = nladdr(&op->addr, op->plen);
	struct nl_msg *m = NULL;
	int err;

	if (r == NULL)
		abort();
	rtnl_route_set_family(r, op->addr.af);
	rtnl_route_set_dst(r, dst);
	nl_addr_put(dst);
	rtnl_route_set_table(r, local ? RT_TABLE_LOCAL : n->table);
	rtnl_route_set_protocol(r, n->protocol);
	rtnl_route_set_type(r, op->type ? op->type : local ? RTN_LOCAL : RTN_UNICAST);
	if (op->priority != 0)
		rtnl_route_set_priority(r, op->priority);
	if (add) {
		struct rtnl_nexthop *nh = rtnl_route_nh_alloc();

		if (nh == NULL)
			abort();
		rtnl_route_nh_set_ifindex(nh, n->ifindex);
		rtnl_route_add_nexthop(r, nh);
		rtnl_route_set_scope(r, local ? RT_SCOPE_HOST : RT_SCOPE_LINK);
		err = rtnl_route_build_add_request(r, NLM_F_CREATE | NLM_F_REPLACE, &m);
	} else {
		/* No next hop: a stale route through any device matches. */
		err = rtnl_route_build_del_request(r, 0, &m);
	}
	rtnl_route_put(r);
	if (err < 0)
		abort();	/* only allocation fails on a filled object */
	return m;
}

static struct nl_msg *
addr_msg(const struct ann_nl *n, const struct ann_op *op)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local = nladdr(&op->addr, op->plen);
	struct nl_msg *m = NULL;
	int err;

	if (a == NULL)
		abort();
	rtnl_addr_set_family(a, op->addr.af);
	rtnl_addr_set_ifindex(a, n->ifindex);
	rtnl_addr_set_local(a, local);
	rtnl_addr_set_prefixlen(a, op->plen);
	nl_addr_put(local);
	/* lo and dummy devices do no duplicate detection; ask for none. */
	if (op->addr.af == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);
	err = op->kind == ANN_ADDR_ADD ? rtnl_addr_build_add_request(a, 0, &m) :
	    rtnl_addr_build_delete_request(a, 0, &m);
	rtnl_addr_put(a);
	if (err < 0)
		abort();
	return m;
}

/* Appends a request to buf (its header completed with seq). */
static void
append(struct nl_msg *m, uint32_t seq, uint16_t flags, char **buf,
    size_t *len, size_t *cap)
{
	struct nlmsghdr *h = nlmsg_hdr(m);
	size_t sz = NLMSG_ALIGN(h->nlmsg_len);

	h->nlmsg_seq = seq;
	h->nlmsg_pid = 0;
	h->nlmsg_flags |= NLM_F_REQUEST | flags;
	if (*len + sz > *cap) {
		*cap = (*len + sz) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, h, h->nlmsg_len);
	memset(*buf + *len + h->nlmsg_len, 0, sz - h->nlmsg_len);
	*len += sz;
	nlmsg_free(m);
}

struct acks {
	struct ann_op *ops;
	size_t n;
	uint32_t seq0;
	size_t pending;
};

static struct ann_op *
op_of(struct acks *k, uint32_t seq)
{
	uint32_t i = seq - k->seq0;

	if (i >= k->n || k->ops[i].err != PENDING)
		return NULL;	/* a late answer of an earlier batch */
	k->pending--;
	return &k->ops[i];
}

static int
on_ack(struct nl_msg *m, void *arg)
{
	struct ann_op *op = op_of(arg, nlmsg_hdr(m)->nlmsg_seq);

	if (op != NULL)
		op->err = 0;
	return NL_OK;
}

static int
on_err(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *h =
	    (const void *)((const char *)e - NLMSG_HDRLEN);
	struct ann_op *op = op_of(arg, e->msg.nlmsg_seq);

	(void)who;
	if (op != NULL) {
		op->err = e->error < 0 ? e->error : -EPROTO;
		ann_extack_text(h, h->nlmsg_len, op->why, sizeof(op->why));
	}
	return NL_SKIP;
}

static int
seq_any(struct nl_msg *m, void *arg)
{
	(void)m, (void)arg;
	return NL_OK;	/* matched per request in op_of */
}

/* Errors that mean the request's goal already holds. */
static bool
already_done(const struct ann_op *op)
{
	switch (op->kind) {
	case ANN_ROUTE_DEL:
		return op->err == -ESRCH;
	case ANN_ADDR_ADD:
		return op->err == -EEXIST;
	case ANN_ADDR_DEL:	/* an address, or a local route */
		return op->err == -EADDRNOTAVAIL || op->err == -ENODEV ||
		    op->err == -ESRCH;
	default:
		return false;
	}
}

/* One sendmsg of ops[0..n) and their answers. */
static void
run_batch(struct ann_nl *n, struct ann_op *ops, size_t cnt, char **buf,
    size_t *cap)
{
	struct acks k = { .ops = ops, .n = cnt };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	size_t len = 0;
	int rc;

	if (cb == NULL)
		abort();
	for (size_t i = 0; i < cnt; i++) {
		uint32_t seq = nl_socket_use_seq(n->sk);

		if (i == 0)
			k.seq0 = seq;
		ops[i].err = PENDING;
		ops[i].why[0] = '\0';
		append(ops[i].kind == ANN_ROUTE_ADD || ops[i].kind == ANN_ROUTE_DEL ||
		    n->hold_route ? route_msg(n, &ops[i]) : addr_msg(n, &ops[i]),
		    seq, NLM_F_ACK, buf, &len, cap);
	}
	k.pending = cnt;
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &k);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any, NULL);
	nl_cb_err(cb, NL_CB_CUSTOM, on_err, &k);
	rc = nl_sendto(n->sk, *buf, len);
	while (rc >= 0 && k.pending > 0)
		if ((rc = nl_recvmsgs_report(n->sk, cb)) == 0)
			rc = -NLE_AGAIN;	/* nothing within the timeout */
	nl_cb_put(cb);
	for (size_t i = 0; i < cnt; i++) {
		if (ops[i].err == PENDING) {
			/* Lost (ENOBUFS, timeout) or never sent. */
			ops[i].err = rc == -NLE_NOMEM ? -ENOBUFS : -EIO;
			snprintf(ops[i].why, sizeof(ops[i].why), "no answer: %s",
			    nl_geterror(rc));
		} else if (already_done(&ops[i])) {
			ops[i].err = 0;
		}
	}
}

size_t
ann_nl_run(struct ann_nl *n, struct ann_op *ops, size_t nops)
{
	size_t failed = 0, cap = 0;
	char *buf = NULL;

	for (size_t i = 0; i < nops; i += BATCH)
		run_batch(n, ops + i, nops - i < BATCH ? nops - i : BATCH,
		    &buf, &cap);
	free(buf);
	for (size_t i = 0; i < nops; i++)
		failed += ops[i].err != 0;
	return failed;
}

struct dump {
	struct ann_nl *n;
	uint32_t table;
	struct ann_route *r;
	size_t nr, cap;
	int err;
	bool malformed;
};

static int
on_route(struct nl_msg *m, void *arg)
{
	struct dump *d = arg;
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct ann_route r;
	int rc = ann_route_parse(h, h->nlmsg_len, d->table, d->n->protocol, &r);

	if (rc < 0)
		d->malformed = true;
	if (rc <= 0)
		return NL_OK;
	if (d->nr == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->r = xrealloc(d->r, d->cap * sizeof(*d->r));
	}
	d->r[d->nr++] = r;
	return NL_OK;
}

static int
on_dump_err(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct dump *d = arg;

	(void)who;
	d->err = e->error;
	return NL_STOP;
}

static int
dump_family(struct dump *d, int af)
{
	struct rtmsg rtm = {
		.rtm_family = (unsigned char)af,
		.rtm_table = d->table < 256 ? (unsigned char)d->table :
		    RT_TABLE_UNSPEC,
		.rtm_protocol = d->n->protocol,
	};
	struct nl_msg *m = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_DUMP);
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (m == NULL || cb == NULL ||
	    nlmsg_append(m, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(m, RTA_TABLE, d->table) < 0)
		abort();
	append(m, nl_socket_use_seq(d->n->sk), 0, &buf, &len, &cap);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_route, d);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any, NULL);
	nl_cb_err(cb, NL_CB_CUSTOM, on_dump_err, d);
	d->err = 0;
	rc = nl_sendto(d->n->sk, buf, len);
	if (rc >= 0)
		rc = nl_recvmsgs(d->n->sk, cb);
	nl_cb_put(cb);
	free(buf);
	/* IPv4 answers ENOENT for a table that does not exist yet. */
	if (d->err == -ENOENT)
		return 0;
	if (d->err < 0)
		return d->err;
	return rc < 0 ? (rc == -NLE_DUMP_INTR ? -EINTR : -EIO) : 0;
}

int
ann_nl_dump(struct ann_nl *n, uint32_t table, struct ann_route **out,
    size_t *nout)
{
	static const int afs[] = { AF_INET, AF_INET6 };
	struct dump d = { .n = n, .table = table };
	int rc = 0;

	for (size_t i = 0; i < 2 && rc == 0; i++) {
		/* A dump the kernel had to restart is read again. */
		for (int tries = 0; tries < 3; tries++) {
			size_t before = d.nr;

			if ((rc = dump_family(&d, afs[i])) != -EINTR)
				break;
			d.nr = before;
		}
	}
	if (d.malformed)
		log_warnx("announce: the kernel's route dump had malformed "
		    "messages (skipped)");
	if (rc < 0) {
		free(d.r);
		return rc;
	}
	*out = d.r;
	*nout = d.nr;
	return 0;
}
