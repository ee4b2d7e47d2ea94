/*
 * lvs.cf against this machine's users and groups (see host_check.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/host_check.h"
#include "daemon/script_check.h"
#include "lib/privs.h"

/* getgrnam_r: reload calls this from its thread. */
static bool
group_gid(const char *name, gid_t *gid)
{
	char buf[16384];
	struct group gr, *res = NULL;
	if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) != 0 || res == NULL)
		return false;
	*gid = gr.gr_gid;
	return true;
}

static bool
user_uid(const char *name, uid_t *uid)
{
	char buf[16384];
	struct passwd pw, *res = NULL;
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return false;
	*uid = pw.pw_uid;
	return true;
}

/*
 * script_user runs the checks process and every command: it must exist
 * (the default, lvsd, too: the package creates it), root is allowed with
 * a warning, and no one else may be able to change those commands.
 */
static unsigned
check_script_user(const struct cfg *cfg, struct cfg_diags *diags)
{
	const struct cfg_global *g = &cfg->global;
	const struct cfg_loc *loc = CFG_ISSET(g, CFG_G_SCRIPT_USER) ?
	    CFG_LOC(g, CFG_G_SCRIPT_USER) : NULL;
	uid_t uid;
	if (!user_uid(g->script_user, &uid)) {
		if (loc != NULL)
			cfg_diag(diags, CFG_ERROR, loc, "script_user: user `%s` "
			    "does not exist on this machine", g->script_user);
		else
			cfg_diag(diags, CFG_ERROR, NULL, "script_user: the "
			    "default user `%s` does not exist on this machine: "
			    "create it (`useradd --system --no-create-home "
			    "--shell /usr/sbin/nologin %s`; the lvsd package "
			    "does), or set script_user in lvs.cf",
			    g->script_user, g->script_user);
		return 1;
	}
	if (uid == 0)
		cfg_diag(diags, CFG_WARNING, loc, "script_user: `%s` is root: "
		    "notify commands and check programs run as root, and the "
		    "checks process, which reads what real servers answer, "
		    "runs as root; an unprivileged user (the default, lvsd) "
		    "is safer", g->script_user);
	return script_check_cfg(cfg, uid, diags);
}

/*
 * One group key, resolved into set, gid and name.  A group lvs.cf names
 * that does not exist is an error; a default one (`lvsd-admin`, `lvsd`:
 * the package's) may be missing: then that role is root's alone.
 */
static unsigned
one_group(const struct cfg_global *g, enum cfg_global_key key,
    const char *name, bool *set, gid_t *gid, char *buf, size_t len,
    struct cfg_diags *diags)
{
	*set = false;
	if (name == NULL)
		return 0;
	snprintf(buf, len, "%s", name);
	if (group_gid(name, gid)) {
		*set = true;
		return 0;
	}
	if (!CFG_ISSET(g, key))
		return 0;
	cfg_diag(diags, CFG_ERROR, CFG_LOC(g, key), "%s: group `%s` does not "
	    "exist on this machine", key == CFG_G_CONTROL_GROUP ?
	    "control_group" : "monitor_group", name);
	return 1;
}

unsigned
host_check(const struct cfg *cfg, struct access_policy *policy,
    struct cfg_diags *diags)
{
	const struct cfg_global *g = &cfg->global;
	memset(policy, 0, sizeof(*policy));
	unsigned nerr = one_group(g, CFG_G_CONTROL_GROUP, g->control_group,
	    &policy->admin_set, &policy->admin_gid, policy->admin_name,
	    sizeof(policy->admin_name), diags);
	nerr += one_group(g, CFG_G_MONITOR_GROUP, g->monitor_group,
	    &policy->read_set, &policy->read_gid, policy->read_name,
	    sizeof(policy->read_name), diags);
	if (g->script_user != NULL)
		nerr += check_script_user(cfg, diags);
	return nerr;
}

/* The user this process runs as: its name, or "" if it has none. */
static void
self_user(char *name, size_t len)
{
	char buf[16384];
	struct passwd pw, *res = NULL;
	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) != 0 ||
	    res == NULL)
		name[0] = '\0';
	else
		snprintf(name, len, "%s", res->pw_name);
}

bool
host_check_readable(const char *path, struct cfg_diags *diags)
{
	if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) == 0 || errno != EACCES)
		return true;	/* readable, or cfg_load says why not */
	char name[64];
	self_user(name, sizeof(name));
	cfg_diag(diags, CFG_ERROR, NULL, "cannot read %s: lvsd runs as user "
	    "%s (uid %u), which may not read it: make it readable by that "
	    "user's group (`chgrp %s %s; chmod 0640 %s`), or run lvsd as "
	    "root", path, name, (unsigned)geteuid(), name[0] ? name : "GROUP",
	    path, path);
	return false;
}

unsigned
host_check_privileges(const struct cfg *cfg, struct cfg_diags *diags)
{
	const struct cfg_global *g = &cfg->global;
	struct privs_user u;
	/* No script_user: commands run as lvsd's own user.  An unknown one
	 * is host_check's error. */
	if (g->script_user == NULL || privs_lookup_user(g->script_user, &u) < 0)
		return 0;
	bool setuid = privs_have(CAP_SETUID), setgid = privs_have(CAP_SETGID);
	if (privs_is_user(&u) || (setuid && setgid))
		return 0;
	char name[64];
	self_user(name, sizeof(name));
	cfg_diag(diags, CFG_ERROR, CFG_ISSET(g, CFG_G_SCRIPT_USER) ?
	    CFG_LOC(g, CFG_G_SCRIPT_USER) : NULL, "script_user %s: lvsd runs "
	    "as %s (uid %u) without %s, so it cannot run notify commands and "
	    "checks as %s; run lvsd as root (under systemd, a drop-in with "
	    "User=root and CapabilityBoundingSet=CAP_SETUID CAP_SETGID "
	    "CAP_KILL; see lvsd(8), PRIVILEGES) or set script_user = %s",
	    g->script_user, name, (unsigned)geteuid(), !setuid && !setgid ?
	    "CAP_SETUID and CAP_SETGID" : !setuid ? "CAP_SETUID" : "CAP_SETGID",
	    g->script_user, name[0] ? name : "its user");
	return 1;
}
