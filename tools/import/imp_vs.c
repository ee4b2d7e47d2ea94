/*
 * virtual_server blocks (by address, fwmark or virtual_server_group):
 * the service keys, then one lvs.cf `virtual` per service, each with the
 * same real servers, as keepalived programs one IPVS service per address
 * of a group.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xalloc.h"
#include "tools/import/imp_vs.h"
#include "tools/import/imp_words.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_RANGE 256		/* addresses one group entry may name */

/* One IPVS service a virtual_server stands for. */
struct svc {
	struct lvs_addr addr;		/* unset for fwmark */
	int64_t port;			/* -1: none given (port 0) */
	uint32_t fwmark;
	sa_family_t fwmark_af;		/* AF_UNSPEC: from the servers */
	struct kc_loc loc;
};

struct svcs {
	struct svc *v;
	size_t n;
};

static void
svc_add(struct svcs *s, const struct svc *one)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = *one;
}

/* "A-B" (last part of A replaced by B), "A-A'", "A/len": the addresses. */
static bool
expand_range(struct imp_ctx *c, const struct kc_word *w, int64_t port,
    struct svcs *out)
{
	const char *t = w->text, *dash = strchr(t, '-'), *slash = strchr(t, '/');
	struct lvs_addr lo, hi, tmp;
	char *first = xstrndup(t, (size_t)((dash ? dash : slash) - t));
	struct kc_word fw = { first, w->loc, false };
	bool ok = imp_addr_word(c->d, &fw, &lo);
	free(first);
	if (!ok)
		return false;
	size_t len = addr_len(&lo);
	hi = lo;
	if (slash != NULL) {
		int plen;
		if (!imp_prefix_word(c->d, w, &lo, &plen))
			return false;
		for (size_t b = (size_t)plen; b < len * 8; b++) {
			uint8_t *p = (uint8_t *)&hi.u + b / 8;
			*p |= (uint8_t)(0x80 >> (b % 8));
		}
	} else if (addr_parse(dash + 1, &tmp) == 0)
		hi = tmp;
	else {
		/* the last part only: decimal for IPv4, hex for IPv6 */
		char *end;
		unsigned long v = strtoul(dash + 1, &end, lo.af == AF_INET ? 10 : 16);
		if (*end != '\0' || end == dash + 1 ||
		    v > (lo.af == AF_INET ? 255ul : 65535ul)) {
			imp_invalid(c->d, &w->loc, "expected an address range "
			    "such as 10.0.0.1-10, found `%s`", t);
			return false;
		}
		uint8_t *p = (uint8_t *)&hi.u;
		if (lo.af == AF_INET)
			p[3] = (uint8_t)v;
		else {
			p[14] = (uint8_t)(v >> 8);
			p[15] = (uint8_t)v;
		}
	}
	if (hi.af != lo.af || addr_cmp(&lo, &hi) > 0) {
		imp_invalid(c->d, &w->loc, "`%s`: the range ends before it "
		    "starts", t);
		return false;
	}
	for (size_t n = 0;; n++) {
		if (n == MAX_RANGE) {
			imp_loss(c->d, &w->loc, "`%s` names more than %d "
			    "addresses: write one virtual_server per service "
			    "(lvs.cf has no groups)", t, MAX_RANGE);
			return false;
		}
		svc_add(out, &(struct svc){ .addr = lo, .port = port,
		    .loc = w->loc });
		if (addr_eq(&lo, &hi))
			return true;
		uint8_t *p = (uint8_t *)&lo.u;
		for (size_t i = len; i-- > 0 && ++p[i] == 0;)
			;
	}
}

static bool
parse_fwmark(struct imp_ctx *c, const struct kc_node *n, size_t i,
    struct svcs *out)
{
	uint32_t mark;
	if (i + 1 >= n->nw) {
		imp_invalid(c->d, &n->w[i].loc, "`fwmark` needs a mark number");
		return false;
	}
	if (!imp_uint_word(c->d, &n->w[i + 1], 1, UINT32_MAX, &mark))
		return false;
	struct svc s = { .port = -1, .fwmark = mark, .loc = n->w[i].loc };
	if (i + 2 < n->nw) {
		const char *f = n->w[i + 2].text;
		if (strcmp(f, "inet") == 0)
			s.fwmark_af = AF_INET;
		else if (strcmp(f, "inet6") == 0)
			s.fwmark_af = AF_INET6;
		else {
			imp_invalid(c->d, &n->w[i + 2].loc, "expected inet or "
			    "inet6, found `%s`", f);
			return false;
		}
	}
	svc_add(out, &s);
	return true;
}

/* One line of a virtual_server_group, or the head of a virtual_server. */
static bool
parse_service(struct imp_ctx *c, const struct kc_node *n, size_t i,
    struct svcs *out)
{
	if (strcmp(n->w[i].text, "fwmark") == 0)
		return parse_fwmark(c, n, i, out) && (n->nw <= i + 3 ||
		    (imp_invalid(c->d, &n->w[i + 3].loc, "unexpected `%s`",
		    n->w[i + 3].text), false));
	uint32_t port = 0;
	if (n->nw > i + 2) {
		imp_invalid(c->d, &n->w[i + 2].loc, "unexpected `%s` after the "
		    "port", n->w[i + 2].text);
		return false;
	}
	if (n->nw > i + 1 && !imp_port_word(c->d, &n->w[i + 1], &port))
		return false;
	int64_t p = n->nw > i + 1 ? (int64_t)port : -1;
	const char *t = n->w[i].text;
	if (strchr(t, '/') != NULL || (strchr(t, '-') != NULL))
		return expand_range(c, &n->w[i], p, out);
	struct svc s = { .port = p, .loc = n->w[i].loc };
	if (!imp_addr_word(c->d, &n->w[i], &s.addr))
		return false;
	svc_add(out, &s);
	return true;
}

static const struct kc_node *
find_group(const struct imp_ctx *c, const char *name)
{
	const struct kc_node *root = &c->doc->root;
	for (size_t i = 0; i < root->nkids; i++)
		if (strcmp(kc_key(&root->kids[i]), "virtual_server_group") == 0 &&
		    root->kids[i].nw > 1 && strcmp(root->kids[i].w[1].text, name) == 0)
			return &root->kids[i];
	return NULL;
}

static bool
parse_head(struct imp_ctx *c, const struct kc_node *n, struct svcs *out)
{
	if (n->nw < 2) {
		imp_invalid(c->d, &n->w[0].loc, "`virtual_server` needs an "
		    "address and port, `fwmark N` or `group NAME`");
		return false;
	}
	if (strcmp(n->w[1].text, "group") != 0)
		return parse_service(c, n, 1, out);
	if (!imp_nargs(c->d, n, 2, 2))
		return false;
	const struct kc_node *g = find_group(c, n->w[2].text);
	if (g == NULL) {
		imp_invalid(c->d, &n->w[2].loc, "no virtual_server_group `%s`",
		    n->w[2].text);
		return false;
	}
	imp_note(c->d, &n->w[1].loc, "lvs.cf has no virtual_server_group: "
	    "each of `%s`'s %zu entries becomes a virtual service with the "
	    "same real servers (and checks of its own)", n->w[2].text,
	    g->nkids);
	bool ok = true;
	for (size_t i = 0; i < g->nkids; i++)
		ok &= parse_service(c, &g->kids[i], 0, out);
	return ok;
}

/* ---- the service's keys ---------------------------------------------------- */

struct vs_state {
	struct out_block *v;
	struct imp_timing t;
	struct imp_method m, sorry_m;
	sa_family_t ip_family;
	const char *protocol;		/* NULL: none given (UDP) */
	bool sorry_port0;		/* the sorry server has no port */
};

static void
v_sched(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	static const char *const scheds[] = { "rr", "wrr", "lc", "wlc",
	    "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh",
	    "twos" };
	struct vs_state *s = obj;
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	for (size_t i = 0; i < NELEMS(scheds); i++)
		if (strcmp(n->w[1].text, scheds[i]) == 0) {
			out_set(s->v, "scheduler", "%s", scheds[i]);
			return;
		}
	imp_invalid(c->d, &n->w[1].loc, "`%s`: unknown scheduler `%s`",
	    kc_key(n), n->w[1].text);
}

static void
v_method(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct vs_state *s = obj;
	imp_parse_method(c, n, strncmp(kc_key(n), "sorry", 5) == 0 ?
	    &s->sorry_m : &s->m);
}

static void
v_persist(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct vs_state *s = obj;
	uint32_t v = 360;	/* keepalived: six minutes without a value */
	if (!imp_nargs(c->d, n, 0, 1) ||
	    (n->nw > 1 && !imp_uint_word(c->d, &n->w[1], 0, 86400 * 31, &v)))
		return;
	out_set(s->v, "persistent", "%u", v);
}

static void
v_granularity(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct vs_state *s = obj;
	unsigned plen;
	bool dotted;
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	if (netmask_parse(n->w[1].text, 128, &plen, &dotted) < 0) {
		imp_invalid(c->d, &n->w[1].loc, "`persistence_granularity`: "
		    "expected a netmask, found `%s`", n->w[1].text);
		return;
	}
	out_set(s->v, "pmask", "%s", n->w[1].text);
}

static void
v_engine(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct vs_state *s = obj;
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	if (strcmp(n->w[1].text, "sip") == 0)
		out_set(s->v, "persistence_engine", "sip");
	else
		imp_loss(c->d, &n->w[1].loc, "lvs.cf knows the `sip` "
		    "persistence engine only, not `%s`", n->w[1].text);
}

static void
v_protocol(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct vs_state *s = obj;
	static const char *const p[] = { "tcp", "udp", "sctp" };
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	for (size_t i = 0; i < 3; i++)
		if (strcasecmp(n->w[1].text, p[i]) == 0) {
			s->protocol = p[i];
			return;
		}
	imp_invalid(c->d, &n->w[1].loc, "`protocol`: expected TCP, UDP or "
	    "SCTP, found `%s`", n->w[1].text);
}

static void
v_flag(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct vs_state *s = obj;
	const char *k = kc_key(n);
	if (!imp_nargs(c->d, n, 0, 0))
		return;
	if (strcmp(k, "ops") == 0)
		out_set(s->v, "one_packet", "1");
	else if (strstr(k, "fallback") != NULL || strcmp(k, "flag-1") == 0)
		out_set(s->v, "hash_fallback", "1");
	else
		out_set(s->v, "hash_port", "1");
}

static void
v_timing(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct vs_state *s = obj;
	imp_timing_keyword(c, n, &s->t);
}

static void
v_quorum(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	uint32_t v;
	bool q = strcmp(kc_key(n), "quorum") == 0;
	if (imp_uint_arg(c->d, n, 0, UINT32_MAX, &v) && v != (q ? 1u : 0u))
		imp_loss(c->d, &n->w[0].loc, "lvs.cf has no quorum: the service "
		    "stays while any real server is up (then the sorry "
		    "server); `%s %u` cannot be expressed", kc_key(n), v);
}

static void
v_sorry(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct vs_state *s = obj;
	struct lvs_addr a;
	uint32_t port = 0;
	char buf[LVS_ADDRPORTSTRLEN];
	if (!imp_nargs(c->d, n, 1, 2) || !imp_addr_word(c->d, &n->w[1], &a) ||
	    (n->nw > 2 && !imp_port_word(c->d, &n->w[2], &port)))
		return;
	if (n->nw > 2 && port != 0)
		out_set(s->v, "sorry_server", "%s", addr_port_fmt(&a,
		    (uint16_t)port, buf));
	else
		out_set(s->v, "sorry_server", "%s", addr_fmt(&a, buf));
	s->sorry_m.loc = n->w[0].loc;
	s->sorry_port0 = n->nw <= 2 || port == 0;
}

static void
v_family(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct vs_state *s = obj;
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	if (strcmp(n->w[1].text, "inet") == 0 || strcmp(n->w[1].text, "inet6") == 0)
		s->ip_family = n->w[1].text[4] ? AF_INET6 : AF_INET;
	else
		imp_invalid(c->d, &n->w[1].loc, "`ip_family`: expected inet "
		    "or inet6, found `%s`", n->w[1].text);
}

static void
v_skip(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)c, (void)n, (void)obj;	/* mapped in a second pass */
}

#define V(k, f) { k, f, 0, NULL }
#define QUORUM_LOSS "lvs.cf has no quorum and runs no command for it: " \
	"`%s` cannot be expressed"
static const struct imp_kw vs_keys[] = {
	V("lvs_sched", v_sched), V("lb_algo", v_sched),
	V("lvs_method", v_method), V("lb_kind", v_method),
	V("sorry_server_lvs_method", v_method),
	V("persistence_timeout", v_persist),
	V("persistence_granularity", v_granularity),
	V("persistence_engine", v_engine), V("protocol", v_protocol),
	V("ops", v_flag), V("flag-1", v_flag), V("flag-2", v_flag),
	V("sh-fallback", v_flag), V("sh-port", v_flag),
	V("mh-fallback", v_flag), V("mh-port", v_flag),
	V("delay_loop", v_timing), V("connect_timeout", v_timing),
	V("retry", v_timing), V("delay_before_retry", v_timing),
	V("warmup", v_timing), V("alpha", v_timing),
	V("inhibit_on_failure", v_timing), V("virtualhost", v_timing),
	V("quorum", v_quorum), V("hysteresis", v_quorum),
	V("sorry_server", v_sorry), V("ip_family", v_family),
	V("real_server", v_skip),
	{ "flag-3", NULL, IMP_LOSS, "lvs.cf has no scheduler flag 3: `%s` "
	    "cannot be expressed" },
	{ "quorum_up", NULL, IMP_LOSS, QUORUM_LOSS },
	{ "quorum_down", NULL, IMP_LOSS, QUORUM_LOSS },
	{ "omega", NULL, IMP_NOTE, "`%s`: lvsd runs no quorum or real server "
	    "commands at shutdown" },
	{ "sorry_server_inhibit", NULL, IMP_LOSS, "lvsd removes the sorry "
	    "server once a real server is back: `%s` (weight 0 instead) "
	    "cannot be expressed" },
	{ "ha_suspend", NULL, IMP_NOTE, "`%s`: lvsd checks the real servers on "
	    "both directors, with or without the virtual address" },
	{ "smtp_alert", NULL, IMP_NOTE, IMP_WHY_MAIL },
	{ "snmp_name", NULL, IMP_NOTE, IMP_WHY_SNMP },
};

/* ---- one `virtual` per service ------------------------------------------- */

static sa_family_t
servers_family(const struct out_block *v)
{
	for (size_t i = 0; i < v->nkids; i++) {
		struct lvs_addr a;
		const char *t = out_get(&v->kids[i], "address");
		if (t != NULL && addr_parse(t, &a) == 0)
			return a.af;
	}
	return AF_UNSPEC;
}

static void
check_sorry(struct imp_ctx *c, const struct vs_state *s)
{
	if (out_get(s->v, "sorry_server") == NULL)
		return;
	const struct imp_method *m = s->sorry_m.network ? &s->sorry_m : &s->m;
	if (m->network != NULL && strcmp(m->network, "nat") != 0)
		imp_loss(c->d, &s->sorry_m.loc, "lvsd forwards to a sorry server "
		    "by NAT; keepalived would use %s here", m->network);
	else if (s->sorry_port0)
		imp_loss(c->d, &s->sorry_m.loc, "a NAT sorry server without a "
		    "port: keepalived gives it port 0, lvsd the service's port; "
		    "write the port");
}

/* Flags lvs.cf (as the kernel) ties to a protocol or a scheduler. */
static void
check_flags(struct imp_ctx *c, struct imp_virtual *iv, const char *proto,
    const struct kc_loc *at)
{
	struct out_block *v = &iv->blk;
	const char *sched = out_get(v, "scheduler");
	bool hashing = sched && (!strcmp(sched, "sh") || !strcmp(sched, "mh"));
	if (out_get(v, "one_packet") && strcmp(proto, "udp") && iv->fwmark == 0) {
		imp_note(c->d, at, "`ops` applies to UDP services: keepalived "
		    "ignores it on %s ones, so does lvs.cf", proto);
		out_unset(v, "one_packet");
	}
	if (!hashing && (out_get(v, "hash_port") || out_get(v, "hash_fallback"))) {
		imp_loss(c->d, at, "lvs.cf's scheduler flags apply to the sh and "
		    "mh schedulers only, not `%s`", sched ? sched : "wlc");
		out_unset(v, "hash_port");
		out_unset(v, "hash_fallback");
	}
	if (out_get(v, "persistence_engine") && !out_get(v, "persistent")) {
		imp_loss(c->d, at, "a persistence engine needs "
		    "`persistence_timeout`");
		out_unset(v, "persistence_engine");
	}
}

/* Address families and masks as lvs.cf (and the kernel) need them. */
static void
check_families(struct imp_ctx *c, struct imp_virtual *iv, const struct kc_loc *at)
{
	struct out_block *v = &iv->blk;
	const char *pm = out_get(v, "pmask"), *sorry = out_get(v, "sorry_server");
	unsigned plen;
	bool dotted;
	if (pm != NULL && (netmask_parse(pm, addr_max_prefix(iv->af), &plen,
	    &dotted) < 0 || (dotted && iv->af == AF_INET6)))
		imp_invalid(c->d, at, "`persistence_granularity %s` does not fit "
		    "an IPv%c service", pm, iv->af == AF_INET6 ? '6' : '4');
	size_t colons = 0;
	for (const char *p = sorry; p && *p; p++)
		colons += *p == ':';
	if (sorry != NULL && (sorry[0] == '[' || colons > 1 ? AF_INET6 :
	    AF_INET) != iv->af)
		imp_invalid(c->d, at, "the sorry server is not of the service's "
		    "address family");
	for (size_t i = 0; i < v->nkids; i++) {
		const struct out_block *s = &v->kids[i];
		struct lvs_addr a;
		const char *net = out_get(s, "network");
		if (addr_parse(out_get(s, "address"), &a) == 0 && a.af != iv->af &&
		    (net == NULL || strcmp(net, "tunnel") != 0))
			imp_invalid(c->d, &s->from, "an IPv%c real server behind an "
			    "IPv%c service needs tunnelling", a.af == AF_INET6 ?
			    '6' : '4', iv->af == AF_INET6 ? '6' : '4');
	}
}

/* A real server without a port takes the service's: no two alike. */
static void
check_server_dups(struct imp_ctx *c, const struct imp_virtual *iv)
{
	const struct out_block *v = &iv->blk;
	const char *vport = out_get(v, "port");
	for (size_t i = 0; i < v->nkids; i++)
		for (size_t k = 0; k < i; k++) {
			const char *pi = out_get(&v->kids[i], "port");
			const char *pk = out_get(&v->kids[k], "port");
			pi = pi ? pi : vport ? vport : "0";
			pk = pk ? pk : vport ? vport : "0";
			if (strcmp(out_get(&v->kids[i], "address"),
			    out_get(&v->kids[k], "address")) == 0 &&
			    strcmp(pi, pk) == 0)
				imp_invalid(c->d, &v->kids[i].from, "this real "
				    "server is the same as the one at line %u",
				    v->kids[k].from.line);
		}
}

/* The lvs.cf virtual for one service of the template. */
static void
add_virtual(struct imp_ctx *c, const struct svc *sv, const struct vs_state *s,
    const struct kc_node *n)
{
	struct imp_site *site = c->site;
	struct imp_virtual iv = { .addr = sv->addr, .fwmark = sv->fwmark };
	/* keepalived: no protocol is UDP (the kernel's 0), with a warning */
	const char *proto = s->protocol ? s->protocol : "udp";
	if (s->protocol == NULL && sv->fwmark == 0)
		imp_note(c->d, &n->w[0].loc, "no `protocol`: keepalived makes "
		    "this a UDP service (and warns); so does lvs.cf");
	char a[LVS_ADDRSTRLEN], name[LVS_ADDRSTRLEN + 32];
	iv.blk.kind = xstrdup("virtual");
	iv.blk.from = strcmp(n->w[1].text, "group") == 0 ? sv->loc : n->w[0].loc;
	if (sv->fwmark != 0 && s->protocol != NULL)
		imp_note(c->d, &n->w[0].loc, "a fwmark service has no protocol: "
		    "keepalived ignores `protocol %s` here, so does lvs.cf",
		    s->protocol);
	if (sv->fwmark != 0) {
		iv.af = sv->fwmark_af ? sv->fwmark_af : s->ip_family ?
		    s->ip_family : servers_family(s->v);
		if (iv.af == AF_UNSPEC)
			iv.af = AF_INET;
		snprintf(name, sizeof(name), "fwmark_%u%s", sv->fwmark,
		    iv.af == AF_INET6 ? "_inet6" : "");
		out_set(&iv.blk, "fwmark", "%u", sv->fwmark);
	} else {
		iv.af = sv->addr.af;
		snprintf(name, sizeof(name), "%s%s%s_%lld",
		    strcmp(proto, "tcp") ? proto : "", strcmp(proto, "tcp") ?
		    "_" : "", addr_fmt(&sv->addr, a),
		    (long long)(sv->port < 0 ? 0 : sv->port));
		if (strcmp(proto, "tcp") != 0)
			out_set(&iv.blk, "protocol", "%s", proto);
		out_set(&iv.blk, "port", "%lld",
		    (long long)(sv->port < 0 ? 0 : sv->port));
		if (sv->port <= 0 && out_get(s->v, "persistent") == NULL) {
			imp_note(c->d, &sv->loc, "a service on every port needs "
			    "persistence: keepalived sets `persistence_timeout` "
			    "to 360 s, so does lvs.cf");
			out_set(&iv.blk, "persistent", "360");
		}
	}
	iv.blk.name = xstrdup(name);
	for (size_t i = 0; i < site->nvirts; i++)
		if (strcmp(site->virts[i].blk.name, name) == 0) {
			imp_invalid(c->d, &sv->loc, "the service %s is already "
			    "defined at line %u", name, site->virts[i].blk.from.line);
			out_block_clear(&iv.blk);
			return;
		}
	for (size_t i = 0; i < s->v->nkv; i++)
		out_set(&iv.blk, s->v->kv[i].key, "%s", s->v->kv[i].value);
	for (size_t i = 0; i < s->v->nkids; i++) {
		struct out_block *k = out_add_kid(&iv.blk, "server", "");
		out_block_clear(k);
		out_block_copy(k, &s->v->kids[i]);
	}
	check_flags(c, &iv, proto, &sv->loc);
	check_families(c, &iv, &sv->loc);
	check_server_dups(c, &iv);
	site->virts = xrealloc(site->virts, (site->nvirts + 1) * sizeof(iv));
	site->virts[site->nvirts++] = iv;
}

void
imp_map_virtual_server(struct imp_ctx *c, const struct kc_node *n)
{
	struct svcs svcs = { NULL, 0 };
	if (!parse_head(c, n, &svcs)) {
		free(svcs.v);
		return;
	}
	struct out_block tmpl = { 0 };
	struct vs_state s = { .v = &tmpl };
	imp_timing_init(&s.t);
	imp_dispatch(c, n, vs_keys, NELEMS(vs_keys), &s, "a virtual_server");
	struct imp_rs *rs = NULL;
	size_t nrs = 0;
	bool fwmark = false;
	for (size_t i = 0; i < svcs.n; i++)
		fwmark |= svcs.v[i].fwmark != 0;
	for (size_t i = 0; i < n->nkids; i++) {
		if (strcmp(kc_key(&n->kids[i]), "real_server") != 0)
			continue;
		rs = xrealloc(rs, (nrs + 1) * sizeof(*rs));
		if (imp_map_real_server(c, &n->kids[i], &s.t, &s.m, &tmpl, &rs[nrs]))
			nrs++;
		else
			out_block_clear(&rs[nrs].check.keys);
	}
	imp_merge_checks(c, &tmpl, rs, nrs, fwmark, &n->w[0].loc);
	check_sorry(c, &s);
	for (size_t i = 0; i < nrs; i++)
		out_block_clear(&rs[i].check.keys);
	free(rs);
	if (tmpl.nkids == 0)
		imp_note(c->d, &n->w[0].loc, "a virtual_server without real "
		    "servers: keepalived leaves it out, so does lvs.cf");
	for (size_t i = 0; tmpl.nkids > 0 && i < svcs.n; i++)
		add_virtual(c, &svcs.v[i], &s, n);
	out_block_clear(&tmpl);
	free(svcs.v);
}
