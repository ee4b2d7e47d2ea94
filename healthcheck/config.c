#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/hc.h"
#include "lib/xalloc.h"

#define HC_DEFAULT_MAX_RESPONSE (1024 * 1024)

void
hc_check_config_init(struct hc_check_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->type = HC_TYPE_TCP;
	cfg->interval_ms = 10000;
	cfg->connect_timeout_ms = 5000;
	cfg->timeout_ms = 10000;
	cfg->jitter_ms = 10000;
	cfg->rise = 1;
	cfg->fall = 1;
	cfg->init_state = HC_INIT_DOWN;
	cfg->max_response = HC_DEFAULT_MAX_RESPONSE;
	cfg->http.method = HC_HTTP_GET;
	cfg->tls.verify = false;
}

void
hc_check_config_clear(struct hc_check_config *cfg)
{
	free(cfg->label);
	free(cfg->http.path);
	free(cfg->http.host);
	free(cfg->http.status);
	free(cfg->http.body_regex);
	free(cfg->tls.sni);
	free(cfg->tls.ca_file);
	free(cfg->tls.cert_file);
	free(cfg->tls.key_file);
	free(cfg->se.send);
	free(cfg->se.expect);
	free(cfg->exec.command);
	free(cfg->exec.user);
	memset(cfg, 0, sizeof(*cfg));
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
hc_check_config_copy(struct hc_check_config *dst,
    const struct hc_check_config *src)
{
	*dst = *src;
	dst->label = dup_or_null(src->label);
	dst->http.path = dup_or_null(src->http.path);
	dst->http.host = dup_or_null(src->http.host);
	dst->http.body_regex = dup_or_null(src->http.body_regex);
	dst->http.status = NULL;
	if (src->http.n_status) {
		size_t sz = src->http.n_status * sizeof(*src->http.status);
		dst->http.status = xmalloc(sz);
		memcpy(dst->http.status, src->http.status, sz);
	}
	dst->tls.sni = dup_or_null(src->tls.sni);
	dst->tls.ca_file = dup_or_null(src->tls.ca_file);
	dst->tls.cert_file = dup_or_null(src->tls.cert_file);
	dst->tls.key_file = dup_or_null(src->tls.key_file);
	dst->se.send = dup_or_null(src->se.send);
	dst->se.expect = dup_or_null(src->se.expect);
	dst->exec.command = dup_or_null(src->exec.command);
	dst->exec.user = dup_or_null(src->exec.user);
}

static bool
str_eq(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
timing_eq(const struct hc_check_config *a, const struct hc_check_config *b)
{
	return a->interval_ms == b->interval_ms &&
	    a->connect_timeout_ms == b->connect_timeout_ms &&
	    a->timeout_ms == b->timeout_ms && a->jitter_ms == b->jitter_ms &&
	    a->rise == b->rise && a->fall == b->fall &&
	    a->init_state == b->init_state;
}

static bool
http_eq(const struct hc_check_config *a, const struct hc_check_config *b)
{
	return a->http.method == b->http.method &&
	    str_eq(a->http.path, b->http.path) &&
	    str_eq(a->http.host, b->http.host) &&
	    a->http.n_status == b->http.n_status && (a->http.n_status == 0 ||
	    memcmp(a->http.status, b->http.status, a->http.n_status *
	    sizeof(*a->http.status)) == 0) &&
	    str_eq(a->http.body_regex, b->http.body_regex) &&
	    a->http.digest_alg == b->http.digest_alg &&
	    memcmp(a->http.digest, b->http.digest, sizeof(a->http.digest)) == 0 &&
	    str_eq(a->tls.sni, b->tls.sni) && a->tls.verify == b->tls.verify &&
	    str_eq(a->tls.ca_file, b->tls.ca_file) &&
	    str_eq(a->tls.cert_file, b->tls.cert_file) &&
	    str_eq(a->tls.key_file, b->tls.key_file);
}

bool
hc_check_config_equal(const struct hc_check_config *a,
    const struct hc_check_config *b)
{
	return str_eq(a->label, b->label) && a->type == b->type &&
	    addr_eq(&a->addr, &b->addr) && a->port == b->port &&
	    timing_eq(a, b) && a->icmp_precheck == b->icmp_precheck &&
	    a->max_response == b->max_response && http_eq(a, b) &&
	    a->se.udp == b->se.udp && str_eq(a->se.send, b->se.send) &&
	    str_eq(a->se.expect, b->se.expect) &&
	    a->se.use_regex == b->se.use_regex &&
	    str_eq(a->exec.command, b->exec.command) &&
	    str_eq(a->exec.user, b->exec.user) &&
	    a->exec.dynamic_weight == b->exec.dynamic_weight;
}

void
hc_config_piranha_timing(struct hc_check_config *cfg, unsigned timeout_s,
    unsigned reentry_s, unsigned interval_s)
{
	if (timeout_s == 0)
		timeout_s = 10;		/* lvs.cf(5): default 10 s */
	if (interval_s == 0) {
		/* nanny -t: period of the checks, I/O wait, and one failed
		 * check removes the server. */
		interval_s = timeout_s;
		cfg->fall = 1;
	} else {
		cfg->fall = timeout_s / interval_s ? timeout_s / interval_s : 1;
	}
	cfg->interval_ms = interval_s * 1000;
	cfg->timeout_ms = (timeout_s < interval_s ? timeout_s : interval_s) *
	    1000;
	cfg->connect_timeout_ms = cfg->timeout_ms;
	cfg->jitter_ms = cfg->interval_ms;
	/* nanny: countThresh = reentry / interval consecutive successes. */
	cfg->rise = reentry_s / interval_s ? reentry_s / interval_s : 1;
	cfg->init_state = HC_INIT_DOWN;
}

char *
hc_piranha_unescape(const char *in)
{
	char *out = xmalloc(strlen(in) + 1), *o = out;

	for (const char *p = in; *p; p++) {
		if (p[0] != '\\' || p[1] == '\0') {
			*o++ = *p;
			continue;
		}
		switch (p[1]) {
		case '\\': *o++ = '\\'; break;
		case 'r': *o++ = '\r'; break;
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case '\'': *o++ = '\''; break;
		case '"': *o++ = '"'; break;
		default:
			/* nanny left unknown pairs alone: regex "\." works. */
			*o++ = '\\';
			*o++ = p[1];
			break;
		}
		p++;
	}
	*o = '\0';
	return out;
}

static int
parse_code(const char *s, const char **end, unsigned *code)
{
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &e, 10);
	if (errno || v < 100 || v > 599)
		return -1;
	*code = (unsigned)v;
	*end = e;
	return 0;
}

/* One "200", "200-299" or "2xx" item at *pp; advances *pp. */
static int
parse_status_item(const char **pp, struct hc_status_range *r)
{
	const char *p = *pp, *e;
	unsigned lo, hi;

	if (p[0] >= '1' && p[0] <= '5' && (p[1] == 'x' || p[1] == 'X') &&
	    (p[2] == 'x' || p[2] == 'X')) {
		r->lo = (uint16_t)((p[0] - '0') * 100);
		r->hi = (uint16_t)(r->lo + 99);
		*pp = p + 3;
		return 0;
	}
	if (parse_code(p, &e, &lo) < 0)
		return -1;
	hi = lo;
	if (*e == '-') {
		if (parse_code(e + 1, &e, &hi) < 0 || hi < lo)
			return -1;
	}
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
	*pp = e;
	return 0;
}

int
hc_parse_status_list(const char *text, struct hc_status_range **out,
    size_t *n, const char **err)
{
	struct hc_status_range *v = NULL;
	size_t cnt = 0;
	const char *p = text;

	for (;;) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		v = xrealloc(v, (cnt + 1) * sizeof(*v));
		if (parse_status_item(&p, &v[cnt]) < 0 ||
		    (*p && *p != ',' && !isspace((unsigned char)*p))) {
			free(v);
			*err = "expected HTTP status codes 100-599 as a list "
			    "of codes, ranges (200-299) or classes (2xx)";
			return -1;
		}
		cnt++;
	}
	if (cnt == 0) {
		*err = "empty status list";
		return -1;
	}
	*out = v;
	*n = cnt;
	return 0;
}

int
hc_parse_digest(enum hc_digest_alg alg, const char *hex, uint8_t *out)
{
	size_t want = alg == HC_DIGEST_MD5 ? 16 :
	    alg == HC_DIGEST_SHA256 ? 32 : 0;

	if (want == 0 || strlen(hex) != want * 2)
		return -1;
	for (size_t i = 0; i < want; i++) {
		unsigned v;
		if (!isxdigit((unsigned char)hex[2 * i]) ||
		    !isxdigit((unsigned char)hex[2 * i + 1]) ||
		    sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

static int
check_regex(const char *re, const char *what, char *err, size_t errlen)
{
	regex_t r;
	int rc = regcomp(&r, re, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		char msg[128];
		regerror(rc, &r, msg, sizeof(msg));
		snprintf(err, errlen, "%s \"%s\": %s", what, re, msg);
		return -1;
	}
	regfree(&r);
	return 0;
}

static int
validate_type(const struct hc_check_config *cfg, char *err, size_t errlen)
{
	switch (cfg->type) {
	case HC_TYPE_HTTP:
	case HC_TYPE_HTTPS:
		if (cfg->http.path && cfg->http.path[0] != '/') {
			snprintf(err, errlen, "HTTP path must start with /");
			return -1;
		}
		if (cfg->http.body_regex)
			return check_regex(cfg->http.body_regex,
			    "body regex", err, errlen);
		break;
	case HC_TYPE_SEND_EXPECT:
		if (cfg->se.use_regex && cfg->se.expect)
			return check_regex(cfg->se.expect, "expect regex",
			    err, errlen);
		break;
	case HC_TYPE_SEND_PROGRAM:
	case HC_TYPE_EXEC:
		if (cfg->exec.command == NULL ||
		    cfg->exec.command[strspn(cfg->exec.command, " \t")] ==
		    '\0') {
			snprintf(err, errlen, "no program to run");
			return -1;
		}
		if (cfg->type == HC_TYPE_SEND_PROGRAM && cfg->se.use_regex &&
		    cfg->se.expect)
			return check_regex(cfg->se.expect, "expect regex",
			    err, errlen);
		break;
	case HC_TYPE_TCP:
	case HC_TYPE_ICMP:
		break;
	default:
		snprintf(err, errlen, "unknown check type %d", cfg->type);
		return -1;
	}
	return 0;
}

int
hc_check_config_validate_target(const struct hc_check_config *cfg, char *err,
    size_t errlen)
{
	if (cfg->addr.af != AF_INET && cfg->addr.af != AF_INET6) {
		snprintf(err, errlen, "no real server address");
		return -1;
	}
	if (cfg->port == 0 && cfg->type != HC_TYPE_ICMP &&
	    cfg->type != HC_TYPE_EXEC && cfg->type != HC_TYPE_SEND_PROGRAM) {
		snprintf(err, errlen, "no port to check (fwmark services "
		    "need a check port)");
		return -1;
	}
	return 0;
}

int
hc_check_config_validate_settings(const struct hc_check_config *cfg,
    char *err, size_t errlen)
{
	if (cfg->interval_ms == 0 || cfg->timeout_ms == 0) {
		snprintf(err, errlen, "interval and timeout must be > 0");
		return -1;
	}
	return validate_type(cfg, err, errlen);
}

int
hc_check_config_validate(const struct hc_check_config *cfg, char *err,
    size_t errlen)
{
	if (hc_check_config_validate_target(cfg, err, errlen) < 0)
		return -1;
	return hc_check_config_validate_settings(cfg, err, errlen);
}
