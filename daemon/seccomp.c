#include "config.h"
#include "daemon/sandbox.h"
int
seccomp_enter(enum seccomp_profile p)
{
	(void)p;
	return 1;
}
