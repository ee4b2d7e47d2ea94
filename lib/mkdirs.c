#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "lib/mkdirs.h"

/* mkdir, where an existing directory (or a link to one) is success. */
static int
mkdir_one(const char *path, mode_t mode)
{
	struct stat st;
	if (mkdir(path, mode) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int
mkdir_parents(const char *path, mode_t mode, char *errpath, size_t errlen)
{
	char buf[PATH_MAX];
	int r = 0;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		r = -1;
	}
	/* Each parent in turn (at every slash that ends a component), then
	 * the path itself; on failure buf ends at the failing component. */
	for (char *p = buf + 1; r == 0 && *p != '\0'; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		r = mkdir_one(buf, mode);
		if (r == 0)
			*p = '/';
	}
	if (r == 0)
		r = mkdir_one(buf, mode);
	if (r < 0 && errpath != NULL && errlen > 0) {
		int e = errno;
		snprintf(errpath, errlen, "%s", buf);
		errno = e;
	}
	return r;
}
