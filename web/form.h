/*
 * What lvsd-web reads of a request beyond what libmicrohttpd parses: the
 * url-encoded form of a POST (login, logout, admin actions), the action
 * it asks for, and whether the request came from our own page (Origin).
 * Pure functions of their input, fuzzed (tests/fuzz/fuzz_web_request.c).
 */
#ifndef LVSD_WEB_FORM_H
#define LVSD_WEB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define FORM_MAX_BODY	4096
#define FORM_MAX_FIELDS	8
#define FORM_MAX_VALUE	512

struct form {
	size_t n;
	struct {
		char name[32];
		char value[FORM_MAX_VALUE + 1];
	} f[FORM_MAX_FIELDS];
};

/* application/x-www-form-urlencoded; 0, or -1 with a sentence in err. */
int form_parse(struct form *form, const char *body, size_t len, char *err,
    size_t errlen);
/* The value of name, or NULL. */
const char *form_get(const struct form *form, const char *name);

enum web_action_kind { ACT_DRAIN, ACT_DISABLE, ACT_ENABLE, ACT_FAILOVER };

struct web_action {
	enum web_action_kind kind;
	char server[256];		/* VIRTUAL/SERVER, for the first three */
	unsigned hold_s;		/* failover */
};

/* The action a form asks for (fields action, server, hold); 0 or -1. */
int web_action_parse(const struct form *form, struct web_action *a,
    char *err, size_t errlen);
/* lvsd's control request for a, by actor ("web:alice"); caller frees. */
char *web_action_request(const struct web_action *a, const char *actor);
const char *web_action_name(enum web_action_kind k);

/*
 * Whether a state-changing request comes from our own origin: its Origin
 * header (or, without one, its Referer) names the scheme and Host it was
 * sent to.  Both absent: true (old clients; the CSRF token still guards).
 */
bool web_same_origin(const char *origin, const char *referer,
    const char *host, bool tls);

/* Whether an Accept-Encoding header allows gzip (not "gzip;q=0"). */
bool web_accepts_gzip(const char *accept_encoding);

/* A user name in the password file or a login form: 1-32 of [A-Za-z0-9._-]. */
bool web_user_name_ok(const char *s);

#endif
