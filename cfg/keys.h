/*
 * The key tables of lvs.cf blocks.  The index of a key in its table is its
 * enum value in cfg/cfg.h (CFG_G_*, CFG_V_*, CFG_S_*, CFG_F_*).
 */
#ifndef LVSD_CFG_KEYS_H
#define LVSD_CFG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "cfg/types.h"

struct cfg_block_desc {
	const char *keyword;		/* "virtual"…; "global" for the top */
	const struct cfg_key *keys;
	unsigned nkeys;
	size_t set_off;			/* offset of `uint64_t set` */
	size_t locs_off;		/* offset of `struct cfg_loc locs[]` */
};

extern const struct cfg_block_desc cfg_global_desc;
extern const struct cfg_block_desc cfg_virtual_desc;
extern const struct cfg_block_desc cfg_server_desc;
extern const struct cfg_block_desc cfg_failover_desc;
extern const struct cfg_block_desc cfg_vrrp_desc;

/* Index of `name` in desc's table, or -1. */
int cfg_key_find(const struct cfg_block_desc *desc, const char *name);
/* Sets every key of a fresh block to its default. */
void cfg_block_defaults(const struct cfg_block_desc *desc, void *block);
/* Same keys set, to the same values (locations ignored). */
bool cfg_block_equal(const struct cfg_block_desc *desc, const void *a,
    const void *b);
/* The effective values of the given keys (set or defaulted) are equal. */
bool cfg_keys_equal(const struct cfg_block_desc *desc, const void *a,
    const void *b, const int *keys, size_t n);
/* Frees what the block's fields own (not the block itself). */
void cfg_block_free_fields(const struct cfg_block_desc *desc, void *block);

#endif
