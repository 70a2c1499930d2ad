// SPDX-License-Identifier: GPL-2.0-only
/* shard.c - one machine's slice of a run's cells, the same slice on every machine. */
#include "cells/shard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A whole number from text, or -1 */
static long number(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	return *end || v < 0 ? -1 : v;
}

int shard_parse(const char *arg, struct shard *s, char *err, size_t len)
{
	const char *slash = strchr(arg, '/');
	char *k = slash ? xstrndup(arg, (size_t)(slash - arg)) : NULL;
	long kv = number(k), nv = slash ? number(slash + 1) : -1;

	free(k);
	if (kv < 1 || nv < 1 || kv > nv || nv > 10000) {
		snprintf(err, len, "--shard takes K/N with 1 <= K <= N, found '%s'", arg);
		return -1;
	}
	s->k = (int)kv;
	s->n = (int)nv;
	snprintf(s->from, sizeof(s->from), "--shard %s", arg);
	return 0;
}

int shard_from_env(struct shard *s, int total, char *err, size_t len)
{
	long k, n, min;
	const char *who;

	if (getenv("CI_NODE_INDEX") || getenv("CI_NODE_TOTAL")) {
		who = "GitLab (CI_NODE_INDEX, CI_NODE_TOTAL)";
		k = number(getenv("CI_NODE_INDEX"));
		n = number(getenv("CI_NODE_TOTAL"));
	} else if (getenv("SLURM_ARRAY_TASK_ID")) {
		who = "a Slurm job array (SLURM_ARRAY_TASK_ID, _MIN, _COUNT)";
		min = number(getenv("SLURM_ARRAY_TASK_MIN"));
		k = number(getenv("SLURM_ARRAY_TASK_ID"));
		k = k >= 0 && min >= 0 && k >= min ? k - min + 1 : -1;
		n = number(getenv("SLURM_ARRAY_TASK_COUNT"));
	} else if (getenv("JOB_COMPLETION_INDEX")) {
		who = "a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)";
		k = number(getenv("JOB_COMPLETION_INDEX"));
		k = k >= 0 ? k + 1 : -1;
		n = total ? total : number(getenv("OOMLAB_SHARD_TOTAL"));
		if (n < 1) {
			snprintf(err, len, "%s names shard %ld but not how many there are: give "
				 "--shard-total N (or OOMLAB_SHARD_TOTAL), the Job's completions", who,
				 k);
			return -1;
		}
	} else {
		return 0;
	}
	if (k < 1 || n < 1 || k > n) {
		snprintf(err, len, "%s names no shard of its count (%ld of %ld)", who, k, n);
		return -1;
	}
	s->k = (int)k;
	s->n = (int)n;
	snprintf(s->from, sizeof(s->from), "%s", who);
	return 1;
}

struct heavy {
	double w;
	int i;
};

static int heaviest_first(const void *x, const void *y)
{
	const struct heavy *a = x, *b = y;

	if (a->w != b->w)
		return a->w < b->w ? 1 : -1;
	return a->i - b->i;
}

void shard_pick(const double *weight, int n, const struct shard *s, unsigned char *keep)
{
	struct heavy *h = xcalloc((size_t)n + 1, sizeof(*h));
	double *load = xcalloc((size_t)s->n, sizeof(*load));
	int i, j, best;

	for (i = 0; i < n; i++)
		h[i] = (struct heavy){ weight[i], i };
	qsort(h, (size_t)n, sizeof(*h), heaviest_first);
	for (i = 0; i < n; i++) {
		for (best = 0, j = 1; j < s->n; j++)
			if (load[j] < load[best])
				best = j;
		load[best] += h[i].w;
		keep[h[i].i] = best == s->k - 1;
	}
	free(h);
	free(load);
}
