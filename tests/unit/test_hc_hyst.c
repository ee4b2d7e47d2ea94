#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/hc.h"
#include "healthcheck/hyst.h"

/* Feeds a string of results ('+' ok, '-' fail); returns the transitions
 * as a string of 'U'/'D'/'.' so each test reads like a timeline. */
static char *
run(struct hc_hyst *h, const char *results)
{
	static char out[128];
	size_t i = 0;

	for (; results[i]; i++) {
		enum hc_hyst_out o = hc_hyst_feed(h, results[i] == '+');
		out[i] = o == HC_HYST_UP ? 'U' : o == HC_HYST_DOWN ? 'D' : '.';
	}
	out[i] = '\0';
	return out;
}

START_TEST(test_nanny_defaults)
{
	/* timeout 10, reentry 180: one failure removes, 18 successes
	 * re-admit; the very first success admits at once. */
	struct hc_check_config c;
	struct hc_hyst h;

	hc_check_config_init(&c);
	hc_config_piranha_timing(&c, 10, 180, 0);
	ck_assert_uint_eq(c.interval_ms, 10000);
	ck_assert_uint_eq(c.timeout_ms, 10000);
	ck_assert_uint_eq(c.fall, 1);
	ck_assert_uint_eq(c.rise, 18);
	hc_hyst_init(&h, c.init_state, c.rise, c.fall);
	ck_assert_str_eq(run(&h, "+-"), "UD");
	ck_assert_str_eq(run(&h, "+++++++++++++++++"), ".................");
	ck_assert_str_eq(run(&h, "+"), "U");
	ck_assert_uint_eq(h.transitions, 3);
}
END_TEST

START_TEST(test_piranha_with_interval)
{
	struct hc_check_config c;

	hc_check_config_init(&c);
	/* Checks every 2 s still remove after 10 s of failure and
	 * re-admit after 30 s of success. */
	hc_config_piranha_timing(&c, 10, 30, 2);
	ck_assert_uint_eq(c.interval_ms, 2000);
	ck_assert_uint_eq(c.timeout_ms, 2000);
	ck_assert_uint_eq(c.fall, 5);
	ck_assert_uint_eq(c.rise, 15);
	/* reentry shorter than the period: the next success suffices. */
	hc_config_piranha_timing(&c, 10, 5, 0);
	ck_assert_uint_eq(c.rise, 1);
}
END_TEST

START_TEST(test_rise_fall_counts)
{
	struct hc_hyst h;

	hc_hyst_init(&h, HC_INIT_UP, 2, 3);
	ck_assert(h.up);
	ck_assert_str_eq(run(&h, "--+--+---"), "........D");
	ck_assert_uint_eq(h.fail_run, 3);
	/* Down: a single success is not enough, a failure resets. */
	ck_assert_str_eq(run(&h, "+-+"), "...");
	ck_assert_str_eq(run(&h, "+"), "U");
	ck_assert_uint_eq(h.ok_run, 2);
	/* At most one transition per result, none while staying up. */
	ck_assert_str_eq(run(&h, "++++"), "....");
	ck_assert_uint_eq(h.transitions, 2);
}
END_TEST

START_TEST(test_init_down_first_failure)
{
	struct hc_hyst h;

	/* Starting down: a failing server stays down silently, then needs
	 * the full rise count (only the very first result is special). */
	hc_hyst_init(&h, HC_INIT_DOWN, 3, 1);
	ck_assert_str_eq(run(&h, "-++"), "...");
	ck_assert_str_eq(run(&h, "+"), "U");
	ck_assert_str_eq(run(&h, "-"), "D");
}
END_TEST

START_TEST(test_zero_counts_mean_one)
{
	struct hc_hyst h;

	hc_hyst_init(&h, HC_INIT_UP, 0, 0);
	ck_assert_str_eq(run(&h, "-+-+"), "DUDU");
}
END_TEST

START_TEST(test_unescape)
{
	char *s = hc_piranha_unescape("GET / HTTP/1.0\\r\\n\\r\\n");
	ck_assert_str_eq(s, "GET / HTTP/1.0\r\n\r\n");
	free(s);
	s = hc_piranha_unescape("a\\tb\\\\c\\'d\\\"e\\.f\\");
	ck_assert_str_eq(s, "a\tb\\c'd\"e\\.f\\");
	free(s);
}
END_TEST

START_TEST(test_status_list)
{
	struct hc_status_range *r = NULL;
	size_t n = 0;
	const char *err = NULL;

	ck_assert_int_eq(hc_parse_status_list("200, 301-302 2xx", &r, &n,
	    &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(r[0].lo, 200);
	ck_assert_uint_eq(r[0].hi, 200);
	ck_assert_uint_eq(r[1].lo, 301);
	ck_assert_uint_eq(r[1].hi, 302);
	ck_assert_uint_eq(r[2].lo, 200);
	ck_assert_uint_eq(r[2].hi, 299);
	free(r);
	ck_assert_int_eq(hc_parse_status_list("302-301", &r, &n, &err), -1);
	ck_assert_int_eq(hc_parse_status_list("99", &r, &n, &err), -1);
	ck_assert_int_eq(hc_parse_status_list("200x", &r, &n, &err), -1);
	ck_assert_int_eq(hc_parse_status_list(" ", &r, &n, &err), -1);
}
END_TEST

START_TEST(test_digest_and_validate)
{
	uint8_t d[32];
	struct hc_check_config c;
	char err[200];

	ck_assert_int_eq(hc_parse_digest(HC_DIGEST_MD5,
	    "d41d8cd98f00b204e9800998ecf8427e", d), 0);
	ck_assert_uint_eq(d[0], 0xd4);
	ck_assert_int_eq(hc_parse_digest(HC_DIGEST_SHA256, "d41d", d), -1);
	hc_check_config_init(&c);
	ck_assert_int_eq(hc_check_config_validate(&c, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "address"));
	addr_parse("192.0.2.1", &c.addr);
	ck_assert_int_eq(hc_check_config_validate(&c, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "check port"));
	c.port = 80;
	c.type = HC_TYPE_HTTP;
	c.http.body_regex = strdup("(unclosed");
	ck_assert_int_eq(hc_check_config_validate(&c, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "body regex"));
	hc_check_config_clear(&c);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("hc_hyst");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_nanny_defaults);
	tcase_add_test(tc, test_piranha_with_interval);
	tcase_add_test(tc, test_rise_fall_counts);
	tcase_add_test(tc, test_init_down_first_failure);
	tcase_add_test(tc, test_zero_counts_mean_one);
	tcase_add_test(tc, test_unescape);
	tcase_add_test(tc, test_status_list);
	tcase_add_test(tc, test_digest_and_validate);
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
