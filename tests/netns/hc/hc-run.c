/*
 * hc-run: runs health checkers given on the command line on an sd-event
 * loop and prints every transition, for the netns tests and the benchmark.
 *
 *   hc-run [-d SECONDS] [-g KILL_GRACE_MS] [-j MAXCHILDREN] [-q] [-v]
 *          [-n COPIES] CHECK...
 *   CHECK: key=value words; each "type=" word starts a new check.
 *
 * Keys: type (tcp http https se program exec icmp), label, addr, port,
 * interval, timeout, connect (ms), jitter (ms), rise, fall, init (up|down),
 * icmp (pre-check 0/1), max, method, path, host, status, regex, md5,
 * sha256, sni, verify, ca, cert, key, send, expect, use_regex, udp, cmd,
 * user, weight (dynamic 0/1), piranha=TIMEOUT/REENTRY[/INTERVAL] (seconds).
 * send/expect go through nanny's escape rules.  -n repeats each check on
 * consecutive addresses (benchmark).  Output on stdout, one line each:
 *   <seconds since start> UP|DOWN|WEIGHT <name> <weight> <reason>
 * and at the end: STAT <name> <state> checks=.. ok=.. fail=.. trans=..
 * followed by "LAG p50=.. p99=.. max=.. n=.." in microseconds.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "healthcheck/hc.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"

static uint64_t t0;
static uint64_t *lags;
static size_t nlags, caplags;
static bool quiet;
static struct hc_checker **all;
static size_t nall;

static void
on_event(struct hc_checker *ck, const struct hc_event *ev, void *ud)
{
	static const char *const kinds[] = { "UP", "DOWN", "WEIGHT" };

	(void)ud;
	if (quiet)
		return;
	printf("%.3f %s %s %d %s\n", (double)(mono_usec() - t0) / 1e6,
	    kinds[ev->kind], hc_checker_name(ck), ev->weight, ev->reason);
	fflush(stdout);
}

static void
on_start(struct hc_checker *ck, uint64_t lag, void *ud)
{
	(void)ck;
	(void)ud;
	if (nlags == caplags) {
		caplags = caplags ? caplags * 2 : 4096;
		lags = xrealloc(lags, caplags * sizeof(*lags));
	}
	lags[nlags++] = lag;
}

static enum hc_type
parse_type(const char *v)
{
	static const struct { const char *n; enum hc_type t; } m[] = {
		{ "tcp", HC_TYPE_TCP }, { "http", HC_TYPE_HTTP },
		{ "https", HC_TYPE_HTTPS }, { "se", HC_TYPE_SEND_EXPECT },
		{ "program", HC_TYPE_SEND_PROGRAM }, { "exec", HC_TYPE_EXEC },
		{ "icmp", HC_TYPE_ICMP },
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(v, m[i].n) == 0)
			return m[i].t;
	fatalx("unknown type %s", v);
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static void
set_piranha(struct hc_check_config *c, const char *v)
{
	unsigned t = 0, r = 0, i = 0;

	if (sscanf(v, "%u/%u/%u", &t, &r, &i) < 2)
		fatalx("piranha=TIMEOUT/REENTRY[/INTERVAL]");
	hc_config_piranha_timing(c, t, r, i);
}

/* Keys that take a string or flag. */
static bool
set_option(struct hc_check_config *c, const char *k, const char *v)
{
	const char *err;

	if (strcmp(k, "path") == 0) set_str(&c->http.path, v);
	else if (strcmp(k, "host") == 0) set_str(&c->http.host, v);
	else if (strcmp(k, "method") == 0)
		c->http.method = strcmp(v, "HEAD") ? HC_HTTP_GET : HC_HTTP_HEAD;
	else if (strcmp(k, "status") == 0) {
		free(c->http.status);
		if (hc_parse_status_list(v, &c->http.status, &c->http.n_status,
		    &err) < 0)
			fatalx("status: %s", err);
	} else if (strcmp(k, "regex") == 0) set_str(&c->http.body_regex, v);
	else if (strcmp(k, "md5") == 0 || strcmp(k, "sha256") == 0) {
		c->http.digest_alg = k[0] == 'm' ? HC_DIGEST_MD5 :
		    HC_DIGEST_SHA256;
		if (hc_parse_digest(c->http.digest_alg, v, c->http.digest) < 0)
			fatalx("bad digest %s", v);
	} else if (strcmp(k, "sni") == 0) set_str(&c->tls.sni, v);
	else if (strcmp(k, "verify") == 0) c->tls.verify = atoi(v);
	else if (strcmp(k, "ca") == 0) set_str(&c->tls.ca_file, v);
	else if (strcmp(k, "cert") == 0) set_str(&c->tls.cert_file, v);
	else if (strcmp(k, "key") == 0) set_str(&c->tls.key_file, v);
	else if (strcmp(k, "send") == 0) {
		free(c->se.send);
		c->se.send = hc_piranha_unescape(v);
	} else if (strcmp(k, "expect") == 0) {
		free(c->se.expect);
		c->se.expect = hc_piranha_unescape(v);
	} else if (strcmp(k, "use_regex") == 0) c->se.use_regex = atoi(v);
	else if (strcmp(k, "udp") == 0) c->se.udp = atoi(v);
	else if (strcmp(k, "cmd") == 0) set_str(&c->exec.command, v);
	else if (strcmp(k, "user") == 0) set_str(&c->exec.user, v);
	else if (strcmp(k, "weight") == 0) c->exec.dynamic_weight = atoi(v);
	else if (strcmp(k, "piranha") == 0) set_piranha(c, v);
	else
		return false;
	return true;
}

static void
set_key(struct hc_check_config *c, const char *k, const char *v)
{
	if (strcmp(k, "label") == 0) set_str(&c->label, v);
	else if (strcmp(k, "addr") == 0) {
		if (addr_parse(v, &c->addr) < 0)
			fatalx("bad address %s", v);
	} else if (strcmp(k, "port") == 0) c->port = (uint16_t)atoi(v);
	else if (strcmp(k, "interval") == 0) c->interval_ms = (uint32_t)atoi(v);
	else if (strcmp(k, "timeout") == 0) c->timeout_ms = (uint32_t)atoi(v);
	else if (strcmp(k, "connect") == 0)
		c->connect_timeout_ms = (uint32_t)atoi(v);
	else if (strcmp(k, "jitter") == 0) c->jitter_ms = (uint32_t)atoi(v);
	else if (strcmp(k, "rise") == 0) c->rise = (unsigned)atoi(v);
	else if (strcmp(k, "fall") == 0) c->fall = (unsigned)atoi(v);
	else if (strcmp(k, "init") == 0)
		c->init_state = strcmp(v, "up") ? HC_INIT_DOWN : HC_INIT_UP;
	else if (strcmp(k, "icmp") == 0) c->icmp_precheck = atoi(v);
	else if (strcmp(k, "max") == 0) c->max_response = (uint32_t)atoi(v);
	else if (!set_option(c, k, v))
		fatalx("unknown key %s", k);
}

/* Adds copies of c on addresses addr, addr+1, ... */
static void
add_checks(struct hc_engine *eng, struct hc_check_config *c, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct hc_check_config cp;
		hc_check_config_copy(&cp, c);
		if (cp.addr.af == AF_INET)
			cp.addr.u.v4.s_addr = htonl(ntohl(c->addr.u.v4.s_addr) +
			    i);
		struct hc_checker *ck = hc_checker_new(eng, &cp, NULL);
		if (ck == NULL)
			fatalx("check %u not accepted", i);
		all = xrealloc(all, (nall + 1) * sizeof(*all));
		all[nall++] = ck;
		hc_check_config_clear(&cp);
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
print_stats(void)
{
	/* Per-checker lines only for small runs. */
	for (size_t i = 0; i < nall && nall <= 64; i++) {
		const struct hc_status *st = hc_checker_status(all[i]);
		printf("STAT %s %s checks=%llu ok=%llu fail=%llu trans=%llu "
		    "weight=%d last=%s\n", hc_checker_name(all[i]),
		    st->state == HC_STATE_UP ? "UP" : "DOWN",
		    (unsigned long long)st->checks,
		    (unsigned long long)st->successes,
		    (unsigned long long)st->failures,
		    (unsigned long long)st->transitions, st->weight,
		    st->last_result);
	}
	uint64_t checks = 0, fails = 0;
	size_t up = 0;
	for (size_t i = 0; i < nall; i++) {
		const struct hc_status *st = hc_checker_status(all[i]);
		checks += st->checks;
		fails += st->failures;
		up += st->state == HC_STATE_UP;
	}
	printf("SUMMARY checkers=%zu up=%zu checks=%llu failures=%llu\n", nall,
	    up, (unsigned long long)checks, (unsigned long long)fails);
	if (nlags == 0) {
		printf("LAG n=0\n");
		return;
	}
	qsort(lags, nlags, sizeof(*lags), cmp_u64);
	printf("LAG p50=%llu p99=%llu max=%llu n=%zu\n",
	    (unsigned long long)lags[nlags / 2],
	    (unsigned long long)lags[nlags * 99 / 100],
	    (unsigned long long)lags[nlags - 1], nlags);
}

int
main(int argc, char **argv)
{
	unsigned duration = 5, maxch = 0, copies = 1, grace = 0;
	int opt;

	while ((opt = getopt(argc, argv, "d:g:j:n:qv")) != -1) {
		switch (opt) {
		case 'd': duration = (unsigned)atoi(optarg); break;
		case 'g': grace = (unsigned)atoi(optarg); break;
		case 'j': maxch = (unsigned)atoi(optarg); break;
		case 'n': copies = (unsigned)atoi(optarg); break;
		case 'q': quiet = true; break;
		case 'v': log_set_debug(true); break;
		default:
			fprintf(stderr, "usage: hc-run [-d s] [-j n] [-n copies] "
			    "[-q] type=... key=value...\n");
			return 2;
		}
	}
	log_init("hc-run", LOG_TO_STDERR, log_debug_enabled());
	sd_event *ev = NULL;
	if (sd_event_new(&ev) < 0)
		fatalx("sd_event_new");
	struct hc_engine_params p = {
		.event_cb = on_event, .start_cb = on_start, .max_children = maxch,
		.kill_grace_ms = grace,
	};
	struct hc_engine *eng = hc_engine_new(ev, &p);
	struct hc_check_config c;
	bool have = false;
	for (int i = optind; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL)
			fatalx("expected key=value, got %s", argv[i]);
		*eq = '\0';
		if (strcmp(argv[i], "type") == 0) {
			if (have) {
				add_checks(eng, &c, copies);
				hc_check_config_clear(&c);
			}
			hc_check_config_init(&c);
			c.type = parse_type(eq + 1);
			c.jitter_ms = 0;
			have = true;
			continue;
		}
		if (!have)
			fatalx("type= must come first");
		set_key(&c, argv[i], eq + 1);
	}
	if (have) {
		add_checks(eng, &c, copies);
		hc_check_config_clear(&c);
	}
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	t0 = mono_usec();
	/* The tests relate their own actions to hc-run's clock with it. */
	printf("0.000 START %lld.%09ld\n", (long long)rt.tv_sec, rt.tv_nsec);
	fflush(stdout);
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	sd_event_add_signal(ev, NULL, SIGTERM, NULL, NULL);
	sd_event_add_signal(ev, NULL, SIGINT, NULL, NULL);
	if (duration)
		sd_event_add_time_relative(ev, NULL, CLOCK_MONOTONIC,
		    (uint64_t)duration * 1000000, 1000, NULL, NULL);
	sd_event_loop(ev);
	print_stats();
	free(all);
	hc_engine_free(eng);
	sd_event_unref(ev);
	free(lags);
	return 0;
}
