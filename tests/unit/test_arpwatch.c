/* The ARP watch's packet codec against exact wire bytes. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/arpwatch.h"

static const uint8_t mac[HC_MAC_LEN] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
static const uint8_t rs_mac[HC_MAC_LEN] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };

/* who-has 10.0.2.50 tell 0.0.0.0, from 02:00:5e:10:20:30 (RFC 5227 probe) */
static const uint8_t probe_bytes[HC_ARP_LEN] = {
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 10, 0, 2, 50,
};

/* 10.0.2.50 is-at 52:54:00:aa:bb:cc, to the prober (Ethernet-padded) */
static const uint8_t reply_bytes[46] = {
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
	0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc, 10, 0, 2, 50,
	0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0, 0, 0, 0,
};

START_TEST(arp_probe_exact)
{
	struct in_addr any = { 0 }, vip;
	uint8_t pkt[HC_ARP_LEN];

	inet_pton(AF_INET, "10.0.2.50", &vip);
	hc_arp_request(pkt, mac, &any, &vip);
	ck_assert_mem_eq(pkt, probe_bytes, HC_ARP_LEN);
}
END_TEST

START_TEST(arp_reply_parsed)
{
	struct hc_nd_answer a;
	char why[160], ab[LVS_ADDRSTRLEN], mb[HC_MACSTRLEN];

	ck_assert_int_eq(hc_arp_parse_reply(reply_bytes, sizeof(reply_bytes), &a,
	    why, sizeof(why)), 0);
	ck_assert_str_eq(addr_fmt(&a.addr, ab), "10.0.2.50");
	ck_assert(a.has_mac);
	ck_assert_str_eq(hc_mac_fmt(a.mac, mb), "52:54:00:aa:bb:cc");
	ck_assert_int_eq(hc_arp_parse_reply(reply_bytes, HC_ARP_LEN, &a, why,
	    sizeof(why)), 0);
}
END_TEST

typedef int (*parse_fn)(const uint8_t *, size_t, struct hc_nd_answer *,
    char *, size_t);

static void
expect_reject(parse_fn parse, const uint8_t *pkt, size_t len, const char *says)
{
	struct hc_nd_answer a;
	char why[160] = "";

	ck_assert_int_eq(parse(pkt, len, &a, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, says) != NULL, "`%s` lacks `%s`", why, says);
}

#define expect_arp_reject(p, l, s) expect_reject(hc_arp_parse_reply, p, l, s)
#define expect_na_reject(p, l, s) expect_reject(hc_nd_parse_advert, p, l, s)

START_TEST(arp_rejects)
{
	uint8_t b[HC_ARP_LEN];

	expect_arp_reject(reply_bytes, 27, "27 bytes");
	expect_arp_reject(probe_bytes, HC_ARP_LEN, "operation 1, not a reply");
	memcpy(b, reply_bytes, sizeof(b));
	b[1] = 6;			/* IEEE 802 */
	expect_arp_reject(b, sizeof(b), "not Ethernet/IPv4");
	memcpy(b, reply_bytes, sizeof(b));
	b[5] = 16;			/* protocol address length */
	expect_arp_reject(b, sizeof(b), "not Ethernet/IPv4");
	memcpy(b, reply_bytes, sizeof(b));
	b[8] = 0x01;			/* a group address as sender */
	expect_arp_reject(b, sizeof(b), "group or zero");
	memcpy(b, reply_bytes, sizeof(b));
	memset(b + 8, 0, HC_MAC_LEN);
	expect_arp_reject(b, sizeof(b), "group or zero");
	memcpy(b, reply_bytes, sizeof(b));
	memset(b + 14, 0, 4);
	expect_arp_reject(b, sizeof(b), "for 0.0.0.0");
}
END_TEST

START_TEST(ns_exact)
{
	struct in6_addr vip, group, want;
	uint8_t pkt[HC_NS_LEN];
	static const uint8_t head[8] = { 135, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t opt[8] = { 1, 1, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };

	inet_pton(AF_INET6, "2001:db8::12:3456", &vip);
	hc_nd_solicit(pkt, mac, &vip);
	ck_assert_mem_eq(pkt, head, 8);
	ck_assert_mem_eq(pkt + 8, &vip, 16);
	ck_assert_mem_eq(pkt + 24, opt, 8);
	hc_nd_solicited_node(&vip, &group);
	inet_pton(AF_INET6, "ff02::1:ff12:3456", &want);
	ck_assert_mem_eq(&group, &want, 16);
}
END_TEST

/* A solicited NA for target from rs_mac, with options after it. */
static size_t
na(uint8_t *b, const char *target, const uint8_t *opts, size_t optlen)
{
	memset(b, 0, 24);
	b[0] = 136;
	b[4] = 0x60;			/* solicited, override */
	inet_pton(AF_INET6, target, b + 8);
	memcpy(b + 24, opts, optlen);
	return 24 + optlen;
}

START_TEST(na_parsed)
{
	uint8_t b[64], opts[16] = { 14, 1 };	/* an unknown option first */
	struct hc_nd_answer a;
	char why[160], ab[LVS_ADDRSTRLEN], mb[HC_MACSTRLEN];

	opts[8] = 2;
	opts[9] = 1;
	memcpy(opts + 10, rs_mac, HC_MAC_LEN);
	size_t n = na(b, "2001:db8::100", opts, sizeof(opts));
	ck_assert_int_eq(hc_nd_parse_advert(b, n, &a, why, sizeof(why)), 0);
	ck_assert_str_eq(addr_fmt(&a.addr, ab), "2001:db8::100");
	ck_assert(a.has_mac && a.solicited);
	ck_assert_str_eq(hc_mac_fmt(a.mac, mb), "52:54:00:aa:bb:cc");
	/* Without the option: the answer, but no MAC to name the host by. */
	ck_assert_int_eq(hc_nd_parse_advert(b, 24, &a, why, sizeof(why)), 0);
	ck_assert(!a.has_mac);
}
END_TEST

START_TEST(na_rejects)
{
	uint8_t b[64], tlla[8] = { 2, 1 }, zero_len[8] = { 2, 0 },
	    long_opt[8] = { 2, 2 }, group[8] = { 2, 1, 0x33, 0x33 };
	size_t n;

	memcpy(tlla + 2, rs_mac, HC_MAC_LEN);
	n = na(b, "2001:db8::100", tlla, 8);
	expect_na_reject(b, 23, "too short");
	b[0] = 135;
	expect_na_reject(b, n, "type 135 code 0");
	n = na(b, "2001:db8::100", tlla, 8);
	b[1] = 1;
	expect_na_reject(b, n, "type 136 code 1");
	n = na(b, "ff02::1", tlla, 8);
	expect_na_reject(b, n, "multicast");
	n = na(b, "2001:db8::100", zero_len, 8);
	expect_na_reject(b, n, "malformed option");
	n = na(b, "2001:db8::100", long_opt, 8);
	expect_na_reject(b, n, "malformed option");
	n = na(b, "2001:db8::100", tlla, 8);
	expect_na_reject(b, n - 3, "malformed option");	/* truncated */
	n = na(b, "2001:db8::100", group, 8);
	expect_na_reject(b, n, "not an Ethernet station");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("arpwatch");
	TCase *tc = tcase_create("codec");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, arp_probe_exact);
	tcase_add_test(tc, arp_reply_parsed);
	tcase_add_test(tc, arp_rejects);
	tcase_add_test(tc, ns_exact);
	tcase_add_test(tc, na_parsed);
	tcase_add_test(tc, na_rejects);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
