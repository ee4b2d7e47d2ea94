/*
 * The two directors' mapped files into one lvs.cf: the directors'
 * addresses and VRRP priorities, the `vrrp` blocks (a sync group becomes
 * one), which instance holds each virtual service's address, and the
 * check that both files describe the same services.
 */
#ifndef LVSD_IMPORT_IMP_COMBINE_H
#define LVSD_IMPORT_IMP_COMBINE_H

#include "tools/import/imp_site.h"

struct imp_opts {
	const char *primary, *backup;	/* --primary / --backup, or NULL */
};

struct imp_result {
	struct out_block global;
	struct out_block *vrrps;
	size_t nvrrps;
	struct out_block *virts;
	size_t nvirts;
};

/* b may be NULL (one file): what is assumed is said in notes. */
void imp_combine(struct imp_diags *d, struct imp_site *p, struct imp_site *b,
    const struct imp_opts *o, struct imp_result *out);
void imp_result_clear(struct imp_result *r);

/* VIP placement (imp_place.c): sets address/vip_nmask/vrrp on each
 * virtual of p and nat_router; what no key can hold is reported. */
struct imp_eff;
void imp_place_addresses(struct imp_diags *d, struct imp_site *p,
    struct imp_eff *effs, size_t n, struct imp_result *out);

/* An lvs.cf `vrrp` instance: one vrrp_instance, or a sync group's. */
struct imp_eff {
	char *name;
	const struct imp_inst *first;	/* whose settings it takes */
	struct imp_vip **vips;
	size_t nvips;
	const struct imp_script *notify[IMP_NOTIFY_N];
	struct kc_loc loc;
};

#endif
