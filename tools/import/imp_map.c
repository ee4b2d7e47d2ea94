/*
 * The top of a keepalived.conf: which block kind each statement is, the
 * keyword dispatcher every block uses, and the commands (notify scripts)
 * blocks share.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/suggest.h"
#include "lib/xalloc.h"
#include "tools/import/imp_site.h"
#include "tools/import/imp_words.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A table entry's sentence, its `%s` standing for the keyword. */
static void
report(struct imp_ctx *c, const struct imp_kw *kw, const struct kc_node *s)
{
	const char *why = kw->why, *at = strstr(why, "%s");
	if (at == NULL)
		imp_diag(c->d, kw->sev, &s->w[0].loc, "%s", why);
	else
		imp_diag(c->d, kw->sev, &s->w[0].loc, "%.*s%s%s",
		    (int)(at - why), why, kc_key(s), at + 2);
}

void
imp_dispatch(struct imp_ctx *c, const struct kc_node *block,
    const struct imp_kw *table, size_t n, void *obj, const char *what)
{
	for (size_t i = 0; i < block->nkids; i++) {
		const struct kc_node *s = &block->kids[i];
		const char *key = kc_key(s);
		size_t k = 0;
		while (k < n && strcmp(table[k].name, key) != 0)
			k++;
		if (k < n && table[k].fn != NULL)
			table[k].fn(c, s, obj);
		else if (k < n)
			report(c, &table[k], s);
		else {
			const char *names[256];
			size_t m = 0;
			for (k = 0; k < n && m < NELEMS(names); k++)
				names[m++] = table[k].name;
			const char *near = suggest_nearest(key, names, m);
			imp_loss(c->d, &s->w[0].loc, "unknown keyword `%s` in %s%s%s%s",
			    key, what, near ? "; did you mean `" : "",
			    near ? near : "", near ? "`?" : "");
		}
	}
}

void
imp_script_user(struct imp_ctx *c, const struct kc_word *user)
{
	struct imp_defaults *def = &c->site->def;
	if (!imp_text_word(c->d, user))
		return;
	if (def->script_user == NULL) {
		def->script_user = xstrdup(user->text);
		def->script_user_loc = user->loc;
		out_set(&c->site->global, "script_user", "%s", user->text);
	} else if (strcmp(def->script_user, user->text) != 0)
		imp_loss(c->d, &user->loc, "lvs.cf runs every command as one "
		    "`script_user` (`%s`, line %u): `%s` cannot be expressed",
		    def->script_user, def->script_user_loc.line, user->text);
}

void
imp_map_notify(struct imp_ctx *c, const struct kc_node *n,
    struct imp_script *out)
{
	if (!imp_nargs(c->d, n, 1, 3))
		return;
	char **argv;
	if (imp_script_argv(c->d, &n->w[1], &argv) < 0)
		return;
	free(out->cmd);
	out->cmd = imp_argv_shell(argv);
	out->loc = n->w[0].loc;
	imp_argv_free(argv);
	if (!out_value_ok(out->cmd)) {
		imp_loss(c->d, &n->w[1].loc, "lvs.cf cannot hold the control "
		    "characters of this command");
		free(out->cmd);
		out->cmd = NULL;
	}
	if (n->nw > 2)
		imp_script_user(c, &n->w[2]);
	if (n->nw > 3)
		imp_note(c->d, &n->w[3].loc, "lvsd runs commands with the "
		    "script_user's own group, not `%s`", n->w[3].text);
}

/* ---- blocks that stand alone ------------------------------------------ */

static void
t_global(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	imp_map_global_defs(c, n);
}

static void
t_instance(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	imp_map_vrrp_instance(c, n);
}

static void
t_group(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	imp_map_sync_group(c, n);
}

static void
t_vs(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	imp_map_virtual_server(c, n);
}

/* A group is read where a virtual_server names it; say so if none does. */
static void
t_vsg(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	if (!imp_nargs(c->d, n, 1, 1))
		return;
	const struct kc_node *root = &c->doc->root;
	for (size_t i = 0; i < root->nkids; i++) {
		const struct kc_node *v = &root->kids[i];
		if (strcmp(kc_key(v), "virtual_server") == 0 && v->nw == 3 &&
		    strcmp(v->w[1].text, "group") == 0 &&
		    strcmp(v->w[2].text, n->w[1].text) == 0)
			return;
	}
	imp_note(c->d, &n->w[0].loc, "virtual_server_group %s is used by no "
	    "virtual_server: nothing to convert", n->w[1].text);
}

/* SSL { certificate, key }: the client certificate of every SSL_GET. */
static void
t_ssl(struct imp_ctx *c, const struct kc_node *n, void *obj)
{
	(void)obj;
	for (size_t i = 0; i < n->nkids; i++) {
		const struct kc_node *k = &n->kids[i];
		const char *key = kc_key(k);
		if (!imp_nargs(c->d, k, 1, 1) || !imp_text_word(c->d, &k->w[1]))
			continue;
		if (strcmp(key, "certificate") == 0)
			out_set(&c->site->global, "#tls_cert_file", "%s", k->w[1].text);
		else if (strcmp(key, "key") == 0)
			out_set(&c->site->global, "#tls_key_file", "%s", k->w[1].text);
		else if (strcmp(key, "ca") == 0)
			imp_note(c->d, &k->w[0].loc, "`ca`: lvsd does not verify "
			    "real servers' certificates unless `tls_verify = 1`");
		else if (strcmp(key, "password") == 0)
			imp_loss(c->d, &k->w[0].loc, "lvsd reads unencrypted keys "
			    "only: the key's `password` cannot be expressed");
		else
			imp_loss(c->d, &k->w[0].loc, "unknown keyword `%s` in SSL",
			    key);
	}
}

#define NOTE(k, why) { k, NULL, IMP_NOTE, why }
#define LOSS(k, why) { k, NULL, IMP_LOSS, why }
#define F(k, f) { k, f, 0, NULL }
#define STATIC "lvsd manages no static addresses, routes or rules (the " \
	"system's network configuration does): `%s` cannot be expressed"
#define TRACKED "`%s`: lvs.cf has no tracking (the instances that track " \
	"it say what is lost)"
static const struct imp_kw top_keys[] = {
	F("global_defs", t_global),
	F("vrrp_instance", t_instance),
	F("vrrp_sync_group", t_group),
	F("virtual_server", t_vs),
	F("virtual_server_group", t_vsg),
	F("SSL", t_ssl),
	LOSS("static_ipaddress", STATIC), LOSS("static_routes", STATIC),
	LOSS("static_rules", STATIC),
	NOTE("vrrp_script", TRACKED), NOTE("vrrp_track_process", TRACKED),
	NOTE("track_file", TRACKED), NOTE("vrrp_track_file", TRACKED),
	NOTE("bfd_instance", TRACKED), NOTE("track_group", TRACKED),
	NOTE("linkbeat_interfaces", "`%s`: lvsd hears link changes from "
	    "netlink"),
	NOTE("interface_up_down_delays", "`%s`: lvsd reacts to a link change "
	    "at once"),
	NOTE("garp_group", "`%s`: lvsd paces announcements with each "
	    "instance's garp_delay"),
	LOSS("net_namespace", "lvs.cf names no namespace: run lvsd in it "
	    "(`ip netns exec NAME lvsd`); `%s` cannot be expressed"),
	LOSS("net_namespace_ipvs", "lvs.cf names no namespace: `%s` cannot be "
	    "expressed"),
	NOTE("namespace_with_ipsets", "`%s`: a setting of keepalived itself"),
	NOTE("instance", "`%s`: a setting of keepalived itself"),
	NOTE("use_pid_dir", "`%s`: a setting of keepalived itself"),
	NOTE("child_wait_time", "`%s`: a setting of keepalived itself"),
	NOTE("linkbeat_use_polling", "`%s`: a setting of keepalived itself"),
};

/* The SSL block's client certificate on every https check. */
static void
apply_ssl(struct imp_site *s)
{
	const char *cert = out_get(&s->global, "#tls_cert_file");
	const char *key = out_get(&s->global, "#tls_key_file");
	for (size_t i = 0; i < s->nvirts; i++) {
		struct out_block *v = &s->virts[i].blk;
		const char *check = out_get(v, "check");
		if (check == NULL || strcmp(check, "https") != 0)
			continue;
		if (cert != NULL)
			out_set(v, "tls_cert_file", "%s", cert);
		if (key != NULL)
			out_set(v, "tls_key_file", "%s", key);
	}
	out_unset(&s->global, "#tls_cert_file");
	out_unset(&s->global, "#tls_key_file");
}

void
imp_map_doc(struct imp_ctx *c)
{
	struct imp_site *s = c->site;
	s->def.vrrp_version = 2;	/* keepalived's default */
	imp_dispatch(c, &c->doc->root, top_keys, NELEMS(top_keys), NULL,
	    "the top level");
	if (s->global.from.file == NULL && c->doc->root.nkids > 0)
		s->global.from = c->doc->root.kids[0].w[0].loc;
	apply_ssl(s);
}

void
imp_site_clear(struct imp_site *s)
{
	out_block_clear(&s->global);
	free(s->def.default_interface);
	free(s->def.script_user);
	for (size_t i = 0; i < s->ninsts; i++) {
		struct imp_inst *r = &s->insts[i];
		free(r->name);
		free(r->iface);
		free(r->auth_pass);
		for (int k = 0; k < IMP_NOTIFY_N; k++)
			free(r->notify[k].cmd);
		free(r->vips);
	}
	free(s->insts);
	for (size_t i = 0; i < s->ngroups; i++) {
		free(s->groups[i].name);
		free(s->groups[i].members);
		for (int k = 0; k < IMP_NOTIFY_N; k++)
			free(s->groups[i].notify[k].cmd);
	}
	free(s->groups);
	for (size_t i = 0; i < s->nvirts; i++) {
		out_block_clear(&s->virts[i].blk);
		free(s->virts[i].network);
	}
	free(s->virts);
	memset(s, 0, sizeof(*s));
}
