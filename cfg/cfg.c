/*
 * A configuration generation: load (parse + validate), print in canonical
 * form, compare, free.  Printing and comparison walk the same key tables
 * as the parser, so a new key is printed and compared without new code.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cfg/arena.h"
#include "cfg/cfg.h"
#include "cfg/keys.h"
#include "cfg/parse.h"
#include "cfg/validate.h"
#include "lib/xalloc.h"

static struct cfg *
cfg_new(const char *path)
{
	struct cfg *cfg = xcalloc(1, sizeof(*cfg));
	cfg->arena = cfg_arena_new();
	cfg->path = xstrdup(path);
	TAILQ_INIT(&cfg->virtuals);
	TAILQ_INIT(&cfg->failovers);
	TAILQ_INIT(&cfg->vrrps);
	cfg_block_defaults(&cfg_global_desc, &cfg->global, cfg->arena);
	return cfg;
}

void
cfg_free(struct cfg *cfg)
{
	if (cfg == NULL)
		return;
	cfg_arena_free(cfg->arena);
	for (size_t i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	free(cfg->files);
	free(cfg->path);
	free(cfg);
}

static struct cfg *
finish(struct cfg *cfg, struct cfg_diags *diags, struct cfg_diags *own)
{
	if (diags->nerrors == 0)
		cfg_validate(cfg, diags);
	bool ok = diags->nerrors == 0;
	cfg_diags_free(own);
	if (!ok) {
		cfg_free(cfg);
		return NULL;
	}
	return cfg;
}

struct cfg *
cfg_load_watched(const char *path, struct cfg_diags *diags,
    const struct cfg_read_watch *watch)
{
	struct cfg_diags *own = diags ? NULL : cfg_diags_new();
	struct cfg *cfg = cfg_new(path);
	cfg_parse_file(cfg, path, diags ? diags : own, watch);
	return finish(cfg, diags ? diags : own, own);
}

struct cfg *
cfg_load(const char *path, struct cfg_diags *diags)
{
	return cfg_load_watched(path, diags, NULL);
}

struct cfg *
cfg_load_buffer(const char *name, const char *text, size_t len,
    struct cfg_diags *diags)
{
	struct cfg_diags *own = diags ? NULL : cfg_diags_new();
	struct cfg *cfg = cfg_new(name);
	cfg_parse_buffer(cfg, name, text, len, diags ? diags : own);
	return finish(cfg, diags ? diags : own, own);
}

/* ---- canonical printing --------------------------------------------- */

static void
print_block(FILE *out, const struct cfg_block_desc *desc, const void *obj,
    const char *indent)
{
	const char *base = obj;
	uint64_t set = *(const uint64_t *)(const void *)(base + desc->set_off);
	for (unsigned i = 0; i < desc->nkeys; i++) {
		if (!((set >> i) & 1))
			continue;
		const struct cfg_key *k = &desc->keys[i];
		fprintf(out, "%s%s = ", indent, k->name);
		k->type->print(out, k, cfg_key_field(desc, base, k));
		fputc('\n', out);
	}
}

void
cfg_print(FILE *out, const struct cfg *cfg)
{
	print_block(out, &cfg_global_desc, &cfg->global, "");
	if (cfg->announce != NULL) {
		fprintf(out, "announce {\n");
		print_block(out, &cfg_announce_desc, cfg->announce, "    ");
		fprintf(out, "}\n");
	}
	const struct cfg_vrrp *r;
	TAILQ_FOREACH(r, &cfg->vrrps, entry) {
		fprintf(out, "vrrp %s {\n", r->name);
		print_block(out, &cfg_vrrp_desc, r, "    ");
		fprintf(out, "}\n");
	}
	const struct cfg_virtual *v;
	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		fprintf(out, "virtual %s {\n", v->name);
		print_block(out, &cfg_virtual_desc, v, "    ");
		const struct cfg_server *s;
		TAILQ_FOREACH(s, &v->servers, entry) {
			fprintf(out, "    server %s {\n", s->name);
			print_block(out, &cfg_server_desc, s, "        ");
			fprintf(out, "    }\n");
		}
		fprintf(out, "}\n");
	}
	const struct cfg_failover *f;
	TAILQ_FOREACH(f, &cfg->failovers, entry) {
		fprintf(out, "failover %s {\n", f->name);
		print_block(out, &cfg_failover_desc, f, "    ");
		fprintf(out, "}\n");
	}
}

/* ---- comparison --------------------------------------------------------- */

static bool
virtual_equal(const struct cfg_virtual *a, const struct cfg_virtual *b)
{
	if (strcmp(a->name, b->name) != 0 || a->nservers != b->nservers ||
	    !cfg_block_equal(&cfg_virtual_desc, a, b))
		return false;
	const struct cfg_server *s = TAILQ_FIRST(&a->servers);
	const struct cfg_server *t = TAILQ_FIRST(&b->servers);
	for (; s != NULL; s = TAILQ_NEXT(s, entry), t = TAILQ_NEXT(t, entry))
		if (strcmp(s->name, t->name) != 0 ||
		    !cfg_block_equal(&cfg_server_desc, s, t))
			return false;
	return true;
}

bool
cfg_equal(const struct cfg *a, const struct cfg *b)
{
	if (a->nvirtuals != b->nvirtuals || a->nfailovers != b->nfailovers ||
	    a->nvrrps != b->nvrrps ||
	    !cfg_block_equal(&cfg_global_desc, &a->global, &b->global))
		return false;
	if ((a->announce == NULL) != (b->announce == NULL) ||
	    (a->announce != NULL && !cfg_block_equal(&cfg_announce_desc,
	    a->announce, b->announce)))
		return false;
	const struct cfg_vrrp *r = TAILQ_FIRST(&a->vrrps);
	const struct cfg_vrrp *q = TAILQ_FIRST(&b->vrrps);
	for (; r != NULL; r = TAILQ_NEXT(r, entry), q = TAILQ_NEXT(q, entry))
		if (strcmp(r->name, q->name) != 0 ||
		    !cfg_block_equal(&cfg_vrrp_desc, r, q))
			return false;
	const struct cfg_virtual *v = TAILQ_FIRST(&a->virtuals);
	const struct cfg_virtual *w = TAILQ_FIRST(&b->virtuals);
	for (; v != NULL; v = TAILQ_NEXT(v, entry), w = TAILQ_NEXT(w, entry))
		if (!virtual_equal(v, w))
			return false;
	const struct cfg_failover *f = TAILQ_FIRST(&a->failovers);
	const struct cfg_failover *g = TAILQ_FIRST(&b->failovers);
	for (; f != NULL; f = TAILQ_NEXT(f, entry), g = TAILQ_NEXT(g, entry))
		if (strcmp(f->name, g->name) != 0 ||
		    !cfg_block_equal(&cfg_failover_desc, f, g))
			return false;
	return true;
}
