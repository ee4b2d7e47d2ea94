#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "daemon/cfg_keys.h"
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
static const char *const tunnel_names[] = { "ipip", "gue", "gre", NULL };
static const char *const csum_names[] = { "none", "csum", "remcsum", NULL };

#define UINT(n, s, f, d, lo, hi) { n, &cfg_type_uint, offsetof(s, f), d, lo, hi, NULL }
#define BOOL(n, s, f, d) { n, &cfg_type_bool, offsetof(s, f), d, 0, 0, NULL }
#define ADDR(n, s, f) { n, &cfg_type_addr, offsetof(s, f), NULL, 0, 0, NULL }
#define IFADDR(n, s, f) { n, &cfg_type_ifaddr, offsetof(s, f), NULL, 0, 0, NULL }
#define MASK(n, s, f, d) { n, &cfg_type_mask, offsetof(s, f), d, 0, 0, NULL }
#define PORT(n, s, f, lo) { n, &cfg_type_port, offsetof(s, f), NULL, lo, 65535, NULL }
#define ENUM(n, s, f, d, names) { n, &cfg_type_enum, offsetof(s, f), d, 0, 0, names }
#define STR(n, s, f) { n, &cfg_type_string, offsetof(s, f), NULL, 0, 0, NULL }

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
	[CFG_V_SEND] = STR("send", struct cfg_virtual, send),
	[CFG_V_SEND_PROGRAM] = STR("send_program", struct cfg_virtual, send_program),
	[CFG_V_EXPECT] = STR("expect", struct cfg_virtual, expect),
	[CFG_V_USE_REGEX] = BOOL("use_regex", struct cfg_virtual, use_regex, "0"),
	[CFG_V_TIMEOUT] = UINT("timeout", struct cfg_virtual, timeout, "6", 1, 3600),
	[CFG_V_REENTRY] = UINT("reentry", struct cfg_virtual, reentry, "15", 0, 3600),
	[CFG_V_LOAD_MONITOR] = ENUM("load_monitor", struct cfg_virtual, load_monitor, "none", load_names),
	[CFG_V_QUIESCE_SERVER] = BOOL("quiesce_server", struct cfg_virtual, quiesce_server, "0"),
	[CFG_V_ONE_PACKET] = BOOL("one_packet", struct cfg_virtual, one_packet, "0"),
	[CFG_V_HASH_FALLBACK] = BOOL("hash_fallback", struct cfg_virtual, hash_fallback, "0"),
	[CFG_V_HASH_PORT] = BOOL("hash_port", struct cfg_virtual, hash_port, "0"),
	[CFG_V_PERSISTENCE_ENGINE] = ENUM("persistence_engine", struct cfg_virtual, persistence_engine, "none", pe_names),
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
	[CFG_F_SEND] = STR("send", struct cfg_failover, send),
	[CFG_F_EXPECT] = STR("expect", struct cfg_failover, expect),
	[CFG_F_USE_REGEX] = BOOL("use_regex", struct cfg_failover, use_regex, "0"),
	[CFG_F_TIMEOUT] = UINT("timeout", struct cfg_failover, timeout, "6", 1, 3600),
	[CFG_F_START_CMD] = STR("start_cmd", struct cfg_failover, start_cmd),
	[CFG_F_STOP_CMD] = STR("stop_cmd", struct cfg_failover, stop_cmd),
};

#define DESC(kw, keys, type) { kw, keys, sizeof(keys) / sizeof(keys[0]), \
	offsetof(type, set), offsetof(type, locs) }

const struct cfg_block_desc cfg_global_desc = DESC("global", global_keys, struct cfg_global);
const struct cfg_block_desc cfg_virtual_desc = DESC("virtual", virtual_keys, struct cfg_virtual);
const struct cfg_block_desc cfg_server_desc = DESC("server", server_keys, struct cfg_server);
const struct cfg_block_desc cfg_failover_desc = DESC("failover", failover_keys, struct cfg_failover);

int
cfg_key_find(const struct cfg_block_desc *desc, const char *name)
{
	for (unsigned i = 0; i < desc->nkeys; i++)
		if (strcmp(desc->keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

void
cfg_block_defaults(const struct cfg_block_desc *desc, void *block)
{
	for (unsigned i = 0; i < desc->nkeys; i++) {
		const struct cfg_key *k = &desc->keys[i];
		if (k->def == NULL)
			continue;
		struct cfg_value v = { .text = k->def };
		/*
		 * Defaults are parsed by the key's own type so the table is
		 * the one place they are written; the fwmark default "0" is
		 * below its range on purpose (0 = no fwmark): store it raw.
		 */
		if (k->type == &cfg_type_uint && strcmp(k->def, "0") == 0) {
			*(uint32_t *)(void *)((char *)block + k->off) = 0;
			continue;
		}
		if (k->type->parse(k, &v, (char *)block + k->off) < 0)
			fatalx("lvs.cf key table: bad default `%s` for `%s`",
			    k->def, k->name);
	}
}

void
cfg_block_free_fields(const struct cfg_block_desc *desc, void *block)
{
	for (unsigned i = 0; i < desc->nkeys; i++)
		if (desc->keys[i].type->free != NULL)
			desc->keys[i].type->free((char *)block + desc->keys[i].off);
}
