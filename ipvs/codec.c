#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <string.h>

#include "ipvs/priv.h"

/*
 * Generic-netlink codec for every IPVS command of <linux/ip_vs.h>.
 * Builders write one request into a caller buffer of IPVS_MSG_MAX bytes;
 * parsers validate every attribute (type, length, NUL termination) and
 * reject anything malformed with -EBADMSG, because a reply we misread
 * would make the mirror lie about the kernel.
 */

static struct nlmsghdr *
put_genl(void *buf, uint16_t type, uint32_t seq, uint16_t nlflags, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | nlflags;
	nlh->nlmsg_seq = seq;
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = IPVS_GENL_VERSION;
	return nlh;
}

size_t
ipvs_msg_simple(void *buf, uint16_t family, uint32_t seq, uint16_t nlflags,
    uint8_t cmd)
{
	return put_genl(buf, family, seq, nlflags, cmd)->nlmsg_len;
}

size_t
ipvs_msg_getfamily(void *buf, uint32_t seq)
{
	struct nlmsghdr *nlh = put_genl(buf, GENL_ID_CTRL, seq, NLM_F_ACK,
	    CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME);
	return nlh->nlmsg_len;
}

/* Addresses travel as 16 bytes (union nf_inet_addr), zero padded. */
static void
put_addr(struct nlmsghdr *nlh, uint16_t type, const struct lvs_addr *a)
{
	uint8_t raw[16] = { 0 };
	memcpy(raw, &a->u, addr_len(a));
	mnl_attr_put(nlh, type, sizeof(raw), raw);
}

static uint32_t
netmask_wire(const struct ipvs_service *svc)
{
	if (svc->af == AF_INET6)
		return svc->netmask_plen;	/* v6: a prefix length */
	uint32_t m = svc->netmask_plen == 0 ? 0 :
	    0xffffffffu << (32 - svc->netmask_plen);
	return htonl(m);			/* v4: the mask itself */
}

static void
put_service_nest(struct nlmsghdr *nlh, const struct ipvs_service *svc, bool full)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);

	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, svc->af);
	if (svc->fwmark != 0) {
		mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_FWMARK, svc->fwmark);
	} else {
		mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PROTOCOL, svc->protocol);
		put_addr(nlh, IPVS_SVC_ATTR_ADDR, &svc->addr);
		mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PORT, htons(svc->port));
	}
	if (full) {
		struct ip_vs_flags fl = { .flags = svc->flags, .mask = ~0u };
		mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, svc->sched);
		if (svc->pe_name[0] != '\0')
			mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_PE_NAME, svc->pe_name);
		mnl_attr_put(nlh, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl);
		mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_TIMEOUT, svc->timeout);
		mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_NETMASK, netmask_wire(svc));
	}
	mnl_attr_nest_end(nlh, nest);
}

size_t
ipvs_msg_service(void *buf, uint16_t family, uint32_t seq, uint16_t nlflags,
    uint8_t cmd, const struct ipvs_service *svc, bool full)
{
	struct nlmsghdr *nlh = put_genl(buf, family, seq, nlflags, cmd);
	put_service_nest(nlh, svc, full);
	return nlh->nlmsg_len;
}

size_t
ipvs_msg_dest(void *buf, uint16_t family, uint32_t seq, uint16_t nlflags,
    uint8_t cmd, const struct ipvs_service *svc, const struct ipvs_dest *d,
    bool full)
{
	struct nlmsghdr *nlh = put_genl(buf, family, seq, nlflags, cmd);
	put_service_nest(nlh, svc, false);
	struct nlattr *nest = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DEST);
	put_addr(nlh, IPVS_DEST_ATTR_ADDR, &d->addr);
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_PORT, htons(d->port));
	/* Only a destination of the other family needs saying so. */
	if (d->addr.af != svc->af)
		mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_ADDR_FAMILY, d->addr.af);
	if (full) {
		mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_FWD_METHOD, d->fwd);
		mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight);
		mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_U_THRESH, d->u_thresh);
		mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_L_THRESH, d->l_thresh);
		/* Older kernels lack these: send them only when they matter. */
		if (d->fwd == IPVS_FWD_TUNNEL) {
			mnl_attr_put_u8(nlh, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type);
			mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port));
			mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags);
		}
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh->nlmsg_len;
}

size_t
ipvs_msg_timeouts(void *buf, uint16_t family, uint32_t seq, uint16_t nlflags,
    const struct ipvs_timeouts *t)
{
	struct nlmsghdr *nlh = put_genl(buf, family, seq, nlflags,
	    IPVS_CMD_SET_CONFIG);
	if (t->tcp != 0)
		mnl_attr_put_u32(nlh, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp);
	if (t->tcp_fin != 0)
		mnl_attr_put_u32(nlh, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcp_fin);
	if (t->udp != 0)
		mnl_attr_put_u32(nlh, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp);
	return nlh->nlmsg_len;
}

size_t
ipvs_msg_daemon(void *buf, uint16_t family, uint32_t seq, uint16_t nlflags,
    uint8_t cmd, const struct ipvs_sync_conf *c)
{
	struct nlmsghdr *nlh = put_genl(buf, family, seq, nlflags, cmd);
	struct nlattr *nest = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DAEMON);

	mnl_attr_put_u32(nlh, IPVS_DAEMON_ATTR_STATE, c->state);
	if (cmd == IPVS_CMD_NEW_DAEMON) {
		mnl_attr_put_strz(nlh, IPVS_DAEMON_ATTR_MCAST_IFN, c->ifname);
		mnl_attr_put_u32(nlh, IPVS_DAEMON_ATTR_SYNC_ID, c->syncid);
		if (c->maxlen != 0)
			mnl_attr_put_u16(nlh, IPVS_DAEMON_ATTR_SYNC_MAXLEN, c->maxlen);
		if (c->group.af == AF_INET)
			mnl_attr_put(nlh, IPVS_DAEMON_ATTR_MCAST_GROUP, 4, &c->group.u.v4);
		else if (c->group.af == AF_INET6)
			mnl_attr_put(nlh, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16,
			    &c->group.u.v6);
		if (c->port != 0)
			mnl_attr_put_u16(nlh, IPVS_DAEMON_ATTR_MCAST_PORT, htons(c->port));
		if (c->ttl != 0)
			mnl_attr_put_u8(nlh, IPVS_DAEMON_ATTR_MCAST_TTL, c->ttl);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh->nlmsg_len;
}

/* ---- parsing ---- */

/* Collects attributes of one nest, refusing duplicates and unknown junk. */
struct attr_tab {
	const struct nlattr *a[32];
	unsigned max;
};

static int
collect_cb(const struct nlattr *attr, void *data)
{
	struct attr_tab *t = data;
	unsigned type = mnl_attr_get_type(attr);

	if (type > t->max)
		return MNL_CB_OK;	/* newer kernel: ignore what we do not know */
	if (t->a[type] != NULL)
		return MNL_CB_ERROR;
	t->a[type] = attr;
	return MNL_CB_OK;
}

static int
collect_nested(const struct nlattr *nest, struct attr_tab *t, unsigned max)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
	return mnl_attr_parse_nested(nest, collect_cb, t) == MNL_CB_OK ? 0 : -1;
}

static bool
len_is(const struct nlattr *a, size_t n)
{
	return a == NULL || mnl_attr_get_payload_len(a) == n;
}

/* A NUL-terminated string that fits into cap bytes, NUL included. */
static int
get_str(const struct nlattr *a, char *out, size_t cap)
{
	size_t n = mnl_attr_get_payload_len(a);
	const char *p = mnl_attr_get_payload(a);
	const char *nul = memchr(p, '\0', n);

	if (nul == NULL || (size_t)(nul - p) >= cap)
		return -1;
	memcpy(out, p, (size_t)(nul - p) + 1);
	return 0;
}

static int
get_addr(const struct nlattr *a, sa_family_t af, struct lvs_addr *out)
{
	size_t n = mnl_attr_get_payload_len(a);

	memset(out, 0, sizeof(*out));
	out->af = af;
	if (n != 16 && !(af == AF_INET && n == 4))
		return -1;
	memcpy(&out->u, mnl_attr_get_payload(a), addr_len(out));
	return 0;
}

static int
get_stats(const struct nlattr *nest, bool wide, struct ipvs_counters *c)
{
	struct attr_tab t;
	uint64_t *f[] = { NULL, &c->conns, &c->inpkts, &c->outpkts, &c->inbytes,
	    &c->outbytes, &c->cps, &c->inpps, &c->outpps, &c->inbps, &c->outbps };

	if (collect_nested(nest, &t, IPVS_STATS_ATTR_OUTBPS) == -1)
		return -1;
	for (unsigned i = 1; i <= IPVS_STATS_ATTR_OUTBPS; i++) {
		if (t.a[i] == NULL)
			continue;
		bool is64 = wide || i == IPVS_STATS_ATTR_INBYTES ||
		    i == IPVS_STATS_ATTR_OUTBYTES;
		if (!len_is(t.a[i], is64 ? 8 : 4))
			return -1;
		*f[i] = is64 ? mnl_attr_get_u64(t.a[i]) : mnl_attr_get_u32(t.a[i]);
	}
	return 0;
}

static unsigned
plen_of_mask(uint32_t be)
{
	uint32_t m = ntohl(be);
	unsigned n = 0;
	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	return n;
}

static int
parse_service_full(struct attr_tab *t, struct ipvs_service *s)
{
	const struct nlattr **a = t->a;

	if (a[IPVS_SVC_ATTR_SCHED_NAME] == NULL || a[IPVS_SVC_ATTR_FLAGS] == NULL ||
	    a[IPVS_SVC_ATTR_TIMEOUT] == NULL || a[IPVS_SVC_ATTR_NETMASK] == NULL)
		return 0;
	if (!len_is(a[IPVS_SVC_ATTR_FLAGS], sizeof(struct ip_vs_flags)) ||
	    !len_is(a[IPVS_SVC_ATTR_TIMEOUT], 4) || !len_is(a[IPVS_SVC_ATTR_NETMASK], 4))
		return -1;
	if (get_str(a[IPVS_SVC_ATTR_SCHED_NAME], s->sched, sizeof(s->sched)) == -1)
		return -1;
	if (a[IPVS_SVC_ATTR_PE_NAME] != NULL &&
	    get_str(a[IPVS_SVC_ATTR_PE_NAME], s->pe_name, sizeof(s->pe_name)) == -1)
		return -1;
	struct ip_vs_flags fl;
	memcpy(&fl, mnl_attr_get_payload(a[IPVS_SVC_ATTR_FLAGS]), sizeof(fl));
	/* HASHED is the kernel's bookkeeping, not configuration. */
	s->flags = fl.flags & fl.mask & ~(uint32_t)IP_VS_SVC_F_HASHED;
	s->timeout = mnl_attr_get_u32(a[IPVS_SVC_ATTR_TIMEOUT]);
	uint32_t nm = mnl_attr_get_u32(a[IPVS_SVC_ATTR_NETMASK]);
	if (s->af == AF_INET6) {
		if (nm > 128)
			return -1;
		s->netmask_plen = nm;
	} else {
		s->netmask_plen = plen_of_mask(nm);
	}
	return 1;
}

static int
parse_service(const struct nlattr *nest, struct ipvs_msg *m)
{
	struct ipvs_service *s = &m->svc;
	struct attr_tab t;
	const struct nlattr **a = t.a;

	if (collect_nested(nest, &t, IPVS_SVC_ATTR_STATS64) == -1)
		return -1;
	memset(s, 0, sizeof(*s));
	if (a[IPVS_SVC_ATTR_AF] == NULL || !len_is(a[IPVS_SVC_ATTR_AF], 2))
		return -1;
	s->af = mnl_attr_get_u16(a[IPVS_SVC_ATTR_AF]);
	if (s->af != AF_INET && s->af != AF_INET6)
		return -1;
	s->addr.af = s->af;
	if (a[IPVS_SVC_ATTR_FWMARK] != NULL) {
		if (!len_is(a[IPVS_SVC_ATTR_FWMARK], 4))
			return -1;
		s->fwmark = mnl_attr_get_u32(a[IPVS_SVC_ATTR_FWMARK]);
		if (s->fwmark == 0)
			return -1;
	} else {
		if (a[IPVS_SVC_ATTR_PROTOCOL] == NULL || a[IPVS_SVC_ATTR_ADDR] == NULL ||
		    a[IPVS_SVC_ATTR_PORT] == NULL || !len_is(a[IPVS_SVC_ATTR_PROTOCOL], 2) ||
		    !len_is(a[IPVS_SVC_ATTR_PORT], 2))
			return -1;
		s->protocol = mnl_attr_get_u16(a[IPVS_SVC_ATTR_PROTOCOL]);
		s->port = ntohs(mnl_attr_get_u16(a[IPVS_SVC_ATTR_PORT]));
		if (get_addr(a[IPVS_SVC_ATTR_ADDR], s->af, &s->addr) == -1)
			return -1;
	}
	m->has |= IPVS_HAS_SVC_KEY;
	int full = parse_service_full(&t, s);
	if (full == -1)
		return -1;
	if (full == 1)
		m->has |= IPVS_HAS_SVC_FULL;
	if (a[IPVS_SVC_ATTR_STATS64] != NULL)
		return get_stats(a[IPVS_SVC_ATTR_STATS64], true, &s->stats);
	if (a[IPVS_SVC_ATTR_STATS] != NULL)
		return get_stats(a[IPVS_SVC_ATTR_STATS], false, &s->stats);
	return 0;
}

static int
parse_dest_full(const struct nlattr **a, struct ipvs_dest *d)
{
	static const unsigned u32s[] = { IPVS_DEST_ATTR_FWD_METHOD,
	    IPVS_DEST_ATTR_WEIGHT, IPVS_DEST_ATTR_U_THRESH, IPVS_DEST_ATTR_L_THRESH,
	    IPVS_DEST_ATTR_ACTIVE_CONNS, IPVS_DEST_ATTR_INACT_CONNS,
	    IPVS_DEST_ATTR_PERSIST_CONNS };

	for (size_t i = 0; i < sizeof(u32s) / sizeof(u32s[0]); i++)
		if (!len_is(a[u32s[i]], 4))
			return -1;
	if (!len_is(a[IPVS_DEST_ATTR_TUN_TYPE], 1) ||
	    !len_is(a[IPVS_DEST_ATTR_TUN_PORT], 2) ||
	    !len_is(a[IPVS_DEST_ATTR_TUN_FLAGS], 2))
		return -1;
	if (a[IPVS_DEST_ATTR_TUN_TYPE] != NULL)
		d->tun_type = mnl_attr_get_u8(a[IPVS_DEST_ATTR_TUN_TYPE]);
	if (a[IPVS_DEST_ATTR_TUN_PORT] != NULL)
		d->tun_port = ntohs(mnl_attr_get_u16(a[IPVS_DEST_ATTR_TUN_PORT]));
	if (a[IPVS_DEST_ATTR_TUN_FLAGS] != NULL)
		d->tun_flags = mnl_attr_get_u16(a[IPVS_DEST_ATTR_TUN_FLAGS]);
	if (a[IPVS_DEST_ATTR_ACTIVE_CONNS] != NULL)
		d->active_conns = mnl_attr_get_u32(a[IPVS_DEST_ATTR_ACTIVE_CONNS]);
	if (a[IPVS_DEST_ATTR_INACT_CONNS] != NULL)
		d->inact_conns = mnl_attr_get_u32(a[IPVS_DEST_ATTR_INACT_CONNS]);
	if (a[IPVS_DEST_ATTR_PERSIST_CONNS] != NULL)
		d->persist_conns = mnl_attr_get_u32(a[IPVS_DEST_ATTR_PERSIST_CONNS]);
	if (a[IPVS_DEST_ATTR_FWD_METHOD] == NULL || a[IPVS_DEST_ATTR_WEIGHT] == NULL ||
	    a[IPVS_DEST_ATTR_U_THRESH] == NULL || a[IPVS_DEST_ATTR_L_THRESH] == NULL)
		return 0;
	d->fwd = mnl_attr_get_u32(a[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK;
	d->weight = (int)mnl_attr_get_u32(a[IPVS_DEST_ATTR_WEIGHT]);
	d->u_thresh = mnl_attr_get_u32(a[IPVS_DEST_ATTR_U_THRESH]);
	d->l_thresh = mnl_attr_get_u32(a[IPVS_DEST_ATTR_L_THRESH]);
	if (d->weight < 0 || d->tun_type > IPVS_TUN_GRE)
		return -1;
	return 1;
}

/* svc_af: family of the enclosing service (a dest defaults to it). */
static int
parse_dest(const struct nlattr *nest, sa_family_t svc_af, struct ipvs_msg *m)
{
	struct ipvs_dest *d = &m->dest;
	struct attr_tab t;
	const struct nlattr **a = t.a;
	sa_family_t af = svc_af;

	if (collect_nested(nest, &t, IPVS_DEST_ATTR_TUN_FLAGS) == -1)
		return -1;
	memset(d, 0, sizeof(*d));
	if (a[IPVS_DEST_ATTR_ADDR_FAMILY] != NULL) {
		if (!len_is(a[IPVS_DEST_ATTR_ADDR_FAMILY], 2))
			return -1;
		af = mnl_attr_get_u16(a[IPVS_DEST_ATTR_ADDR_FAMILY]);
	}
	if (af != AF_INET && af != AF_INET6)
		return -1;
	if (a[IPVS_DEST_ATTR_ADDR] == NULL || a[IPVS_DEST_ATTR_PORT] == NULL ||
	    !len_is(a[IPVS_DEST_ATTR_PORT], 2) ||
	    get_addr(a[IPVS_DEST_ATTR_ADDR], af, &d->addr) == -1)
		return -1;
	d->port = ntohs(mnl_attr_get_u16(a[IPVS_DEST_ATTR_PORT]));
	m->has |= IPVS_HAS_DEST_KEY;
	int full = parse_dest_full(a, d);
	if (full == -1)
		return -1;
	if (full == 1)
		m->has |= IPVS_HAS_DEST_FULL;
	if (a[IPVS_DEST_ATTR_STATS64] != NULL)
		return get_stats(a[IPVS_DEST_ATTR_STATS64], true, &d->stats);
	if (a[IPVS_DEST_ATTR_STATS] != NULL)
		return get_stats(a[IPVS_DEST_ATTR_STATS], false, &d->stats);
	return 0;
}

static int
parse_daemon(const struct nlattr *nest, struct ipvs_sync_conf *c)
{
	struct attr_tab t;
	const struct nlattr **a = t.a;

	if (collect_nested(nest, &t, IPVS_DAEMON_ATTR_MCAST_TTL) == -1)
		return -1;
	memset(c, 0, sizeof(*c));
	if (a[IPVS_DAEMON_ATTR_STATE] == NULL || !len_is(a[IPVS_DAEMON_ATTR_STATE], 4) ||
	    !len_is(a[IPVS_DAEMON_ATTR_SYNC_ID], 4) ||
	    !len_is(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN], 2) ||
	    !len_is(a[IPVS_DAEMON_ATTR_MCAST_GROUP], 4) ||
	    !len_is(a[IPVS_DAEMON_ATTR_MCAST_GROUP6], 16) ||
	    !len_is(a[IPVS_DAEMON_ATTR_MCAST_PORT], 2) ||
	    !len_is(a[IPVS_DAEMON_ATTR_MCAST_TTL], 1))
		return -1;
	c->state = mnl_attr_get_u32(a[IPVS_DAEMON_ATTR_STATE]);
	if (a[IPVS_DAEMON_ATTR_MCAST_IFN] != NULL &&
	    get_str(a[IPVS_DAEMON_ATTR_MCAST_IFN], c->ifname, sizeof(c->ifname)) == -1)
		return -1;
	if (a[IPVS_DAEMON_ATTR_SYNC_ID] != NULL)
		c->syncid = mnl_attr_get_u32(a[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (a[IPVS_DAEMON_ATTR_SYNC_MAXLEN] != NULL)
		c->maxlen = mnl_attr_get_u16(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (a[IPVS_DAEMON_ATTR_MCAST_GROUP] != NULL) {
		c->group.af = AF_INET;
		memcpy(&c->group.u.v4, mnl_attr_get_payload(a[IPVS_DAEMON_ATTR_MCAST_GROUP]), 4);
	} else if (a[IPVS_DAEMON_ATTR_MCAST_GROUP6] != NULL) {
		c->group.af = AF_INET6;
		memcpy(&c->group.u.v6, mnl_attr_get_payload(a[IPVS_DAEMON_ATTR_MCAST_GROUP6]), 16);
	}
	if (a[IPVS_DAEMON_ATTR_MCAST_PORT] != NULL)
		c->port = ntohs(mnl_attr_get_u16(a[IPVS_DAEMON_ATTR_MCAST_PORT]));
	if (a[IPVS_DAEMON_ATTR_MCAST_TTL] != NULL)
		c->ttl = mnl_attr_get_u8(a[IPVS_DAEMON_ATTR_MCAST_TTL]);
	return 0;
}

static int
parse_top_cb(const struct nlattr *attr, void *data)
{
	return collect_cb(attr, data);
}

static int
parse_info(const struct nlattr **a, struct ipvs_msg *m)
{
	if (!len_is(a[IPVS_INFO_ATTR_VERSION], 4) ||
	    !len_is(a[IPVS_INFO_ATTR_CONN_TAB_SIZE], 4))
		return -1;
	if (a[IPVS_INFO_ATTR_VERSION] != NULL)
		m->version = mnl_attr_get_u32(a[IPVS_INFO_ATTR_VERSION]);
	if (a[IPVS_INFO_ATTR_CONN_TAB_SIZE] != NULL)
		m->conn_tab_size = mnl_attr_get_u32(a[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	m->has |= IPVS_HAS_INFO;
	return 0;
}

static int
parse_timeouts(const struct nlattr **a, struct ipvs_msg *m)
{
	uint32_t *f[] = { &m->to.tcp, &m->to.tcp_fin, &m->to.udp };

	for (unsigned i = 0; i < 3; i++) {
		const struct nlattr *x = a[IPVS_CMD_ATTR_TIMEOUT_TCP + i];
		if (x == NULL)
			continue;
		if (!len_is(x, 4))
			return -1;
		*f[i] = mnl_attr_get_u32(x);
		m->has |= IPVS_HAS_TIMEOUTS;
	}
	return 0;
}

int
ipvs_msg_parse(const struct nlmsghdr *nlh, struct ipvs_msg *m)
{
	struct attr_tab t = { .max = IPVS_CMD_ATTR_TIMEOUT_UDP };
	const struct nlattr **a = t.a;

	memset(m, 0, sizeof(*m));
	if (nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN))
		return -EBADMSG;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	m->cmd = g->cmd;
	if (mnl_attr_parse(nlh, GENL_HDRLEN, parse_top_cb, &t) != MNL_CB_OK)
		return -EBADMSG;
	/* GET_INFO replies reuse attribute numbers 1 and 2 at the top. */
	if (m->cmd == IPVS_CMD_SET_INFO || m->cmd == IPVS_CMD_GET_INFO)
		return parse_info(a, m) == 0 ? 0 : -EBADMSG;
	if (a[IPVS_CMD_ATTR_SERVICE] != NULL &&
	    parse_service(a[IPVS_CMD_ATTR_SERVICE], m) == -1)
		return -EBADMSG;
	if (a[IPVS_CMD_ATTR_DEST] != NULL) {
		sa_family_t af = (m->has & IPVS_HAS_SVC_KEY) ? m->svc.af : AF_INET;
		if (parse_dest(a[IPVS_CMD_ATTR_DEST], af, m) == -1)
			return -EBADMSG;
	}
	if (a[IPVS_CMD_ATTR_DAEMON] != NULL) {
		if (parse_daemon(a[IPVS_CMD_ATTR_DAEMON], &m->daemon) == -1)
			return -EBADMSG;
		m->has |= IPVS_HAS_DAEMON;
	}
	return parse_timeouts(a, m) == 0 ? 0 : -EBADMSG;
}

static int
family_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID) {
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	}
	return MNL_CB_OK;
}

int
ipvs_parse_family(const struct nlmsghdr *nlh, uint16_t *family)
{
	uint16_t id = 0;

	if (nlh->nlmsg_len < mnl_nlmsg_size(GENL_HDRLEN) ||
	    mnl_attr_parse(nlh, GENL_HDRLEN, family_cb, &id) != MNL_CB_OK || id == 0)
		return -EBADMSG;
	*family = id;
	return 0;
}

int
ipvs_stream_parse(const void *buf, size_t len, const struct ipvs_stream_ops *ops,
    void *arg)
{
	size_t off = 0;
	int rc = 0;

	/*
	 * Framing checked here with size_t arithmetic: libmnl's
	 * mnl_nlmsg_ok() casts nlmsg_len to int, so a length above 2^31
	 * would pass it and send the walk far outside the buffer.
	 */
	while (rc == 0 && len - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh =
		    (const struct nlmsghdr *)((const char *)buf + off);
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len - off)
			return -EBADMSG;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct nlmsgerr)))
				return -EBADMSG;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			if (e->error > 0 || e->error < -4095)
				return -EBADMSG;
			rc = ops->ack != NULL ? ops->ack(nlh->nlmsg_seq, e->error, arg) : 0;
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			rc = ops->done != NULL ? ops->done(nlh->nlmsg_seq, arg) : 0;
		} else if (nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
			rc = ops->msg != NULL ? ops->msg(nlh, arg) : 0;
		}
		size_t step = MNL_ALIGN(nlh->nlmsg_len);
		off = step > len - off ? len : off + step;
	}
	if (rc == 0 && off != len)
		return -EBADMSG;	/* trailing bytes that are no message */
	return rc;
}

const char *
ipvs_cmd_name(uint8_t cmd)
{
	static const char *const names[] = {
		[IPVS_CMD_NEW_SERVICE] = "add service",
		[IPVS_CMD_SET_SERVICE] = "edit service",
		[IPVS_CMD_DEL_SERVICE] = "delete service",
		[IPVS_CMD_GET_SERVICE] = "get service",
		[IPVS_CMD_NEW_DEST] = "add real server",
		[IPVS_CMD_SET_DEST] = "edit real server",
		[IPVS_CMD_DEL_DEST] = "delete real server",
		[IPVS_CMD_GET_DEST] = "get real servers",
		[IPVS_CMD_NEW_DAEMON] = "start sync daemon",
		[IPVS_CMD_DEL_DAEMON] = "stop sync daemon",
		[IPVS_CMD_GET_DAEMON] = "get sync daemons",
		[IPVS_CMD_SET_CONFIG] = "set timeouts",
		[IPVS_CMD_GET_CONFIG] = "get timeouts",
		[IPVS_CMD_GET_INFO] = "get info",
		[IPVS_CMD_ZERO] = "zero counters",
		[IPVS_CMD_FLUSH] = "flush",
	};
	if (cmd < sizeof(names) / sizeof(names[0]) && names[cmd] != NULL)
		return names[cmd];
	return "request";
}
