/*
 * lvs.cf against this machine's users and groups (see host_check.h).
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/host_check.h"

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
user_exists(const char *name)
{
	char buf[16384];
	struct passwd pw, *res = NULL;
	return getpwnam_r(name, &pw, buf, sizeof(buf), &res) == 0 &&
	    res != NULL;
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
	if (g->script_user != NULL && !user_exists(g->script_user)) {
		cfg_diag(diags, CFG_ERROR, CFG_ISSET(g, CFG_G_SCRIPT_USER) ?
		    CFG_LOC(g, CFG_G_SCRIPT_USER) : NULL, "script_user: user `%s` "
		    "does not exist on this machine", g->script_user);
		nerr++;
	}
	return nerr;
}
