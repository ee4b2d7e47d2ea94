/* fuzz-sources: web/conf.c lib/addr.c lib/log.c lib/suggest.c lib/xalloc.c */
/*
 * lvsd-web.conf under libFuzzer: any bytes are a configuration or a list
 * of located errors; never a crash.  A file that parses must also pass
 * or fail the cross-key check without trouble.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "web/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *err = fopen("/dev/null", "w");
	struct web_config c;
	web_config_init(&c);
	unsigned n = web_config_parse(&c, "fuzz.conf", (const char *)data, size,
	    err);
	if (n == 0)
		(void)web_config_check(&c, "fuzz.conf", err);
	if (c.poll_ms < 250 || c.poll_ms > 60000 || c.listen_port == 0)
		abort();	/* a bound not enforced */
	web_config_clear(&c);
	fclose(err);
	return 0;
}
