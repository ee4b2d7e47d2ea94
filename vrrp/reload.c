#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "vrrp/inst.h"

/*
 * What a reload may change in place: everything but the identity of the
 * instance on the wire (VRID, version, family, device, peers, source).
 */
bool
vrrp_config_same_wire(const struct vrrp_instance_config *a,
    const struct vrrp_instance_config *b)
{
	if (a->vrid != b->vrid || a->version != b->version || a->af != b->af ||
	    strcmp(a->ifname, b->ifname) != 0 || !addr_eq(&a->src, &b->src) ||
	    a->npeers != b->npeers)
		return false;
	for (size_t i = 0; i < a->npeers; i++)
		if (!addr_eq(&a->peers[i], &b->peers[i]))
			return false;
	return true;
}

int
vrrp_configs_check(const struct vrrp_instance_config *cfgs, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		if (vrrp_instance_config_check(&cfgs[i], NULL, NULL) < 0)
			rc = -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(cfgs[i].name, cfgs[j].name) == 0) {
				log_warnx("vrrp %s: duplicate instance name",
				    cfgs[i].name);
				rc = -1;
			}
	}
	return rc;
}

/* Reload of one kept instance: new settings, same state and socket. */
static void
inst_update(struct vrrp_inst *in, const struct vrrp_instance_config *cfg,
    uint64_t now)
{
	struct vrrp_instance_config nc, old;

	vrrp_config_copy(&nc, cfg);
	if (in->timer != NULL)
		vip_set_update(&in->vips, nc.vips, nc.nvips, in->cfg.ifname,
		    nc.garp_count, nc.garp_delay_ms);
	old = in->cfg;
	in->cfg = nc;		/* same storage: fsm and vip_set still point here */
	vrrp_config_fini(&old);
	if (in->timer != NULL)
		vrrp_inst_links(in, now);
	else
		vrrp_fsm_set_priority(&in->fsm, in->cfg.priority);
	log_info("vrrp %s: reconfigured, still %s", in->cfg.name,
	    vrrp_state_name(in->fsm.state));
}

static void
free_next(struct vrrp *v)
{
	for (size_t i = 0; i < v->nnext; i++)
		vrrp_config_fini(&v->next[i]);
	free(v->next);
	v->next = NULL;
	v->nnext = 0;
}

void
vrrp_reconfigure_abort(struct vrrp *v)
{
	struct vrrp_inst *in;

	while ((in = TAILQ_FIRST(&v->pending)) != NULL) {
		TAILQ_REMOVE(&v->pending, in, entry);
		if (v->started) {
			vip_set_fini(&in->vips);
			vrrp_inst_close(in);
		}
		vrrp_inst_free(in);
	}
	free_next(v);
}

/* The new config of instance in, or NULL if the reload drops it. */
static const struct vrrp_instance_config *
next_of(const struct vrrp *v, const struct vrrp_inst *in)
{
	for (size_t i = 0; i < v->nnext; i++)
		if (strcmp(v->next[i].name, in->cfg.name) == 0)
			return &v->next[i];
	return NULL;
}

/* A kept instance keeps its source address: the new routers must
 * include it (the other directors drop adverts from anything else). */
static int
kept_self_heard(const struct vrrp_inst *in, const struct vrrp_instance_config *c,
    char *why, size_t whylen)
{
	char a[LVS_ADDRSTRLEN];
	if (in->fd < 0 || c->npeers > 0 || vrrp_fsm_hears(c, &in->self))
		return 0;
	snprintf(why, whylen, "vrrp %s: its adverts come from %s, which the "
	    "new lvs.cf does not name (primary, backup, *_private, peers): the "
	    "other directors would drop them", c->name,
	    addr_fmt(&in->self, a));
	return -1;
}

int
vrrp_reconfigure_prepare(struct vrrp *v,
    const struct vrrp_instance_config *cfgs, size_t n, char *why,
    size_t whylen)
{
	vrrp_reconfigure_abort(v);
	if (vrrp_configs_check(cfgs, n) < 0) {
		snprintf(why, whylen, "invalid VRRP settings (see the log)");
		return -1;
	}
	v->next = xcalloc(n > 0 ? n : 1, sizeof(*v->next));
	for (v->nnext = 0; v->nnext < n; v->nnext++)
		vrrp_config_copy(&v->next[v->nnext], &cfgs[v->nnext]);
	for (size_t i = 0; i < n; i++) {
		struct vrrp_inst *in = vrrp_inst_find(v, cfgs[i].name);
		if (in != NULL && vrrp_config_same_wire(&in->cfg, &cfgs[i])) {
			/* kept: new settings on commit */
			if (kept_self_heard(in, &cfgs[i], why, whylen) < 0) {
				vrrp_reconfigure_abort(v);
				return -1;
			}
			continue;
		}
		if (v->started && vrrp_probe(&cfgs[i], why, whylen) < 0) {
			vrrp_reconfigure_abort(v);
			return -1;
		}
		in = vrrp_inst_new(v, &cfgs[i]);
		TAILQ_INSERT_TAIL(&v->pending, in, entry);
		/* no stale cleanup: another instance may own them */
		if (v->started && vrrp_inst_prepare(in, false) < 0) {
			snprintf(why, whylen, "vrrp %s: cannot open on %s (see "
			    "the log)", cfgs[i].name, cfgs[i].ifname);
			vrrp_reconfigure_abort(v);
			return -1;
		}
		if (in->io != NULL)	/* silent until the commit starts it */
			sd_event_source_set_enabled(in->io, SD_EVENT_OFF);
	}
	return 0;
}

void
vrrp_reconfigure_commit(struct vrrp *v)
{
	struct vrrp_inst *in, *tmp;
	uint64_t now = vrrp_now(v->ev);

	/* Gone, or a new identity on the wire: stop (priority 0) and free. */
	for (in = TAILQ_FIRST(&v->insts); in != NULL; in = tmp) {
		tmp = TAILQ_NEXT(in, entry);
		const struct vrrp_instance_config *c = next_of(v, in);
		if (c != NULL && vrrp_config_same_wire(&in->cfg, c)) {
			inst_update(in, c, now);
			continue;
		}
		if (v->started)
			vrrp_inst_stop(in);
		TAILQ_REMOVE(&v->insts, in, entry);
		vrrp_inst_free(in);
	}
	while ((in = TAILQ_FIRST(&v->pending)) != NULL) {
		TAILQ_REMOVE(&v->pending, in, entry);
		TAILQ_INSERT_TAIL(&v->insts, in, entry);
		if (!v->started)
			continue;
		sd_event_source_set_enabled(in->io, SD_EVENT_ON);
		vrrp_inst_start(in, now);
	}
	free_next(v);
	if (v->started)
		vrrp_query_sync(v);
}

int
vrrp_reconfigure(struct vrrp *v, const struct vrrp_instance_config *cfgs,
    size_t n)
{
	char why[160];

	if (vrrp_reconfigure_prepare(v, cfgs, n, why, sizeof(why)) < 0) {
		log_warnx("vrrp: reload not applied: %s", why);
		return -1;
	}
	vrrp_reconfigure_commit(v);
	return 0;
}
