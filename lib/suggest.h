/* "Did you mean …?": the nearest candidate to a misspelled word. */
#ifndef LVSD_LIB_SUGGEST_H
#define LVSD_LIB_SUGGEST_H

#include <stddef.h>

/*
 * Edit distance with adjacent transpositions (optimal string alignment),
 * so "weigth" is one edit from "weight".
 */
unsigned suggest_distance(const char *a, const char *b);

/*
 * Returns the candidate nearest to `word`, or NULL when none is close
 * enough to be a plausible typo (about a third of the word's length).
 * `candidates` has n entries; NULL entries are skipped.
 */
const char *suggest_nearest(const char *word, const char *const *candidates,
    size_t n);

#endif
