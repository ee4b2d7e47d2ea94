/*
 * The control socket lvsctl talks to: a UNIX stream socket, one JSON
 * object per line each way.  Every client is served on the parent's loop
 * with bounded work, so no client can hold up the others or the daemon:
 *
 *  - at most REQS_PER_TURN requests of one client per loop iteration;
 *  - no new request of a client is read while its earlier replies wait to
 *    be written past OUT_HIGH bytes, or while an answer is still coming
 *    (reload, drill): memory follows one reply, not the requests sent;
 *  - a client that reads nothing for IDLE_USEC is disconnected, with a
 *    log line; so is one that idles without a request;
 *  - when MAX_CLIENTS are connected, the one idle the longest makes room
 *    for a new one, so idle clients cannot lock an operator out.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/access.h"
#include "daemon/control.h"
#include "daemon/lvsd.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

#define MAX_REQUEST	65536		/* bytes of one request line */
#define MAX_CLIENTS	64
#define IDLE_USEC	(10ULL * 1000000)
#define REQS_PER_TURN	4
/* Read no request past this backlog: 64 clients pipelining requests hold
 * at most 16 MiB of replies (one reply may pass it: a big `show`). */
#define OUT_HIGH	(1u << 18)

struct ctl_client {
	LIST_ENTRY(ctl_client) entry;
	struct control *ctl;
	int fd;
	struct access_peer peer;	/* who, and the role it has */
	sd_event_source *io, *idle, *more;
	char in[MAX_REQUEST];
	size_t inlen;
	char *out;			/* pending reply bytes */
	size_t outlen, outoff;
	uint64_t last_active;		/* CLOCK_MONOTONIC µs */
	struct control_call *call;	/* an answer still coming */
	bool closing;			/* close once out is flushed */
};

struct control {
	struct lvsd *d;
	int fd;
	char *path;
	struct access_policy policy;
	uint64_t refused_logged;	/* when a refusal was last logged */
	unsigned refused_unlogged;	/* refusals since */
	sd_event_source *io;
	LIST_HEAD(, ctl_client) clients;
	unsigned nclients;
};

/* A request, and whose: its answer may come later (control_finish). */
struct control_call {
	struct ctl_client *client;	/* NULL once it went away */
	struct access_peer peer;	/* who asked */
};

const struct access_peer *
control_call_peer(const struct control_call *call)
{
	return call != NULL ? &call->peer : NULL;
}

static void
client_free(struct ctl_client *c)
{
	struct control *ctl = c->ctl;
	LIST_REMOVE(c, entry);
	ctl->nclients--;
	if (c->call != NULL)
		c->call->client = NULL;	/* the answer will find nobody */
	sd_event_source_unref(c->io);
	sd_event_source_unref(c->idle);
	sd_event_source_unref(c->more);
	close(c->fd);
	free(c->out);
	free(c);
}

static bool
accepts_requests(const struct ctl_client *c)
{
	return c->call == NULL && !c->closing &&
	    c->outlen - c->outoff < OUT_HIGH;
}

/* What the client waits for: to write, to read, or neither. */
static void
client_want(struct ctl_client *c)
{
	uint32_t ev = 0;
	if (c->outoff < c->outlen)
		ev |= EPOLLOUT;
	if (accepts_requests(c))
		ev |= EPOLLIN;
	sd_event_source_set_io_events(c->io, ev);
	sd_event_source_set_enabled(c->io, ev != 0 ? SD_EVENT_ON : SD_EVENT_OFF);
	/* Requests already read wait for the next turn. */
	if (accepts_requests(c) && memchr(c->in, '\n', c->inlen) != NULL)
		sd_event_source_set_enabled(c->more, SD_EVENT_ONESHOT);
}

/* IDLE_USEC from now (a one-shot timer is off once it fired). */
static void
idle_rearm(struct ctl_client *c)
{
	sd_event_source_set_time_relative(c->idle, IDLE_USEC);
	sd_event_source_set_enabled(c->idle, SD_EVENT_ONESHOT);
}

/* Queues obj (consumed) as one reply line. */
static void
client_reply(struct ctl_client *c, struct json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(s);
	/* What the client has read goes first: a slow reader of pipelined
	 * replies never drains the buffer, which would otherwise grow by
	 * every reply it was ever sent. */
	if (c->outoff > 0) {
		memmove(c->out, c->out + c->outoff, c->outlen - c->outoff);
		c->outlen -= c->outoff;
		c->outoff = 0;
	}
	c->out = xrealloc(c->out, c->outlen + n + 1);
	memcpy(c->out + c->outlen, s, n);
	c->out[c->outlen + n] = '\n';
	c->outlen += n + 1;
	/* The client has IDLE_USEC to start reading from now: a reply that
	 * took long to build is not the client's idleness. */
	c->last_active = mono_usec();
	idle_rearm(c);
	json_object_put(obj);
}

static void
client_error(struct ctl_client *c, const char *msg)
{
	struct json_object *r = json_object_new_object();
	json_object_object_add(r, "ok", json_object_new_boolean(0));
	json_object_object_add(r, "error", json_object_new_string(msg));
	client_reply(c, r);
}

static void
finish_reply(struct ctl_client *c, struct json_object *reply, const char *why)
{
	if (reply == NULL)
		client_error(c, why);
	else {
		json_object_object_add(reply, "ok", json_object_new_boolean(1));
		client_reply(c, reply);
	}
}

void
control_finish(struct control_call *call, struct json_object *reply,
    const char *why)
{
	struct ctl_client *c = call->client;
	free(call);
	if (c == NULL) {
		json_object_put(reply);
		return;
	}
	c->call = NULL;
	finish_reply(c, reply, why);
	client_want(c);
}

static void
handle_line(struct ctl_client *c, const char *line)
{
	enum json_tokener_error err;
	struct json_object *req = json_tokener_parse_verbose(line, &err);
	if (req == NULL || !json_object_is_type(req, json_type_object)) {
		char msg[160];
		snprintf(msg, sizeof(msg), "bad request: expected one JSON "
		    "object per line (%s)", req == NULL ?
		    json_tokener_error_desc(err) : "not an object");
		json_object_put(req);
		client_error(c, msg);
		return;
	}
	struct json_object *cmd;
	if (!json_object_object_get_ex(req, "command", &cmd) ||
	    !json_object_is_type(cmd, json_type_string)) {
		json_object_put(req);
		client_error(c, "bad request: no \"command\" string");
		return;
	}
	char why[4096] = "";
	struct control_call *call = xcalloc(1, sizeof(*call));
	call->client = c;
	call->peer = c->peer;
	c->call = call;
	struct json_object *reply = control_dispatch(c->ctl->d,
	    json_object_get_string(cmd), req, call, why, sizeof(why));
	json_object_put(req);
	if (reply == CONTROL_LATER)
		return;			/* control_finish answers */
	c->call = NULL;
	free(call);
	finish_reply(c, reply, why);
}

/* Serves up to REQS_PER_TURN whole lines already read. */
static void
serve_lines(struct ctl_client *c)
{
	char *nl;
	for (int n = 0; n < REQS_PER_TURN && accepts_requests(c) &&
	    (nl = memchr(c->in, '\n', c->inlen)) != NULL; n++) {
		*nl = '\0';
		handle_line(c, c->in);
		size_t used = (size_t)(nl - c->in) + 1;
		memmove(c->in, nl + 1, c->inlen - used);
		c->inlen -= used;
	}
}

/* false if the client went away (and was freed). */
static bool
client_read(struct ctl_client *c)
{
	ssize_t n = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		client_free(c);
		return false;
	}
	if (n > 0)
		c->inlen += (size_t)n;
	serve_lines(c);
	if (c->inlen == sizeof(c->in) && memchr(c->in, '\n', c->inlen) == NULL) {
		client_error(c, "bad request: line longer than 64 KiB");
		c->closing = true;
		c->inlen = 0;
	}
	return true;
}

/* false if the client was freed. */
static bool
client_write(struct ctl_client *c)
{
	ssize_t n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		client_free(c);
		return false;
	}
	if (n > 0) {
		c->outoff += (size_t)n;
		c->last_active = mono_usec();
	}
	if (c->outoff == c->outlen) {
		free(c->out);
		c->out = NULL;
		c->outlen = c->outoff = 0;
		if (c->closing) {
			client_free(c);
			return false;
		}
	}
	return true;
}

static int
on_client(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	(void)s;
	(void)fd;
	struct ctl_client *c = userdata;
	idle_rearm(c);
	c->last_active = mono_usec();
	if (revents & (EPOLLERR | EPOLLHUP) && !(revents & EPOLLIN)) {
		client_free(c);
		return 0;
	}
	if ((revents & EPOLLOUT) && !client_write(c))
		return 0;
	if ((revents & EPOLLIN) && accepts_requests(c) && !client_read(c))
		return 0;
	client_want(c);
	return 0;
}

static int
on_more(sd_event_source *s, void *userdata)
{
	(void)s;
	struct ctl_client *c = userdata;
	serve_lines(c);
	client_want(c);
	return 0;
}

static int
on_idle(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	struct ctl_client *c = userdata;
	if (c->call != NULL) {		/* waiting for us, not idle */
		idle_rearm(c);
		return 0;
	}
	if (c->outoff < c->outlen)
		log_warnx("control client %s read none of its %zu bytes of "
		    "replies for %llu s: disconnected", c->peer.who,
		    c->outlen - c->outoff,
		    (unsigned long long)(IDLE_USEC / 1000000));
	client_free(c);
	return 0;
}

/* The client idle the longest (no answer pending), or NULL. */
static struct ctl_client *
oldest_idle(struct control *ctl)
{
	struct ctl_client *c, *best = NULL;
	LIST_FOREACH(c, &ctl->clients, entry)
		if (c->call == NULL && c->inlen == 0 &&
		    (best == NULL || c->last_active < best->last_active))
			best = c;
	return best;
}

/*
 * Refuses a peer without a role, in one write, and closes.  The log says
 * so at most once a second, with how many it did not name: a local user
 * looping on connect() must not flood the journal.
 */
static bool
refuse_stranger(struct control *ctl, int fd, const struct access_peer *p)
{
	if (p->role != ACCESS_NONE)
		return false;
	uint64_t now = mono_usec();
	if (ctl->refused_logged == 0 || now - ctl->refused_logged >= 1000000) {
		if (ctl->refused_unlogged > 0)
			log_info("control socket: refused %s (no role), and %u "
			    "other connection%s since the last such line",
			    p->who, ctl->refused_unlogged,
			    ctl->refused_unlogged == 1 ? "" : "s");
		else
			log_info("control socket: refused %s: no role", p->who);
		ctl->refused_logged = now;
		ctl->refused_unlogged = 0;
	} else {
		ctl->refused_unlogged++;
	}
	char msg[320];
	int n = snprintf(msg, sizeof(msg), "{\"ok\":false,\"error\":\"permission "
	    "denied: lvsctl is for root and the groups lvs.cf names "
	    "(control_group: %s; monitor_group: %s)\"}\n",
	    ctl->policy.admin_set ? ctl->policy.admin_name : "none",
	    ctl->policy.read_set ? ctl->policy.read_name : "none");
	(void)!write(fd, msg, (size_t)n);
	close(fd);
	return true;
}

static int
on_accept(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	(void)s;
	(void)revents;
	struct control *ctl = userdata;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return 0;
	struct access_peer peer;
	access_identify(cfd, &ctl->policy, &peer);
	if (refuse_stranger(ctl, cfd, &peer))
		return 0;
	access_describe(&peer);
	if (ctl->nclients >= MAX_CLIENTS) {
		struct ctl_client *old = oldest_idle(ctl);
		if (old == NULL) {
			static const char busy[] = "{\"ok\":false,\"error\":"
			    "\"too many control clients waiting for answers\"}\n";
			(void)!write(cfd, busy, sizeof(busy) - 1);
			close(cfd);
			return 0;
		}
		log_info("control socket full: dropping the client idle the "
		    "longest, %s", old->peer.who);
		client_free(old);
	}
	struct ctl_client *c = xcalloc(1, sizeof(*c));
	c->ctl = ctl;
	c->fd = cfd;
	c->peer = peer;
	c->last_active = mono_usec();
	LIST_INSERT_HEAD(&ctl->clients, c, entry);
	ctl->nclients++;
	sd_event *ev = ctl->d->event;
	if (sd_event_add_io(ev, &c->io, cfd, EPOLLIN, on_client, c) < 0 ||
	    sd_event_add_time_relative(ev, &c->idle, CLOCK_MONOTONIC,
	    IDLE_USEC, 100000, on_idle, c) < 0 ||
	    sd_event_add_defer(ev, &c->more, on_more, c) < 0) {
		client_free(c);
		return 0;
	}
	sd_event_source_set_enabled(c->more, SD_EVENT_OFF);
	sd_event_source_set_priority(c->io, LVSD_PRIO_CTL);
	sd_event_source_set_priority(c->idle, LVSD_PRIO_CTL);
	sd_event_source_set_priority(c->more, LVSD_PRIO_CTL);
	return 0;
}

/* Open to every local user: roles are decided per connection. */
static int
bind_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* A socket file left by a killed run: nobody listens on it. */
	unlink(path);
	mode_t old = umask(0111);
	int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(fd, 64) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void
control_set_policy(struct lvsd *d, const struct access_policy *p)
{
	if (d->control != NULL)
		d->control->policy = *p;
}

int
control_open(struct lvsd *d, const char *path, const struct access_policy *p)
{
	struct control *ctl = xcalloc(1, sizeof(*ctl));
	ctl->d = d;
	ctl->path = xstrdup(path);
	ctl->policy = *p;
	LIST_INIT(&ctl->clients);
	d->control = ctl;
	ctl->fd = bind_socket(path);
	if (ctl->fd < 0) {
		log_warn("cannot listen on the control socket %s", path);
		return -1;
	}
	if (sd_event_add_io(d->event, &ctl->io, ctl->fd, EPOLLIN, on_accept,
	    ctl) < 0)
		return -1;
	sd_event_source_set_priority(ctl->io, LVSD_PRIO_CTL);
	return 0;
}

void
control_close(struct lvsd *d)
{
	struct control *ctl = d->control;
	if (ctl == NULL)
		return;
	struct ctl_client *c;
	while ((c = LIST_FIRST(&ctl->clients)) != NULL)
		client_free(c);
	sd_event_source_unref(ctl->io);
	if (ctl->fd >= 0) {
		close(ctl->fd);
		unlink(ctl->path);
	}
	free(ctl->path);
	free(ctl);
	d->control = NULL;
}
