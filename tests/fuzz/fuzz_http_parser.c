/* fuzz-sources: healthcheck/http_parser.c */
/*
 * HTTP/1.x response parser: arbitrary bytes, fed in pieces whose sizes the
 * input chooses, then EOF.  The body callback checks that the decoded body
 * never exceeds the bytes given.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "healthcheck/http_parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t body_total;

static int
on_body(void *ud, const char *buf, size_t n)
{
	(void)ud;
	(void)buf;
	body_total += n;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hc_http_parser p;

	if (size < 2)
		return 0;
	bool head = data[0] & 1;
	size_t step = (size_t)(data[1] % 64) + 1;
	data += 2;
	size -= 2;
	body_total = 0;
	hc_http_parser_init(&p, head, on_body, NULL);
	enum hc_http_rc rc = HC_HTTP_MORE;
	for (size_t off = 0; off < size && rc == HC_HTTP_MORE; off += step)
		rc = hc_http_parser_feed(&p, (const char *)data + off,
		    size - off < step ? size - off : step);
	if (rc == HC_HTTP_MORE)
		rc = hc_http_parser_eof(&p);
	if (body_total > size || (rc == HC_HTTP_ERROR && p.error == NULL) ||
	    (rc == HC_HTTP_DONE && (p.status < 100 || p.status > 999)))
		abort();
	return 0;
}
