/*
 * The lvs.cf VRRP instances of one director's file: each vrrp_instance
 * outside a sync group as it is, and each vrrp_sync_group as one
 * instance holding all its members' addresses.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/imp_combine.h"
#include "tools/import/imp_eff.h"
#include "tools/import/imp_words.h"

static struct imp_inst *
find_inst(struct imp_site *s, const char *name)
{
	for (size_t i = 0; i < s->ninsts; i++)
		if (strcmp(s->insts[i].name, name) == 0)
			return &s->insts[i];
	return NULL;
}

static void
add_vips(struct imp_eff *e, struct imp_inst *r)
{
	e->vips = xrealloc(e->vips, (e->nvips + r->nvips + 1) * sizeof(*e->vips));
	for (size_t i = 0; i < r->nvips; i++)
		e->vips[e->nvips++] = &r->vips[i];
}

/* A member's command where the group has none; one per state. */
static void
take_notify(struct imp_diags *d, struct imp_eff *e, const struct imp_inst *r)
{
	for (int k = 0; k < IMP_NOTIFY_N; k++) {
		const struct imp_script *s = &r->notify[k];
		if (s->cmd == NULL)
			continue;
		if (e->notify[k] == NULL)
			e->notify[k] = s;
		else if (strcmp(e->notify[k]->cmd, s->cmd) != 0)
			imp_loss(d, &s->loc, "the sync group %s becomes one lvs.cf "
			    "instance with one `%s`: this second command "
			    "cannot be expressed", e->name, imp_notify_keys[k]);
	}
}

static void
note_differences(struct imp_diags *d, const struct imp_eff *e,
    const struct imp_inst *r)
{
	const struct imp_inst *f = e->first;
	if (r->advert_ms != f->advert_ms || r->prio != f->prio ||
	    r->nopreempt != f->nopreempt || r->version != f->version)
		imp_note(d, &r->loc, "vrrp_instance %s: the sync group %s "
		    "advertises as one instance with %s's version, priority, "
		    "advert_int and preemption", r->name, e->name, f->name);
}

/* lvs.cf's name for the instance or group, unique in the file. */
static char *
eff_name(struct imp_diags *d, const struct imp_eff *v, size_t n,
    const char *name, const struct kc_loc *loc)
{
	char *fixed = imp_block_name(name);
	char *base = fixed ? fixed : xstrdup(name);
	char *out = xstrdup(base);
	for (unsigned k = 2;; k++) {
		size_t i = 0;
		while (i < n && strcmp(v[i].name, out) != 0)
			i++;
		if (i == n)
			break;
		free(out);
		out = xasprintf("%s-%u", base, k);
	}
	if (strcmp(out, name) != 0)
		imp_note(d, loc, "`%s` is named `%s` in lvs.cf (letters, digits "
		    "and `_ - . :`, unique)", name, out);
	free(base);
	return out;
}

static void
merge_group(struct imp_diags *d, struct imp_site *s, struct imp_group *g,
    struct imp_eff *v, size_t n)
{
	struct imp_eff *e = &v[n];
	memset(e, 0, sizeof(*e));
	e->name = eff_name(d, v, n, g->name, &g->loc);
	e->loc = g->loc;
	for (int k = 0; k < IMP_NOTIFY_N; k++)
		if (g->notify[k].cmd != NULL)
			e->notify[k] = &g->notify[k];
	for (size_t i = 0; i < g->nmembers; i++) {
		struct imp_inst *r = find_inst(s, g->members[i].text);
		if (r == NULL) {
			imp_invalid(d, &g->members[i].loc, "no vrrp_instance `%s`",
			    g->members[i].text);
			continue;
		}
		if (r->group != NULL) {
			imp_invalid(d, &g->members[i].loc, "vrrp_instance %s is "
			    "already in the sync group %s", r->name, r->group);
			continue;
		}
		r->group = g->name;
		if (e->first == NULL)
			e->first = r;
		else
			note_differences(d, e, r);
		add_vips(e, r);
		take_notify(d, e, r);
	}
	if (e->first != NULL && g->nmembers > 1)
		imp_note(d, &g->loc, "lvs.cf has no sync groups: %s becomes one "
		    "VRRP instance (vrid %u on %s) holding the addresses of all "
		    "its members, which move together as the group did; only "
		    "that vrid is advertised", g->name, e->first->vrid,
		    e->first->iface ? e->first->iface : "its address's device");
}

size_t
imp_eff_build(struct imp_diags *d, struct imp_site *s, struct imp_eff **out)
{
	struct imp_eff *v = xcalloc(s->ngroups + s->ninsts + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < s->ngroups; i++) {
		merge_group(d, s, &s->groups[i], v, n);
		if (v[n].first != NULL)
			n++;
		else {
			free(v[n].name);
			free(v[n].vips);
		}
	}
	for (size_t i = 0; i < s->ninsts; i++) {
		struct imp_inst *r = &s->insts[i];
		if (r->group != NULL)
			continue;
		struct imp_eff *e = &v[n];
		e->name = eff_name(d, v, n, r->name, &r->loc);
		n++;
		e->loc = r->loc;
		e->first = r;
		add_vips(e, r);
		take_notify(d, e, r);
	}
	/* lvs.cf's first vrrp block holds nat_router and drives active_cmd:
	 * the file's first instance (or its group) comes first */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j].first < v[j - 1].first; j--) {
			struct imp_eff t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

void
imp_eff_free(struct imp_eff *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].vips);
	}
	free(v);
}
