/*
 * Health checks as lvs.cf describes them: piranha's keys (send, expect,
 * use_regex, send_program, timeout, reentry) and lvsd's check_* / http_* /
 * tls_* keys, turned into the plain-data check configuration of the
 * healthcheck module.  The validator uses the same translation, so a file
 * that passes `lvsd -t` builds checkers that start.
 */
#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/check.h"
#include "cfg/diag.h"
#include "lib/xalloc.h"

int
cfg_check_type(const struct cfg_virtual *v)
{
	if (v->check != CFG_CHECK_AUTO)
		return v->check;
	/* What piranha's nanny did with the same keys. */
	if (v->send_program != NULL)
		return CFG_CHECK_SEND_PROGRAM;
	if (v->send != NULL || v->expect != NULL)
		return CFG_CHECK_SEND_EXPECT;
	return CFG_CHECK_TCP;
}

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

static const char digest_expected[] = "expected `sha256:` followed by 64 hex "
    "digits, or `md5:` followed by 32";

/* "sha256:HEX" or "md5:HEX". */
static int
parse_digest(const char *text, enum hc_digest_alg *alg, uint8_t *out)
{
	if (strncmp(text, "sha256:", 7) == 0)
		*alg = HC_DIGEST_SHA256;
	else if (strncmp(text, "md5:", 4) == 0)
		*alg = HC_DIGEST_MD5;
	else
		return -1;
	return hc_parse_digest(*alg, strchr(text, ':') + 1, out);
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
	if (v->http_digest != NULL && parse_digest(v->http_digest,
	    &c->http.digest_alg, c->http.digest) < 0) {
		*err = digest_expected;
		return -1;
	}
	c->tls.sni = dup_or_null(v->tls_sni);
	c->tls.verify = v->tls_verify;
	c->tls.ca_file = dup_or_null(v->tls_ca_file);
	c->tls.cert_file = dup_or_null(v->tls_cert_file);
	c->tls.key_file = dup_or_null(v->tls_key_file);
	return 0;
}

int
cfg_check_build(const struct cfg *cfg, const struct cfg_virtual *v,
    const struct cfg_server *s, struct hc_check_config *c, const char **err)
{
	int type = cfg_check_type(v);
	hc_check_config_init(c);
	*err = NULL;
	if (type == CFG_CHECK_NONE)
		return 1;
	c->type = hc_types[type];
	c->label = xasprintf("%s/%s", v->name, s->name);
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

/* ---- validation ----------------------------------------------------- */

#define ERR(d, loc, ...) cfg_diag((d), CFG_ERROR, (loc), __VA_ARGS__)

static const char *const check_words[] = {
	"auto", "tcp", "http", "https", "send_expect", "send_program", "exec",
	"icmp", "none"
};

/* Keys that only make sense with some check types. */
static void
check_key_applicability(const struct cfg_virtual *v, int type,
    struct cfg_diags *d)
{
	static const int http_keys[] = {
		CFG_V_HTTP_METHOD, CFG_V_HTTP_PATH, CFG_V_HTTP_HOST,
		CFG_V_HTTP_STATUS, CFG_V_HTTP_BODY_REGEX, CFG_V_HTTP_DIGEST,
	};
	static const int tls_keys[] = {
		CFG_V_TLS_SNI, CFG_V_TLS_VERIFY, CFG_V_TLS_CA_FILE,
		CFG_V_TLS_CERT_FILE, CFG_V_TLS_KEY_FILE,
	};
	bool http = type == CFG_CHECK_HTTP || type == CFG_CHECK_HTTPS;
	for (size_t i = 0; i < sizeof(http_keys) / sizeof(http_keys[0]); i++)
		if (CFG_ISSET(v, http_keys[i]) && !http)
			ERR(d, &v->locs[http_keys[i]], "this key applies to "
			    "`check = http` or `https`, not `%s`",
			    check_words[type]);
	for (size_t i = 0; i < sizeof(tls_keys) / sizeof(tls_keys[0]); i++)
		if (CFG_ISSET(v, tls_keys[i]) && type != CFG_CHECK_HTTPS)
			ERR(d, &v->locs[tls_keys[i]], "this key applies to "
			    "`check = https`, not `%s`", check_words[type]);
	if (CFG_ISSET(v, CFG_V_CHECK_PROGRAM) && type != CFG_CHECK_EXEC)
		ERR(d, &v->locs[CFG_V_CHECK_PROGRAM], "`check_program` applies "
		    "to `check = exec`, not `%s`", check_words[type]);
}

static void
check_regex(const char *re, const struct cfg_loc *loc, const char *key,
    struct cfg_diags *d)
{
	regex_t rx;
	int r = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
	if (r != 0) {
		char msg[128];
		regerror(r, &rx, msg, sizeof(msg));
		ERR(d, loc, "`%s`: not a POSIX extended regular expression: %s",
		    key, msg);
		return;
	}
	regfree(&rx);
}

void
cfg_validate_check(const struct cfg_virtual *v,
    struct cfg_diags *d)
{
	int type = cfg_check_type(v);
	const struct cfg_loc *at = CFG_ISSET(v, CFG_V_CHECK) ?
	    &v->locs[CFG_V_CHECK] : &v->loc;
	check_key_applicability(v, type, d);
	if (type == CFG_CHECK_EXEC && v->check_program == NULL)
		ERR(d, at, "`check = exec` needs `check_program`");
	if (type == CFG_CHECK_SEND_PROGRAM && v->send_program == NULL)
		ERR(d, at, "`check = send_program` needs `send_program`");
	if (type == CFG_CHECK_SEND_EXPECT && v->send == NULL && v->expect == NULL)
		ERR(d, at, "`check = send_expect` needs `send` or `expect`");
	if (v->load_monitor != CFG_LOAD_NONE)
		ERR(d, &v->locs[CFG_V_LOAD_MONITOR], "`load_monitor = %s` is not "
		    "supported: lvsd does not log in to real servers; use "
		    "`check = exec` with `check_dynamic_weight = 1`",
		    v->load_monitor == CFG_LOAD_UPTIME ? "uptime" :
		    v->load_monitor == CFG_LOAD_RUPTIME ? "ruptime" : "rup");
	bool needs_port = type != CFG_CHECK_NONE && type != CFG_CHECK_ICMP &&
	    type != CFG_CHECK_EXEC;
	if (v->fwmark != 0 && needs_port && v->check_port == 0 && v->port == 0)
		ERR(d, &v->locs[CFG_V_FWMARK], "virtual `%s`: a fwmark service "
		    "needs `check_port` (or `port`) for its `%s` health check",
		    v->name, check_words[type]);
	if (v->use_regex && v->expect != NULL)
		check_regex(v->expect, &v->locs[CFG_V_EXPECT], "expect", d);
	if (v->http_body_regex != NULL)
		check_regex(v->http_body_regex, &v->locs[CFG_V_HTTP_BODY_REGEX],
		    "http_body_regex", d);
	const char *err;
	struct hc_status_range *ranges;
	size_t n;
	if (v->http_status != NULL) {
		if (hc_parse_status_list(v->http_status, &ranges, &n, &err) < 0)
			ERR(d, &v->locs[CFG_V_HTTP_STATUS], "`http_status`: %s", err);
		else
			free(ranges);
	}
	enum hc_digest_alg alg;
	uint8_t digest[HC_DIGEST_MAX];
	if (v->http_digest != NULL && parse_digest(v->http_digest, &alg, digest) < 0)
		ERR(d, &v->locs[CFG_V_HTTP_DIGEST], "`http_digest`: %s",
		    digest_expected);
}
