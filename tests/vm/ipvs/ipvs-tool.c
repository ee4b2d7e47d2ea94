/*
 * ipvs-tool: drives the IPVS driver from the real-kernel tests and the
 * apply benchmark.  Options, then steps executed in order in ONE driver
 * run (so a diff, a resync or a close is tested against a live mirror):
 *
 *   ipvs-tool [-n] [-s STATEFILE] [-v] STEP...
 *     apply FILE        apply the table described in FILE (format below)
 *     gen N             apply N services x 4 destinations (benchmark)
 *     edit K            re-apply the generated table with K weights changed
 *     resync            ipvs_resync (-b: ipvs_resync_start + continue)
 *     exec CMD          run CMD with sh -c (e.g. ipvsadm -D behind our back)
 *     timeouts T,F,U    ipvs_set_timeouts
 *     sync-start master|backup IFNAME ID / sync-stop master|backup
 *     handoff IFNAME    ipvs_conn_handoff to the default sync group
 *     dump              print ipvs_dump_stats (labels, weights, conns;
 *                       -b: ipvs_dump_start/step/finish)
 *     count             the same dump, one line: services, dests, time
 *     info              print ipvs_get_info
 *     close-keep | close-remove   (default at the end: close-keep)
 *   -n dry run, -s state file, -v debug logs, -h size hint,
 *   -b N: apply, resync and dump in slices of N services; each such step
 *   then also prints "slices: start=..s n=.. longest=..s at=K": the time
 *   of the start (which reads the service list for a resync or a dump),
 *   then how many slices followed, the longest and its number (from 1).
 * Each apply/resync prints one line: NAME: msgs=.. svc+=.. ... time=..s
 *
 * Table file: one object per line, '#' comments.
 *   service tcp|udp|sctp ADDR:PORT SCHED [OPT...]
 *   service fwmark MARK inet|inet6 SCHED [OPT...]
 *     OPT: persistent=SECONDS netmask=PLEN pe=NAME label=TEXT
 *          one-packet sched1 sched2 sched3 (sh/mh fallback, port)
 *   dest ADDR:PORT masq|route|tunnel WEIGHT [uthresh=N lthresh=N
 *        tun=ipip|gue|gre tunport=N tunflags=csum|remcsum label=TEXT]
 *   (IPv6 addresses as [2001:db8::1]:80; labels without spaces)
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipvs/ipvs.h"
#include "lib/log.h"

static int
parse_addrport(char *text, struct lvs_addr *a, uint16_t *port)
{
	char *colon = strrchr(text, ':');
	if (colon == NULL)
		return -1;
	*colon = '\0';
	char *host = text;
	if (host[0] == '[') {
		host++;
		size_t n = strlen(host);
		if (n == 0 || host[n - 1] != ']')
			return -1;
		host[n - 1] = '\0';
	}
	char *end;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || p > 65535 || addr_parse(host, a) == -1)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static const char *
opt_val(const char *tok, const char *key)
{
	size_t n = strlen(key);
	return strncmp(tok, key, n) == 0 && tok[n] == '=' ? tok + n + 1 : NULL;
}

static int
service_opts(char **tok, struct ipvs_service *s, const char **label)
{
	const char *v;

	for (; *tok != NULL; tok++) {
		if ((v = opt_val(*tok, "persistent")) != NULL) {
			s->flags |= IPVS_SVC_PERSISTENT;
			s->timeout = (uint32_t)atoi(v);
		} else if ((v = opt_val(*tok, "netmask")) != NULL) {
			s->netmask_plen = (unsigned)atoi(v);
		} else if ((v = opt_val(*tok, "pe")) != NULL) {
			snprintf(s->pe_name, sizeof(s->pe_name), "%s", v);
		} else if ((v = opt_val(*tok, "label")) != NULL) {
			*label = v;
		} else if (strcmp(*tok, "one-packet") == 0) {
			s->flags |= IPVS_SVC_ONEPACKET;
		} else if (strcmp(*tok, "sched1") == 0) {
			s->flags |= IPVS_SVC_SCHED1;
		} else if (strcmp(*tok, "sched2") == 0) {
			s->flags |= IPVS_SVC_SCHED2;
		} else if (strcmp(*tok, "sched3") == 0) {
			s->flags |= IPVS_SVC_SCHED3;
		} else {
			return -1;
		}
	}
	return 0;
}

static int
parse_service(char **tok, int n, struct ipvs_service *s, const char **label)
{
	int i;

	if (n < 4)
		return -1;
	if (strcmp(tok[1], "fwmark") == 0) {
		if (n < 5)
			return -1;
		ipvs_service_init(s, strcmp(tok[3], "inet6") == 0 ? AF_INET6 : AF_INET);
		s->fwmark = (uint32_t)strtoul(tok[2], NULL, 10);
		i = 4;
	} else {
		struct lvs_addr a;
		uint16_t port;
		if (parse_addrport(tok[2], &a, &port) == -1)
			return -1;
		ipvs_service_init(s, a.af);
		s->addr = a;
		s->port = port;
		s->protocol = strcmp(tok[1], "udp") == 0 ? IPPROTO_UDP :
		    strcmp(tok[1], "sctp") == 0 ? IPPROTO_SCTP : IPPROTO_TCP;
		i = 3;
	}
	snprintf(s->sched, sizeof(s->sched), "%s", tok[i]);
	return service_opts(tok + i + 1, s, label);
}

static int
parse_dest(char **tok, int n, struct ipvs_dest *d, const char **label)
{
	const char *v;

	if (n < 4)
		return -1;
	ipvs_dest_init(d);
	if (parse_addrport(tok[1], &d->addr, &d->port) == -1)
		return -1;
	d->fwd = strcmp(tok[2], "route") == 0 ? IPVS_FWD_ROUTE :
	    strcmp(tok[2], "tunnel") == 0 ? IPVS_FWD_TUNNEL : IPVS_FWD_MASQ;
	d->weight = atoi(tok[3]);
	for (int i = 4; i < n; i++) {
		if ((v = opt_val(tok[i], "uthresh")) != NULL)
			d->u_thresh = (uint32_t)atoi(v);
		else if ((v = opt_val(tok[i], "lthresh")) != NULL)
			d->l_thresh = (uint32_t)atoi(v);
		else if ((v = opt_val(tok[i], "tun")) != NULL)
			d->tun_type = strcmp(v, "gue") == 0 ? IPVS_TUN_GUE :
			    strcmp(v, "gre") == 0 ? IPVS_TUN_GRE : IPVS_TUN_IPIP;
		else if ((v = opt_val(tok[i], "tunport")) != NULL)
			d->tun_port = (uint16_t)atoi(v);
		else if ((v = opt_val(tok[i], "tunflags")) != NULL)
			d->tun_flags = strcmp(v, "csum") == 0 ? IPVS_TUN_F_CSUM :
			    strcmp(v, "remcsum") == 0 ? IPVS_TUN_F_REMCSUM : 0;
		else if ((v = opt_val(tok[i], "label")) != NULL)
			*label = v;
		else
			return -1;
	}
	return 0;
}

static struct ipvs_table *
read_table(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned lineno = 0;
	struct ipvs_svc *cur = NULL;

	if (f == NULL) {
		fprintf(stderr, "ipvs-tool: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	struct ipvs_table *t = ipvs_table_new(16);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tok[32], *save = NULL;
		int n = 0;
		lineno++;
		*strchrnul(line, '#') = '\0';
		for (char *w = strtok_r(line, " \t\n", &save); w != NULL && n < 31;
		    w = strtok_r(NULL, " \t\n", &save))
			tok[n++] = w;
		tok[n] = NULL;
		if (n == 0)
			continue;
		const char *label = NULL;
		int ok = -1;
		if (strcmp(tok[0], "service") == 0) {
			struct ipvs_service s;
			if (parse_service(tok, n, &s, &label) == 0 &&
			    (cur = ipvs_table_add_service(t, &s, label)) != NULL)
				ok = 0;
		} else if (strcmp(tok[0], "dest") == 0 && cur != NULL) {
			struct ipvs_dest d;
			if (parse_dest(tok, n, &d, &label) == 0 &&
			    ipvs_table_add_dest(t, cur, &d, label) != NULL)
				ok = 0;
		}
		if (ok == -1) {
			fprintf(stderr, "ipvs-tool: %s:%u: bad line\n", path, lineno);
			exit(2);
		}
	}
	fclose(f);
	return t;
}

/* N services x 4 dests: 10.S.S.S:80 -> 172.16.j.x:8080, NAT, weight w. */
static struct ipvs_table *
gen_table(unsigned n, unsigned edits)
{
	struct ipvs_table *t = ipvs_table_new(n);
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		struct ipvs_service s;
		ipvs_service_init(&s, AF_INET);
		s.addr.u.v4.s_addr = htonl(0x0a000000u + i + 1);
		s.port = 80;
		struct ipvs_svc *e = ipvs_table_add_service(t, &s, NULL);
		for (unsigned j = 0; j < 4; j++) {
			struct ipvs_dest d;
			ipvs_dest_init(&d);
			d.addr.af = AF_INET;
			d.addr.u.v4.s_addr = htonl(0xac100000u + (j << 12) + i % 4000 + 1);
			d.port = (uint16_t)(8080 + i / 4000);
			/* spread the edits over the whole table */
			if (edits > 0 && (i * 4 + j) % ((n * 4) / edits) == 0 && k < edits) {
				d.weight = 2;
				k++;
			}
			ipvs_table_add_dest(t, e, &d, NULL);
		}
	}
	return t;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
print_stats(const char *name, const struct ipvs_apply_stats *st, int rc, double dt)
{
	printf("%s: rc=%d msgs=%u svc+=%u svc~=%u svc-=%u adopted=%u dst+=%u "
	    "dst~=%u dst-=%u errors=%u batches=%u resyncs=%u time=%.3fs\n", name,
	    rc, st->msgs, st->svc_added, st->svc_edited, st->svc_removed,
	    st->svc_adopted, st->dst_added, st->dst_edited, st->dst_removed,
	    st->errors, st->batches, st->resyncs, dt);
	fflush(stdout);
}

static int dump_sliced(struct ipvs_driver *drv, struct ipvs_table **out);
static size_t slice_budget;	/* -b: apply, resync and dump in slices */

/* The statistics dump: in slices with -b. */
static int
get_dump(struct ipvs_driver *drv, struct ipvs_table **t)
{
	int rc = slice_budget > 0 ? dump_sliced(drv, t) : ipvs_dump_stats(drv, t);

	if (rc == -1)
		printf("dump: failed: %s\n", strerror(errno));
	return rc;
}

/* One line: how many services and destinations a dump found. */
static void
print_count(struct ipvs_driver *drv)
{
	struct ipvs_table *t;
	double t0 = now();

	if (get_dump(drv, &t) == -1)
		return;
	printf("count: services=%zu dests=%zu time=%.3fs\n",
	    ipvs_table_nservices(t), ipvs_table_ndests(t), now() - t0);
	ipvs_table_free(t);
}

static void
print_dump(struct ipvs_driver *drv)
{
	struct ipvs_table *t;
	char sb[IPVS_SVCSTRLEN], ab[LVS_ADDRPORTSTRLEN];

	if (get_dump(drv, &t) == -1)
		return;
	for (struct ipvs_svc *s = ipvs_table_next(t, NULL); s; s = ipvs_table_next(t, s)) {
		const struct ipvs_service *c = ipvs_svc_conf(s);
		printf("service %s %s label=%s managed=%d conns=%llu\n",
		    ipvs_service_fmt(c, sb), c->sched, ipvs_svc_label(s),
		    ipvs_driver_manages(drv, c), (unsigned long long)c->stats.conns);
		for (struct ipvs_dst *d = ipvs_svc_next_dest(s, NULL); d;
		    d = ipvs_svc_next_dest(s, d)) {
			const struct ipvs_dest *dc = ipvs_dst_conf(d);
			printf("  dest %s weight=%d label=%s\n",
			    addr_port_fmt(&dc->addr, dc->port, ab), dc->weight,
			    ipvs_dst_label(d));
		}
	}
	ipvs_table_free(t);
}

static int
sync_step(struct ipvs_driver *drv, char **argv, int *i, int argc, bool start)
{
	struct ipvs_sync_conf c = { 0 };

	if (*i + (start ? 3 : 1) >= argc)
		return -1;
	c.state = strcmp(argv[++*i], "backup") == 0 ? IPVS_SYNC_BACKUP : IPVS_SYNC_MASTER;
	if (!start)
		return ipvs_sync_stop(drv, c.state);
	snprintf(c.ifname, sizeof(c.ifname), "%s", argv[++*i]);
	c.syncid = (uint32_t)atoi(argv[++*i]);
	return ipvs_sync_start(drv, &c);
}

/* -b: apply, resync and dump in slices of this many services */

/* The slices of the last sliced step: the start (the service list of a
 * resync or a dump), then the continues: count, longest and its number. */
static struct {
	unsigned n, at;
	double start, longest;
} slices;

static void
slice_note(double dt, bool start)
{
	if (start) {
		slices.start = dt;
		return;
	}
	if (dt > slices.longest) {
		slices.longest = dt;
		slices.at = slices.n + 1;
	}
	slices.n++;
}

/* Runs the operation in progress to its end, timing each slice. */
static int
run_slices(struct ipvs_driver *drv, struct ipvs_apply_stats *st)
{
	int rc;

	do {
		double t0 = now();
		rc = ipvs_apply_continue(drv, slice_budget, st);
		slice_note(now() - t0, false);
	} while (rc == 1);
	return rc;
}

static int
apply_table(struct ipvs_driver *drv, struct ipvs_table *t, struct ipvs_apply_stats *st)
{
	if (slice_budget == 0)
		return ipvs_apply(drv, t, st);
	double t0 = now();
	if (ipvs_apply_start(drv, t) == -1)
		return -1;
	slice_note(now() - t0, true);
	return run_slices(drv, st);
}

static int
resync(struct ipvs_driver *drv, struct ipvs_apply_stats *st)
{
	if (slice_budget == 0)
		return ipvs_resync(drv, st);
	double t0 = now();
	if (ipvs_resync_start(drv) == -1)
		return -1;
	slice_note(now() - t0, true);
	return run_slices(drv, st);
}

/* The sliced statistics dump, timed like the other slices. */
static int
dump_sliced(struct ipvs_driver *drv, struct ipvs_table **out)
{
	double t0 = now();
	struct ipvs_dump *dp = ipvs_dump_start(drv);

	slice_note(now() - t0, true);
	if (dp == NULL)
		return -1;
	while (!ipvs_dump_done(dp)) {
		t0 = now();
		(void)ipvs_dump_step(dp, slice_budget);
		slice_note(now() - t0, false);
	}
	return ipvs_dump_finish(dp, out);
}

static void
print_slices(void)
{
	if (slices.n > 0)
		printf("slices: start=%.4fs n=%u longest=%.4fs at=%u\n",
		    slices.start, slices.n, slices.longest, slices.at);
	memset(&slices, 0, sizeof(slices));
}

static int
run_step(struct ipvs_driver **drvp, char **argv, int *i, int argc, unsigned *gen_n)
{
	struct ipvs_driver *drv = *drvp;
	struct ipvs_apply_stats st;
	const char *step = argv[*i];
	char name[300];
	double t0 = now();
	int rc;

	if (strcmp(step, "resync") == 0) {
		rc = resync(drv, &st);
		print_stats("resync", &st, rc, now() - t0);
		print_slices();
		return 0;
	}
	if (strcmp(step, "info") == 0) {
		uint32_t v, size;
		rc = ipvs_get_info(drv, &v, &size);
		printf("info: rc=%d version=%u.%u.%u size=%u\n", rc, v >> 16,
		    (v >> 8) & 0xff, v & 0xff, size);
		return 0;
	}
	if (strcmp(step, "dump") == 0) {
		print_dump(drv);
		print_slices();
		return 0;
	}
	if (strcmp(step, "count") == 0) {
		print_count(drv);
		print_slices();
		return 0;
	}
	if (strcmp(step, "close-keep") == 0 || strcmp(step, "close-remove") == 0) {
		ipvs_driver_close(drv, strcmp(step, "close-keep") == 0);
		*drvp = NULL;
		printf("%s: time=%.3fs\n", step, now() - t0);
		return 0;
	}
	if (*i + 1 >= argc)
		return -1;
	const char *arg = argv[++*i];
	struct ipvs_table *t;
	if (strcmp(step, "apply") == 0) {
		t = read_table(arg);
	} else if (strcmp(step, "gen") == 0) {
		*gen_n = (unsigned)atoi(arg);
		t = gen_table(*gen_n, 0);
	} else if (strcmp(step, "edit") == 0) {
		t = gen_table(*gen_n, (unsigned)atoi(arg));
	} else if (strcmp(step, "exec") == 0) {
		rc = system(arg);
		printf("exec: rc=%d\n", rc);
		return 0;
	} else if (strcmp(step, "timeouts") == 0) {
		struct ipvs_timeouts to = { 0 };
		if (sscanf(arg, "%u,%u,%u", &to.tcp, &to.tcp_fin, &to.udp) != 3)
			return -1;
		printf("timeouts: rc=%d\n", ipvs_set_timeouts(drv, &to));
		return 0;
	} else if (strcmp(step, "handoff") == 0) {
		struct ipvs_sync_conf c = { .state = IPVS_SYNC_MASTER };
		snprintf(c.ifname, sizeof(c.ifname), "%s", arg);
		printf("handoff: sent=%d\n", ipvs_conn_handoff(drv, &c));
		return 0;
	} else if (strcmp(step, "sync-start") == 0 || strcmp(step, "sync-stop") == 0) {
		--*i;
		printf("%s: rc=%d\n", step, sync_step(drv, argv, i, argc,
		    strcmp(step, "sync-start") == 0));
		return 0;
	} else {
		return -1;
	}
	t0 = now();
	rc = apply_table(drv, t, &st);
	snprintf(name, sizeof(name), "%s %s", step, arg);
	print_stats(name, &st, rc, now() - t0);
	print_slices();
	return 0;
}

int
main(int argc, char **argv)
{
	struct ipvs_driver_opts opts = { 0 };
	bool debug = false;
	unsigned gen_n = 0;
	int c;

	while ((c = getopt(argc, argv, "+ns:vh:b:")) != -1) {
		switch (c) {
		case 'b': slice_budget = (size_t)atoi(optarg); break;
		case 'n': opts.dry_run = true; break;
		case 's': opts.state_file = optarg; break;
		case 'v': debug = true; break;
		case 'h': opts.size_hint = (size_t)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: ipvs-tool [-n] [-s STATE] [-h HINT] "
			    "[-b BUDGET] STEP...\n");
			return 2;
		}
	}
	log_init("ipvs-tool", LOG_TO_STDERR, debug);
	double t0 = now();
	struct ipvs_driver *drv = ipvs_driver_open(&opts);
	if (drv == NULL) {
		if (errno == IPVS_ENOKERNEL)
			fprintf(stderr, "ipvs-tool: this kernel has no IPVS support (CONFIG_IP_VS)\n");
		else
			fprintf(stderr, "ipvs-tool: cannot open the IPVS driver: %s\n",
			    strerror(errno));
		return 3;
	}
	printf("open: time=%.3fs\n", now() - t0);
	for (int i = optind; i < argc; i++) {
		if (drv == NULL) {
			fprintf(stderr, "ipvs-tool: %s after close\n", argv[i]);
			return 2;
		}
		if (run_step(&drv, argv, &i, argc, &gen_n) == -1) {
			fprintf(stderr, "ipvs-tool: bad step %s\n", argv[i]);
			return 2;
		}
	}
	ipvs_driver_close(drv, true);
	return 0;
}
