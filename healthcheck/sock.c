#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "healthcheck/hc_int.h"

void
hc_sockaddr(const struct hc_checker *ck, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (ck->addr.af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = ck->addr.u.v6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_addr = ck->addr.u.v4;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
	}
}

int
hc_sock_connect(struct hc_checker *ck, int type, int proto)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(ck->addr.af, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    proto);

	if (fd < 0)
		return -1;
	if (type == SOCK_STREAM) {
		/* Reset on close: a check leaves no TIME_WAIT behind. */
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	hc_sockaddr(ck, ck->port, &ss, &len);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

void
hc_sock_close_rst(int fd)
{
	/* SO_LINGER {1, 0} was set at creation: close() sends RST. */
	if (fd >= 0)
		close(fd);
}

int
hc_sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}
