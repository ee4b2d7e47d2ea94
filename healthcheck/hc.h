/*
 * Health checks: one engine per daemon, one checker per real server (and
 * check).  Every checker runs on the daemon's sd-event loop at
 * LVSD_PRIO_CHECK; nothing blocks.  Results go through one function that
 * applies rise/fall hysteresis and emits at most one UP/DOWN transition,
 * which reaches the daemon through the callback it gave to hc_engine_new().
 *
 * Ownership: struct hc_check_config is plain data the daemon fills (its
 * strings are heap strings owned by whoever owns the struct and released
 * by hc_check_config_clear()).  hc_checker_new() takes a copy (of the
 * settings, one shared by every checker configured alike), so the daemon
 * may free its configuration generation while checkers run.
 */
#ifndef LVSD_HEALTHCHECK_HC_H
#define LVSD_HEALTHCHECK_HC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "lib/addr.h"

enum hc_type {
	HC_TYPE_TCP,		/* TCP connect */
	HC_TYPE_HTTP,		/* HTTP/1.x request, checks status/body */
	HC_TYPE_HTTPS,		/* the same over TLS */
	HC_TYPE_SEND_EXPECT,	/* piranha send/expect over TCP or UDP */
	HC_TYPE_SEND_PROGRAM,	/* piranha send_program: output vs expect */
	HC_TYPE_EXEC,		/* external program: exit status 0 = up */
	HC_TYPE_ICMP,		/* ICMP/ICMPv6 echo */
};

/* State before the first result is known. */
enum hc_init_state {
	HC_INIT_DOWN,		/* down until the first success (nanny) */
	HC_INIT_UP,		/* up until `fall` consecutive failures */
};

enum hc_http_method { HC_HTTP_GET, HC_HTTP_HEAD };
enum hc_digest_alg { HC_DIGEST_NONE, HC_DIGEST_MD5, HC_DIGEST_SHA256 };

/* Inclusive range of acceptable HTTP status codes. */
struct hc_status_range {
	uint16_t lo, hi;
};

#define HC_DIGEST_MAX 32	/* SHA-256 */

struct hc_check_config {
	char *label;		/* "VIRTUAL/SERVER" ("web1/Real2"): every log
				 * line; a transition's journal fields
				 * LVSD_VIRTUAL and LVSD_SERVER */
	enum hc_type type;
	struct lvs_addr addr;	/* the real server */
	uint16_t port;		/* real server port or check port override */

	/* Timing, all in milliseconds. */
	uint32_t interval_ms;		/* start-to-start period */
	uint32_t connect_timeout_ms;	/* TCP connect (and TLS handshake) */
	uint32_t timeout_ms;		/* hard deadline of one whole check */
	uint32_t jitter_ms;		/* first start uniformly in [0, jitter] */
	unsigned rise;			/* consecutive successes to go UP */
	unsigned fall;			/* consecutive failures to go DOWN */
	enum hc_init_state init_state;
	bool icmp_precheck;		/* echo first, as nanny's ping */

	uint32_t max_response;		/* bytes read at most (0: default 1 MiB) */

	struct {
		enum hc_http_method method;
		char *path;		/* default "/" */
		char *host;		/* Host header; default the address */
		struct hc_status_range *status;	/* empty: 200-299 */
		size_t n_status;
		char *body_regex;	/* POSIX ERE on the body, or NULL */
		enum hc_digest_alg digest_alg;
		uint8_t digest[HC_DIGEST_MAX];	/* expected body digest */
	} http;

	struct {
		char *sni;		/* server name (default: http.host if it
					 * is a name); verified if verify */
		bool verify;		/* verify the chain (and name if sni) */
		char *ca_file;		/* NULL: system default store */
		char *cert_file;	/* client certificate, or NULL */
		char *key_file;		/* its key (NULL: in cert_file) */
	} tls;

	struct {
		bool udp;		/* send/expect over UDP */
		char *send;		/* bytes to send (NUL-free), or NULL */
		char *expect;		/* literal prefix, "*", or ERE; or NULL */
		bool use_regex;		/* expect is a POSIX ERE */
	} se;

	struct {
		/* Command line split on blanks as nanny did; "%h" -> address,
		 * "%p" -> port, "%%" -> "%" inside any word. */
		char *command;
		char *user;		/* run as this user (NULL: as lvsd) */
		bool dynamic_weight;	/* EXEC: stdout "N" or "weight N" */
	} exec;
};

/* Fills cfg with defaults (TCP, 10 s interval, ...); label/addr unset. */
void hc_check_config_init(struct hc_check_config *cfg);
/* Frees the strings and arrays cfg owns (not cfg itself). */
void hc_check_config_clear(struct hc_check_config *cfg);
/* Deep copy of src into dst (dst uninitialised). */
void hc_check_config_copy(struct hc_check_config *dst,
    const struct hc_check_config *src);

/* Same settings: a running checker with a's may keep running for b's. */
bool hc_check_config_equal(const struct hc_check_config *a,
    const struct hc_check_config *b);

/*
 * Piranha's timing keys.  `timeout` (seconds) was nanny's check period and
 * its I/O wait; one failed check removed the server.  `reentry` (seconds)
 * became nanny's count of consecutive successes needed, reentry/timeout.
 * interval_s == 0 keeps nanny's period (= timeout); otherwise the server
 * still leaves after `timeout` seconds of failures (fall = timeout/interval)
 * and returns after `reentry` seconds of successes.
 */
void hc_config_piranha_timing(struct hc_check_config *cfg,
    unsigned timeout_s, unsigned reentry_s, unsigned interval_s);

/*
 * nanny's escape handling for send/expect: \\ \r \n \t \' \" become the
 * character; any other backslash pair stays as it is.  Returns a new
 * string.  Only for values the lvs.cf lexer did not already unescape.
 */
char *hc_piranha_unescape(const char *in);

/*
 * Parses "200", "200,301-302", "2xx" (list of codes or ranges, comma or
 * blank separated) into a new array; 0 or -1 with *err naming the problem.
 */
int hc_parse_status_list(const char *text, struct hc_status_range **out,
    size_t *n, const char **err);
/* Parses a hex digest of the length alg needs; 0 or -1. */
int hc_parse_digest(enum hc_digest_alg alg, const char *hex, uint8_t *out);

/* Validates cfg; on error returns -1 and writes a message into err. */
int hc_check_config_validate(const struct hc_check_config *cfg, char *err,
    size_t errlen);
/* Its two halves: the target (addr, port for the type), and the rest,
 * which checkers of many servers may share. */
int hc_check_config_validate_target(const struct hc_check_config *cfg,
    char *err, size_t errlen);
int hc_check_config_validate_settings(const struct hc_check_config *cfg,
    char *err, size_t errlen);

enum hc_state { HC_STATE_DOWN, HC_STATE_UP };

enum hc_event_kind {
	HC_EV_UP,
	HC_EV_DOWN,
	HC_EV_WEIGHT,		/* dynamic weight changed while up */
};

struct hc_event {
	enum hc_event_kind kind;
	const char *reason;	/* last result's text, valid during callback */
	int weight;		/* dynamic weight, -1 if none reported */
	/* The transition's log line ("web1/Real2 10.0.0.3:80 DOWN: ...");
	 * "" for a weight change.  Valid during the callback. */
	const char *line;
};

struct hc_checker;

/*
 * Called on every transition (and dynamic weight change).  userdata is the
 * pointer given to hc_checker_new().  The callback must not free the checker
 * it is called for (defer that to the loop).
 */
typedef void hc_event_fn(struct hc_checker *ck, const struct hc_event *ev,
    void *userdata);

/* Optional: every check start with its delay past schedule (metrics). */
typedef void hc_start_fn(struct hc_checker *ck, uint64_t lag_usec,
    void *userdata);

struct hc_engine_params {
	hc_event_fn *event_cb;
	hc_start_fn *start_cb;
	unsigned max_children;		/* programs running at once; 0: 16 */
	uint32_t kill_grace_ms;		/* TERM -> KILL; 0: 2000 */
	/* Transitions go to the callback only (hc_event.line), unlogged:
	 * the daemon logs them once the kernel's table follows. */
	bool quiet_transitions;
};

struct hc_engine;

/*
 * The daemon keeps ownership of ev.  External program checks need SIGCHLD
 * blocked in every thread (sd_event_add_child's requirement); the engine
 * blocks it in the calling thread.
 */
struct hc_engine *hc_engine_new(sd_event *ev,
    const struct hc_engine_params *params);
/* Frees every checker still registered, then the engine. */
void hc_engine_free(struct hc_engine *eng);

/*
 * Creates a checker from a deep copy of cfg and schedules its first run
 * within cfg->jitter_ms.  NULL (logged, with the reason) if cfg is invalid.
 */
struct hc_checker *hc_checker_new(struct hc_engine *eng,
    const struct hc_check_config *cfg, void *userdata);
void hc_checker_free(struct hc_checker *ck);
/*
 * Logs a health transition's line with journal fields to find it by:
 * LVSD_VIRTUAL and LVSD_SERVER from label ("VIRTUAL/SERVER"),
 * LVSD_ADDRESS ("10.0.0.3:80"), LVSD_HEALTH (UP or DOWN).
 */
void hc_log_health(const char *label, const char *address, bool up,
    const char *msg);
/* The health the daemon already knew of this server (a new health
 * process, or a changed check): hysteresis goes on from it. */
void hc_checker_seed(struct hc_checker *ck, bool up, int weight);
/* Carries health state and counters over a reload (same server). */
void hc_checker_inherit(struct hc_checker *ck, const struct hc_checker *old);

/* What `lvsctl show` prints. */
struct hc_status {
	enum hc_state state;
	bool known;		/* at least one result arrived */
	unsigned ok_run;	/* consecutive successes */
	unsigned fail_run;	/* consecutive failures */
	uint64_t checks, successes, failures, transitions;
	uint64_t last_change_usec;	/* CLOCK_MONOTONIC, 0 if none */
	uint64_t last_check_usec;	/* end of the last check */
	uint64_t last_lag_usec;		/* last start's delay past schedule */
	int weight;			/* dynamic weight, -1 if none */
	/* "HTTP status 503, expected 200" (at most HC_RESULT_MAX - 1 bytes;
	 * valid until the checker's next result), and how many times it
	 * changed: a copy need not be made again until then. */
	const char *last_result;
	uint64_t result_changes;
};
#define HC_RESULT_MAX 200

const struct hc_status *hc_checker_status(const struct hc_checker *ck);
/*
 * The settings ck runs with, shared with every checker configured alike:
 * their label, addr and port are unset (ck's own are in its name).
 */
const struct hc_check_config *hc_checker_config(const struct hc_checker *ck);
/* True when ck runs exactly cfg: the same settings, label, addr and port. */
bool hc_checker_runs(const struct hc_checker *ck,
    const struct hc_check_config *cfg);
void *hc_checker_userdata(const struct hc_checker *ck);
/* "web1/Real2 192.168.10.3:80", valid until the engine's next call. */
const char *hc_checker_name(const struct hc_checker *ck);
const char *hc_type_name(enum hc_type type);

/* Programs currently running (for tests and lvsctl). */
unsigned hc_engine_children(const struct hc_engine *eng);

#endif
