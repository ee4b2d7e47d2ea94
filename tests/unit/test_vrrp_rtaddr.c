/*
 * Batched address changes (vrrp/rtaddr.c) against the real kernel, in a
 * network namespace of each test's own (root; skipped otherwise): many
 * small batches with a refused request in the middle (named by its
 * cookie, the rest added, labels kept), answers that overflow a tiny
 * receive buffer (every refusal still reported, exactly once), removal.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrp/rtaddr.h"

#define N 400
#define BAD 201			/* a prefix length the kernel refuses */

static struct lvs_addr addrs[N];
static char labels[N][16];
static unsigned refusals[N];
static int last_err[N];

static void
on_refused(void *arg, size_t cookie, int err)
{
	(void)arg;
	ck_assert_uint_lt(cookie, N);
	refusals[cookie]++;
	last_err[cookie] = err;
}

static void
setup(void)
{
	if (unshare(CLONE_NEWNET) != 0)
		ck_abort_msg("unshare(CLONE_NEWNET): %s", strerror(errno));
	memset(refusals, 0, sizeof(refusals));
	for (int i = 0; i < N; i++) {
		char text[32];
		snprintf(text, sizeof(text), "10.9.%d.%d", i / 200, i % 200 + 1);
		ck_assert_int_eq(addr_parse(text, &addrs[i]), 0);
		snprintf(labels[i], sizeof(labels[i]), "lo:%d", i);
	}
}

static void
queue_all(struct rtaddr_sock *s, bool add)
{
	for (int i = 0; i < N; i++) {
		struct rtaddr_req r = { &addrs[i], i == BAD ? 33 : 32,
		    (int)if_nametoindex("lo"), labels[i] };
		rtaddr_queue(s, add, &r, (size_t)i, on_refused, NULL);
	}
}

/* How many 10.9.* addresses lo has; each must carry its label. */
static int
count_on_lo(void)
{
	struct ifaddrs *all, *a;
	int n = 0;

	ck_assert_int_eq(getifaddrs(&all), 0);
	for (a = all; a != NULL; a = a->ifa_next) {
		if (a->ifa_addr == NULL || a->ifa_addr->sa_family != AF_INET)
			continue;
		const struct sockaddr_in *sin = (const void *)a->ifa_addr;
		uint32_t h = ntohl(sin->sin_addr.s_addr);
		if ((h >> 16) != ((10u << 8) | 9))
			continue;
		int i = (int)((h >> 8) & 0xff) * 200 + (int)(h & 0xff) - 1;
		ck_assert_int_lt(i, N);
		ck_assert_str_eq(a->ifa_name, labels[i]);
		n++;
	}
	freeifaddrs(all);
	return n;
}

static unsigned
total_refusals(void)
{
	unsigned t = 0;
	for (int i = 0; i < N; i++)
		t += refusals[i];
	return t;
}

START_TEST(batches_name_the_refused_one)
{
	struct rtaddr_sock s;

	ck_assert_int_eq(rtaddr_open(&s, 1024, 0), 0);	/* ~15 per batch */
	queue_all(&s, true);
	ck_assert_int_eq(rtaddr_flush(&s, on_refused, NULL), 0);
	ck_assert_uint_eq(total_refusals(), 1);
	ck_assert_uint_eq(refusals[BAD], 1);
	ck_assert_int_eq(last_err[BAD], EINVAL);
	ck_assert_int_eq(count_on_lo(), N - 1);

	/* removed: only the one that was never added is missing */
	memset(refusals, 0, sizeof(refusals));
	queue_all(&s, false);
	ck_assert_int_eq(rtaddr_flush(&s, on_refused, NULL), 0);
	ck_assert_int_eq(count_on_lo(), 0);
	ck_assert_uint_eq(refusals[BAD], 1);
	ck_assert_uint_eq(total_refusals(), 1);
	rtaddr_close(&s);
}
END_TEST

START_TEST(overflowing_answers_still_reported)
{
	struct rtaddr_sock s;

	ck_assert_int_eq(rtaddr_open(&s, 0, 0), 0);
	queue_all(&s, true);
	ck_assert_int_eq(rtaddr_flush(&s, on_refused, NULL), 0);
	rtaddr_close(&s);
	/* one batch of N requests, every one refused (EEXIST), answers into
	 * an 8 KB buffer: most are lost, the batch goes again one by one */
	memset(refusals, 0, sizeof(refusals));
	ck_assert_int_eq(rtaddr_open(&s, 64 * 1024, 4096), 0);
	queue_all(&s, true);
	ck_assert_int_eq(rtaddr_flush(&s, on_refused, NULL), 0);
	for (int i = 0; i < N; i++) {
		ck_assert_uint_eq(refusals[i], 1);
		ck_assert_int_eq(last_err[i], i == BAD ? EINVAL : EEXIST);
	}
	ck_assert_int_eq(count_on_lo(), N - 1);
	rtaddr_close(&s);
}
END_TEST

int
main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root (a network namespace of its own)\n");
		return 77;
	}
	Suite *su = suite_create("vrrp_rtaddr");
	TCase *tc = tcase_create("rtaddr");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, batches_name_the_refused_one);
	tcase_add_test(tc, overflowing_answers_still_reported);
	suite_add_tcase(su, tc);
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
