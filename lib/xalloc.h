/*
 * Allocation that cannot fail: lvsd's data is small and an out-of-memory
 * condition leaves no sane way to keep a load balancer consistent, so these
 * abort with a clear message instead of returning NULL to every caller.
 */
#ifndef LVSD_LIB_XALLOC_H
#define LVSD_LIB_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
