/*
 * Driver for vrrp/announce.c: runs the route announcement on an sd-event
 * loop, the way lvsd will, from a file of addresses.  Also the ECMP lab's
 * stand-in for lvsd's announcements until the daemon makes them itself.
 *
 *   announce-driver [-d] [-l] [-t TABLE] [-p PROTOCOL] [-i DEVICE] [-w MS] -f FILE
 *
 * -l: hold the addresses as local routes (AnyIP), not addresses.
 * FILE: one address per line, announced; "ADDR hold" holds the address
 * without announcing it; '#' starts a comment.  Signals: SIGHUP re-reads
 * FILE (vrrp_announce_set); SIGUSR1 withdraws, SIGUSR2 restores;
 * SIGWINCH re-reads the kernel's table (vrrp_announce_resync); SIGTERM or
 * SIGINT stops cleanly: withdraw, wait -w MS (default 0) while the
 * addresses still serve, release, exit.
 *
 * Prints "READY ..." once started and "STATE <ms> <what> held=N
 * announced=N withdrawn=0|1 failing=0|1 failures=N" after each step
 * (ms: CLOCK_MONOTONIC).  A failed step is retried by the module; exit
 * status 2 for bad arguments or an unreadable FILE.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "vrrp/announce.h"

static struct vrrp_announce *ann;
static const char *file;
static unsigned wait_ms;

static void
state(const char *what, int rc)
{
	struct vrrp_announce_stats s;

	vrrp_announce_stats(ann, &s);
	printf("STATE %llu %s rc=%d held=%zu announced=%zu withdrawn=%d "
	    "failing=%d failures=%llu\n",
	    (unsigned long long)(mono_usec() / 1000), what, rc, s.held,
	    s.announced, s.withdrawn, s.failing,
	    (unsigned long long)s.failures);
	fflush(stdout);
}

/* Reads FILE into a set; -1 (printed) if a line is not an address. */
static int
load(struct vrrp_announce_vip **out, size_t *n)
{
	char line[256];
	size_t cap = 16, lineno = 0;
	struct vrrp_announce_vip *v = xcalloc(cap, sizeof(*v));
	FILE *f = fopen(file, "r");

	*n = 0;
	if (f == NULL) {
		perror(file);
		free(v);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tok = strtok(line, " \t\r\n#"), *opt;

		lineno++;
		if (tok == NULL || line[0] == '#')
			continue;
		if (*n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		opt = strtok(NULL, " \t\r\n#");
		if (addr_parse(tok, &v[*n].addr) < 0 ||
		    (opt != NULL && strcmp(opt, "hold") != 0)) {
			fprintf(stderr, "%s:%zu: expected ADDRESS [hold]\n",
			    file, lineno);
			fclose(f);
			free(v);
			return -1;
		}
		v[(*n)++].announce = opt == NULL;
	}
	fclose(f);
	*out = v;
	return 0;
}

static int
set_from_file(void)
{
	struct vrrp_announce_vip *v;
	size_t n;
	int rc;

	if (load(&v, &n) < 0)
		return -1;
	rc = vrrp_announce_set(ann, v, n);
	free(v);
	return rc;
}

static int
on_stop_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)usec, (void)arg;
	vrrp_announce_release(ann);
	state("released", 0);
	sd_event_exit(sd_event_source_get_event(s), 0);
	return 0;
}

static void
stop(sd_event *ev)
{
	uint64_t now;

	state("withdraw", vrrp_announce_withdraw(ann));
	sd_event_now(ev, CLOCK_MONOTONIC, &now);
	sd_event_add_time(ev, NULL, CLOCK_MONOTONIC, now + wait_ms * 1000ULL, 0,
	    on_stop_timer, NULL);
}

static int
on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *arg)
{
	(void)arg;
	switch (si->ssi_signo) {
	case SIGHUP:
		state("set", set_from_file());
		break;
	case SIGUSR1:
		state("withdraw", vrrp_announce_withdraw(ann));
		break;
	case SIGUSR2:
		state("restore", vrrp_announce_restore(ann));
		break;
	case SIGWINCH:
		state("resync", vrrp_announce_resync(ann));
		break;
	default:
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
		stop(sd_event_source_get_event(s));
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: announce-driver [-d] [-l] [-t TABLE] [-p PROTOCOL] "
	    "[-i DEVICE] [-w MS] -f FILE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const int sigs[] = { SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH,
	    SIGTERM, SIGINT };
	struct vrrp_announce_config c;
	bool debug = false;
	sd_event *ev;
	sigset_t ss;
	int opt, rc;

	vrrp_announce_config_init(&c);
	while ((opt = getopt(argc, argv, "dlt:p:i:w:f:")) != -1) {
		switch (opt) {
		case 'd': debug = true; break;
		case 'l': c.hold = VRRP_ANNOUNCE_HOLD_ROUTE; break;
		case 't': c.table = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'p': c.protocol = (uint8_t)atoi(optarg); break;
		case 'i': snprintf(c.ifname, sizeof(c.ifname), "%s", optarg); break;
		case 'w': wait_ms = (unsigned)atoi(optarg); break;
		case 'f': file = optarg; break;
		default: usage();
		}
	}
	if (file == NULL || optind != argc)
		usage();
	log_init("announce-driver", LOG_TO_STDERR, debug);
	if (sd_event_default(&ev) < 0)
		return 1;
	sigemptyset(&ss);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&ss, sigs[i]);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sd_event_add_signal(ev, NULL, sigs[i], on_signal, NULL);
	if ((ann = vrrp_announce_new(ev, &c)) == NULL)
		return 2;
	/* The wanted set first, so the start removes only what is stale
	 * (no withdrawal and return of a route a restart keeps). */
	if (set_from_file() < 0)
		return 2;
	/* A failed start is retried on the loop, as in lvsd. */
	state("start", vrrp_announce_start(ann));
	printf("READY\n");
	fflush(stdout);
	rc = sd_event_loop(ev);
	vrrp_announce_free(ann);
	sd_event_unref(ev);
	return rc < 0 ? 1 : 0;
}
