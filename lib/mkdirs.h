/*
 * Creating a directory and its missing parents (`mkdir -p`): lvsd's state
 * directories may sit under a prefix nobody created yet (/usr/local/var).
 */
#ifndef LVSD_LIB_MKDIRS_H
#define LVSD_LIB_MKDIRS_H

#include <sys/types.h>

/*
 * Creates path and every missing parent with mode (an existing directory is
 * fine).  Returns 0, or -1 with errno set; on error, errpath (when not NULL,
 * of size errlen) names the component that could not be created.
 */
int mkdir_parents(const char *path, mode_t mode, char *errpath, size_t errlen);

#endif
