#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "healthcheck/http_parser.h"

enum {
	ST_STATUS, ST_HEADER, ST_BODY_LENGTH, ST_BODY_CLOSE, ST_CHUNK_SIZE,
	ST_CHUNK_DATA, ST_CHUNK_END, ST_TRAILER, ST_DONE, ST_ERROR,
};

void
hc_http_parser_init(struct hc_http_parser *p, bool head,
    hc_http_body_fn *on_body, void *ud)
{
	memset(p, 0, sizeof(*p));
	p->state = ST_STATUS;
	p->head = head;
	p->on_body = on_body;
	p->ud = ud;
}

static enum hc_http_rc
fail(struct hc_http_parser *p, const char *why)
{
	p->state = ST_ERROR;
	p->error = why;
	return HC_HTTP_ERROR;
}

static enum hc_http_rc
parse_status(struct hc_http_parser *p, const char *l, size_t n)
{
	/* "HTTP/1.x NNN[ reason]" */
	if (n < 12 || memcmp(l, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)l[7]) ||
	    l[8] != ' ')
		return fail(p, "malformed status line");
	for (int i = 9; i < 12; i++)
		if (!isdigit((unsigned char)l[i]))
			return fail(p, "malformed status code");
	if (n > 12 && l[12] != ' ')
		return fail(p, "malformed status line");
	p->minor = l[7] - '0';
	p->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (p->status < 100)
		return fail(p, "malformed status code");
	p->has_length = false;
	p->chunked = false;
	p->headers = 0;
	p->state = ST_HEADER;
	return HC_HTTP_MORE;
}

/* Decimal Content-Length value; -1 if not one. */
static int
parse_length(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]) || x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

/* True if the comma-separated list v ends with the "chunked" coding. */
static bool
ends_chunked(const char *v, size_t n)
{
	size_t end = n, start;

	while (end > 0 && (v[end - 1] == ' ' || v[end - 1] == '\t'))
		end--;
	start = end;
	while (start > 0 && v[start - 1] != ',' && v[start - 1] != ' ' &&
	    v[start - 1] != '\t')
		start--;
	return end - start == 7 && strncasecmp(v + start, "chunked", 7) == 0;
}

static enum hc_http_rc
parse_header(struct hc_http_parser *p, const char *l, size_t n)
{
	const char *colon = memchr(l, ':', n);

	if (++p->headers > HC_HTTP_HEADERS_MAX)
		return fail(p, "too many header lines");
	if (l[0] == ' ' || l[0] == '\t')
		return HC_HTTP_MORE;	/* obsolete line folding: ignored */
	if (colon == NULL || colon == l)
		return fail(p, "malformed header line");
	size_t nlen = (size_t)(colon - l);
	const char *v = colon + 1;
	size_t vlen = n - nlen - 1;
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	if (nlen == 14 && strncasecmp(l, "Content-Length", 14) == 0) {
		uint64_t len;
		if (parse_length(v, vlen, &len) < 0)
			return fail(p, "invalid Content-Length");
		if (p->has_length && len != p->length)
			return fail(p, "conflicting Content-Length headers");
		p->has_length = true;
		p->length = len;
	} else if (nlen == 17 &&
	    strncasecmp(l, "Transfer-Encoding", 17) == 0) {
		p->chunked = ends_chunked(v, vlen);
		if (!p->chunked)
			return fail(p, "unsupported Transfer-Encoding");
	}
	return HC_HTTP_MORE;
}

static enum hc_http_rc
end_of_headers(struct hc_http_parser *p)
{
	if (p->status < 200 && p->status != 101) {
		/* Interim response (100 Continue): the real one follows. */
		p->state = ST_STATUS;
		return HC_HTTP_MORE;
	}
	if (p->head || p->status == 204 || p->status == 304 ||
	    p->status == 101) {
		p->state = ST_DONE;
		return HC_HTTP_DONE;
	}
	if (p->chunked) {
		p->state = ST_CHUNK_SIZE;
	} else if (p->has_length) {
		p->remaining = p->length;
		p->state = p->length ? ST_BODY_LENGTH : ST_DONE;
	} else {
		p->state = ST_BODY_CLOSE;
	}
	return p->state == ST_DONE ? HC_HTTP_DONE : HC_HTTP_MORE;
}

static enum hc_http_rc
parse_chunk_size(struct hc_http_parser *p, const char *l, size_t n)
{
	uint64_t x = 0;
	size_t i = 0;

	for (; i < n && isxdigit((unsigned char)l[i]); i++) {
		if (x > (UINT64_MAX >> 4))
			return fail(p, "chunk size too large");
		int c = tolower((unsigned char)l[i]);
		x = (x << 4) | (uint64_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
	}
	if (i == 0)
		return fail(p, "malformed chunk size");
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i < n && l[i] != ';')
		return fail(p, "malformed chunk size");
	p->remaining = x;
	p->state = x ? ST_CHUNK_DATA : ST_TRAILER;
	return HC_HTTP_MORE;
}

/* A complete line (CR LF or LF stripped) in p->line. */
static enum hc_http_rc
on_line(struct hc_http_parser *p)
{
	const char *l = p->line;
	size_t n = p->linelen;

	p->linelen = 0;
	switch (p->state) {
	case ST_STATUS:
		return parse_status(p, l, n);
	case ST_HEADER:
		return n == 0 ? end_of_headers(p) : parse_header(p, l, n);
	case ST_CHUNK_SIZE:
		return parse_chunk_size(p, l, n);
	case ST_CHUNK_END:
		if (n != 0)
			return fail(p, "missing CRLF after chunk");
		p->state = ST_CHUNK_SIZE;
		return HC_HTTP_MORE;
	case ST_TRAILER:
		if (n == 0) {
			p->state = ST_DONE;
			return HC_HTTP_DONE;
		}
		if (++p->headers > HC_HTTP_HEADERS_MAX)
			return fail(p, "too many trailer lines");
		return HC_HTTP_MORE;
	}
	return fail(p, "internal parser state");
}

static bool
in_line_state(int st)
{
	return st == ST_STATUS || st == ST_HEADER || st == ST_CHUNK_SIZE ||
	    st == ST_CHUNK_END || st == ST_TRAILER;
}

/* Consumes one line's worth of bytes from buf; returns bytes used. */
static size_t
take_line(struct hc_http_parser *p, const char *buf, size_t n,
    enum hc_http_rc *rc)
{
	const char *nl = memchr(buf, '\n', n);
	size_t take = nl ? (size_t)(nl - buf) + 1 : n;
	size_t add = nl ? take - 1 : take;

	*rc = HC_HTTP_MORE;
	if (p->skipping || p->linelen + add >= sizeof(p->line)) {
		if (p->state != ST_HEADER && p->state != ST_TRAILER) {
			*rc = fail(p, "line too long");
			return take;
		}
		p->skipping = nl == NULL;
		if (++p->headers > HC_HTTP_HEADERS_MAX && nl)
			*rc = fail(p, "too many header lines");
		p->linelen = 0;
		return take;
	}
	memcpy(p->line + p->linelen, buf, add);
	p->linelen += add;
	if (nl) {
		if (p->linelen && p->line[p->linelen - 1] == '\r')
			p->linelen--;
		*rc = on_line(p);
	}
	return take;
}

static enum hc_http_rc
body(struct hc_http_parser *p, const char *buf, size_t n)
{
	p->body_len += n;
	if (p->on_body && n && p->on_body(p->ud, buf, n) < 0)
		return fail(p, "body rejected");
	return HC_HTTP_MORE;
}

enum hc_http_rc
hc_http_parser_feed(struct hc_http_parser *p, const char *buf, size_t n)
{
	enum hc_http_rc rc = HC_HTTP_MORE;

	while (n > 0 && rc == HC_HTTP_MORE) {
		size_t used;
		if (p->state == ST_DONE)
			return HC_HTTP_DONE;
		if (p->state == ST_ERROR)
			return HC_HTTP_ERROR;
		if (in_line_state(p->state)) {
			used = take_line(p, buf, n, &rc);
		} else if (p->state == ST_BODY_CLOSE) {
			used = n;
			rc = body(p, buf, n);
		} else {
			used = n < p->remaining ? n : (size_t)p->remaining;
			p->remaining -= used;
			rc = body(p, buf, used);
			if (rc == HC_HTTP_MORE && p->remaining == 0) {
				if (p->state == ST_CHUNK_DATA) {
					p->state = ST_CHUNK_END;
				} else {
					p->state = ST_DONE;
					rc = HC_HTTP_DONE;
				}
			}
		}
		buf += used;
		n -= used;
	}
	if (p->state == ST_DONE)
		return HC_HTTP_DONE;
	return rc;
}

enum hc_http_rc
hc_http_parser_eof(struct hc_http_parser *p)
{
	switch (p->state) {
	case ST_DONE:
		return HC_HTTP_DONE;
	case ST_BODY_CLOSE:
		p->state = ST_DONE;
		return HC_HTTP_DONE;
	case ST_ERROR:
		return HC_HTTP_ERROR;
	case ST_STATUS:
		return fail(p, p->status ? "connection closed after interim "
		    "response" : "connection closed before status line");
	case ST_HEADER:
		return fail(p, "connection closed in headers");
	default:
		return fail(p, "connection closed before end of body");
	}
}
