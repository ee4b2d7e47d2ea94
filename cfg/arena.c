/*
 * A bump allocator in chunks that grow with the generation (a small file
 * costs a few KiB, 10,000 services a few MiB), and an open-addressing set
 * of the interned strings.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cfg/arena.h"
#include "lib/xalloc.h"

#define CHUNK_MIN	4096u
#define CHUNK_MAX	(256u << 10)
/*
 * A large generation grows in huge pages: one page fault maps 2 MiB
 * instead of 512 (each fault costs microseconds, more in a virtual
 * machine; 10,000 services took 2,500 of them).
 */
#define HUGE_FROM	(1u << 20)	/* arena size before huge chunks */
#define HUGE		(2u << 20)
/* Enough for every block (pointers, 64-bit masks; no long double). */
#define ALIGN		8u

struct chunk {
	struct chunk *next;
	size_t size;			/* of data */
	_Alignas(8) char data[];
};

struct cfg_arena {
	struct chunk *chunks;		/* the newest first */
	char *pos, *end;		/* free space of the newest */
	size_t total;			/* bytes of all chunks */
	/* Interned strings: slots hold arena pointers, NULL when free. */
	char **set;
	uint32_t *hashes;
	size_t mask, nset;
};

struct cfg_arena *
cfg_arena_new(void)
{
	return xcalloc(1, sizeof(struct cfg_arena));
}

void
cfg_arena_free(struct cfg_arena *a)
{
	if (a == NULL)
		return;
	struct chunk *c;
	while ((c = a->chunks) != NULL) {
		a->chunks = c->next;
		free(c);
	}
	free(a->set);
	free(a->hashes);
	free(a);
}

size_t
cfg_arena_size(const struct cfg_arena *a)
{
	return a->total - (size_t)(a->end - a->pos) + (a->set != NULL ?
	    (a->mask + 1) * (sizeof(*a->set) + sizeof(*a->hashes)) : 0);
}

/*
 * A 2 MiB chunk on a huge page boundary, or NULL.  From the heap, not
 * mmap: the daemon's heap keeps freed memory (daemon/daemon.c), so the
 * next reload's chunks are pages already mapped; mapped afresh, a
 * reload of 10,000 services spent a quarter of its time in page faults.
 */
static struct chunk *
huge_chunk(void)
{
	void *p;
	if (posix_memalign(&p, HUGE, HUGE) != 0)
		return NULL;
	(void)madvise(p, HUGE, MADV_HUGEPAGE);	/* a hint: 4 KiB pages do */
	struct chunk *c = p;
	c->size = HUGE - sizeof(*c);
	return c;
}

/* A new chunk of at least need bytes: half the total so far, bounded. */
static void
grow(struct cfg_arena *a, size_t need)
{
	size_t size = a->total / 2;
	if (size < CHUNK_MIN)
		size = CHUNK_MIN;
	if (size > CHUNK_MAX)
		size = CHUNK_MAX;
	struct chunk *c = NULL;
	if (a->total >= HUGE_FROM && need <= HUGE - sizeof(*c))
		c = huge_chunk();
	if (c == NULL) {
		if (size < need)
			size = need;
		c = xmalloc(sizeof(*c) + size);
		c->size = size;
	}
	size = c->size;
	c->next = a->chunks;
	a->chunks = c;
	a->pos = c->data;
	a->end = c->data + size;
	a->total += size;
}

static void *
take(struct cfg_arena *a, size_t size, size_t align)
{
	uintptr_t p = ((uintptr_t)a->pos + align - 1) & ~(uintptr_t)(align - 1);
	if (a->pos == NULL || p + size > (uintptr_t)a->end) {
		grow(a, size);
		p = (uintptr_t)a->pos;
	}
	a->pos = (char *)p + size;
	return (void *)p;
}

void *
cfg_arena_alloc(struct cfg_arena *a, size_t size)
{
	return take(a, size, ALIGN);
}

void *
cfg_arena_zalloc(struct cfg_arena *a, size_t size)
{
	return memset(take(a, size, ALIGN), 0, size);
}

char *
cfg_arena_strndup(struct cfg_arena *a, const char *s, size_t n)
{
	char *d = take(a, n + 1, 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void
set_grow(struct cfg_arena *a)
{
	size_t n = a->set == NULL ? 64 : (a->mask + 1) * 2;
	char **set = xcalloc(n, sizeof(*set));
	uint32_t *hashes = xcalloc(n, sizeof(*hashes));
	for (size_t i = 0; a->set != NULL && i <= a->mask; i++) {
		if (a->set[i] == NULL)
			continue;
		size_t j = a->hashes[i] & (n - 1);
		while (set[j] != NULL)
			j = (j + 1) & (n - 1);
		set[j] = a->set[i];
		hashes[j] = a->hashes[i];
	}
	free(a->set);
	free(a->hashes);
	a->set = set;
	a->hashes = hashes;
	a->mask = n - 1;
}

char *
cfg_arena_intern(struct cfg_arena *a, const char *s, size_t n)
{
	if (a->set == NULL || (a->nset + 1) * 2 > a->mask + 1)
		set_grow(a);
	uint32_t h = cfg_hash_bytes(s, n, CFG_HASH_SEED);
	size_t i = h & a->mask;
	for (; a->set[i] != NULL; i = (i + 1) & a->mask)
		if (a->hashes[i] == h && strncmp(a->set[i], s, n) == 0 &&
		    a->set[i][n] == '\0')
			return a->set[i];
	a->set[i] = cfg_arena_strndup(a, s, n);
	a->hashes[i] = h;
	a->nset++;
	return a->set[i];
}
