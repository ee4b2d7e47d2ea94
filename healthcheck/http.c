#include "config.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "healthcheck/conn.h"
#include "healthcheck/http_parser.h"
#include "lib/log.h"
#include "lib/xalloc.h"

/* HTTP and HTTPS checks: one request, status/body/digest verdict. */

struct http_priv {
	regex_t re;
	bool has_re;
	SSL_CTX *ctx;		/* keeps the shared context cached */
	char *request;
	size_t reqlen;
	char expected[64];	/* "200-299" for messages */
};

struct http_run {
	struct hc_conn conn;	/* first: describe() reads it */
	struct hc_http_parser parser;
	EVP_MD_CTX *md;
	char *body;		/* kept only for the body regex */
	size_t bodylen;
};

static void
format_expected(struct http_priv *pv, const struct hc_check_config *cfg)
{
	size_t off = 0;

	if (cfg->http.n_status == 0) {
		snprintf(pv->expected, sizeof(pv->expected), "200-299");
		return;
	}
	pv->expected[0] = '\0';
	for (size_t i = 0; i < cfg->http.n_status &&
	    off < sizeof(pv->expected); i++) {
		const struct hc_status_range *r = &cfg->http.status[i];
		int n = r->lo == r->hi ?
		    snprintf(pv->expected + off, sizeof(pv->expected) - off,
		    "%s%u", i ? "," : "", r->lo) :
		    snprintf(pv->expected + off, sizeof(pv->expected) - off,
		    "%s%u-%u", i ? "," : "", r->lo, r->hi);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

static void
build_request(struct http_priv *pv, const struct hc_checker *ck)
{
	const struct hc_check_config *cfg = ck->cfg;
	char host[LVS_ADDRPORTSTRLEN + 2];
	uint16_t dflt = cfg->type == HC_TYPE_HTTPS ? 443 : 80;

	if (cfg->http.host) {
		snprintf(host, sizeof(host), "%s", cfg->http.host);
	} else if (ck->port == dflt) {
		char a[LVS_ADDRSTRLEN];
		addr_fmt(&ck->addr, a);
		snprintf(host, sizeof(host), ck->addr.af == AF_INET6 ?
		    "[%s]" : "%s", a);
	} else {
		addr_port_fmt(&ck->addr, ck->port, host);
	}
	pv->request = xasprintf("%s %s HTTP/1.1\r\nHost: %s\r\n"
	    "User-Agent: lvsd-healthcheck\r\nAccept: */*\r\n"
	    "Connection: close\r\n\r\n",
	    cfg->http.method == HC_HTTP_HEAD ? "HEAD" : "GET",
	    cfg->http.path ? cfg->http.path : "/", host);
	pv->reqlen = strlen(pv->request);
}

static int
http_setup(struct hc_checker *ck)
{
	struct http_priv *pv = xcalloc(1, sizeof(*pv));
	char err[200];

	ck->priv = pv;
	if (ck->cfg->http.body_regex) {
		if (regcomp(&pv->re, ck->cfg->http.body_regex,
		    REG_EXTENDED | REG_NOSUB) != 0)
			return -1;	/* validate() explained it already */
		pv->has_re = true;
	}
	if (ck->cfg->type == HC_TYPE_HTTPS) {
		pv->ctx = hc_tls_ctx_get(ck->eng, ck->cfg, err, sizeof(err));
		if (pv->ctx == NULL) {
			log_warnx("%s: %s", hc_checker_name(ck), err);
			return -1;
		}
	}
	format_expected(pv, ck->cfg);
	build_request(pv, ck);
	return 0;
}

static void
http_free(struct hc_checker *ck)
{
	struct http_priv *pv = ck->priv;

	if (pv == NULL)
		return;
	if (pv->has_re)
		regfree(&pv->re);
	hc_tls_ctx_put(ck->eng, pv->ctx);
	free(pv->request);
	free(pv);
	ck->priv = NULL;
}

static int
on_body(void *ud, const char *buf, size_t n)
{
	struct hc_checker *ck = ud;
	struct http_run *r = ck->run;
	struct http_priv *pv = ck->priv;

	if (r->md && EVP_DigestUpdate(r->md, buf, n) != 1)
		return -1;
	if (pv->has_re) {
		r->body = xrealloc(r->body, r->bodylen + n + 1);
		memcpy(r->body + r->bodylen, buf, n);
		r->bodylen += n;
		r->body[r->bodylen] = '\0';
	}
	return 0;
}

static bool
status_ok(const struct hc_check_config *cfg, int status)
{
	if (cfg->http.n_status == 0)
		return status >= 200 && status <= 299;
	for (size_t i = 0; i < cfg->http.n_status; i++)
		if (status >= cfg->http.status[i].lo &&
		    status <= cfg->http.status[i].hi)
			return true;
	return false;
}

static void
hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* Digest verdict: 0 match, -1 mismatch (reported). */
static int
check_digest(struct hc_checker *ck, struct http_run *r)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	char got[2 * EVP_MAX_MD_SIZE + 1], want[2 * HC_DIGEST_MAX + 1];

	if (EVP_DigestFinal_ex(r->md, md, &len) != 1) {
		hc_result(ck, false, -1, "HTTP body digest failed");
		return -1;
	}
	if (memcmp(md, ck->cfg->http.digest, len) == 0)
		return 0;
	hex(md, len, got);
	hex(ck->cfg->http.digest, len, want);
	hc_result(ck, false, -1, "HTTP body %s %s, expected %s",
	    ck->cfg->http.digest_alg == HC_DIGEST_MD5 ? "MD5" : "SHA-256",
	    got, want);
	return -1;
}

static void
verdict(struct hc_checker *ck)
{
	struct http_run *r = ck->run;
	struct http_priv *pv = ck->priv;
	int status = r->parser.status;
	unsigned long long blen = (unsigned long long)r->parser.body_len;

	if (!status_ok(ck->cfg, status)) {
		hc_result(ck, false, -1, "HTTP status %d, expected %s", status,
		    pv->expected);
		return;
	}
	if (pv->has_re) {
		regmatch_t m = { .rm_so = 0, .rm_eo = (regoff_t)r->bodylen };
		if (regexec(&pv->re, r->body ? r->body : "", 1, &m,
		    REG_STARTEND) != 0) {
			hc_result(ck, false, -1, "HTTP status %d, body (%llu "
			    "bytes) does not match /%s/", status, blen,
			    ck->cfg->http.body_regex);
			return;
		}
	}
	if (r->md && check_digest(ck, r) < 0)
		return;
	hc_result(ck, true, -1, "HTTP status %d, %llu bytes body%s%s", status,
	    blen, pv->has_re ? ", matches regex" : "",
	    r->md ? ", digest ok" : "");
}

static int
http_data(struct hc_checker *ck, const char *buf, size_t n)
{
	struct http_run *r = ck->run;

	if (r->conn.nread > ck->cfg->max_response) {
		hc_result(ck, false, -1, "HTTP response larger than %u bytes",
		    ck->cfg->max_response);
		return 1;
	}
	switch (hc_http_parser_feed(&r->parser, buf, n)) {
	case HC_HTTP_MORE:
		return 0;
	case HC_HTTP_DONE:
		verdict(ck);
		return 1;
	case HC_HTTP_ERROR:
		break;
	}
	hc_result(ck, false, -1, "invalid HTTP response: %s", r->parser.error);
	return 1;
}

static void
http_eof(struct hc_checker *ck)
{
	struct http_run *r = ck->run;

	if (hc_http_parser_eof(&r->parser) == HC_HTTP_DONE)
		verdict(ck);
	else
		hc_result(ck, false, -1, "invalid HTTP response: %s",
		    r->parser.error);
}

static const struct hc_conn_cbs http_cbs = {
	.on_data = http_data,
	.on_eof = http_eof,
};

static int
http_start(struct hc_checker *ck)
{
	struct http_priv *pv = ck->priv;
	struct http_run *r = xcalloc(1, sizeof(*r));

	ck->run = r;
	hc_http_parser_init(&r->parser, ck->cfg->http.method == HC_HTTP_HEAD,
	    on_body, ck);
	if (ck->cfg->http.digest_alg != HC_DIGEST_NONE) {
		r->md = EVP_MD_CTX_new();
		if (r->md == NULL || EVP_DigestInit_ex(r->md,
		    ck->cfg->http.digest_alg == HC_DIGEST_MD5 ? EVP_md5() :
		    EVP_sha256(), NULL) != 1) {
			hc_result(ck, false, -1, "digest setup failed");
			return -1;
		}
	}
	hc_conn_set_output(&r->conn, pv->request, pv->reqlen);
	return hc_conn_start(&r->conn, ck, &http_cbs,
	    ck->cfg->type == HC_TYPE_HTTPS);
}

static void
http_cancel(struct hc_checker *ck)
{
	struct http_run *r = ck->run;

	if (r == NULL)
		return;
	if (r->conn.ck == NULL)
		free(r->conn.out);	/* set before a start that never ran */
	hc_conn_close(&r->conn);
	EVP_MD_CTX_free(r->md);
	free(r->body);
	free(r);
	ck->run = NULL;
}

static void
http_describe(const struct hc_checker *ck, char *buf, size_t len)
{
	const struct http_run *r = ck->run;

	snprintf(buf, len, "%s", r ? hc_conn_phase_name(&r->conn) : "idle");
}

const struct hc_ops hc_http_ops = {
	.name = "HTTP",
	.setup = http_setup,
	.start = http_start,
	.cancel = http_cancel,
	.free = http_free,
	.describe = http_describe,
};
