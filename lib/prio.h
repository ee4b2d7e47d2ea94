/*
 * sd-event source priorities (lower runs first).  Failover traffic must
 * never wait behind health checks or bulk IPVS work: a reload of 10 000
 * services must not delay a VRRP advertisement.
 */
#ifndef LVSD_LIB_PRIO_H
#define LVSD_LIB_PRIO_H

#define LVSD_PRIO_VRRP	(-100)	/* VRRP/pulse sockets and timers */
#define LVSD_PRIO_CTL	(-10)	/* signals, control socket */
#define LVSD_PRIO_CHECK	0	/* health checks */
#define LVSD_PRIO_BULK	100	/* IPVS reconcile slices, housekeeping */

#endif
