/*
 * The route announcement's pure parts: sets of addresses, the two steps
 * of a change (routes withdrawn first, never a route without its
 * address, minimal change), the repair after a dump, and the reading of
 * rtnetlink answers.
 */
#include "config.h"

#include <check.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/announce_priv.h"

static struct lvs_addr
A(const char *s)
{
	struct lvs_addr a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

/* The ops as text, "route-del 10.0.0.1/32 addr-add ..." */
static const char *
ops_text(const struct ann_op *ops, size_t n)
{
	static char out[1024];
	static const char *const kind[] = { "route-del", "addr-add",
	    "route-add", "addr-del" };
	char buf[LVS_ADDRSTRLEN];
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s %s/%u",
		    i ? " " : "", kind[ops[i].kind], addr_fmt(&ops[i].addr, buf),
		    ops[i].plen);
	return out;
}

START_TEST(sets)
{
	struct lvs_addr a[] = { A("10.0.0.2"), A("fd00::1"), A("10.0.0.1"),
	    A("10.0.0.2") };
	struct lvs_addr b[] = { A("10.0.0.2"), A("10.0.0.3") };
	struct lvs_addr out[8];
	size_t n = addrset_normalize(a, 4), k;

	ck_assert_uint_eq(n, 3);
	ck_assert(addr_eq(&a[0], &b[0]) || addr_cmp(&a[0], &a[1]) < 0);
	ck_assert(addrset_has(a, n, &b[0]));
	ck_assert(!addrset_has(a, n, &b[1]));
	ck_assert(!addrset_has(a, 0, &b[0]));
	k = addrset_minus(a, n, b, 2, out);		/* {10.0.0.1, fd00::1} */
	ck_assert_uint_eq(k, 2);
	ck_assert(!addrset_has(out, k, &b[0]));
	k = addrset_union(a, n, b, 2, out);		/* 4 distinct */
	ck_assert_uint_eq(k, 4);
	for (size_t i = 1; i < k; i++)
		ck_assert_int_lt(addr_cmp(&out[i - 1], &out[i]), 0);
	ck_assert_uint_eq(addrset_union(NULL, 0, b, 2, out), 2);
	ck_assert_uint_eq(addrset_minus(NULL, 0, b, 2, out), 0);
}
END_TEST

/* A module's state in sets the test edits. */
struct world {
	struct lvs_addr held[8], routed[8], want[8], want_rt[8];
	size_t nheld, nrouted, nwant, nwant_rt;
	struct ann_op ops[32];
};

static struct ann_state
st(struct world *w)
{
	w->nheld = addrset_normalize(w->held, w->nheld);
	w->nrouted = addrset_normalize(w->routed, w->nrouted);
	w->nwant = addrset_normalize(w->want, w->nwant);
	w->nwant_rt = addrset_normalize(w->want_rt, w->nwant_rt);
	return (struct ann_state){ w->held, w->nheld, w->routed, w->nrouted,
	    w->want, w->nwant, w->want_rt, w->nwant_rt };
}

/* Applies the ops that did not fail to the believed state. */
static void
done(struct world *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct ann_op *op = &w->ops[i];
		struct lvs_addr *set = op->kind == ANN_ADDR_ADD ||
		    op->kind == ANN_ADDR_DEL ? w->held : w->routed;
		size_t *nset = set == w->held ? &w->nheld : &w->nrouted;

		if (op->err != 0)
			continue;
		if (op->kind == ANN_ADDR_ADD || op->kind == ANN_ROUTE_ADD) {
			set[(*nset)++] = op->addr;
			continue;
		}
		for (size_t j = 0; j < *nset; j++)
			if (addr_eq(&set[j], &op->addr))
				set[j--] = set[--*nset];
	}
}

static void
want(struct world *w, const char *spec)
{
	char buf[256], *save, *tok;

	w->nwant = w->nwant_rt = 0;
	snprintf(buf, sizeof(buf), "%s", spec);
	/* "ADDR" announced, "ADDR-" held only */
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		bool hold = tok[strlen(tok) - 1] == '-';

		if (hold)
			tok[strlen(tok) - 1] = '\0';
		w->want[w->nwant++] = A(tok);
		if (!hold)
			w->want_rt[w->nwant_rt++] = A(tok);
	}
}

/* Both steps, as apply() runs them; returns the ops text of each. */
static void
change(struct world *w, const char *first, const char *second)
{
	struct ann_state s = st(w);
	size_t n = ann_plan_first(&s, w->ops);

	ck_assert_str_eq(ops_text(w->ops, n), first);
	done(w, n);
	s = st(w);
	n = ann_plan_second(&s, w->ops);
	ck_assert_str_eq(ops_text(w->ops, n), second);
	done(w, n);
}

START_TEST(plan_minimal)
{
	struct world w = { 0 };

	/* From nothing: addresses first, routes after them. */
	want(&w, "10.0.0.1 10.0.0.2- fd00::1");
	change(&w, "addr-add 10.0.0.1/32 addr-add 10.0.0.2/32 addr-add fd00::1/128",
	    "route-add 10.0.0.1/32 route-add fd00::1/128");
	/* The same set again: nothing at all. */
	change(&w, "", "");
	/* One route more: one request. */
	want(&w, "10.0.0.1 10.0.0.2 fd00::1");
	change(&w, "", "route-add 10.0.0.2/32");
	/* 10.0.0.1 leaves, fd00::1 is held only: routes go first, the
	 * address last. */
	want(&w, "10.0.0.2 fd00::1-");
	change(&w, "route-del 10.0.0.1/32 route-del fd00::1/128",
	    "addr-del 10.0.0.1/32");
	ck_assert_uint_eq(w.nheld, 2);
	ck_assert_uint_eq(w.nrouted, 1);
	/* Nothing wanted (release). */
	want(&w, "");
	change(&w, "route-del 10.0.0.2/32",
	    "addr-del 10.0.0.2/32 addr-del fd00::1/128");
	ck_assert_uint_eq(w.nheld + w.nrouted, 0);
}
END_TEST

START_TEST(plan_withdraw)
{
	struct world w = { 0 };
	struct ann_state s;

	want(&w, "10.0.0.1 10.0.0.2 fd00::1");
	change(&w, "addr-add 10.0.0.1/32 addr-add 10.0.0.2/32 addr-add fd00::1/128",
	    "route-add 10.0.0.1/32 route-add 10.0.0.2/32 route-add fd00::1/128");
	/* Withdrawn: every route goes in the first step, addresses stay. */
	s = st(&w);
	s.nwant_rt = 0;
	ck_assert_str_eq(ops_text(w.ops, ann_plan_first(&s, w.ops)),
	    "route-del 10.0.0.1/32 route-del 10.0.0.2/32 route-del fd00::1/128");
}
END_TEST

START_TEST(plan_failures)
{
	struct world w = { 0 };
	struct ann_state s;
	size_t n;

	/* An address that could not be added gets no route. */
	want(&w, "10.0.0.1 10.0.0.2");
	s = st(&w);
	n = ann_plan_first(&s, w.ops);
	ck_assert_uint_eq(n, 2);
	w.ops[1].err = -19;		/* ENODEV */
	done(&w, n);
	s = st(&w);
	ck_assert_str_eq(ops_text(w.ops, ann_plan_second(&s, w.ops)),
	    "route-add 10.0.0.1/32");
	done(&w, 1);
	/* Retried: now the second comes, and only it. */
	change(&w, "addr-add 10.0.0.2/32", "route-add 10.0.0.2/32");
	/* A route that could not be removed keeps its address. */
	want(&w, "");
	s = st(&w);
	n = ann_plan_first(&s, w.ops);
	ck_assert_str_eq(ops_text(w.ops, n),
	    "route-del 10.0.0.1/32 route-del 10.0.0.2/32");
	w.ops[0].err = -1;		/* EPERM */
	done(&w, n);
	s = st(&w);
	ck_assert_str_eq(ops_text(w.ops, ann_plan_second(&s, w.ops)),
	    "addr-del 10.0.0.2/32");
}
END_TEST

static struct ann_route
R(const char *dst, uint8_t plen, uint32_t prio, int oif)
{
	return (struct ann_route){ .dst = A(dst), .plen = plen,
	    .type = RTN_UNICAST, .priority = prio, .oif = oif };
}

START_TEST(plan_resync)
{
	struct ann_route r[] = {
		R("10.0.0.9", 32, 0, 1),	/* stale: not wanted */
		R("10.0.0.1", 32, 0, 1),	/* kept */
		R("10.0.0.1", 32, 5, 1),	/* a second route for it */
		R("10.0.0.0", 24, 0, 1),	/* ours by protocol, not a host route */
		R("10.0.0.2", 32, 0, 7),	/* through another device */
		R("fd00::1", 128, 1024, 1),	/* kept */
	};
	struct lvs_addr want_rt[] = { A("10.0.0.1"), A("10.0.0.2"), A("fd00::1") };
	struct lvs_addr kept[6];
	struct ann_op ops[6];
	size_t nkept, n;

	n = ann_plan_resync(r, 6, want_rt, 3, 1, 0, ANN_ROUTE_DEL, kept, &nkept, ops);
	ck_assert_uint_eq(nkept, 2);
	ck_assert(addr_eq(&kept[0], &want_rt[0]));
	ck_assert(addr_eq(&kept[1], &want_rt[2]));
	ck_assert_str_eq(ops_text(ops, n),
	    "route-del 10.0.0.0/24 route-del 10.0.0.1/32 route-del 10.0.0.2/32 "
	    "route-del 10.0.0.9/32");
	ck_assert_uint_eq(ops[1].priority, 5);	/* deleted by its metric */
	/* Withdrawn (nothing wanted): everything goes. */
	n = ann_plan_resync(r, 6, want_rt, 0, 1, 0, ANN_ROUTE_DEL, kept, &nkept, ops);
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(nkept, 0);
	ck_assert_uint_eq(ann_plan_resync(NULL, 0, want_rt, 3, 1, 0,
	    ANN_ROUTE_DEL, kept, &nkept, ops), 0);
	/* Held local routes: only RTN_LOCAL ones are kept; deletions are
	 * of held addresses. */
	r[1].type = RTN_LOCAL;
	n = ann_plan_resync(r, 6, want_rt, 3, 1, RTN_LOCAL, ANN_ADDR_DEL, kept,
	    &nkept, ops);
	ck_assert_uint_eq(nkept, 1);
	ck_assert(addr_eq(&kept[0], &want_rt[0]));
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(ops[0].kind, ANN_ADDR_DEL);
}
END_TEST

/* A route message as the kernel sends it in a dump. */
static size_t
route_msg(char *buf, int af, uint8_t rtm_table, uint32_t table_attr,
    uint8_t proto, const char *dst, uint8_t plen, uint16_t dst_size)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct rtmsg *rt = NLMSG_DATA(h);
	struct rtattr *a;
	struct lvs_addr d = A(dst);

	memset(buf, 0, 256);
	h->nlmsg_type = RTM_NEWROUTE;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*rt));
	rt->rtm_family = (uint8_t)af;
	rt->rtm_table = rtm_table;
	rt->rtm_protocol = proto;
	rt->rtm_dst_len = plen;
	rt->rtm_type = RTN_UNICAST;
	a = (struct rtattr *)(buf + NLMSG_ALIGN(h->nlmsg_len));
	a->rta_type = RTA_DST;
	a->rta_len = (unsigned short)RTA_LENGTH(dst_size);
	memcpy(RTA_DATA(a), &d.u, dst_size < 16 ? dst_size : 16);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	if (table_attr != 0) {
		a = (struct rtattr *)(buf + h->nlmsg_len);
		a->rta_type = RTA_TABLE;
		a->rta_len = RTA_LENGTH(4);
		memcpy(RTA_DATA(a), &table_attr, 4);
		h->nlmsg_len += RTA_ALIGN(a->rta_len);
	}
	return h->nlmsg_len;
}

START_TEST(parse_route)
{
	char buf[256] __attribute__((aligned(8)));
	struct ann_route r;
	size_t n;

	n = route_msg(buf, AF_INET, 200, 200, 201, "10.0.0.7", 32, 4);
	ck_assert_int_eq(ann_route_parse(buf, n, 200, 201, &r), 1);
	ck_assert(addr_eq(&r.dst, &(struct lvs_addr){ 0 }) == false);
	ck_assert_uint_eq(r.plen, 32);
	ck_assert_int_eq(ann_route_parse(buf, n, 200, 202, &r), 0);
	ck_assert_int_eq(ann_route_parse(buf, n, 100, 201, &r), 0);
	/* Truncated anywhere: malformed, never read past the end. */
	for (size_t k = 0; k < n; k++)
		ck_assert_int_le(ann_route_parse(buf, k, 200, 201, &r), 0);
	ck_assert_int_eq(ann_route_parse(buf, 8, 200, 201, &r), -1);
	/* Table over 255: only in RTA_TABLE (rtm_table says RT_TABLE_COMPAT). */
	n = route_msg(buf, AF_INET6, RT_TABLE_COMPAT, 70000, 201, "fd00::7", 128, 16);
	ck_assert_int_eq(ann_route_parse(buf, n, 70000, 201, &r), 1);
	ck_assert_uint_eq(r.dst.af, AF_INET6);
	/* An address of the wrong size, a prefix too long, a bad family. */
	n = route_msg(buf, AF_INET, 200, 0, 201, "10.0.0.7", 32, 16);
	ck_assert_int_eq(ann_route_parse(buf, n, 200, 201, &r), -1);
	n = route_msg(buf, AF_INET, 200, 0, 201, "10.0.0.7", 33, 4);
	ck_assert_int_eq(ann_route_parse(buf, n, 200, 201, &r), -1);
	n = route_msg(buf, AF_INET, 200, 0, 201, "10.0.0.7", 32, 4);
	((struct rtmsg *)NLMSG_DATA((struct nlmsghdr *)buf))->rtm_family = 7;
	ck_assert_int_eq(ann_route_parse(buf, n, 200, 201, &r), -1);
	/* Another message type: not a route, not an error. */
	((struct nlmsghdr *)buf)->nlmsg_type = NLMSG_DONE;
	ck_assert_int_eq(ann_route_parse(buf, n, 200, 201, &r), 0);
}
END_TEST

START_TEST(parse_extack)
{
	char buf[256] __attribute__((aligned(8)));
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(h);
	struct nlattr *a;
	char out[64];
	const char *msg = "Nexthop device is not up";

	memset(buf, 0, sizeof(buf));
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e->error = -100;
	e->msg.nlmsg_len = 60;		/* the request's size, not included */
	a = (struct nlattr *)(buf + NLMSG_LENGTH(sizeof(*e)));
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = (uint16_t)(NLA_HDRLEN + strlen(msg) + 1);
	memcpy(a + 1, msg, strlen(msg) + 1);
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*e)) + NLA_ALIGN(a->nla_len);
	ann_extack_text(buf, h->nlmsg_len, out, sizeof(out));
	ck_assert_str_eq(out, msg);
	ann_extack_text(buf, h->nlmsg_len, out, 8);	/* cut */
	ck_assert_str_eq(out, "Nexthop");
	ann_extack_text(buf, h->nlmsg_len - 8, out, sizeof(out));
	ck_assert_str_eq(out, "");		/* the message is cut short */
	h->nlmsg_flags = NLM_F_CAPPED;		/* no TLVs */
	ann_extack_text(buf, h->nlmsg_len, out, sizeof(out));
	ck_assert_str_eq(out, "");
	/* Uncapped: the request (claiming to be huge) comes first. */
	h->nlmsg_flags = NLM_F_ACK_TLVS;
	e->msg.nlmsg_len = 4000;
	ann_extack_text(buf, h->nlmsg_len, out, sizeof(out));
	ck_assert_str_eq(out, "");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vrrp_announce");
	TCase *t = tcase_create("core");

	tcase_add_test(t, sets);
	tcase_add_test(t, plan_minimal);
	tcase_add_test(t, plan_withdraw);
	tcase_add_test(t, plan_failures);
	tcase_add_test(t, plan_resync);
	tcase_add_test(t, parse_route);
	tcase_add_test(t, parse_extack);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
