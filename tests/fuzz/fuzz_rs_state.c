/* fuzz-sources: tools/realserver/state.c lib/addr.c lib/xalloc.c lib/log.c */
/*
 * lvs-realserver's record of changes, which undo reads back.  Accepted
 * text must write back to text that parses to the same records.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/realserver/rs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_state a, b;
	char why[512], *text = malloc(size + 1), *out = NULL;
	size_t len = 0;
	FILE *f;

	memcpy(text, data, size);
	text[size] = '\0';
	if (rs_state_parse("fuzz", text, &a, why, sizeof(why)) < 0) {
		if (strncmp(why, "fuzz:", 5) != 0)
			abort();	/* errors name their place */
		free(text);
		return 0;
	}
	f = open_memstream(&out, &len);
	rs_state_write(f, &a);
	fclose(f);
	if (rs_state_parse("again", out, &b, why, sizeof(why)) < 0 ||
	    b.nrecs != a.nrecs)
		abort();
	for (size_t i = 0; i < a.nrecs; i++)
		if (a.recs[i].kind != b.recs[i].kind ||
		    strcmp(a.recs[i].key, b.recs[i].key) != 0 ||
		    !addr_eq(&a.recs[i].addr, &b.recs[i].addr) ||
		    a.recs[i].port != b.recs[i].port)
			abort();
	rs_state_free(&a);
	rs_state_free(&b);
	free(out);
	free(text);
	return 0;
}
