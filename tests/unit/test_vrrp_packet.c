/* VRRP v2/v3 and pulse codecs against exact wire bytes. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/packet.h"

/* Expected bytes computed independently (Python, RFC 1071 sum). */
static const uint8_t v2_bytes[] = {
	0x21, 0x33, 0x64, 0x01, 0x01, 0x01, 0x7b, 0xcb, 0xc0, 0xa8, 0x01,
	0x0a, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x00, 0x00,
};
static const uint8_t v3_4_bytes[] = {
	0x31, 0x01, 0x64, 0x01, 0x00, 0x64, 0x75, 0xa5, 0x0a, 0x00, 0x00, 0x64,
};
static const uint8_t v3_6_bytes[] = {
	0x31, 0x07, 0xc8, 0x01, 0x01, 0x2c, 0xd8, 0xf2, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
};

static struct lvs_addr
A(const char *s)
{
	struct lvs_addr a;
	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static struct vrrp_pkt
v2_pkt(void)
{
	struct vrrp_pkt p;
	memset(&p, 0, sizeof(p));
	p.version = 2;
	p.type = VRRP_TYPE_ADVERT;
	p.vrid = 51;
	p.priority = 100;
	p.naddr = 1;
	p.auth_type = VRRP_AUTH_SIMPLE;
	p.interval = 1;
	memcpy(p.auth, "secret\0\0", 8);
	p.af = AF_INET;
	p.addrs[0] = A("192.168.1.10");
	return p;
}

START_TEST(v2_build_exact)
{
	struct vrrp_pkt p = v2_pkt();
	struct lvs_addr s = A("192.168.1.1"), d = A("224.0.0.18");
	uint8_t buf[64];
	ssize_t n = vrrp_pkt_build(&p, &s, &d, buf, sizeof(buf));
	ck_assert_int_eq(n, sizeof(v2_bytes));
	ck_assert_mem_eq(buf, v2_bytes, sizeof(v2_bytes));
}
END_TEST

START_TEST(v2_parse_exact)
{
	struct lvs_addr s = A("192.168.1.1"), d = A("224.0.0.18");
	struct vrrp_pkt p;
	enum vrrp_drop why = VRRP_DROP_MAX;
	char buf[LVS_ADDRSTRLEN];

	ck_assert_int_eq(vrrp_pkt_parse(v2_bytes, sizeof(v2_bytes), &s, &d, &p,
	    &why), 0);
	ck_assert_int_eq(why, VRRP_DROP_NONE);
	ck_assert_int_eq(p.version, 2);
	ck_assert_int_eq(p.vrid, 51);
	ck_assert_int_eq(p.priority, 100);
	ck_assert_int_eq(p.interval, 1);
	ck_assert_int_eq(p.auth_type, VRRP_AUTH_SIMPLE);
	ck_assert_mem_eq(p.auth, "secret\0\0", 8);
	ck_assert_int_eq(p.naddr, 1);
	ck_assert_str_eq(addr_fmt(&p.addrs[0], buf), "192.168.1.10");
}
END_TEST

START_TEST(v3_ipv4_exact)
{
	struct lvs_addr s = A("10.0.0.1"), d = A("224.0.0.18");
	struct vrrp_pkt p, q;
	enum vrrp_drop why;
	uint8_t buf[64];

	memset(&p, 0, sizeof(p));
	p.version = 3;
	p.type = 1;
	p.vrid = 1;
	p.priority = 100;
	p.naddr = 1;
	p.interval = 100;
	p.af = AF_INET;
	p.addrs[0] = A("10.0.0.100");
	ck_assert_int_eq(vrrp_pkt_build(&p, &s, &d, buf, sizeof(buf)),
	    sizeof(v3_4_bytes));
	ck_assert_mem_eq(buf, v3_4_bytes, sizeof(v3_4_bytes));
	ck_assert_int_eq(vrrp_pkt_parse(buf, sizeof(v3_4_bytes), &s, &d, &q,
	    &why), 0);
	ck_assert_int_eq(q.interval, 100);
	ck_assert(addr_eq(&q.addrs[0], &p.addrs[0]));
	/* The pseudo-header counts: another source breaks the checksum. */
	s = A("10.0.0.2");
	ck_assert_int_eq(vrrp_pkt_parse(buf, sizeof(v3_4_bytes), &s, &d, &q,
	    &why), -1);
	ck_assert_int_eq(why, VRRP_DROP_CHECKSUM);
}
END_TEST

START_TEST(v3_ipv6_exact)
{
	struct lvs_addr s = A("fe80::1"), d = A("ff02::12");
	struct vrrp_pkt p, q;
	enum vrrp_drop why;
	uint8_t buf[64];

	memset(&p, 0, sizeof(p));
	p.version = 3;
	p.type = 1;
	p.vrid = 7;
	p.priority = 200;
	p.naddr = 1;
	p.interval = 300;
	p.af = AF_INET6;
	p.addrs[0] = A("2001:db8::100");
	ck_assert_int_eq(vrrp_pkt_build(&p, &s, &d, buf, sizeof(buf)),
	    sizeof(v3_6_bytes));
	ck_assert_mem_eq(buf, v3_6_bytes, sizeof(v3_6_bytes));
	ck_assert_int_eq(vrrp_pkt_parse(v3_6_bytes, sizeof(v3_6_bytes), &s, &d,
	    &q, &why), 0);
	ck_assert_int_eq(q.vrid, 7);
	ck_assert_int_eq(q.priority, 200);
	ck_assert_int_eq(q.interval, 300);
	ck_assert(addr_eq(&q.addrs[0], &p.addrs[0]));
}
END_TEST

static enum vrrp_drop
parse_v2(const uint8_t *b, size_t n)
{
	struct lvs_addr s = A("192.168.1.1"), d = A("224.0.0.18");
	struct vrrp_pkt p;
	enum vrrp_drop why = VRRP_DROP_NONE;
	if (vrrp_pkt_parse(b, n, &s, &d, &p, &why) == 0)
		return VRRP_DROP_NONE;
	ck_assert_int_ne(why, VRRP_DROP_NONE);
	return why;
}

START_TEST(rejects_malformed)
{
	uint8_t b[sizeof(v2_bytes) + 4];

	for (size_t n = 0; n < sizeof(v2_bytes); n++)
		ck_assert_int_eq(parse_v2(v2_bytes, n), VRRP_DROP_SHORT);
	memcpy(b, v2_bytes, sizeof(v2_bytes));
	memset(b + sizeof(v2_bytes), 0, 4);
	ck_assert_int_eq(parse_v2(b, sizeof(b)), VRRP_DROP_LENGTH);
	memcpy(b, v2_bytes, sizeof(v2_bytes));
	b[0] = 0x11;
	ck_assert_int_eq(parse_v2(b, sizeof(v2_bytes)), VRRP_DROP_VERSION);
	b[0] = 0x22;
	ck_assert_int_eq(parse_v2(b, sizeof(v2_bytes)), VRRP_DROP_TYPE);
	b[0] = 0x21;
	b[13] ^= 1;
	ck_assert_int_eq(parse_v2(b, sizeof(v2_bytes)), VRRP_DROP_CHECKSUM);
	b[13] ^= 1;
	b[3] = 2;	/* claims two addresses: the packet is too short */
	ck_assert_int_eq(parse_v2(b, sizeof(v2_bytes)), VRRP_DROP_SHORT);
	b[3] = 0;
	ck_assert_int_eq(parse_v2(b, sizeof(v2_bytes)), VRRP_DROP_LENGTH);
	ck_assert_int_eq(parse_v2(v2_bytes, sizeof(v2_bytes)), VRRP_DROP_NONE);
}
END_TEST

START_TEST(v2_over_ipv6_rejected)
{
	struct lvs_addr s = A("fe80::1"), d = A("ff02::12");
	struct vrrp_pkt p = v2_pkt(), q;
	enum vrrp_drop why;
	uint8_t buf[64];

	p.af = AF_INET6;
	ck_assert_int_eq(vrrp_pkt_build(&p, &s, &d, buf, sizeof(buf)), -1);
	ck_assert_int_eq(vrrp_pkt_parse(v2_bytes, sizeof(v2_bytes), &s, &d, &q,
	    &why), -1);
	ck_assert_int_eq(why, VRRP_DROP_VERSION);
}
END_TEST

START_TEST(pulse_magics)
{
	uint8_t b[4];
	uint32_t m;
	bool running = false;

	pulse_pkt_build(true, b);
	memcpy(&m, b, 4);
	ck_assert_uint_eq(m, 0xbdaddbda);
	ck_assert_int_eq(pulse_pkt_parse(b, 4, &running), 0);
	ck_assert(running);
	pulse_pkt_build(false, b);
	memcpy(&m, b, 4);
	ck_assert_uint_eq(m, 0xadbddabd);
	ck_assert_int_eq(pulse_pkt_parse(b, 4, &running), 0);
	ck_assert(!running);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Host byte order, as piranha writes its int: da db ad bd on x86. */
	pulse_pkt_build(true, b);
	ck_assert_mem_eq(b, "\xda\xdb\xad\xbd", 4);
#endif
	ck_assert_int_eq(pulse_pkt_parse(b, 3, &running), -1);
	ck_assert_int_eq(pulse_pkt_parse((const uint8_t *)"\xda\xdb\xad\xbd\0",
	    5, &running), -1);
	ck_assert_int_eq(pulse_pkt_parse((const uint8_t *)"\xbd\xad\xdb\xda",
	    4, &running), -1);
}
END_TEST

/* The drill query: exact bytes both ways, and every malformed one
 * refused with a sentence. */
START_TEST(drill_query_codec)
{
	static const uint8_t answer[VRRP_QUERY_LEN] = {
		'L', 'V', 'S', 'Q', 1, 2, 61, 1, 0xde, 0xad, 0xbe, 0xef,
		0x00, 0x00, 0x01, 0x2c, 100, 0, 0, 0,
	};
	struct vrrp_query q = { .kind = VRRP_QUERY_ANSWER, .vrid = 61,
	    .state = 1, .priority = 100, .nonce = 0xdeadbeef, .heard_ms = 300 };
	uint8_t buf[VRRP_QUERY_LEN];
	struct vrrp_query back;
	const char *why = NULL;

	vrrp_query_build(&q, buf);
	ck_assert_mem_eq(buf, answer, sizeof(answer));
	ck_assert_int_eq(vrrp_query_parse(buf, sizeof(buf), &back, &why), 0);
	ck_assert_int_eq(memcmp(&back, &q, sizeof(q)), 0);
	/* an ask carries no answer fields */
	q.kind = VRRP_QUERY_ASK;
	vrrp_query_build(&q, buf);
	ck_assert_int_eq(buf[7] | buf[12] | buf[13] | buf[14] | buf[15] |
	    buf[16], 0);
	ck_assert_int_eq(vrrp_query_parse(buf, sizeof(buf), &back, &why), 0);
	ck_assert_int_eq(back.kind, VRRP_QUERY_ASK);
	ck_assert_uint_eq(back.nonce, 0xdeadbeef);
	buf[16] = 1;
	ck_assert_int_eq(vrrp_query_parse(buf, sizeof(buf), &back, &why), -1);
	ck_assert_str_eq(why, "a drill question with answer fields set");
	/* length, magic, version, kind, state, reserved, VRID 0 */
	memcpy(buf, answer, sizeof(buf));
	ck_assert_int_eq(vrrp_query_parse(buf, 19, &back, &why), -1);
	ck_assert_str_eq(why, "not a drill query (wrong length)");
	buf[0] = 'X';
	ck_assert_int_eq(vrrp_query_parse(buf, sizeof(buf), &back, &why), -1);
	ck_assert_str_eq(why, "not a drill query (no LVSQ magic)");
	memcpy(buf, answer, sizeof(buf));
	buf[4] = 2;
	ck_assert_int_eq(vrrp_query_parse(buf, sizeof(buf), &back, &why), -1);
	memcpy(buf, answer, sizeof(buf));
	buf[5] = 3;
	ck_assert_int_eq(vrrp_query_parse(buf, sizeof(buf), &back, &why), -1);
	ck_assert_str_eq(why, "a drill query of an unknown kind");
	memcpy(buf, answer, sizeof(buf));
	buf[7] = 4;
	ck_assert_int_eq(vrrp_query_parse(buf, sizeof(buf), &back, &why), -1);
	memcpy(buf, answer, sizeof(buf));
	buf[19] = 1;
	ck_assert_int_eq(vrrp_query_parse(buf, sizeof(buf), &back, &why), -1);
	memcpy(buf, answer, sizeof(buf));
	buf[6] = 0;
	ck_assert_int_eq(vrrp_query_parse(buf, sizeof(buf), &back, &why), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vrrp_packet");
	TCase *tc = tcase_create("codec");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, v2_build_exact);
	tcase_add_test(tc, v2_parse_exact);
	tcase_add_test(tc, v3_ipv4_exact);
	tcase_add_test(tc, v3_ipv6_exact);
	tcase_add_test(tc, rejects_malformed);
	tcase_add_test(tc, v2_over_ipv6_rejected);
	tcase_add_test(tc, pulse_magics);
	tcase_add_test(tc, drill_query_codec);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
