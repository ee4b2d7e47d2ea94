/*
 * What checkers share: their settings (every server of a virtual service
 * is checked alike; only its address, port and label differ) and the
 * texts of their last results ("TCP connect succeeded in 0 ms" is the last
 * result of thousands at once).  Each is stored once per engine, counted,
 * and freed with its last user: 10,000 checkers cost a few settings and a
 * few dozen texts instead of 10,000 copies of each.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/hc_int.h"
#include "lib/xalloc.h"

/* What both kinds of entry start with. */
struct head {
	struct head *next;		/* in its bucket */
	uint32_t hash;
	unsigned refs;
};

struct hc_setting {
	struct head h;
	struct hc_check_config cfg;	/* label NULL, addr and port zero */
};

struct hc_text {
	struct head h;
	char s[];
};

/* A chained hash set; buckets double with the count. */
struct bucketset {
	struct head **b;
	size_t nb, n;
};

struct hc_share {
	struct bucketset settings, texts;
};

static uint32_t
hash_bytes(const void *p, size_t n, uint32_t h)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x01000193u;
	return h;
}

static uint32_t
hash_str(const char *s, uint32_t h)
{
	return s != NULL ? hash_bytes(s, strlen(s), h) : h * 31u;
}

/* Of the fields that tell settings apart; hc_check_config_equal decides. */
static uint32_t
setting_hash(const struct hc_check_config *c)
{
	uint32_t k[] = { c->type, c->interval_ms, c->timeout_ms,
	    c->connect_timeout_ms, c->jitter_ms, c->rise, c->fall };
	uint32_t h = hash_bytes(k, sizeof(k), 0x811c9dc5u);
	h = hash_str(c->http.path, h);
	h = hash_str(c->se.send, h);
	return hash_str(c->exec.command, h);
}

struct hc_share *
hc_share_new(void)
{
	return xcalloc(1, sizeof(struct hc_share));
}

void
hc_share_free(struct hc_share *sh)
{
	if (sh == NULL)
		return;
	/* Every checker released what it held before the engine went. */
	free(sh->settings.b);
	free(sh->texts.b);
	free(sh);
}

/* The bucket of hash h; the set grows first if it would be over full. */
static struct head **
bucket(struct bucketset *set, uint32_t h)
{
	if (set->n + 1 > set->nb) {
		size_t nb = set->nb ? set->nb * 2 : 64;
		struct head **b = xcalloc(nb, sizeof(*b));
		for (size_t i = 0; i < set->nb; i++) {
			struct head *e = set->b[i], *next;
			for (; e != NULL; e = next) {
				next = e->next;
				e->next = b[e->hash & (nb - 1)];
				b[e->hash & (nb - 1)] = e;
			}
		}
		free(set->b);
		set->b = b;
		set->nb = nb;
	}
	return &set->b[h & (set->nb - 1)];
}

static void
link_entry(struct bucketset *set, struct head **b, struct head *e, uint32_t h)
{
	e->hash = h;
	e->refs = 1;
	e->next = *b;
	*b = e;
	set->n++;
}

/* Drops a reference to e; true when it was the last (e unlinked). */
static bool
put_entry(struct bucketset *set, struct head *e)
{
	if (--e->refs > 0)
		return false;
	struct head **pp = &set->b[e->hash & (set->nb - 1)];
	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	set->n--;
	return true;
}

const struct hc_check_config *
hc_share_setting(struct hc_share *sh, const struct hc_check_config *cfg)
{
	struct hc_check_config key = *cfg;
	key.label = NULL;
	memset(&key.addr, 0, sizeof(key.addr));
	key.port = 0;
	uint32_t h = setting_hash(&key);
	struct head **b = bucket(&sh->settings, h);
	for (struct head *e = *b; e != NULL; e = e->next) {
		struct hc_setting *s = (struct hc_setting *)(void *)e;
		if (e->hash == h && hc_check_config_equal(&s->cfg, &key)) {
			e->refs++;
			return &s->cfg;
		}
	}
	struct hc_setting *s = xcalloc(1, sizeof(*s));
	hc_check_config_copy(&s->cfg, &key);
	link_entry(&sh->settings, b, &s->h, h);
	return &s->cfg;
}

void
hc_share_setting_put(struct hc_share *sh, const struct hc_check_config *cfg)
{
	if (cfg == NULL)
		return;
	struct hc_setting *s = (struct hc_setting *)(void *)((char *)(uintptr_t)
	    cfg - offsetof(struct hc_setting, cfg));
	if (!put_entry(&sh->settings, &s->h))
		return;
	hc_check_config_clear(&s->cfg);
	free(s);
}

size_t
hc_share_nsettings(const struct hc_share *sh)
{
	return sh->settings.n;
}

const char *
hc_share_text(struct hc_share *sh, const char *s)
{
	size_t len = strlen(s);
	uint32_t h = hash_bytes(s, len, 0x811c9dc5u);
	struct head **b = bucket(&sh->texts, h);
	for (struct head *e = *b; e != NULL; e = e->next) {
		struct hc_text *t = (struct hc_text *)(void *)e;
		if (e->hash == h && strcmp(t->s, s) == 0) {
			e->refs++;
			return t->s;
		}
	}
	struct hc_text *t = xmalloc(sizeof(*t) + len + 1);
	memcpy(t->s, s, len + 1);
	link_entry(&sh->texts, b, &t->h, h);
	return t->s;
}

static struct hc_text *
text_of(const char *s)
{
	return (struct hc_text *)(void *)((char *)(uintptr_t)s -
	    offsetof(struct hc_text, s));
}

void
hc_share_text_hold(const char *s)
{
	text_of(s)->h.refs++;
}

void
hc_share_text_put(struct hc_share *sh, const char *s)
{
	if (s == NULL)
		return;
	struct hc_text *t = text_of(s);
	if (put_entry(&sh->texts, &t->h))
		free(t);
}
