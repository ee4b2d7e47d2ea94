#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "lib/xalloc.h"
#include "web/gzip.h"

char *
web_gzip(const char *data, size_t len, size_t *outlen)
{
	z_stream z = { 0 };
	if (len > UINT_MAX / 2)
		return NULL;		/* zlib counts in 32 bits: send it plain */
	/* 15 + 16: a gzip header and trailer, not zlib's. */
	if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, (uLong)len);
	char *out = xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	int r = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	if (r != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}
