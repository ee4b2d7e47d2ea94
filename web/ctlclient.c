/*
 * The control-socket client: blocking socket, poll() for the deadline,
 * a buffer that grows to the reply's size (up to the cap).  Bytes after
 * the newline (there should be none: one request, one reply) are an
 * error, not silently carried to the next request.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/xalloc.h"
#include "web/ctlclient.h"

struct ctl_conn {
	int fd;
	char path[108];
};

struct ctl_conn *
ctl_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "control socket path too long: %s", path);
		return NULL;
	}
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, errlen, "cannot connect to lvsd at %s: %s%s", path,
		    strerror(errno), errno == ENOENT || errno == ECONNREFUSED ?
		    " (is lvsd running?)" : errno == EACCES ? " (is lvsd-web "
		    "in lvsd's control group?)" : "");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct ctl_conn *c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	snprintf(c->path, sizeof(c->path), "%s", path);
	return c;
}

void
ctl_close(struct ctl_conn *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	free(c);
}

static int
wait_fd(int fd, short events, uint64_t deadline)
{
	uint64_t now = mono_usec();
	if (now >= deadline)
		return 0;
	struct pollfd p = { .fd = fd, .events = events };
	int r;
	do
		r = poll(&p, 1, (int)((deadline - now + 999) / 1000));
	while (r < 0 && errno == EINTR);
	return r;
}

static int
send_all(struct ctl_conn *c, const char *buf, size_t n, uint64_t deadline,
    char *err, size_t errlen)
{
	size_t off = 0;
	while (off < n) {
		if (wait_fd(c->fd, POLLOUT, deadline) <= 0) {
			snprintf(err, errlen, "lvsd did not take the request in time");
			return -1;
		}
		ssize_t w = send(c->fd, buf + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno != EINTR && errno != EAGAIN) {
			snprintf(err, errlen, "cannot send to lvsd: %s",
			    strerror(errno));
			return -1;
		}
		if (w > 0)
			off += (size_t)w;
	}
	return 0;
}

char *
ctl_request(struct ctl_conn *c, const char *request, size_t max_reply,
    int timeout_ms, size_t *len, char *err, size_t errlen)
{
	uint64_t deadline = mono_usec() + (uint64_t)timeout_ms * 1000;
	size_t n = strlen(request);
	char *line = xmalloc(n + 1);
	memcpy(line, request, n);
	line[n] = '\n';
	int r = send_all(c, line, n + 1, deadline, err, errlen);
	free(line);
	if (r < 0)
		return NULL;
	size_t cap = 65536, used = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (wait_fd(c->fd, POLLIN, deadline) <= 0) {
			snprintf(err, errlen, "no reply from lvsd within %d ms",
			    timeout_ms);
			break;
		}
		if (used + 1 >= cap) {
			if (cap > max_reply) {
				snprintf(err, errlen, "lvsd's reply is larger than "
				    "%zu bytes (max_reply_mb)", max_reply);
				break;
			}
			buf = xrealloc(buf, cap *= 2);
		}
		ssize_t got = read(c->fd, buf + used, cap - used - 1);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0) {
			snprintf(err, errlen, "lvsd closed the connection%s%s",
			    got < 0 ? ": " : "", got < 0 ? strerror(errno) : "");
			break;
		}
		char *nl = memchr(buf + used, '\n', (size_t)got);
		used += (size_t)got;
		if (nl == NULL)
			continue;
		if ((size_t)(nl - buf) + 1 != used) {
			snprintf(err, errlen, "lvsd sent more than one reply line");
			break;
		}
		*nl = '\0';
		*len = (size_t)(nl - buf);
		return buf;
	}
	free(buf);
	return NULL;
}
