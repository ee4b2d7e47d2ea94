/*
 * lvs-realserver's decisions: which VIPs an lvs.cf gives this host, what
 * each needs, what is already in place, what is wrong now; and the record
 * undo reads back.  The host is a snapshot built here, with its sysctls.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "tools/realserver/rs.h"

struct kv {
	const char *key, *value;
};

static struct kv sysctls[16];

static int
fake_get(void *ctx, const char *key, char *val, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++)
		if (sysctls[i].key != NULL && strcmp(sysctls[i].key, key) == 0) {
			snprintf(val, len, "%s", sysctls[i].value);
			return 0;
		}
	return -1;
}

static void
set_sysctl(const char *key, const char *value)
{
	for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++)
		if (sysctls[i].key == NULL || strcmp(sysctls[i].key, key) == 0) {
			sysctls[i].key = key;
			sysctls[i].value = value;
			return;
		}
	ck_abort_msg("too many sysctls");
}

static struct rs_hostaddr addrs[8];
static struct rs_link links[4];
static struct rs_host host;

/* A host with eth0 (rip/24) and lo; every ARP/rp_filter setting 0. */
static void
make_host(const char *rip)
{
	memset(&host, 0, sizeof(host));
	memset(sysctls, 0, sizeof(sysctls));
	memset(addrs, 0, sizeof(addrs));
	host.addrs = addrs;
	host.links = links;
	host.sysctl_get = fake_get;
	snprintf(links[0].name, IFNAMSIZ, "lo");
	links[0].up = links[0].loopback = true;
	snprintf(links[1].name, IFNAMSIZ, "eth0");
	links[1].up = true;
	host.nlinks = 2;
	snprintf(addrs[0].ifname, IFNAMSIZ, "lo");
	addr_parse("127.0.0.1", &addrs[0].addr);
	addrs[0].plen = 8;
	snprintf(addrs[1].ifname, IFNAMSIZ, "eth0");
	addr_parse(rip, &addrs[1].addr);
	addrs[1].plen = addrs[1].addr.af == AF_INET ? 24 : 64;
	host.naddrs = 2;
	static const char *const dev[] = { "all", "eth0" };
	static const char *const keys[2][3] = {
		{ "net/ipv4/conf/all/arp_ignore", "net/ipv4/conf/all/arp_announce",
		    "net/ipv4/conf/all/rp_filter" },
		{ "net/ipv4/conf/eth0/arp_ignore", "net/ipv4/conf/eth0/arp_announce",
		    "net/ipv4/conf/eth0/rp_filter" },
	};
	for (size_t d = 0; d < 2; d++)
		for (size_t k = 0; k < 3; k++)
			set_sysctl(keys[d][k], "0");
	(void)dev;
}

static void
host_add(const char *ifname, const char *a, unsigned plen)
{
	ck_assert_uint_lt(host.naddrs, sizeof(addrs) / sizeof(addrs[0]));
	snprintf(addrs[host.naddrs].ifname, IFNAMSIZ, "%s", ifname);
	ck_assert_int_eq(addr_parse(a, &addrs[host.naddrs].addr), 0);
	addrs[host.naddrs++].plen = plen;
}

static const char site[] =
    "primary = 10.0.2.2\n"
    "network = direct\n"
    "virtual web {\n"
    "    address = 10.0.2.50 eth0:1\n"
    "    port = http\n"
    "    server rs1 {\n        address = 10.0.2.11\n    }\n"
    "    server rs2 {\n        address = 10.0.2.12\n    }\n"
    "}\n"
    "virtual webs {\n"
    "    address = 10.0.2.50 eth0:1\n"
    "    port = https\n"
    "    server rs1 {\n        address = 10.0.2.11\n    }\n"
    "}\n"
    "virtual far {\n"
    "    address = 10.0.2.60\n"
    "    port = http\n"
    "    server t1 {\n        address = 10.0.4.11\n        network = tunnel\n"
    "        tunnel_type = gue\n        tunnel_port = 6080\n    }\n"
    "    server t2 {\n        address = 10.0.4.12\n        network = tunnel\n    }\n"
    "}\n"
    "virtual six {\n"
    "    address = 2001:db8::60\n"
    "    port = http\n"
    "    server t1 {\n        address = 10.0.4.11\n        network = tunnel\n    }\n"
    "}\n"
    "virtual nat {\n"
    "    address = 10.0.2.70\n"
    "    port = http\n"
    "    server rs1 {\n        address = 10.0.2.11\n        network = nat\n    }\n"
    "}\n";

static struct cfg *
load_site(void)
{
	struct cfg *c = cfg_load_buffer("site.cf", site, strlen(site), NULL);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* The items as "kind text" lines, in order. */
static char *
items_text(const struct rs_plan *p)
{
	static char out[4096];
	char ib[200];
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < p->nitems; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s\n",
		    rs_item_fmt(&p->items[i], ib, sizeof(ib)));
	return out;
}

START_TEST(dr_from_cfg)
{
	struct cfg *c = load_site();
	struct rs_plan p = { 0 };
	char why[512];

	make_host("10.0.2.11");
	ck_assert_int_eq(rs_select_cfg(&p, c, &host, false, why, sizeof(why)), 0);
	rs_plan_build(&p, &host);
	ck_assert_uint_eq(p.nvips, 1);		/* web and webs share it */
	ck_assert_str_eq(p.vips[0].why, "web/rs1 (10.0.2.11), webs/rs1 (10.0.2.11)");
	ck_assert_uint_eq(p.nifaces, 1);
	ck_assert_str_eq(p.ifaces[0], "eth0");
	/* The sysctls first: the VIP never sits on lo while ARP answers it. */
	ck_assert_str_eq(items_text(&p),
	    "net.ipv4.conf.all.arp_ignore = 1\n"
	    "net.ipv4.conf.all.arp_announce = 2\n"
	    "net.ipv4.conf.eth0.arp_ignore = 1\n"
	    "net.ipv4.conf.eth0.arp_announce = 2\n"
	    "10.0.2.50/32 on lo\n");
	ck_assert_uint_eq(p.nproblems, 0);
	rs_plan_free(&p);
	cfg_free(c);
}
END_TEST

START_TEST(not_a_real_server)
{
	struct cfg *c = load_site();
	struct rs_plan p = { 0 };
	char why[512];

	make_host("10.0.2.99");
	ck_assert_int_eq(rs_select_cfg(&p, c, &host, false, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "site.cf: none of this host's addresses "
	    "(10.0.2.99) is a direct-routing or tunnel real server there; give "
	    "--all for every such service, or the VIPs on the command line");
	/* --all: every direct-routing and tunnel service, never the NAT one. */
	ck_assert_int_eq(rs_select_cfg(&p, c, &host, true, why, sizeof(why)), 0);
	ck_assert_uint_eq(p.nvips, 4);	/* 10.0.2.50, .60 gue + ipip, six */
	for (size_t i = 0; i < p.nvips; i++) {
		char ab[LVS_ADDRSTRLEN];
		ck_assert_str_ne(addr_fmt(&p.vips[i].vip, ab), "10.0.2.70");
	}
	rs_plan_free(&p);
	cfg_free(c);
}
END_TEST

START_TEST(tunnel_gue)
{
	struct cfg *c = load_site();
	struct rs_plan p = { 0 };
	char why[512];

	make_host("10.0.4.11");
	ck_assert_int_eq(rs_select_cfg(&p, c, &host, false, why, sizeof(why)), 0);
	rs_plan_build(&p, &host);
	ck_assert_uint_eq(p.nvips, 2);
	ck_assert_int_eq(p.vips[0].tun, RS_TUN_GUE);
	ck_assert_uint_eq(p.vips[0].gue_port, 6080);
	/* IPv6 inside IPv4: sit0, and no IPv4 rp_filter for it. */
	ck_assert_str_eq(items_text(&p),
	    "tunl0 (ipip) up\n"
	    "sit0 (sit) up\n"
	    "GUE listener on UDP port 6080 (IPv4)\n"
	    "net.ipv4.conf.all.arp_ignore = 1\n"
	    "net.ipv4.conf.all.arp_announce = 2\n"
	    "net.ipv4.conf.eth0.arp_ignore = 1\n"
	    "net.ipv4.conf.eth0.arp_announce = 2\n"
	    "net.ipv4.conf.tunl0.rp_filter = 2\n"
	    "10.0.2.60/32 on tunl0\n"
	    "2001:db8::60/128 on lo\n");
	rs_plan_free(&p);
	cfg_free(c);
}
END_TEST

START_TEST(command_line)
{
	struct rs_plan p = { 0 };
	char why[512];

	make_host("10.0.2.11");
	host_add("eth1", "192.168.9.1", 24);
	snprintf(links[2].name, IFNAMSIZ, "eth1");
	links[2].up = true;
	host.nlinks = 3;
	ck_assert_int_eq(rs_select_arg(&p, "10.0.2.50", RS_DR, RS_TUN_IPIP, 0,
	    why, sizeof(why)), 0);
	ck_assert_int_eq(rs_select_arg(&p, "2001:db8::50", RS_DR, RS_TUN_IPIP, 0,
	    why, sizeof(why)), 0);
	ck_assert_int_eq(rs_select_arg(&p, "web.example", RS_DR, RS_TUN_IPIP, 0,
	    why, sizeof(why)), -1);
	ck_assert_str_eq(why, "`web.example`: expected a VIP, an IPv4 or IPv6 "
	    "address (host names are not resolved)");
	rs_plan_build(&p, &host);
	/* No interface given: every up one with IPv4, never lo. */
	ck_assert_uint_eq(p.nifaces, 2);
	ck_assert_str_eq(p.ifaces[0], "eth0");
	ck_assert_str_eq(p.ifaces[1], "eth1");
	ck_assert_uint_eq(p.nitems, 8);
	ck_assert_str_eq(items_text(&p) + strlen(items_text(&p)) -
	    strlen("10.0.2.50/32 on lo\n2001:db8::50/128 on lo\n"),
	    "10.0.2.50/32 on lo\n2001:db8::50/128 on lo\n");
	rs_plan_free(&p);
}
END_TEST

START_TEST(problems)
{
	struct rs_plan p = { 0 };
	char why[512];

	make_host("10.0.2.11");
	host_add("eth0", "10.0.2.50", 24);	/* the arptables way, seed 003 */
	host_add("lo", "10.0.2.50", 24);
	ck_assert_int_eq(rs_select_arg(&p, "10.0.2.50", RS_DR, RS_TUN_IPIP, 0,
	    why, sizeof(why)), 0);
	ck_assert_int_eq(rs_select_arg(&p, "10.0.2.51", RS_TUN, RS_TUN_IPIP, 0,
	    why, sizeof(why)), 0);
	p.vips[1].outer = AF_INET6;
	rs_plan_build(&p, &host);
	ck_assert_uint_eq(p.nproblems, 3);
	ck_assert_str_eq(p.problems[0], "10.0.2.50 is also on eth0: this host "
	    "answers ARP for it there whatever arp_ignore says; remove it (ip "
	    "addr del 10.0.2.50/24 dev eth0)");
	ck_assert_str_eq(p.problems[1], "10.0.2.50/24 is on lo: the whole "
	    "prefix is then local to this host; replace it with 10.0.2.50/32 "
	    "(ip addr del 10.0.2.50/24 dev lo)");
	ck_assert_ptr_nonnull(strstr(p.problems[2], "an IPv4 VIP tunnelled to "
	    "an IPv6 address"));
	rs_plan_free(&p);
}
END_TEST

START_TEST(in_place_and_diagnosis)
{
	struct rs_plan p = { 0 };
	char why[512], now[128], *text = NULL;
	size_t len = 0, n;
	FILE *out;

	make_host("10.0.2.11");
	host_add("lo", "10.0.2.50", 32);	/* VIP there, ARP not set */
	ck_assert_int_eq(rs_select_arg(&p, "10.0.2.50", RS_DR, RS_TUN_IPIP, 0,
	    why, sizeof(why)), 0);
	ck_assert_int_eq(rs_select_arg(&p, "10.0.2.51", RS_TUN, RS_TUN_IPIP, 0,
	    why, sizeof(why)), 0);
	rs_plan_add_iface(&p, "eth0");
	rs_plan_build(&p, &host);
	set_sysctl("net/ipv4/conf/all/arp_ignore", "2");	/* also fine */
	set_sysctl("net/ipv4/conf/all/rp_filter", "1");
	set_sysctl("net/ipv4/conf/tunl0/rp_filter", "0");
	snprintf(links[2].name, IFNAMSIZ, "tunl0");
	host.nlinks = 3;			/* there, down */
	for (size_t i = 0; i < p.nitems; i++) {
		const struct rs_item *it = &p.items[i];
		bool done = rs_item_done(it, &host, now, sizeof(now));
		if (it->kind == RS_SYSCTL && strstr(it->key, "all/arp_ignore"))
			ck_assert(done);
		if (it->kind == RS_SYSCTL && strstr(it->key, "eth0/arp_ignore")) {
			ck_assert(!done);
			ck_assert_str_eq(now, "now 0");
		}
		if (it->kind == RS_SYSCTL && strstr(it->key, "rp_filter")) {
			ck_assert(!done);	/* 0 here, but 1 in conf/all */
			ck_assert_str_eq(now, "now 0, 1 with conf/all");
		}
		if (it->kind == RS_LINK) {
			ck_assert(!done);
			ck_assert_str_eq(now, "down");
		}
		if (it->kind == RS_ADDR && it->addr.u.v4.s_addr == htonl(0x0a000232))
			ck_assert(done);
	}
	/* conf/all says 2, so eth0 answers ARP no more: only the tunnel. */
	out = open_memstream(&text, &len);
	n = rs_diagnose(&p, &host, out);
	fclose(out);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(text,
	    "now: 10.0.2.51 is not on this host: the packets the director sends "
	    "here for it are dropped\n"
	    "now: tunl0 is down: tunnelled packets for 10.0.2.51 are dropped\n"
	    "now: strict rp_filter on tunl0 drops the unwrapped packets for "
	    "10.0.2.51\n");
	free(text);
	set_sysctl("net/ipv4/conf/all/arp_ignore", "0");
	out = open_memstream(&text, &len);
	rs_diagnose(&p, &host, out);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(text, "now: this host answers ARP for "
	    "10.0.2.50 on eth0 (arp_ignore 0): it draws the VIP's traffic away "
	    "from the director\n"));
	free(text);
	rs_plan_free(&p);
}
END_TEST

START_TEST(sysctl_names)
{
	char b[160];

	ck_assert_str_eq(rs_sysctl_name("net/ipv4/conf/eth0/arp_ignore", b,
	    sizeof(b)), "net.ipv4.conf.eth0.arp_ignore");
	ck_assert_str_eq(rs_sysctl_name("net/ipv4/conf/eth0.100/arp_ignore", b,
	    sizeof(b)), "net.ipv4.conf.eth0/100.arp_ignore");
}
END_TEST

START_TEST(state_round_trip)
{
	static const char text[] =
	    "# lvs-realserver: what `apply` changed; `lvs-realserver undo` "
	    "reverses it\n"
	    "sysctl net/ipv4/conf/all/arp_ignore 0\n"
	    "sysctl net/ipv4/conf/eth0.100/arp_announce 1\n"
	    "up 0f3c-9a tunl0\n"
	    "fou 0f3c-9a 6080 ipv4\n"
	    "addr 0f3c-9a lo 10.0.2.50/32\n"
	    "addr 0f3c-9a lo 2001:db8::50/128\n";
	struct rs_state st;
	char why[256], *out = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(rs_state_parse("state", text, &st, why, sizeof(why)), 0);
	ck_assert_uint_eq(st.nrecs, 6);
	ck_assert_str_eq(rs_state_sysctl(&st, "net/ipv4/conf/eth0.100/arp_announce")->old, "1");
	ck_assert_ptr_null(rs_state_sysctl(&st, "net/ipv4/conf/lo/arp_ignore"));
	ck_assert_uint_eq(st.recs[3].port, 6080);
	f = open_memstream(&out, &len);
	rs_state_write(f, &st);
	fclose(f);
	ck_assert_str_eq(out, text);
	free(out);
	rs_state_free(&st);
}
END_TEST

static void
expect_state_error(const char *text, const char *msg)
{
	struct rs_state st;
	char why[256];

	ck_assert_int_eq(rs_state_parse("st", text, &st, why, sizeof(why)), -1);
	ck_assert_str_eq(why, msg);
	ck_assert_uint_eq(st.nrecs, 0);
}

START_TEST(state_errors)
{
	expect_state_error("sysctl a 0\nadress x lo 1.2.3.4/32\n",
	    "st:2:1: error: unknown record `adress`: expected sysctl, addr, up or fou");
	expect_state_error("  addr b lo 10.0.0.300/32\n",
	    "st:1:13: error: bad addr record: expected `addr BOOT-ID INTERFACE "
	    "ADDRESS/PREFIX`");
	expect_state_error("addr b lo 10.0.0.1/33\n",
	    "st:1:11: error: bad addr record: expected `addr BOOT-ID INTERFACE "
	    "ADDRESS/PREFIX`");
	expect_state_error("addr b lo/x 10.0.0.1/32\n",
	    "st:1:8: error: bad addr record: expected `addr BOOT-ID INTERFACE "
	    "ADDRESS/PREFIX`");
	expect_state_error("fou b 0 ipv4\n",
	    "st:1:7: error: bad fou record: expected `fou BOOT-ID PORT ipv4|ipv6`");
	expect_state_error("fou b 6080 ipx\n",
	    "st:1:12: error: bad fou record: expected `fou BOOT-ID PORT ipv4|ipv6`");
	expect_state_error("sysctl ../../etc/x 0\n",
	    "st:1:8: error: bad sysctl record: expected `sysctl KEY OLD-VALUE`");
	expect_state_error("sysctl a/b 0 extra\n",
	    "st:1:14: error: bad sysctl record: expected `sysctl KEY OLD-VALUE`");
	expect_state_error("up b tunl0 x y z\n",
	    "st:1:12: error: bad up record: expected `up BOOT-ID INTERFACE`");
	expect_state_error("up b\n",
	    "st:1:1: error: bad up record: expected `up BOOT-ID INTERFACE`");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("realserver");
	TCase *tc = tcase_create("plan");
	TCase *ts = tcase_create("state");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, dr_from_cfg);
	tcase_add_test(tc, not_a_real_server);
	tcase_add_test(tc, tunnel_gue);
	tcase_add_test(tc, command_line);
	tcase_add_test(tc, problems);
	tcase_add_test(tc, in_place_and_diagnosis);
	tcase_add_test(tc, sysctl_names);
	suite_add_tcase(s, tc);
	tcase_add_test(ts, state_round_trip);
	tcase_add_test(ts, state_errors);
	suite_add_tcase(s, ts);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
