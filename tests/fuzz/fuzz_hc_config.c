/* fuzz-sources: healthcheck/config.c lib/xalloc.c lib/log.c lib/addr.c */
/*
 * The health-check value parsers the lvs.cf reader hands operator text to:
 * HTTP status lists, hex digests and nanny's send/expect escapes.  The
 * first byte picks the parser.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/hc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0: {
		struct hc_status_range *r = NULL;
		size_t n = 0;
		const char *err = NULL;
		if (hc_parse_status_list(s, &r, &n, &err) == 0) {
			for (size_t i = 0; i < n; i++)
				if (r[i].lo < 100 || r[i].hi > 599 || r[i].lo > r[i].hi)
					abort();
			free(r);
		} else if (err == NULL) {
			abort();
		}
		break;
	}
	case 1:
	case 2: {
		uint8_t d[HC_DIGEST_MAX];
		(void)hc_parse_digest(data[0] % 4 == 1 ? HC_DIGEST_MD5 :
		    HC_DIGEST_SHA256, s, d);
		break;
	}
	default: {
		char *u = hc_piranha_unescape(s);
		if (strlen(u) > strlen(s))
			abort();
		free(u);
		break;
	}
	}
	free(s);
	return 0;
}
