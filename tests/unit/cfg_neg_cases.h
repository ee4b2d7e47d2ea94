/*
 * Malformed lvs.cf inputs and the exact first diagnostic each must give.
 * Included by test_cfg.c.  The file name in every location is "t.cf".
 */
struct neg_case {
	const char *text;
	const char *first;	/* exact first diagnostic */
	unsigned nerrors;	/* how many errors the input has */
};

#define V(body) "virtual v {\n address = 10.0.0.1\n port = 80\n" body "}\n"
#define S(body) V(" server s {\n  address = 10.1.0.1\n" body " }\n")

static const struct neg_case neg_cases[] = {
	/* lexical */
	{ "primary 10.0.0.1\n", "t.cf:1:9: error: expected `=` after `primary`", 1 },
	{ "primary\n", "t.cf:1:8: error: expected `=` after `primary`", 1 },
	{ "= 3\n", "t.cf:1:1: error: expected a key, found `=`", 1 },
	{ "  @key = 1\n", "t.cf:1:3: error: expected a key, found `@`", 1 },
	{ "active_cmd = \"abc\n", "t.cf:1:14: error: unterminated quoted string: expected a closing `\"` on the same line", 1 },
	{ "active_cmd = \"ab\\\"\n", "t.cf:1:14: error: unterminated quoted string: expected a closing `\"` on the same line", 1 },
	{ "active_cmd = \"ab\" extra\n", "t.cf:1:19: error: unexpected `e` after the closing quote", 1 },
	{ "serial_no = 1\n}\n", "t.cf:2:1: error: unexpected `}`: no block is open", 1 },
	{ "virtual v {\n port = 80\n address = 10.0.0.1\n", "t.cf:4:1: error: missing `}` to close `virtual v` opened at line 1", 1 },
	{ "virtual {\n}\n", "t.cf:1:9: error: expected a name after `virtual` (letters, digits, `_ - . :`)", 1 },
	{ "virtual v\n", "t.cf:1:10: error: expected `{` after the block name, found end of line", 1 },
	{ "virtual v { port = 80\n}\n", "t.cf:1:13: error: unexpected text after `{`: each key goes on a line of its own", 1 },
	{ "serial_no = 1 }\n", "t.cf:1:13: error: `serial_no`: expected an integer from 0 to 4294967295, found `1 }`", 1 },
	/* unknown and misplaced keys */
	{ "primray = 10.0.0.1\n", "t.cf:1:1: error: unknown key `primray` in a `global` block; did you mean `primary`?", 1 },
	{ "heartbeatport = 1\n", "t.cf:1:1: error: unknown key `heartbeatport` in a `global` block; did you mean `heartbeat_port`?", 1 },
	{ "frobnicate = 1\n", "t.cf:1:1: error: unknown key `frobnicate` in a `global` block", 1 },
	{ "scheduler = wlc\n", "t.cf:1:1: error: `scheduler` is not valid in a `global` block: it belongs in a `virtual` block", 1 },
	{ V(" schedular = wlc\n"), "t.cf:4:2: error: unknown key `schedular` in a `virtual` block; did you mean `scheduler`?", 1 },
	{ V(" weight = 3\n"), "t.cf:4:2: error: `weight` is not valid in a `virtual` block: it belongs in a `server` block", 1 },
	{ V(" keepalive = 3\n"), "t.cf:4:2: error: `keepalive` is a global key: it goes outside any block", 1 },
	{ S("  wieght = 3\n"), "t.cf:6:3: error: unknown key `wieght` in a `server` block; did you mean `weight`?", 1 },
	{ "virtal v {\n port = 80\n}\n", "t.cf:1:1: error: unknown block `virtal`; did you mean `virtual`?", 1 },
	{ "server s {\n address = 10.0.0.1\n}\n", "t.cf:1:1: error: a `server` block goes inside a `virtual` block", 1 },
	{ V(" virtual w {\n }\n"), "t.cf:4:2: error: a `virtual` block goes at the top level, not inside `virtual v`", 1 },
	{ "primary = 10.0.0.1\nprimary = 10.0.0.2\n", "t.cf:2:1: error: duplicate key `primary` (first set at line 1)", 1 },
	/* typed values */
	{ "primary = www.example.com\n", "t.cf:1:11: error: `primary`: expected an IPv4 or IPv6 address (host names are not resolved), found `www.example.com`", 1 },
	{ "primary = 10.0.0\n", "t.cf:1:11: error: `primary`: expected an IPv4 or IPv6 address (host names are not resolved), found `10.0.0`", 1 },
	{ "backup_active = yes\n", "t.cf:1:17: error: `backup_active`: expected 0 or 1, found `yes`", 1 },
	{ "keepalive = 0\n", "t.cf:1:13: error: `keepalive`: expected an integer from 1 to 3600, found `0`", 1 },
	{ "keepalive = -5\n", "t.cf:1:13: error: `keepalive`: expected an integer from 1 to 3600, found `-5`", 1 },
	{ "keepalive = 99999999999999999999\n", "t.cf:1:13: error: `keepalive`: expected an integer from 1 to 3600, found `99999999999999999999`", 1 },
	{ "heartbeat_port = 70000\n", "t.cf:1:18: error: `heartbeat_port`: expected a port number from 1 to 65535 or a service name such as `http`, found `70000`", 1 },
	{ "heartbeat_port = nosuchservice\n", "t.cf:1:18: error: `heartbeat_port`: expected a port number from 1 to 65535 or a service name such as `http`, found `nosuchservice`", 1 },
	{ "network = bridge\n", "t.cf:1:11: error: `network`: expected one of nat direct tunnel, found `bridge`", 1 },
	{ "nat_nmask = 255.0.255.0\n", "t.cf:1:13: error: `nat_nmask`: expected a netmask such as `255.255.255.0` or a prefix length such as `24`, found `255.0.255.0`", 1 },
	{ "nat_router = 10.0.0.1 eth0:1 extra\n", "t.cf:1:30: error: `nat_router`: expected end of value after the device, found `extra`", 1 },
	{ "nat_router = 10.0.0.1 averyveryverylongdevicename\n", "t.cf:1:23: error: `nat_router`: expected a network device such as `eth0` or `eth0:1` (at most 15 characters), found `averyveryverylongdevicename`", 1 },
	{ "syncd_iface = eth/0\n", "t.cf:1:15: error: `syncd_iface`: expected a network device name such as `eth0` (at most 15 characters), found `eth/0`", 1 },
	{ "syncd_id = 256\n", "t.cf:1:12: error: `syncd_id`: expected an integer from 0 to 255, found `256`", 1 },
	{ "debug_level = LOUD\n", "t.cf:1:15: error: `debug_level`: expected one of NONE LOW MEDIUM HIGH, found `LOUD`", 1 },
	{ "keepalive =\n", "t.cf:1:12: error: `keepalive`: expected an integer from 1 to 3600, found nothing", 1 },
	{ V(" scheduler = fastest\n"), "t.cf:4:14: error: `scheduler`: expected one of rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos, found `fastest`", 1 },
	{ V(" protocol = icmp\n"), "t.cf:4:13: error: `protocol`: expected one of tcp udp sctp, found `icmp`", 1 },
	{ V(" fwmark = 0\n"), "t.cf:4:11: error: `fwmark`: expected an integer from 1 to 4294967295, found `0`", 1 },
	{ V(" sorry_server = 10.9.9.9:99999\n"), "t.cf:4:26: error: `sorry_server`: expected a port number from 1 to 65535, found `99999`", 1 },
	{ V(" sorry_server = [::1\n"), "t.cf:4:17: error: `sorry_server`: expected an address with an optional port: `IP`, `IP:port`, `[IPv6]:port`, found `[::1`", 1 },
	{ S("  weight = 65536\n"), "t.cf:6:12: error: `weight`: expected an integer from 0 to 65535, found `65536`", 1 },
	{ S("  port = 0\n"), "t.cf:6:10: error: `port`: expected a port number from 1 to 65535 or a service name such as `http`, found `0`", 1 },
	/* validation across keys and blocks */
	{ "service = fos\n", "t.cf:1:1: error: `service = fos` (piranha's failover services) is not supported by lvsd; use `service = lvs`", 1 },
	{ "backup_active = 1\n", "t.cf:1:1: error: `backup_active = 1` needs `backup`, the backup director's address", 1 },
	{ "primary = 10.0.0.1\nbackup = 10.0.0.1\n", "t.cf:2:1: error: `backup` is the same address as `primary`", 1 },
	{ "keepalive = 10\ndeadtime = 10\n", "t.cf:2:1: error: `deadtime` (10 s) must be longer than `keepalive` (10 s)", 1 },
	{ "virtual v {\n port = 80\n}\n", "t.cf:1:1: error: virtual `v` has no `address` (its virtual IP)", 1 },
	{ "virtual v {\n address = 10.0.0.1\n}\n", "t.cf:1:1: error: virtual `v` has no `port` (or `fwmark`)", 1 },
	{ "virtual v {\n address = 10.0.0.1\n port = 0\n}\n", "t.cf:3:2: error: `port = 0` (all ports) needs `persistent`", 1 },
	{ V(" vip_nmask = 33\n"), "t.cf:4:2: error: `vip_nmask`: prefix length 33 is too long for an IPv4 address (at most 32)", 1 },
	{ "virtual v {\n address = 2001:db8::1\n port = 80\n pmask = 255.255.255.0\n persistent = 60\n}\n", "t.cf:4:2: error: `pmask`: a dotted netmask cannot apply to an IPv6 address; write a prefix length such as `64`", 1 },
	{ V(" sorry_server = 2001:db8::9\n"), "t.cf:4:2: error: `sorry_server` is not of the same address family as the virtual address", 1 },
	{ V(" server s {\n  weight = 1\n }\n"), "t.cf:4:2: error: server `s` in virtual `v` has no `address`", 1 },
	{ V(" server s {\n  address = 2001:db8::5\n }\n"), "t.cf:5:3: error: server `s`: an IPv6 real server behind an IPv4 virtual address needs `network = tunnel`", 1 },
	{ V(" server a {\n  address = 10.1.0.1\n }\n server a {\n  address = 10.1.0.2\n }\n"), "t.cf:7:2: error: duplicate server name `a` in virtual `v` (first at line 4)", 1 },
	{ V(" server a {\n  address = 10.1.0.1\n }\n server b {\n  address = 10.1.0.1\n  port = 80\n }\n"), "t.cf:7:2: error: server `b` duplicates server `a` (10.1.0.1:80) in virtual `v`", 1 },
	{ V("") V(""), "t.cf:5:1: error: duplicate virtual name `v` (first at line 1)", 2 },
	{ V("") "virtual w {\n address = 10.0.0.1\n port = http\n}\n", "t.cf:5:1: error: virtual `w` is the same service as virtual `v` (line 1)", 1 },
	{ "failover f {\n address = 10.0.0.1\n}\n", "t.cf:1:1: error: failover `f` has no `port`", 1 },
	{ "include /nonexistent/lvsd-test.cf\n", "t.cf:1:9: error: cannot read /nonexistent/lvsd-test.cf: No such file or directory", 1 },
	{ "include\n", "t.cf:1:8: error: `include` needs a file name or glob pattern", 1 },
	/* health checks */
	{ V(" load_monitor = uptime\n"), "t.cf:4:2: error: `load_monitor = uptime` is not supported: lvsd does not log in to real servers; use `check = exec` with `check_dynamic_weight = 1`", 1 },
	{ V(" check = exec\n"), "t.cf:4:2: error: `check = exec` needs `check_program`", 1 },
	{ V(" check = send_expect\n"), "t.cf:4:2: error: `check = send_expect` needs `send` or `expect`", 1 },
	{ V(" http_path = /x\n"), "t.cf:4:2: error: this key applies to `check = http` or `https`, not `tcp`", 1 },
	{ V(" check = http\n tls_verify = 1\n"), "t.cf:5:2: error: this key applies to `check = https`, not `http`", 1 },
	{ V(" check = http\n http_status = 200-1000\n"), "t.cf:5:2: error: `http_status`: expected HTTP status codes 100-599 as a list of codes, ranges (200-299) or classes (2xx)", 1 },
	{ V(" check = https\n http_digest = sha1:abcd\n"), "t.cf:5:2: error: `http_digest`: expected `sha256:` followed by 64 hex digits, or `md5:` followed by 32", 1 },
	{ V(" expect = \"a(b\"\n use_regex = 1\n"), "t.cf:4:2: error: `expect`: not a POSIX extended regular expression: Unmatched ( or \\(", 1 },
	{ V(" check_interval = 5us\n"), "t.cf:4:19: error: `check_interval`: expected a duration from 10ms to 3600000ms (seconds, or with a unit: `1.5`, `200ms`, `2s`), found `5us`", 1 },
	{ V(" check_interval = 0.0001\n"), "t.cf:4:19: error: `check_interval`: expected a duration from 10ms to 3600000ms (seconds, or with a unit: `1.5`, `200ms`, `2s`), found `0.0001`", 1 },
	{ "virtual v {\n address = 10.0.0.1\n fwmark = 3\n}\n", "t.cf:3:2: error: virtual `v`: a fwmark service needs `check_port` (or `port`) for its `tcp` health check", 1 },
	/* failover */
	{ "primary = 10.0.0.1\nbackup = 10.0.0.2\nbackup_active = 1\nheartbeat = 0\n", "t.cf:3:1: error: `backup_active = 1` needs `heartbeat = 1` (piranha's pulse) or a `vrrp` block", 1 },
	{ "vrrp r {\n interface = eth0\n}\n", "t.cf:1:1: error: vrrp `r` has no `vrid` (1 to 255)", 1 },
	{ "vrrp r {\n vrid = 1\n}\n" V(""), "t.cf:1:1: error: vrrp `r` has no `interface`, and none of the virtual addresses it holds names a device", 1 },
	{ "vrrp r {\n vrid = 1\n interface = eth0\n priority_backup = 200\n}\n", "t.cf:4:2: error: vrrp `r`: `priority_backup` (200) must be below `priority_primary` (150)", 1 },
	{ "vrrp r {\n vrid = 1\n interface = eth0\n auth_pass = x\n}\n", "t.cf:4:2: error: vrrp `r`: `auth_pass` needs `version = 2` (VRRP version 3 has no authentication)", 1 },
	{ "vrrp r {\n vrid = 1\n interface = eth0\n version = 2\n advert_int = 500ms\n}\n", "t.cf:5:2: error: vrrp `r`: VRRP version 2 advertises in whole seconds", 1 },
	{ "vrrp r {\n vrid = 1\n handoff_delay = 11s\n}\n", "t.cf:3:18: error: `handoff_delay`: expected a duration from 0ms to 10000ms (seconds, or with a unit: `1.5`, `200ms`, `2s`), found `11s`", 1 },
	{ "vrrp r {\n vrid = 1\n interface = eth0\n unicast = 1\n}\n", "t.cf:4:2: error: vrrp `r`: `unicast = 1` sends to the other director: set `primary` and `backup`", 1 },
	{ "vrrp r {\n vrid = 7\n interface = eth0\n}\nvrrp s {\n vrid = 7\n interface = eth0\n}\n", "t.cf:6:2: error: vrrp `s`: vrid 7 on eth0 is already used by vrrp `r`", 1 },
	{ "vrrp outer {\n vrid = 1\n interface = eth0\n}\n" V(" vrrp = outr\n"), "t.cf:8:2: error: virtual `v`: no `vrrp outr` block; did you mean `outer`?", 1 },
	{ "vrrp r {\n vrid = 1\n interface = eth0\n}\nvirtual v {\n address = 10.0.0.1 eth0:1\n port = 80\n}\nvirtual w {\n address = 2001:db8::1 eth0\n port = 80\n}\n", "t.cf:10:2: error: virtual `w`: VRRP instance `r` holds IPv4 addresses; an instance carries one address family (add a second `vrrp` block and `vrrp = NAME`)", 1 },
	{ "vrp r {\n vrid = 1\n}\n", "t.cf:1:1: error: unknown block `vrp`; did you mean `vrrp`?", 1 },
	/* connection sync */
	{ "syncdaemon = 1\nsyncd_threshold = 50\n", "t.cf:2:1: error: `syncd_threshold` (50) must be below `syncd_period` (50), or the period 0", 1 },
	{ "vrrp r {\n vrid = 1\n interface = eth0\n peers = 10.0.0.1 nowhere\n}\n", "t.cf:4:19: error: `peers`: expected an IPv4 or IPv6 address (host names are not resolved), found `nowhere`", 1 },
	{ "vrrp r {\n vrid = 1\n interface = eth0\n peers = fe80::1\n}\n", "t.cf:4:2: error: vrrp `r`: peer fe80::1 is not of the instance's address family (IPv4)", 1 },
	{ "vrrp r {\n vrid = 1\n peers = 2001:db8::2\n}\nvirtual v {\n address = 2001:db8::1 eth0\n port = 80\n}\n", "t.cf:3:2: error: vrrp `r`: peer 2001:db8::2: IPv6 adverts come from link-local addresses (fe80::/10); list the link-local address of each director's `eth0`", 1 },
	{ "primary = 10.0.0.1\nbackup = 10.0.0.2\nvrrp r {\n vrid = 1\n interface = eth0\n unicast = 1\n accept_any_sender = 1\n}\n", "t.cf:7:2: error: vrrp `r`: `accept_any_sender` is for multicast adverts; with `unicast = 1` only the other director is heard", 1 },
	{ "drill_port = 70000\n", "t.cf:1:14: error: `drill_port`: expected a port number from 0 to 65535 or a service name such as `http`, found `70000`", 1 },
};

#undef V
#undef S
