/*
 * lvsd-import-keepalived: a keepalived.conf (the primary director's, and
 * optionally the backup's) into one lvs.cf.  See
 * lvsd-import-keepalived(8).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/xalloc.h"
#include "tools/import/imp_run.h"

static const char usage_text[] =
    "usage: lvsd-import-keepalived [-o FILE] [--force] [--quiet]\n"
    "           [--primary ADDRESS] [--backup ADDRESS]\n"
    "           [--primary-id ID] [--backup-id ID]\n"
    "           PRIMARY.conf [BACKUP.conf]\n"
    "Converts the directors' keepalived.conf into one lvs.cf (stdout or -o).\n"
    "Exit 0: converted; 1: something lvs.cf cannot express (nothing written\n"
    "unless --force); 2: bad arguments or a malformed keepalived.conf.\n";

struct args {
	const char *out, *files[2];
	const char *ids[2];
	struct imp_opts opts;
	bool force, quiet;
};

static int
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "primary", required_argument, NULL, 'P' },
		{ "backup", required_argument, NULL, 'B' },
		{ "primary-id", required_argument, NULL, 'i' },
		{ "backup-id", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	struct lvs_addr x;
	while ((ch = getopt_long(argc, argv, "o:fqh", longs, NULL)) != -1) {
		switch (ch) {
		case 'o': a->out = optarg; break;
		case 'f': a->force = true; break;
		case 'q': a->quiet = true; break;
		case 'i': a->ids[0] = optarg; break;
		case 'I': a->ids[1] = optarg; break;
		case 'P':
		case 'B':
			if (addr_parse(optarg, &x) < 0) {
				fprintf(stderr, "lvsd-import-keepalived: --%s: "
				    "expected an IPv4 or IPv6 address, found "
				    "`%s`\n", ch == 'P' ? "primary" : "backup",
				    optarg);
				return 2;
			}
			*(ch == 'P' ? &a->opts.primary : &a->opts.backup) = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case 'V':
			printf("lvsd-import-keepalived %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	a->files[0] = argv[optind];
	a->files[1] = argc - optind > 1 ? argv[optind + 1] : NULL;
	/* one file with conditional lines: read it once per config id */
	if (a->files[1] == NULL && a->ids[1] != NULL)
		a->files[1] = a->files[0];
	return 0;
}

/* Writes to path through a temporary file, so a reader never sees half. */
static int
write_out(const struct args *a, const struct imp_result *r,
    const struct imp_diags *d)
{
	if (a->out == NULL || strcmp(a->out, "-") == 0) {
		imp_write(stdout, r, a->files[0], a->files[1], d);
		return fflush(stdout) == 0 ? 0 : -1;
	}
	char *tmp = xasprintf("%s.tmp.%ld", a->out, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (f == NULL) {
		fprintf(stderr, "lvsd-import-keepalived: cannot write %s: %s\n",
		    tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	imp_write(f, r, a->files[0], a->files[1], d);
	int rc = ferror(f) | fclose(f);
	if (rc == 0 && rename(tmp, a->out) < 0)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, "lvsd-import-keepalived: cannot write %s: %s\n",
		    a->out, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc == 0 ? 0 : -1;
}

static int
report(const struct args *a, struct imp_diags *d)
{
	imp_diags_sort(d);
	imp_diags_print(stderr, d, a->quiet ? IMP_LOSS : IMP_NOTE, "");
	if (d->ninvalid > 0) {
		fprintf(stderr, "lvsd-import-keepalived: %u error%s in the "
		    "keepalived configuration; nothing written\n", d->ninvalid,
		    d->ninvalid == 1 ? "" : "s");
		return 2;
	}
	if (d->nloss > 0 && !a->force) {
		fprintf(stderr, "lvsd-import-keepalived: %u construct%s lvs.cf "
		    "cannot express; nothing written (--force writes the "
		    "rest)\n", d->nloss, d->nloss == 1 ? "" : "s");
		return 1;
	}
	if (d->nloss > 0)
		fprintf(stderr, "lvsd-import-keepalived: %u construct%s lvs.cf "
		    "cannot express left out (--force)\n", d->nloss,
		    d->nloss == 1 ? "" : "s");
	return 0;
}

int
main(int argc, char **argv)
{
	struct args a = { 0 };
	int rc = parse_args(argc, argv, &a);
	if (rc != 0)
		return rc;
	struct imp_diags *d = imp_diags_new();
	struct imp_file f[2];
	memset(f, 0, sizeof(f));
	bool readable = true;
	for (int i = 0; i < 2 && a.files[i] != NULL; i++) {
		struct kc_read_opts o = { .config_id = a.ids[i] };
		struct kc_doc *doc = kc_read_file(a.files[i], &o, d);
		readable &= doc != NULL;
		if (doc != NULL)
			imp_file_map(d, doc, a.files[i], &f[i]);
	}
	struct imp_result r = { 0 };
	if (readable)
		imp_combine(d, &f[0].site, a.files[1] ? &f[1].site : NULL,
		    &a.opts, &r);
	rc = report(&a, d);
	if (rc == 0 && write_out(&a, &r, d) < 0)
		rc = 2;
	imp_result_clear(&r);
	imp_file_clear(&f[0]);
	imp_file_clear(&f[1]);
	imp_diags_free(d);
	return rc;
}
