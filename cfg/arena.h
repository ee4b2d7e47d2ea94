/*
 * Storage of one configuration generation: its blocks, names and values
 * live in a few large chunks (no allocation per block or per string, no
 * per-allocation overhead), freed together with the generation.  Values
 * written the same way in many blocks (check settings, commands) are
 * interned: stored once and shared.  Nothing in an arena is ever freed or
 * changed on its own.
 */
#ifndef LVSD_CFG_ARENA_H
#define LVSD_CFG_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct cfg_arena;

struct cfg_arena *cfg_arena_new(void);
void cfg_arena_free(struct cfg_arena *a);
/* size bytes aligned for any block struct, uninitialised. */
void *cfg_arena_alloc(struct cfg_arena *a, size_t size);
/* The same, zeroed. */
void *cfg_arena_zalloc(struct cfg_arena *a, size_t size);
/* A NUL-terminated copy of s[0..n). */
char *cfg_arena_strndup(struct cfg_arena *a, const char *s, size_t n);
/* The one stored copy of s[0..n) (stored now if it is the first). */
char *cfg_arena_intern(struct cfg_arena *a, const char *s, size_t n);
/* Bytes the arena uses (its chunks but the newest's free end, and its
 * intern table), for benchmarks. */
size_t cfg_arena_size(const struct cfg_arena *a);

/* FNV-1a: the hash of names and values throughout cfg/. */
static inline uint32_t
cfg_hash_bytes(const void *p, size_t n, uint32_t h)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x01000193u;
	return h;
}
#define CFG_HASH_SEED 0x811c9dc5u

#endif
