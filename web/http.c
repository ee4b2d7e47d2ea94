/*
 * The HTTP server: libmicrohttpd with an internal polling thread and a
 * small pool.  Reads are answered from the snapshot the poller publishes
 * (a reference is held until the response is sent); the page's files are
 * read once at start.  Nothing here talks to lvsd except an admin action.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "web/form.h"
#include "web/history.h"
#include "web/http.h"
#include "web/snapshot.h"

#define MAX_ASSET	(4 * 1024 * 1024)

static const struct asset asset_table[] = {
	{ "/", "index.html", "text/html; charset=utf-8", false, NULL, 0 },
	{ "/app.js", "app.js", "text/javascript; charset=utf-8", false, NULL, 0 },
	{ "/app.css", "app.css", "text/css; charset=utf-8", false, NULL, 0 },
	{ "/static/dygraph.min.js", "dygraph.min.js",
	    "text/javascript; charset=utf-8", true, NULL, 0 },
	{ "/static/dygraph.min.css", "dygraph.min.css", "text/css; charset=utf-8",
	    true, NULL, 0 },
};

struct request {
	char body[FORM_MAX_BODY];
	size_t len;
	bool too_big;
};

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- files ------------------------------------------------------------ */

static int
read_file(const char *path, char **body, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	*body = xmalloc(MAX_ASSET + 1);
	*len = fread(*body, 1, MAX_ASSET + 1, f);
	bool bad = ferror(f) || *len > MAX_ASSET;
	fclose(f);
	if (bad) {
		free(*body);
		errno = EFBIG;
		return -1;
	}
	return 0;
}

int
web_assets_load(struct web_server *ws)
{
	ws->nassets = sizeof(asset_table) / sizeof(asset_table[0]);
	ws->assets = xcalloc(ws->nassets, sizeof(*ws->assets));
	for (size_t i = 0; i < ws->nassets; i++) {
		struct asset *a = &ws->assets[i];
		*a = asset_table[i];
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", a->from_charts ?
		    ws->cfg->charts : ws->cfg->assets, a->file);
		if (read_file(path, &a->body, &a->len) < 0) {
			log_warn("cannot read %s%s", path, a->from_charts ?
			    " (install Debian's libjs-dygraphs, or set `charts`)" :
			    " (set `assets`)");
			return -1;
		}
	}
	return 0;
}

void
web_assets_free(struct web_server *ws)
{
	for (size_t i = 0; i < ws->nassets; i++)
		free(ws->assets[i].body);
	free(ws->assets);
	ws->assets = NULL;
	ws->nassets = 0;
}

/* ---- responses -------------------------------------------------------- */

static void
secure(struct MHD_Response *r, const char *type, bool cache)
{
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", cache ? "no-cache" :
	    "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'self'; style-src 'self' 'unsafe-inline'; "
	    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
	    "base-uri 'none'");
}

static enum MHD_Result
queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	if (r == NULL)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result
web_reply_json(struct MHD_Connection *c, unsigned status,
    struct json_object *body, const char *set_cookie)
{
	const char *s = json_object_to_json_string_ext(body,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(s),
	    (void *)(uintptr_t)s, MHD_RESPMEM_MUST_COPY);
	json_object_put(body);
	if (r == NULL)
		return MHD_NO;
	secure(r, "application/json", false);
	if (set_cookie != NULL)
		MHD_add_response_header(r, "Set-Cookie", set_cookie);
	return queue(c, status, r);
}

enum MHD_Result
web_reply_error(struct MHD_Connection *c, unsigned status, const char *message)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(message));
	return web_reply_json(c, status, o, NULL);
}

static void
unref_snapshot(void *cls)
{
	snapshot_unref(cls);
}

/* A document of the current snapshot, sent without copying; gzipped
 * when the client takes it. */
static enum MHD_Result
reply_snapshot(struct web_server *ws, struct MHD_Connection *c,
    enum doc_kind which)
{
	struct snapshot *s = web_current(ws->data);
	if (s == NULL)
		return web_reply_error(c, 503, "no data from lvsd yet");
	const struct doc *d = &s->doc[which];
	bool gz = d->gz != NULL && web_accepts_gzip(MHD_lookup_connection_value(c,
	    MHD_HEADER_KIND, "Accept-Encoding"));
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
	    gz ? d->gzlen : d->len, gz ? d->gz : d->text, unref_snapshot, s);
	if (r == NULL) {
		snapshot_unref(s);
		return MHD_NO;
	}
	secure(r, which == DOC_METRICS ? "text/plain; version=0.0.4; "
	    "charset=utf-8" : "application/json", false);
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	return queue(c, 200, r);
}

/* ?since=SEQ: the web's event history (the last hour). */
static enum MHD_Result
reply_events(struct web_server *ws, struct MHD_Connection *c)
{
	const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
	    "since");
	char *end = NULL;
	unsigned long long seq = 0;
	if (since != NULL) {
		errno = 0;
		seq = strtoull(since, &end, 10);
		if (since[0] < '0' || since[0] > '9' || *end != '\0' || errno != 0)
			return web_reply_error(c, 400, "`since`: expected a "
			    "sequence number");
	}
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "events", history_events_json(ws->history,
	    (uint64_t)seq, now_ms()));
	json_object_object_add(o, "last_seq", json_object_new_int64(
	    (int64_t)history_last_seq(ws->history)));
	return web_reply_json(c, 200, o, NULL);
}

/* ?virtual=NAME: the plots' samples of that virtual service. */
static enum MHD_Result
reply_history(struct web_server *ws, struct MHD_Connection *c)
{
	const char *name = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
	    "virtual");
	if (name == NULL || name[0] == '\0' || strlen(name) > 200)
		return web_reply_error(c, 400, "`virtual`: expected a virtual "
		    "service's name");
	struct json_object *o = history_service_json(ws->history, name, now_ms());
	if (o == NULL)
		return web_reply_error(c, 404, "no history for that virtual "
		    "service (not configured, or beyond history_servers)");
	return web_reply_json(c, 200, o, NULL);
}

static enum MHD_Result
reply_get(struct web_server *ws, struct MHD_Connection *c, const char *url)
{
	for (size_t i = 0; i < ws->nassets; i++) {
		const struct asset *a = &ws->assets[i];
		if (strcmp(url, a->url) != 0)
			continue;
		struct MHD_Response *r = MHD_create_response_from_buffer(a->len,
		    a->body, MHD_RESPMEM_PERSISTENT);
		if (r == NULL)
			return MHD_NO;
		secure(r, a->type, true);
		return queue(c, 200, r);
	}
	static const struct { const char *url; enum doc_kind doc; } docs[] = {
		{ "/metrics", DOC_METRICS }, { "/api/v1/state", DOC_STATE },
		{ "/api/v1/status", DOC_STATUS }, { "/api/v1/show", DOC_SHOW },
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		if (strcmp(url, docs[i].url) == 0)
			return reply_snapshot(ws, c, docs[i].doc);
	if (strcmp(url, "/api/v1/events") == 0)
		return reply_events(ws, c);
	if (strcmp(url, "/api/v1/history") == 0)
		return reply_history(ws, c);
	return web_reply_error(c, 404, "no such page");
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	(void)version;
	struct web_server *ws = cls;
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	if (!get && strcmp(method, "POST") != 0)
		return web_reply_error(c, 405, "method not allowed");
	struct request *rq = *con_cls;
	if (rq == NULL) {		/* headers only, so far */
		*con_cls = rq = xcalloc(1, sizeof(*rq));
		if (!get)
			return MHD_YES;
	}
	if (!get && *upload_size > 0) {
		if (rq->len + *upload_size > sizeof(rq->body))
			rq->too_big = true;
		else {
			memcpy(rq->body + rq->len, upload, *upload_size);
			rq->len += *upload_size;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->too_big)
		return web_reply_error(c, 413, "request body larger than 4 KiB");
	bool handled = false;
	enum MHD_Result r = web_admin_route(ws, c, url, method, rq->body, rq->len,
	    &handled);
	if (handled)
		return r;
	if (!get)
		return web_reply_error(c, 404, "no such action");
	return reply_get(ws, c, url);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warnx("http: %s", line);
}

int
web_http_start(struct web_server *ws)
{
	const struct web_config *cfg = ws->cfg;
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG;
	if (cfg->listen_addr.af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(cfg->listen_port);
		memcpy(&s6->sin6_addr, &cfg->listen_addr.u.v6, 16);
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(cfg->listen_port);
		memcpy(&s4->sin_addr, &cfg->listen_addr.u.v4, 4);
	}
	char *key = NULL, *cert = NULL;
	size_t keylen, certlen;
	if (cfg->tls_certificate != NULL) {
		if (read_file(cfg->tls_key, &key, &keylen) < 0 ||
		    read_file(cfg->tls_certificate, &cert, &certlen) < 0) {
			log_warn("cannot read %s", key == NULL ? cfg->tls_key :
			    cfg->tls_certificate);
			free(key);
			return -1;
		}
		key[keylen] = cert[certlen] = '\0';
		flags |= MHD_USE_TLS;
		ws->tls = true;
	}
	ws->mhd = MHD_start_daemon(flags, cfg->listen_port, NULL, NULL,
	    on_request, ws,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)2,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)128,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    ws->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, key,
	    MHD_OPTION_HTTPS_MEM_CERT, cert,
	    MHD_OPTION_END);
	ws->tls_key_pem = key;
	ws->tls_cert_pem = cert;
	if (ws->mhd == NULL) {
		char a[LVS_ADDRSTRLEN];
		log_warnx("cannot listen on %s port %u%s",
		    addr_fmt(&cfg->listen_addr, a), cfg->listen_port, ws->tls ?
		    " with TLS (is the key and certificate PEM, and do they "
		    "match?)" : " (in use?)");
		return -1;
	}
	return 0;
}

void
web_http_stop(struct web_server *ws)
{
	if (ws->mhd != NULL)
		MHD_stop_daemon(ws->mhd);
	ws->mhd = NULL;
	if (ws->tls_key_pem != NULL)
		memset(ws->tls_key_pem, 0, strlen(ws->tls_key_pem));
	free(ws->tls_key_pem);
	free(ws->tls_cert_pem);
	ws->tls_key_pem = ws->tls_cert_pem = NULL;
}
