/*
 * lvsd-web's cache: what the poller learnt from lvsd, and the immutable
 * snapshot HTTP requests are served from.  The poller validates each
 * reply (web/schema.c), keeps the last good ones, and publishes a new
 * snapshot after every poll: the /metrics text and the JSON documents,
 * rendered once, shared by reference count with the responses still
 * being sent.  No HTTP request ever reaches lvsd for reading.
 */
#ifndef LVSD_WEB_SNAPSHOT_H
#define LVSD_WEB_SNAPSHOT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;
struct web_history;

/* One document: its text, and the same gzipped (NULL if that failed). */
struct doc {
	char *text, *gz;
	size_t len, gzlen;
};

enum doc_kind { DOC_METRICS, DOC_STATE, DOC_STATUS, DOC_SHOW, DOC_MAX };

struct snapshot {
	int refs;			/* atomic */
	struct doc doc[DOC_MAX];	/* Prometheus text; the page's JSON
					   (/api/v1/state); lvsd's replies */
	int64_t built_ms;		/* CLOCK_REALTIME */
};

struct snapshot *snapshot_ref(struct snapshot *s);
void snapshot_unref(struct snapshot *s);

struct web_data {
	/* Settings the page is told about. */
	unsigned refresh_ms, poll_ms;
	bool admin;
	struct web_history *history;
	/* The poller's own, behind `lock` only for `current`. */
	struct json_object *status, *show;	/* validated, until published */
	char *status_raw, *show_raw;
	size_t status_raw_len, show_raw_len;
	struct json_object *peers;	/* instance -> {adverts, heard_ms} */
	char error[512];		/* the last poll's failure, or "" */
	int64_t error_since_ms, last_ok_ms;
	uint64_t polls, poll_errors;
	double poll_seconds;		/* how long the last poll took */
	pthread_mutex_t lock;
	struct snapshot *current;
};

void web_data_init(struct web_data *wd, struct web_history *h);
void web_data_clear(struct web_data *wd);

/*
 * Takes the three reply lines of one poll (`status`, `show`, `events`),
 * each len bytes; validates them and keeps them.  0, or -1 with the
 * reason in wd->error (nothing kept then).
 */
int web_ingest(struct web_data *wd, const char *status, size_t status_len,
    const char *show, size_t show_len, const char *events, size_t events_len,
    int64_t now_ms);
/* Records a failed poll (reason: a sentence). */
void web_poll_failed(struct web_data *wd, const char *reason, int64_t now_ms);
/* Renders and publishes a snapshot of what wd holds now. */
void web_publish(struct web_data *wd, int64_t now_ms);
/* The current snapshot (a reference: snapshot_unref it), or NULL. */
struct snapshot *web_current(struct web_data *wd);

#endif
