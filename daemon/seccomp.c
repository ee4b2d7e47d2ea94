/*
 * The system calls the failover and checks processes may make (see
 * daemon/sandbox.h), as libseccomp allow-lists.
 *
 * A call not listed fails with ENOSYS: it does not kill.  A missed call
 * on a rare path (an error branch, a library's lazy start) then shows up
 * as a logged failure the process survives, never as a lost master.  What
 * a filter is for here is what neither process ever does: start a
 * program, trace or change another process, mount, load a module or a
 * BPF program, open a user namespace.
 *
 * The lists come from the code paths (sd-event, libmnl, OpenSSL, glibc's
 * malloc, stdio and syslog), checked with `strace -f -c` on the processes
 * and with LVSD_SECCOMP_LOG set (no refused call in any lvsd test in
 * namespaces); tests/netns/lvsd-privs.sh reads `Seccomp: 2` of both
 * processes.  A name this architecture does not have is skipped.
 */
#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/sandbox.h"
#include "lib/log.h"

#if defined(__SANITIZE_ADDRESS__)
#define LVSD_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LVSD_SANITIZED 1
#endif
#endif

/*
 * Both processes: their event loop (sd-event), messages with the parent
 * (a socketpair), memory, time, signals, logging (stderr or syslog's
 * socket) and the libc start of each (thread-local state, rseq).
 */
static const char *const common[] = {
	/* I/O on descriptors it holds */
	"read", "readv", "write", "writev", "pread64", "pwrite64", "close",
	"lseek", "fcntl", "dup", "dup3", "pipe2",
	"fstat", "newfstatat", "statx", "stat", "lstat",
	/* sd-event */
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
	"epoll_pwait2", "ppoll", "poll", "timerfd_create", "timerfd_settime",
	"timerfd_gettime", "signalfd4", "eventfd2",
	/* messages with the parent; syslog's socket */
	"socket", "socketpair", "connect", "sendto", "recvfrom", "sendmsg",
	"recvmsg", "sendmmsg", "recvmmsg", "shutdown", "getsockopt",
	"setsockopt", "getsockname", "getpeername",
	/* memory (malloc, mlockall's pages) */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	/* time and sleep (lib/rt.h's breaths between batches) */
	"clock_gettime", "clock_getres", "gettimeofday", "time",
	"nanosleep", "clock_nanosleep",
	/* signals and itself; sysinfo: glibc's qsort asks for the memory size */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"getpid", "gettid", "tgkill", "getppid", "getuid", "geteuid", "getgid",
	"getegid", "getrandom", "prctl", "sched_getscheduler",
	"sched_getparam", "sched_yield", "getrlimit", "prlimit64",
	"uname", "sysinfo", "futex", "set_robust_list", "rseq",
	"restart_syscall",
	"exit", "exit_group",
};

/*
 * The failover process: VRRP and pulse sockets (raw, packet, UDP),
 * rtnetlink for addresses and links, ioctls on those sockets (interface
 * indexes and hardware addresses), bind for pulse's port and the VRRP
 * query socket; the parent's SIGTERM arrives through signalfd.
 */
static const char *const failover[] = {
	"bind", "ioctl", "openat",
	"sched_setscheduler", "mlock", "mlockall",
};

/*
 * The checks process without programs: TCP, TLS (OpenSSL reads its
 * configuration and CA files when it first needs them), ICMP, the ARP
 * watch; its child work is timers, never a process.
 */
static const char *const checks[] = {
	"bind", "listen", "accept4", "ioctl", "openat", "getdents64",
	"readlink", "access", "faccessat", "faccessat2", "fadvise64",
	"sched_getaffinity",
};

static int
allow(scmp_filter_ctx ctx, const char *const *names, size_t n,
    unsigned *count)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;	/* not on this architecture */
		int r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (r < 0) {
			errno = -r;
			log_warn("seccomp: cannot allow %s", names[i]);
			return -1;
		}
		(*count)++;
	}
	return 0;
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static int
load(enum seccomp_profile p, const char *who)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
	if (ctx == NULL) {
		log_warnx("%s: seccomp: cannot start a filter", who);
		return -1;
	}
	unsigned count = 0;
	int r = allow(ctx, common, N(common), &count);
	if (r == 0)
		r = p == SECCOMP_FAILOVER ?
		    allow(ctx, failover, N(failover), &count) :
		    allow(ctx, checks, N(checks), &count);
	/* For developers (HACKING.md): the kernel logs every refused call
	 * (audit type=1326, with its number) instead of nothing. */
	if (r == 0 && getenv("LVSD_SECCOMP_LOG") != NULL &&
	    (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1)) < 0)
		errno = -r;
	/* Every thread, should a library have started one. */
	if (r == 0 && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0)
		errno = -r;
	if (r == 0 && (r = seccomp_load(ctx)) < 0)
		errno = -r;
	seccomp_release(ctx);
	if (r < 0) {
		log_warn("%s: no system-call filter", who);
		return -1;
	}
	log_info("%s: system-call filter on: %u calls allowed, any other "
	    "fails with ENOSYS", who, count);
	return 0;
}

int
seccomp_enter(enum seccomp_profile p)
{
	const char *who = p == SECCOMP_FAILOVER ? "failover process" :
	    "checks process";
#ifdef LVSD_SANITIZED
	(void)load;	/* compiled all the same, so the build checks it */
	log_info("%s: no system-call filter in a sanitizer build", who);
	return 1;
#else
	return load(p, who);
#endif
}
