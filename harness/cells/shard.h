/* SPDX-License-Identifier: GPL-2.0-only */
/* shard.h - one machine's slice of a run's cells, the same slice on every machine. */
#ifndef OOMLAB_SHARD_H
#define OOMLAB_SHARD_H

#include <stddef.h>

struct shard {
	int k, n;         /* shard k of n, from 1 */
	char from[96];    /* what named it: "--shard", "GitLab (CI_NODE_INDEX, CI_NODE_TOTAL)" */
};

/*
 * The shard the engine that started oomlab names, from its environment: GitLab's parallel
 * jobs (CI_NODE_INDEX, CI_NODE_TOTAL, from 1), a Slurm job array (SLURM_ARRAY_TASK_ID, less
 * SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job
 * (JOB_COMPLETION_INDEX, from 0, of total: --shard-total, else OOMLAB_SHARD_TOTAL). Returns 1
 * with *s set, 0 when none is named, -1 with why in err when one is named wrongly.
 */
int shard_from_env(struct shard *s, int total, char *err, size_t len);

/* "K/N" (1 <= K <= N): 0, or -1 with why in err */
int shard_parse(const char *arg, struct shard *s, char *err, size_t len);

/*
 * Which of n cells are shard s's: keep[i] set for each. The cells go, heaviest first (by
 * weight, then by their index), each to the shard whose cells weigh least so far (ties to the
 * lowest shard), so the shards take about as long and every machine that has the same
 * weights cuts the same slices.
 */
void shard_pick(const double *weight, int n, const struct shard *s, unsigned char *keep);

#endif
