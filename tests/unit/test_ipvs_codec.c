/*
 * IPVS generic-netlink codec: exact request bytes, round trips of every
 * command and attribute, and rejection of malformed replies.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/priv.h"
#include "lib/log.h"

#define FAM 0x2a

static struct ipvs_service
svc_tcp(const char *addr, uint16_t port)
{
	struct ipvs_service s;
	struct lvs_addr a;

	ck_assert_int_eq(addr_parse(addr, &a), 0);
	ipvs_service_init(&s, a.af);
	s.addr = a;
	s.port = port;
	return s;
}

static struct ipvs_dest
dest(const char *addr, uint16_t port, int weight)
{
	struct ipvs_dest d;

	ipvs_dest_init(&d);
	ck_assert_int_eq(addr_parse(addr, &d.addr), 0);
	d.port = port;
	d.weight = weight;
	return d;
}

START_TEST(new_service_bytes)
{
	static const uint8_t want[] = {
		0x68, 0, 0, 0, FAM, 0, 0x01, 0, 7, 0, 0, 0, 0, 0, 0, 0,	/* nlmsghdr */
		IPVS_CMD_NEW_SERVICE, 1, 0, 0,				/* genl */
		0x54, 0, 0x01, 0x80,					/* SERVICE nest */
		6, 0, 1, 0, 2, 0, 0, 0,					/* AF inet */
		6, 0, 2, 0, 6, 0, 0, 0,					/* tcp */
		20, 0, 3, 0, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		6, 0, 4, 0, 0, 80, 0, 0,				/* port 80 */
		8, 0, 6, 0, 'w', 'l', 'c', 0,				/* sched */
		12, 0, 7, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,	/* flags */
		8, 0, 8, 0, 0, 0, 0, 0,					/* timeout */
		8, 0, 9, 0, 0xff, 0xff, 0xff, 0xff,			/* netmask */
	};
	uint8_t buf[IPVS_MSG_MAX] = { 0 };
	struct ipvs_service s = svc_tcp("10.0.0.1", 80);

	size_t n = ipvs_msg_service(buf, FAM, 7, 0, IPVS_CMD_NEW_SERVICE, &s, true);
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

START_TEST(new_dest_bytes)
{
	static const uint8_t want[] = {
		0x84, 0, 0, 0, FAM, 0, 0x05, 0, 9, 0, 0, 0, 0, 0, 0, 0,	/* REQ|ACK */
		IPVS_CMD_NEW_DEST, 1, 0, 0,
		0x30, 0, 0x01, 0x80,
		6, 0, 1, 0, 2, 0, 0, 0,
		6, 0, 2, 0, 6, 0, 0, 0,
		20, 0, 3, 0, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		6, 0, 4, 0, 0, 80, 0, 0,
		0x40, 0, 0x02, 0x80,					/* DEST nest */
		20, 0, 1, 0, 192, 168, 10, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		6, 0, 2, 0, 0, 80, 0, 0,
		8, 0, 3, 0, 0, 0, 0, 0,					/* masq */
		8, 0, 4, 0, 1, 0, 0, 0,					/* weight 1 */
		8, 0, 5, 0, 0, 0, 0, 0,
		8, 0, 6, 0, 0, 0, 0, 0,
	};
	uint8_t buf[IPVS_MSG_MAX] = { 0 };
	struct ipvs_service s = svc_tcp("10.0.0.1", 80);
	struct ipvs_dest d = dest("192.168.10.2", 80, 1);

	size_t n = ipvs_msg_dest(buf, FAM, 9, NLM_F_ACK, IPVS_CMD_NEW_DEST, &s, &d, true);
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

START_TEST(del_service_key_only)
{
	uint8_t buf[IPVS_MSG_MAX] = { 0 };
	struct ipvs_service s = svc_tcp("10.0.0.1", 80);
	struct ipvs_msg m;

	strcpy(s.sched, "rr");
	ipvs_msg_service(buf, FAM, 1, 0, IPVS_CMD_DEL_SERVICE, &s, false);
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), 0);
	ck_assert_int_eq(m.cmd, IPVS_CMD_DEL_SERVICE);
	ck_assert_uint_eq(m.has, IPVS_HAS_SVC_KEY);
	ck_assert(ipvs_service_key_eq(&m.svc, &s));
	ck_assert_str_eq(m.svc.sched, "");	/* not sent */
}
END_TEST

static void
roundtrip_service(const struct ipvs_service *s)
{
	uint8_t buf[IPVS_MSG_MAX] = { 0 };
	struct ipvs_msg m;

	ipvs_msg_service(buf, FAM, 1, 0, IPVS_CMD_NEW_SERVICE, s, true);
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), 0);
	ck_assert_uint_eq(m.has, IPVS_HAS_SVC_KEY | IPVS_HAS_SVC_FULL);
	ck_assert(ipvs_service_key_eq(&m.svc, s));
	ck_assert(ipvs_service_attrs_eq(&m.svc, s));
}

START_TEST(service_roundtrips)
{
	struct ipvs_service s = svc_tcp("2001:db8::1", 443);
	s.flags = IPVS_SVC_PERSISTENT | IPVS_SVC_ONEPACKET;
	s.timeout = 300;
	s.netmask_plen = 64;
	strcpy(s.sched, "sh");
	roundtrip_service(&s);

	s = svc_tcp("10.0.0.1", 5060);
	s.protocol = IPPROTO_UDP;
	s.flags = IPVS_SVC_PERSISTENT;
	s.timeout = 60;
	s.netmask_plen = 24;
	strcpy(s.pe_name, "sip");
	roundtrip_service(&s);

	s = svc_tcp("10.0.0.1", 9);
	s.protocol = IPPROTO_SCTP;
	strcpy(s.sched, "mh");
	s.flags = IPVS_SVC_MH_FALLBACK | IPVS_SVC_MH_PORT;
	roundtrip_service(&s);

	ipvs_service_init(&s, AF_INET6);
	s.fwmark = 42;
	roundtrip_service(&s);
}
END_TEST

START_TEST(v4_netmask_on_wire)
{
	uint8_t buf[IPVS_MSG_MAX] = { 0 };
	struct ipvs_service s = svc_tcp("10.0.0.1", 80);
	s.netmask_plen = 24;
	ipvs_msg_service(buf, FAM, 1, 0, IPVS_CMD_NEW_SERVICE, &s, true);
	/* The kernel expects the mask itself, in network order. */
	static const uint8_t nm[] = { 8, 0, 9, 0, 255, 255, 255, 0 };
	ck_assert_ptr_nonnull(memmem(buf, sizeof(buf), nm, sizeof(nm)));
}
END_TEST

START_TEST(dest_roundtrips)
{
	uint8_t buf[IPVS_MSG_MAX] = { 0 };
	struct ipvs_service s = svc_tcp("10.0.0.1", 80);
	struct ipvs_dest d = dest("2001:db8::7", 0, 3);
	struct ipvs_msg m;

	d.fwd = IPVS_FWD_TUNNEL;
	d.tun_type = IPVS_TUN_GUE;
	d.tun_port = 6080;
	d.tun_flags = IPVS_TUN_F_CSUM;
	d.u_thresh = 100;
	d.l_thresh = 10;
	ipvs_msg_dest(buf, FAM, 1, 0, IPVS_CMD_SET_DEST, &s, &d, true);
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), 0);
	ck_assert_uint_eq(m.has, IPVS_HAS_SVC_KEY | IPVS_HAS_DEST_KEY | IPVS_HAS_DEST_FULL);
	ck_assert_int_eq(m.dest.addr.af, AF_INET6);	/* other family kept */
	ck_assert(addr_eq(&m.dest.addr, &d.addr));
	ck_assert(ipvs_dest_attrs_eq(&m.dest, &d));
	ck_assert_uint_eq(m.dest.tun_port, 6080);

	d = dest("172.16.0.3", 8000, 2);
	d.fwd = IPVS_FWD_ROUTE;
	ipvs_msg_dest(buf, FAM, 1, 0, IPVS_CMD_NEW_DEST, &s, &d, true);
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), 0);
	ck_assert_int_eq(m.dest.fwd, IPVS_FWD_ROUTE);
	ck_assert_int_eq(m.dest.weight, 2);
	ck_assert_uint_eq(m.dest.port, 8000);
}
END_TEST

START_TEST(timeouts_and_daemon)
{
	uint8_t buf[IPVS_MSG_MAX] = { 0 };
	struct ipvs_timeouts t = { 900, 0, 300 };
	struct ipvs_sync_conf c = { .state = IPVS_SYNC_BACKUP, .ifname = "eth1",
	    .syncid = 7, .port = 8848, .ttl = 2 };
	struct ipvs_msg m;

	ipvs_msg_timeouts(buf, FAM, 1, 0, &t);
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), 0);
	ck_assert_int_eq(m.cmd, IPVS_CMD_SET_CONFIG);
	ck_assert_uint_eq(m.to.tcp, 900);
	ck_assert_uint_eq(m.to.tcp_fin, 0);	/* 0 = not sent = unchanged */
	ck_assert_uint_eq(m.to.udp, 300);

	ck_assert_int_eq(addr_parse("224.0.0.81", &c.group), 0);
	ipvs_msg_daemon(buf, FAM, 1, 0, IPVS_CMD_NEW_DAEMON, &c);
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), 0);
	ck_assert(m.has & IPVS_HAS_DAEMON);
	ck_assert_str_eq(m.daemon.ifname, "eth1");
	ck_assert_uint_eq(m.daemon.syncid, 7);
	ck_assert_uint_eq(m.daemon.port, 8848);
	ck_assert_uint_eq(m.daemon.ttl, 2);
	ck_assert(addr_eq(&m.daemon.group, &c.group));
}
END_TEST

/* A dump reply entry with a 64-bit stats nest, built as the kernel does. */
START_TEST(stats64_reply)
{
	uint8_t buf[1024] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct ipvs_msg m;

	nlh->nlmsg_type = FAM;
	nlh->nlmsg_flags = NLM_F_MULTI;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = IPVS_CMD_NEW_SERVICE;
	struct nlattr *n1 = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, AF_INET);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	uint8_t a[16] = { 202, 103, 106, 5 };
	mnl_attr_put(nlh, IPVS_SVC_ATTR_ADDR, 16, a);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PORT, htons(80));
	mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, "wlc");
	struct ip_vs_flags fl = { IP_VS_SVC_F_HASHED, ~0u };
	mnl_attr_put(nlh, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl);
	mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_TIMEOUT, 0);
	mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_NETMASK, 0xffffffff);
	struct nlattr *n2 = mnl_attr_nest_start(nlh, IPVS_SVC_ATTR_STATS64);
	mnl_attr_put_u64(nlh, IPVS_STATS_ATTR_CONNS, 5000000000ull);
	mnl_attr_put_u64(nlh, IPVS_STATS_ATTR_INBYTES, 1ull << 40);
	mnl_attr_nest_end(nlh, n2);
	mnl_attr_nest_end(nlh, n1);

	ck_assert_int_eq(ipvs_msg_parse(nlh, &m), 0);
	ck_assert_uint_eq(m.svc.flags, 0);	/* HASHED is not configuration */
	ck_assert_uint_eq(m.svc.netmask_plen, 32);
	ck_assert_uint_eq(m.svc.port, 80);
	ck_assert(m.svc.stats.conns == 5000000000ull);
	ck_assert(m.svc.stats.inbytes == 1ull << 40);
}
END_TEST

/* ---- malformed input ---- */

static size_t
good_service(uint8_t *buf)
{
	struct ipvs_service s = svc_tcp("10.0.0.1", 80);
	memset(buf, 0, IPVS_MSG_MAX);
	return ipvs_msg_service(buf, FAM, 1, 0, IPVS_CMD_NEW_SERVICE, &s, true);
}

/* Offset of the first attribute header inside the SERVICE nest. */
#define NEST_FIRST (16 + 4 + 4)

START_TEST(rejects_bad_af)
{
	uint8_t buf[IPVS_MSG_MAX];
	struct ipvs_msg m;
	good_service(buf);
	buf[NEST_FIRST + 4] = 7;			/* AF = 7 */
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), -EBADMSG);
}
END_TEST

START_TEST(rejects_unterminated_sched)
{
	uint8_t buf[IPVS_MSG_MAX];
	struct ipvs_msg m;
	good_service(buf);
	uint8_t *p = memmem(buf, sizeof(buf), "wlc", 4);
	ck_assert_ptr_nonnull(p);
	p[3] = 'x';					/* NUL gone */
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), -EBADMSG);
}
END_TEST

START_TEST(rejects_bad_lengths)
{
	uint8_t buf[IPVS_MSG_MAX];
	struct ipvs_msg m;

	good_service(buf);
	buf[NEST_FIRST + 16] = 19;			/* ADDR 15 bytes */
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), -EBADMSG);

	good_service(buf);
	buf[NEST_FIRST] = 200;				/* AF runs past the nest */
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), -EBADMSG);

	size_t n = good_service(buf);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	nlh->nlmsg_len = 18;				/* shorter than genl header */
	ck_assert_int_eq(ipvs_msg_parse(nlh, &m), -EBADMSG);
	(void)n;
}
END_TEST

START_TEST(rejects_duplicate_attr)
{
	uint8_t buf[IPVS_MSG_MAX];
	struct ipvs_msg m;
	good_service(buf);
	buf[NEST_FIRST + 8 + 2] = IPVS_SVC_ATTR_AF;	/* PROTOCOL -> 2nd AF */
	ck_assert_int_eq(ipvs_msg_parse((struct nlmsghdr *)buf, &m), -EBADMSG);
}
END_TEST

static int count_acks(uint32_t seq, int err, void *arg)
{
	(void)seq;
	(void)err;
	(*(int *)arg)++;
	return 0;
}

START_TEST(stream_framing)
{
	static const struct ipvs_stream_ops ops = { .ack = count_acks };
	uint8_t buf[256] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;
	int acks = 0;

	nlh->nlmsg_type = NLMSG_ERROR;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -ENOENT;
	size_t len = nlh->nlmsg_len;
	ck_assert_int_eq(ipvs_stream_parse(buf, len, &ops, &acks), 0);
	ck_assert_int_eq(acks, 1);

	e->error = 5;					/* positive errno: nonsense */
	ck_assert_int_eq(ipvs_stream_parse(buf, len, &ops, &acks), -EBADMSG);
	e->error = 0;
	nlh->nlmsg_len = 20;				/* too short for nlmsgerr */
	ck_assert_int_eq(ipvs_stream_parse(buf, 20, &ops, &acks), -EBADMSG);
	nlh->nlmsg_len = (uint32_t)len;
	ck_assert_int_eq(ipvs_stream_parse(buf, len + 8, &ops, &acks), -EBADMSG);
	nlh->nlmsg_len = 4000;				/* longer than the datagram */
	ck_assert_int_eq(ipvs_stream_parse(buf, len, &ops, &acks), -EBADMSG);
}
END_TEST

START_TEST(family_reply)
{
	uint8_t buf[256] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	uint16_t fam = 0;

	nlh->nlmsg_type = GENL_ID_CTRL;
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "IPVS");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x23);
	ck_assert_int_eq(ipvs_parse_family(nlh, &fam), 0);
	ck_assert_uint_eq(fam, 0x23);
}
END_TEST

START_TEST(cmdlines)
{
	char line[256];
	struct ipvs_service s = svc_tcp("10.0.0.1", 80);
	struct ipvs_dest d = dest("192.168.10.2", 80, 1);

	ipvs_cmdline(line, sizeof(line), IPVS_CMD_NEW_DEST, &s, &d);
	ck_assert_str_eq(line, "ipvsadm -a -t 10.0.0.1:80 -r 192.168.10.2:80 -m -w 1");
	s.flags = IPVS_SVC_PERSISTENT;
	s.timeout = 300;
	s.netmask_plen = 24;
	strcpy(s.sched, "rr");
	ipvs_cmdline(line, sizeof(line), IPVS_CMD_NEW_SERVICE, &s, NULL);
	ck_assert_str_eq(line, "ipvsadm -A -t 10.0.0.1:80 -s rr -p 300 -M 255.255.255.0");
	s = svc_tcp("2001:db8::1", 53);
	s.protocol = IPPROTO_UDP;
	d = dest("2001:db8::2", 53, 0);
	d.fwd = IPVS_FWD_ROUTE;
	ipvs_cmdline(line, sizeof(line), IPVS_CMD_SET_DEST, &s, &d);
	ck_assert_str_eq(line, "ipvsadm -e -u [2001:db8::1]:53 -r [2001:db8::2]:53 -g -w 0");
	ipvs_service_init(&s, AF_INET);
	s.fwmark = 5;
	ipvs_cmdline(line, sizeof(line), IPVS_CMD_DEL_SERVICE, &s, NULL);
	ck_assert_str_eq(line, "ipvsadm -D -f 5");
}
END_TEST

START_TEST(state_lines)
{
	struct ipvs_service s;

	ck_assert_int_eq(ipvs_state_parse_line("udp 2001:db8::1 53\n", &s), 0);
	ck_assert_int_eq(s.protocol, IPPROTO_UDP);
	ck_assert_int_eq(s.af, AF_INET6);
	ck_assert_int_eq(ipvs_state_parse_line("fwmark inet6 9", &s), 0);
	ck_assert_uint_eq(s.fwmark, 9);
	ck_assert_int_eq(ipvs_state_parse_line("tcp 10.0.0.1 70000", &s), -1);
	ck_assert_int_eq(ipvs_state_parse_line("icmp 10.0.0.1 1", &s), -1);
	ck_assert_int_eq(ipvs_state_parse_line("fwmark inet 0", &s), -1);
	ck_assert_int_eq(ipvs_state_parse_line("tcp 10.0.0.256 80", &s), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipvs_codec");
	TCase *tc = tcase_create("codec");

	log_init("test_ipvs_codec", LOG_TO_STDERR, false);
	tcase_add_test(tc, new_service_bytes);
	tcase_add_test(tc, new_dest_bytes);
	tcase_add_test(tc, del_service_key_only);
	tcase_add_test(tc, service_roundtrips);
	tcase_add_test(tc, v4_netmask_on_wire);
	tcase_add_test(tc, dest_roundtrips);
	tcase_add_test(tc, timeouts_and_daemon);
	tcase_add_test(tc, stats64_reply);
	tcase_add_test(tc, rejects_bad_af);
	tcase_add_test(tc, rejects_unterminated_sched);
	tcase_add_test(tc, rejects_bad_lengths);
	tcase_add_test(tc, rejects_duplicate_attr);
	tcase_add_test(tc, stream_framing);
	tcase_add_test(tc, family_reply);
	tcase_add_test(tc, cmdlines);
	tcase_add_test(tc, state_lines);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
