/*
 * Text keys to pointers (lib/idmap.h): linear probing over a power-of-two
 * table kept at most half full.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/idmap.h"
#include "lib/xalloc.h"

/* FNV-1a, then a final mix so the low bits (the slot) depend on every
 * byte.  The keys are the operator's own names, not a remote party's. */
static uint64_t
hash_of(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void
idmap_init(struct idmap *m, size_t hint)
{
	size_t slots = 16;
	while (slots < hint * 2)
		slots *= 2;
	m->v = xcalloc(slots, sizeof(*m->v));
	m->mask = slots - 1;
	m->n = 0;
}

void
idmap_free(struct idmap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static struct idmap_slot *
find(const struct idmap *m, const char *key, uint64_t h)
{
	for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
		struct idmap_slot *s = &m->v[i];
		if (s->key == NULL ||
		    (s->hash == h && strcmp(s->key, key) == 0))
			return s;
	}
}

void *
idmap_get(const struct idmap *m, const char *key)
{
	if (m->v == NULL)
		return NULL;
	const struct idmap_slot *s = find(m, key, hash_of(key));
	return s->key != NULL ? s->val : NULL;
}

static void
grow(struct idmap *m)
{
	struct idmap old = *m;
	idmap_init(m, (old.mask + 1));
	for (size_t i = 0; i <= old.mask; i++)
		if (old.v[i].key != NULL)
			*find(m, old.v[i].key, old.v[i].hash) = old.v[i];
	m->n = old.n;
	free(old.v);
}

void
idmap_put(struct idmap *m, const char *key, void *val)
{
	if (m->v == NULL)
		idmap_init(m, 8);
	uint64_t h = hash_of(key);
	struct idmap_slot *s = find(m, key, h);
	if (s->key == NULL) {
		if ((m->n + 1) * 2 > m->mask + 1) {
			grow(m);
			s = find(m, key, h);
		}
		s->key = key;
		s->hash = h;
		m->n++;
	}
	s->val = val;
}

void *
idmap_next(const struct idmap *m, size_t *i)
{
	for (; m->v != NULL && *i <= m->mask; ++*i)
		if (m->v[*i].key != NULL)
			return m->v[(*i)++].val;
	return NULL;
}
