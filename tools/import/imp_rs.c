/*
 * real_server blocks: address, port, weight, forwarding method and
 * thresholds become a `server` block; the checkers of every real server
 * of a service become the service's check keys.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xalloc.h"
#include "tools/import/imp_vs.h"
#include "tools/import/imp_words.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

bool
imp_parse_method(struct imp_ctx *c, const struct kc_node *n,
    struct imp_method *m)
{
	if (!imp_nargs(c->d, n, 1, 6))
		return false;
	struct imp_method r = { .loc = n->w[0].loc };
	const char *k = n->w[1].text;
	if (strcasecmp(k, "NAT") == 0)
		r.network = "nat";
	else if (strcasecmp(k, "DR") == 0)
		r.network = "direct";
	else if (strcasecmp(k, "TUN") == 0)
		r.network = "tunnel";
	else {
		imp_invalid(c->d, &n->w[1].loc, "`%s`: expected NAT, DR or TUN, "
		    "found `%s`", kc_key(n), k);
		return false;
	}
	for (size_t i = 2; i < n->nw; i++) {
		const char *w = n->w[i].text;
		if (r.network[0] != 't')
			goto bad;
		if (strcmp(w, "type") == 0 && i + 1 < n->nw) {
			w = n->w[++i].text;
			if (strcmp(w, "ipip") != 0 && strcmp(w, "gue") != 0 &&
			    strcmp(w, "gre") != 0)
				goto bad;
			r.tunnel_type = w;
		} else if (strcmp(w, "port") == 0 && i + 1 < n->nw) {
			if (!imp_uint_word(c->d, &n->w[++i], 1, 65535,
			    &r.tunnel_port))
				return false;
		} else if (strcmp(w, "nocsum") == 0)
			r.tunnel_csum = "none";
		else if (strcmp(w, "csum") == 0 || strcmp(w, "remcsum") == 0)
			r.tunnel_csum = w;
		else
			goto bad;
		continue;
bad:
		imp_invalid(c->d, &n->w[i].loc, "`%s`: unexpected `%s` (TUN "
		    "takes `type ipip|gue|gre`, `port N`, `nocsum|csum|remcsum`)",
		    kc_key(n), n->w[i].text);
		return false;
	}
	*m = r;
	return true;
}

struct rs_state {
	struct out_block *srv;
	struct imp_timing t;
	struct imp_method m;
};

static void
r_weight(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct rs_state *s = obj;
	uint32_t w;
	if (imp_uint_arg(c->d, n, 0, 65535, &w))
		out_set(s->srv, "weight", "%u", w);
}

static void
r_threshold(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct rs_state *s = obj;
	uint32_t v;
	if (imp_uint_arg(c->d, n, 0, 2147483647, &v))
		out_set(s->srv, kc_key(n), "%u", v);
}

static void
r_method(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct rs_state *s = obj;
	imp_parse_method(c, n, &s->m);
}

static void
r_timing(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct rs_state *s = obj;
	imp_timing_keyword(c, n, &s->t);
}

static void
r_checker(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)c, (void)n, (void)obj;	/* imp_map_rs_checks reads them */
}

#define TIMING(k) { k, r_timing, 0, NULL }
#define CHECKER(k) { k, r_checker, 0, NULL }
static const struct imp_kw rs_keys[] = {
	{ "weight", r_weight, 0, NULL },
	{ "lvs_method", r_method, 0, NULL },
	{ "lb_kind", NULL, IMP_LOSS, "keepalived 2.2 does not know `%s` in a "
	    "real_server and ignores it (its forwarding is the virtual "
	    "server's); write `lvs_method` if it should count" },
	{ "uthreshold", r_threshold, 0, NULL },
	{ "lthreshold", r_threshold, 0, NULL },
	TIMING("inhibit_on_failure"), TIMING("alpha"), TIMING("delay_loop"),
	TIMING("connect_timeout"), TIMING("retry"), TIMING("delay_before_retry"),
	TIMING("warmup"), TIMING("virtualhost"),
	CHECKER("TCP_CHECK"), CHECKER("HTTP_GET"), CHECKER("SSL_GET"),
	CHECKER("MISC_CHECK"), CHECKER("PING_CHECK"), CHECKER("UDP_CHECK"),
	CHECKER("SMTP_CHECK"), CHECKER("DNS_CHECK"), CHECKER("BFD_CHECK"),
	CHECKER("FILE_CHECK"),
	{ "notify_up", NULL, IMP_LOSS, IMP_WHY_RS_NOTIFY },
	{ "notify_down", NULL, IMP_LOSS, IMP_WHY_RS_NOTIFY },
	{ "track_file", NULL, IMP_LOSS, "lvsd does not watch files: `%s` "
	    "cannot be expressed" },
	{ "smtp_alert", NULL, IMP_NOTE, IMP_WHY_MAIL },
	{ "snmp_name", NULL, IMP_NOTE, IMP_WHY_SNMP },
};

static void
set_method(struct out_block *srv, const struct imp_method *m)
{
	if (m->network == NULL || strcmp(m->network, "nat") == 0)
		return;
	out_set(srv, "network", "%s", m->network);
	if (m->tunnel_type != NULL && strcmp(m->tunnel_type, "ipip") != 0)
		out_set(srv, "tunnel_type", "%s", m->tunnel_type);
	if (m->tunnel_port != 0)
		out_set(srv, "tunnel_port", "%u", m->tunnel_port);
	if (m->tunnel_csum != NULL && strcmp(m->tunnel_csum, "none") != 0)
		out_set(srv, "tunnel_csum", "%s", m->tunnel_csum);
}

/* What the kernel refuses of a real server. */
static void
check_server(struct imp_ctx *c, struct out_block *srv, const struct kc_node *n)
{
	const char *ty = out_get(srv, "tunnel_type");
	const char *u = out_get(srv, "uthreshold"), *l = out_get(srv, "lthreshold");
	if (ty != NULL && strcmp(ty, "gue") == 0 && !out_get(srv, "tunnel_port"))
		imp_invalid(c->d, &n->w[0].loc, "a GUE tunnel needs its `port`");
	if (u != NULL && l != NULL && strtoul(u, NULL, 10) != 0 &&
	    strtoul(l, NULL, 10) > strtoul(u, NULL, 10))
		imp_invalid(c->d, &n->w[0].loc, "`lthreshold` (%s) is above "
		    "`uthreshold` (%s)", l, u);
}

bool
imp_map_real_server(struct imp_ctx *c, const struct kc_node *n,
    const struct imp_timing *t, const struct imp_method *m,
    struct out_block *v, struct imp_rs *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->port = -1;
	rs->loc = n->w[0].loc;
	rs->check.port = -1;
	struct lvs_addr a;
	uint32_t port = 0;
	if (!imp_nargs(c->d, n, 1, 2) || !imp_addr_word(c->d, &n->w[1], &a) ||
	    (n->nw > 2 && !imp_port_word(c->d, &n->w[2], &port)))
		return false;
	if (!n->block)
		imp_invalid(c->d, &n->w[0].loc, "`real_server` needs a block "
		    "`{ ... }`");
	char name[LVS_ADDRPORTSTRLEN + 8], buf[LVS_ADDRSTRLEN];
	addr_fmt(&a, buf);
	if (n->nw > 2)
		snprintf(name, sizeof(name), "%s_%u", buf, port);
	else
		snprintf(name, sizeof(name), "%s", buf);
	for (size_t i = 0; i < v->nkids; i++)
		if (strcmp(v->kids[i].name, name) == 0) {
			imp_note(c->d, &n->w[0].loc, "real_server %s appears "
			    "twice in this virtual_server (first at line %u): "
			    "keepalived drops the second, so does lvs.cf",
			    name, v->kids[i].from.line);
			return false;
		}
	struct rs_state s = { .srv = out_add_kid(v, "server", name), .t = *t,
	    .m = *m };
	s.srv->from = n->w[0].loc;
	out_set(s.srv, "address", "%s", buf);
	if (n->nw > 2) {
		out_set(s.srv, "port", "%u", port);
		rs->port = port;
	}
	out_set(s.srv, "weight", "1");
	imp_dispatch(c, n, rs_keys, NELEMS(rs_keys), &s, "a real_server");
	set_method(s.srv, &s.m);
	check_server(c, s.srv, n);
	imp_map_rs_checks(c, n, &s.t, &a, &rs->check);
	return true;
}

/* No check at all (what --force writes when lvs.cf cannot say which). */
static void
drop_check(struct out_block *v)
{
	static const char *const prefixes[] = { "check", "http_", "tls_",
	    "send", "expect" };
	for (size_t i = v->nkv; i-- > 0;)
		for (size_t k = 0; k < NELEMS(prefixes); k++)
			if (strncmp(v->kv[i].key, prefixes[k],
			    strlen(prefixes[k])) == 0) {
				out_unset(v, v->kv[i].key);
				break;
			}
	out_set(v, "check", "none");
}

/* The port each server is checked on; -1 where it has none. */
static int64_t
checked_port(const struct imp_rs *r)
{
	return r->check.port >= 0 ? r->check.port : r->port;
}

static void
merge_port(struct imp_ctx *c, struct out_block *v, struct imp_rs *rs,
    size_t n, bool fwmark, const struct kc_loc *at)
{
	const char *check = out_get(v, "check");
	if (check == NULL || strcmp(check, "none") == 0 ||
	    strcmp(check, "icmp") == 0 || strcmp(check, "exec") == 0)
		return;
	bool own = true, same = true;
	for (size_t i = 0; i < n; i++) {
		own &= checked_port(&rs[i]) == rs[i].port && rs[i].port > 0;
		same &= checked_port(&rs[i]) == checked_port(&rs[0]);
	}
	if (own && !fwmark)
		return;
	size_t i = 1;
	while (i < n && checked_port(&rs[i]) == checked_port(&rs[0]))
		i++;
	if (!same)
		imp_loss(c->d, &rs[i].check.loc, "lvs.cf checks the real servers "
		    "of a service on their own ports or all on one `check_port`: "
		    "this one's port cannot be expressed");
	if (!same && !fwmark)
		return;		/* --force: each on its own port */
	if (n > 0 && checked_port(&rs[0]) > 0) {
		out_set(v, "check_port", "%lld", (long long)checked_port(&rs[0]));
		return;
	}
	imp_loss(c->d, n > 0 ? &rs[0].check.loc : at, "a fwmark service's "
	    "check needs a port: add `connect_port`");
	drop_check(v);
}

void
imp_merge_checks(struct imp_ctx *c, struct out_block *v, struct imp_rs *rs,
    size_t n, bool fwmark, const struct kc_loc *at)
{
	size_t ref = 0;
	while (ref < n && !rs[ref].check.any)
		ref++;
	if (ref == n) {
		out_set(v, "check", "none");	/* servers without checkers stay up */
		return;
	}
	const struct out_block *keys = &rs[ref].check.keys;
	for (size_t i = 0; i < n; i++) {
		const char *k = out_block_diff(keys, &rs[i].check.keys);
		if (k == NULL || i == ref)
			continue;
		const char *mine = out_get(&rs[i].check.keys, k);
		const char *theirs = out_get(keys, k);
		imp_loss(c->d, &rs[i].check.loc, "lvs.cf checks every real "
		    "server of a service alike: `%s` would be `%s` here, `%s` "
		    "for the real server at line %u", k, mine ? mine : "(unset)",
		    theirs ? theirs : "(unset)", rs[ref].loc.line);
	}
	for (size_t i = 0; i < keys->nkv; i++) {
		const char *val = keys->kv[i].value;
		if (strcmp(keys->kv[i].key, "quiesce_server") == 0 &&
		    strcmp(val, "0") == 0)
			continue;
		out_set(v, keys->kv[i].key, "%s", val);
	}
	merge_port(c, v, rs, n, fwmark, at);
}
