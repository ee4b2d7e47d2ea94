/*
 * What lvsd-web remembers between polls: the daemon's events of the last
 * hour (lvsd keeps only a ring; the console shows an hour), and for up
 * to history_servers real servers a sample every HIST_STEP_MS of their
 * connections and traffic, for the page's plots.  Written by the poller,
 * read by HTTP threads: every call takes the history's lock.
 */
#ifndef LVSD_WEB_HISTORY_H
#define LVSD_WEB_HISTORY_H

#include <stdint.h>

struct json_object;
struct web_history;

#define HIST_STEP_MS	10000
#define HIST_SLOTS	360		/* one hour */
#define HIST_EVENTS	10000		/* at most, within the hour */

struct web_history *history_new(unsigned max_servers);
void history_free(struct web_history *h);

/* Adds the events of a validated `events` reply (those not seen yet). */
void history_add_events(struct web_history *h, struct json_object *reply,
    int64_t now_ms);
/* The sequence number to ask lvsd for next (`since`). */
uint64_t history_last_seq(struct web_history *h);
/* Events lvsd dropped before we saw them (its ring overflowed). */
uint64_t history_lost(struct web_history *h);
/* A new array of the events after seq, within the last hour. */
struct json_object *history_events_json(struct web_history *h, uint64_t since,
    int64_t now_ms);

/* Records a sample of every real server of a validated `show` reply. */
void history_add_samples(struct web_history *h, struct json_object *show,
    int64_t now_ms);
/* The plots' data of one virtual service: a new object, or NULL if the
 * history has no server of that name. */
struct json_object *history_service_json(struct web_history *h,
    const char *virtual_name, int64_t now_ms);

#endif
