/*
 * A map from text keys to pointers (lib/idmap.c), for tables rebuilt
 * whole, like the parent's health of every real server at each reload:
 * insert and look up only, no removal.  Open addressing with each key's
 * hash kept beside it, so a lookup compares strings only on a full hash
 * match (json-c's linkhash, used before, re-hashed and compared along
 * its probes: a quarter of a 10,000-service reload).  Keys are not
 * copied: each must live as long as the map.
 */
#ifndef LVSD_LIB_IDMAP_H
#define LVSD_LIB_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct idmap_slot {
	uint64_t hash;
	const char *key;	/* NULL: empty */
	void *val;
};

struct idmap {
	struct idmap_slot *v;
	size_t mask;		/* slots - 1 (a power of two minus one) */
	size_t n;
};

/* An empty map sized for about hint keys. */
void idmap_init(struct idmap *m, size_t hint);
void idmap_free(struct idmap *m);
/* The value of key, or NULL. */
void *idmap_get(const struct idmap *m, const char *key);
/* Sets key's value (replacing an earlier one). */
void idmap_put(struct idmap *m, const char *key, void *val);
/* Walks the values: for (size_t i = 0; (v = idmap_next(m, &i)) != NULL;) */
void *idmap_next(const struct idmap *m, size_t *i);

#endif
