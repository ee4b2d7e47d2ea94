#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cfg/keys.h"
#include "lib/log.h"

const char *const cfg_schedulers[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq",
	"fo", "ovf", "mh", "twos", NULL
};
static const char *const fwd_names[] = { "nat", "direct", "tunnel", NULL };
static const char *const proto_names[] = { "tcp", "udp", "sctp", NULL };
static const char *const service_names[] = { "lvs", "fos", NULL };
static const char *const debug_names[] = {
	"NONE", "LOW", "MEDIUM", "HIGH", NULL
};
static const char *const load_names[] = {
	"none", "uptime", "ruptime", "rup", NULL
};
static const char *const rsh_names[] = { "rsh", "ssh", NULL };
static const char *const pe_names[] = { "none", "sip", NULL };
static const char *const check_names[] = {
	"auto", "tcp", "http", "https", "send_expect", "send_program", "exec",
	"icmp", "none", NULL
};
static const char *const initial_names[] = { "down", "up", NULL };
static const char *const method_names[] = { "GET", "HEAD", NULL };
static const char *const tunnel_names[] = { "ipip", "gue", "gre", NULL };
static const char *const csum_names[] = { "none", "csum", "remcsum", NULL };
static const char *const hold_names[] = { "address", "route", NULL };

#define UINT(n, s, f, d, lo, hi) { n, &cfg_type_uint, offsetof(s, f), d, lo, hi, NULL }
#define BOOL(n, s, f, d) { n, &cfg_type_bool, offsetof(s, f), d, 0, 0, NULL }
#define ADDR(n, s, f) { n, &cfg_type_addr, offsetof(s, f), NULL, 0, 0, NULL }
#define IFADDR(n, s, f) { n, &cfg_type_ifaddr, offsetof(s, f), NULL, 0, 0, NULL }
#define MASK(n, s, f, d) { n, &cfg_type_mask, offsetof(s, f), d, 0, 0, NULL }
#define PORT(n, s, f, lo) { n, &cfg_type_port, offsetof(s, f), NULL, lo, 65535, NULL }
#define ENUM(n, s, f, d, names) { n, &cfg_type_enum, offsetof(s, f), d, 0, 0, names }
#define STR(n, s, f) { n, &cfg_type_string, offsetof(s, f), NULL, 0, 0, NULL }
#define NSTR(n, s, f) { n, &cfg_type_nanny_string, offsetof(s, f), NULL, 0, 0, NULL }
#define DUR(n, s, f, d, lo, hi) { n, &cfg_type_duration, offsetof(s, f), d, lo, hi, NULL }
#define IFNAME(n, s, f) { n, &cfg_type_ifname, offsetof(s, f), NULL, 0, 0, NULL }

/* Keys of a virtual service's shared part, struct cfg_vcheck. */
#define VC(n, t, f, d, lo, hi, names) { n, &t, offsetof(struct cfg_vcheck, f), d, lo, hi, names, true }

static const struct cfg_key global_keys[CFG_G_NKEYS] = {
	[CFG_G_SERIAL_NO] = UINT("serial_no", struct cfg_global, serial_no, NULL, 0, UINT32_MAX),
	[CFG_G_PRIMARY] = ADDR("primary", struct cfg_global, primary),
	[CFG_G_PRIMARY_PRIVATE] = ADDR("primary_private", struct cfg_global, primary_private),
	[CFG_G_SERVICE] = ENUM("service", struct cfg_global, service, "lvs", service_names),
	[CFG_G_BACKUP_ACTIVE] = BOOL("backup_active", struct cfg_global, backup_active, "0"),
	[CFG_G_BACKUP] = ADDR("backup", struct cfg_global, backup),
	[CFG_G_BACKUP_PRIVATE] = ADDR("backup_private", struct cfg_global, backup_private),
	[CFG_G_HEARTBEAT] = BOOL("heartbeat", struct cfg_global, heartbeat, "1"),
	[CFG_G_HEARTBEAT_PORT] = { "heartbeat_port", &cfg_type_port,
	    offsetof(struct cfg_global, heartbeat_port), "539", 1, 65535, NULL },
	[CFG_G_KEEPALIVE] = UINT("keepalive", struct cfg_global, keepalive, "6", 1, 3600),
	[CFG_G_DEADTIME] = UINT("deadtime", struct cfg_global, deadtime, "18", 1, 86400),
	[CFG_G_NETWORK] = ENUM("network", struct cfg_global, network, "nat", fwd_names),
	[CFG_G_NAT_ROUTER] = IFADDR("nat_router", struct cfg_global, nat_router),
	[CFG_G_NAT_NMASK] = MASK("nat_nmask", struct cfg_global, nat_nmask, "255.255.255.255"),
	[CFG_G_DEBUG_LEVEL] = ENUM("debug_level", struct cfg_global, debug_level, "NONE", debug_names),
	[CFG_G_MONITOR_LINKS] = BOOL("monitor_links", struct cfg_global, monitor_links, "0"),
	[CFG_G_SYNCDAEMON] = BOOL("syncdaemon", struct cfg_global, syncdaemon, "0"),
	[CFG_G_SYNCD_IFACE] = { "syncd_iface", &cfg_type_ifname,
	    offsetof(struct cfg_global, syncd_iface), "eth0", 0, 0, NULL },
	[CFG_G_SYNCD_ID] = UINT("syncd_id", struct cfg_global, syncd_id, "0", 0, 255),
	[CFG_G_TCP_TIMEOUT] = UINT("tcp_timeout", struct cfg_global, tcp_timeout, "0", 0, 86400 * 365),
	[CFG_G_TCPFIN_TIMEOUT] = UINT("tcpfin_timeout", struct cfg_global, tcpfin_timeout, "0", 0, 86400 * 365),
	[CFG_G_UDP_TIMEOUT] = UINT("udp_timeout", struct cfg_global, udp_timeout, "0", 0, 86400 * 365),
	[CFG_G_ACTIVE_CMD] = STR("active_cmd", struct cfg_global, active_cmd),
	[CFG_G_INACTIVE_CMD] = STR("inactive_cmd", struct cfg_global, inactive_cmd),
	[CFG_G_HARD_SHUTDOWN] = BOOL("hard_shutdown", struct cfg_global, hard_shutdown, "0"),
	[CFG_G_RSH_COMMAND] = ENUM("rsh_command", struct cfg_global, rsh_command, "rsh", rsh_names),
	[CFG_G_IPVS_KEEP_ON_STOP] = BOOL("ipvs_keep_on_stop", struct cfg_global, ipvs_keep_on_stop, "0"),
	[CFG_G_IPVS_RESYNC_INTERVAL] = UINT("ipvs_resync_interval", struct cfg_global, ipvs_resync_interval, "60", 0, 86400),
	[CFG_G_CHECK_MAX_CHILDREN] = UINT("check_max_children", struct cfg_global, check_max_children, "16", 1, 4096),
	[CFG_G_NOTIFY_TIMEOUT] = DUR("notify_timeout", struct cfg_global, notify_timeout, "30s", 100, 3600000),
	/* The package's unprivileged user (etc/sysusers.d/lvsd.conf). */
	[CFG_G_SCRIPT_USER] = { "script_user", &cfg_type_string,
	    offsetof(struct cfg_global, script_user), "lvsd", 0, 0, NULL },
	[CFG_G_CONTROL_GROUP] = { "control_group", &cfg_type_string,
	    offsetof(struct cfg_global, control_group), "lvsd-admin", 0, 0, NULL },
	[CFG_G_DRAIN_TIME] = DUR("drain_time", struct cfg_global, drain_time, "0", 0, 86400000),
	[CFG_G_DRILL_PORT] = { "drill_port", &cfg_type_port,
	    offsetof(struct cfg_global, drill_port), "5399", 0, 65535, NULL },
	[CFG_G_FAILOVER_NICE] = { "failover_nice", &cfg_type_int,
	    offsetof(struct cfg_global, failover_nice), "-10", (uint32_t)-20, 19, NULL },
	[CFG_G_MONITOR_GROUP] = { "monitor_group", &cfg_type_string,
	    offsetof(struct cfg_global, monitor_group), "lvsd", 0, 0, NULL },
	[CFG_G_FAILOVER_RT_PRIORITY] = UINT("failover_rt_priority", struct cfg_global, failover_rt_priority, "1", 0, 99),
	[CFG_G_SYNCD_MAXLEN] = UINT("syncd_maxlen", struct cfg_global, syncd_maxlen, "0", 0, 65507),
	[CFG_G_SYNCD_THRESHOLD] = UINT("syncd_threshold", struct cfg_global, syncd_threshold, "3", 0, 65535),
	[CFG_G_SYNCD_PERIOD] = UINT("syncd_period", struct cfg_global, syncd_period, "50", 0, 65535),
	[CFG_G_IPVS_SLOPPY_TCP] = BOOL("ipvs_sloppy_tcp", struct cfg_global, ipvs_sloppy_tcp, "0"),
	[CFG_G_IPVS_SLOPPY_SCTP] = BOOL("ipvs_sloppy_sctp", struct cfg_global, ipvs_sloppy_sctp, "0"),
	[CFG_G_IPVS_EXPIRE_NODEST_CONN] = BOOL("ipvs_expire_nodest_conn", struct cfg_global, ipvs_expire_nodest_conn, "0"),
	[CFG_G_IPVS_CONN_REUSE_MODE] = UINT("ipvs_conn_reuse_mode", struct cfg_global, ipvs_conn_reuse_mode, "1", 0, 2),
};

static const struct cfg_key virtual_keys[CFG_V_NKEYS] = {
	[CFG_V_ACTIVE] = BOOL("active", struct cfg_virtual, active, "1"),
	[CFG_V_ADDRESS] = IFADDR("address", struct cfg_virtual, address),
	[CFG_V_VIP_NMASK] = MASK("vip_nmask", struct cfg_virtual, vip_nmask, NULL),
	[CFG_V_SORRY_SERVER] = { "sorry_server", &cfg_type_hostport,
	    offsetof(struct cfg_virtual, sorry_server), NULL, 0, 0, NULL },
	[CFG_V_FWMARK] = UINT("fwmark", struct cfg_virtual, fwmark, "0", 1, UINT32_MAX),
	[CFG_V_PROTOCOL] = ENUM("protocol", struct cfg_virtual, protocol, "tcp", proto_names),
	[CFG_V_PORT] = PORT("port", struct cfg_virtual, port, 0),
	[CFG_V_SCHEDULER] = ENUM("scheduler", struct cfg_virtual, scheduler, "wlc", cfg_schedulers),
	[CFG_V_PERSISTENT] = UINT("persistent", struct cfg_virtual, persistent, "0", 0, 86400 * 31),
	[CFG_V_PMASK] = MASK("pmask", struct cfg_virtual, pmask, NULL),
	[CFG_V_SEND] = NSTR("send", struct cfg_virtual, send),
	[CFG_V_SEND_PROGRAM] = STR("send_program", struct cfg_virtual, send_program),
	[CFG_V_EXPECT] = NSTR("expect", struct cfg_virtual, expect),
	[CFG_V_USE_REGEX] = BOOL("use_regex", struct cfg_virtual, use_regex, "0"),
	[CFG_V_TIMEOUT] = UINT("timeout", struct cfg_virtual, timeout, "6", 1, 3600),
	[CFG_V_REENTRY] = UINT("reentry", struct cfg_virtual, reentry, "15", 0, 3600),
	[CFG_V_LOAD_MONITOR] = ENUM("load_monitor", struct cfg_virtual, load_monitor, "none", load_names),
	[CFG_V_QUIESCE_SERVER] = BOOL("quiesce_server", struct cfg_virtual, quiesce_server, "0"),
	[CFG_V_ONE_PACKET] = BOOL("one_packet", struct cfg_virtual, one_packet, "0"),
	[CFG_V_HASH_FALLBACK] = BOOL("hash_fallback", struct cfg_virtual, hash_fallback, "0"),
	[CFG_V_HASH_PORT] = BOOL("hash_port", struct cfg_virtual, hash_port, "0"),
	[CFG_V_PERSISTENCE_ENGINE] = ENUM("persistence_engine", struct cfg_virtual, persistence_engine, "none", pe_names),
	[CFG_V_CHECK] = VC("check", cfg_type_enum, check, "auto", 0, 0, check_names),
	[CFG_V_CHECK_PORT] = VC("check_port", cfg_type_port, check_port, NULL, 1, 65535, NULL),
	[CFG_V_CHECK_INTERVAL] = VC("check_interval", cfg_type_duration, check_interval, NULL, 10, 3600000, NULL),
	[CFG_V_CHECK_TIMEOUT] = VC("check_timeout", cfg_type_duration, check_timeout, NULL, 10, 3600000, NULL),
	[CFG_V_CHECK_CONNECT_TIMEOUT] = VC("check_connect_timeout", cfg_type_duration, check_connect_timeout, NULL, 10, 3600000, NULL),
	[CFG_V_CHECK_RISE] = VC("check_rise", cfg_type_uint, check_rise, NULL, 1, 1000, NULL),
	[CFG_V_CHECK_FALL] = VC("check_fall", cfg_type_uint, check_fall, NULL, 1, 1000, NULL),
	[CFG_V_CHECK_INITIAL] = VC("check_initial", cfg_type_enum, check_initial, "down", 0, 0, initial_names),
	[CFG_V_CHECK_ICMP] = VC("check_icmp", cfg_type_bool, check_icmp, "0", 0, 0, NULL),
	[CFG_V_CHECK_PROGRAM] = VC("check_program", cfg_type_string, check_program, NULL, 0, 0, NULL),
	[CFG_V_CHECK_DYNAMIC_WEIGHT] = VC("check_dynamic_weight", cfg_type_bool, check_dynamic_weight, "0", 0, 0, NULL),
	[CFG_V_CHECK_MAX_RESPONSE] = VC("check_max_response", cfg_type_uint, check_max_response, "1048576", 1, 64u << 20, NULL),
	[CFG_V_HTTP_METHOD] = VC("http_method", cfg_type_enum, http_method, "GET", 0, 0, method_names),
	[CFG_V_HTTP_PATH] = VC("http_path", cfg_type_string, http_path, NULL, 0, 0, NULL),
	[CFG_V_HTTP_HOST] = VC("http_host", cfg_type_string, http_host, NULL, 0, 0, NULL),
	[CFG_V_HTTP_STATUS] = VC("http_status", cfg_type_string, http_status, NULL, 0, 0, NULL),
	[CFG_V_HTTP_BODY_REGEX] = VC("http_body_regex", cfg_type_string, http_body_regex, NULL, 0, 0, NULL),
	[CFG_V_HTTP_DIGEST] = VC("http_digest", cfg_type_string, http_digest, NULL, 0, 0, NULL),
	[CFG_V_TLS_SNI] = VC("tls_sni", cfg_type_string, tls_sni, NULL, 0, 0, NULL),
	[CFG_V_TLS_VERIFY] = VC("tls_verify", cfg_type_bool, tls_verify, "0", 0, 0, NULL),
	[CFG_V_TLS_CA_FILE] = VC("tls_ca_file", cfg_type_string, tls_ca_file, NULL, 0, 0, NULL),
	[CFG_V_TLS_CERT_FILE] = VC("tls_cert_file", cfg_type_string, tls_cert_file, NULL, 0, 0, NULL),
	[CFG_V_TLS_KEY_FILE] = VC("tls_key_file", cfg_type_string, tls_key_file, NULL, 0, 0, NULL),
	[CFG_V_VRRP] = STR("vrrp", struct cfg_virtual, vrrp),
	[CFG_V_QUORUM] = UINT("quorum", struct cfg_virtual, quorum, "1", 1, 65535),
};

static const struct cfg_key server_keys[CFG_S_NKEYS] = {
	[CFG_S_ADDRESS] = ADDR("address", struct cfg_server, address),
	[CFG_S_PORT] = PORT("port", struct cfg_server, port, 1),
	[CFG_S_ACTIVE] = BOOL("active", struct cfg_server, active, "1"),
	[CFG_S_WEIGHT] = UINT("weight", struct cfg_server, weight, "1", 0, 65535),
	[CFG_S_NETWORK] = ENUM("network", struct cfg_server, network, NULL, fwd_names),
	[CFG_S_UTHRESHOLD] = UINT("uthreshold", struct cfg_server, uthreshold, "0", 0, INT32_MAX),
	[CFG_S_LTHRESHOLD] = UINT("lthreshold", struct cfg_server, lthreshold, "0", 0, INT32_MAX),
	[CFG_S_TUNNEL_TYPE] = ENUM("tunnel_type", struct cfg_server, tunnel_type, "ipip", tunnel_names),
	[CFG_S_TUNNEL_PORT] = PORT("tunnel_port", struct cfg_server, tunnel_port, 1),
	[CFG_S_TUNNEL_CSUM] = ENUM("tunnel_csum", struct cfg_server, tunnel_csum, "none", csum_names),
};

static const struct cfg_key failover_keys[CFG_F_NKEYS] = {
	[CFG_F_ACTIVE] = BOOL("active", struct cfg_failover, active, "1"),
	[CFG_F_ADDRESS] = IFADDR("address", struct cfg_failover, address),
	[CFG_F_VIP_NMASK] = MASK("vip_nmask", struct cfg_failover, vip_nmask, NULL),
	[CFG_F_PORT] = PORT("port", struct cfg_failover, port, 1),
	[CFG_F_SEND] = NSTR("send", struct cfg_failover, send),
	[CFG_F_EXPECT] = NSTR("expect", struct cfg_failover, expect),
	[CFG_F_USE_REGEX] = BOOL("use_regex", struct cfg_failover, use_regex, "0"),
	[CFG_F_TIMEOUT] = UINT("timeout", struct cfg_failover, timeout, "6", 1, 3600),
	[CFG_F_START_CMD] = STR("start_cmd", struct cfg_failover, start_cmd),
	[CFG_F_STOP_CMD] = STR("stop_cmd", struct cfg_failover, stop_cmd),
};

static const struct cfg_key vrrp_keys[CFG_R_NKEYS] = {
	[CFG_R_VRID] = UINT("vrid", struct cfg_vrrp, vrid, NULL, 1, 255),
	[CFG_R_INTERFACE] = IFNAME("interface", struct cfg_vrrp, interface),
	[CFG_R_VERSION] = UINT("version", struct cfg_vrrp, version, "3", 2, 3),
	[CFG_R_PRIORITY_PRIMARY] = UINT("priority_primary", struct cfg_vrrp, priority_primary, "150", 1, 255),
	[CFG_R_PRIORITY_BACKUP] = UINT("priority_backup", struct cfg_vrrp, priority_backup, "100", 1, 254),
	[CFG_R_ADVERT_INT] = DUR("advert_int", struct cfg_vrrp, advert_int, "1s", 10, 40950),
	[CFG_R_PREEMPT] = BOOL("preempt", struct cfg_vrrp, preempt, "1"),
	[CFG_R_PREEMPT_DELAY] = DUR("preempt_delay", struct cfg_vrrp, preempt_delay, NULL, 0, 3600000),
	[CFG_R_HANDOFF_DELAY] = DUR("handoff_delay", struct cfg_vrrp, handoff_delay, NULL, 0, 10000),
	[CFG_R_AUTH_PASS] = STR("auth_pass", struct cfg_vrrp, auth_pass),
	[CFG_R_UNICAST] = BOOL("unicast", struct cfg_vrrp, unicast, "0"),
	[CFG_R_GARP_REPEAT] = UINT("garp_repeat", struct cfg_vrrp, garp_repeat, "5", 1, 100),
	[CFG_R_GARP_DELAY] = DUR("garp_delay", struct cfg_vrrp, garp_delay, "200ms", 0, 60000),
	[CFG_R_NOTIFY_MASTER] = STR("notify_master", struct cfg_vrrp, notify_master),
	[CFG_R_NOTIFY_BACKUP] = STR("notify_backup", struct cfg_vrrp, notify_backup),
	[CFG_R_NOTIFY_FAULT] = STR("notify_fault", struct cfg_vrrp, notify_fault),
	[CFG_R_LINK_LOCAL] = ADDR("link_local", struct cfg_vrrp, link_local),
	[CFG_R_PEERS] = { "peers", &cfg_type_addrs,
	    offsetof(struct cfg_vrrp, peers), NULL, 0, 0, NULL },
	[CFG_R_ACCEPT_ANY_SENDER] = BOOL("accept_any_sender", struct cfg_vrrp, accept_any_sender, "0"),
};

static const struct cfg_key announce_keys[CFG_A_NKEYS] = {
	[CFG_A_TABLE] = UINT("table", struct cfg_announce, table, "200", 1, UINT32_MAX),
	[CFG_A_PROTOCOL] = UINT("protocol", struct cfg_announce, protocol, "200", 5, 255),
	[CFG_A_DEVICE] = { "device", &cfg_type_ifname,
	    offsetof(struct cfg_announce, device), "lo", 0, 0, NULL },
	[CFG_A_HOLD] = ENUM("hold", struct cfg_announce, hold, "address", hold_names),
	[CFG_A_STOP_DELAY] = DUR("stop_delay", struct cfg_announce, stop_delay, "2s", 0, 600000),
};

#define DESC(kw, keys, type, index) { kw, keys, sizeof(keys) / sizeof(keys[0]), \
	offsetof(type, set), offsetof(type, locs), &index, 0, 0 }

static struct cfg_key_index global_index, virtual_index, server_index,
    failover_index, vrrp_index, announce_index;

const struct cfg_block_desc cfg_global_desc = DESC("global", global_keys, struct cfg_global, global_index);
const struct cfg_block_desc cfg_virtual_desc = {
	"virtual", virtual_keys, CFG_V_NKEYS, offsetof(struct cfg_virtual, set),
	offsetof(struct cfg_virtual, locs), &virtual_index,
	offsetof(struct cfg_virtual, hc), sizeof(struct cfg_vcheck)
};
const struct cfg_block_desc cfg_server_desc = DESC("server", server_keys, struct cfg_server, server_index);
const struct cfg_block_desc cfg_failover_desc = DESC("failover", failover_keys, struct cfg_failover, failover_index);
const struct cfg_block_desc cfg_vrrp_desc = DESC("vrrp", vrrp_keys, struct cfg_vrrp, vrrp_index);
const struct cfg_block_desc cfg_announce_desc = DESC("announce", announce_keys, struct cfg_announce, announce_index);

static void
index_build(const struct cfg_block_desc *desc)
{
	struct cfg_key_index *x = desc->index;
	for (unsigned i = 0; i < desc->nkeys; i++) {
		const char *name = desc->keys[i].name;
		size_t j = cfg_hash_bytes(name, strlen(name), CFG_HASH_SEED) &
		    (CFG_KEY_SLOTS - 1);
		while (x->slot[j] != 0)
			j = (j + 1) & (CFG_KEY_SLOTS - 1);
		x->slot[j] = (uint8_t)(i + 1);
		x->len[j] = (uint8_t)strlen(name);
	}
	x->built = true;
}

int
cfg_key_lookup_hash(const struct cfg_block_desc *desc, const char *name,
    size_t len, uint32_t hash)
{
	const struct cfg_key_index *x = desc->index;
	if (!x->built)
		index_build(desc);
	size_t j = hash & (CFG_KEY_SLOTS - 1);
	for (; x->slot[j] != 0; j = (j + 1) & (CFG_KEY_SLOTS - 1))
		if (x->len[j] == len &&
		    memcmp(desc->keys[x->slot[j] - 1].name, name, len) == 0)
			return x->slot[j] - 1;
	return -1;
}

int
cfg_key_lookup(const struct cfg_block_desc *desc, const char *name, size_t len)
{
	return cfg_key_lookup_hash(desc, name, len,
	    cfg_hash_bytes(name, len, CFG_HASH_SEED));
}

int
cfg_key_find(const struct cfg_block_desc *desc, const char *name)
{
	return cfg_key_lookup(desc, name, strlen(name));
}

void
cfg_block_defaults(const struct cfg_block_desc *desc, void *block,
    struct cfg_arena *arena)
{
	for (unsigned i = 0; i < desc->nkeys; i++) {
		const struct cfg_key *k = &desc->keys[i];
		if (k->def == NULL)
			continue;
		struct cfg_value v = { .text = k->def, .len = strlen(k->def),
		    .arena = arena };
		/*
		 * Defaults are parsed by the key's own type so the table is
		 * the one place they are written; the fwmark default "0" is
		 * below its range on purpose (0 = no fwmark): store it raw.
		 */
		if (k->type == &cfg_type_uint && strcmp(k->def, "0") == 0) {
			*(uint32_t *)cfg_key_field(desc, block, k) = 0;
			continue;
		}
		if (k->type->parse(k, &v, cfg_key_field(desc, block, k)) < 0)
			fatalx("lvs.cf key table: bad default `%s` for `%s`",
			    k->def, k->name);
	}
}

bool
cfg_block_equal(const struct cfg_block_desc *desc, const void *a, const void *b)
{
	const char *x = a, *y = b;
	uint64_t sx = *(const uint64_t *)(const void *)(x + desc->set_off);
	uint64_t sy = *(const uint64_t *)(const void *)(y + desc->set_off);
	if (sx != sy)
		return false;
	for (unsigned i = 0; i < desc->nkeys; i++) {
		const struct cfg_key *k = &desc->keys[i];
		if (((sx >> i) & 1) && !k->type->equal(k, cfg_key_field(desc, x, k),
		    cfg_key_field(desc, y, k)))
			return false;
	}
	return true;
}

bool
cfg_keys_equal(const struct cfg_block_desc *desc, const void *a, const void *b,
    const int *keys, size_t n)
{
	const char *x = a, *y = b;
	for (size_t i = 0; i < n; i++) {
		const struct cfg_key *k = &desc->keys[keys[i]];
		if (!k->type->equal(k, cfg_key_field(desc, x, k),
		    cfg_key_field(desc, y, k)))
			return false;
	}
	return true;
}
