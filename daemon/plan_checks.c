/*
 * The health-check part of the plan: one checker setting per real server
 * of every active virtual service, from piranha's keys (send, expect,
 * timeout, reentry, ...) and lvsd's check_* / http_* / tls_* keys, each
 * checked by the healthcheck module's own rules before anything runs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

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
		uint32_t iv = v->check_interval;
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
		c->timeout_ms = v->check_timeout;
	if (CFG_ISSET(v, CFG_V_CHECK_CONNECT_TIMEOUT))
		c->connect_timeout_ms = v->check_connect_timeout;
	if (c->connect_timeout_ms > c->timeout_ms)
		c->connect_timeout_ms = c->timeout_ms;
	if (CFG_ISSET(v, CFG_V_CHECK_RISE))
		c->rise = v->check_rise;
	if (CFG_ISSET(v, CFG_V_CHECK_FALL))
		c->fall = v->check_fall;
	c->init_state = v->check_initial == CFG_INITIAL_UP ? HC_INIT_UP :
	    HC_INIT_DOWN;
}

static int
set_http(const struct cfg_virtual *v, struct hc_check_config *c,
    const char **err)
{
	c->http.method = v->http_method == CFG_HTTP_HEAD ? HC_HTTP_HEAD :
	    HC_HTTP_GET;
	c->http.path = dup_or_null(v->http_path);
	c->http.host = dup_or_null(v->http_host);
	c->http.body_regex = dup_or_null(v->http_body_regex);
	if (v->http_status != NULL && hc_parse_status_list(v->http_status,
	    &c->http.status, &c->http.n_status, err) < 0)
		return -1;
	if (v->http_digest != NULL && cfg_parse_digest(v->http_digest,
	    &c->http.digest_alg, c->http.digest) < 0) {
		*err = cfg_digest_expected;
		return -1;
	}
	c->tls.sni = dup_or_null(v->tls_sni);
	c->tls.verify = v->tls_verify;
	c->tls.ca_file = dup_or_null(v->tls_ca_file);
	c->tls.cert_file = dup_or_null(v->tls_cert_file);
	c->tls.key_file = dup_or_null(v->tls_key_file);
	return 0;
}

/*
 * Fills c for real server s of v.  Returns 0; 1 when v has `check = none`
 * (no checker: the server counts as up); -1 with *err set when a value
 * cannot be used (the reader reports those first).
 */
static int
build_one(const struct cfg *cfg, const struct cfg_virtual *v,
    const struct cfg_server *s, struct hc_check_config *c, const char **err)
{
	int type = cfg_check_type(v);
	hc_check_config_init(c);
	*err = NULL;
	if (type == CFG_CHECK_NONE)
		return 1;
	c->type = hc_types[type];
	c->label = xstrdup(s->id);
	c->addr = s->address;
	c->port = (uint16_t)(v->check_port != 0 ? v->check_port :
	    s->port != 0 ? s->port : v->port);
	set_timing(v, c);
	c->icmp_precheck = v->check_icmp;
	c->max_response = v->check_max_response;
	c->se.udp = v->protocol == CFG_PROTO_UDP;
	c->se.send = dup_or_null(v->send);
	c->se.expect = dup_or_null(v->expect);
	c->se.use_regex = v->use_regex;
	if (type == CFG_CHECK_SEND_PROGRAM)
		c->exec.command = dup_or_null(v->send_program);
	else if (type == CFG_CHECK_EXEC)
		c->exec.command = dup_or_null(v->check_program);
	c->exec.user = dup_or_null(cfg->global.script_user);
	c->exec.dynamic_weight = v->check_dynamic_weight;
	if ((type == CFG_CHECK_HTTP || type == CFG_CHECK_HTTPS) &&
	    set_http(v, c, err) < 0)
		return -1;
	return 0;
}

/* The place a check problem of v points at: its `check` key, or v. */
static const struct cfg_loc *
check_loc(const struct cfg_virtual *v)
{
	return CFG_ISSET(v, CFG_V_CHECK) ? CFG_LOC(v, CFG_V_CHECK) : &v->loc;
}

static int
add_check(struct plan *p, const struct cfg_virtual *v,
    const struct cfg_server *s, struct cfg_diags *diags)
{
	struct plan_check *pc = &p->checks[p->nchecks++];
	pc->v = v;
	pc->s = s;
	const char *err;
	int r = build_one(p->cfg, v, s, &pc->hc, &err);
	if (r < 0) {
		cfg_diag(diags, CFG_ERROR, check_loc(v), "server `%s`: health "
		    "check: %s", s->id, err);
		return -1;
	}
	pc->checked = r == 0;
	char why[256];
	if (pc->checked && hc_check_config_validate(&pc->hc, why,
	    sizeof(why)) < 0) {
		cfg_diag(diags, CFG_ERROR, check_loc(v), "server `%s`: health "
		    "check: %s", s->id, why);
		return -1;
	}
	return 0;
}

int
plan_checks_build(struct plan *p, struct cfg_diags *diags)
{
	size_t n = 0;
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &p->cfg->virtuals, entry)
		n += v->active ? v->nservers : 0;
	p->checks = xcalloc(n > 0 ? n : 1, sizeof(*p->checks));
	int rc = 0;
	TAILQ_FOREACH(v, &p->cfg->virtuals, entry) {
		if (!v->active)
			continue;
		const struct cfg_server *s;
		TAILQ_FOREACH(s, &v->servers, entry)
			if (s->active && add_check(p, v, s, diags) < 0)
				rc = -1;
	}
	return rc;
}

void
plan_checks_clear(struct plan *p)
{
	for (size_t i = 0; i < p->nchecks; i++)
		hc_check_config_clear(&p->checks[i].hc);
	free(p->checks);
	p->checks = NULL;
	p->nchecks = 0;
}
