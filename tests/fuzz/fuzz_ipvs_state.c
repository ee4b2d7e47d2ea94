/* fuzz-sources: tests/fuzz/fuzz_ipvs_state.c ipvs/state.c ipvs/table.c lib/addr.c lib/log.c lib/xalloc.c */
/*
 * The IPVS driver's state file (the services lvsd manages, read at start
 * to find stale ones) under libFuzzer: the input is the whole file.  Every
 * line is either ignored or yields a valid service key, and whatever was
 * read survives being written back and read again.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipvs/priv.h"
#include "lib/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64], path2[64];
static int devnull = -1, saved_stderr = -1;

static void
init(void)
{
	snprintf(path, sizeof(path), "/tmp/fuzz_ipvs_state.%d", (int)getpid());
	snprintf(path2, sizeof(path2), "/tmp/fuzz_ipvs_state2.%d", (int)getpid());
	log_init("fuzz", LOG_TO_STDERR, false);
	devnull = open("/dev/null", O_WRONLY);
	saved_stderr = dup(2);
}

/* The reader warns once per bad line: silence it, not sanitizer reports. */
static int
quiet_read(const char *p, struct ipvs_table *t)
{
	dup2(devnull, 2);
	int rc = ipvs_state_read(p, t);
	dup2(saved_stderr, 2);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (path[0] == '\0')
		init();
	FILE *f = fopen(path, "w");
	fwrite(data, 1, size, f);
	fclose(f);

	struct ipvs_table *t = ipvs_table_new(4), *again = ipvs_table_new(4);
	if (quiet_read(path, t) != 0)
		abort();
	for (struct ipvs_svc *s = ipvs_table_next(t, NULL); s; s = ipvs_table_next(t, s)) {
		if (ipvs_service_check(ipvs_svc_conf(s)) != 0)
			abort();
		s->managed = true;
	}
	if (ipvs_state_write(path2, t) != 0 || quiet_read(path2, again) != 0)
		abort();
	if (ipvs_table_nservices(again) != ipvs_table_nservices(t))
		abort();
	for (struct ipvs_svc *s = ipvs_table_next(t, NULL); s; s = ipvs_table_next(t, s))
		if (ipvs_table_find_service(again, ipvs_svc_conf(s)) == NULL)
			abort();
	ipvs_table_free(t);
	ipvs_table_free(again);
	unlink(path);
	unlink(path2);
	return 0;
}
