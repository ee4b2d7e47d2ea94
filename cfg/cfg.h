/*
 * lvs.cf: the parsed configuration, one immutable generation.
 *
 * The parser fills plain data; runtime objects refer to it.  One root
 * (struct cfg) owns everything below it and is freed by cfg_free().
 *
 * Every block type has a key table (cfg/keys.c).  A key's index in
 * its table is its bit in the block's `set` mask; `locs` holds where each
 * key that is set was written, in key order (CFG_LOC()), so "was this key
 * given, and where" is uniform for the validator, the printer and the
 * comparison, and a block pays only for the keys it sets.
 *
 * Everything below the root lives in the generation's arena
 * (cfg/arena.h): nothing in it is freed or changed on its own.
 */
#ifndef LVSD_CFG_CFG_H
#define LVSD_CFG_CFG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/queue.h>

#include "lib/addr.h"

/*
 * Names of blocks (virtual, server, vrrp, failover) are at most this many
 * characters: a real server's identity "VIRTUAL/SERVER" then fits every
 * log line, label and message without truncation.
 */
#define CFG_NAME_MAX 63

/* A place in a configuration file; `file` points into cfg->files. */
struct cfg_loc {
	const char *file;
	unsigned line;
	unsigned col;
};

/*
 * Where the keys of a block were set (its `locs`), two bytes a key, in key
 * order: the key's line after the block's own line (1..255) and its
 * column (1..255), in the block's file; a pair {0, i} stands for the i-th
 * struct cfg_loc that follows the pairs (at the next multiple of 8 bytes)
 * instead: a key in another file, far below, or far to the right.  Read
 * with CFG_LOC().
 */

/* `IP [dev[:alias]]`, e.g. piranha's `address = 10.0.0.1 eth0:1`. */
struct cfg_ifaddr {
	struct lvs_addr addr;
	char label[IFNAMSIZ];	/* "eth0:1", or "" when no device given */
};

/* A list of addresses, separated by spaces in lvs.cf; owned. */
#define CFG_ADDRS_MAX 16
struct cfg_addrs {
	struct lvs_addr *v;
	size_t n;
};

/* A netmask, kept as a prefix length; `dotted` remembers the spelling. */
struct cfg_mask {
	uint8_t prefix;
	bool dotted;
};

/* `IP[:port]` (IPv6 as `[IP]:port`); port 0 = the service's port. */
struct cfg_hostport {
	struct lvs_addr addr;
	uint16_t port;
};

enum cfg_fwd { CFG_FWD_NAT, CFG_FWD_DIRECT, CFG_FWD_TUNNEL };
enum cfg_proto { CFG_PROTO_TCP, CFG_PROTO_UDP, CFG_PROTO_SCTP };
enum cfg_service_kind { CFG_SERVICE_LVS, CFG_SERVICE_FOS };
enum cfg_debug { CFG_DEBUG_NONE, CFG_DEBUG_LOW, CFG_DEBUG_MEDIUM, CFG_DEBUG_HIGH };
enum cfg_load_monitor {
	CFG_LOAD_NONE, CFG_LOAD_UPTIME, CFG_LOAD_RUPTIME, CFG_LOAD_RUP
};
enum cfg_rsh { CFG_RSH_RSH, CFG_RSH_SSH };
enum cfg_pe { CFG_PE_NONE, CFG_PE_SIP };
enum cfg_check {
	CFG_CHECK_AUTO, CFG_CHECK_TCP, CFG_CHECK_HTTP, CFG_CHECK_HTTPS,
	CFG_CHECK_SEND_EXPECT, CFG_CHECK_SEND_PROGRAM, CFG_CHECK_EXEC,
	CFG_CHECK_ICMP, CFG_CHECK_NONE
};
enum cfg_check_initial { CFG_INITIAL_DOWN, CFG_INITIAL_UP };
enum cfg_http_method { CFG_HTTP_GET, CFG_HTTP_HEAD };
enum cfg_tunnel { CFG_TUN_IPIP, CFG_TUN_GUE, CFG_TUN_GRE };
enum cfg_tunnel_csum { CFG_TUN_CSUM_NONE, CFG_TUN_CSUM, CFG_TUN_REMCSUM };

/* Global keys, in table order (cfg/keys.c). */
enum cfg_global_key {
	CFG_G_SERIAL_NO, CFG_G_PRIMARY, CFG_G_PRIMARY_PRIVATE, CFG_G_SERVICE,
	CFG_G_BACKUP_ACTIVE, CFG_G_BACKUP, CFG_G_BACKUP_PRIVATE,
	CFG_G_HEARTBEAT, CFG_G_HEARTBEAT_PORT, CFG_G_KEEPALIVE, CFG_G_DEADTIME,
	CFG_G_NETWORK, CFG_G_NAT_ROUTER, CFG_G_NAT_NMASK, CFG_G_DEBUG_LEVEL,
	CFG_G_MONITOR_LINKS, CFG_G_SYNCDAEMON, CFG_G_SYNCD_IFACE, CFG_G_SYNCD_ID,
	CFG_G_TCP_TIMEOUT, CFG_G_TCPFIN_TIMEOUT, CFG_G_UDP_TIMEOUT,
	CFG_G_ACTIVE_CMD, CFG_G_INACTIVE_CMD, CFG_G_HARD_SHUTDOWN,
	CFG_G_RSH_COMMAND,
	/* lvsd extensions */
	CFG_G_IPVS_KEEP_ON_STOP, CFG_G_IPVS_RESYNC_INTERVAL,
	CFG_G_CHECK_MAX_CHILDREN, CFG_G_NOTIFY_TIMEOUT, CFG_G_SCRIPT_USER,
	CFG_G_CONTROL_GROUP, CFG_G_DRAIN_TIME,
	CFG_G_FAILOVER_NICE, CFG_G_FAILOVER_RT_PRIORITY, CFG_G_MONITOR_GROUP,
	CFG_G_SYNCD_MAXLEN, CFG_G_SYNCD_THRESHOLD, CFG_G_SYNCD_PERIOD,
	CFG_G_DRILL_PORT,
	CFG_G_IPVS_SLOPPY_TCP, CFG_G_IPVS_SLOPPY_SCTP,
	CFG_G_IPVS_EXPIRE_NODEST_CONN, CFG_G_IPVS_CONN_REUSE_MODE,
	CFG_G_NKEYS
};

struct cfg_global {
	struct cfg_loc loc;		/* the top file, line 0 */
	uint64_t set;
	const uint8_t *locs;		/* of the keys set: CFG_LOC() */
	uint32_t serial_no;
	struct lvs_addr primary, primary_private;
	struct lvs_addr backup, backup_private;
	int service;			/* enum cfg_service_kind */
	bool backup_active;
	bool heartbeat;
	uint32_t heartbeat_port;
	uint32_t keepalive;		/* seconds */
	uint32_t deadtime;		/* seconds */
	int network;			/* enum cfg_fwd */
	struct cfg_ifaddr nat_router;
	struct cfg_mask nat_nmask;
	int debug_level;		/* enum cfg_debug */
	bool monitor_links;
	bool syncdaemon;
	char *syncd_iface;
	uint32_t syncd_id;
	uint32_t tcp_timeout, tcpfin_timeout, udp_timeout;	/* 0 = kernel's */
	char *active_cmd, *inactive_cmd;
	bool hard_shutdown;
	int rsh_command;		/* enum cfg_rsh */
	bool ipvs_keep_on_stop;		/* leave the table in the kernel at exit */
	uint32_t ipvs_resync_interval;	/* s between kernel re-dumps, 0 = never */
	uint32_t check_max_children;	/* check programs running at once */
	uint32_t notify_timeout;	/* ms before a notify command is killed */
	char *script_user;		/* commands and checks run as this user */
	char *control_group;		/* may use every lvsctl command */
	char *monitor_group;		/* may read status, show, metrics */
	uint32_t drain_time;		/* ms at weight 0 before deletion */
	uint32_t drill_port;		/* UDP: is a backup ready? 0: off */
	int32_t failover_nice;		/* of the failover process */
	uint32_t failover_rt_priority;	/* its SCHED_RR priority, 0: none */
	uint32_t syncd_maxlen;		/* master's datagrams, 0: the kernel's */
	uint32_t syncd_threshold, syncd_period;	/* sysctl sync_threshold,
					   used only when set */
	/* net.ipv4.vs.* of lvsd's network namespace, written only when set */
	bool ipvs_sloppy_tcp, ipvs_sloppy_sctp, ipvs_expire_nodest_conn;
	uint32_t ipvs_conn_reuse_mode;
};

enum cfg_server_key {
	CFG_S_ADDRESS, CFG_S_PORT, CFG_S_ACTIVE, CFG_S_WEIGHT, CFG_S_NETWORK,
	CFG_S_UTHRESHOLD, CFG_S_LTHRESHOLD, CFG_S_TUNNEL_TYPE, CFG_S_TUNNEL_PORT,
	CFG_S_TUNNEL_CSUM,
	CFG_S_NKEYS
};

struct cfg_virtual;

struct cfg_server {
	TAILQ_ENTRY(cfg_server) entry;
	struct cfg_virtual *virtual;	/* the block it belongs to */
	char *name;			/* the end of id */
	char *id;			/* "VIRTUAL/SERVER", built once: the key
					   of its health, overrides and logs */
	struct cfg_loc loc;		/* of the `server NAME {` line */
	uint64_t set;
	const uint8_t *locs;		/* of the keys set: CFG_LOC() */
	struct lvs_addr address;
	uint32_t port;			/* effective: the virtual's if unset */
	uint32_t weight;
	uint32_t uthreshold, lthreshold;	/* connection thresholds, 0 = none */
	uint32_t tunnel_port;		/* GUE destination port */
	int network;			/* enum cfg_fwd; effective: global's if unset */
	int tunnel_type;		/* enum cfg_tunnel */
	int tunnel_csum;		/* enum cfg_tunnel_csum */
	bool active;
};
TAILQ_HEAD(cfg_server_list, cfg_server);

enum cfg_virtual_key {
	CFG_V_ACTIVE, CFG_V_ADDRESS, CFG_V_VIP_NMASK, CFG_V_SORRY_SERVER,
	CFG_V_FWMARK, CFG_V_PROTOCOL, CFG_V_PORT, CFG_V_SCHEDULER,
	CFG_V_PERSISTENT, CFG_V_PMASK, CFG_V_SEND, CFG_V_SEND_PROGRAM,
	CFG_V_EXPECT, CFG_V_USE_REGEX, CFG_V_TIMEOUT, CFG_V_REENTRY,
	CFG_V_LOAD_MONITOR, CFG_V_QUIESCE_SERVER,
	/* lvsd extensions */
	CFG_V_ONE_PACKET, CFG_V_HASH_FALLBACK, CFG_V_HASH_PORT,
	CFG_V_PERSISTENCE_ENGINE,
	CFG_V_CHECK, CFG_V_CHECK_PORT, CFG_V_CHECK_INTERVAL, CFG_V_CHECK_TIMEOUT,
	CFG_V_CHECK_CONNECT_TIMEOUT, CFG_V_CHECK_RISE, CFG_V_CHECK_FALL,
	CFG_V_CHECK_INITIAL, CFG_V_CHECK_ICMP, CFG_V_CHECK_PROGRAM,
	CFG_V_CHECK_DYNAMIC_WEIGHT, CFG_V_CHECK_MAX_RESPONSE,
	CFG_V_HTTP_METHOD, CFG_V_HTTP_PATH, CFG_V_HTTP_HOST, CFG_V_HTTP_STATUS,
	CFG_V_HTTP_BODY_REGEX, CFG_V_HTTP_DIGEST,
	CFG_V_TLS_SNI, CFG_V_TLS_VERIFY, CFG_V_TLS_CA_FILE, CFG_V_TLS_CERT_FILE,
	CFG_V_TLS_KEY_FILE, CFG_V_VRRP, CFG_V_QUORUM,
	CFG_V_NKEYS
};

/*
 * The health-check keys of a virtual service that lvsd added to piranha's
 * (check_*, http_*, tls_*): services that set them alike share one copy
 * (most services of a large file), so it is never changed in place.
 */
struct cfg_vcheck {
	int check;			/* enum cfg_check */
	uint32_t check_port;		/* 0 = the real server's port */
	uint32_t check_interval;	/* ms; unset = piranha's timing */
	uint32_t check_timeout, check_connect_timeout;	/* ms */
	uint32_t check_rise, check_fall;
	int check_initial;		/* enum cfg_check_initial */
	uint32_t check_max_response;	/* bytes */
	int http_method;		/* enum cfg_http_method */
	bool check_icmp;		/* ICMP echo before the check */
	bool check_dynamic_weight;
	bool tls_verify;
	char *check_program;		/* `check = exec` command */
	char *http_path, *http_host, *http_status, *http_body_regex;
	char *http_digest;		/* "sha256:HEX" or "md5:HEX" */
	char *tls_sni;
	char *tls_ca_file, *tls_cert_file, *tls_key_file;
};

struct cfg_virtual {
	TAILQ_ENTRY(cfg_virtual) entry;
	char *name;
	struct cfg_loc loc;
	uint64_t set;
	const uint8_t *locs;		/* of the keys set: CFG_LOC() */
	bool active;
	struct cfg_ifaddr address;
	struct cfg_mask vip_nmask;
	struct cfg_hostport sorry_server;
	uint32_t fwmark;		/* 0 = address/protocol/port service */
	int protocol;			/* enum cfg_proto */
	uint32_t port;
	int scheduler;			/* index into cfg_schedulers[] */
	uint32_t persistent;		/* seconds, 0 = not persistent */
	struct cfg_mask pmask;
	char *send, *send_program, *expect;
	bool use_regex;
	uint32_t timeout, reentry;	/* seconds */
	int load_monitor;		/* enum cfg_load_monitor */
	bool quiesce_server;
	bool one_packet;		/* schedule each UDP datagram */
	bool hash_fallback, hash_port;	/* sh/mh scheduler flags */
	int persistence_engine;		/* enum cfg_pe */
	/* Health check: piranha's keys above, lvsd's in hc. */
	const struct cfg_vcheck *hc;
	char *vrrp;			/* VRRP instance holding the VIP */
	struct cfg_vrrp *vrrp_instance;	/* resolved by the validator */
	uint32_t quorum;		/* announce: fewer servers up, no route */
	struct cfg_server_list servers;
	unsigned nservers;
};
TAILQ_HEAD(cfg_virtual_list, cfg_virtual);

enum cfg_failover_key {
	CFG_F_ACTIVE, CFG_F_ADDRESS, CFG_F_VIP_NMASK, CFG_F_PORT, CFG_F_SEND,
	CFG_F_EXPECT, CFG_F_USE_REGEX, CFG_F_TIMEOUT, CFG_F_START_CMD,
	CFG_F_STOP_CMD,
	CFG_F_NKEYS
};

/* piranha's failover service (`service = fos`). */
struct cfg_failover {
	TAILQ_ENTRY(cfg_failover) entry;
	char *name;
	struct cfg_loc loc;
	uint64_t set;
	const uint8_t *locs;		/* of the keys set: CFG_LOC() */
	bool active;
	struct cfg_ifaddr address;
	struct cfg_mask vip_nmask;
	uint32_t port;
	char *send, *expect;
	bool use_regex;
	uint32_t timeout;
	char *start_cmd, *stop_cmd;
};
TAILQ_HEAD(cfg_failover_list, cfg_failover);

enum cfg_vrrp_key {
	CFG_R_VRID, CFG_R_INTERFACE, CFG_R_VERSION, CFG_R_PRIORITY_PRIMARY,
	CFG_R_PRIORITY_BACKUP, CFG_R_ADVERT_INT, CFG_R_PREEMPT,
	CFG_R_PREEMPT_DELAY, CFG_R_HANDOFF_DELAY, CFG_R_AUTH_PASS, CFG_R_UNICAST, CFG_R_GARP_REPEAT,
	CFG_R_GARP_DELAY, CFG_R_NOTIFY_MASTER, CFG_R_NOTIFY_BACKUP,
	CFG_R_NOTIFY_FAULT, CFG_R_LINK_LOCAL, CFG_R_PEERS,
	CFG_R_ACCEPT_ANY_SENDER,
	CFG_R_NKEYS
};

/* A VRRP instance (lvsd extension): which VIPs move together, and how. */
struct cfg_vrrp {
	TAILQ_ENTRY(cfg_vrrp) entry;
	char *name;
	struct cfg_loc loc;
	uint64_t set;
	const uint8_t *locs;		/* of the keys set: CFG_LOC() */
	uint32_t vrid;
	char *interface;		/* effective: the first VIP's device */
	uint32_t version;
	uint32_t priority_primary, priority_backup;
	uint32_t advert_int;		/* ms */
	bool preempt;
	uint32_t preempt_delay;		/* ms */
	uint32_t handoff_delay;	/* ms */
	char *auth_pass;
	bool unicast;			/* to the other director, not multicast */
	uint32_t garp_repeat;
	uint32_t garp_delay;		/* ms */
	char *notify_master, *notify_backup, *notify_fault;
	struct lvs_addr link_local;	/* IPv6: first address of adverts */
	/* Multicast: adverts count only from primary, backup, their private
	 * addresses and these (IPv6: the directors' link-local addresses),
	 * unless accept_any_sender. */
	struct cfg_addrs peers;
	bool accept_any_sender;
	sa_family_t af;			/* effective: family of its VIPs */
};
TAILQ_HEAD(cfg_vrrp_list, cfg_vrrp);

enum cfg_announce_key {
	CFG_A_TABLE, CFG_A_PROTOCOL, CFG_A_DEVICE, CFG_A_HOLD, CFG_A_STOP_DELAY,
	CFG_A_NKEYS
};
enum cfg_announce_hold { CFG_HOLD_ADDRESS, CFG_HOLD_ROUTE };

/*
 * `announce { }` (lvsd extension): N active directors behind ECMP.  Every
 * virtual address is held on `device`; a host route in `table`, marked
 * with route protocol `protocol`, tells the routing daemon (BIRD, FRR) to
 * announce it (vrrp/announce.h).
 */
struct cfg_announce {
	struct cfg_loc loc;		/* of the `announce {` line */
	uint64_t set;
	const uint8_t *locs;		/* of the keys set: CFG_LOC() */
	uint32_t table;			/* 1..252, 256..2^32-1 */
	uint32_t protocol;		/* 5..255 */
	char *device;			/* holds the addresses */
	int hold;			/* enum cfg_announce_hold */
	uint32_t stop_delay;		/* ms between withdrawal and release */
};

struct cfg_arena;

/* One generation of the configuration. */
struct cfg {
	struct cfg_arena *arena;	/* holds everything below */
	char *path;			/* the top-level file */
	char **files;			/* every file read, for cfg_loc.file */
	size_t nfiles;
	struct cfg_global global;
	struct cfg_virtual_list virtuals;
	unsigned nvirtuals;
	struct cfg_failover_list failovers;
	unsigned nfailovers;
	struct cfg_vrrp_list vrrps;
	unsigned nvrrps;
	struct cfg_announce *announce;	/* NULL: no `announce` block */
};

/* Kernel IPVS schedulers, in the order of enum values used by `scheduler`. */
extern const char *const cfg_schedulers[];

/* Diagnostics collected while parsing and validating; see cfg/diag.c. */
struct cfg_diags;

/*
 * Parses and validates `path`.  Returns the configuration, or NULL when the
 * file has errors; every error and warning is appended to `diags` (which
 * may be NULL to discard them).
 */
struct cfg *cfg_load(const char *path, struct cfg_diags *diags);

/*
 * What a load reads, as it reads it: each file as it is opened, its bytes
 * in the order they are parsed (an included file's come between its
 * includer's), when it is done, each `include` pattern's expansion.  The
 * daemon keeps digests of them (daemon/sources.c) to tell, at a reload,
 * that reading again would give the same configuration.
 */
struct cfg_read_watch {
	void *ctx;
	void (*file)(void *ctx, const char *path);
	void (*bytes)(void *ctx, const void *buf, size_t n);
	/* The innermost open file is done; fd is it, still open (its
	 * identity and times, for the next reload). */
	void (*done)(void *ctx, int fd);
	void (*expanded)(void *ctx, const char *pattern, char *const *paths,
	    size_t n);
};
/*
 * A regular file open for reading and its size, or -1 with why.  Anything
 * else (a FIFO, a device, a socket) is refused without reading it: a
 * reload must never wait for a writer that does not come.
 */
int cfg_open_regular(const char *path, size_t *size, char *why,
    size_t whylen);
/* cfg_load, telling watch (NULL: no one) what it reads. */
struct cfg *cfg_load_watched(const char *path, struct cfg_diags *diags,
    const struct cfg_read_watch *watch);
/* Same, for text already in memory (tests, fuzzing); `name` names it. */
struct cfg *cfg_load_buffer(const char *name, const char *text, size_t len,
    struct cfg_diags *diags);
void cfg_free(struct cfg *cfg);

/* Writes `cfg` in canonical lvs.cf form (what `lvsd -t -v` prints). */
void cfg_print(FILE *out, const struct cfg *cfg);
/* True when a and b mean the same configuration (locations ignored). */
bool cfg_equal(const struct cfg *a, const struct cfg *b);

#define CFG_ISSET(block, key) (((block)->set >> (key)) & 1)

static inline struct cfg_loc
cfg_key_loc(const struct cfg_loc *block, const uint8_t *l, uint64_t set,
    unsigned key)
{
	if (!((set >> key) & 1))
		return (struct cfg_loc){ NULL, 0, 0 };
	const uint8_t *p = &l[2 * __builtin_popcountll(set &
	    ((UINT64_C(1) << key) - 1))];
	if (p[0] != 0)
		return (struct cfg_loc){ block->file, block->line + p[0], p[1] };
	size_t off = (2 * (size_t)__builtin_popcountll(set) + 7) & ~(size_t)7;
	const struct cfg_loc *full = (const struct cfg_loc *)(const void *)(l + off);
	return full[p[1]];
}

/*
 * Where key was set in block (file NULL, line 0 when it was not): a
 * pointer to a copy that lives until the end of the enclosing block of
 * code; a function returns the place itself, not this pointer.
 */
#define CFG_LOC(block, key) (&(const struct cfg_loc[1]){ cfg_key_loc( \
	&(block)->loc, (block)->locs, (block)->set, (unsigned)(key)) }[0])

#endif
