/*
 * The health-check part of the plan: one checker setting per real server
 * of every active virtual service, from piranha's keys (send, expect,
 * timeout, reentry, ...) and lvsd's check_* / http_* / tls_* keys, each
 * checked by the healthcheck module's own rules before anything runs.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/arena.h"
#include "cfg/check.h"
#include "daemon/plan.h"
#include "lib/xalloc.h"

static const enum hc_type hc_types[] = {
	[CFG_CHECK_TCP] = HC_TYPE_TCP,
	[CFG_CHECK_HTTP] = HC_TYPE_HTTP,
	[CFG_CHECK_HTTPS] = HC_TYPE_HTTPS,
	[CFG_CHECK_SEND_EXPECT] = HC_TYPE_SEND_EXPECT,
	[CFG_CHECK_SEND_PROGRAM] = HC_TYPE_SEND_PROGRAM,
	[CFG_CHECK_EXEC] = HC_TYPE_EXEC,
	[CFG_CHECK_ICMP] = HC_TYPE_ICMP,
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/*
 * Timing: piranha's `timeout` (seconds a server may fail) and `reentry`
 * (seconds it must pass again) keep their meaning at any check interval;
 * check_rise/check_fall, when given, count checks instead.
 */
static void
set_timing(const struct cfg_virtual *v, struct hc_check_config *c)
{
	if (!CFG_ISSET(v, CFG_V_CHECK_INTERVAL))
		hc_config_piranha_timing(c, v->timeout, v->reentry, 0);
	else {
		uint32_t iv = v->hc->check_interval;
		uint64_t to = (uint64_t)v->timeout * 1000;
		uint64_t re = (uint64_t)v->reentry * 1000;
		c->interval_ms = iv;
		c->jitter_ms = iv;
		c->fall = to / iv > 0 ? (unsigned)(to / iv) : 1;
		c->rise = re / iv > 0 ? (unsigned)(re / iv) : 1;
		c->timeout_ms = iv < to ? iv : (uint32_t)to;
		c->connect_timeout_ms = c->timeout_ms;
	}
	if (CFG_ISSET(v, CFG_V_CHECK_TIMEOUT))
		c->timeout_ms = v->hc->check_timeout;
	if (CFG_ISSET(v, CFG_V_CHECK_CONNECT_TIMEOUT))
		c->connect_timeout_ms = v->hc->check_connect_timeout;
	if (c->connect_timeout_ms > c->timeout_ms)
		c->connect_timeout_ms = c->timeout_ms;
	if (CFG_ISSET(v, CFG_V_CHECK_RISE))
		c->rise = v->hc->check_rise;
	if (CFG_ISSET(v, CFG_V_CHECK_FALL))
		c->fall = v->hc->check_fall;
	c->init_state = v->hc->check_initial == CFG_INITIAL_UP ? HC_INIT_UP :
	    HC_INIT_DOWN;
}

static int
set_http(const struct cfg_virtual *v, struct hc_check_config *c,
    const char **err)
{
	c->http.method = v->hc->http_method == CFG_HTTP_HEAD ? HC_HTTP_HEAD :
	    HC_HTTP_GET;
	c->http.path = dup_or_null(v->hc->http_path);
	c->http.host = dup_or_null(v->hc->http_host);
	c->http.body_regex = dup_or_null(v->hc->http_body_regex);
	if (v->hc->http_status != NULL && hc_parse_status_list(v->hc->http_status,
	    &c->http.status, &c->http.n_status, err) < 0)
		return -1;
	if (v->hc->http_digest != NULL && cfg_parse_digest(v->hc->http_digest,
	    &c->http.digest_alg, c->http.digest) < 0) {
		*err = cfg_digest_expected;
		return -1;
	}
	c->tls.sni = dup_or_null(v->hc->tls_sni);
	c->tls.verify = v->hc->tls_verify;
	c->tls.ca_file = dup_or_null(v->hc->tls_ca_file);
	c->tls.cert_file = dup_or_null(v->hc->tls_cert_file);
	c->tls.key_file = dup_or_null(v->hc->tls_key_file);
	return 0;
}

/*
 * The settings v's checkers share (label, address and port unset).
 * Returns 0; 1 when v has `check = none` (no checker: its servers count
 * as up; c untouched); -1 with *err set when a value cannot be used (the
 * reader reports those first).
 */
static int
virtual_settings(const struct cfg *cfg, const struct cfg_virtual *v,
    struct hc_check_config *c, const char **err)
{
	int type = cfg_check_type(v);
	*err = NULL;
	if (type == CFG_CHECK_NONE)
		return 1;
	hc_check_config_init(c);
	c->type = hc_types[type];
	set_timing(v, c);
	c->icmp_precheck = v->hc->check_icmp;
	c->max_response = v->hc->check_max_response;
	c->se.udp = v->protocol == CFG_PROTO_UDP;
	c->se.send = dup_or_null(v->send);
	c->se.expect = dup_or_null(v->expect);
	c->se.use_regex = v->use_regex;
	if (type == CFG_CHECK_SEND_PROGRAM)
		c->exec.command = dup_or_null(v->send_program);
	else if (type == CFG_CHECK_EXEC)
		c->exec.command = dup_or_null(v->hc->check_program);
	c->exec.user = dup_or_null(cfg->global.script_user);
	c->exec.dynamic_weight = v->hc->check_dynamic_weight;
	if ((type == CFG_CHECK_HTTP || type == CFG_CHECK_HTTPS) &&
	    set_http(v, c, err) < 0)
		return -1;
	return 0;
}

static uint16_t
check_port(const struct cfg_virtual *v, const struct cfg_server *s)
{
	return (uint16_t)(v->hc->check_port != 0 ? v->hc->check_port :
	    s->port != 0 ? s->port : v->port);
}

/* The place a check problem of v points at: its `check` key, or v. */
static struct cfg_loc
check_loc(const struct cfg_virtual *v)
{
	return CFG_ISSET(v, CFG_V_CHECK) ? *CFG_LOC(v, CFG_V_CHECK) : v->loc;
}

/* One virtual service's settings and whether they can be used. */
struct vsettings {
	int r;				/* virtual_settings()'s */
	struct hc_check_config c;
	const char *err;		/* r < 0 */
	bool bad;			/* r == 0 but the module refuses them */
	char why[256];
};

static void
vsettings_get(const struct cfg *cfg, const struct cfg_virtual *v,
    struct vsettings *vs)
{
	vs->r = virtual_settings(cfg, v, &vs->c, &vs->err);
	vs->bad = vs->r == 0 && hc_check_config_validate_settings(&vs->c,
	    vs->why, sizeof(vs->why)) < 0;
}

/*
 * The problem of s's checker, if any, reported as hc_check_config_validate
 * would find it (the target first, then the shared settings); -1 then.
 */
static int
server_problem(const struct vsettings *vs, const struct cfg_virtual *v,
    const struct cfg_server *s, uint16_t port, struct cfg_diags *diags)
{
	if (vs->r > 0)
		return 0;
	if (vs->r < 0) {
		struct cfg_loc at = check_loc(v);
		cfg_diag(diags, CFG_ERROR, &at, "server `%s`: health "
		    "check: %s", s->id, vs->err);
		return -1;
	}
	struct hc_check_config t = { .type = vs->c.type, .addr = s->address,
	    .port = port };
	char why[256];
	const char *problem = hc_check_config_validate_target(&t, why,
	    sizeof(why)) < 0 ? why : vs->bad ? vs->why : NULL;
	if (problem == NULL)
		return 0;
	struct cfg_loc at = check_loc(v);
	cfg_diag(diags, CFG_ERROR, &at, "server `%s`: health check: "
	    "%s", s->id, problem);
	return -1;
}

/* ---- the distinct settings of a plan ------------------------------------ */

static uint32_t
str_hash(uint32_t h, const char *s)
{
	return s != NULL ? cfg_hash_bytes(s, strlen(s), h) : h * 31u;
}

/* Of the fields that tell settings apart; equality decides. */
static uint32_t
settings_hash(const struct hc_check_config *c)
{
	uint32_t k[] = { c->type, c->interval_ms, c->timeout_ms,
	    c->connect_timeout_ms, c->rise, c->fall, c->http.n_status };
	uint32_t h = cfg_hash_bytes(k, sizeof(k), CFG_HASH_SEED);
	h = str_hash(h, c->http.path);
	h = str_hash(h, c->se.send);
	h = str_hash(h, c->se.expect);
	return str_hash(h, c->exec.command);
}

struct settings_index {
	uint32_t *slot;			/* settings index + 1; 0: free */
	size_t mask;
};

/* c's one copy in the plan; takes c's strings (or clears c). */
static const struct hc_check_config *
settings_intern(struct plan *p, struct settings_index *x,
    struct hc_check_config *c)
{
	size_t j = settings_hash(c) & x->mask;
	for (; x->slot[j] != 0; j = (j + 1) & x->mask) {
		const struct hc_check_config *have = p->settings[x->slot[j] - 1];
		if (hc_check_config_equal(have, c)) {
			hc_check_config_clear(c);
			return have;
		}
	}
	struct hc_check_config *keep = xmalloc(sizeof(*keep));
	*keep = *c;
	p->settings[p->nsettings++] = keep;
	x->slot[j] = (uint32_t)p->nsettings;
	return keep;
}

/* ---- building ------------------------------------------------------------ */

int
plan_checks_build(struct plan *p, struct cfg_diags *diags)
{
	size_t n = 0;
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &p->cfg->virtuals, entry)
		n += v->active ? v->nservers : 0;
	p->checks = xcalloc(n > 0 ? n : 1, sizeof(*p->checks));
	p->settings = xcalloc(p->cfg->nvirtuals + 1, sizeof(*p->settings));
	struct settings_index x = { .mask = 15 };
	while (x.mask + 1 < 2 * (size_t)p->cfg->nvirtuals)
		x.mask = x.mask * 2 + 1;
	x.slot = xcalloc(x.mask + 1, sizeof(*x.slot));
	int rc = 0;
	TAILQ_FOREACH(v, &p->cfg->virtuals, entry) {
		if (!v->active)
			continue;
		struct vsettings vs;
		vsettings_get(p->cfg, v, &vs);
		const struct hc_check_config *set = vs.r == 0 && !vs.bad ?
		    settings_intern(p, &x, &vs.c) : NULL;
		const struct cfg_server *s;
		TAILQ_FOREACH(s, &v->servers, entry) {
			if (!s->active)
				continue;
			struct plan_check *pc = &p->checks[p->nchecks++];
			pc->v = v;
			pc->s = s;
			pc->port = check_port(v, s);
			pc->checked = vs.r == 0;
			pc->set = set;
			if (server_problem(&vs, v, s, pc->port, diags) < 0)
				rc = -1;
		}
		if (set == NULL && vs.r <= 0)
			hc_check_config_clear(&vs.c);
	}
	free(x.slot);
	return rc;
}

unsigned
plan_checks_verify(const struct cfg *cfg, struct cfg_diags *diags)
{
	unsigned before = diags->nerrors;
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		if (!v->active)
			continue;
		struct vsettings vs;
		vsettings_get(cfg, v, &vs);
		if (vs.r > 0)
			continue;	/* `check = none`: nothing to refuse */
		const struct cfg_server *s;
		TAILQ_FOREACH(s, &v->servers, entry)
			if (s->active)
				server_problem(&vs, v, s, check_port(v, s), diags);
		hc_check_config_clear(&vs.c);
	}
	return diags->nerrors - before;
}

void
plan_check_config(const struct plan_check *pc, struct hc_check_config *out)
{
	*out = *pc->set;
	out->label = (char *)(uintptr_t)pc->s->id;
	out->addr = pc->s->address;
	out->port = pc->port;
}

bool
plan_check_same(const struct plan_check *a, const struct plan_check *b)
{
	return a->checked && b->checked && a->set != NULL && b->set != NULL &&
	    strcmp(a->s->id, b->s->id) == 0 && a->port == b->port &&
	    addr_eq(&a->s->address, &b->s->address) &&
	    (a->set == b->set || hc_check_config_equal(a->set, b->set));
}

void
plan_checks_clear(struct plan *p)
{
	for (size_t i = 0; i < p->nsettings; i++) {
		hc_check_config_clear(p->settings[i]);
		free(p->settings[i]);
	}
	free(p->settings);
	p->settings = NULL;
	p->nsettings = 0;
	free(p->checks);
	p->checks = NULL;
	p->nchecks = 0;
}
