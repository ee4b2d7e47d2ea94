/*
 * Events: an array ordered by sequence number, trimmed to the last hour
 * and HIST_EVENTS.  Samples: per real server a ring of HIST_SLOTS slots
 * on a global grid of HIST_STEP_MS (slot = time / step), NaN where
 * nothing was seen; a slot keeps the last sample taken in it.
 */
#include "config.h"

#include <json-c/json.h>
#include <json-c/linkhash.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "web/history.h"

#define HOUR_MS	(3600 * 1000LL)

enum { S_ACTIVE, S_INACTIVE, S_CPS, S_INBPS, S_OUTBPS, S_N };
static const char *const sample_keys[S_N] = {
	"active_conns", "inactive_conns", "cps", "inbps", "outbps",
};

struct series {
	char *label;			/* "virtual/server": the table's key */
	const char *server;		/* its name within the virtual service */
	int64_t head;			/* newest slot written */
	float v[HIST_SLOTS][S_N];
};

struct vlist {				/* a virtual service's series */
	char *name;			/* the table's key */
	struct series **s;
	size_t n;
};

struct web_history {
	pthread_mutex_t lock;
	struct json_object **ev;	/* ordered by seq */
	size_t nev, cap;
	uint64_t last_seq, lost;
	struct lh_table *by_label;	/* "virtual/server" -> series */
	struct lh_table *by_virtual;	/* name -> vlist */
	unsigned nseries, max_series;
	bool full_logged;
};

static void
free_series(struct lh_entry *e)
{
	struct series *s = lh_entry_v(e);
	free(s->label);
	free(s);
}

static void
free_vlist(struct lh_entry *e)
{
	struct vlist *l = lh_entry_v(e);
	free(l->name);
	free(l->s);
	free(l);
}

struct web_history *
history_new(unsigned max_servers)
{
	struct web_history *h = xcalloc(1, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	h->max_series = max_servers;
	h->by_label = lh_kchar_table_new(1024, free_series);
	h->by_virtual = lh_kchar_table_new(1024, free_vlist);
	if (h->by_label == NULL || h->by_virtual == NULL)
		fatalx("out of memory");
	return h;
}

void
history_free(struct web_history *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->nev; i++)
		json_object_put(h->ev[i]);
	free(h->ev);
	lh_table_free(h->by_label);
	lh_table_free(h->by_virtual);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

static int64_t
get_int(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;
	json_object_object_get_ex(o, k, &v);
	return json_object_get_int64(v);
}

/* Drops events older than an hour, and the oldest beyond HIST_EVENTS. */
static void
trim_events(struct web_history *h, int64_t now_ms)
{
	size_t drop = 0;
	while (drop < h->nev && (h->nev - drop > HIST_EVENTS ||
	    get_int(h->ev[drop], "time_ms") < now_ms - HOUR_MS))
		json_object_put(h->ev[drop++]);
	memmove(h->ev, h->ev + drop, (h->nev - drop) * sizeof(*h->ev));
	h->nev -= drop;
}

void
history_add_events(struct web_history *h, struct json_object *reply,
    int64_t now_ms)
{
	struct json_object *list = NULL;
	json_object_object_get_ex(reply, "events", &list);
	size_t n = json_object_array_length(list);
	pthread_mutex_lock(&h->lock);
	/* A restarted lvsd counts from 1 again: start over with it. */
	if ((uint64_t)get_int(reply, "last_seq") < h->last_seq)
		h->last_seq = 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		uint64_t seq = (uint64_t)get_int(e, "seq");
		if (seq <= h->last_seq)
			continue;
		if (h->nev == h->cap)
			h->ev = xrealloc(h->ev, (h->cap = h->cap ? h->cap * 2 : 256) *
			    sizeof(*h->ev));
		h->ev[h->nev++] = json_object_get(e);
		h->last_seq = seq;
	}
	h->lost += (uint64_t)get_int(reply, "lost");
	trim_events(h, now_ms);
	pthread_mutex_unlock(&h->lock);
}

uint64_t
history_last_seq(struct web_history *h)
{
	pthread_mutex_lock(&h->lock);
	uint64_t s = h->last_seq;
	pthread_mutex_unlock(&h->lock);
	return s;
}

uint64_t
history_lost(struct web_history *h)
{
	pthread_mutex_lock(&h->lock);
	uint64_t s = h->lost;
	pthread_mutex_unlock(&h->lock);
	return s;
}

struct json_object *
history_events_json(struct web_history *h, uint64_t since, int64_t now_ms)
{
	struct json_object *a = json_object_new_array();
	pthread_mutex_lock(&h->lock);
	for (size_t i = 0; i < h->nev; i++)
		if ((uint64_t)get_int(h->ev[i], "seq") > since &&
		    get_int(h->ev[i], "time_ms") >= now_ms - HOUR_MS)
			json_object_array_add(a, json_object_get(h->ev[i]));
	pthread_mutex_unlock(&h->lock);
	return a;
}

/* ---- samples ------------------------------------------------------------ */

static struct series *
series_for(struct web_history *h, const char *vname, const char *sname)
{
	char label[600];
	snprintf(label, sizeof(label), "%s/%s", vname, sname);
	void *found;
	if (lh_table_lookup_ex(h->by_label, label, &found))
		return found;
	if (h->nseries >= h->max_series) {
		if (!h->full_logged)
			log_warnx("history: keeping plots of %u real servers "
			    "only (history_servers)", h->max_series);
		h->full_logged = true;
		return NULL;
	}
	struct series *s = xcalloc(1, sizeof(*s));
	s->label = xstrdup(label);
	s->server = s->label + strlen(vname) + 1;
	s->head = -1;
	for (size_t i = 0; i < HIST_SLOTS; i++)
		for (size_t k = 0; k < S_N; k++)
			s->v[i][k] = NAN;
	lh_table_insert(h->by_label, s->label, s);
	struct vlist *l;
	if (!lh_table_lookup_ex(h->by_virtual, vname, &found)) {
		l = xcalloc(1, sizeof(*l));
		l->name = xstrdup(vname);
		lh_table_insert(h->by_virtual, l->name, l);
	} else
		l = found;
	l->s = xrealloc(l->s, (l->n + 1) * sizeof(*l->s));
	l->s[l->n++] = s;
	h->nseries++;
	return s;
}

static void
series_put(struct series *s, int64_t slot, struct json_object *srv)
{
	if (s->head >= 0 && slot < s->head)
		return;			/* the clock stepped back */
	/* Slots skipped since the last sample have no data. */
	for (int64_t k = s->head + 1; s->head >= 0 && k < slot &&
	    k <= s->head + HIST_SLOTS; k++)
		for (size_t j = 0; j < S_N; j++)
			s->v[k % HIST_SLOTS][j] = NAN;
	for (size_t j = 0; j < S_N; j++) {
		struct json_object *v = NULL;
		s->v[slot % HIST_SLOTS][j] =
		    json_object_object_get_ex(srv, sample_keys[j], &v) &&
		    json_object_is_type(v, json_type_int) ?
		    (float)json_object_get_int64(v) : NAN;
	}
	s->head = slot;
}

void
history_add_samples(struct web_history *h, struct json_object *show,
    int64_t now_ms)
{
	int64_t slot = now_ms / HIST_STEP_MS;
	struct json_object *svcs = NULL;
	json_object_object_get_ex(show, "virtual_services", &svcs);
	size_t n = json_object_array_length(svcs);
	pthread_mutex_lock(&h->lock);
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(svcs, i), *name,
		    *servers;
		json_object_object_get_ex(v, "name", &name);
		json_object_object_get_ex(v, "servers", &servers);
		size_t m = json_object_array_length(servers);
		for (size_t j = 0; j < m; j++) {
			struct json_object *srv = json_object_array_get_idx(servers, j),
			    *sname;
			json_object_object_get_ex(srv, "name", &sname);
			struct series *s = series_for(h, json_object_get_string(name),
			    json_object_get_string(sname));
			if (s != NULL)
				series_put(s, slot, srv);
		}
	}
	pthread_mutex_unlock(&h->lock);
}

static struct json_object *
values_json(const struct series *s, size_t k, int64_t first)
{
	struct json_object *a = json_object_new_array_ext(HIST_SLOTS);
	for (int64_t slot = first; slot < first + HIST_SLOTS; slot++) {
		float v = s->v[slot % HIST_SLOTS][k];
		bool known = s->head >= 0 && slot <= s->head &&
		    slot > s->head - HIST_SLOTS && !isnan(v);
		json_object_array_add(a, known ?
		    json_object_new_int64((int64_t)v) : NULL);
	}
	return a;
}

struct json_object *
history_service_json(struct web_history *h, const char *virtual_name,
    int64_t now_ms)
{
	int64_t first = now_ms / HIST_STEP_MS - HIST_SLOTS + 1;
	void *found;
	pthread_mutex_lock(&h->lock);
	if (!lh_table_lookup_ex(h->by_virtual, virtual_name, &found)) {
		pthread_mutex_unlock(&h->lock);
		return NULL;
	}
	const struct vlist *l = found;
	struct json_object *servers = json_object_new_object();
	for (size_t i = 0; i < l->n; i++) {
		struct json_object *o = json_object_new_object();
		for (size_t k = 0; k < S_N; k++)
			json_object_object_add(o, sample_keys[k],
			    values_json(l->s[i], k, first));
		json_object_object_add(servers, l->s[i]->server, o);
	}
	pthread_mutex_unlock(&h->lock);
	struct json_object *r = json_object_new_object();
	json_object_object_add(r, "virtual", json_object_new_string(virtual_name));
	json_object_object_add(r, "start_ms",
	    json_object_new_int64(first * HIST_STEP_MS));
	json_object_object_add(r, "step_ms", json_object_new_int64(HIST_STEP_MS));
	json_object_object_add(r, "servers", servers);
	return r;
}
