/*
 * Failover benchmark helper.
 *
 *   probe serve NAME ADDR PORT   UDP responder bound to ADDR (the VIP,
 *                                present or not): answers every datagram
 *                                with NAME (run in each director)
 *   probe client ADDR PORT USEC  sends a probe every USEC microseconds,
 *                                prints "R <ms> <name>" whenever the
 *                                answering director changes
 *   probe kill SIG PID...        prints "K <ms>" and signals the PIDs
 *   probe now                    prints "T <ms>"
 *
 * Times are CLOCK_MONOTONIC milliseconds (with µs), comparable across
 * network namespaces.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/clock.h"

static double
now_ms(void)
{
	return (double)mono_usec() / 1e3;
}

static int
make_sa(const char *addr, int port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct lvs_addr a;

	memset(ss, 0, sizeof(*ss));
	if (addr_parse(addr, &a) < 0)
		return -1;
	if (a.af == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;
		s->sin_family = AF_INET;
		s->sin_port = htons((uint16_t)port);
		s->sin_addr = a.u.v4;
		*len = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons((uint16_t)port);
		s->sin6_addr = a.u.v6;
		*len = sizeof(*s);
	}
	return 0;
}

static int
serve(const char *name, const char *addr, int port)
{
	struct sockaddr_storage ss, from;
	socklen_t len, fl;
	char buf[64];
	int fd, one = 1;

	/*
	 * Bound to the VIP so replies come from it; IP_FREEBIND because the
	 * VIP comes and goes with the role.
	 */
	if (make_sa(addr, port, &ss, &len) < 0)
		return 2;
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_IP, IP_FREEBIND, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0) {
		perror("probe serve");
		return 1;
	}
	for (;;) {
		fl = sizeof(from);
		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fl) < 0)
			continue;
		sendto(fd, name, strlen(name), 0, (struct sockaddr *)&from, fl);
	}
}

static int
client(const char *addr, int port, long usec)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char last[64] = "", buf[64];
	double next;
	int fd;

	if (make_sa(addr, port, &ss, &len) < 0)
		return 2;
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) < 0) {
		perror("probe client");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	next = now_ms();
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double t = now_ms();
		int wait = (int)(next - t);

		if (t >= next) {
			send(fd, "?", 1, 0);	/* ECONNREFUSED etc.: ignored */
			next += (double)usec / 1000.0;
			continue;
		}
		if (poll(&p, 1, wait < 0 ? 0 : wait) > 0) {
			ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

			if (n <= 0)
				continue;
			buf[n] = '\0';
			if (strcmp(buf, last) != 0) {
				printf("R %.3f %s\n", now_ms(), buf);
				snprintf(last, sizeof(last), "%s", buf);
			}
		}
	}
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && strcmp(argv[1], "client") == 0)
		return client(argv[2], atoi(argv[3]), atol(argv[4]));
	if (argc >= 4 && strcmp(argv[1], "kill") == 0) {
		int sig = atoi(argv[2]);

		printf("K %.3f\n", now_ms());
		fflush(stdout);
		for (int i = 3; i < argc; i++)
			kill((pid_t)atoi(argv[i]), sig);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "now") == 0) {
		printf("T %.3f\n", now_ms());
		return 0;
	}
	fprintf(stderr, "usage: probe serve NAME ADDR PORT | client ADDR PORT USEC "
	    "| kill SIG PID... | now\n");
	return 2;
}
