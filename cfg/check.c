/*
 * Health-check keys of lvs.cf: piranha's (send, expect, use_regex,
 * send_program, timeout, reentry) and lvsd's check_* / http_* / tls_*:
 * which check a virtual service asks for, and the rules among its keys.
 * The plan (daemon/plan_checks.c) turns them into checker settings.
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
	if (v->hc->check != CFG_CHECK_AUTO)
		return v->hc->check;
	/* What piranha's nanny did with the same keys. */
	if (v->send_program != NULL)
		return CFG_CHECK_SEND_PROGRAM;
	if (v->send != NULL || v->expect != NULL)
		return CFG_CHECK_SEND_EXPECT;
	return CFG_CHECK_TCP;
}

const char cfg_digest_expected[] = "expected `sha256:` followed by 64 hex "
    "digits, or `md5:` followed by 32";

int
cfg_parse_digest(const char *text, enum hc_digest_alg *alg, uint8_t *out)
{
	if (strncmp(text, "sha256:", 7) == 0)
		*alg = HC_DIGEST_SHA256;
	else if (strncmp(text, "md5:", 4) == 0)
		*alg = HC_DIGEST_MD5;
	else
		return -1;
	return hc_parse_digest(*alg, strchr(text, ':') + 1, out);
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
			ERR(d, CFG_LOC(v, http_keys[i]), "this key applies to "
			    "`check = http` or `https`, not `%s`",
			    check_words[type]);
	for (size_t i = 0; i < sizeof(tls_keys) / sizeof(tls_keys[0]); i++)
		if (CFG_ISSET(v, tls_keys[i]) && type != CFG_CHECK_HTTPS)
			ERR(d, CFG_LOC(v, tls_keys[i]), "this key applies to "
			    "`check = https`, not `%s`", check_words[type]);
	if (CFG_ISSET(v, CFG_V_CHECK_PROGRAM) && type != CFG_CHECK_EXEC)
		ERR(d, CFG_LOC(v, CFG_V_CHECK_PROGRAM), "`check_program` applies "
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
	    CFG_LOC(v, CFG_V_CHECK) : &v->loc;
	check_key_applicability(v, type, d);
	if (type == CFG_CHECK_EXEC && v->hc->check_program == NULL)
		ERR(d, at, "`check = exec` needs `check_program`");
	if (type == CFG_CHECK_SEND_PROGRAM && v->send_program == NULL)
		ERR(d, at, "`check = send_program` needs `send_program`");
	if (type == CFG_CHECK_SEND_EXPECT && v->send == NULL && v->expect == NULL)
		ERR(d, at, "`check = send_expect` needs `send` or `expect`");
	if (v->load_monitor != CFG_LOAD_NONE)
		ERR(d, CFG_LOC(v, CFG_V_LOAD_MONITOR), "`load_monitor = %s` is not "
		    "supported: lvsd does not log in to real servers; use "
		    "`check = exec` with `check_dynamic_weight = 1`",
		    v->load_monitor == CFG_LOAD_UPTIME ? "uptime" :
		    v->load_monitor == CFG_LOAD_RUPTIME ? "ruptime" : "rup");
	bool needs_port = type != CFG_CHECK_NONE && type != CFG_CHECK_ICMP &&
	    type != CFG_CHECK_EXEC;
	if (v->fwmark != 0 && needs_port && v->hc->check_port == 0 && v->port == 0)
		ERR(d, CFG_LOC(v, CFG_V_FWMARK), "virtual `%s`: a fwmark service "
		    "needs `check_port` (or `port`) for its `%s` health check",
		    v->name, check_words[type]);
	if (v->use_regex && v->expect != NULL)
		check_regex(v->expect, CFG_LOC(v, CFG_V_EXPECT), "expect", d);
	if (v->hc->http_body_regex != NULL)
		check_regex(v->hc->http_body_regex, CFG_LOC(v, CFG_V_HTTP_BODY_REGEX),
		    "http_body_regex", d);
	const char *err;
	struct hc_status_range *ranges;
	size_t n;
	if (v->hc->http_status != NULL) {
		if (hc_parse_status_list(v->hc->http_status, &ranges, &n, &err) < 0)
			ERR(d, CFG_LOC(v, CFG_V_HTTP_STATUS), "`http_status`: %s", err);
		else
			free(ranges);
	}
	enum hc_digest_alg alg;
	uint8_t digest[HC_DIGEST_MAX];
	if (v->hc->http_digest != NULL && cfg_parse_digest(v->hc->http_digest, &alg, digest) < 0)
		ERR(d, CFG_LOC(v, CFG_V_HTTP_DIGEST), "`http_digest`: %s",
		    cfg_digest_expected);
}
