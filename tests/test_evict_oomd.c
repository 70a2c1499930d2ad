// SPDX-License-Identifier: GPL-2.0-only
/* test_evict_oomd.c - pins the oomd 0.5.0 ranking of kill candidates, plugin by plugin. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "oracles/evict_oomd.h"

#define MiB (1024LL * 1024)

/* A populated cgroup of `current` bytes with nothing else known. */
static struct oomd_sample cg(const char *path, long long current)
{
	struct oomd_sample s = {
		.path = path,
		.current = current,
		.swap = OOMD_UNKNOWN,
		.mem_min = 0,
		.mem_low = 0,
		.protection = OOMD_UNKNOWN,
		.average = OOMD_UNKNOWN,
		.pgscan_delta = OOMD_UNKNOWN,
		.pref = OOMD_PREF_NORMAL,
		.populated = 1,
	};
	return s;
}

static const char *victim(const struct oomd_rank *r)
{
	return r->victim < 0 ? "(none)" : r->rows[r->victim].s->path;
}

static const char *runner_up(const struct oomd_rank *r)
{
	return r->runner_up < 0 ? "(none)" : r->rows[r->runner_up].s->path;
}

static void rank_ok(const struct oomd_sample *s, size_t n, const struct oomd_rank_args *a,
		    struct oomd_rank *r)
{
	assert_int_equal(oomd_rank(s, n, a, r), 0);
}

static void defaults_are_oomd_0_5_0s(void **state)
{
	struct oomd_rank_args a;

	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	assert_int_equal(a.size_threshold, 50);
	assert_int_equal(a.growing_size_percentile, 80);
	assert_true(a.min_growth_ratio == 1.25f);
	assert_int_equal(a.swap_threshold, 1);
	assert_int_equal(a.parent_protection, OOMD_UNKNOWN);
}

static void larger_child_wins_by_size_with_the_byte_margin(void **state)
{
	struct oomd_sample s[] = { cg("oomlab/p/small", 40 * MiB), cg("oomlab/p/big", 120 * MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	rank_ok(s, 2, &a, &r);
	assert_string_equal(victim(&r), "oomlab/p/big");
	assert_string_equal(runner_up(&r), "oomlab/p/small");
	assert_int_equal(r.size_threshold_bytes, 80 * MiB);
	assert_int_equal(r.rows[0].phase, OOMD_PHASE_SIZE_THRESHOLD);
	assert_int_equal(r.rows[1].phase, OOMD_PHASE_SIZE_NO_THRESHOLD);
	assert_int_equal(r.decided_by, OOMD_BY_SIZE);
	assert_true(r.margin == (double)(120 * MiB));
	oomd_rank_release(&r);
}

static void size_phase_is_judged_on_current_but_ranked_on_effective_usage(void **state)
{
	/* protected's memory.current is over half the total, so it is in the size phase, where
	 * its key is its effective usage, 10 MiB: still ahead of a larger unprotected cgroup
	 * that is not */
	struct oomd_sample s[] = { cg("a/protected", 60 * MiB), cg("a/plain", 45 * MiB),
				   cg("a/tiny", 5 * MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	s[0].mem_low = 50 * MiB;
	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	rank_ok(s, 3, &a, &r);
	assert_int_equal(r.size_threshold_bytes, 55 * MiB);
	assert_string_equal(victim(&r), "a/protected");
	assert_int_equal(r.rows[0].effective, 10 * MiB);
	assert_int_equal(r.decided_by, OOMD_BY_SIZE);
	assert_true(r.margin == (double)(10 * MiB));
	oomd_rank_release(&r);
}

static void first_tick_average_is_a_quarter_so_growth_is_four(void **state)
{
	long long one[] = { 400 };
	long long steady[40];

	assert_int_equal(oomd_average_usage(one, 1), 100);
	assert_int_equal(oomd_average_usage(NULL, 0), 0);
	for (size_t i = 0; i < 40; i++)
		steady[i] = 1000;
	/* the average creeps up on a steady cgroup and, truncated each tick, stops just short */
	assert_true(oomd_average_usage(steady, 40) >= 996);
	assert_true(oomd_average_usage(steady, 40) < 1000);
}

static void grower_among_the_largest_wins_by_growth(void **state)
{
	/* three cgroups, none over half the total: the grower, at the largest size, is
	 * killed for its growth; the steady ones' growth is about 1 */
	long long grow[23], flat300[23], flat250[23];
	struct oomd_sample s[3];
	struct oomd_rank_args a;
	struct oomd_rank r;

	for (size_t i = 0; i < 23; i++) {
		grow[i] = i < 20 ? 100 * MiB : (long long)(100 + 100 * (i - 19)) * MiB;
		flat300[i] = 300 * MiB;
		flat250[i] = 250 * MiB;
	}
	s[0] = cg("x/steady", 300 * MiB);
	s[0].history = flat300;
	s[0].nhistory = 23;
	s[1] = cg("x/grower", 400 * MiB);
	s[1].history = grow;
	s[1].nhistory = 23;
	s[2] = cg("x/other", 250 * MiB);
	s[2].history = flat250;
	s[2].nhistory = 23;
	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	a.size_threshold = 60;
	rank_ok(s, 3, &a, &r);
	/* n = 3 at P80: ceil(0.6) - 1 = 0, so only the largest effective usage may grow */
	assert_int_equal(r.growth_min_effective, 400 * MiB);
	assert_string_equal(victim(&r), "x/grower");
	assert_int_equal(r.rows[0].phase, OOMD_PHASE_GROWTH);
	assert_true(r.rows[0].growth > 1.25f);
	assert_string_equal(runner_up(&r), "x/steady");
	assert_int_equal(r.rows[1].phase, OOMD_PHASE_SIZE_NO_THRESHOLD);
	assert_int_equal(r.decided_by, OOMD_BY_GROWTH);
	oomd_rank_release(&r);
}

static void grower_outside_the_percentile_is_ranked_by_usage(void **state)
{
	long long grow[23], flat[23];
	struct oomd_sample s[3];
	struct oomd_rank_args a;
	struct oomd_rank r;

	for (size_t i = 0; i < 23; i++) {
		grow[i] = i < 20 ? 10 * MiB : 250 * MiB;
		flat[i] = 300 * MiB;
	}
	s[0] = cg("x/grower", 250 * MiB);
	s[0].history = grow;
	s[0].nhistory = 23;
	s[1] = cg("x/steady", 300 * MiB);
	s[1].history = flat;
	s[1].nhistory = 23;
	s[2] = cg("x/steady2", 290 * MiB);
	s[2].history = flat;
	s[2].nhistory = 23;
	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	rank_ok(s, 3, &a, &r);
	assert_true(r.rows[2].growth > 1.25f);
	assert_string_equal(victim(&r), "x/steady");
	assert_string_equal(runner_up(&r), "x/steady2");
	assert_int_equal(r.decided_by, OOMD_BY_USAGE);
	assert_true(r.margin == (double)(10 * MiB));
	oomd_rank_release(&r);
}

static void preference_outranks_every_phase(void **state)
{
	struct oomd_sample s[] = { cg("p/huge", 500 * MiB), cg("p/prefer", 1 * MiB),
				   cg("p/avoid", 900 * MiB), cg("p/mid", 100 * MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	s[1].pref = OOMD_PREF_PREFER;
	s[2].pref = OOMD_PREF_AVOID;
	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	rank_ok(s, 4, &a, &r);
	assert_string_equal(victim(&r), "p/prefer");
	assert_string_equal(runner_up(&r), "p/huge");
	assert_string_equal(r.rows[2].s->path, "p/mid");
	assert_string_equal(r.rows[3].s->path, "p/avoid");
	assert_int_equal(r.decided_by, OOMD_BY_PREFERENCE);
	assert_true(r.margin == 1);
	oomd_rank_release(&r);
}

static void equal_keys_are_a_tie(void **state)
{
	struct oomd_sample s[] = { cg("t/a", 64 * MiB), cg("t/b", 64 * MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	rank_ok(s, 2, &a, &r);
	assert_int_equal(r.decided_by, OOMD_BY_TIE);
	assert_true(r.margin == 0);
	oomd_rank_release(&r);
}

static void unpopulated_cgroup_is_passed_over(void **state)
{
	struct oomd_sample s[] = { cg("u/empty", 200 * MiB), cg("u/b", 50 * MiB),
				   cg("u/c", 20 * MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	s[0].populated = 0;
	s[0].pref = OOMD_PREF_PREFER;
	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	rank_ok(s, 3, &a, &r);
	assert_string_equal(r.rows[0].s->path, "u/empty");
	assert_non_null(r.rows[0].skipped_why);
	assert_string_equal(victim(&r), "u/b");
	assert_string_equal(runner_up(&r), "u/c");
	assert_int_equal(r.decided_by, OOMD_BY_USAGE);
	oomd_rank_release(&r);
}

static void protection_of_a_deeper_cgroup_is_scaled_by_its_parents(void **state)
{
	/* raw protections 100 and 300 MiB; the parent's protection is 200 MiB: each is halved */
	struct oomd_sample s[] = { cg("o/p/a", 400 * MiB), cg("o/p/b", 400 * MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	s[0].mem_min = 100 * MiB;
	s[1].mem_low = 300 * MiB;
	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	a.parent_protection = 200 * MiB;
	rank_ok(s, 2, &a, &r);
	assert_string_equal(victim(&r), "o/p/a");
	assert_int_equal(r.rows[0].effective, 350 * MiB);
	assert_int_equal(r.rows[1].effective, 250 * MiB);
	oomd_rank_release(&r);

	/* as top-level cgroups each keeps its raw protection */
	a.parent_protection = OOMD_UNKNOWN;
	rank_ok(s, 2, &a, &r);
	assert_int_equal(r.rows[0].effective, 300 * MiB);
	assert_int_equal(r.rows[1].effective, 100 * MiB);
	oomd_rank_release(&r);
}

static void percentile_of_100_is_refused(void **state)
{
	struct oomd_sample s[] = { cg("z/a", MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	oomd_rank_args_init(&a, OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH);
	a.growing_size_percentile = 100;
	assert_int_equal(oomd_rank(s, 1, &a, &r), -1);
	assert_int_equal(r.nrows, 0);
	assert_int_equal(r.victim, -1);
}

static void swap_threshold_keeps_equal_and_drops_below(void **state)
{
	struct oomd_sample s[] = { cg("s/at", 10 * MiB), cg("s/below", 500 * MiB),
				   cg("s/most", 5 * MiB), cg("s/unknown", 900 * MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	s[0].swap = 16 * MiB;
	s[1].swap = 16 * MiB - 1;
	s[2].swap = 64 * MiB;
	oomd_rank_args_init(&a, OOMD_KILL_BY_SWAP_USAGE);
	a.swap_threshold = 16 * MiB;
	rank_ok(s, 4, &a, &r);
	assert_int_equal(r.nrows, 2);
	assert_int_equal(r.nfiltered, 2);
	assert_string_equal(victim(&r), "s/most");
	assert_string_equal(runner_up(&r), "s/at");
	assert_int_equal(r.decided_by, OOMD_BY_SWAP);
	assert_true(r.margin == (double)(48 * MiB));
	oomd_rank_release(&r);
}

static void swap_with_none_over_the_threshold_has_no_victim(void **state)
{
	struct oomd_sample s[] = { cg("s/a", 10 * MiB), cg("s/b", 10 * MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	s[0].swap = 0;
	oomd_rank_args_init(&a, OOMD_KILL_BY_SWAP_USAGE);
	rank_ok(s, 2, &a, &r);
	assert_int_equal(r.nrows, 0);
	assert_int_equal(r.victim, -1);
	assert_int_equal(r.decided_by, OOMD_BY_NONE);
	oomd_rank_release(&r);
}

static void pgscan_ranks_zero_rates_too(void **state)
{
	struct oomd_sample s[] = { cg("g/quiet", 900 * MiB), cg("g/scanned", MiB),
				   cg("g/unknown", 2 * MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	s[0].pgscan_delta = 0;
	s[1].pgscan_delta = 1500;
	oomd_rank_args_init(&a, OOMD_KILL_BY_PG_SCAN);
	rank_ok(s, 3, &a, &r);
	assert_int_equal(r.nrows, 3);
	assert_string_equal(victim(&r), "g/scanned");
	assert_int_equal(r.decided_by, OOMD_BY_PGSCAN);
	assert_true(r.margin == 1500);
	oomd_rank_release(&r);
}

static void pressure_average_truncates_to_a_tie(void **state)
{
	/* 10.9/2 + 0.9/2 = 5.9 and 10/2 + 1/2 = 5.5: both 5 once truncated to int */
	struct oomd_sample s[] = { cg("q/a", MiB), cg("q/b", MiB), cg("q/c", MiB) };
	struct oomd_rank_args a;
	struct oomd_rank r;

	s[0].psi_full_avg10 = 10.9;
	s[0].psi_full_avg60 = 0.9;
	s[1].psi_full_avg10 = 10.0;
	s[1].psi_full_avg60 = 1.0;
	s[2].psi_full_avg10 = 3.0;
	oomd_rank_args_init(&a, OOMD_KILL_BY_PRESSURE);
	rank_ok(s, 3, &a, &r);
	assert_true(r.rows[0].key[0] == 5 && r.rows[1].key[0] == 5);
	assert_string_equal(r.rows[2].s->path, "q/c");
	assert_int_equal(r.decided_by, OOMD_BY_TIE);
	oomd_rank_release(&r);
}

static void sizes_and_percentages_parse_as_oomd_reads_them(void **state)
{
	long long v;

	assert_int_equal(oomd_parse_size_or_percent("1", 0, &v), 0);
	assert_int_equal(v, MiB);
	assert_int_equal(oomd_parse_size_or_percent("10%", 1000, &v), 0);
	assert_int_equal(v, 100);
	assert_int_equal(oomd_parse_size_or_percent("12.5%", 1000, &v), 0);
	assert_int_equal(v, 120);
	assert_int_equal(oomd_parse_size_or_percent("1.5M", 0, &v), 0);
	assert_int_equal(v, 3 * MiB / 2);
	assert_int_equal(oomd_parse_size_or_percent("512k", 0, &v), 0);
	assert_int_equal(v, 512 * 1024);
	assert_int_equal(oomd_parse_size_or_percent("1G 512M", 0, &v), 0);
	assert_int_equal(v, 1536 * MiB);
	assert_int_equal(oomd_parse_size_or_percent("0.5", 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(oomd_parse_size_or_percent("100%", 7, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(oomd_parse_size_or_percent("101%", 7, &v), -1);
	assert_int_equal(oomd_parse_size_or_percent("-5%", 7, &v), -1);
	assert_int_equal(oomd_parse_size_or_percent("abc", 7, &v), -1);
	assert_int_equal(oomd_parse_size_or_percent("M5", 7, &v), -1);
	assert_int_equal(oomd_parse_size_or_percent("5x", 7, &v), -1);
}

static void names_of_plugins_and_keys(void **state)
{
	assert_string_equal(oomd_plugin_name(OOMD_KILL_BY_SWAP_USAGE), "kill_by_swap_usage");
	assert_string_equal(oomd_plugin_name(OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH),
			    "kill_by_memory_size_or_growth");
	assert_string_equal(oomd_decided_by_name(OOMD_BY_TIE), "tie");
	assert_string_equal(oomd_decided_by_name((enum oomd_decided_by)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_oomd_0_5_0s),
		cmocka_unit_test(larger_child_wins_by_size_with_the_byte_margin),
		cmocka_unit_test(size_phase_is_judged_on_current_but_ranked_on_effective_usage),
		cmocka_unit_test(first_tick_average_is_a_quarter_so_growth_is_four),
		cmocka_unit_test(grower_among_the_largest_wins_by_growth),
		cmocka_unit_test(grower_outside_the_percentile_is_ranked_by_usage),
		cmocka_unit_test(preference_outranks_every_phase),
		cmocka_unit_test(equal_keys_are_a_tie),
		cmocka_unit_test(unpopulated_cgroup_is_passed_over),
		cmocka_unit_test(protection_of_a_deeper_cgroup_is_scaled_by_its_parents),
		cmocka_unit_test(percentile_of_100_is_refused),
		cmocka_unit_test(swap_threshold_keeps_equal_and_drops_below),
		cmocka_unit_test(swap_with_none_over_the_threshold_has_no_victim),
		cmocka_unit_test(pgscan_ranks_zero_rates_too),
		cmocka_unit_test(pressure_average_truncates_to_a_tie),
		cmocka_unit_test(sizes_and_percentages_parse_as_oomd_reads_them),
		cmocka_unit_test(names_of_plugins_and_keys),
	};

	return cmocka_run_group_tests_name("test_evict_oomd", tests, NULL, NULL);
}
