/* The fixture of the IPVS driver's unit tests (ipvs_fixture.c). */
#ifndef LVSD_TESTS_UNIT_IPVS_FIXTURE_H
#define LVSD_TESTS_UNIT_IPVS_FIXTURE_H

#include "ipvs/priv.h"

extern struct ipvs_model *model;	/* a fresh one per test (setup) */
extern struct ipvs_driver_opts opts;	/* its transport, state_path */
extern char state_path[];

void setup(void);
void teardown(void);
struct ipvs_service svc(const char *addr, uint16_t port, const char *sched);
struct ipvs_svc *add_svc(struct ipvs_table *t, const char *addr, uint16_t port,
    const char *sched, const char *label);
void add_dst(struct ipvs_table *t, struct ipvs_svc *s, const char *addr,
    uint16_t port, int weight, const char *label);
/* web (2 real servers, the second of weight weight3) and ftp (1). */
struct ipvs_table *seed000(int weight3);
/* The model's destination rip:rport of service vip:vport, or NULL. */
const struct ipvs_dst *model_dest(const char *vip, uint16_t vport,
    const char *rip, uint16_t rport);
bool model_has(const char *vip, uint16_t port);
/* A service created by hand ("ipvsadm -A") with one destination. */
void add_foreign(const char *vip, uint16_t port);

#endif
