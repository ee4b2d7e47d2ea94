/*
 * lvsd-import-keepalived's mappings, block kind by block kind: what each
 * keepalived statement becomes in lvs.cf, what is assumed (notes) and
 * what lvs.cf cannot express, each at its file:line:column; and every
 * lvs.cf written loads in lvsd's own reader.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "tools/import/imp_run.h"

struct conv {
	char *out;		/* the lvs.cf, NULL with errors */
	char *msgs;		/* every message, one a line */
	unsigned nloss, ninvalid;
};

static void
map_text(struct imp_diags *d, const char *name, const char *text,
    struct imp_file *f)
{
	imp_file_map(d, kc_read_buffer(name, text, strlen(text), NULL, d),
	    name, f);
}

/* The written lvs.cf must load in lvsd (as with --force). */
static void
expect_loads(const char *out)
{
	struct cfg_diags *cd = cfg_diags_new();
	struct cfg *cfg = cfg_load_buffer("out.cf", out, strlen(out), cd);
	if (cfg == NULL)
		cfg_diags_print(stderr, cd);
	ck_assert_msg(cfg != NULL, "lvsd refuses:\n%s", out);
	cfg_free(cfg);
	cfg_diags_free(cd);
}

/* a (and b, the backup's file, or NULL) with --primary/--backup. */
static struct conv
convert(const char *a, const char *b, const char *pa, const char *pb)
{
	struct conv c = { NULL, NULL, 0, 0 };
	struct imp_diags *d = imp_diags_new();
	struct imp_file f[2];
	memset(f, 0, sizeof(f));
	map_text(d, "a.conf", a, &f[0]);
	if (b != NULL)
		map_text(d, "b.conf", b, &f[1]);
	struct imp_opts o = { pa, pb };
	struct imp_result r;
	imp_combine(d, &f[0].site, b ? &f[1].site : NULL, &o, &r);
	size_t len;
	if (d->ninvalid == 0) {
		FILE *m = open_memstream(&c.out, &len);
		imp_write(m, &r, "a.conf", b ? "b.conf" : NULL, d);
		fclose(m);
		expect_loads(c.out);
	}
	FILE *m = open_memstream(&c.msgs, &len);
	imp_diags_sort(d);
	imp_diags_print(m, d, IMP_NOTE, "");
	fclose(m);
	c.nloss = d->nloss;
	c.ninvalid = d->ninvalid;
	imp_result_clear(&r);
	imp_file_clear(&f[0]);
	imp_file_clear(&f[1]);
	imp_diags_free(d);
	return c;
}

static void
conv_free(struct conv *c)
{
	free(c->out);
	free(c->msgs);
}

#define HAS(c, s) ck_assert_msg((c).out && strstr((c).out, (s)), \
	"output lacks `%s`:\n%s\n%s", (s), (c).out, (c).msgs)
#define LACKS(c, s) ck_assert_msg(!(c).out || !strstr((c).out, (s)), \
	"output has `%s`:\n%s", (s), (c).out)
#define SAYS(c, s) ck_assert_msg(strstr((c).msgs, (s)), \
	"messages lack `%s`:\n%s", (s), (c).msgs)

/* A service whose address the VRRP tests move. */
#define VS(addr) "virtual_server " addr " 80 {\n protocol TCP\n" \
	" real_server 10.9.0.1 80 {\n }\n}\n"

START_TEST(global_defs)
{
	struct conv c = convert("global_defs {\n notification_email {\n  a@b\n"
	    " }\n lvs_timeouts tcp 900 udp 60\n lvs_sync_daemon eth1 id 7\n"
	    " script_user nobody\n vrrp_strict\n rooter_id x\n}\n", NULL,
	    NULL, NULL);
	HAS(c, "tcp_timeout = 900\nudp_timeout = 60\n");
	HAS(c, "syncdaemon = 1\nsyncd_iface = eth1\nsyncd_id = 7\n");
	HAS(c, "script_user = nobody\n");
	SAYS(c, "a.conf:2:2: note: `notification_email`: lvsd sends no e-mail\n");
	SAYS(c, "a.conf:8:2: cannot convert: lvsd never drops traffic to the "
	    "addresses it holds: `vrrp_strict` cannot be expressed\n");
	SAYS(c, "a.conf:9:2: cannot convert: unknown keyword `rooter_id` in "
	    "global_defs; did you mean `router_id`?\n");
	ck_assert_uint_eq(c.nloss, 2);
	conv_free(&c);
}
END_TEST

static const char one_vrrp[] =
    "vrrp_instance VI_1 {\n state MASTER\n interface eth0\n"
    " virtual_router_id 51\n priority 120\n advert_int 1\n"
    " authentication {\n  auth_type PASS\n  auth_pass secret99\n }\n"
    " virtual_ipaddress {\n  10.0.0.10/24 dev eth0 label eth0:web\n"
    "  10.0.0.1/24\n  10.0.0.11\n }\n"
    " notify_master \"/usr/bin/logger 'became master' now\"\n}\n"
    VS("10.0.0.10");

START_TEST(vrrp_one_file)
{
	struct conv c = convert(one_vrrp, NULL, "192.0.2.1", "192.0.2.2");
	HAS(c, "primary = 192.0.2.1\nbackup = 192.0.2.2\nbackup_active = 1\n"
	    "monitor_links = 1\nnat_router = 10.0.0.1 eth0\nnat_nmask = 24\n");
	HAS(c, "vrrp VI_1 {\n    vrid = 51\n    interface = eth0\n"
	    "    version = 2\n    priority_primary = 120\n"
	    "    priority_backup = 70\n    advert_int = 1s\n"
	    "    auth_pass = secret99\n"
	    "    notify_master = \"/usr/bin/logger 'became master' now\"\n}\n");
	HAS(c, "virtual 10.0.0.10_80 {\n    address = 10.0.0.10 eth0:web\n"
	    "    vip_nmask = 24\n    vrrp = VI_1\n");
	SAYS(c, "a.conf:1:1: note: vrrp_instance VI_1: this file is taken as "
	    "the primary director's (priority 120); the backup's priority is "
	    "assumed to be 70");
	SAYS(c, "a.conf:13:3: note: 10.0.0.1 is the address of no "
	    "virtual_server: it becomes `nat_router`");
	SAYS(c, "a.conf:14:3: cannot convert: lvs.cf moves the addresses of "
	    "its virtual services and one `nat_router`: 10.0.0.11, the address "
	    "of no virtual_server, cannot be expressed\n");
	ck_assert_uint_eq(c.nloss, 1);
	conv_free(&c);
	/* without the directors' addresses (no unicast): said, and not
	 * invented; what is written still loads (--force) */
	c = convert(one_vrrp, NULL, NULL, NULL);
	SAYS(c, "a.conf:1:1: cannot convert: lvs.cf names both directors' "
	    "addresses (each finds its role by the one it owns), and "
	    "keepalived.conf has neither (no unicast_src_ip or unicast_peer): "
	    "give --primary ADDRESS and --backup ADDRESS\n");
	LACKS(c, "backup_active");
	conv_free(&c);
}
END_TEST

/* One director's instance: unicast from .SELF to .PEER, priority P. */
static char *
director(int self, int peer, int prio, const char *extra)
{
	char *s;
	if (asprintf(&s, "vrrp_instance VI_1 {\n interface eth0\n"
	    " virtual_router_id 9\n version 3\n priority %d\n advert_int 0.25\n"
	    " unicast_src_ip 192.0.2.%d\n unicast_peer {\n  192.0.2.%d\n }\n"
	    " virtual_ipaddress {\n  10.0.0.10\n }\n%s}\n" VS("10.0.0.10"),
	    prio, self, peer, extra) < 0)
		abort();
	return s;
}

START_TEST(vrrp_two_files)
{
	char *a = director(1, 2, 150, " nopreempt\n");
	char *b = director(2, 1, 100, "");
	struct conv c = convert(a, b, NULL, NULL);
	ck_assert_uint_eq(c.nloss, 0);
	HAS(c, "primary = 192.0.2.1\nbackup = 192.0.2.2\n");
	HAS(c, "    version = 3\n    priority_primary = 150\n"
	    "    priority_backup = 100\n    advert_int = 250ms\n"
	    "    preempt = 0\n    unicast = 1\n");
	conv_free(&c);
	free(a);
	free(b);
	/* equal priorities: keepalived never preempts between them */
	a = director(1, 2, 100, " preempt_delay 5\n");
	b = director(2, 1, 100, "");
	c = convert(a, b, NULL, NULL);
	HAS(c, "    priority_primary = 100\n    priority_backup = 99\n"
	    "    advert_int = 250ms\n    preempt = 0\n");
	SAYS(c, "b.conf:1:1: note: vrrp_instance VI_1: both directors have "
	    "priority 100");
	conv_free(&c);
	free(a);
	free(b);
	/* the backup's file with the higher priority everywhere */
	a = director(1, 2, 100, "");
	b = director(2, 1, 200, "");
	c = convert(a, b, NULL, NULL);
	SAYS(c, "b.conf:1:1: cannot convert: vrrp_instance VI_1: the backup's "
	    "priority (200) is not below the primary's (100); lvs.cf's primary "
	    "director has the higher priority in every instance (give the "
	    "files in the other order)\n");
	conv_free(&c);
	free(a);
	free(b);
	/* what lvs.cf gives both directors alike must agree */
	a = director(1, 2, 150, "");
	b = director(2, 3, 100, " notify_master /bin/true\n");
	c = convert(a, b, NULL, NULL);
	SAYS(c, "b.conf:9:3: cannot convert: lvs.cf's unicast adverts go to "
	    "the other director's address, 192.0.2.1\n");
	SAYS(c, "b.conf:14:2: cannot convert: vrrp_instance VI_1: lvs.cf runs "
	    "one `notify_master` on both directors, and the two files differ\n");
	conv_free(&c);
	free(a);
	free(b);
}
END_TEST

START_TEST(vrrp_keywords)
{
	struct conv c = convert("vrrp_instance V {\n interface eth0\n"
	    " virtual_router_id 3\n dont_track_primary\n"
	    " authentication {\n  auth_type AH\n }\n track_interface {\n"
	    "  eth0\n  eth1\n  eth0 weight 5\n }\n track_script {\n  chk\n }\n"
	    " use_vmac\n garp_master_delay 5\n garp_master_repeat 3\n"
	    " virtual_ipaddress {\n  10.0.0.10 dev eth0 label eth1:x scope host\n"
	    " }\n}\n" VS("10.0.0.10"), NULL, "192.0.2.1", "192.0.2.2");
	HAS(c, "monitor_links = 0\n");
	HAS(c, "    garp_repeat = 3\n");
	SAYS(c, "a.conf:6:13: cannot convert: lvsd does not speak VRRP's IPsec "
	    "AH authentication\n");
	SAYS(c, "a.conf:10:3: cannot convert: lvsd watches the links of the "
	    "instance's interface and of its addresses' devices only "
	    "(monitor_links): `eth1` is neither\n");
	SAYS(c, "a.conf:11:8: cannot convert: lvs.cf has no weighted tracking");
	SAYS(c, "a.conf:13:2: cannot convert: lvsd moves an instance on its "
	    "directors' failures and its devices' links (monitor_links) only: "
	    "`track_script` cannot be expressed\n");
	SAYS(c, "a.conf:16:2: cannot convert: lvsd has no virtual MAC");
	SAYS(c, "a.conf:17:2: note: lvsd sends its gratuitous ARPs "
	    "`garp_delay` apart and no second burst 5 s after a takeover\n");
	SAYS(c, "a.conf:20:3: cannot convert: lvs.cf labels an address "
	    "`DEVICE:ALIAS` on its device: label `eth1:x` on `eth0` cannot be "
	    "expressed\n");
	SAYS(c, "a.conf:20:35: cannot convert: lvsd adds its addresses with "
	    "global scope: `scope host` cannot be expressed\n");
	conv_free(&c);
}
END_TEST

START_TEST(sync_group)
{
	struct conv c = convert("vrrp_sync_group G {\n group {\n  A\n  B\n }\n"
	    " notify_master /usr/local/bin/up\n}\n"
	    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n  10.0.0.10\n }\n}\n"
	    "vrrp_instance B {\n interface eth1\n virtual_router_id 2\n"
	    " virtual_ipaddress {\n  10.1.0.1 dev eth1\n }\n}\n"
	    VS("10.0.0.10"), NULL, "192.0.2.1", "192.0.2.2");
	ck_assert_uint_eq(c.nloss, 0);
	HAS(c, "nat_router = 10.1.0.1 eth1\n");
	HAS(c, "vrrp G {\n    vrid = 1\n    interface = eth0\n");
	HAS(c, "    notify_master = /usr/local/bin/up\n");
	HAS(c, "    address = 10.0.0.10 eth0\n    vrrp = G\n");
	LACKS(c, "vrrp A");
	SAYS(c, "a.conf:1:1: note: lvs.cf has no sync groups: G becomes one "
	    "VRRP instance (vrid 1 on eth0) holding the addresses of all its "
	    "members, which move together as the group did; only that vrid "
	    "is advertised\n");
	conv_free(&c);
}
END_TEST

START_TEST(virtual_servers)
{
	struct conv c = convert("virtual_server 10.0.0.1 443 {\n lb_algo sh\n"
	    " sh-port\n lb_kind DR\n persistence_timeout\n"
	    " persistence_granularity 255.255.255.0\n sorry_server 10.0.9.9 443\n"
	    " ops\n real_server 10.0.1.1 443 {\n  weight 5\n  uthreshold 9\n }\n"
	    "}\nvirtual_server fwmark 3 {\n lvs_sched rr\n"
	    " real_server 10.0.1.2 {\n  lvs_method TUN type gue port 6080 csum\n"
	    " }\n}\nvirtual_server 2001:db8::1 53 {\n protocol UDP\n ops\n"
	    " quorum 2\n real_server 2001:db8::2 53 {\n  notify_up /bin/true\n"
	    " }\n}\n", NULL, NULL, NULL);
	HAS(c, "virtual udp_10.0.0.1_443 {\n    address = 10.0.0.1\n"
	    "    protocol = udp\n    port = 443\n    scheduler = sh\n"
	    "    hash_port = 1\n    persistent = 360\n    pmask = 255.255.255.0\n"
	    "    sorry_server = 10.0.9.9:443\n    one_packet = 1\n"
	    "    check = none\n    server 10.0.1.1_443 {\n"
	    "        address = 10.0.1.1\n        port = 443\n"
	    "        weight = 5\n        uthreshold = 9\n"
	    "        network = direct\n    }\n");
	HAS(c, "virtual fwmark_3 {\n    address = 0.0.0.0\n    fwmark = 3\n"
	    "    scheduler = rr\n");
	HAS(c, "        network = tunnel\n        tunnel_type = gue\n"
	    "        tunnel_port = 6080\n        tunnel_csum = csum\n");
	HAS(c, "virtual udp_2001:db8::1_53 {\n");
	SAYS(c, "a.conf:1:1: note: no `protocol`: keepalived makes this a UDP "
	    "service (and warns); so does lvs.cf\n");
	SAYS(c, "a.conf:7:2: cannot convert: lvsd forwards to a sorry server by "
	    "NAT; keepalived would use direct here\n");
	SAYS(c, "a.conf:23:2: cannot convert: lvs.cf has no quorum: the service "
	    "stays while any real server is up (then the sorry server); "
	    "`quorum 2` cannot be expressed\n");
	SAYS(c, "a.conf:25:3: cannot convert: lvs.cf runs no command when a "
	    "real server comes up or goes down");
	conv_free(&c);
}
END_TEST

START_TEST(server_groups)
{
	struct conv c = convert("virtual_server_group G {\n 10.0.0.1-3 80\n"
	    " 10.0.1.0/31 8080\n fwmark 5\n}\nvirtual_server group G {\n"
	    " protocol TCP\n real_server 10.9.0.1 80 {\n }\n}\n"
	    "virtual_server_group UNUSED {\n 10.0.0.99 80\n}\n", NULL, NULL,
	    NULL);
	const char *names[] = { "virtual 10.0.0.1_80 {", "virtual 10.0.0.2_80 {",
	    "virtual 10.0.0.3_80 {", "virtual 10.0.1.0_8080 {",
	    "virtual 10.0.1.1_8080 {", "virtual fwmark_5 {" };
	for (size_t i = 0; i < 6; i++)
		HAS(c, names[i]);
	SAYS(c, "a.conf:6:16: note: lvs.cf has no virtual_server_group: each "
	    "of `G`'s 3 entries becomes a virtual service");
	SAYS(c, "a.conf:11:1: note: virtual_server_group UNUSED is used by no "
	    "virtual_server: nothing to convert\n");
	conv_free(&c);
	c = convert("virtual_server group NONE {\n}\n", NULL, NULL, NULL);
	SAYS(c, "a.conf:1:22: error: no virtual_server_group `NONE`\n");
	conv_free(&c);
}
END_TEST

/* A virtual_server with one real server whose body is BODY. */
static struct conv
one_rs(const char *vs, const char *body)
{
	char *t;
	if (asprintf(&t, "virtual_server 10.0.0.1 80 {\n protocol TCP\n%s"
	    " real_server 10.0.1.1 80 {\n%s }\n}\n", vs, body) < 0)
		abort();
	struct conv c = convert(t, NULL, NULL, NULL);
	free(t);
	return c;
}

START_TEST(checks)
{
	struct conv c = one_rs(" delay_loop 4\n", "  inhibit_on_failure\n"
	    "  TCP_CHECK {\n   connect_port 81\n   connect_timeout 2\n"
	    "   retry 2\n   delay_before_retry 4\n  }\n  PING_CHECK {\n  }\n");
	HAS(c, "    check = tcp\n    check_interval = 4s\n    check_timeout = 2s\n"
	    "    check_rise = 1\n    check_fall = 3\n    check_initial = up\n"
	    "    check_icmp = 1\n    quiesce_server = 1\n    check_port = 81\n");
	/* retries delay_loop apart: the same time to take it out */
	ck_assert_msg(strstr(c.msgs, "TCP_CHECK: keepalived retries") == NULL,
	    "%s", c.msgs);
	conv_free(&c);
	c = one_rs(" virtualhost www.example.org\n alpha\n", "  SSL_GET {\n"
	    "   enable_sni\n   url {\n    path /ok\n"
	    "    digest 0123456789ABCDEF0123456789abcdef\n    status_code 200 "
	    "300-302\n   }\n   url {\n    path /two\n   }\n  }\n");
	HAS(c, "    check = https\n    check_interval = 60s\n"
	    "    check_timeout = 5s\n    check_rise = 1\n    check_fall = 2\n"
	    "    check_initial = down\n    tls_sni = www.example.org\n"
	    "    http_path = /ok\n"
	    "    http_digest = md5:0123456789abcdef0123456789abcdef\n"
	    "    http_status = 200,300-302\n    http_host = www.example.org\n");
	SAYS(c, "a.conf:13:4: cannot convert: lvs.cf checks one URL per virtual "
	    "service: this second `url` cannot be expressed\n");
	SAYS(c, "a.conf:6:3: note: SSL_GET: keepalived retries a failed check 1 "
	    "time 3s apart; lvsd checks every 60s (`delay_loop`) and takes the "
	    "server out after 2 failures: 60s after the first one instead of "
	    "3s\n");
	conv_free(&c);
	c = one_rs("", "  MISC_CHECK {\n   misc_path \"/usr/lib/chk '%x' a\"\n"
	    "   misc_timeout 3\n   misc_dynamic\n   user nobody\n  }\n");
	HAS(c, "script_user = nobody\n");
	HAS(c, "    check = exec\n    check_interval = 60s\n"
	    "    check_timeout = 3s\n    check_rise = 1\n    check_fall = 1\n"
	    "    check_initial = up\n    check_program = /usr/lib/chk %%x a\n");
	SAYS(c, "a.conf:7:4: cannot convert: lvsd reads a dynamic weight from "
	    "the program's output");
	conv_free(&c);
	c = one_rs(" virtualhost www.example.org\n", "  PING_CHECK {\n  }\n");
	HAS(c, "    check = icmp\n");
	LACKS(c, "http_host");	/* the Host of HTTP checks only */
	conv_free(&c);
	c = one_rs("", "  SMTP_CHECK {\n  }\n  UDP_CHECK {\n  }\n"
	    "  TCP_CHECK {\n   bindto 10.0.0.2\n  }\n  HTTP_GET {\n  }\n");
	SAYS(c, "a.conf:4:3: cannot convert: SMTP_CHECK: lvs.cf has no SMTP "
	    "dialogue check (HELO, QUIT)\n");
	SAYS(c, "a.conf:6:3: cannot convert: UDP_CHECK without `require_reply` "
	    "counts a silent server as up; lvsd's UDP check needs an answer\n");
	SAYS(c, "a.conf:9:4: cannot convert: lvsd checks from the director's "
	    "own address and port: `bindto` cannot be expressed\n");
	SAYS(c, "a.conf:8:3: cannot convert: lvs.cf runs one check per real "
	    "server (and an ICMP one before it): this second checker cannot be "
	    "expressed\n");
	conv_free(&c);
}
END_TEST

START_TEST(checks_differ)
{
	struct conv c = convert("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
	    " real_server 10.0.1.1 80 {\n  TCP_CHECK {\n  }\n }\n"
	    " real_server 10.0.1.2 80 {\n  HTTP_GET {\n   url {\n    path /\n"
	    "   }\n  }\n }\n real_server 10.0.1.3 80 {\n }\n"
	    " real_server 10.0.1.3 80 {\n }\n}\n", NULL, NULL, NULL);
	SAYS(c, "a.conf:8:3: cannot convert: lvs.cf checks every real server of "
	    "a service alike: `check` would be `http` here, `tcp` for the real "
	    "server at line 3\n");
	SAYS(c, "a.conf:14:2: cannot convert: lvs.cf checks every real server of "
	    "a service alike: `check` would be `none` here, `tcp` for the real "
	    "server at line 3\n");
	SAYS(c, "a.conf:16:2: note: real_server 10.0.1.3_80 appears twice in "
	    "this virtual_server (first at line 14): keepalived drops the "
	    "second, so does lvs.cf\n");
	/* --force writes the first server's check for all */
	HAS(c, "    check = tcp\n");
	conv_free(&c);
}
END_TEST

START_TEST(invalid_values)
{
	struct conv c = convert("vrrp_instance V {\n virtual_router_id 300\n"
	    " priority high\n advert_int 1s\n state SOMETIMES\n}\n"
	    "virtual_server 10.0.0.300 80 {\n}\nvirtual_server 10.0.0.1 99999 {\n"
	    "}\n", NULL, NULL, NULL);
	ck_assert_ptr_null(c.out);
	SAYS(c, "a.conf:2:20: error: expected an integer from 1 to 255, found "
	    "`300`\n");
	SAYS(c, "a.conf:3:11: error: expected an integer from 1 to 255, found "
	    "`high`\n");
	SAYS(c, "a.conf:4:13: error: expected a time in seconds (e.g. `3` or "
	    "`0.5`) up to 40, found `1s`\n");
	SAYS(c, "a.conf:5:8: error: `state`: expected MASTER or BACKUP, found "
	    "`SOMETIMES`\n");
	SAYS(c, "a.conf:7:16: error: expected an IPv4 or IPv6 address (host "
	    "names are not resolved), found `10.0.0.300`\n");
	SAYS(c, "a.conf:9:25: error: expected an integer from 0 to 65535, found "
	    "`99999`\n");
	conv_free(&c);
}
END_TEST

/* A service whose address no instance moves needs no instance of its
 * family; an instance that moves nothing lvs.cf can hold is left out. */
START_TEST(families)
{
	static const char text[] = "vrrp_instance V4 {\n interface eth0\n"
	    " virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.10\n }\n}\n"
	    "%s" VS("10.0.0.10") "virtual_server 2001:db8::80 80 {\n"
	    " protocol TCP\n real_server 2001:db8::2 80 {\n }\n}\n";
	char *t;
	ck_assert_int_ge(asprintf(&t, text, ""), 0);
	struct conv c = convert(t, NULL, "192.0.2.1", "192.0.2.2");
	ck_assert_uint_eq(c.nloss, 0);
	HAS(c, "    address = 2001:db8::80\n    port = 80\n    check = none\n");
	conv_free(&c);
	free(t);
	ck_assert_int_ge(asprintf(&t, text, "vrrp_instance V6 {\n interface "
	    "eth0\n virtual_router_id 2\n virtual_ipaddress {\n  fd00::1\n"
	    " }\n}\n"), 0);
	c = convert(t, NULL, "192.0.2.1", "192.0.2.2");
	/* fd00::1 is no service's, so V6 moves nothing lvs.cf holds */
	ck_assert_uint_eq(c.nloss, 2);
	SAYS(c, "a.conf:8:1: cannot convert: vrrp_instance V6 moves no address "
	    "lvs.cf can hold: it is not converted\n");
	LACKS(c, "vrrp V6");
	conv_free(&c);
	free(t);
}
END_TEST

static Suite *
map_suite(void)
{
	Suite *s = suite_create("keepalived.conf into lvs.cf");
	TCase *tc = tcase_create("mappings");
	tcase_add_test(tc, global_defs);
	tcase_add_test(tc, vrrp_one_file);
	tcase_add_test(tc, vrrp_two_files);
	tcase_add_test(tc, vrrp_keywords);
	tcase_add_test(tc, sync_group);
	tcase_add_test(tc, virtual_servers);
	tcase_add_test(tc, server_groups);
	tcase_add_test(tc, checks);
	tcase_add_test(tc, checks_differ);
	tcase_add_test(tc, invalid_values);
	tcase_add_test(tc, families);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(map_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
