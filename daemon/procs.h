/*
 * The main functions of lvsd's child processes, started by the parent
 * (daemon/child.c) with their socket on CHILD_FD:
 *
 *   failover_process_main	daemon/fo_proc.c: VRRP, pulse or a lone
 *				director's addresses; never reads a file or a
 *				control request, never talks to IPVS
 *   checks_process_main	daemon/hc_proc.c: every health check; check
 *				programs are its children
 *
 * Each returns the process's exit code.
 */
#ifndef LVSD_DAEMON_PROCS_H
#define LVSD_DAEMON_PROCS_H

int failover_process_main(void);
int checks_process_main(void);

#endif
