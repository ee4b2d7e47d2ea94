/*
 * Address changes in batches (internal to vrrp/): many RTM_NEWADDR or
 * RTM_DELADDR requests per sendmsg on one NETLINK_ROUTE socket, the
 * kernel's answers read after each batch and matched by sequence number,
 * so a refused address is still named while 10,000 of them cost a few
 * system calls instead of two each.
 */
#ifndef LVSD_VRRP_RTADDR_H
#define LVSD_VRRP_RTADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

struct rtaddr_sock {
	int fd;
	uint32_t seq;
	size_t batch;		/* bytes of requests per sendmsg, at most */
	size_t limit;		/* now: fewer when a batch costs much CPU */
	char *buf;		/* the batch being filled */
	char *rbuf;		/* answers */
	bool failed;		/* a batch since the last flush: no kernel */
	size_t len, last;	/* bytes queued; offset of the last request */
	struct rtaddr_pending {
		size_t cookie;
		bool refused;	/* its refusal was read (and reported) */
	} *pend;		/* pend[i]: the request of seq first_seq + i */
	size_t n, cap;
	uint32_t first_seq;
};

/* One address request: what, and where (device index, label or ""). */
struct rtaddr_req {
	const struct lvs_addr *addr;
	uint8_t plen;
	int ifindex;
	const char *label;	/* IPv4 only; "" or NULL: none */
};

/* Called for every request the kernel refused: err is a positive errno. */
typedef void rtaddr_error_fn(void *arg, size_t cookie, int err);

/*
 * Opens the socket; 0, or -1 with errno.  batch (bytes of requests per
 * sendmsg) and rcvbuf (the receive buffer asked for) are for tests: 0
 * means the defaults (a 4 MB buffer, batches sized from what the kernel
 * granted, at most 64 KB).
 */
int rtaddr_open(struct rtaddr_sock *s, size_t batch, size_t rcvbuf);
void rtaddr_close(struct rtaddr_sock *s);
/*
 * Queues adding (RTM_NEWADDR, NLM_F_CREATE: an existing address is
 * refused with EEXIST) or removing r; cookie names it to fn.  A full
 * batch is sent (and answered) before the request is queued.
 */
void rtaddr_queue(struct rtaddr_sock *s, bool add, const struct rtaddr_req *r,
    size_t cookie, rtaddr_error_fn *fn, void *arg);
/*
 * Sends what is queued and reads every answer.  Returns 0, or -1 if the
 * kernel could not be talked to (then fn was called with that errno for
 * each request whose fate is unknown).  If the answers overflowed the
 * socket's buffer, the requests of that batch are sent again one by one,
 * each acknowledged, so none goes unreported.
 */
int rtaddr_flush(struct rtaddr_sock *s, rtaddr_error_fn *fn, void *arg);

/*
 * One datagram of the kernel's answers (for the fuzz target): refusals
 * of pend[0..n), whose requests have seqs from first, are marked and go
 * to fn, each once; returns 1 once the answer of seq last is seen, else 0.
 */
int rtaddr_answers(const void *buf, size_t len, uint32_t first,
    struct rtaddr_pending *pend, size_t n, uint32_t last, rtaddr_error_fn *fn,
    void *arg);

#endif
