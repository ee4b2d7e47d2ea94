/*
 * vrrp_sync_group: instances that move together.  lvs.cf gets the same
 * effect from one `vrrp` instance holding all their addresses (with
 * monitor_links, a link down on any of its devices moves them all); the
 * merge happens in imp_combine.c, this records the group.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/imp_site.h"
#include "tools/import/imp_words.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static void
add_member(struct imp_group *g, const struct kc_word *w)
{
	g->members = xrealloc(g->members, (g->nmembers + 1) * sizeof(*w));
	g->members[g->nmembers++] = (struct kc_word){ w->text, w->loc, false };
}

static void
g_group(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_group *g = obj;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct kc_node *m = &n->kids[i];
		if (imp_nargs(c->d, m, 0, 0))
			add_member(g, &m->w[0]);
	}
}

static void
g_notify(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	struct imp_group *g = obj;
	for (int i = 0; i < IMP_NOTIFY_N; i++)
		if (strcmp(kc_key(n), imp_notify_keys[i]) == 0)
			imp_map_notify(c, n, &g->notify[i]);
}

static const struct imp_kw group_keys[] = {
	{ "group", g_group, 0, NULL },
	{ "notify_master", g_notify, 0, NULL },
	{ "notify_backup", g_notify, 0, NULL },
	{ "notify_fault", g_notify, 0, NULL },
	{ "notify_stop", NULL, IMP_LOSS, "lvsd runs `inactive_cmd` when it "
	    "stops, for the whole director: a per-group `%s` cannot be "
	    "expressed" },
	{ "notify", NULL, IMP_LOSS, IMP_WHY_NOTIFY },
	{ "track_interface", NULL, IMP_LOSS, IMP_WHY_TRACK },
	{ "track_script", NULL, IMP_LOSS, IMP_WHY_TRACK },
	{ "track_file", NULL, IMP_LOSS, IMP_WHY_TRACK },
	{ "track_process", NULL, IMP_LOSS, IMP_WHY_TRACK },
	{ "track_bfd", NULL, IMP_LOSS, IMP_WHY_TRACK },
	{ "smtp_alert", NULL, IMP_NOTE, IMP_WHY_MAIL },
	{ "global_tracking", NULL, IMP_NOTE, "`%s`: lvs.cf has no tracking" },
	{ "sync_group_tracking_weight", NULL, IMP_NOTE, "`%s`: lvs.cf has no "
	    "tracking" },
	{ "notify_priority_changes", NULL, IMP_NOTE, "`%s`: lvsd has no "
	    "notify FIFO" },
};

void
imp_map_sync_group(struct imp_ctx *c, const struct kc_node *n)
{
	struct imp_site *s = c->site;
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	struct imp_group g = { .name = xstrdup(n->w[1].text), .loc = n->w[0].loc };
	/* keepalived's old syntax: the member names right in the block */
	struct kc_node rest = *n;
	rest.kids = xcalloc(n->nkids + 1, sizeof(*rest.kids));
	rest.nkids = 0;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct kc_node *k = &n->kids[i];
		bool known = false;
		for (size_t j = 0; j < NELEMS(group_keys); j++)
			known |= strcmp(kc_key(k), group_keys[j].name) == 0;
		if (!known && k->nw == 1 && !k->block)
			add_member(&g, &k->w[0]);
		else
			rest.kids[rest.nkids++] = *k;
	}
	imp_dispatch(c, &rest, group_keys, NELEMS(group_keys), &g,
	    "a vrrp_sync_group");
	free(rest.kids);
	if (g.nmembers == 0)
		imp_invalid(c->d, &n->w[0].loc, "vrrp_sync_group %s names no "
		    "instance", g.name);
	s->groups = xrealloc(s->groups, (s->ngroups + 1) * sizeof(g));
	s->groups[s->ngroups++] = g;
}
