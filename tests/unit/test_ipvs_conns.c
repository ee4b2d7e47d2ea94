/*
 * Connection handoff pieces: /proc/net/ip_vs_conn lines (as kernel 6.1
 * prints them) and the sync protocol v1 bytes the backup daemon parses.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>

#include "ipvs/conns.h"

static char err[160];

static struct ipvs_conn
parse_ok(const char *line)
{
	struct ipvs_conn c;
	int r = ipvs_conn_parse_line(line, &c, err, sizeof(err));
	ck_assert_msg(r == 1, "%s: %s", line, err);
	return c;
}

static void
addr_is(const struct lvs_addr *a, const char *text)
{
	char buf[LVS_ADDRSTRLEN];
	ck_assert_str_eq(addr_fmt(a, buf), text);
}

START_TEST(header_line)
{
	struct ipvs_conn c;
	ck_assert_int_eq(ipvs_conn_parse_line("Pro FromIP   FPrt ToIP     TPrt "
	    "DestIP   DPrt State       Expires PEName PEData\n", &c, err,
	    sizeof(err)), 0);
}
END_TEST

START_TEST(tcp_v4)
{
	struct ipvs_conn c = parse_ok("TCP 0A000264 B3C2 0A000232 0050 "
	    "0A00030C 0050 ESTABLISHED     899\n");
	ck_assert_int_eq(c.protocol, IPPROTO_TCP);
	addr_is(&c.caddr, "10.0.2.100");
	addr_is(&c.vaddr, "10.0.2.50");
	addr_is(&c.daddr, "10.0.3.12");
	ck_assert_uint_eq(c.cport, 0xb3c2);
	ck_assert_uint_eq(c.vport, 80);
	ck_assert_uint_eq(c.dport, 80);
	ck_assert_uint_eq(c.state, 1);
	ck_assert(c.established);
	ck_assert(!c.template);
	ck_assert_uint_eq(c.expires, 899);
}
END_TEST

START_TEST(states_and_protocols)
{
	struct ipvs_conn c = parse_ok("TCP 0A000264 B3C2 0A000232 0050 "
	    "0A00030C 0050 SYN_RECV 59");
	ck_assert_uint_eq(c.state, 3);
	ck_assert(!c.established);
	c = parse_ok("UDP 0A000264 1234 0A000232 0035 0A00030C 0035 UDP 299");
	ck_assert_int_eq(c.protocol, IPPROTO_UDP);
	ck_assert_uint_eq(c.state, 0);
	ck_assert(!c.established);
	c = parse_ok("SCTP 0A000264 1234 0A000232 0B59 0A00030C 0B59 "
	    "ESTABLISHED 900");
	ck_assert_int_eq(c.protocol, IPPROTO_SCTP);
	ck_assert_uint_eq(c.state, 7);
	ck_assert(c.established);
	/* a persistence engine's name and data after the expiry */
	c = parse_ok("UDP 0A000264 13C4 0A000232 13C4 0A00030C 13C4 UDP 179 "
	    "sip 6d792d63616c6c2d6964");
	ck_assert_uint_eq(c.expires, 179);
}
END_TEST

START_TEST(templates)
{
	/* persistent service: masked client, no client port */
	struct ipvs_conn c = parse_ok("TCP 0A000200 0000 0A000232 01BB "
	    "0A00030C 01BB NONE 299");
	ck_assert(c.template);
	ck_assert_uint_eq(c.state, 0);
	c = parse_ok("TCP 0A000200 0000 0A000232 01BB 0A00030C 01BB ASSURED 30");
	ck_assert(c.template);
	ck_assert_uint_eq(c.state, 1);
	/* fwmark service: protocol 0, the mark in the virtual address */
	c = parse_ok("IP  0A000200 0000 00000005 0000 0A00030C 0050 NONE 120");
	ck_assert(c.template);
	ck_assert_int_eq(c.protocol, 0);
	addr_is(&c.vaddr, "0.0.0.5");
}
END_TEST

START_TEST(tcp_v6)
{
	struct ipvs_conn c = parse_ok("TCP fd00:0077:0000:0000:0000:0000:0000:0009 "
	    "D431 fd00:0077:0000:0000:0000:0000:0000:0064 0050 "
	    "fd00:0078:0000:0000:0000:0000:0000:000b 1F90 TIME_WAIT 119");
	ck_assert_int_eq(c.vaddr.af, AF_INET6);
	addr_is(&c.caddr, "fd00:77::9");
	addr_is(&c.daddr, "fd00:78::b");
	ck_assert_uint_eq(c.dport, 8080);
	ck_assert_uint_eq(c.state, 5);
	ck_assert(c.closing);
}
END_TEST

/* What the handoff leaves home: only what is closing. */
START_TEST(closing_states)
{
	static const struct { const char *line; bool closing; } cs[] = {
		{ "TCP 0A000264 B3C2 0A000232 0050 0A00030C 0050 ESTABLISHED 899", false },
		{ "TCP 0A000264 B3C2 0A000232 0050 0A00030C 0050 FIN_WAIT 119", false },
		{ "TCP 0A000264 B3C2 0A000232 0050 0A00030C 0050 CLOSE_WAIT 59", false },
		{ "TCP 0A000264 B3C2 0A000232 0050 0A00030C 0050 TIME_WAIT 119", true },
		{ "TCP 0A000264 B3C2 0A000232 0050 0A00030C 0050 CLOSE 9", true },
		{ "UDP 0A000264 1234 0A000232 0035 0A00030C 0035 UDP 299", false },
		{ "SCTP 0A000264 1234 0A000232 0B59 0A00030C 0B59 CLOSED 9", true },
		{ "SCTP 0A000264 1234 0A000232 0B59 0A00030C 0B59 ESTABLISHED 9", false },
		{ "TCP 0A000200 0000 0A000232 01BB 0A00030C 01BB NONE 299", false },
	};
	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		struct ipvs_conn c = parse_ok(cs[i].line);
		ck_assert_msg(c.closing == cs[i].closing, "%s", cs[i].line);
	}
}
END_TEST

START_TEST(rejects_malformed)
{
	static const struct { const char *line, *why; } bad[] = {
		{ "", "expected 9 fields" },
		{ "TCP 0A000264 B3C2 0A000232 0050 0A00030C 0050 ESTABLISHED",
		  "expected 9 fields" },
		{ "ICMP 0A000264 B3C2 0A000232 0050 0A00030C 0050 ESTABLISHED 1",
		  "expected a protocol" },
		{ "TCP 0A0002 B3C2 0A000232 0050 0A00030C 0050 ESTABLISHED 1",
		  "expected addresses" },
		{ "TCP 0A00026Z B3C2 0A000232 0050 0A00030C 0050 ESTABLISHED 1",
		  "expected addresses" },
		{ "TCP fd00::1 B3C2 0A000232 0050 0A00030C 0050 ESTABLISHED 1",
		  "one family" },
		{ "TCP 0A000264 B3C 0A000232 0050 0A00030C 0050 ESTABLISHED 1",
		  "4-digit hex ports" },
		{ "TCP 0A000264 B3C2 0A000232 0050 0A00030C 0050 CHATTING 1",
		  "a state of the protocol" },
		{ "UDP 0A000264 B3C2 0A000232 0050 0A00030C 0050 ESTABLISHED 1",
		  "a state of the protocol" },
		{ "TCP 0A000264 B3C2 0A000232 0050 0A00030C 0050 ESTABLISHED -1",
		  "seconds left" },
		{ "TCP 0A000264 B3C2 0A000232 0050 0A00030C 0050 ESTABLISHED 99999999999",
		  "seconds left" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ipvs_conn c;
		err[0] = '\0';
		ck_assert_msg(ipvs_conn_parse_line(bad[i].line, &c, err,
		    sizeof(err)) == -1, "accepted: %s", bad[i].line);
		ck_assert_msg(strstr(err, bad[i].why) != NULL, "%s: %s",
		    bad[i].line, err);
	}
}
END_TEST

START_TEST(encode_v4_bytes)
{
	struct ipvs_conn c = parse_ok("TCP 0A000264 B3C2 0A000232 0050 "
	    "0A00030C 0050 ESTABLISHED 899");
	c.flags = 0x0003;		/* direct routing */
	c.fwmark = 7;
	c.timeout = 0;
	uint8_t buf[64];
	size_t used;
	size_t len = ipvs_sync_encode(&c, 1, 42, buf, sizeof(buf), &used);
	static const uint8_t want[] = {
		0, 42, 0, 44, 1, 1, 0, 0,		/* header: size 44, 1 conn, v1 */
		0, IPPROTO_TCP, 0, 36,			/* type v4, proto, size */
		0, 0, 0, 3,				/* flags */
		0, 1, 0xb3, 0xc2, 0, 80, 0, 80,		/* state, ports */
		0, 0, 0, 7, 0, 0, 0, 0,			/* fwmark, timeout */
		10, 0, 2, 100, 10, 0, 2, 50, 10, 0, 3, 12,
	};
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert_uint_eq(used, 1);
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

START_TEST(encode_splits_by_room_and_count)
{
	static struct ipvs_conn cs[300];
	struct ipvs_conn v4 = parse_ok("TCP 0A000264 B3C2 0A000232 0050 "
	    "0A00030C 0050 ESTABLISHED 899");
	struct ipvs_conn v6 = parse_ok("TCP fd00:0077:0000:0000:0000:0000:0000:0009 "
	    "D431 fd00:0077:0000:0000:0000:0000:0000:0064 0050 "
	    "fd00:0078:0000:0000:0000:0000:0000:000b 1F90 TIME_WAIT 119");
	for (size_t i = 0; i < 300; i++)
		cs[i] = i % 2 ? v6 : v4;
	static uint8_t buf[65535];
	size_t used;
	/* room for header + v4 + v6 only */
	size_t len = ipvs_sync_encode(cs, 300, 0, buf, 8 + 36 + 72 + 35, &used);
	ck_assert_uint_eq(used, 2);
	ck_assert_uint_eq(len, 8 + 36 + 72);
	ck_assert_uint_eq(buf[44], 1);		/* second entry: type v6 */
	/* never more than 255 per message (an 8-bit count) */
	len = ipvs_sync_encode(cs, 300, 0, buf, sizeof(buf), &used);
	ck_assert_uint_eq(used, 255);
	ck_assert_uint_eq(buf[4], 255);
	ck_assert_uint_eq((size_t)(buf[2] << 8 | buf[3]), len);
	/* no room for one: nothing */
	ck_assert_uint_eq(ipvs_sync_encode(cs, 300, 0, buf, 8 + 35, &used), 0);
	ck_assert_uint_eq(used, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipvs_conns");
	TCase *tc = tcase_create("conns");
	tcase_add_test(tc, header_line);
	tcase_add_test(tc, tcp_v4);
	tcase_add_test(tc, states_and_protocols);
	tcase_add_test(tc, templates);
	tcase_add_test(tc, tcp_v6);
	tcase_add_test(tc, closing_states);
	tcase_add_test(tc, rejects_malformed);
	tcase_add_test(tc, encode_v4_bytes);
	tcase_add_test(tc, encode_splits_by_room_and_count);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
