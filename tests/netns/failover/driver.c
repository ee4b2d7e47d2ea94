/*
 * Test driver for vrrp/: runs VRRP instances or pulse from command-line
 * arguments on an sd-event loop, the way lvsd will.
 *
 *   failover-driver [-d] [-H hold_s] [-R file] --vrrp SPEC... | --pulse SPEC
 *
 * VRRP SPEC: comma-separated key=value: name, vrid, ver (2|3), af (4|6),
 * dev, prio, int (centiseconds), nopreempt, preempt_delay (ms),
 * handoff_delay (ms), auth,
 * src, peer (repeatable), vip=ADDR/PLEN[@LABEL] (repeatable),
 * garp=COUNT:DELAY_MS, link=DEV[:DELTA] (repeatable), sender=ADDR
 * (repeatable: multicast adverts count only from these; without any, from
 * anyone), anysender (with senders: still anyone), qport (drill queries'
 * UDP port, 0: off).
 * Pulse SPEC: primary|backup, partner, private, port, keepalive (ms),
 * deadtime (ms), dev, vip, garp, link.
 *
 * Prints "EVENT <ms> <name> <old> <new> <reason>" on role changes and,
 * on SIGUSR2, "STATS <name> <state> sent=.. recv=.. <drop>=..".  SIGUSR1
 * runs a drill (failover API, hold -H seconds; with -C a checked one,
 * vrrp_drill: "DRILL <released> <why>" once it is decided); SIGHUP reloads (VRRP: one
 * SPEC per line of the -R file, through vrrp_reconfigure); SIGTERM stops.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "vrrp/vrrp.h"

#define MAXI 16

static struct vrrp *vr;
static struct pulse *pu;
static struct vrrp_instance_config cfgs[MAXI];
static int ninst;
static unsigned hold_s;
static bool checked_drill;
static const char *reload_file;

static uint64_t
ms_now(void)
{
	return mono_usec() / 1000;
}

static void
notify(void *arg, const char *inst, enum vrrp_state o, enum vrrp_state n,
    enum vrrp_reason why)
{
	(void)arg;
	printf("EVENT %llu %s %s %s %s\n", (unsigned long long)ms_now(), inst,
	    vrrp_state_name(o), vrrp_state_name(n), vrrp_reason_name(why));
	fflush(stdout);
}

static void
usage(void)
{
	fprintf(stderr, "usage: failover-driver [-d] [-C] [-H hold_s] "
	    "--vrrp SPEC... | --pulse SPEC\n");
	exit(2);
}

static void
parse_addr(const char *s, struct lvs_addr *a)
{
	if (addr_parse(s, a) < 0) {
		fprintf(stderr, "bad address %s\n", s);
		exit(2);
	}
}

static void
parse_vip(char *s, struct vrrp_vip *v)
{
	char *label = strchr(s, '@'), *plen = strchr(s, '/');

	memset(v, 0, sizeof(*v));
	if (label != NULL) {
		*label++ = '\0';
		snprintf(v->label, sizeof(v->label), "%s", label);
	}
	if (plen == NULL)
		usage();
	*plen++ = '\0';
	parse_addr(s, &v->addr);
	v->plen = (uint8_t)atoi(plen);
}

static void
parse_link(char *s, struct vrrp_link_watch *l)
{
	char *d = strchr(s, ':');

	memset(l, 0, sizeof(*l));
	if (d != NULL) {
		*d++ = '\0';
		l->priority_delta = atoi(d);
	}
	snprintf(l->ifname, sizeof(l->ifname), "%s", s);
}

/* Keys both modes share; returns 1 if k was one of them. */
static int
common_key(const char *k, char *v, struct vrrp_vip *vips, size_t *nvips,
    struct vrrp_link_watch *links, size_t *nlinks, unsigned *gc, unsigned *gd)
{
	if (strcmp(k, "vip") == 0)
		parse_vip(v, &vips[(*nvips)++]);
	else if (strcmp(k, "link") == 0)
		parse_link(v, &links[(*nlinks)++]);
	else if (strcmp(k, "garp") == 0 && sscanf(v, "%u:%u", gc, gd) == 2)
		;
	else
		return 0;
	return 1;
}

static void
parse_vrrp(char *spec)
{
	static struct lvs_addr peers[MAXI][8], senders[MAXI][8];
	bool any = false;
	static struct vrrp_vip vips[MAXI][8];
	static struct vrrp_link_watch links[MAXI][4];
	struct vrrp_instance_config c;
	char *tok, *save;

	if (ninst == MAXI)
		usage();
	vrrp_instance_config_init(&c);
	c.peers = peers[ninst];
	c.senders = senders[ninst];
	c.vips = vips[ninst];
	c.links = links[ninst];
	for (tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *v = strchr(tok, '=');

		if (v != NULL)
			*v++ = '\0';
		if (strcmp(tok, "nopreempt") == 0)
			c.preempt = false;
		else if (strcmp(tok, "anysender") == 0)
			any = true;
		else if (v == NULL)
			usage();
		else if (common_key(tok, v, c.vips, &c.nvips, c.links, &c.nlinks,
		    &c.garp_count, &c.garp_delay_ms))
			;
		else if (strcmp(tok, "name") == 0)
			snprintf(c.name, sizeof(c.name), "%s", v);
		else if (strcmp(tok, "vrid") == 0)
			c.vrid = (uint8_t)atoi(v);
		else if (strcmp(tok, "ver") == 0)
			c.version = (uint8_t)atoi(v);
		else if (strcmp(tok, "af") == 0)
			c.af = atoi(v) == 6 ? AF_INET6 : AF_INET;
		else if (strcmp(tok, "dev") == 0)
			snprintf(c.ifname, sizeof(c.ifname), "%s", v);
		else if (strcmp(tok, "prio") == 0)
			c.priority = (uint8_t)atoi(v);
		else if (strcmp(tok, "int") == 0)
			c.advert_cs = (uint16_t)atoi(v);
		else if (strcmp(tok, "preempt_delay") == 0)
			c.preempt_delay_ms = (unsigned)atoi(v);
		else if (strcmp(tok, "handoff_delay") == 0)
			c.handoff_delay_ms = (unsigned)atoi(v);
		else if (strcmp(tok, "auth") == 0)
			snprintf(c.auth_pass, sizeof(c.auth_pass), "%s", v);
		else if (strcmp(tok, "src") == 0)
			parse_addr(v, &c.src);
		else if (strcmp(tok, "ll") == 0) {
			/* a virtual link-local address, held like lvs.cf's */
			parse_addr(v, &c.link_local);
			struct vrrp_vip *l = &c.vips[c.nvips++];
			memset(l, 0, sizeof(*l));
			l->addr = c.link_local;
			l->plen = 64;
		}
		else if (strcmp(tok, "peer") == 0)
			parse_addr(v, &c.peers[c.npeers++]);
		else if (strcmp(tok, "sender") == 0 && c.nsenders < 8)
			parse_addr(v, &c.senders[c.nsenders++]);
		else if (strcmp(tok, "qport") == 0)
			c.query_port = (uint16_t)atoi(v);
		else
			usage();
	}
	c.any_sender = any || c.nsenders == 0;
	cfgs[ninst++] = c;
}

static void
reload(void)
{
	char line[1024];
	FILE *f = fopen(reload_file, "r");

	if (f == NULL) {
		printf("RELOAD -1\n");
		return;
	}
	ninst = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0')
			parse_vrrp(line);
	}
	fclose(f);
	printf("RELOAD %d\n", vrrp_reconfigure(vr, cfgs, (size_t)ninst));
}

static void
parse_pulse(char *spec, sd_event *ev)
{
	static struct vrrp_vip vips[8];
	static struct vrrp_link_watch links[4];
	struct pulse_config c;
	char *tok, *save;

	pulse_config_init(&c);
	c.vips = vips;
	c.links = links;
	for (tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *v = strchr(tok, '=');

		if (v != NULL)
			*v++ = '\0';
		if (strcmp(tok, "primary") == 0)
			c.primary = true;
		else if (strcmp(tok, "backup") == 0)
			c.primary = false;
		else if (v == NULL)
			usage();
		else if (common_key(tok, v, c.vips, &c.nvips, c.links, &c.nlinks,
		    &c.garp_count, &c.garp_delay_ms))
			;
		else if (strcmp(tok, "partner") == 0)
			parse_addr(v, &c.partner);
		else if (strcmp(tok, "private") == 0)
			parse_addr(v, &c.partner_private);
		else if (strcmp(tok, "port") == 0)
			c.port = (uint16_t)atoi(v);
		else if (strcmp(tok, "keepalive") == 0)
			c.keepalive_ms = (unsigned)atoi(v);
		else if (strcmp(tok, "deadtime") == 0)
			c.deadtime_ms = (unsigned)atoi(v);
		else if (strcmp(tok, "dev") == 0)
			snprintf(c.ifname, sizeof(c.ifname), "%s", v);
		else
			usage();
	}
	if ((pu = pulse_new(ev, &c, notify, NULL)) == NULL)
		exit(2);
}

static void
print_stats(const char *name, enum vrrp_state st, const struct vrrp_stats *s)
{
	printf("STATS %s %s sent=%llu recv=%llu", name, vrrp_state_name(st),
	    (unsigned long long)s->adverts_sent,
	    (unsigned long long)s->adverts_received);
	for (int i = 1; i < VRRP_DROP_MAX; i++)
		printf(" %s=%llu", vrrp_drop_name(i),
		    (unsigned long long)s->dropped[i]);
	printf(" address-mismatch=%llu", (unsigned long long)s->address_mismatch);
	printf("\n");
}

static void
drilled(void *arg, int n, const char *why)
{
	(void)arg;
	printf("DRILL %d %s\n", n, why != NULL ? why : "");
	fflush(stdout);
}

static int
on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *arg)
{
	struct vrrp_stats st;
	enum vrrp_state state;

	(void)arg;
	switch (si->ssi_signo) {
	case SIGUSR1:
		if (vr != NULL && checked_drill)
			vrrp_drill(vr, hold_s, false, drilled, NULL);
		else if (vr != NULL)
			printf("DRILL %d\n", vrrp_failover(vr, NULL, hold_s));
		else
			printf("DRILL %d\n", pulse_failover(pu, hold_s));
		break;
	case SIGUSR2:
		for (int i = 0; i < ninst; i++)
			if (vrrp_instance_stats(vr, cfgs[i].name, &state, &st) == 0)
				print_stats(cfgs[i].name, state, &st);
		if (pu != NULL && pulse_stats(pu, &state, &st) == 0)
			print_stats("pulse", state, &st);
		break;
	case SIGHUP:
		if (vr != NULL && reload_file != NULL)
			reload();
		break;
	default:
		if (vr != NULL)
			vrrp_stop(vr);
		if (pu != NULL)
			pulse_stop(pu);
		sd_event_exit(sd_event_source_get_event(s), 0);
	}
	fflush(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	sd_event *ev;
	sigset_t ss;
	bool debug = false;
	int i = 1, rc;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '-'; i++) {
		if (strcmp(argv[i], "-d") == 0)
			debug = true;
		else if (strcmp(argv[i], "-H") == 0 && i + 1 < argc)
			hold_s = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "-R") == 0 && i + 1 < argc)
			reload_file = argv[++i];
		else if (strcmp(argv[i], "-C") == 0)
			checked_drill = true;
		else
			usage();
	}
	log_init("failover-driver", LOG_TO_STDERR, debug);
	if (sd_event_default(&ev) < 0 || i >= argc)
		usage();
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGUSR1);
	sigaddset(&ss, SIGUSR2);
	sigaddset(&ss, SIGHUP);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	sd_event_add_signal(ev, NULL, SIGTERM, on_signal, NULL);
	sd_event_add_signal(ev, NULL, SIGINT, on_signal, NULL);
	sd_event_add_signal(ev, NULL, SIGUSR1, on_signal, NULL);
	sd_event_add_signal(ev, NULL, SIGUSR2, on_signal, NULL);
	sd_event_add_signal(ev, NULL, SIGHUP, on_signal, NULL);
	if (strcmp(argv[i], "--pulse") == 0 && i + 1 < argc) {
		parse_pulse(argv[i + 1], ev);
		rc = pulse_start(pu);
	} else {
		vr = vrrp_new(ev, notify, NULL);
		for (; i + 1 < argc && strcmp(argv[i], "--vrrp") == 0; i += 2)
			parse_vrrp(argv[i + 1]);
		if (i != argc)
			usage();
		for (int k = 0; k < ninst; k++)
			if (vrrp_instance_add(vr, &cfgs[k]) < 0)
				return 2;
		rc = vrrp_start(vr);
	}
	if (rc < 0)
		return 1;
	printf("READY\n");
	fflush(stdout);
	rc = sd_event_loop(ev);
	vrrp_free(vr);
	pulse_free(pu);
	sd_event_unref(ev);
	return rc < 0 ? 1 : 0;
}
