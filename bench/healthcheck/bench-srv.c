/*
 * bench-srv: the "10,000 real servers" of the health-check benchmark.  One
 * epoll loop listening on 0.0.0.0:PORT answers every address of 127/8 (in
 * its own namespace or VM), so each real server of the benchmark is a
 * distinct loopback address served by the same process.  A request gets
 * "HTTP/1.0 200 OK" with a 2-byte body; a bare TCP check just connects.
 *
 *   bench-srv PORT
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static const char reply[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
    "Content-Length: 2\r\nConnection: close\r\n\r\nok";

static int
listen_on(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) };
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) < 0 || bind(fd, (struct sockaddr *)&sin,
	    sizeof(sin)) < 0 || listen(fd, 65535) < 0) {
		perror("listen");
		exit(1);
	}
	return fd;
}

static void
serve(int ep, int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && errno == EAGAIN)
		return;
	/* A request (any bytes ending a header block) gets the reply; EOF or
	 * a reset (a bare TCP check) just closes. */
	if (n > 0 && memmem(buf, (size_t)n, "\r\n\r\n", 4) == NULL)
		return;
	if (n > 0 && write(fd, reply, sizeof(reply) - 1) < 0)
		(void)0;
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench-srv PORT\n");
		return 2;
	}
	int lfd = listen_on(atoi(argv[1]));
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = lfd };

	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		struct epoll_event evs[256];
		int n = epoll_wait(ep, evs, 256, -1);
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd != lfd) {
				serve(ep, evs[i].data.fd);
				continue;
			}
			int c;
			while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
				struct epoll_event cev = { .events = EPOLLIN,
				    .data.fd = c };
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
			}
		}
	}
}
