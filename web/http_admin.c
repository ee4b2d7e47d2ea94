/*
 * The console's admin side, off unless `admin = password`: who is logged
 * in (GET /api/v1/session), login and logout, and actions (POST
 * /api/v1/action: drain, disable, enable, failover).  A state-changing
 * request needs a session cookie, our own Origin, and the session's CSRF
 * token (form field `csrf` or header X-CSRF-Token); lvsd hears the action
 * with actor "web:USER" and logs it.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"
#include "web/auth.h"
#include "web/ctlclient.h"
#include "web/form.h"
#include "web/http.h"

#define COOKIE	"lvsd_session"
#define ACTION_TIMEOUT_MS	60000	/* a drain of a large table */

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static const char *
peer(struct MHD_Connection *c, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct lvs_addr a = { 0 };
	if (ci != NULL && ci->client_addr->sa_family == AF_INET) {
		a.af = AF_INET;
		memcpy(&a.u.v4, &((const struct sockaddr_in *)(const void *)
		    ci->client_addr)->sin_addr, 4);
	} else if (ci != NULL && ci->client_addr->sa_family == AF_INET6) {
		a.af = AF_INET6;
		memcpy(&a.u.v6, &((const struct sockaddr_in6 *)(const void *)
		    ci->client_addr)->sin6_addr, 16);
	}
	char s[LVS_ADDRSTRLEN];
	snprintf(buf, len, "%s", addr_fmt(&a, s));
	return buf;
}

/* The session of the request's cookie: its user and token, or false. */
static bool
session_of(struct web_server *ws, struct MHD_Connection *c, char user[33],
    char csrf[AUTH_TOKEN_HEX + 1])
{
	const char *id = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE);
	return ws->sessions != NULL && id != NULL &&
	    auth_session_find(ws->sessions, id, user, csrf, now_ms());
}

static void
cookie(struct web_server *ws, char *buf, size_t len, const char *id,
    unsigned max_age)
{
	snprintf(buf, len, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
	    "Max-Age=%u%s", id, max_age, ws->tls ? "; Secure" : "");
}

static enum MHD_Result
reply_session(struct web_server *ws, struct MHD_Connection *c)
{
	char user[33], csrf[AUTH_TOKEN_HEX + 1];
	bool in = session_of(ws, c, user, csrf);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "admin", json_object_new_boolean(ws->users != NULL));
	json_object_object_add(o, "user", in ? json_object_new_string(user) : NULL);
	json_object_object_add(o, "csrf", in ? json_object_new_string(csrf) : NULL);
	return web_reply_json(c, 200, o, NULL);
}

static enum MHD_Result
login(struct web_server *ws, struct MHD_Connection *c, const struct form *f)
{
	char from[64];
	const char *user = form_get(f, "user");
	const char *password = form_get(f, "password");
	if (user == NULL || password == NULL || !web_user_name_ok(user))
		return web_reply_error(c, 400, "expected the fields `user` and "
		    "`password`");
	if (auth_throttled(ws->sessions, now_ms())) {
		log_warnx("web: login of `%s` from %s refused: too many failed "
		    "logins", user, peer(c, from, sizeof(from)));
		return web_reply_error(c, 429, "too many failed logins: wait "
		    "30 seconds");
	}
	if (!auth_verify(ws->users, user, password)) {
		auth_login_failed(ws->sessions, now_ms());
		log_warnx("web: failed login of `%s` from %s", user,
		    peer(c, from, sizeof(from)));
		return web_reply_error(c, 401, "wrong user or password");
	}
	char id[AUTH_TOKEN_HEX + 1], csrf[AUTH_TOKEN_HEX + 1], set[200];
	if (auth_session_open(ws->sessions, user, id, csrf, now_ms()) < 0)
		return web_reply_error(c, 500, "no random bytes for a session");
	log_info("web: `%s` logged in from %s", user, peer(c, from, sizeof(from)));
	cookie(ws, set, sizeof(set), id, ws->cfg->session_s);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "user", json_object_new_string(user));
	json_object_object_add(o, "csrf", json_object_new_string(csrf));
	return web_reply_json(c, 200, o, set);
}

/* Sends the action to lvsd; the reply to the browser says how it went. */
static enum MHD_Result
act(struct web_server *ws, struct MHD_Connection *c, const char *user,
    const struct form *f)
{
	struct web_action a;
	char err[512], actor[48];
	if (web_action_parse(f, &a, err, sizeof(err)) < 0)
		return web_reply_error(c, 400, err);
	snprintf(actor, sizeof(actor), "web:%s", user);
	char *req = web_action_request(&a, actor);
	struct ctl_conn *cc = ctl_connect(ws->cfg->socket, err, sizeof(err));
	size_t len;
	char *line = cc == NULL ? NULL : ctl_request(cc, req,
	    (size_t)ws->cfg->max_reply_mb << 20, ACTION_TIMEOUT_MS, &len, err,
	    sizeof(err));
	ctl_close(cc);
	free(req);
	struct json_object *reply = line != NULL ? json_tokener_parse(line) : NULL;
	free(line);
	struct json_object *ok = NULL, *why = NULL;
	json_object_object_get_ex(reply, "ok", &ok);
	json_object_object_get_ex(reply, "error", &why);
	bool done = json_object_get_boolean(ok);
	if (!done && reply != NULL)
		snprintf(err, sizeof(err), "lvsd refused: %s",
		    json_object_is_type(why, json_type_string) ?
		    json_object_get_string(why) : "(no reason given)");
	else if (!done && line != NULL)
		snprintf(err, sizeof(err), "lvsd's reply is not JSON");
	log_info("web: `%s` asked %s%s%s: %s", user, web_action_name(a.kind),
	    a.server[0] ? " " : "", a.server, done ? "done" : err);
	json_object_put(reply);
	if (!done)
		return web_reply_error(c, 502, err);
	if (ws->kick != NULL)
		ws->kick();
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "action", json_object_new_string(
	    web_action_name(a.kind)));
	json_object_object_add(o, "server", a.server[0] ?
	    json_object_new_string(a.server) : NULL);
	return web_reply_json(c, 200, o, NULL);
}

/* Session, origin and CSRF token of a state-changing request. */
static enum MHD_Result
guarded(struct web_server *ws, struct MHD_Connection *c, const char *url,
    const struct form *f)
{
	char user[33], csrf[AUTH_TOKEN_HEX + 1], from[64];
	if (!session_of(ws, c, user, csrf))
		return web_reply_error(c, 401, "log in first");
	const char *token = form_get(f, "csrf");
	if (token == NULL)
		token = header(c, "X-CSRF-Token");
	if (!auth_token_eq(token, csrf)) {
		log_warnx("web: request of `%s` from %s refused: CSRF token "
		    "missing or wrong", user, peer(c, from, sizeof(from)));
		return web_reply_error(c, 403, "CSRF token missing or wrong: "
		    "reload the page");
	}
	if (strcmp(url, "/api/v1/logout") == 0) {
		const char *id = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
		    COOKIE);
		char set[200];
		auth_session_close(ws->sessions, id);
		log_info("web: `%s` logged out", user);
		cookie(ws, set, sizeof(set), "", 0);
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "ok", json_object_new_boolean(1));
		return web_reply_json(c, 200, o, set);
	}
	return act(ws, c, user, f);
}

enum MHD_Result
web_admin_route(struct web_server *ws, struct MHD_Connection *c,
    const char *url, const char *method, const char *body, size_t len,
    bool *handled)
{
	bool post = strcmp(method, "POST") == 0;
	*handled = true;
	if (strcmp(url, "/api/v1/session") == 0 && !post)
		return reply_session(ws, c);
	if (!post || (strcmp(url, "/api/v1/login") != 0 &&
	    strcmp(url, "/api/v1/logout") != 0 &&
	    strcmp(url, "/api/v1/action") != 0)) {
		*handled = false;
		return MHD_NO;
	}
	if (ws->users == NULL)
		return web_reply_error(c, 403, "admin actions are off "
		    "(lvsd-web.conf: admin = password)");
	if (!web_same_origin(header(c, "Origin"), header(c, "Referer"),
	    header(c, "Host"), ws->tls))
		return web_reply_error(c, 403, "cross-origin request refused");
	const char *type = header(c, "Content-Type");
	if (type == NULL || strncmp(type, "application/x-www-form-urlencoded",
	    33) != 0)
		return web_reply_error(c, 415, "expected a form "
		    "(application/x-www-form-urlencoded)");
	struct form f;
	char err[256];
	if (form_parse(&f, body, len, err, sizeof(err)) < 0)
		return web_reply_error(c, 400, err);
	if (strcmp(url, "/api/v1/login") == 0)
		return login(ws, c, &f);
	return guarded(ws, c, url, &f);
}
