#include "config.h"

#include <stdarg.h>
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
	[VRRP_REASON_RESUMED] = "resumed",
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
	c->query_port = VRRP_QUERY_PORT;
}

/* One problem: to the caller's function, or to the log. */
struct problems {
	const char *who;		/* "vrrp NAME", "pulse" */
	vrrp_problem_fn *fn;
	void *arg;
	int rc;
};

static void __attribute__((format(printf, 3, 4)))
problem(struct problems *p, enum vrrp_field field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->rc = -1;
	if (p->fn != NULL)
		p->fn(p->arg, field, msg);
	else
		log_warnx("%s: %s", p->who, msg);
}

static void
check_vips(struct problems *p, sa_family_t af, const char *dev,
    const struct vrrp_vip *v, size_t n)
{
	char a[LVS_ADDRSTRLEN];

	for (size_t i = 0; i < n; i++) {
		const char *vdev = v[i].ifname[0] ? v[i].ifname : dev;
		if (v[i].addr.af != af)
			problem(p, VRRP_F_VIPS, "virtual address %s is not of "
			    "the instance's address family", addr_fmt(&v[i].addr, a));
		else if (v[i].label[0] != '\0' && (af != AF_INET ||
		    strncmp(v[i].label, vdev, strlen(vdev)) != 0))
			/* The kernel insists on "dev" or "dev:alias". */
			problem(p, VRRP_F_VIPS, "virtual address %s: label %s "
			    "must start with its device name (IPv4 only)",
			    addr_fmt(&v[i].addr, a), v[i].label);
		else if (v[i].plen > addr_max_prefix(af))
			problem(p, VRRP_F_VIPS, "virtual address %s: prefix "
			    "length %u too long", addr_fmt(&v[i].addr, a),
			    v[i].plen);
	}
}

static void
check_advert(struct problems *p, const struct vrrp_instance_config *c)
{
	if (c->advert_cs == 0 || (c->version == 3 && c->advert_cs > 4095) ||
	    (c->version == 2 && (c->advert_cs % 100 != 0 ||
	    c->advert_cs > 25500)))
		problem(p, VRRP_F_ADVERT, "advert interval %u0 ms out of range "
		    "(version 3: 10 ms to 40950 ms in steps of 10 ms; version 2: "
		    "whole seconds, 1 to 255)", c->advert_cs);
}

static void
check_senders(struct problems *p, const struct vrrp_instance_config *c)
{
	char a[LVS_ADDRSTRLEN];
	for (size_t i = 0; i < c->nsenders; i++)
		if (c->senders[i].af != c->af) {
			problem(p, VRRP_F_SENDERS, "router %s is not of the "
			    "instance's address family",
			    addr_fmt(&c->senders[i], a));
			return;
		}
	if (c->npeers == 0 && !c->any_sender && c->nsenders == 0)
		problem(p, VRRP_F_SENDERS, "names no router to hear adverts "
		    "from, and does not accept any sender");
}

int
vrrp_instance_config_check(const struct vrrp_instance_config *c,
    vrrp_problem_fn *fn, void *arg)
{
	char who[VRRP_NAME_MAX + 8];
	snprintf(who, sizeof(who), "vrrp %s", c->name);
	struct problems p = { who, fn, arg, 0 };

	if (c->name[0] == '\0')
		problem(&p, VRRP_F_NAME, "an instance needs a name");
	if (c->vrid == 0)
		problem(&p, VRRP_F_VRID, "vrid must be 1 to 255");
	if (c->version != 2 && c->version != 3)
		problem(&p, VRRP_F_VERSION, "version must be 2 or 3");
	if (c->af != AF_INET && !(c->af == AF_INET6 && c->version == 3))
		problem(&p, VRRP_F_FAMILY, "IPv6 needs VRRP version 3");
	if (c->ifname[0] == '\0')
		problem(&p, VRRP_F_INTERFACE, "no interface");
	if (c->priority == 0)
		problem(&p, VRRP_F_PRIORITY, "priority must be 1 to 255");
	if (c->handoff_delay_ms > 10000)
		problem(&p, VRRP_F_HANDOFF, "handoff_delay %u ms out of range "
		    "(0 to 10000 ms)", c->handoff_delay_ms);
	check_advert(&p, c);
	if (c->version == 3 && c->auth_pass[0] != '\0')
		problem(&p, VRRP_F_AUTH, "VRRP version 3 has no authentication");
	/* An IPv6 advert names the link-local address first. */
	size_t max = c->af == AF_INET6 && c->link_local.af == AF_UNSPEC ?
	    VRRP_MAX_ADDRS - 1 : VRRP_MAX_ADDRS;
	if (c->nvips == 0)
		problem(&p, VRRP_F_VIPS, "holds no virtual address: an instance "
		    "advertises the addresses it moves");
	else if (c->nvips > max)
		problem(&p, VRRP_F_VIPS, "holds %zu virtual addresses; an "
		    "advertisement carries at most %zu: split them over more "
		    "instances", c->nvips, max);
	if (c->link_local.af != AF_UNSPEC && (c->af != AF_INET6 ||
	    c->link_local.af != AF_INET6 ||
	    !IN6_IS_ADDR_LINKLOCAL(&c->link_local.u.v6)))
		problem(&p, VRRP_F_LINK_LOCAL, "link_local must be an IPv6 "
		    "link-local address (fe80::/10) of an IPv6 instance");
	for (size_t i = 0; i < c->npeers; i++)
		if (c->peers[i].af != c->af)
			problem(&p, VRRP_F_PEERS, "unicast peer %zu is not of the "
			    "instance's address family", i + 1);
	check_senders(&p, c);
	check_vips(&p, c->af, c->ifname, c->vips, c->nvips);
	return p.rc;
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
pulse_config_check(const struct pulse_config *c, vrrp_problem_fn *fn,
    void *arg)
{
	struct problems p = { "pulse", fn, arg, 0 };

	if (c->partner.af == AF_UNSPEC)
		problem(&p, VRRP_F_PARTNER, "no partner address (the other of "
		    "primary and backup)");
	if (c->keepalive_ms == 0)
		problem(&p, VRRP_F_KEEPALIVE, "keepalive must not be 0");
	else if (c->deadtime_ms <= c->keepalive_ms)
		problem(&p, VRRP_F_DEADTIME, "deadtime must be longer than "
		    "keepalive");
	if (c->port == 0)
		problem(&p, VRRP_F_PORT, "heartbeat_port must not be 0");
	char a[LVS_ADDRSTRLEN];
	for (size_t i = 0; i < c->nvips; i++)
		if (c->vips[i].addr.af == AF_UNSPEC)
			problem(&p, VRRP_F_VIPS, "virtual address %zu has no "
			    "address", i + 1);
		else if (c->vips[i].plen > addr_max_prefix(c->vips[i].addr.af))
			problem(&p, VRRP_F_VIPS, "virtual address %s: prefix "
			    "length %u too long", addr_fmt(&c->vips[i].addr, a),
			    c->vips[i].plen);
	return p.rc;
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
	dst->senders = dup_array(src->senders, src->nsenders,
	    sizeof(*src->senders));
	dst->vips = dup_array(src->vips, src->nvips, sizeof(*src->vips));
	dst->links = dup_array(src->links, src->nlinks, sizeof(*src->links));
}

void
vrrp_config_fini(struct vrrp_instance_config *c)
{
	free(c->peers);
	free(c->senders);
	free(c->vips);
	free(c->links);
	/* The password is key material: wipe it. */
	explicit_bzero(c->auth_pass, sizeof(c->auth_pass));
	c->peers = NULL;
	c->senders = NULL;
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
