#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tools/import/imp_run.h"

void
imp_file_map(struct imp_diags *d, struct kc_doc *doc, const char *path,
    struct imp_file *f)
{
	memset(f, 0, sizeof(*f));
	f->doc = doc;
	f->site.path = path;
	struct imp_ctx c = { d, &f->site, doc };
	imp_map_doc(&c);
}

void
imp_file_clear(struct imp_file *f)
{
	imp_site_clear(&f->site);
	kc_doc_free(f->doc);
	memset(f, 0, sizeof(*f));
}

void
imp_write(FILE *f, const struct imp_result *r, const char *primary,
    const char *backup, const struct imp_diags *d)
{
	fprintf(f, "# lvs.cf converted from keepalived.conf by "
	    "lvsd-import-keepalived %s\n", PACKAGE_VERSION);
	fprintf(f, "# primary director: %s\n", primary);
	fprintf(f, "# backup director: %s\n", backup ? backup :
	    "(no file: its VRRP priorities are assumed)");
	if (d->nloss > 0) {
		fprintf(f, "# Left out (written with --force):\n");
		imp_diags_print(f, d, IMP_LOSS, "#   ");
	}
	if (r->global.nkv > 0) {
		fputc('\n', f);
		out_write_block(f, &r->global, 0);
	}
	for (size_t i = 0; i < r->nvrrps; i++) {
		fputc('\n', f);
		out_write_block(f, &r->vrrps[i], 0);
	}
	for (size_t i = 0; i < r->nvirts; i++) {
		fputc('\n', f);
		out_write_block(f, &r->virts[i], 0);
	}
}
