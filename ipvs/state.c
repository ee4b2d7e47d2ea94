#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipvs/priv.h"
#include "lib/log.h"
#include "lib/xalloc.h"

/*
 * The state file lists the services lvsd manages, one per line:
 *   tcp 10.0.0.1 80 | udp 2001:db8::1 53 | sctp ... | fwmark inet 5
 * so that a later run can tell its own stale services from services
 * somebody else created by hand.  Written atomically (temp + rename).
 */

int
ipvs_state_parse_line(const char *line, struct ipvs_service *svc)
{
	char w1[16], w2[64];
	unsigned long n;

	if (sscanf(line, "%15s %63s %lu", w1, w2, &n) != 3 || n > UINT32_MAX)
		return -1;
	if (strcmp(w1, "fwmark") == 0) {
		sa_family_t af = strcmp(w2, "inet") == 0 ? AF_INET :
		    strcmp(w2, "inet6") == 0 ? AF_INET6 : AF_UNSPEC;
		if (af == AF_UNSPEC || n == 0)
			return -1;
		ipvs_service_init(svc, af);
		svc->fwmark = (uint32_t)n;
		return 0;
	}
	struct lvs_addr a;
	if (addr_parse(w2, &a) == -1 || n > 65535)
		return -1;
	ipvs_service_init(svc, a.af);
	svc->addr = a;
	svc->port = (uint16_t)n;
	if (strcmp(w1, "tcp") == 0)
		svc->protocol = IPPROTO_TCP;
	else if (strcmp(w1, "udp") == 0)
		svc->protocol = IPPROTO_UDP;
	else if (strcmp(w1, "sctp") == 0)
		svc->protocol = IPPROTO_SCTP;
	else
		return -1;
	return 0;
}

int
ipvs_state_read(const char *path, struct ipvs_table *keys)
{
	FILE *f = fopen(path, "re");
	char line[256];
	unsigned lineno = 0;

	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		struct ipvs_service svc;
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (ipvs_state_parse_line(line, &svc) == -1) {
			log_warnx("%s:%u: ignoring unreadable line", path, lineno);
			continue;
		}
		(void)ipvs_table_add_service(keys, &svc, NULL);
	}
	fclose(f);
	return 0;
}

static void
write_line(FILE *f, const struct ipvs_service *s)
{
	char a[LVS_ADDRSTRLEN];

	if (s->fwmark != 0) {
		fprintf(f, "fwmark %s %u\n", s->af == AF_INET6 ? "inet6" : "inet",
		    s->fwmark);
		return;
	}
	const char *p = s->protocol == IPPROTO_UDP ? "udp" :
	    s->protocol == IPPROTO_SCTP ? "sctp" : "tcp";
	fprintf(f, "%s %s %u\n", p, addr_fmt(&s->addr, a), s->port);
}

int
ipvs_state_write(const char *path, const struct ipvs_table *mirror)
{
	char *tmp = xasprintf("%s.tmp", path);
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	const struct ipvs_svc *s;
	int rc = -1;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		(void)mkdir(dir, 0755);	/* /run/lvsd may not exist yet */
	}
	FILE *f = fopen(tmp, "we");
	if (f == NULL)
		goto out;
	fputs("# services managed by lvsd (removed at start when no longer configured)\n", f);
	TAILQ_FOREACH(s, &mirror->svcs, entry)
		if (s->managed && !s->broken)
			write_line(f, &s->conf);
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		unlink(tmp);
		goto out;
	}
	fclose(f);
	if (rename(tmp, path) == -1) {
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		log_warn("IPVS: cannot write state file %s", path);
	free(tmp);
	free(dir);
	return rc;
}
