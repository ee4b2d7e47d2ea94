/*
 * keepalived's value syntax, each parser reporting a malformed value at
 * its word's place: integers, timers (seconds with a fraction), booleans,
 * addresses with an optional prefix, ports, and script command lines
 * (turned into the command syntax lvs.cf's keys take).
 */
#ifndef LVSD_IMPORT_IMP_WORDS_H
#define LVSD_IMPORT_IMP_WORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "tools/import/imp_diag.h"
#include "tools/import/kc_tree.h"

/* The statement has between lo and hi arguments; else reported, false. */
bool imp_nargs(struct imp_diags *d, const struct kc_node *n, size_t lo,
    size_t hi);
/* Argument 1 as an integer in [lo, hi]. */
bool imp_uint_arg(struct imp_diags *d, const struct kc_node *n, uint32_t lo,
    uint32_t hi, uint32_t *out);
bool imp_uint_word(struct imp_diags *d, const struct kc_word *w, uint32_t lo,
    uint32_t hi, uint32_t *out);
/* A timer in seconds ("3", "0.25") as milliseconds, at most hi_ms; a value
 * finer than a millisecond is rounded up, with a note. */
bool imp_timer_word(struct imp_diags *d, const struct kc_word *w,
    uint32_t hi_ms, uint32_t *ms);
bool imp_timer_arg(struct imp_diags *d, const struct kc_node *n,
    uint32_t hi_ms, uint32_t *ms);
/* An optional <BOOL> argument: absent means true. */
bool imp_bool_arg(struct imp_diags *d, const struct kc_node *n, bool *out);
bool imp_addr_word(struct imp_diags *d, const struct kc_word *w,
    struct lvs_addr *a);
/* ADDRESS[/PREFIX]; *plen = -1 without a prefix. */
bool imp_prefix_word(struct imp_diags *d, const struct kc_word *w,
    struct lvs_addr *a, int *plen);
bool imp_port_word(struct imp_diags *d, const struct kc_word *w, uint32_t *port);

/* Text lvs.cf can hold as a value (no control character but tab, CR
 * and LF); reported as lost otherwise. */
bool imp_text_word(struct imp_diags *d, const struct kc_word *w);

/* A network device name lvs.cf takes (1-15 visible characters but
 * `/ # "`); reported otherwise. */
bool imp_ifname_word(struct imp_diags *d, const struct kc_word *w);

/* A name lvs.cf's blocks take (letters, digits, `_ - . :`): others
 * become `_`; NULL when name already is one. */
char *imp_block_name(const char *name);

/* "3s", "250ms", "1.5s": an lvs.cf duration (malloc'd). */
char *imp_fmt_ms(uint32_t ms);

/*
 * A keepalived script (one word: the program and its arguments, split on
 * blanks, single quotes grouping) as argv; NULL entries end it.  Returns
 * the number of arguments, or -1 (reported) for an unbalanced quote.
 */
int imp_script_argv(struct imp_diags *d, const struct kc_word *w,
    char ***argv);
void imp_argv_free(char **argv);
/* The argv as a /bin/sh command line (lvsd runs notify commands so). */
char *imp_argv_shell(char *const *argv);
/*
 * The argv as a check_program: lvsd splits it on blanks and expands %h,
 * %p and %%; NULL (reported) when an argument holds a blank.
 */
char *imp_argv_check(struct imp_diags *d, const struct kc_word *w,
    char *const *argv);

#endif
