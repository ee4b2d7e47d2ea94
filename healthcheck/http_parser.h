/*
 * Incremental HTTP/1.x response parser: status line, headers,
 * Content-Length, chunked and close-delimited bodies.  Bytes arrive in any
 * split; the body is handed out through a callback as it is decoded.
 * It keeps no pointers into the caller's buffers and allocates nothing.
 */
#ifndef LVSD_HEALTHCHECK_HTTP_PARSER_H
#define LVSD_HEALTHCHECK_HTTP_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status and chunk-size lines longer than this are errors; longer header
 * lines are skipped (only Content-Length and Transfer-Encoding matter),
 * so long cookies pass and an in-flight check stays small. */
#define HC_HTTP_LINE_MAX	1024
#define HC_HTTP_HEADERS_MAX	128

enum hc_http_rc {
	HC_HTTP_MORE,		/* need more bytes */
	HC_HTTP_DONE,		/* complete response */
	HC_HTTP_ERROR,		/* malformed; see ->error */
};

/* Decoded body bytes; returns 0, or -1 to stop (error set by caller). */
typedef int hc_http_body_fn(void *ud, const char *buf, size_t n);

struct hc_http_parser {
	int state;
	bool head;		/* response to HEAD: no body */
	int minor;		/* HTTP/1.minor */
	int status;		/* final status code */
	bool has_length, chunked;
	uint64_t length;	/* Content-Length */
	uint64_t remaining;	/* of the current body or chunk */
	uint64_t body_len;	/* decoded body bytes so far */
	unsigned headers;
	const char *error;	/* static text once HC_HTTP_ERROR */
	hc_http_body_fn *on_body;
	void *ud;
	size_t linelen;
	bool skipping;		/* inside an over-long header line */
	char line[HC_HTTP_LINE_MAX];
};

void hc_http_parser_init(struct hc_http_parser *p, bool head,
    hc_http_body_fn *on_body, void *ud);
/* Feeds n bytes (bytes past the end of the response are ignored). */
enum hc_http_rc hc_http_parser_feed(struct hc_http_parser *p,
    const char *buf, size_t n);
/* The peer closed: ends a close-delimited body, or is an error. */
enum hc_http_rc hc_http_parser_eof(struct hc_http_parser *p);

#endif
