/* fuzz-sources: tests/fuzz/fuzz_keepalived_conf.c tools/import/kc_tree.c tools/import/kc_lex.c tools/import/kc_pre.c tools/import/kc_read.c tools/import/imp_diag.c tools/import/imp_words.c tools/import/imp_out.c tools/import/imp_map.c tools/import/imp_global.c tools/import/imp_vrrp.c tools/import/imp_group.c tools/import/imp_vs.c tools/import/imp_rs.c tools/import/imp_check.c tools/import/imp_eff.c tools/import/imp_combine.c tools/import/imp_place.c tools/import/imp_run.c cfg/arena.c cfg/cfg.c cfg/diag.c cfg/keys.c cfg/lex.c cfg/parse.c cfg/types.c cfg/validate.c cfg/check.c cfg/failover.c healthcheck/config.c lib/addr.c lib/log.c lib/suggest.c lib/xalloc.c */
/*
 * lvsd-import-keepalived under libFuzzer: any input is read, mapped and
 * combined without a crash; every message names a place; and whatever is
 * written for an input without errors (--force: constructs lvs.cf cannot
 * express left out) is an lvs.cf that lvsd accepts.  A line `%%` splits
 * the input into the primary's and the backup's file.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "tools/import/imp_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
map_one(struct imp_diags *d, const char *name, const char *buf, size_t len,
    struct imp_file *f)
{
	struct kc_read_opts o = { .config_id = "a", .no_include = true };
	imp_file_map(d, kc_read_buffer(name, buf, len, &o, d), name, f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *split = memmem(text, size, "\n%%\n", 4);
	size_t plen = split ? (size_t)(split - text) + 1 : size;
	struct imp_diags *d = imp_diags_new();
	struct imp_file f[2];
	memset(f, 0, sizeof(f));
	map_one(d, "primary.conf", text, plen, &f[0]);
	if (split != NULL)
		map_one(d, "backup.conf", split + 4, size - plen - 3, &f[1]);
	struct imp_opts opts = { "192.0.2.1", "192.0.2.2" };
	struct imp_result r;
	imp_combine(d, &f[0].site, split ? &f[1].site : NULL, &opts, &r);
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].loc.file != NULL && d->v[i].loc.line == 0)
			abort();	/* a message without its place */
		free(imp_diag_format(&d->v[i]));
	}
	if (d->ninvalid == 0) {
		char *out;
		size_t len;
		FILE *m = open_memstream(&out, &len);
		imp_write(m, &r, "primary.conf", split ? "backup.conf" : NULL, d);
		fclose(m);
		struct cfg_diags *cd = cfg_diags_new();
		struct cfg *cfg = cfg_load_buffer("out.cf", out, len, cd);
		if (cfg == NULL) {
			const struct cfg_diag *dg;
			fprintf(stderr, "lvsd refuses the output:\n%s\n", out);
			TAILQ_FOREACH(dg, &cd->list, entry) {
				char *s = cfg_diag_format(dg);
				fprintf(stderr, "%s\n", s);
				free(s);
			}
			abort();
		}
		cfg_free(cfg);
		cfg_diags_free(cd);
		free(out);
	}
	imp_result_clear(&r);
	imp_file_clear(&f[0]);
	imp_file_clear(&f[1]);
	imp_diags_free(d);
	return 0;
}
