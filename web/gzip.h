/*
 * gzip (RFC 1952) of a document lvsd-web serves, made once per snapshot:
 * Prometheus and browsers ask for it, and a 10,000-service /metrics is
 * some 100 MB of text but a few MB compressed.
 */
#ifndef LVSD_WEB_GZIP_H
#define LVSD_WEB_GZIP_H

#include <stddef.h>

/* A new buffer with data compressed (fast level), or NULL on failure. */
char *web_gzip(const char *data, size_t len, size_t *outlen);

#endif
