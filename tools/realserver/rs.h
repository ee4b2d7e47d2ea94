/*
 * lvs-realserver: sets a real server up for direct routing or tunnelling.
 *
 * The work is split so the decisions can be tested without a kernel:
 *   plan.c     which VIPs this host serves (from lvs.cf or the command
 *              line) and the settings they need: plain data, from a
 *              snapshot of the host (struct rs_host);
 *   host.c     the snapshot and the changes (rtnetlink through
 *              libnl-route, sysctls through /proc/sys), fou.c for GUE
 *              listeners (generic netlink);
 *   state.c    the record of what apply changed, so undo reverses exactly
 *              that;
 *   apply.c    apply and undo; persist.c the sysctl.d file and the unit;
 *   main.c     the command line and `show`.
 */
#ifndef LVSD_TOOLS_REALSERVER_RS_H
#define LVSD_TOOLS_REALSERVER_RS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"

struct cfg;

enum rs_mode { RS_DR, RS_TUN };
enum rs_tun { RS_TUN_IPIP, RS_TUN_GUE, RS_TUN_GRE };

/* A VIP this host serves, and how the director's packets for it arrive. */
struct rs_vip {
	struct lvs_addr vip;
	enum rs_mode mode;
	enum rs_tun tun;	/* RS_TUN */
	uint16_t gue_port;	/* RS_TUN_GUE */
	sa_family_t outer;	/* RS_TUN: family of the address tunnelled to */
	char *why;		/* "web/rs1 (10.0.2.11)", "the command line" */
};

/* ---- a snapshot of the host ---- */

struct rs_hostaddr {
	char ifname[IFNAMSIZ];
	struct lvs_addr addr;
	unsigned plen;
};

struct rs_link {
	char name[IFNAMSIZ];
	bool up, loopback;
};

struct rs_fou {
	uint16_t port;
	sa_family_t af;
};

/* Reads /proc/sys/KEY ("net/ipv4/conf/all/arp_ignore"): 0, or -1 if absent. */
typedef int (*rs_sysctl_get_fn)(void *ctx, const char *key, char *val,
    size_t len);

struct rs_host {
	struct rs_hostaddr *addrs;
	size_t naddrs;
	struct rs_link *links;
	size_t nlinks;
	struct rs_fou *fous;	/* GUE/FOU listeners */
	size_t nfous;
	rs_sysctl_get_fn sysctl_get;
	void *sysctl_ctx;
};

const struct rs_link *rs_host_link(const struct rs_host *h, const char *name);
/* Whether the host has address a (on any interface: *ifname, may be NULL). */
bool rs_host_has(const struct rs_host *h, const struct lvs_addr *a,
    const char **ifname);

/* ---- the plan ---- */

/* In apply order: devices, listeners, sysctls, and the VIPs last. */
enum rs_kind { RS_LINK, RS_FOU, RS_SYSCTL, RS_ADDR };

struct rs_item {
	enum rs_kind kind;
	char ifname[IFNAMSIZ];	/* LINK: the device; ADDR: where it goes */
	char link_kind[16];	/* LINK: what creates it ("ipip", "ip6tnl") */
	char key[128];		/* SYSCTL: path under /proc/sys */
	char value[8];		/* SYSCTL: what apply writes */
	char accept[8];		/* SYSCTL: digits that are already fine */
	bool with_all;		/* SYSCTL: judged on max(conf/all, this) */
	struct lvs_addr addr;	/* ADDR */
	unsigned plen;
	uint16_t port;		/* FOU */
	sa_family_t af;
	char *why;		/* what it is for, one clause */
};

struct rs_plan {
	struct rs_vip *vips;
	size_t nvips;
	char **ifaces;		/* the interfaces that carry traffic */
	size_t nifaces;
	struct rs_item *items;
	size_t nitems;
	char **problems;	/* what apply will not fix; one sentence each */
	size_t nproblems;
};

/*
 * The VIPs of cfg's direct-routing and tunnel services that list one of
 * the host's addresses as a real server (every such service with all),
 * and the interfaces holding those addresses.  0, or -1 with a sentence
 * in why (no service found).
 */
int rs_select_cfg(struct rs_plan *p, const struct cfg *cfg,
    const struct rs_host *h, bool all, char *why, size_t whylen);
/* One VIP from the command line; 0, or -1 with a sentence in why. */
int rs_select_arg(struct rs_plan *p, const char *text, enum rs_mode mode,
    enum rs_tun tun, uint16_t gue_port, char *why, size_t whylen);
/* An interface that carries traffic (--interface, or from the file). */
void rs_plan_add_iface(struct rs_plan *p, const char *ifname);
/*
 * The items and problems for the selected VIPs.  Without interfaces,
 * every up, non-loopback, non-tunnel interface with an IPv4 address.
 */
void rs_plan_build(struct rs_plan *p, const struct rs_host *h);
void rs_plan_free(struct rs_plan *p);

/* Whether an item is in place; when not, *now says what is there instead. */
bool rs_item_done(const struct rs_item *it, const struct rs_host *h,
    char *now, size_t nowlen);
/* "net.ipv4.conf.eth0.arp_ignore" (sysctl's spelling) for a key. */
const char *rs_sysctl_name(const char *key, char *buf, size_t len);
/* "10.0.2.50/32 on lo", "tunl0 up", ... into buf; returns buf. */
const char *rs_item_fmt(const struct rs_item *it, char *buf, size_t len);
/*
 * What is wrong now, for the operator (one sentence per line on out):
 * answering ARP for a VIP, a missing VIP, a tunnel device down.
 * Returns how many lines it wrote.
 */
size_t rs_diagnose(const struct rs_plan *p, const struct rs_host *h, FILE *out);

const char *rs_tun_name(enum rs_tun t);
/* Tunnel device and its rtnetlink kind for (outer, inner) families. */
int rs_tun_device(enum rs_tun t, sa_family_t outer, sa_family_t inner,
    const char **dev, const char **kind);

/* ---- the record of changes (state.c) ---- */

enum rs_rec_kind { REC_SYSCTL, REC_ADDR, REC_UP, REC_FOU };

struct rs_rec {
	enum rs_rec_kind kind;
	char boot[40];		/* boot id: addresses etc. die with a reboot */
	char key[128];		/* SYSCTL */
	char old[32];		/* SYSCTL: the value before apply */
	char ifname[IFNAMSIZ];	/* ADDR, UP */
	struct lvs_addr addr;	/* ADDR */
	unsigned plen;
	uint16_t port;		/* FOU */
	sa_family_t af;
};

struct rs_state {
	struct rs_rec *recs;
	size_t nrecs;
};

/*
 * Reads the record; a missing file is an empty record.  0, or -1 with
 * "FILE:LINE:COLUMN: ..." in why.
 */
int rs_state_load(const char *path, struct rs_state *st, char *why,
    size_t whylen);
/* Same from text (tests, fuzzing); name names it in errors. */
int rs_state_parse(const char *name, const char *text, struct rs_state *st,
    char *why, size_t whylen);
/* Writes the record (atomically); removes the file when empty. 0 / -1. */
int rs_state_save(const char *path, const struct rs_state *st);
void rs_state_write(FILE *out, const struct rs_state *st);
void rs_state_add(struct rs_state *st, const struct rs_rec *r);
/* The sysctl record for key, or NULL. */
const struct rs_rec *rs_state_sysctl(const struct rs_state *st, const char *key);
void rs_state_free(struct rs_state *st);

/* ---- the host (host.c, fou.c) ---- */

struct rs_nl;
/* Opens rtnetlink; NULL with a sentence in why. */
struct rs_nl *rs_nl_open(char *why, size_t whylen);
void rs_nl_close(struct rs_nl *nl);
/* Fills h from the kernel (links, addresses, FOU listeners, sysctls). */
int rs_host_read(struct rs_nl *nl, struct rs_host *h, char *why, size_t whylen);
void rs_host_free(struct rs_host *h);

/* Each returns 0, or -1 with a sentence in why. */
int rs_sysctl_write(const char *key, const char *value, char *why,
    size_t whylen);
int rs_sysctl_read(const char *key, char *val, size_t len);
int rs_link_create(struct rs_nl *nl, const char *name, const char *kind,
    char *why, size_t whylen);
int rs_link_set_up(struct rs_nl *nl, const char *name, bool up, char *why,
    size_t whylen);
/* Adding an address that is there, or removing one that is not: 1. */
int rs_addr_change(struct rs_nl *nl, const char *ifname,
    const struct lvs_addr *a, unsigned plen, bool add, char *why,
    size_t whylen);
/* GUE listeners; list: fills h->fous (none when fou is not loaded). */
int rs_fou_list(struct rs_host *h, char *why, size_t whylen);
int rs_fou_change(uint16_t port, sa_family_t af, bool add, char *why,
    size_t whylen);
/* This boot's id (/proc/sys/kernel/random/boot_id), "" if unknown. */
void rs_boot_id(char *buf, size_t len);

/* ---- apply, undo, persist (apply.c, persist.c) ---- */

struct rs_opts {
	const char *state_path;
	const char *root;	/* persist: files under this directory */
};

/* Applies the plan's missing items, records them; 0, or -1 if one failed. */
int rs_apply(struct rs_nl *nl, const struct rs_plan *p, const struct rs_host *h,
    const struct rs_opts *o);
/* Reverses the record and removes persisted files; 0 / -1. */
int rs_undo(struct rs_nl *nl, const struct rs_opts *o);
/* Writes the sysctl.d file and the unit for the plan; 0 / -1. */
int rs_persist(const struct rs_plan *p, const struct rs_opts *o);
/* Removes what rs_persist wrote (only files it wrote); 0 / -1. */
int rs_unpersist(const struct rs_opts *o);

#endif
