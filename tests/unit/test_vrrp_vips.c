/*
 * Batched address changes (vrrp/rtaddr.c) and a lone director's VIP set
 * (vrrp/hold.c, vrrp/vip.c) against the real kernel, in a network
 * namespace of each test's own (root; skipped otherwise): many small
 * batches with a refused request in the middle (named by its cookie, the
 * rest added, labels kept), answers that overflow a tiny receive buffer
 * (every refusal still reported, exactly once), removal; a reload of the
 * VIP set that removes and adds only what changed (the kernel's address
 * events counted).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/rtnetlink.h>
#include <systemd/sd-event.h>

#include "lib/log.h"
#include "vrrp/rtaddr.h"
#include "vrrp/vrrp.h"

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

/* lo up: announcements (GARP) on it then go out */
static void
lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ioctl(fd, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	ck_assert_int_eq(ioctl(fd, SIOCSIFFLAGS, &ifr), 0);
	close(fd);
}

static void
setup(void)
{
	if (unshare(CLONE_NEWNET) != 0)
		ck_abort_msg("unshare(CLONE_NEWNET): %s", strerror(errno));
	lo_up();
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

/* A socket that hears the kernel's IPv4 address events. */
static int
monitor_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
	    .nl_groups = RTMGRP_IPV4_IFADDR };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, NETLINK_ROUTE);
	int big = 8 << 20;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big,
	    sizeof(big)), 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Counts the RTM_NEWADDR and RTM_DELADDR events queued on fd. */
static void
monitor_count(int fd, int *added, int *removed)
{
	static char buf[1 << 16];
	ssize_t n;

	*added = *removed = 0;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		int left = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
		    h = NLMSG_NEXT(h, left)) {
			*added += h->nlmsg_type == RTM_NEWADDR;
			*removed += h->nlmsg_type == RTM_DELADDR;
		}
	}
	ck_assert_int_eq(errno, EAGAIN);	/* not ENOBUFS: all counted */
}

static void
vip_list(struct vrrp_vip *v, int from, int to)
{
	for (int i = from; i < to; i++) {
		memset(&v[i - from], 0, sizeof(*v));
		v[i - from].addr = addrs[i];
		v[i - from].plen = 32;
		memcpy(v[i - from].label, labels[i], sizeof(v->label));
	}
}

START_TEST(hold_update_touches_only_the_change)
{
	static struct vrrp_vip a[N], b[N];
	sd_event *ev;
	int added, removed;

	ck_assert_int_ge(sd_event_new(&ev), 0);
	vip_list(a, 0, 300);			/* 0..299 */
	vip_list(b, 100, 350);			/* 100..349: 100 go, 50 come */
	struct vrrp_hold *h = vrrp_hold_new(ev, a, 300, "lo", 1, 0);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(vrrp_hold_take(h), 0);
	ck_assert_int_eq(count_on_lo(), 300);
	int mon = monitor_open();
	vrrp_hold_update(h, b, 250, "lo");
	monitor_count(mon, &added, &removed);
	ck_assert_int_eq(removed, 100);
	ck_assert_int_eq(added, 50);
	ck_assert_int_eq(count_on_lo(), 250);
	vrrp_hold_free(h);
	monitor_count(mon, &added, &removed);
	ck_assert_int_eq(removed, 250);
	ck_assert_int_eq(count_on_lo(), 0);
	close(mon);
	sd_event_unref(ev);
}
END_TEST

int
main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root (a network namespace of its own)\n");
		return 77;
	}
	Suite *su = suite_create("vrrp_vips");
	TCase *tc = tcase_create("vips");

	log_init("test_vrrp_vips", LOG_TO_STDERR, false);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, batches_name_the_refused_one);
	tcase_add_test(tc, overflowing_answers_still_reported);
	tcase_add_test(tc, hold_update_touches_only_the_change);
	suite_add_tcase(su, tc);
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
