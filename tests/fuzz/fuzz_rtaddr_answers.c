/* fuzz-sources: tests/fuzz/fuzz_rtaddr_answers.c vrrp/rtaddr.c lib/addr.c lib/xalloc.c lib/log.c */
/*
 * The kernel's answers to a batch of address requests (vrrp/rtaddr.c)
 * under libFuzzer: the input is one datagram as recv() would return it,
 * answering a batch of 64 requests with seqs 1000..1063.  Every refusal
 * reported must name one of the batch's requests, each at most once,
 * with a positive errno; nothing outside the datagram is read.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/rtaddr.h"

#define N 64
#define FIRST 1000u

static unsigned seen[N];

static void
on_refused(void *arg, size_t cookie, int err)
{
	(void)arg;
	if (cookie >= N || err <= 0 || ++seen[cookie] > 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtaddr_pending pend[N];
	/* a copy of its own size: ASan sees any read past the datagram */
	uint8_t *buf = malloc(size ? size : 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	for (size_t i = 0; i < N; i++)
		pend[i] = (struct rtaddr_pending){ i, false };
	memset(seen, 0, sizeof(seen));
	int last = rtaddr_answers(buf, size, FIRST, pend, N, FIRST + N - 1,
	    on_refused, NULL);
	if (last != 0 && last != 1)
		abort();
	for (size_t i = 0; i < N; i++)
		if (pend[i].refused != (seen[i] == 1))
			abort();
	free(buf);
	return 0;
}
