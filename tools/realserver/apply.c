/*
 * apply: makes each missing item of the plan so, in order (devices,
 * listeners, sysctls, and the VIPs last, so no moment has the VIP on lo
 * while the host still answers ARP for it), and records what it changed.
 * undo: reverses the record, newest first.  Both say what they do, one
 * line per change.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/xalloc.h"
#include "tools/realserver/rs.h"

/* mkdir -p of the directory holding path. */
static void
make_parent(const char *path)
{
	char *dir = xstrdup(path);

	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	free(dir);
}

static int
save(const char *path, const struct rs_state *st)
{
	make_parent(path);
	if (rs_state_save(path, st) < 0) {
		fprintf(stderr, "lvs-realserver: cannot write %s: %s: `undo` will "
		    "not know what this run changed\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
apply_link(struct rs_nl *nl, const struct rs_item *it, const struct rs_host *h,
    struct rs_rec *rec, char *why, size_t whylen)
{
	const struct rs_link *l = rs_host_link(h, it->ifname);

	if (l == NULL) {
		if (rs_link_create(nl, it->ifname, it->link_kind, why, whylen) < 0)
			return -1;
		printf("created %s (the %s module's catch-all device)\n",
		    it->ifname, it->link_kind);
	}
	if (rs_link_set_up(nl, it->ifname, true, why, whylen) < 0)
		return -1;
	printf("set %s up\n", it->ifname);
	rec->kind = REC_UP;
	snprintf(rec->ifname, sizeof(rec->ifname), "%s", it->ifname);
	return 0;
}

static int
apply_sysctl(const struct rs_item *it, const struct rs_state *st,
    struct rs_rec *rec, bool *record, char *why, size_t whylen)
{
	char old[32], nb[160];

	if (rs_sysctl_read(it->key, old, sizeof(old)) < 0) {
		snprintf(why, whylen, "cannot read %s: %s", rs_sysctl_name(it->key,
		    nb, sizeof(nb)), errno == ENOENT ?
		    "no such setting (is the interface there?)" : strerror(errno));
		return -1;
	}
	if (rs_sysctl_write(it->key, it->value, why, whylen) < 0)
		return -1;
	printf("set %s = %s (was %s)\n", rs_sysctl_name(it->key, nb, sizeof(nb)),
	    it->value, old);
	/* The first record keeps the value from before lvs-realserver. */
	*record = rs_state_sysctl(st, it->key) == NULL;
	rec->kind = REC_SYSCTL;
	snprintf(rec->key, sizeof(rec->key), "%s", it->key);
	snprintf(rec->old, sizeof(rec->old), "%s", old);
	return 0;
}

/* Makes one item so; 0 (with *record and rec filled), or -1 with why. */
static int
apply_item(struct rs_nl *nl, const struct rs_item *it, const struct rs_host *h,
    const struct rs_state *st, struct rs_rec *rec, bool *record, char *why,
    size_t whylen)
{
	char ab[LVS_ADDRSTRLEN];
	int r;

	*record = true;
	switch (it->kind) {
	case RS_LINK:
		return apply_link(nl, it, h, rec, why, whylen);
	case RS_FOU:
		if ((r = rs_fou_change(it->port, it->af, true, why, whylen)) < 0)
			return -1;
		printf("opened the GUE listener on UDP port %u\n", it->port);
		rec->kind = REC_FOU;
		rec->port = it->port;
		rec->af = it->af;
		*record = r == 0;
		return 0;
	case RS_SYSCTL:
		return apply_sysctl(it, st, rec, record, why, whylen);
	case RS_ADDR:
		if ((r = rs_addr_change(nl, it->ifname, &it->addr, it->plen, true,
		    why, whylen)) < 0)
			return -1;
		printf("added %s/%u to %s\n", addr_fmt(&it->addr, ab), it->plen,
		    it->ifname);
		rec->kind = REC_ADDR;
		snprintf(rec->ifname, sizeof(rec->ifname), "%s", it->ifname);
		rec->addr = it->addr;
		rec->plen = it->plen;
		*record = r == 0;
		return 0;
	}
	return -1;
}

int
rs_apply(struct rs_nl *nl, const struct rs_plan *p, const struct rs_host *h,
    const struct rs_opts *o)
{
	struct rs_state st;
	char why[512], now[128], boot[40];
	unsigned changed = 0, failed = 0, recorded = 0;

	if (rs_state_load(o->state_path, &st, why, sizeof(why)) < 0) {
		fprintf(stderr, "lvs-realserver: %s\n", why);
		return -1;
	}
	rs_boot_id(boot, sizeof(boot));
	for (size_t i = 0; i < p->nitems; i++) {
		const struct rs_item *it = &p->items[i];
		struct rs_rec rec;
		bool record;

		if (rs_item_done(it, h, now, sizeof(now)))
			continue;
		memset(&rec, 0, sizeof(rec));
		snprintf(rec.boot, sizeof(rec.boot), "%s", boot);
		if (apply_item(nl, it, h, &st, &rec, &record, why, sizeof(why)) < 0) {
			fprintf(stderr, "lvs-realserver: error: %s\n", why);
			failed++;
			continue;
		}
		changed++;
		if (record) {
			rs_state_add(&st, &rec);
			recorded++;
		}
	}
	if (recorded > 0 && save(o->state_path, &st) < 0)
		failed++;
	rs_state_free(&st);
	for (size_t i = 0; i < p->nproblems; i++)
		fprintf(stderr, "lvs-realserver: problem: %s\n", p->problems[i]);
	if (failed > 0)
		fprintf(stderr, "lvs-realserver: %u change%s failed\n", failed,
		    failed == 1 ? "" : "s");
	else if (changed > 0)
		printf("lvs-realserver: %u change%s (`lvs-realserver undo` "
		    "reverses them)\n", changed, changed == 1 ? "" : "s");
	else
		printf("lvs-realserver: nothing to change: this host is set up "
		    "for its VIPs\n");
	return failed > 0 || p->nproblems > 0 ? -1 : 0;
}

/* Reverses one record; 0 done (or nothing left to do), -1 with why. */
static int
undo_rec(struct rs_nl *nl, const struct rs_rec *r, char *why, size_t whylen)
{
	char ab[LVS_ADDRSTRLEN], nb[160], cur[32];
	int rc;

	switch (r->kind) {
	case REC_ADDR:
		rc = rs_addr_change(nl, r->ifname, &r->addr, r->plen, false, why,
		    whylen);
		if (rc >= 0)
			printf("%s %s/%u from %s\n", rc == 0 ? "removed" :
			    "already gone:", addr_fmt(&r->addr, ab), r->plen,
			    r->ifname);
		return rc < 0 ? -1 : 0;
	case REC_UP:
		if (rs_link_set_up(nl, r->ifname, false, why, whylen) < 0)
			return -1;
		printf("set %s down (as it was)\n", r->ifname);
		return 0;
	case REC_FOU:
		rc = rs_fou_change(r->port, r->af, false, why, whylen);
		if (rc >= 0)
			printf("closed the GUE listener on UDP port %u\n", r->port);
		return rc < 0 ? -1 : 0;
	case REC_SYSCTL:
		rs_sysctl_name(r->key, nb, sizeof(nb));
		if (rs_sysctl_read(r->key, cur, sizeof(cur)) < 0) {
			printf("%s is gone (with its interface)\n", nb);
			return 0;
		}
		if (strcmp(cur, r->old) == 0)
			return 0;
		if (rs_sysctl_write(r->key, r->old, why, whylen) < 0)
			return -1;
		printf("restored %s = %s (was %s)\n", nb, r->old, cur);
		return 0;
	}
	return -1;
}

int
rs_undo(struct rs_nl *nl, const struct rs_opts *o)
{
	struct rs_state st, keep = { 0 };
	char why[512], boot[40];
	unsigned failed = 0, stale = 0;

	if (rs_state_load(o->state_path, &st, why, sizeof(why)) < 0) {
		fprintf(stderr, "lvs-realserver: %s\n", why);
		return -1;
	}
	rs_boot_id(boot, sizeof(boot));
	for (size_t i = st.nrecs; i-- > 0;) {
		const struct rs_rec *r = &st.recs[i];

		if (r->kind != REC_SYSCTL && strcmp(r->boot, boot) != 0) {
			stale++;	/* gone with the reboot */
			continue;
		}
		if (undo_rec(nl, r, why, sizeof(why)) < 0) {
			fprintf(stderr, "lvs-realserver: error: %s\n", why);
			rs_state_add(&keep, r);
			failed++;
		}
	}
	if (stale > 0)
		printf("%u change%s of an earlier boot already gone\n", stale,
		    stale == 1 ? " was" : "s were");
	/* What failed stays recorded (in apply order) for the next undo. */
	for (size_t i = 0; i < keep.nrecs / 2; i++) {
		struct rs_rec t = keep.recs[i];
		keep.recs[i] = keep.recs[keep.nrecs - 1 - i];
		keep.recs[keep.nrecs - 1 - i] = t;
	}
	if ((st.nrecs > 0 || keep.nrecs > 0) && save(o->state_path, &keep) < 0)
		failed++;
	if (rs_unpersist(o) < 0)
		failed++;
	if (st.nrecs == 0)
		printf("lvs-realserver: nothing recorded to undo (%s)\n",
		    o->state_path);
	else if (failed == 0)
		printf("lvs-realserver: undone: this host is as it was before "
		    "`apply`\n");
	rs_state_free(&st);
	rs_state_free(&keep);
	return failed > 0 ? -1 : 0;
}
