/*
 * The control socket lvsctl talks to: a UNIX stream socket, one JSON
 * object per line each way.  Clients are served on the event loop with
 * bounded buffers and an idle timeout, so a client that sends garbage, a
 * huge line or nothing at all cannot block or exhaust the daemon.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/control.h"
#include "daemon/lvsd.h"
#include "lib/log.h"
#include "lib/prio.h"
#include "lib/xalloc.h"

#define MAX_REQUEST	65536		/* bytes of one request line */
#define MAX_CLIENTS	64
#define IDLE_USEC	(10ULL * 1000000)

struct ctl_client {
	LIST_ENTRY(ctl_client) entry;
	struct lvsd *d;
	int fd;
	sd_event_source *io, *idle;
	char in[MAX_REQUEST];
	size_t inlen;
	char *out;			/* pending reply bytes */
	size_t outlen, outoff;
	bool closing;			/* close once out is flushed */
};

struct control {
	struct lvsd *d;
	int fd;
	char *path;
	sd_event_source *io;
	LIST_HEAD(, ctl_client) clients;
	unsigned nclients;
};

static void
client_free(struct ctl_client *c)
{
	struct control *ctl = c->d->control;
	LIST_REMOVE(c, entry);
	ctl->nclients--;
	sd_event_source_unref(c->io);
	sd_event_source_unref(c->idle);
	close(c->fd);
	free(c->out);
	free(c);
}

static void
client_want(struct ctl_client *c)
{
	uint32_t ev = c->outoff < c->outlen ? EPOLLOUT : EPOLLIN;
	sd_event_source_set_io_events(c->io, ev);
}

/* Queues obj (consumed) as one reply line. */
static void
client_reply(struct ctl_client *c, struct json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(s);
	c->out = xrealloc(c->out, c->outlen + n + 1);
	memcpy(c->out + c->outlen, s, n);
	c->out[c->outlen + n] = '\n';
	c->outlen += n + 1;
	json_object_put(obj);
	client_want(c);
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
	char why[512] = "";
	struct json_object *reply = control_dispatch(c->d,
	    json_object_get_string(cmd), req, why, sizeof(why));
	json_object_put(req);
	if (reply == NULL)
		client_error(c, why);
	else {
		json_object_object_add(reply, "ok", json_object_new_boolean(1));
		client_reply(c, reply);
	}
}

static void
client_read(struct ctl_client *c)
{
	ssize_t n = read(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		client_free(c);
		return;
	}
	if (n < 0)
		return;
	c->inlen += (size_t)n;
	char *nl;
	while ((nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		*nl = '\0';
		handle_line(c, c->in);
		size_t used = (size_t)(nl - c->in) + 1;
		memmove(c->in, nl + 1, c->inlen - used);
		c->inlen -= used;
	}
	if (c->inlen == sizeof(c->in)) {
		client_error(c, "bad request: line longer than 64 KiB");
		c->closing = true;
		c->inlen = 0;
	}
}

static void
client_write(struct ctl_client *c)
{
	ssize_t n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		client_free(c);
		return;
	}
	if (n > 0)
		c->outoff += (size_t)n;
	if (c->outoff == c->outlen) {
		free(c->out);
		c->out = NULL;
		c->outlen = c->outoff = 0;
		if (c->closing) {
			client_free(c);
			return;
		}
	}
	client_want(c);
}

static int
on_client(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	(void)s;
	(void)fd;
	struct ctl_client *c = userdata;
	/* Any traffic restarts the idle clock. */
	sd_event_source_set_time_relative(c->idle, IDLE_USEC);
	if (revents & (EPOLLERR | EPOLLHUP) && !(revents & EPOLLIN)) {
		client_free(c);
		return 0;
	}
	if (c->outoff < c->outlen)
		client_write(c);
	else
		client_read(c);
	return 0;
}

static int
on_idle(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	client_free(userdata);
	return 0;
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
	if (ctl->nclients >= MAX_CLIENTS) {
		static const char busy[] =
		    "{\"ok\":false,\"error\":\"too many control clients\"}\n";
		(void)!write(cfd, busy, sizeof(busy) - 1);
		close(cfd);
		return 0;
	}
	struct ctl_client *c = xcalloc(1, sizeof(*c));
	c->d = ctl->d;
	c->fd = cfd;
	LIST_INSERT_HEAD(&ctl->clients, c, entry);
	ctl->nclients++;
	if (sd_event_add_io(ctl->d->event, &c->io, cfd, EPOLLIN, on_client, c) < 0 ||
	    sd_event_add_time_relative(ctl->d->event, &c->idle, CLOCK_MONOTONIC,
	    IDLE_USEC, 100000, on_idle, c) < 0) {
		client_free(c);
		return 0;
	}
	sd_event_source_set_priority(c->io, LVSD_PRIO_CTL);
	sd_event_source_set_priority(c->idle, LVSD_PRIO_CTL);
	return 0;
}

static int
bind_socket(const char *path, const char *group)
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
	mode_t old = umask(0177);
	int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(fd, 16) < 0) {
		close(fd);
		return -1;
	}
	if (group != NULL) {
		struct group *gr = getgrnam(group);
		if (gr == NULL || chown(path, (uid_t)-1, gr->gr_gid) < 0 ||
		    chmod(path, 0660) < 0)
			log_warnx("control socket %s: cannot give it to group "
			    "`%s`: root only", path, group);
	}
	return fd;
}

int
control_open(struct lvsd *d, const char *path, const char *group)
{
	struct control *ctl = xcalloc(1, sizeof(*ctl));
	ctl->d = d;
	ctl->path = xstrdup(path);
	LIST_INIT(&ctl->clients);
	d->control = ctl;
	ctl->fd = bind_socket(path, group);
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
