/*
 * A lone director (piranha's backup_active = 0): it holds its virtual
 * addresses for as long as it runs, with no protocol at all — the same
 * adding, labelling and announcing as a VRRP master, without adverts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "vrrp/vip.h"
#include "vrrp/vrrp.h"

struct vrrp_hold {
	struct vip_ctx ctx;
	struct vip_set set;
	struct vrrp_vip *vips;
	char ifname[2][IFNAMSIZ];	/* the set's, and the next one's */
	int cur;
};

struct vrrp_hold *
vrrp_hold_new(sd_event *ev, const struct vrrp_vip *vips, size_t nvips,
    const char *ifname, unsigned garp_count, unsigned garp_delay_ms)
{
	struct vrrp_hold *h = xcalloc(1, sizeof(*h));
	if (vip_ctx_init(&h->ctx, ev) < 0) {
		free(h);
		return NULL;
	}
	h->vips = xcalloc(nvips ? nvips : 1, sizeof(*vips));
	memcpy(h->vips, vips, nvips * sizeof(*vips));
	snprintf(h->ifname[0], IFNAMSIZ, "%s", ifname ? ifname : "");
	vip_set_init(&h->set, &h->ctx, "director", h->vips, nvips, h->ifname[0],
	    garp_count, garp_delay_ms);
	return h;
}

void
vrrp_hold_update(struct vrrp_hold *h, const struct vrrp_vip *vips,
    size_t nvips, const char *ifname)
{
	struct vrrp_vip *old = h->vips;
	int next = !h->cur;

	h->vips = xcalloc(nvips ? nvips : 1, sizeof(*vips));
	memcpy(h->vips, vips, nvips * sizeof(*vips));
	snprintf(h->ifname[next], IFNAMSIZ, "%s", ifname ? ifname : "");
	vip_set_update(&h->set, h->vips, nvips, h->ifname[next], h->set.count,
	    h->set.delay_ms);
	h->cur = next;
	free(old);
}

int
vrrp_hold_take(struct vrrp_hold *h)
{
	int r = vip_set_take(&h->set);
	vip_set_announce(&h->set);
	return r;
}

void
vrrp_hold_free(struct vrrp_hold *h)
{
	if (h == NULL)
		return;
	vip_set_release(&h->set);
	vip_set_fini(&h->set);
	vip_ctx_fini(&h->ctx);
	free(h->vips);
	free(h);
}
