/* The lvs.cf VRRP instances of one director's file (imp_eff.c). */
#ifndef LVSD_IMPORT_IMP_EFF_H
#define LVSD_IMPORT_IMP_EFF_H

#include "tools/import/imp_combine.h"

/* Groups merged into one instance each; returns how many in *out. */
size_t imp_eff_build(struct imp_diags *d, struct imp_site *s,
    struct imp_eff **out);
void imp_eff_free(struct imp_eff *v, size_t n);

#endif
