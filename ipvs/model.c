#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/priv.h"
#include "lib/xalloc.h"

/*
 * An in-memory model of the kernel's IPVS generic-netlink interface,
 * behind the same transport the driver uses for the real socket.  It
 * decodes requests with the codec, answers like the kernel does (errno
 * values of net/netfilter/ipvs/ip_vs_ctl.c, acks only on failure or
 * NLM_F_ACK, dumps ending in NLMSG_DONE), so unit tests exercise the
 * driver's whole request/reply path without IPVS in the host kernel.
 */

#define MODEL_FAMILY 0x2a

struct dgram {
	char *buf;
	size_t len, off;
};

struct ipvs_model {
	struct ipvs_transport tr;
	struct ipvs_table *t;
	char *scheds;			/* " rr wlc " or NULL: any */
	struct ipvs_timeouts to;
	struct ipvs_sync_conf daemons[2];
	unsigned requests, sends;
	bool enobufs;
	unsigned send_errors;		/* fail this many sends with EPERM */
	struct dgram *q;		/* reply datagrams, oldest first */
	size_t nq;
	char *out;			/* replies of the current send */
	size_t outlen, outcap;
};

static void *
out_room(struct ipvs_model *m)
{
	if (m->outlen + 8192 > m->outcap) {
		m->outcap = (m->outcap + 8192) * 2;
		m->out = xrealloc(m->out, m->outcap);
	}
	memset(m->out + m->outlen, 0, 8192);
	return m->out + m->outlen;
}

static void
out_commit(struct ipvs_model *m, const struct nlmsghdr *nlh)
{
	m->outlen += MNL_ALIGN(nlh->nlmsg_len);
}

static void
put_ack(struct ipvs_model *m, const struct nlmsghdr *req, int err)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(out_room(m));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	e->msg = *req;
	out_commit(m, nlh);
}

static void
put_done(struct ipvs_model *m, const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(out_room(m));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = req->nlmsg_seq;
	int *v = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*v = 0;
	out_commit(m, nlh);
}

static bool
sched_known(const struct ipvs_model *m, const char *name)
{
	if (m->scheds == NULL)
		return true;
	size_t n = strlen(name);
	for (const char *p = strstr(m->scheds, name); p != NULL; p = strstr(p + 1, name))
		if (p[-1] == ' ' && p[n] == ' ')
			return true;
	return false;
}

static int
do_service(struct ipvs_model *m, const struct ipvs_msg *q)
{
	struct ipvs_svc *s = ipvs_table_find_service(m->t, &q->svc);
	bool full = q->has & IPVS_HAS_SVC_FULL;

	switch (q->cmd) {
	case IPVS_CMD_NEW_SERVICE:
		if (!full)
			return -EINVAL;
		if (s != NULL)
			return -EEXIST;
		if (!sched_known(m, q->svc.sched) || q->svc.pe_name[0] != '\0')
			return -ENOENT;
		return ipvs_table_add_service(m->t, &q->svc, NULL) ? 0 : -EINVAL;
	case IPVS_CMD_SET_SERVICE:
		if (!full)
			return -EINVAL;
		if (s == NULL)
			return -ESRCH;
		if (!sched_known(m, q->svc.sched))
			return -ENOENT;
		s->conf = q->svc;
		return 0;
	default:
		if (s == NULL)
			return -ESRCH;
		ipvs_table_del_service(m->t, s);
		return 0;
	}
}

static int
do_dest(struct ipvs_model *m, const struct ipvs_msg *q)
{
	struct ipvs_svc *s = ipvs_table_find_service(m->t, &q->svc);
	if (s == NULL)
		return -ESRCH;
	if (!(q->has & IPVS_HAS_DEST_KEY))
		return -EINVAL;
	struct ipvs_dst *d = ipvs_table_find_dest(m->t, s, &q->dest.addr, q->dest.port);
	bool full = q->has & IPVS_HAS_DEST_FULL;

	switch (q->cmd) {
	case IPVS_CMD_NEW_DEST:
		if (!full)
			return -EINVAL;
		if (d != NULL)
			return -EEXIST;
		return ipvs_table_add_dest(m->t, s, &q->dest, NULL) ? 0 : -EINVAL;
	case IPVS_CMD_SET_DEST:
		if (!full)
			return -EINVAL;
		if (d == NULL)
			return -ENOENT;
		d->conf = q->dest;
		return 0;
	default:
		if (d == NULL)
			return -ENOENT;
		ipvs_table_unlink_dest(m->t, d);
		ipvs_dst_free(d);
		return 0;
	}
}

static void
reply_multi(struct ipvs_model *m, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(m->out + m->outlen);
	(void)len;
	nlh->nlmsg_flags = NLM_F_MULTI;
	out_commit(m, nlh);
}

static int
dump(struct ipvs_model *m, const struct nlmsghdr *req, const struct ipvs_msg *q)
{
	const struct ipvs_svc *s;
	const struct ipvs_dst *d;
	uint32_t seq = req->nlmsg_seq;

	if (q->cmd == IPVS_CMD_GET_SERVICE) {
		TAILQ_FOREACH(s, &m->t->svcs, entry)
			reply_multi(m, ipvs_msg_service(out_room(m), MODEL_FAMILY, seq,
			    0, IPVS_CMD_NEW_SERVICE, &s->conf, true));
	} else if (q->cmd == IPVS_CMD_GET_DEST) {
		if (!(q->has & IPVS_HAS_SVC_KEY) ||
		    (s = ipvs_table_find_service(m->t, &q->svc)) == NULL)
			return -ESRCH;
		/* like the kernel: newest destination first */
		TAILQ_FOREACH_REVERSE(d, &s->dests, ipvs_dst_list, entry)
			reply_multi(m, ipvs_msg_dest(out_room(m), MODEL_FAMILY, seq, 0,
			    IPVS_CMD_NEW_DEST, &s->conf, &d->conf, true));
	} else if (q->cmd == IPVS_CMD_GET_DAEMON) {
		for (int i = 0; i < 2; i++)
			if (m->daemons[i].state != 0)
				reply_multi(m, ipvs_msg_daemon(out_room(m), MODEL_FAMILY,
				    seq, 0, IPVS_CMD_NEW_DAEMON, &m->daemons[i]));
	} else {
		return -EOPNOTSUPP;
	}
	put_done(m, req);
	return 0;
}

static int
do_daemon(struct ipvs_model *m, const struct ipvs_msg *q)
{
	if (!(q->has & IPVS_HAS_DAEMON) || q->daemon.state < 1 || q->daemon.state > 2)
		return -EINVAL;
	struct ipvs_sync_conf *slot = &m->daemons[q->daemon.state - 1];
	if (q->cmd == IPVS_CMD_NEW_DAEMON) {
		if (slot->state != 0)
			return -EEXIST;
		*slot = q->daemon;
	} else {
		memset(slot, 0, sizeof(*slot));
	}
	return 0;
}

static int
handle(struct ipvs_model *m, const struct nlmsghdr *req, const struct ipvs_msg *q)
{
	struct nlmsghdr *nlh;

	switch (q->cmd) {
	case IPVS_CMD_NEW_SERVICE: case IPVS_CMD_SET_SERVICE: case IPVS_CMD_DEL_SERVICE:
		return (q->has & IPVS_HAS_SVC_KEY) ? do_service(m, q) : -EINVAL;
	case IPVS_CMD_NEW_DEST: case IPVS_CMD_SET_DEST: case IPVS_CMD_DEL_DEST:
		return do_dest(m, q);
	case IPVS_CMD_NEW_DAEMON: case IPVS_CMD_DEL_DAEMON:
		return do_daemon(m, q);
	case IPVS_CMD_SET_CONFIG:
		if (q->to.tcp) m->to.tcp = q->to.tcp;
		if (q->to.tcp_fin) m->to.tcp_fin = q->to.tcp_fin;
		if (q->to.udp) m->to.udp = q->to.udp;
		return 0;
	case IPVS_CMD_GET_CONFIG:
		nlh = (struct nlmsghdr *)out_room(m);
		ipvs_msg_timeouts(nlh, MODEL_FAMILY, req->nlmsg_seq, 0, &m->to);
		nlh->nlmsg_flags = 0;
		((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = IPVS_CMD_SET_CONFIG;
		out_commit(m, nlh);
		return 0;
	case IPVS_CMD_GET_INFO:
		nlh = (struct nlmsghdr *)out_room(m);
		ipvs_msg_simple(nlh, MODEL_FAMILY, req->nlmsg_seq, 0, IPVS_CMD_SET_INFO);
		nlh->nlmsg_flags = 0;
		mnl_attr_put_u32(nlh, IPVS_INFO_ATTR_VERSION, IP_VS_VERSION_CODE);
		mnl_attr_put_u32(nlh, IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
		out_commit(m, nlh);
		return 0;
	case IPVS_CMD_FLUSH:
		ipvs_table_free(m->t);
		m->t = ipvs_table_new(16);
		return 0;
	case IPVS_CMD_ZERO:
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int
model_msg(const struct nlmsghdr *req, void *arg)
{
	struct ipvs_model *m = arg;
	struct ipvs_msg q;
	int err;

	m->requests++;
	if (req->nlmsg_type != MODEL_FAMILY)
		err = -ENOENT;
	else if (ipvs_msg_parse(req, &q) != 0)
		err = -EINVAL;
	else if (req->nlmsg_flags & NLM_F_DUMP)
		err = dump(m, req, &q);
	else
		err = handle(m, req, &q);
	if (err != 0 || (req->nlmsg_flags & NLM_F_ACK))
		put_ack(m, req, err);
	return 0;
}

static int
model_send(void *ctx, const void *buf, size_t len)
{
	static const struct ipvs_stream_ops ops = { .msg = model_msg };
	struct ipvs_model *m = ctx;

	m->sends++;
	m->outlen = 0;
	if (m->send_errors > 0) {
		m->send_errors--;
		return -EPERM;
	}
	if (ipvs_stream_parse(buf, len, &ops, m) != 0)
		return -EINVAL;
	if (m->outlen == 0)
		return 0;
	m->q = xrealloc(m->q, (m->nq + 1) * sizeof(*m->q));
	m->q[m->nq++] = (struct dgram){ xmalloc(m->outlen), m->outlen, 0 };
	memcpy(m->q[m->nq - 1].buf, m->out, m->outlen);
	return 0;
}

static void
drop_replies(struct ipvs_model *m)
{
	for (size_t i = 0; i < m->nq; i++)
		free(m->q[i].buf);
	m->nq = 0;
}

/* Pops up to len bytes of whole messages from the oldest datagram. */
static ssize_t
model_recv(void *ctx, void *buf, size_t len)
{
	struct ipvs_model *m = ctx;

	if (m->enobufs) {
		m->enobufs = false;
		drop_replies(m);
		return -ENOBUFS;
	}
	if (m->nq == 0)
		return -EAGAIN;	/* the real socket would block forever */
	struct dgram *g = &m->q[0];
	size_t n = 0;
	while (g->off + n < g->len) {
		const struct nlmsghdr *nlh = (const void *)(g->buf + g->off + n);
		if (n + MNL_ALIGN(nlh->nlmsg_len) > len)
			break;
		n += MNL_ALIGN(nlh->nlmsg_len);
	}
	memcpy(buf, g->buf + g->off, n);
	g->off += n;
	if (g->off >= g->len) {
		free(g->buf);
		memmove(&m->q[0], &m->q[1], (m->nq - 1) * sizeof(*m->q));
		m->nq--;
	}
	return (ssize_t)n;
}

struct ipvs_model *
ipvs_model_new(void)
{
	struct ipvs_model *m = xcalloc(1, sizeof(*m));

	m->t = ipvs_table_new(16);
	m->tr.ctx = m;
	m->tr.send = model_send;
	m->tr.recv = model_recv;
	m->tr.family = MODEL_FAMILY;
	m->to = (struct ipvs_timeouts){ 900, 120, 300 };
	return m;
}

void
ipvs_model_free(struct ipvs_model *m)
{
	if (m == NULL)
		return;
	drop_replies(m);
	free(m->q);
	free(m->out);
	free(m->scheds);
	ipvs_table_free(m->t);
	free(m);
}

const struct ipvs_transport *
ipvs_model_transport(struct ipvs_model *m)
{
	return &m->tr;
}

struct ipvs_table *
ipvs_model_table(struct ipvs_model *m)
{
	return m->t;
}

void
ipvs_model_set_schedulers(struct ipvs_model *m, const char *names)
{
	free(m->scheds);
	m->scheds = names != NULL ? xasprintf(" %s ", names) : NULL;
}

unsigned
ipvs_model_requests(const struct ipvs_model *m)
{
	return m->requests;
}

unsigned
ipvs_model_sends(const struct ipvs_model *m)
{
	return m->sends;
}

void
ipvs_model_inject_enobufs(struct ipvs_model *m)
{
	m->enobufs = true;
}

void
ipvs_model_fail_sends(struct ipvs_model *m, unsigned n)
{
	m->send_errors = n;
}

const struct ipvs_timeouts *
ipvs_model_timeouts(const struct ipvs_model *m)
{
	return &m->to;
}
