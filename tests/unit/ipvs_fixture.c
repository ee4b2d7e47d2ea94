/*
 * The fixture of the IPVS driver's unit tests: an in-memory kernel model
 * behind the driver's transport, a state file path, and small builders
 * for tables (seed 000: the NAT example of the LVS documentation).
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/ipvs_fixture.h"

struct ipvs_model *model;
struct ipvs_driver_opts opts;
char state_path[] = "/tmp/test_ipvs_stateXXXXXX";

void
setup(void)
{
	int fd = mkstemp(state_path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(state_path);
	model = ipvs_model_new();
	memset(&opts, 0, sizeof(opts));
	opts.transport = ipvs_model_transport(model);
	opts.state_file = state_path;
}

void
teardown(void)
{
	ipvs_model_free(model);
	unlink(state_path);
	strcpy(state_path, "/tmp/test_ipvs_stateXXXXXX");
}

struct ipvs_service
svc(const char *addr, uint16_t port, const char *sched)
{
	struct ipvs_service s;
	struct lvs_addr a;

	ck_assert_int_eq(addr_parse(addr, &a), 0);
	ipvs_service_init(&s, a.af);
	s.addr = a;
	s.port = port;
	strcpy(s.sched, sched);
	return s;
}

struct ipvs_svc *
add_svc(struct ipvs_table *t, const char *addr, uint16_t port, const char *sched,
    const char *label)
{
	struct ipvs_service s = svc(addr, port, sched);
	struct ipvs_svc *e = ipvs_table_add_service(t, &s, label);
	ck_assert_ptr_nonnull(e);
	return e;
}

void
add_dst(struct ipvs_table *t, struct ipvs_svc *s, const char *addr, uint16_t port,
    int weight, const char *label)
{
	struct ipvs_dest d;

	ipvs_dest_init(&d);
	ck_assert_int_eq(addr_parse(addr, &d.addr), 0);
	d.port = port;
	d.weight = weight;
	ck_assert_ptr_nonnull(ipvs_table_add_dest(t, s, &d, label));
}

/* Seed 000: the NAT example of the LVS documentation. */
struct ipvs_table *
seed000(int weight3)
{
	struct ipvs_table *t = ipvs_table_new(4);
	struct ipvs_svc *web = add_svc(t, "202.103.106.5", 80, "wlc", "virtual web");
	add_dst(t, web, "172.16.0.2", 80, 1, "web/r1");
	add_dst(t, web, "172.16.0.3", 8000, weight3, "web/r2");
	struct ipvs_svc *ftp = add_svc(t, "202.103.106.5", 21, "wlc", "virtual ftp");
	add_dst(t, ftp, "172.16.0.3", 21, 1, "ftp/r1");
	return t;
}

const struct ipvs_dst *
model_dest(const char *vip, uint16_t vport, const char *rip, uint16_t rport)
{
	struct ipvs_table *k = ipvs_model_table(model);
	struct ipvs_service key = svc(vip, vport, "wlc");
	const struct ipvs_svc *s = ipvs_table_find_service(k, &key);
	struct lvs_addr a;

	if (s == NULL)
		return NULL;
	ck_assert_int_eq(addr_parse(rip, &a), 0);
	return ipvs_table_find_dest(k, s, &a, rport);
}

bool
model_has(const char *vip, uint16_t port)
{
	struct ipvs_service key = svc(vip, port, "wlc");
	return ipvs_table_find_service(ipvs_model_table(model), &key) != NULL;
}

/* A service created by hand ("ipvsadm -A") before lvsd starts. */
void
add_foreign(const char *vip, uint16_t port)
{
	struct ipvs_table *k = ipvs_model_table(model);
	struct ipvs_svc *s = add_svc(k, vip, port, "rr", NULL);
	add_dst(k, s, "192.168.99.1", port, 7, NULL);
}

