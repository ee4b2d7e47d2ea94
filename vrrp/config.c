#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "vrrp/priv.h"
#include "vrrp/vrrp.h"

static const char *const state_names[] = {
	[VRRP_STATE_INIT] = "INIT",
	[VRRP_STATE_BACKUP] = "BACKUP",
	[VRRP_STATE_MASTER] = "MASTER",
	[VRRP_STATE_FAULT] = "FAULT",
};

static const char *const reason_names[VRRP_REASON_MAX] = {
	[VRRP_REASON_STARTUP] = "startup",
	[VRRP_REASON_OWNER] = "address-owner",
	[VRRP_REASON_MASTER_DOWN] = "master-down",
	[VRRP_REASON_PEER_RELEASED] = "peer-released",
	[VRRP_REASON_PREEMPT] = "preempt",
	[VRRP_REASON_HIGHER_PRIO] = "higher-priority",
	[VRRP_REASON_SHUTDOWN] = "shutdown",
	[VRRP_REASON_DRILL] = "drill",
	[VRRP_REASON_FAULT] = "fault",
	[VRRP_REASON_FAULT_CLEARED] = "fault-cleared",
};

const char *
vrrp_state_name(enum vrrp_state s)
{
	if ((unsigned)s > VRRP_STATE_FAULT)
		return "?";
	return state_names[s];
}

const char *
vrrp_reason_name(enum vrrp_reason r)
{
	if ((unsigned)r >= VRRP_REASON_MAX)
		return "?";
	return reason_names[r];
}

void
vrrp_log_transition(const char *prefix, const char *instance,
    enum vrrp_state old, enum vrrp_state new, enum vrrp_reason why)
{
	log_struct(LOG_INFO, LOG_FIELDS({ "LVSD_INSTANCE", instance },
	    { "LVSD_STATE", vrrp_state_name(new) },
	    { "LVSD_OLD_STATE", vrrp_state_name(old) },
	    { "LVSD_REASON", vrrp_reason_name(why) }), "%s: %s -> %s (%s)",
	    prefix, vrrp_state_name(old), vrrp_state_name(new),
	    vrrp_reason_name(why));
}

void
vrrp_instance_config_init(struct vrrp_instance_config *c)
{
	memset(c, 0, sizeof(*c));
	c->version = 3;
	c->af = AF_INET;
	c->priority = 100;
	c->advert_cs = 100;
	c->preempt = true;
	c->garp_count = 5;
	c->garp_delay_ms = 200;
}

static int
check_vips(const char *name, sa_family_t af, const char *dev,
    const struct vrrp_vip *v, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i].addr.af != af) {
			log_warnx("vrrp %s: VIP %zu is not of the instance's "
			    "address family", name, i + 1);
			rc = -1;
		} else if (v[i].label[0] != '\0' && (af != AF_INET ||
		    strncmp(v[i].label, v[i].ifname[0] ? v[i].ifname : dev,
		    strlen(v[i].ifname[0] ? v[i].ifname : dev)) != 0)) {
			/* The kernel insists on "dev" or "dev:alias". */
			log_warnx("vrrp %s: VIP %zu: label %s must start with "
			    "its device name (IPv4 only)", name, i + 1,
			    v[i].label);
			rc = -1;
		} else if (v[i].plen > addr_max_prefix(af)) {
			log_warnx("vrrp %s: VIP %zu: prefix length %u too long",
			    name, i + 1, v[i].plen);
			rc = -1;
		}
	}
	return rc;
}

int
vrrp_instance_config_check(const struct vrrp_instance_config *c)
{
	const char *n = c->name;
	int rc = 0;

	if (c->vrid == 0) {
		log_warnx("vrrp %s: vrid must be 1..255", n);
		rc = -1;
	}
	if (c->version != 2 && c->version != 3) {
		log_warnx("vrrp %s: version must be 2 or 3", n);
		rc = -1;
	}
	if (c->af != AF_INET && !(c->af == AF_INET6 && c->version == 3)) {
		log_warnx("vrrp %s: IPv6 needs VRRP version 3", n);
		rc = -1;
	}
	if (c->ifname[0] == '\0') {
		log_warnx("vrrp %s: no interface", n);
		rc = -1;
	}
	if (c->priority == 0) {
		log_warnx("vrrp %s: priority must be 1..255", n);
		rc = -1;
	}
	if (c->handoff_delay_ms > 10000) {
		log_warnx("vrrp %s: handoff_delay %u ms out of range (0..10000)",
		    n, c->handoff_delay_ms);
		rc = -1;
	}
	if (c->advert_cs == 0 || (c->version == 3 && c->advert_cs > 4095) ||
	    (c->version == 2 && (c->advert_cs % 100 != 0 ||
	    c->advert_cs > 25500))) {
		log_warnx("vrrp %s: advert interval %u cs out of range (v3: "
		    "1..4095 cs; v2: whole seconds 1..255)", n, c->advert_cs);
		rc = -1;
	}
	if (c->version == 3 && c->auth_pass[0] != '\0') {
		log_warnx("vrrp %s: VRRPv3 has no authentication", n);
		rc = -1;
	}
	if (c->nvips == 0 || c->nvips > VRRP_MAX_ADDRS) {
		log_warnx("vrrp %s: needs 1..%d virtual addresses", n,
		    VRRP_MAX_ADDRS);
		rc = -1;
	}
	for (size_t i = 0; i < c->npeers; i++)
		if (c->peers[i].af != c->af) {
			log_warnx("vrrp %s: unicast peer %zu is not of the "
			    "instance's address family", n, i + 1);
			rc = -1;
		}
	if (check_vips(n, c->af, c->ifname, c->vips, c->nvips) < 0)
		rc = -1;
	return rc;
}

void
pulse_config_init(struct pulse_config *c)
{
	memset(c, 0, sizeof(*c));
	c->port = PULSE_DEFAULT_PORT;
	c->keepalive_ms = 6000;
	c->deadtime_ms = 18000;
	c->garp_count = 5;
	c->garp_delay_ms = 200;
}

int
pulse_config_check(const struct pulse_config *c)
{
	int rc = 0;

	if (c->partner.af == AF_UNSPEC) {
		log_warnx("pulse: no partner address (primary/backup)");
		rc = -1;
	}
	if (c->keepalive_ms == 0 || c->deadtime_ms <= c->keepalive_ms) {
		log_warnx("pulse: deadtime must be longer than keepalive");
		rc = -1;
	}
	if (c->port == 0) {
		log_warnx("pulse: heartbeat_port must not be 0");
		rc = -1;
	}
	for (size_t i = 0; i < c->nvips; i++)
		if (c->vips[i].addr.af == AF_UNSPEC) {
			log_warnx("pulse: VIP %zu has no address", i + 1);
			rc = -1;
		}
	return rc;
}

static void *
dup_array(const void *p, size_t n, size_t size)
{
	void *q;

	if (n == 0)
		return NULL;
	q = xcalloc(n, size);
	memcpy(q, p, n * size);
	return q;
}

void
vrrp_config_copy(struct vrrp_instance_config *dst,
    const struct vrrp_instance_config *src)
{
	*dst = *src;
	dst->peers = dup_array(src->peers, src->npeers, sizeof(*src->peers));
	dst->vips = dup_array(src->vips, src->nvips, sizeof(*src->vips));
	dst->links = dup_array(src->links, src->nlinks, sizeof(*src->links));
}

void
vrrp_config_fini(struct vrrp_instance_config *c)
{
	free(c->peers);
	free(c->vips);
	free(c->links);
	/* The password is key material: wipe it. */
	explicit_bzero(c->auth_pass, sizeof(c->auth_pass));
	c->peers = NULL;
	c->vips = NULL;
	c->links = NULL;
}

void
pulse_config_copy(struct pulse_config *dst, const struct pulse_config *src)
{
	*dst = *src;
	dst->vips = dup_array(src->vips, src->nvips, sizeof(*src->vips));
	dst->links = dup_array(src->links, src->nlinks, sizeof(*src->links));
}

void
pulse_config_fini(struct pulse_config *c)
{
	free(c->vips);
	free(c->links);
	c->vips = NULL;
	c->links = NULL;
}
