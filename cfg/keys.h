/*
 * The key tables of lvs.cf blocks.  The index of a key in its table is its
 * enum value in cfg/cfg.h (CFG_G_*, CFG_V_*, CFG_S_*, CFG_F_*).
 */
#ifndef LVSD_CFG_KEYS_H
#define LVSD_CFG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#include "cfg/arena.h"
#include "cfg/types.h"

/* A block's keys by name: open addressing, built at the first lookup. */
#define CFG_KEY_SLOTS 128
struct cfg_key_index {
	bool built;
	uint8_t slot[CFG_KEY_SLOTS];	/* key index + 1; 0: free */
	uint8_t len[CFG_KEY_SLOTS];	/* that key's name's length */
};

struct cfg_block_desc {
	const char *keyword;		/* "virtual"…; "global" for the top */
	const struct cfg_key *keys;
	unsigned nkeys;
	size_t set_off;			/* offset of `uint64_t set` */
	size_t locs_off;		/* offset of `const uint8_t *locs` */
	struct cfg_key_index *index;
	/* Keys marked `shared` live in a struct of ext_size bytes that
	 * blocks setting them alike share, pointed to at ext_off. */
	size_t ext_off, ext_size;
};

/* Where key k's value lives in block. */
static inline void *
cfg_key_field(const struct cfg_block_desc *desc, const void *block,
    const struct cfg_key *k)
{
	const char *base = block;
	if (k->shared)
		base = *(const char *const *)(const void *)(base + desc->ext_off);
	return (char *)(uintptr_t)(base + k->off);
}

extern const struct cfg_block_desc cfg_global_desc;
extern const struct cfg_block_desc cfg_virtual_desc;
extern const struct cfg_block_desc cfg_server_desc;
extern const struct cfg_block_desc cfg_failover_desc;
extern const struct cfg_block_desc cfg_vrrp_desc;
extern const struct cfg_block_desc cfg_announce_desc;

/* Index of `name` in desc's table, or -1. */
int cfg_key_find(const struct cfg_block_desc *desc, const char *name);
/* The same for name[0..len), which needs no NUL. */
int cfg_key_lookup(const struct cfg_block_desc *desc, const char *name,
    size_t len);
/* The same, hash = cfg_hash_bytes(name, len, CFG_HASH_SEED). */
int cfg_key_lookup_hash(const struct cfg_block_desc *desc, const char *name,
    size_t len, uint32_t hash);
/* Sets every key of a fresh block to its default (strings in arena). */
void cfg_block_defaults(const struct cfg_block_desc *desc, void *block,
    struct cfg_arena *arena);
/* Same keys set, to the same values (locations ignored). */
bool cfg_block_equal(const struct cfg_block_desc *desc, const void *a,
    const void *b);
/* The effective values of the given keys (set or defaulted) are equal. */
bool cfg_keys_equal(const struct cfg_block_desc *desc, const void *a,
    const void *b, const int *keys, size_t n);

#endif
