/* fuzz-sources: tests/fuzz/fuzz_cfg.c cfg/arena.c cfg/cfg.c cfg/diag.c cfg/keys.c cfg/lex.c cfg/parse.c cfg/types.c cfg/validate.c cfg/check.c cfg/failover.c daemon/plan.c daemon/plan_failover.c daemon/plan_checks.c daemon/desired.c daemon/override.c daemon/node.c vrrp/config.c ipvs/table.c healthcheck/config.c lib/addr.c lib/log.c lib/suggest.c lib/xalloc.c */
/*
 * lvs.cf reader under libFuzzer: any input is either rejected with
 * diagnostics or accepted; an accepted one must survive the round trip
 * through the canonical printer with the same meaning, and its plan (for
 * both roles) and desired table are built too.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "daemon/desired.h"
#include "daemon/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_diags *d = cfg_diags_new();
	struct cfg *a = cfg_load_buffer("fuzz.cf", (const char *)data, size, d);
	/* Formatting every diagnostic exercises the message paths too. */
	const struct cfg_diag *dg;
	TAILQ_FOREACH(dg, &d->list, entry)
		free(cfg_diag_format(dg));
	cfg_diags_free(d);
	if (a == NULL)
		return 0;
	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	cfg_print(f, a);
	fclose(f);
	struct cfg *b = cfg_load_buffer("printed.cf", text, len, NULL);
	if (b == NULL || !cfg_equal(a, b)) {
		fprintf(stderr, "round trip failed; printed form:\n%s\n", text);
		abort();
	}
	free(text);
	d = cfg_diags_new();
	if (plan_check_roles(a, NODE_ROLE_UNKNOWN, d) == 0) {
		struct desired_inputs in = { .cfg = a };
		ipvs_table_free(desired_table(&in));
	}
	cfg_diags_free(d);
	cfg_free(a);
	cfg_free(b);
	return 0;
}
