/*
 * Reading what rtnetlink answers to the route announcement: the routes of
 * a dump and the text of an extended ack.  Bounds are checked on every
 * header and attribute (the fuzz target tests/fuzz/fuzz_announce_msg.c
 * feeds it arbitrary bytes).
 */
#include "config.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "vrrp/announce_priv.h"

/* The header of the message at buf, if the whole of it lies in len. */
static const struct nlmsghdr *
msg_header(const void *buf, size_t len)
{
	const struct nlmsghdr *h = buf;

	if (len < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
	    h->nlmsg_len > len)
		return NULL;
	return h;
}

static uint32_t
get_u32(const struct rtattr *a)
{
	uint32_t v;

	memcpy(&v, RTA_DATA(a), sizeof(v));
	return v;
}

/* Attributes of one route; -1 if one is cut short or has a bad size. */
static int
route_attrs(const struct rtattr *a, size_t left, struct ann_route *r,
    uint32_t *table)
{
	size_t alen = addr_len(&r->dst);

	while (left >= sizeof(*a)) {
		if (a->rta_len < sizeof(*a) || a->rta_len > left)
			return -1;
		size_t plen = RTA_PAYLOAD(a);

		switch (a->rta_type) {
		case RTA_DST:
			if (plen != alen)
				return -1;
			memcpy(&r->dst.u, RTA_DATA(a), alen);
			break;
		case RTA_TABLE:
		case RTA_PRIORITY:
		case RTA_OIF:
			if (plen != 4)
				return -1;
			if (a->rta_type == RTA_TABLE)
				*table = get_u32(a);
			else if (a->rta_type == RTA_PRIORITY)
				r->priority = get_u32(a);
			else
				r->oif = (int)get_u32(a);
			break;
		}
		size_t step = RTA_ALIGN(a->rta_len);
		if (step >= left)
			break;
		left -= step;
		a = (const struct rtattr *)((const char *)a + step);
	}
	return 0;
}

int
ann_route_parse(const void *buf, size_t len, uint32_t table, uint8_t protocol,
    struct ann_route *r)
{
	const struct nlmsghdr *h = msg_header(buf, len);
	const struct rtmsg *rt;
	uint32_t tab;

	if (h == NULL)
		return -1;
	if (h->nlmsg_type != RTM_NEWROUTE)
		return 0;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*rt)))
		return -1;
	rt = NLMSG_DATA(h);
	memset(r, 0, sizeof(*r));
	if (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6)
		return -1;
	r->dst.af = rt->rtm_family;
	if (rt->rtm_dst_len > addr_max_prefix(r->dst.af))
		return -1;
	r->plen = rt->rtm_dst_len;
	r->type = rt->rtm_type;
	tab = rt->rtm_table;
	if (route_attrs((const struct rtattr *)((const char *)rt +
	    NLMSG_ALIGN(sizeof(*rt))), h->nlmsg_len - NLMSG_SPACE(sizeof(*rt)),
	    r, &tab) < 0)
		return -1;
	return tab == table && rt->rtm_protocol == protocol;
}

void
ann_extack_text(const void *buf, size_t len, char *out, size_t outlen)
{
	const struct nlmsghdr *h = msg_header(buf, len);
	const struct nlmsgerr *e;
	size_t off, end;

	if (outlen == 0)
		return;
	out[0] = '\0';
	if (h == NULL || h->nlmsg_type != NLMSG_ERROR ||
	    !(h->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return;
	e = NLMSG_DATA(h);
	/* Without NLM_F_CAPPED the request itself comes back first. */
	off = NLMSG_LENGTH(sizeof(*e));
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
		    e->msg.nlmsg_len > h->nlmsg_len)
			return;
		off += (((size_t)e->msg.nlmsg_len + NLMSG_ALIGNTO - 1) &
		    ~(size_t)(NLMSG_ALIGNTO - 1)) - NLMSG_HDRLEN;
	}
	end = h->nlmsg_len;
	while (off + sizeof(struct nlattr) <= end) {
		const struct nlattr *a = (const void *)((const char *)buf + off);

		if (a->nla_len < sizeof(*a) || a->nla_len > end - off)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			size_t n = a->nla_len - sizeof(*a);
			const char *s = (const char *)(a + 1);

			n = strnlen(s, n);
			if (n >= outlen)
				n = outlen - 1;
			memcpy(out, s, n);
			out[n] = '\0';
			return;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}
