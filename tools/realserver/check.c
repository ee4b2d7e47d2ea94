/*
 * Is each item of a plan in place, and what is wrong on the host now
 * (`lvs-realserver show`).  Reads only the snapshot (struct rs_host).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tools/realserver/rs.h"

const char *
rs_sysctl_name(const char *key, char *buf, size_t len)
{
	size_t o = 0;

	/* sysctl(8): components joined by dots; a dot inside one is a slash. */
	for (const char *k = key; *k != '\0' && o + 1 < len; k++)
		buf[o++] = *k == '/' ? '.' : *k == '.' ? '/' : *k;
	buf[o] = '\0';
	return buf;
}

const char *
rs_item_fmt(const struct rs_item *it, char *buf, size_t len)
{
	char ab[LVS_ADDRSTRLEN], nb[160];

	switch (it->kind) {
	case RS_LINK:
		snprintf(buf, len, "%s (%s) up", it->ifname, it->link_kind);
		break;
	case RS_FOU:
		snprintf(buf, len, "GUE listener on UDP port %u (IPv%c)", it->port,
		    it->af == AF_INET ? '4' : '6');
		break;
	case RS_SYSCTL:
		snprintf(buf, len, "%s = %s", rs_sysctl_name(it->key, nb,
		    sizeof(nb)), it->value);
		break;
	case RS_ADDR:
		snprintf(buf, len, "%s/%u on %s", addr_fmt(&it->addr, ab),
		    it->plen, it->ifname);
		break;
	}
	return buf;
}

/* The value of a sysctl as one digit, or -1 (absent, or not a digit). */
static int
sysctl_digit(const struct rs_host *h, const char *key)
{
	char v[32];

	if (h->sysctl_get(h->sysctl_ctx, key, v, sizeof(v)) < 0 ||
	    v[0] < '0' || v[0] > '9' || (v[1] != '\0' && v[1] != '\n'))
		return -1;
	return v[0] - '0';
}

/* conf/all's key beside a per-device one. */
static void
all_key(const char *key, char *out, size_t len)
{
	const char *last = strrchr(key, '/');

	snprintf(out, len, "net/ipv4/conf/all%s", last != NULL ? last : "");
}

/* The value the kernel acts on: the larger of conf/all and the device's. */
static int
effective(const struct rs_host *h, const char *key)
{
	char ak[160];
	int own = sysctl_digit(h, key), all;

	all_key(key, ak, sizeof(ak));
	all = sysctl_digit(h, ak);
	return own > all ? own : all;
}

static bool
sysctl_done(const struct rs_item *it, const struct rs_host *h, char *now,
    size_t nowlen)
{
	char v[32];
	int d;

	if (h->sysctl_get(h->sysctl_ctx, it->key, v, sizeof(v)) < 0) {
		snprintf(now, nowlen, "absent: no such interface yet");
		return false;
	}
	v[strcspn(v, "\n")] = '\0';
	d = it->with_all ? effective(h, it->key) : sysctl_digit(h, it->key);
	if (d >= 0 && strchr(it->accept, '0' + d) != NULL)
		return true;
	if (it->with_all && d >= 0 && sysctl_digit(h, it->key) != d)
		snprintf(now, nowlen, "now %s, %d with conf/all", v, d);
	else
		snprintf(now, nowlen, "now %s", v);
	return false;
}

bool
rs_item_done(const struct rs_item *it, const struct rs_host *h, char *now,
    size_t nowlen)
{
	const struct rs_link *l;

	*now = '\0';
	switch (it->kind) {
	case RS_LINK:
		l = rs_host_link(h, it->ifname);
		if (l != NULL && l->up)
			return true;
		snprintf(now, nowlen, l == NULL ? "missing: loads the %s module" :
		    "down", it->link_kind);
		return false;
	case RS_FOU:
		for (size_t i = 0; i < h->nfous; i++)
			if (h->fous[i].port == it->port && h->fous[i].af == it->af)
				return true;
		snprintf(now, nowlen, "no listener");
		return false;
	case RS_SYSCTL:
		return sysctl_done(it, h, now, nowlen);
	case RS_ADDR:
		for (size_t i = 0; i < h->naddrs; i++)
			if (addr_eq(&h->addrs[i].addr, &it->addr) &&
			    h->addrs[i].plen == it->plen &&
			    strcmp(h->addrs[i].ifname, it->ifname) == 0)
				return true;
		snprintf(now, nowlen, "missing");
		return false;
	}
	return false;
}

/* The VIP is held and some interface still answers ARP for it. */
static size_t
diagnose_arp(const struct rs_plan *p, const struct rs_host *h,
    const struct rs_vip *v, FILE *out)
{
	char ab[LVS_ADDRSTRLEN], key[160];
	size_t n = 0;

	for (size_t i = 0; i < p->nifaces; i++) {
		snprintf(key, sizeof(key), "net/ipv4/conf/%s/arp_ignore",
		    p->ifaces[i]);
		int d = effective(h, key);
		if (d == 1 || d == 2)
			continue;
		fprintf(out, "now: this host answers ARP for %s on %s "
		    "(arp_ignore %d): it draws the VIP's traffic away from the "
		    "director\n", addr_fmt(&v->vip, ab), p->ifaces[i], d);
		n++;
	}
	return n;
}

static bool
has_ipv4(const struct rs_host *h, const char *ifname)
{
	for (size_t i = 0; i < h->naddrs; i++)
		if (h->addrs[i].addr.af == AF_INET &&
		    strcmp(h->addrs[i].ifname, ifname) == 0)
			return true;
	return false;
}

static size_t
diagnose_tunnel(const struct rs_host *h, const struct rs_vip *v, FILE *out)
{
	const char *dev, *kind;
	char ab[LVS_ADDRSTRLEN], key[160];
	const struct rs_link *l;
	size_t n = 0;

	if (rs_tun_device(v->tun, v->outer, v->vip.af, &dev, &kind) < 0)
		return 0;
	addr_fmt(&v->vip, ab);
	l = rs_host_link(h, dev);
	if (l == NULL || !l->up) {
		fprintf(out, "now: %s is %s: tunnelled packets for %s are "
		    "dropped\n", dev, l == NULL ? "missing" : "down", ab);
		n++;
	}
	if (v->tun == RS_TUN_GUE) {
		bool found = false;
		for (size_t i = 0; i < h->nfous; i++)
			found |= h->fous[i].port == v->gue_port &&
			    h->fous[i].af == v->outer;
		if (!found) {
			fprintf(out, "now: nothing listens for GUE on UDP port "
			    "%u: GUE packets for %s are refused\n", v->gue_port, ab);
			n++;
		}
	}
	snprintf(key, sizeof(key), "net/ipv4/conf/%s/rp_filter", dev);
	int rpf = v->vip.af == AF_INET && l != NULL ? effective(h, key) : 0;
	if (rpf == 1) {
		fprintf(out, "now: strict rp_filter on %s drops the unwrapped "
		    "packets for %s\n", dev, ab);
		n++;
	} else if (rpf == 2 && !has_ipv4(h, dev)) {
		fprintf(out, "now: rp_filter on %s drops the unwrapped packets "
		    "for %s: the device has no IPv4 address\n", dev, ab);
		n++;
	}
	return n;
}

size_t
rs_diagnose(const struct rs_plan *p, const struct rs_host *h, FILE *out)
{
	char ab[LVS_ADDRSTRLEN];
	size_t n = 0;

	for (size_t i = 0; i < p->nvips; i++) {
		const struct rs_vip *v = &p->vips[i];
		if (!rs_host_has(h, &v->vip, NULL)) {
			fprintf(out, "now: %s is not on this host: the packets "
			    "the director sends here for it are dropped\n",
			    addr_fmt(&v->vip, ab));
			n++;
		} else if (v->vip.af == AF_INET) {
			n += diagnose_arp(p, h, v, out);
		}
		if (v->mode == RS_TUN)
			n += diagnose_tunnel(h, v, out);
	}
	return n;
}
