#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "healthcheck/hc_int.h"
#include "lib/xalloc.h"

/*
 * Thousands of HTTPS checkers usually share a handful of TLS settings; one
 * SSL_CTX per distinct (verify, CA, client cert, key) keeps the CA store
 * and certificates in memory once.
 */
struct hc_tls_entry {
	LIST_ENTRY(hc_tls_entry) entry;
	bool verify;
	char *ca_file, *cert_file, *key_file;
	SSL_CTX *ctx;
	unsigned refs;
};

struct hc_tls_cache {
	LIST_HEAD(, hc_tls_entry) entries;
};

static bool
str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

const char *
hc_tls_errstr(char *buf, size_t len, int ret, int ssl_err)
{
	unsigned long e = ERR_get_error();

	if (e != 0) {
		ERR_error_string_n(e, buf, len);
		ERR_clear_error();
		return buf;
	}
	if (ssl_err == SSL_ERROR_SYSCALL && ret < 0 && errno)
		snprintf(buf, len, "%s", strerror(errno));
	else if (ssl_err == SSL_ERROR_SYSCALL)
		snprintf(buf, len, "connection closed by peer");
	else
		snprintf(buf, len, "TLS error %d", ssl_err);
	return buf;
}

static SSL_CTX *
ctx_create(const struct hc_check_config *cfg, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char buf[160];

	if (ctx == NULL) {
		snprintf(err, errlen, "SSL_CTX_new failed");
		return NULL;
	}
	/* Real servers often just close: treat that as the end of data. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_verify(ctx, cfg->tls.verify ? SSL_VERIFY_PEER :
	    SSL_VERIFY_NONE, NULL);
	if (cfg->tls.verify) {
		int ok = cfg->tls.ca_file ?
		    SSL_CTX_load_verify_locations(ctx, cfg->tls.ca_file, NULL) :
		    SSL_CTX_set_default_verify_paths(ctx);
		if (ok != 1) {
			snprintf(err, errlen, "CA file %s: %s",
			    cfg->tls.ca_file ? cfg->tls.ca_file : "(default)",
			    hc_tls_errstr(buf, sizeof(buf), 0, SSL_ERROR_SSL));
			SSL_CTX_free(ctx);
			return NULL;
		}
	}
	if (cfg->tls.cert_file) {
		const char *key = cfg->tls.key_file ? cfg->tls.key_file :
		    cfg->tls.cert_file;
		if (SSL_CTX_use_certificate_chain_file(ctx,
		    cfg->tls.cert_file) != 1 ||
		    SSL_CTX_use_PrivateKey_file(ctx, key,
		    SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx) != 1) {
			snprintf(err, errlen, "client certificate %s: %s",
			    cfg->tls.cert_file,
			    hc_tls_errstr(buf, sizeof(buf), 0, SSL_ERROR_SSL));
			SSL_CTX_free(ctx);
			return NULL;
		}
	}
	return ctx;
}

SSL_CTX *
hc_tls_ctx_get(struct hc_engine *eng, const struct hc_check_config *cfg,
    char *err, size_t errlen)
{
	struct hc_tls_entry *e;

	if (eng->tls == NULL) {
		eng->tls = xcalloc(1, sizeof(*eng->tls));
		LIST_INIT(&eng->tls->entries);
	}
	LIST_FOREACH(e, &eng->tls->entries, entry) {
		if (e->verify == cfg->tls.verify &&
		    str_eq(e->ca_file, cfg->tls.ca_file) &&
		    str_eq(e->cert_file, cfg->tls.cert_file) &&
		    str_eq(e->key_file, cfg->tls.key_file)) {
			e->refs++;
			return e->ctx;
		}
	}
	SSL_CTX *ctx = ctx_create(cfg, err, errlen);
	if (ctx == NULL)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->verify = cfg->tls.verify;
	e->ca_file = cfg->tls.ca_file ? xstrdup(cfg->tls.ca_file) : NULL;
	e->cert_file = cfg->tls.cert_file ? xstrdup(cfg->tls.cert_file) : NULL;
	e->key_file = cfg->tls.key_file ? xstrdup(cfg->tls.key_file) : NULL;
	e->ctx = ctx;
	e->refs = 1;
	LIST_INSERT_HEAD(&eng->tls->entries, e, entry);
	return ctx;
}

static void
entry_free(struct hc_tls_entry *e)
{
	LIST_REMOVE(e, entry);
	SSL_CTX_free(e->ctx);
	free(e->ca_file);
	free(e->cert_file);
	free(e->key_file);
	free(e);
}

void
hc_tls_ctx_put(struct hc_engine *eng, SSL_CTX *ctx)
{
	struct hc_tls_entry *e;

	if (eng->tls == NULL || ctx == NULL)
		return;
	LIST_FOREACH(e, &eng->tls->entries, entry) {
		if (e->ctx == ctx) {
			if (--e->refs == 0)
				entry_free(e);
			return;
		}
	}
}

void
hc_tls_cache_free(struct hc_engine *eng)
{
	if (eng->tls == NULL)
		return;
	while (!LIST_EMPTY(&eng->tls->entries))
		entry_free(LIST_FIRST(&eng->tls->entries));
	free(eng->tls);
	eng->tls = NULL;
}
