// SPDX-License-Identifier: GPL-2.0-only
/* test_shard.c - a run's cells cut into shards the same way everywhere, and who names the shard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cells/shard.h"

/* Every cell in exactly one shard, and the heaviest cells spread: loads within one cell */
static void shards_cover_every_cell_once_and_balance(void **state)
{
	double w[10] = { 9, 1, 1, 1, 8, 1, 1, 7, 1, 1 }, load[3] = { 0 };
	unsigned char keep[3][10];
	struct shard s = { .n = 3 };
	int i, k, owners;

	(void)state;
	for (k = 0; k < 3; k++) {
		s.k = k + 1;
		memset(keep[k], 0, sizeof(keep[k]));
		shard_pick(w, 10, &s, keep[k]);
	}
	for (i = 0; i < 10; i++) {
		for (owners = 0, k = 0; k < 3; k++)
			if (keep[k][i]) {
				owners++;
				load[k] += w[i];
			}
		assert_int_equal(owners, 1);
	}
	/* 31 in all: the three heaviest each lead a shard, and the ones even them out */
	assert_true(keep[0][0] && keep[1][4] && keep[2][7]);
	for (k = 0; k < 3; k++)
		assert_true(load[k] >= 9 && load[k] <= 11);
	/* the same weights cut the same way again */
	s.k = 2;
	{
		unsigned char again[10] = { 0 };

		shard_pick(w, 10, &s, again);
		assert_memory_equal(again, keep[1], 10);
	}
}

static void shard_from_flag_and_engines(void **state)
{
	struct shard s;
	char err[256];

	(void)state;
	assert_int_equal(shard_parse("2/3", &s, err, sizeof(err)), 0);
	assert_int_equal(s.k, 2);
	assert_int_equal(s.n, 3);
	assert_int_equal(shard_parse("4/3", &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "1 <= K <= N, found '4/3'"));
	assert_int_equal(shard_parse("0/3", &s, err, sizeof(err)), -1);
	assert_int_equal(shard_parse("x", &s, err, sizeof(err)), -1);

	unsetenv("CI_NODE_INDEX");
	unsetenv("CI_NODE_TOTAL");
	unsetenv("SLURM_ARRAY_TASK_ID");
	unsetenv("JOB_COMPLETION_INDEX");
	unsetenv("OOMLAB_SHARD_TOTAL");
	assert_int_equal(shard_from_env(&s, 0, err, sizeof(err)), 0);
	/* GitLab counts from 1 */
	setenv("CI_NODE_INDEX", "3", 1);
	setenv("CI_NODE_TOTAL", "4", 1);
	assert_int_equal(shard_from_env(&s, 0, err, sizeof(err)), 1);
	assert_int_equal(s.k, 3);
	assert_int_equal(s.n, 4);
	setenv("CI_NODE_INDEX", "5", 1);
	assert_int_equal(shard_from_env(&s, 0, err, sizeof(err)), -1);
	unsetenv("CI_NODE_INDEX");
	unsetenv("CI_NODE_TOTAL");
	/* Slurm from its array's first index */
	setenv("SLURM_ARRAY_TASK_ID", "7", 1);
	setenv("SLURM_ARRAY_TASK_MIN", "5", 1);
	setenv("SLURM_ARRAY_TASK_COUNT", "4", 1);
	assert_int_equal(shard_from_env(&s, 0, err, sizeof(err)), 1);
	assert_int_equal(s.k, 3);
	assert_int_equal(s.n, 4);
	unsetenv("SLURM_ARRAY_TASK_ID");
	/* Kubernetes from 0, with the total given */
	setenv("JOB_COMPLETION_INDEX", "0", 1);
	assert_int_equal(shard_from_env(&s, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--shard-total"));
	assert_int_equal(shard_from_env(&s, 2, err, sizeof(err)), 1);
	assert_int_equal(s.k, 1);
	assert_int_equal(s.n, 2);
	setenv("OOMLAB_SHARD_TOTAL", "5", 1);
	assert_int_equal(shard_from_env(&s, 0, err, sizeof(err)), 1);
	assert_int_equal(s.n, 5);
	unsetenv("JOB_COMPLETION_INDEX");
	unsetenv("OOMLAB_SHARD_TOTAL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shards_cover_every_cell_once_and_balance),
		cmocka_unit_test(shard_from_flag_and_engines),
	};

	return cmocka_run_group_tests_name("test_shard", tests, NULL, NULL);
}
