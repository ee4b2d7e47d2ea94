#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/suggest.h"
#include "lib/xalloc.h"

#define MIN3(a, b, c) ((a) < (b) ? ((a) < (c) ? (a) : (c)) : ((b) < (c) ? (b) : (c)))

unsigned
suggest_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	/* Three rows suffice: the transposition looks two rows back. */
	unsigned *prev2 = xcalloc(m + 1, sizeof(unsigned));
	unsigned *prev = xcalloc(m + 1, sizeof(unsigned));
	unsigned *cur = xcalloc(m + 1, sizeof(unsigned));
	for (size_t j = 0; j <= m; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= m; j++) {
			unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
			cur[j] = MIN3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < cur[j])
				cur[j] = prev2[j - 2] + 1;
		}
		unsigned *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	unsigned d = prev[m];
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

const char *
suggest_nearest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	unsigned best_d = (unsigned)(strlen(word) + 2) / 3;
	if (best_d == 0)
		best_d = 1;
	best_d++;	/* strictly below the limit + 1 */
	for (size_t i = 0; i < n; i++) {
		if (candidates[i] == NULL)
			continue;
		unsigned d = suggest_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}
