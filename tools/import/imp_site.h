/*
 * One director's keepalived.conf, mapped: what its VRRP instances, sync
 * groups and virtual servers become in lvs.cf terms, before the two
 * directors' files are combined into one lvs.cf (imp_combine.c).
 * Every mapping function reports what lvs.cf cannot express through
 * ctx->d, at the keepalived statement concerned.
 */
#ifndef LVSD_IMPORT_IMP_SITE_H
#define LVSD_IMPORT_IMP_SITE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "tools/import/imp_diag.h"
#include "tools/import/imp_out.h"
#include "tools/import/kc_tree.h"

enum { IMP_NOTIFY_MASTER, IMP_NOTIFY_BACKUP, IMP_NOTIFY_FAULT, IMP_NOTIFY_N };
extern const char *const imp_notify_keys[IMP_NOTIFY_N];

/* A keepalived script: the lvs.cf command (NULL: none) and where it was. */
struct imp_script {
	char *cmd;
	struct kc_loc loc;
};

struct imp_vip {
	struct lvs_addr addr;
	int plen;		/* -1: none given (a host address) */
	char dev[IFNAMSIZ];	/* "" : the instance's interface */
	char label[IFNAMSIZ];	/* "" : none */
	struct kc_loc loc;
	bool used;		/* held for a virtual service or nat_router */
};

struct imp_inst {
	char *name;
	struct kc_loc loc;
	char *group;			/* its vrrp_sync_group, or NULL */
	uint32_t vrid;
	char *iface;
	uint32_t version;		/* 2 or 3 */
	uint32_t prio;
	bool state_backup;		/* `state BACKUP` was written */
	uint32_t advert_ms;
	bool nopreempt;
	uint32_t preempt_delay_ms;	/* 0: none */
	char *auth_pass;
	bool unicast;
	struct lvs_addr src, peer;	/* unicast_src_ip, its one peer */
	struct kc_loc src_loc, peer_loc;
	uint32_t garp_repeat, garp_delay_ms;	/* 0: lvsd's defaults */
	bool track_primary;		/* keepalived's default: its link */
	bool sync_daemon;		/* lvs_sync_daemon_interface */
	struct imp_script notify[IMP_NOTIFY_N];
	struct imp_vip *vips;
	size_t nvips;
};

struct imp_group {
	char *name;
	struct kc_loc loc;
	struct kc_word *members;	/* text and place of each name */
	size_t nmembers;
	struct imp_script notify[IMP_NOTIFY_N];
};

struct imp_virtual {
	struct out_block blk;		/* every key but address/vip_nmask/vrrp */
	struct lvs_addr addr;		/* unset for fwmark services */
	sa_family_t af;
	uint32_t fwmark;		/* 0: none */
	char *network;			/* its real servers' lvs.cf `network` */
};

/* keepalived's defaults that global_defs may change. */
struct imp_defaults {
	uint32_t vrrp_version;		/* 2 */
	uint32_t garp_repeat, garp_delay_ms;	/* 0: unset */
	char *default_interface;	/* NULL: eth0 */
	char *script_user;
	struct kc_loc script_user_loc;
};

struct imp_site {
	const char *path;		/* the file named on the command line */
	struct out_block global;	/* lvs.cf global keys */
	struct imp_defaults def;
	struct imp_inst *insts;
	size_t ninsts;
	struct imp_group *groups;
	size_t ngroups;
	struct imp_virtual *virts;
	size_t nvirts;
};

struct imp_ctx {
	struct imp_diags *d;
	struct imp_site *site;
	const struct kc_doc *doc;
};

/* Sentences several blocks report (`%s`: the keyword). */
#define IMP_WHY_MAIL "`%s`: lvsd sends no e-mail"
#define IMP_WHY_SNMP "`%s`: lvsd has no SNMP agent"
#define IMP_WHY_TRACK "lvsd moves an instance on its directors' failures " \
	"and its devices' links (monitor_links) only: `%s` cannot be expressed"
#define IMP_WHY_NOTIFY "lvsd passes the instance and state in the " \
	"environment (LVSD_INSTANCE, LVSD_STATE), not as arguments: `%s` " \
	"cannot be expressed"
#define IMP_WHY_RS_NOTIFY "lvs.cf runs no command when a real server " \
	"comes up or goes down (lvsd logs each transition): `%s` cannot be " \
	"expressed"

/* A keyword a block accepts: mapped by fn, or only reported. */
struct imp_kw {
	const char *name;
	void (*fn)(struct imp_ctx *c, const struct kc_node *n, void *obj);
	enum imp_sev sev;	/* without fn: IMP_NOTE or IMP_LOSS */
	const char *why;	/* without fn: the sentence reported */
};

/*
 * Runs each statement of block through table (n entries); an unknown
 * keyword is reported as lvs.cf cannot express it, with the nearest
 * known keyword; what = "in a vrrp_instance" etc.
 */
void imp_dispatch(struct imp_ctx *c, const struct kc_node *block,
    const struct imp_kw *table, size_t n, void *obj, const char *what);

/* Maps a whole file into site (which the caller zeroes and names). */
void imp_map_doc(struct imp_ctx *c);
void imp_map_global_defs(struct imp_ctx *c, const struct kc_node *n);
void imp_map_vrrp_instance(struct imp_ctx *c, const struct kc_node *n);
void imp_map_sync_group(struct imp_ctx *c, const struct kc_node *n);
void imp_map_virtual_server(struct imp_ctx *c, const struct kc_node *n);
/* A script statement (`notify_master "/bin/x a b" [user [group]]`) as an
 * lvs.cf notify command; the user, when given, must agree with the
 * global script_user. */
void imp_map_notify(struct imp_ctx *c, const struct kc_node *n,
    struct imp_script *out);
/* Records `user` for scripts: lvs.cf has one script_user for all. */
void imp_script_user(struct imp_ctx *c, const struct kc_word *user);

void imp_site_clear(struct imp_site *s);

#endif
