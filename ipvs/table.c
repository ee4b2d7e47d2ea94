#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/priv.h"
#include "lib/xalloc.h"

/*
 * Tables keep services in a list (insertion order, so applies and logs
 * are deterministic) plus two chained hash maps: services by key, and
 * destinations by (service key, address, port).  The maps grow by
 * doubling, and ipvs_table_new pre-sizes them so a 10 000-service load
 * never rehashes.
 */

void
ipvs_service_init(struct ipvs_service *svc, sa_family_t af)
{
	memset(svc, 0, sizeof(*svc));
	svc->af = af;
	svc->addr.af = af;
	svc->protocol = IPPROTO_TCP;
	strcpy(svc->sched, "wlc");
	svc->netmask_plen = addr_max_prefix(af);
}

void
ipvs_dest_init(struct ipvs_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->fwd = IPVS_FWD_MASQ;
	d->weight = 1;
}

static uint32_t
mix(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x01000193u;		/* FNV prime; then spread the bits */
	h ^= h >> 15;
	return h;
}

static uint32_t
mix_addr(uint32_t h, const struct lvs_addr *a)
{
	uint32_t w[4] = { 0 };
	memcpy(w, &a->u, addr_len(a));
	h = mix(h, a->af);
	for (int i = 0; i < 4; i++)
		h = mix(h, w[i]);
	return h;
}

static uint32_t
svc_hash(const struct ipvs_service *s)
{
	uint32_t h = mix(0x811c9dc5u, s->af);
	if (s->fwmark != 0)
		return mix(h, s->fwmark);
	h = mix(h, s->protocol);
	h = mix(h, s->port);
	return mix_addr(h, &s->addr);
}

static uint32_t
dst_hash(uint32_t svch, const struct lvs_addr *a, uint16_t port)
{
	return mix_addr(mix(svch, port), a);
}

bool
ipvs_service_key_eq(const struct ipvs_service *a, const struct ipvs_service *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark != 0)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	    addr_eq(&a->addr, &b->addr);
}

bool
ipvs_service_attrs_eq(const struct ipvs_service *a, const struct ipvs_service *b)
{
	return strcmp(a->sched, b->sched) == 0 &&
	    strcmp(a->pe_name, b->pe_name) == 0 && a->flags == b->flags &&
	    a->timeout == b->timeout && a->netmask_plen == b->netmask_plen;
}

bool
ipvs_dest_attrs_eq(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	if (a->fwd != b->fwd || a->weight != b->weight ||
	    a->u_thresh != b->u_thresh || a->l_thresh != b->l_thresh)
		return false;
	if (a->fwd != IPVS_FWD_TUNNEL)
		return true;
	return a->tun_type == b->tun_type && a->tun_port == b->tun_port &&
	    a->tun_flags == b->tun_flags;
}

/* Rejects what the kernel would reject anyway, with a clearer errno. */
int
ipvs_service_check(const struct ipvs_service *svc)
{
	if (svc->af != AF_INET && svc->af != AF_INET6)
		return -1;
	if (svc->fwmark == 0) {
		if (svc->addr.af != svc->af)
			return -1;
		if (svc->protocol != IPPROTO_TCP && svc->protocol != IPPROTO_UDP &&
		    svc->protocol != IPPROTO_SCTP)
			return -1;
	}
	if (svc->sched[0] == '\0' || memchr(svc->sched, '\0', sizeof(svc->sched)) == NULL)
		return -1;
	if (memchr(svc->pe_name, '\0', sizeof(svc->pe_name)) == NULL)
		return -1;
	if (svc->netmask_plen > addr_max_prefix(svc->af) ||
	    (svc->af == AF_INET6 && svc->netmask_plen == 0))
		return -1;
	return 0;
}

static size_t
pow2_at_least(size_t n)
{
	size_t p = 16;
	while (p < n)
		p <<= 1;
	return p;
}

struct ipvs_table *
ipvs_table_new(size_t size_hint)
{
	struct ipvs_table *t = xcalloc(1, sizeof(*t));
	TAILQ_INIT(&t->svcs);
	t->nsb = pow2_at_least(size_hint);
	t->sb = xcalloc(t->nsb, sizeof(*t->sb));
	t->ndb = pow2_at_least(size_hint * 4);
	t->db = xcalloc(t->ndb, sizeof(*t->db));
	return t;
}

void
ipvs_dst_free(struct ipvs_dst *d)
{
	if (d == NULL)
		return;
	free(d->label);
	free(d);
}

void
ipvs_svc_free(struct ipvs_svc *s)
{
	struct ipvs_dst *d;

	if (s == NULL)
		return;
	while ((d = TAILQ_FIRST(&s->dests)) != NULL) {
		TAILQ_REMOVE(&s->dests, d, entry);
		ipvs_dst_free(d);
	}
	free(s->label);
	free(s);
}

void
ipvs_table_free(struct ipvs_table *t)
{
	struct ipvs_svc *s;

	if (t == NULL)
		return;
	while ((s = TAILQ_FIRST(&t->svcs)) != NULL) {
		TAILQ_REMOVE(&t->svcs, s, entry);
		ipvs_svc_free(s);
	}
	free(t->sb);
	free(t->db);
	free(t);
}

void
ipvs_set_label(char **slot, const char *label)
{
	if (label == NULL && *slot == NULL)
		return;
	if (label != NULL && *slot != NULL && strcmp(label, *slot) == 0)
		return;
	free(*slot);
	*slot = label != NULL ? xstrdup(label) : NULL;
}

static void
grow_svc_map(struct ipvs_table *t)
{
	size_t n = t->nsb * 2;
	struct ipvs_svc **nb = xcalloc(n, sizeof(*nb));
	struct ipvs_svc *s;

	TAILQ_FOREACH(s, &t->svcs, entry) {
		s->hnext = nb[s->hash & (n - 1)];
		nb[s->hash & (n - 1)] = s;
	}
	free(t->sb);
	t->sb = nb;
	t->nsb = n;
}

static void
grow_dst_map(struct ipvs_table *t)
{
	size_t n = t->ndb * 2;
	struct ipvs_dst **nb = xcalloc(n, sizeof(*nb));
	struct ipvs_svc *s;
	struct ipvs_dst *d;

	TAILQ_FOREACH(s, &t->svcs, entry) {
		TAILQ_FOREACH(d, &s->dests, entry) {
			d->hnext = nb[d->hash & (n - 1)];
			nb[d->hash & (n - 1)] = d;
		}
	}
	free(t->db);
	t->db = nb;
	t->ndb = n;
}

struct ipvs_svc *
ipvs_table_find_service(const struct ipvs_table *t, const struct ipvs_service *key)
{
	uint32_t h = svc_hash(key);
	struct ipvs_svc *s;

	for (s = t->sb[h & (t->nsb - 1)]; s != NULL; s = s->hnext)
		if (s->hash == h && ipvs_service_key_eq(&s->conf, key))
			return s;
	return NULL;
}

struct ipvs_dst *
ipvs_table_find_dest(const struct ipvs_table *t, const struct ipvs_svc *s,
    const struct lvs_addr *addr, uint16_t port)
{
	uint32_t h = dst_hash(s->hash, addr, port);
	struct ipvs_dst *d;

	for (d = t->db[h & (t->ndb - 1)]; d != NULL; d = d->hnext)
		if (d->hash == h && d->svc == s && d->conf.port == port &&
		    addr_eq(&d->conf.addr, addr))
			return d;
	return NULL;
}

struct ipvs_svc *
ipvs_table_add_service(struct ipvs_table *t, const struct ipvs_service *svc,
    const char *label)
{
	if (ipvs_service_check(svc) == -1) {
		errno = EINVAL;
		return NULL;
	}
	if (ipvs_table_find_service(t, svc) != NULL) {
		errno = EEXIST;
		return NULL;
	}
	struct ipvs_svc *s = xcalloc(1, sizeof(*s));
	s->conf = *svc;
	if (svc->fwmark != 0) {
		/* The kernel ignores these for fwmark services; so do keys. */
		s->conf.protocol = 0;
		s->conf.port = 0;
		memset(&s->conf.addr, 0, sizeof(s->conf.addr));
		s->conf.addr.af = svc->af;
	}
	ipvs_set_label(&s->label, label);
	TAILQ_INIT(&s->dests);
	s->hash = svc_hash(&s->conf);
	if (t->nsvc >= t->nsb)
		grow_svc_map(t);
	s->hnext = t->sb[s->hash & (t->nsb - 1)];
	t->sb[s->hash & (t->nsb - 1)] = s;
	TAILQ_INSERT_TAIL(&t->svcs, s, entry);
	t->nsvc++;
	return s;
}

struct ipvs_dst *
ipvs_table_add_dest(struct ipvs_table *t, struct ipvs_svc *s,
    const struct ipvs_dest *dest, const char *label)
{
	if ((dest->addr.af != AF_INET && dest->addr.af != AF_INET6) ||
	    dest->weight < 0 || (unsigned)dest->fwd > IPVS_FWD_ROUTE ||
	    dest->tun_type > IPVS_TUN_GRE) {
		errno = EINVAL;
		return NULL;
	}
	/*
	 * Direct routing and tunnelling cannot change the port: packets
	 * reach the real server with the service's.  Store what ipvsadm
	 * would (and what a dump shows), or every resync would see a
	 * difference.
	 */
	uint16_t port = dest->port;
	if (s->conf.fwmark == 0 && dest->fwd != IPVS_FWD_MASQ &&
	    dest->fwd != IPVS_FWD_LOCAL)
		port = s->conf.port;
	if (ipvs_table_find_dest(t, s, &dest->addr, port) != NULL) {
		errno = EEXIST;
		return NULL;
	}
	struct ipvs_dst *d = xcalloc(1, sizeof(*d));
	d->conf = *dest;
	d->svc = s;
	d->conf.port = port;
	ipvs_set_label(&d->label, label);
	d->hash = dst_hash(s->hash, &dest->addr, port);
	if (t->ndst >= t->ndb)
		grow_dst_map(t);
	d->hnext = t->db[d->hash & (t->ndb - 1)];
	t->db[d->hash & (t->ndb - 1)] = d;
	TAILQ_INSERT_TAIL(&s->dests, d, entry);
	s->ndests++;
	t->ndst++;
	return d;
}

struct ipvs_svc *
ipvs_table_add_copy(struct ipvs_table *t, const struct ipvs_svc *s)
{
	struct ipvs_svc *c = ipvs_table_add_service(t, &s->conf, s->label);
	const struct ipvs_dst *d;
	if (c != NULL)
		TAILQ_FOREACH(d, &s->dests, entry)
			(void)ipvs_table_add_dest(t, c, &d->conf, d->label);
	return c;
}

struct ipvs_table *
ipvs_table_copy(const struct ipvs_table *src)
{
	struct ipvs_table *t = ipvs_table_new(src->nsvc);
	const struct ipvs_svc *s;
	TAILQ_FOREACH(s, &src->svcs, entry) {
		struct ipvs_svc *c = ipvs_table_add_copy(t, s);
		if (c != NULL)
			c->managed = s->managed;
	}
	return t;
}

void
ipvs_table_unlink_dest(struct ipvs_table *t, struct ipvs_dst *d)
{
	struct ipvs_dst **pp = &t->db[d->hash & (t->ndb - 1)];

	while (*pp != d)
		pp = &(*pp)->hnext;
	*pp = d->hnext;
	TAILQ_REMOVE(&d->svc->dests, d, entry);
	d->svc->ndests--;
	t->ndst--;
}

void
ipvs_table_unlink_service(struct ipvs_table *t, struct ipvs_svc *s)
{
	struct ipvs_svc **pp = &t->sb[s->hash & (t->nsb - 1)];
	struct ipvs_dst *d;

	/* The dests stay on s->dests, only leaving the table's map. */
	TAILQ_FOREACH(d, &s->dests, entry) {
		struct ipvs_dst **dp = &t->db[d->hash & (t->ndb - 1)];
		while (*dp != d)
			dp = &(*dp)->hnext;
		*dp = d->hnext;
		t->ndst--;
	}
	while (*pp != s)
		pp = &(*pp)->hnext;
	*pp = s->hnext;
	TAILQ_REMOVE(&t->svcs, s, entry);
	t->nsvc--;
}

void
ipvs_table_del_service(struct ipvs_table *t, struct ipvs_svc *s)
{
	ipvs_table_unlink_service(t, s);
	ipvs_svc_free(s);
}

size_t
ipvs_table_nservices(const struct ipvs_table *t)
{
	return t->nsvc;
}

size_t
ipvs_table_ndests(const struct ipvs_table *t)
{
	return t->ndst;
}

struct ipvs_svc *
ipvs_table_next(const struct ipvs_table *t, const struct ipvs_svc *prev)
{
	return prev == NULL ? TAILQ_FIRST(&t->svcs) : TAILQ_NEXT(prev, entry);
}

struct ipvs_dst *
ipvs_svc_next_dest(const struct ipvs_svc *s, const struct ipvs_dst *prev)
{
	return prev == NULL ? TAILQ_FIRST(&s->dests) : TAILQ_NEXT(prev, entry);
}

const struct ipvs_service *
ipvs_svc_conf(const struct ipvs_svc *s)
{
	return &s->conf;
}

const char *
ipvs_svc_label(const struct ipvs_svc *s)
{
	return s->label != NULL ? s->label : "";
}

const struct ipvs_dest *
ipvs_dst_conf(const struct ipvs_dst *d)
{
	return &d->conf;
}

const char *
ipvs_dst_label(const struct ipvs_dst *d)
{
	return d->label != NULL ? d->label : "";
}

static const char *
proto_name(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_SCTP:
		return "sctp";
	default:
		return "proto?";
	}
}

const char *
ipvs_service_fmt(const struct ipvs_service *svc, char *buf)
{
	char ap[LVS_ADDRPORTSTRLEN];

	if (svc->fwmark != 0)
		snprintf(buf, IPVS_SVCSTRLEN, "fwmark %u%s", svc->fwmark,
		    svc->af == AF_INET6 ? " (inet6)" : "");
	else
		snprintf(buf, IPVS_SVCSTRLEN, "%s %s", proto_name(svc->protocol),
		    addr_port_fmt(&svc->addr, svc->port, ap));
	return buf;
}
