/*
 * The daemon's side of the ARP watch (healthcheck/arpwatch.h): one
 * watcher per interface that reaches direct-routing real servers, asking
 * for the VIPs of their services.  A real server that answers is named
 * in a warning (again every ten minutes while it goes on), and its return
 * to silence is logged.  What was reported survives reloads; the
 * watchers themselves restart with each new configuration.
 */
#include "config.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/lvsd.h"
#include "healthcheck/arpwatch.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define FIRST_MS 1000
#define INTERVAL_MS 10000
#define WINDOW_MS 1000
#define REWARN_US (600ULL * 1000000)

struct aw_if {
	char ifname[IFNAMSIZ];
	struct lvs_addr *vips, *servers;
	size_t nvips, nservers;
	struct hc_arpwatch *w;
};

/* A real server seen answering for a VIP, until a round finds it quiet. */
struct aw_seen {
	char ifname[IFNAMSIZ];
	struct lvs_addr vip, server;
	uint64_t warned;		/* CLOCK_MONOTONIC µs */
	bool still;			/* answered in this round */
};

struct lvsd_arpwatch {
	struct lvsd *d;
	struct aw_if *ifs;
	size_t nifs;
	struct aw_seen *seen;
	size_t nseen;
};

static void
push_unique(struct lvs_addr **v, size_t *n, const struct lvs_addr *a)
{
	for (size_t i = 0; i < *n; i++)
		if (addr_eq(&(*v)[i], a))
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = *a;
}

/* The interface whose own prefix holds a (a DR real server is on-link). */
static bool
onlink_ifname(const struct ifaddrs *list, const struct lvs_addr *a,
    char ifname[IFNAMSIZ])
{
	for (const struct ifaddrs *i = list; i != NULL; i = i->ifa_next) {
		struct lvs_addr net = { 0 }, mask = { 0 };
		unsigned plen = 0;

		if (i->ifa_addr == NULL || i->ifa_netmask == NULL ||
		    i->ifa_addr->sa_family != a->af || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		net.af = mask.af = a->af;
		if (a->af == AF_INET) {
			net.u.v4 = ((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr;
			mask.u.v4 = ((const struct sockaddr_in *)(const void *)i->ifa_netmask)->sin_addr;
		} else {
			net.u.v6 = ((const struct sockaddr_in6 *)(const void *)i->ifa_addr)->sin6_addr;
			mask.u.v6 = ((const struct sockaddr_in6 *)(const void *)i->ifa_netmask)->sin6_addr;
		}
		for (size_t b = 0; b < addr_len(&mask); b++)
			plen += (unsigned)__builtin_popcount(((uint8_t *)&mask.u)[b]);
		if (plen < addr_max_prefix(a->af) && addr_in_prefix(a, &net, plen)) {
			snprintf(ifname, IFNAMSIZ, "%s", i->ifa_name);
			return true;
		}
	}
	return false;
}

static struct aw_if *
if_slot(struct lvsd_arpwatch *aw, const char *ifname)
{
	for (size_t i = 0; i < aw->nifs; i++)
		if (strcmp(aw->ifs[i].ifname, ifname) == 0)
			return &aw->ifs[i];
	aw->ifs = xrealloc(aw->ifs, (aw->nifs + 1) * sizeof(*aw->ifs));
	struct aw_if *f = &aw->ifs[aw->nifs++];
	memset(f, 0, sizeof(*f));
	snprintf(f->ifname, sizeof(f->ifname), "%s", ifname);
	return f;
}

/*
 * Groups the active direct-routing services' VIPs and servers by
 * interface.  The local addresses are listed only once a direct-routing
 * server needs them: a director with 10,000 VIPs and none spends 40 ms
 * of the kernel's time on that list (at each reload).
 */
static void
collect(struct lvsd_arpwatch *aw, const struct cfg *cfg)
{
	struct ifaddrs *list = NULL;
	struct cfg_virtual *v;
	struct cfg_server *s;

	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		if (!v->active || v->address.addr.af == AF_UNSPEC)
			continue;
		TAILQ_FOREACH(s, &v->servers, entry) {
			char ifname[IFNAMSIZ];
			if (s->network != CFG_FWD_DIRECT ||
			    s->address.af != v->address.addr.af)
				continue;
			if (list == NULL && getifaddrs(&list) < 0) {
				log_warn("arp watch: cannot list the local "
				    "addresses");
				return;
			}
			if (!onlink_ifname(list, &s->address, ifname))
				continue;
			struct aw_if *f = if_slot(aw, ifname);
			push_unique(&f->vips, &f->nvips, &v->address.addr);
			push_unique(&f->servers, &f->nservers, &s->address);
		}
	}
	if (list != NULL)
		freeifaddrs(list);
}

/*
 * "web/rs1, mail/rs1": the DR servers at addr in the services of vip (or,
 * when the host answers for a VIP it does not serve, in any service).
 */
static char *
server_names(const struct cfg *cfg, const struct lvs_addr *vip,
    const struct lvs_addr *addr)
{
	char *names = NULL;
	struct cfg_virtual *v;
	struct cfg_server *s;

	TAILQ_FOREACH(v, &cfg->virtuals, entry) {
		if (vip != NULL && !addr_eq(&v->address.addr, vip))
			continue;
		TAILQ_FOREACH(s, &v->servers, entry) {
			if (s->network != CFG_FWD_DIRECT || !addr_eq(&s->address, addr))
				continue;
			char *n = xasprintf("%s%s%s/%s", names ? names : "",
			    names ? ", " : "", v->name, s->name);
			free(names);
			names = n;
		}
	}
	if (names == NULL && vip != NULL)
		return server_names(cfg, NULL, addr);
	return names != NULL ? names : xstrdup("a real server");
}

static struct aw_seen *
find_seen(struct lvsd_arpwatch *aw, const char *ifname,
    const struct lvs_addr *vip, const struct lvs_addr *server)
{
	for (size_t i = 0; i < aw->nseen; i++) {
		struct aw_seen *e = &aw->seen[i];
		if (strcmp(e->ifname, ifname) == 0 && addr_eq(&e->vip, vip) &&
		    addr_eq(&e->server, server))
			return e;
	}
	return NULL;
}

static void
report(struct lvsd_arpwatch *aw, const char *ifname,
    const struct hc_arpwatch_answer *a, const struct lvs_addr *server,
    uint64_t now)
{
	char vb[LVS_ADDRSTRLEN], sb[LVS_ADDRSTRLEN], mb[HC_MACSTRLEN];
	struct aw_seen *e = find_seen(aw, ifname, &a->vip, server);

	if (e == NULL) {
		aw->seen = xrealloc(aw->seen, (aw->nseen + 1) * sizeof(*aw->seen));
		e = &aw->seen[aw->nseen++];
		memset(e, 0, sizeof(*e));
		snprintf(e->ifname, sizeof(e->ifname), "%s", ifname);
		e->vip = a->vip;
		e->server = *server;
	} else if (now - e->warned < REWARN_US) {
		e->still = true;
		return;
	}
	e->still = true;
	e->warned = now;
	char *names = server_names(aw->d->cfg, &a->vip, server);
	log_warnx("%s (%s, MAC %s) answers %s for VIP %s: it will steal "
	    "traffic; run lvs-realserver on it", names, addr_fmt(server, sb),
	    hc_mac_fmt(a->mac, mb), a->vip.af == AF_INET ? "ARP" :
	    "neighbour solicitations", addr_fmt(&a->vip, vb));
	free(names);
}

static void
on_round(void *arg, const char *ifname, const struct hc_arpwatch_answer *a,
    size_t n)
{
	struct lvsd_arpwatch *aw = arg;
	struct aw_if *f = NULL;
	uint64_t now;
	char vb[LVS_ADDRSTRLEN], sb[LVS_ADDRSTRLEN], mb[HC_MACSTRLEN];

	sd_event_now(aw->d->event, CLOCK_MONOTONIC, &now);
	for (size_t i = 0; i < aw->nifs && f == NULL; i++)
		if (strcmp(aw->ifs[i].ifname, ifname) == 0)
			f = &aw->ifs[i];
	for (size_t i = 0; i < aw->nseen; i++)
		if (strcmp(aw->seen[i].ifname, ifname) == 0)
			aw->seen[i].still = false;
	for (size_t i = 0; f != NULL && i < n; i++) {
		if (a[i].server >= 0 && (size_t)a[i].server < f->nservers)
			report(aw, ifname, &a[i], &f->servers[a[i].server], now);
		else
			log_debug("arp watch %s: VIP %s answered by %s, not a "
			    "real server (the other director?)", ifname,
			    addr_fmt(&a[i].vip, vb), a[i].has_mac ?
			    hc_mac_fmt(a[i].mac, mb) : "a host without MAC");
	}
	/* Quiet again: said once, then forgotten. */
	for (size_t i = 0; i < aw->nseen;) {
		struct aw_seen *e = &aw->seen[i];
		if (strcmp(e->ifname, ifname) != 0 || e->still) {
			i++;
			continue;
		}
		char *names = server_names(aw->d->cfg, &e->vip, &e->server);
		log_info("%s (%s) no longer answers %s for VIP %s", names,
		    addr_fmt(&e->server, sb), e->vip.af == AF_INET ? "ARP" :
		    "neighbour solicitations", addr_fmt(&e->vip, vb));
		free(names);
		*e = aw->seen[--aw->nseen];
	}
}

static void
stop_watchers(struct lvsd_arpwatch *aw)
{
	for (size_t i = 0; i < aw->nifs; i++) {
		hc_arpwatch_free(aw->ifs[i].w);
		free(aw->ifs[i].vips);
		free(aw->ifs[i].servers);
	}
	free(aw->ifs);
	aw->ifs = NULL;
	aw->nifs = 0;
}

/* The directors' own addresses: when master, the other one holds the VIPs. */
static size_t
directors(const struct cfg *cfg, struct lvs_addr out[4])
{
	const struct lvs_addr *a[] = { &cfg->global.primary,
	    &cfg->global.primary_private, &cfg->global.backup,
	    &cfg->global.backup_private };
	size_t n = 0;

	for (size_t i = 0; i < 4; i++)
		if (a[i]->af != AF_UNSPEC)
			out[n++] = *a[i];
	return n;
}

static void
start_watchers(struct lvsd_arpwatch *aw)
{
	struct lvs_addr known[4];
	size_t nknown = directors(aw->d->cfg, known);

	collect(aw, aw->d->cfg);
	for (size_t i = 0; i < aw->nifs; i++) {
		struct aw_if *f = &aw->ifs[i];
		struct hc_arpwatch_params p = {
			.ifname = f->ifname, .vips = f->vips, .nvips = f->nvips,
			.servers = f->servers, .nservers = f->nservers,
			.known = known, .nknown = nknown, .first_ms = FIRST_MS,
			.interval_ms = INTERVAL_MS, .window_ms = WINDOW_MS,
			.done = on_round, .arg = aw,
		};
		char why[256];

		f->w = hc_arpwatch_new(aw->d->event, &p, why, sizeof(why));
		if (f->w == NULL)
			log_warnx("%s: direct-routing real servers on %s are "
			    "not watched for ARP answers", why, f->ifname);
		else
			log_debug("arp watch %s: %zu VIP%s, %zu direct-routing "
			    "real server%s", f->ifname, f->nvips,
			    f->nvips == 1 ? "" : "s", f->nservers,
			    f->nservers == 1 ? "" : "s");
	}
}

void
lvsd_arpwatch_start(struct lvsd *d)
{
	if (d->arpwatch == NULL) {
		d->arpwatch = xcalloc(1, sizeof(*d->arpwatch));
		d->arpwatch->d = d;
	}
	stop_watchers(d->arpwatch);
	start_watchers(d->arpwatch);
}

void
lvsd_arpwatch_stop(struct lvsd *d)
{
	if (d->arpwatch == NULL)
		return;
	stop_watchers(d->arpwatch);
	free(d->arpwatch->seen);
	free(d->arpwatch);
	d->arpwatch = NULL;
}
