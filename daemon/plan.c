/*
 * Building the plan of a configuration generation (see daemon/plan.h):
 * failover, health checks and the kernel table's feasibility, each part
 * reporting its problems at their places in lvs.cf.
 */
#include "config.h"

#include <stdlib.h>

#include "daemon/desired.h"
#include "daemon/plan.h"
#include "lib/xalloc.h"

struct plan *
plan_build(const struct cfg *cfg, enum node_role role, struct cfg_diags *diags)
{
	struct plan *p = xcalloc(1, sizeof(*p));
	p->cfg = cfg;
	p->role = role;
	unsigned before = diags->nerrors;
	plan_failover_build(&p->failover, cfg, role, diags);
	plan_checks_build(p, diags);
	desired_check(cfg, diags);
	if (diags->nerrors > before) {
		plan_free(p);
		return NULL;
	}
	return p;
}

void
plan_free(struct plan *p)
{
	if (p == NULL)
		return;
	plan_failover_clear(&p->failover);
	plan_checks_clear(p);
	free(p);
}

/*
 * What start or reload would refuse, for each role: the same checks as
 * plan_build, building only what a problem can come from.  The health
 * checks and the kernel table do not depend on the role: checked once,
 * with the first role, where plan_build's order puts them (the second
 * role's copies of them would be merged away as duplicates).
 */
unsigned
plan_check_roles(const struct cfg *cfg, enum node_role role,
    struct cfg_diags *diags)
{
	static const enum node_role both[] = {
		NODE_ROLE_PRIMARY, NODE_ROLE_BACKUP
	};
	unsigned before = diags->nerrors;
	bool first = true;
	for (size_t i = 0; i < 2; i++) {
		if (role != NODE_ROLE_UNKNOWN && role != both[i])
			continue;
		struct cfg_diags *mine = cfg_diags_new();
		plan_failover_verify(cfg, both[i], mine);
		if (first) {
			plan_checks_verify(cfg, mine);
			desired_check(cfg, mine);
			first = false;
		}
		cfg_diags_merge(diags, mine);
		cfg_diags_free(mine);
	}
	return diags->nerrors - before;
}
