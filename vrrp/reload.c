#include "config.h"

#include <string.h>

#include "lib/log.h"
#include "vrrp/priv.h"

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
