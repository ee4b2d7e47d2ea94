/*
 * Capabilities, users and no_new_privs (see lib/privs.h).
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/privs.h"

/* Version 3: two 32-bit words per set, capabilities 0 to 63. */
static int
caps_syscall(long nr, struct privs_caps *c)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	if (nr == SYS_capset)
		for (int i = 0; i < 2; i++) {
			d[i].effective = (uint32_t)(c->effective >> (32 * i));
			d[i].permitted = (uint32_t)(c->permitted >> (32 * i));
			d[i].inheritable = (uint32_t)(c->inheritable >>
			    (32 * i));
		}
	if (syscall(nr, &h, d) < 0)
		return -1;
	if (nr == SYS_capget) {
		c->effective = d[0].effective | (privs_set)d[1].effective << 32;
		c->permitted = d[0].permitted | (privs_set)d[1].permitted << 32;
		c->inheritable = d[0].inheritable |
		    (privs_set)d[1].inheritable << 32;
	}
	return 0;
}

int
privs_get(struct privs_caps *out)
{
	return caps_syscall(SYS_capget, out);
}

bool
privs_have(int cap)
{
	struct privs_caps c;
	return privs_get(&c) == 0 && (c.effective & PRIVS_CAP(cap)) != 0;
}

int
privs_limit(privs_set permitted, privs_set effective)
{
	struct privs_caps c;
	if (privs_get(&c) < 0)
		return -1;
	c.permitted &= permitted;
	c.effective = c.permitted & effective;
	c.inheritable = 0;
	if (caps_syscall(SYS_capset, &c) < 0)
		return -1;
	/* Empty with the inheritable set anyway; EINVAL: before Linux 4.3,
	 * which has no ambient set. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return -1;
	return 0;
}

int
privs_bound(privs_set keep, bool *skipped)
{
	*skipped = !privs_have(CAP_SETPCAP);
	if (*skipped)
		return 0;
	/* PR_CAPBSET_READ fails (EINVAL) past the kernel's last one. */
	for (int cap = 0; cap < 64; cap++) {
		int in = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
		if (in < 0)
			break;
		if (in == 1 && (keep & PRIVS_CAP(cap)) == 0 &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return -1;
	}
	return 0;
}

int
privs_pass_on(privs_set pass)
{
	struct privs_caps c;
	if (privs_get(&c) < 0)
		return -1;
	/* Without CAP_SETPCAP the inheritable set may take what is
	 * permitted; an ambient capability must be in both. */
	c.inheritable = pass & c.permitted;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 ||
	    caps_syscall(SYS_capset, &c) < 0)
		return -1;
	for (int cap = 0; cap < 64; cap++)
		if ((c.inheritable & PRIVS_CAP(cap)) != 0 &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return -1;
	return 0;
}

int
privs_no_new_privs(void)
{
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

int
privs_lookup_user(const char *name, struct privs_user *out)
{
	char buf[16384];
	struct passwd pw, *res = NULL;
	int r = getpwnam_r(name, &pw, buf, sizeof(buf), &res);
	if (r != 0 || res == NULL) {
		errno = r != 0 ? r : ENOENT;
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->uid = pw.pw_uid;
	out->gid = pw.pw_gid;
	out->ngroups = PRIVS_MAX_GROUPS;
	if (getgrouplist(name, pw.pw_gid, out->groups, &out->ngroups) < 0) {
		errno = E2BIG;
		return -1;
	}
	return 0;
}

bool
privs_is_user(const struct privs_user *u)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;
	return getresuid(&r, &e, &s) == 0 && getresgid(&rg, &eg, &sg) == 0 &&
	    r == u->uid && e == u->uid && s == u->uid && rg == u->gid &&
	    eg == u->gid && sg == u->gid;
}

int
privs_become(const struct privs_user *u, privs_set keep)
{
	if (!privs_is_user(u)) {
		/* Without KEEPCAPS, leaving uid 0 empties the permitted set. */
		if (keep != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			return -1;
		if (setgroups((size_t)u->ngroups, u->groups) < 0 ||
		    setresgid(u->gid, u->gid, u->gid) < 0 ||
		    setresuid(u->uid, u->uid, u->uid) < 0)
			return -1;
		if (keep != 0 && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
			return -1;
	}
	if (privs_limit(keep, keep) < 0)
		return -1;
	if (u->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		errno = EPERM;		/* never: the saved id is u's too */
		return -1;
	}
	return 0;
}

static const char *const cap_names[] = {
	"cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner",
	"cap_fsetid", "cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap",
	"cap_linux_immutable", "cap_net_bind_service", "cap_net_broadcast",
	"cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner",
	"cap_sys_module", "cap_sys_rawio", "cap_sys_chroot",
	"cap_sys_ptrace", "cap_sys_pacct", "cap_sys_admin", "cap_sys_boot",
	"cap_sys_nice", "cap_sys_resource", "cap_sys_time",
	"cap_sys_tty_config", "cap_mknod", "cap_lease", "cap_audit_write",
	"cap_audit_control", "cap_setfcap", "cap_mac_override",
	"cap_mac_admin", "cap_syslog", "cap_wake_alarm", "cap_block_suspend",
	"cap_audit_read", "cap_perfmon", "cap_bpf", "cap_checkpoint_restore",
};

const char *
privs_cap_name(int cap)
{
	if (cap < 0 || (size_t)cap >= sizeof(cap_names) / sizeof(cap_names[0]))
		return NULL;
	return cap_names[cap];
}

char *
privs_format(privs_set set, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int cap = 0; cap < 64 && o < len; cap++) {
		if ((set & PRIVS_CAP(cap)) == 0)
			continue;
		const char *n = privs_cap_name(cap);
		int w = n != NULL ? snprintf(buf + o, len - o, "%s%s",
		    o > 0 ? "," : "", n) : snprintf(buf + o, len - o,
		    "%scap_%d", o > 0 ? "," : "", cap);
		o += w > 0 ? (size_t)w : 0;
	}
	if (set == 0)
		snprintf(buf, len, "none");
	return buf;
}
