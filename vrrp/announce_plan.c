/*
 * The plan of a change to the announced routes and held addresses: pure
 * functions over sorted sets, so the order that keeps traffic safe (no
 * route without its address; routes withdrawn before anything else) is
 * unit-tested without a kernel.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "vrrp/announce_priv.h"

static int
cmp_addr(const void *a, const void *b)
{
	return addr_cmp(a, b);
}

size_t
addrset_normalize(struct lvs_addr *a, size_t n)
{
	size_t k = 0;

	if (n == 0)
		return 0;
	qsort(a, n, sizeof(*a), cmp_addr);
	for (size_t i = 1; i < n; i++)
		if (addr_cmp(&a[i], &a[k]) != 0)
			a[++k] = a[i];
	return k + 1;
}

bool
addrset_has(const struct lvs_addr *a, size_t n, const struct lvs_addr *x)
{
	return n > 0 && bsearch(x, a, n, sizeof(*a), cmp_addr) != NULL;
}

size_t
addrset_minus(const struct lvs_addr *a, size_t na, const struct lvs_addr *b,
    size_t nb, struct lvs_addr *out)
{
	size_t i = 0, j = 0, k = 0;

	while (i < na) {
		int c = j < nb ? addr_cmp(&a[i], &b[j]) : -1;

		if (c < 0)
			out[k++] = a[i++];
		else if (c > 0)
			j++;
		else
			i++, j++;
	}
	return k;
}

size_t
addrset_union(const struct lvs_addr *a, size_t na, const struct lvs_addr *b,
    size_t nb, struct lvs_addr *out)
{
	size_t i = 0, j = 0, k = 0;

	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : addr_cmp(&a[i], &b[j]);

		if (c <= 0)
			out[k++] = a[i];
		else
			out[k++] = b[j];
		i += c <= 0;
		j += c >= 0;
	}
	return k;
}

static struct ann_op *
op_init(struct ann_op *op, enum ann_op_kind kind, const struct lvs_addr *a)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->addr = *a;
	op->plen = (uint8_t)addr_max_prefix(a->af);
	return op;
}

/* Appends one op of kind per element of a \ b (and not in c, if given). */
static size_t
plan_minus(enum ann_op_kind kind, const struct lvs_addr *a, size_t na,
    const struct lvs_addr *b, size_t nb, const struct lvs_addr *c, size_t nc,
    struct ann_op *ops)
{
	size_t k = 0, i = 0, j = 0;

	for (; i < na; i++) {
		while (j < nb && addr_cmp(&b[j], &a[i]) < 0)
			j++;
		if (j < nb && addr_cmp(&b[j], &a[i]) == 0)
			continue;
		if (c != NULL && addrset_has(c, nc, &a[i]))
			continue;
		op_init(&ops[k++], kind, &a[i]);
	}
	return k;
}

size_t
ann_plan_first(const struct ann_state *s, struct ann_op *ops)
{
	size_t k;

	k = plan_minus(ANN_ROUTE_DEL, s->routed, s->nrouted, s->want_rt,
	    s->nwant_rt, NULL, 0, ops);
	k += plan_minus(ANN_ADDR_ADD, s->want, s->nwant, s->held, s->nheld,
	    NULL, 0, ops + k);
	return k;
}

size_t
ann_plan_second(const struct ann_state *s, struct ann_op *ops)
{
	size_t k = 0;

	/* Only for addresses held: a route without its address would draw
	 * traffic this director then drops (or loops back). */
	for (size_t i = 0; i < s->nwant_rt; i++)
		if (addrset_has(s->held, s->nheld, &s->want_rt[i]) &&
		    !addrset_has(s->routed, s->nrouted, &s->want_rt[i]))
			op_init(&ops[k++], ANN_ROUTE_ADD, &s->want_rt[i]);
	/* An address whose route could not be removed stays. */
	k += plan_minus(ANN_ADDR_DEL, s->held, s->nheld, s->want, s->nwant,
	    s->routed, s->nrouted, ops + k);
	return k;
}

static bool
route_is_ours_kept(const struct ann_route *r, const struct lvs_addr *want,
    size_t nwant, int ifindex, uint8_t type)
{
	return r->plen == addr_max_prefix(r->dst.af) && r->oif == ifindex &&
	    (type == 0 || r->type == type) && addrset_has(want, nwant, &r->dst);
}

static int
cmp_route(const void *pa, const void *pb)
{
	const struct ann_route *a = pa, *b = pb;
	int c = addr_cmp(&a->dst, &b->dst);

	if (c != 0)
		return c;
	return a->priority < b->priority ? -1 : a->priority > b->priority;
}

size_t
ann_plan_resync(const struct ann_route *r, size_t n,
    const struct lvs_addr *want, size_t nwant, int ifindex, uint8_t type,
    enum ann_op_kind del, struct lvs_addr *kept, size_t *nkept,
    struct ann_op *ops)
{
	struct ann_route *s = xcalloc(n ? n : 1, sizeof(*s));
	size_t k = 0, m = 0;

	/* Sorted by address, the routes kept come out sorted, and of two
	 * routes for one address (metrics differ) the first is kept. */
	if (n > 0)
		memcpy(s, r, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_route);
	for (size_t i = 0; i < n; i++) {
		if (route_is_ours_kept(&s[i], want, nwant, ifindex, type) &&
		    (m == 0 || addr_cmp(&kept[m - 1], &s[i].dst) != 0)) {
			kept[m++] = s[i].dst;
			continue;
		}
		struct ann_op *op = op_init(&ops[k++], del, &s[i].dst);
		op->plen = s[i].plen;
		op->type = s[i].type;
		op->priority = s[i].priority;
	}
	free(s);
	*nkept = m;
	return k;
}
