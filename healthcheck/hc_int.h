/*
 * Inside the health-check module: the engine/checker structures, the ops
 * table every check type implements, and helpers the types share.
 */
#ifndef LVSD_HEALTHCHECK_HC_INT_H
#define LVSD_HEALTHCHECK_HC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

#include "healthcheck/hc.h"
#include "healthcheck/hyst.h"

struct hc_checker;

/*
 * One check type.  A run is start() ... hc_result(); the engine calls
 * cancel() after every result (and on its deadline) so a type releases a
 * run's resources in exactly one place.  setup()/free() handle data that
 * lives as long as the checker (compiled regex, TLS context).
 */
struct hc_ops {
	const char *name;
	int (*setup)(struct hc_checker *ck);	/* 0 or -1 (logged) */
	/* Begins a run; -1 after reporting a failure with hc_result(). */
	int (*start)(struct hc_checker *ck);
	void (*cancel)(struct hc_checker *ck);	/* idempotent */
	void (*free)(struct hc_checker *ck);
	/* What the run is doing now ("connecting"), for timeout reasons. */
	void (*describe)(const struct hc_checker *ck, char *buf, size_t len);
};

extern const struct hc_ops hc_tcp_ops;
extern const struct hc_ops hc_http_ops;		/* HTTP and HTTPS */
extern const struct hc_ops hc_sendexpect_ops;
extern const struct hc_ops hc_exec_ops;		/* SEND_PROGRAM and EXEC */
extern const struct hc_ops hc_icmp_ops;

struct hc_share;

struct hc_engine {
	sd_event *ev;
	hc_event_fn *event_cb;
	hc_start_fn *start_cb;
	unsigned max_children;
	uint32_t kill_grace_ms;
	bool quiet_transitions;		/* hc_engine_params */
	unsigned children;		/* running, including being killed */
	TAILQ_HEAD(, hc_checker) checkers;
	TAILQ_HEAD(, hc_checker) exec_queue;	/* waiting for a child slot */
	struct hc_tls_cache *tls;	/* shared SSL_CTXs (tls.c) */
	LIST_HEAD(, hc_orphan) orphans;	/* children outliving their run */
	struct hc_share *share;		/* settings and texts (share.c) */
	/* Every checker by when it is due, under one timer (sched.c). */
	struct hc_checker **heap;
	size_t nheap, capheap;
	sd_event_source *timer;
	bool dispatching;
	char name[128];			/* hc_checker_name()'s */
	char text[256];			/* a result being written */
};

/*
 * One real server's checker: its own state, the settings it shares with
 * the checkers configured alike, and the text of its last result (shared).
 */
struct hc_checker {
	struct hc_engine *eng;
	const struct hc_check_config *cfg;	/* shared: label, addr, port unset */
	char *label;			/* "web1/Real2" */
	struct lvs_addr addr;		/* the real server */
	uint16_t port;
	const struct hc_ops *ops;	/* the configured type */
	const struct hc_ops *cur;	/* running now: ops or ICMP precheck */
	void *priv;			/* per-checker type data */
	void *run;			/* per-run type data */
	void *userdata;
	bool running;
	bool exec_queued;
	uint32_t hpos;			/* place in the engine's heap + 1, 0: out */
	uint64_t due;			/* next start (idle), deadline (running) */
	uint64_t sched_usec;		/* when the next/current run was due */
	uint64_t start_usec;		/* when the current run started */
	struct hc_hyst hyst;
	struct hc_status st;		/* st.last_result: a shared text */
	TAILQ_ENTRY(hc_checker) entry;
	TAILQ_ENTRY(hc_checker) qentry;	/* exec_queue */
};

/* Longest transition line (hc_event.line). */
#define HC_LINE_MAX 320

/* Shared settings and texts (share.c), counted: each get has its put. */
struct hc_share *hc_share_new(void);
void hc_share_free(struct hc_share *sh);
/* The shared copy of cfg's settings (cfg's label, addr and port aside). */
const struct hc_check_config *hc_share_setting(struct hc_share *sh,
    const struct hc_check_config *cfg);
void hc_share_setting_put(struct hc_share *sh, const struct hc_check_config *cfg);
size_t hc_share_nsettings(const struct hc_share *sh);
/* The shared copy of the text s. */
const char *hc_share_text(struct hc_share *sh, const char *s);
void hc_share_text_hold(const char *s);
void hc_share_text_put(struct hc_share *sh, const char *s);

/* The schedule (sched.c): ck is due at due (replacing its time), or not. */
int hc_sched_init(struct hc_engine *eng);
void hc_sched_fini(struct hc_engine *eng);
void hc_sched_at(struct hc_checker *ck, uint64_t due);
void hc_sched_cancel(struct hc_checker *ck);
/* engine.c: ck's time came (start a run, or its deadline passed). */
void hc_checker_due(struct hc_checker *ck);

/*
 * The one gate for results: stops the run, applies hysteresis, logs a
 * transition in one line with the reason, calls the daemon back and
 * schedules the next run.  weight: dynamic weight, or -1.
 */
void hc_result(struct hc_checker *ck, bool ok, int weight, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

/* Milliseconds still left before the check's deadline (>= 1). */
uint32_t hc_time_left_ms(const struct hc_checker *ck);
uint64_t hc_now(const struct hc_checker *ck);

/* Sockets (sock.c). */
void hc_sockaddr(const struct hc_checker *ck, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len);
/* Non-blocking socket connected (or connecting) to the target; -1. */
int hc_sock_connect(struct hc_checker *ck, int type, int proto);
/* Closes with RST for TCP (SO_LINGER 0), so no TIME_WAIT is left. */
void hc_sock_close_rst(int fd);
/* Pending SO_ERROR of a socket, as errno (0: none). */
int hc_sock_error(int fd);

/* Shared TLS contexts (tls.c). */
struct ssl_ctx_st;
struct ssl_ctx_st *hc_tls_ctx_get(struct hc_engine *eng,
    const struct hc_check_config *cfg, char *err, size_t errlen);
void hc_tls_ctx_put(struct hc_engine *eng, struct ssl_ctx_st *ctx);
void hc_tls_cache_free(struct hc_engine *eng);
/* Last OpenSSL error (or errno) as text, clearing the queue. */
const char *hc_tls_errstr(char *buf, size_t len, int ret, int ssl_err);

/* Children (exec.c): engine teardown. */
void hc_exec_engine_free(struct hc_engine *eng);

/* Seeds (once) and returns a uniform value in [0, n]. */
uint32_t hc_random(uint32_t n);

#endif
