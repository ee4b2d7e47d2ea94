/*
 * lvsd-web's HTTP side (libmicrohttpd, its own threads): the page and its
 * files, /metrics and /api/v1/ from the cached snapshot (web/http.c), and
 * when admin is on, login, logout and actions (web/http_admin.c).
 */
#ifndef LVSD_WEB_HTTP_H
#define LVSD_WEB_HTTP_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "web/conf.h"

struct web_data;
struct web_history;
struct auth_users;
struct auth_sessions;

struct asset {
	const char *url, *file, *type;
	bool from_charts;		/* in cfg->charts, else cfg->assets */
	char *body;
	size_t len;
};

struct web_server {
	const struct web_config *cfg;
	struct web_data *data;
	struct web_history *history;
	struct auth_users *users;	/* admin = password; else NULL */
	struct auth_sessions *sessions;
	void (*kick)(void);		/* poll lvsd now (after an action) */
	struct asset *assets;
	size_t nassets;
	struct MHD_Daemon *mhd;
	bool tls;
	char *tls_key_pem, *tls_cert_pem;	/* kept while serving */
};

/* Reads the page's files; 0, or -1 (logged). */
int web_assets_load(struct web_server *ws);
void web_assets_free(struct web_server *ws);
/* Listens and serves in libmicrohttpd's threads; 0 or -1 (logged). */
int web_http_start(struct web_server *ws);
void web_http_stop(struct web_server *ws);

/* For http_admin.c: responses with the security headers. */
enum MHD_Result web_reply_json(struct MHD_Connection *c, unsigned status,
    struct json_object *body, const char *set_cookie);
enum MHD_Result web_reply_error(struct MHD_Connection *c, unsigned status,
    const char *message);
/* The POST routes; *handled false if url is none of them. */
enum MHD_Result web_admin_route(struct web_server *ws,
    struct MHD_Connection *c, const char *url, const char *method,
    const char *body, size_t len, bool *handled);

#endif
