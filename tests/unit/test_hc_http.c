#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/http_parser.h"

struct sink {
	char body[4096];
	size_t len;
	bool reject;
};

static int
collect(void *ud, const char *buf, size_t n)
{
	struct sink *s = ud;

	if (s->reject)
		return -1;
	ck_assert_uint_le(s->len + n, sizeof(s->body));
	memcpy(s->body + s->len, buf, n);
	s->len += n;
	return 0;
}

/* Parses text split into pieces of `step` bytes (0: all at once), then
 * signals EOF if eof; returns the final code. */
static enum hc_http_rc
parse(struct hc_http_parser *p, struct sink *s, bool head, const char *text,
    size_t step, bool eof)
{
	size_t n = strlen(text);
	enum hc_http_rc rc = HC_HTTP_MORE;

	memset(s, 0, sizeof(*s));
	hc_http_parser_init(p, head, collect, s);
	if (step == 0)
		step = n ? n : 1;
	for (size_t off = 0; off < n && rc == HC_HTTP_MORE; off += step)
		rc = hc_http_parser_feed(p, text + off,
		    n - off < step ? n - off : step);
	if (rc == HC_HTTP_MORE && eof)
		rc = hc_http_parser_eof(p);
	s->body[s->len] = '\0';
	return rc;
}

static const char *const length_resp =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
    "Content-Length: 11\r\n\r\nhello world";

START_TEST(test_content_length_any_split)
{
	struct hc_http_parser p;
	struct sink s;

	/* Every split size gives the same result, without needing EOF. */
	for (size_t step = 0; step < 20; step++) {
		ck_assert_int_eq(parse(&p, &s, false, length_resp, step, false),
		    HC_HTTP_DONE);
		ck_assert_int_eq(p.status, 200);
		ck_assert_int_eq(p.minor, 1);
		ck_assert_str_eq(s.body, "hello world");
	}
}
END_TEST

START_TEST(test_chunked)
{
	struct hc_http_parser p;
	struct sink s;
	const char *r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n"
	    "\r\n5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\n"
	    "X-Trailer: 1\r\n\r\n";

	for (size_t step = 0; step < 8; step++) {
		ck_assert_int_eq(parse(&p, &s, false, r, step, false),
		    HC_HTTP_DONE);
		ck_assert_str_eq(s.body, "hello 0123456789");
	}
	/* Missing CRLF after chunk data. */
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 200 OK\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", 0, false),
	    HC_HTTP_ERROR);
	ck_assert_str_eq(p.error, "missing CRLF after chunk");
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 200 OK\r\n"
	    "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 0, false),
	    HC_HTTP_ERROR);
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 200 OK\r\n"
	    "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n", 0,
	    false), HC_HTTP_ERROR);
}
END_TEST

START_TEST(test_close_delimited)
{
	struct hc_http_parser p;
	struct sink s;
	const char *r = "HTTP/1.0 503 Service Unavailable\nServer: x\n\nbusy";

	/* LF-only lines are accepted; the body ends only at EOF. */
	ck_assert_int_eq(parse(&p, &s, false, r, 0, false), HC_HTTP_MORE);
	ck_assert_int_eq(parse(&p, &s, false, r, 3, true), HC_HTTP_DONE);
	ck_assert_int_eq(p.status, 503);
	ck_assert_int_eq(p.minor, 0);
	ck_assert_str_eq(s.body, "busy");
}
END_TEST

START_TEST(test_no_body_cases)
{
	struct hc_http_parser p;
	struct sink s;

	/* HEAD: Content-Length describes the GET body, none follows. */
	ck_assert_int_eq(parse(&p, &s, true, "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 500\r\n\r\n", 0, false), HC_HTTP_DONE);
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 204 No Content\r\n"
	    "\r\n", 0, false), HC_HTTP_DONE);
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 304 Not Modified\r\n"
	    "Content-Length: 10\r\n\r\n", 0, false), HC_HTTP_DONE);
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 0\r\n\r\n", 0, false), HC_HTTP_DONE);
	ck_assert_uint_eq(s.len, 0);
}
END_TEST

START_TEST(test_interim_response)
{
	struct hc_http_parser p;
	struct sink s;

	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", 1, false),
	    HC_HTTP_DONE);
	ck_assert_int_eq(p.status, 201);
	ck_assert_str_eq(s.body, "ok");
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 100 Continue\r\n\r\n",
	    0, true), HC_HTTP_ERROR);
}
END_TEST

START_TEST(test_malformed)
{
	struct hc_http_parser p;
	struct sink s;
	static const char *const bad[] = {
		"SSH-2.0-OpenSSH_9.2\r\n",
		"HTTP/2 200\r\n\r\n",
		"HTTP/1.1 20 OK\r\n\r\n",
		"HTTP/1.1 2000 OK\r\n\r\n",
		"HTTP/1.1 099 Odd\r\n\r\n",
		"HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
		    "Content-Length: 2\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n"
		    "\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(&p, &s, false, bad[i], 0, true) ==
		    HC_HTTP_ERROR, "accepted: %s", bad[i]);
		ck_assert_ptr_nonnull(p.error);
	}
}
END_TEST

START_TEST(test_truncated)
{
	struct hc_http_parser p;
	struct sink s;

	ck_assert_int_eq(parse(&p, &s, false, "", 0, true), HC_HTTP_ERROR);
	ck_assert_str_eq(p.error, "connection closed before status line");
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 200 OK\r\nA: b\r\n", 0,
	    true), HC_HTTP_ERROR);
	ck_assert_str_eq(p.error, "connection closed in headers");
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 5\r\n\r\nabc", 0, true), HC_HTTP_ERROR);
	ck_assert_str_eq(p.error, "connection closed before end of body");
}
END_TEST

START_TEST(test_limits_and_trailing_bytes)
{
	struct hc_http_parser p;
	struct sink s;
	size_t n = HC_HTTP_LINE_MAX + 64;
	char *big = malloc(n + 1);

	/* A long header line (a big cookie) is skipped, not an error... */
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(big + 20, 'a', n - 20);
	big[n] = '\0';
	char *resp = malloc(n + 64);
	snprintf(resp, n + 64, "%s\r\nContent-Length: 2\r\n\r\nok", big);
	for (size_t step = 0; step < 3; step++) {
		ck_assert_int_eq(parse(&p, &s, false, resp, step * 700, false),
		    HC_HTTP_DONE);
		ck_assert_str_eq(s.body, "ok");
	}
	free(resp);
	/* ... but a long status line or chunk size is. */
	memset(big, 'a', n);
	memcpy(big, "HTTP/1.1 200 ", 13);
	ck_assert_int_eq(parse(&p, &s, false, big, 100, false), HC_HTTP_ERROR);
	ck_assert_str_eq(p.error, "line too long");
	free(big);
	/* Bytes after a complete response are ignored, not an error. */
	ck_assert_int_eq(parse(&p, &s, false, "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 2\r\n\r\nokGARBAGE", 0, false), HC_HTTP_DONE);
	ck_assert_str_eq(s.body, "ok");
	/* A body callback can stop the parse (size cap, digest error). */
	hc_http_parser_init(&p, false, collect, &s);
	s.reject = true;
	ck_assert_int_eq(hc_http_parser_feed(&p, length_resp,
	    strlen(length_resp)), HC_HTTP_ERROR);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("hc_http");
	TCase *tc = tcase_create("parser");

	tcase_add_test(tc, test_content_length_any_split);
	tcase_add_test(tc, test_chunked);
	tcase_add_test(tc, test_close_delimited);
	tcase_add_test(tc, test_no_body_cases);
	tcase_add_test(tc, test_interim_response);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_limits_and_trailing_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());

	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
