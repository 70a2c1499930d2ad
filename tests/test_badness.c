// SPDX-License-Identifier: GPL-2.0-only
/* test_badness.c - pins the badness oracle: points, generations and the judgement of victims. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracles/badness.h"

/*
 * Real reports come from tests/data (OOMLAB_TESTDATA overrides it): oomreport/ and the cells'
 * console logs of a Debian 6.1 guest. Synthetic ones are report text in the shape of one
 * generation, parsed by oomreport_parse() as any log would be: a row is
 * "[pid] uid tgid total_vm rss pgtables_bytes swapents oom_score_adj name" (page tables 0
 * unless a test needs them), and the shapes below hold 100000 pages of RAM and no swap, so
 * that oom_score_adj counts 100 pages a point.
 */

static struct oom_log *parse_data(const char *name)
{
	size_t len;
	char *text = testdata_read(name, &len);
	struct oom_log *log = oomreport_parse(text, len);

	free(text);
	assert_non_null(log);
	return log;
}

static struct oom_log *parse3(const char *head, const char *rows, const char *tail)
{
	size_t a = strlen(head), b = strlen(rows), c = strlen(tail);
	char *text = malloc(a + b + c + 1);
	struct oom_log *log;

	assert_non_null(text);
	memcpy(text, head, a);
	memcpy(text + a, rows, b);
	memcpy(text + a + b, tail, c + 1);
	log = oomreport_parse(text, a + b + c);
	free(text);
	assert_non_null(log);
	assert_true(log->nevents >= 1);
	return log;
}

static void assert_has(const char *s, const char *sub)
{
	if (!strstr(s, sub))
		fail_msg("'%s' not found in: %s", sub, s);
}

static const struct badness_row *row_of(const struct badness *b, int pid)
{
	int i;

	for (i = 0; i < b->nrows; i++)
		if (b->rows[i].task->pid == pid)
			return &b->rows[i];
	fail_msg("no row for pid %d", pid);
	return NULL;
}

/* 6.1: kernel_stack on the per-node line dates it 5.9 or later */
static const char c_global[] =
	"[ 10.000000] t invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE), order=0, "
	"oom_score_adj=0\n"
	"[ 10.000001] Node 0 active_anon:4kB inactive_anon:4kB writeback_tmp:0kB kernel_stack:8kB "
	"all_unreclaimable? yes\n"
	"[ 10.000002] Total swap = 0kB\n"
	"[ 10.000003] 100000 pages RAM\n"
	"[ 10.000004] 0 pages reserved\n"
	"[ 10.000005] Tasks state (memory values in pages):\n"
	"[ 10.000006] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n";

/* 4.19: "Kill process ... or sacrifice child", wide pid header */
static const char b_early_global[] =
	"[ 10.000000] t invoked oom-killer: gfp_mask=0x6280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), "
	"nodemask=(null), order=0, oom_score_adj=0\n"
	"[ 10.000002] Total swap = 0kB\n"
	"[ 10.000003] 100000 pages RAM\n"
	"[ 10.000004] 0 pages reserved\n"
	"[ 10.000005] Tasks state (memory values in pages):\n"
	"[ 10.000006] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n";

/* 5.4 to 5.8: kernel_stack on the per-zone line, kill line with pgtables: */
static const char b_late_global[] =
	"[ 10.000000] t invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, "
	"oom_score_adj=0\n"
	"[ 10.000001] Node 0 DMA32 free:2560kB min:2644kB managed:465692kB kernel_stack:880kB "
	"pagetables:968kB bounce:0kB\n"
	"[ 10.000002] Total swap = 0kB\n"
	"[ 10.000003] 100000 pages RAM\n"
	"[ 10.000004] 0 pages reserved\n"
	"[ 10.000005] Tasks state (memory values in pages):\n"
	"[ 10.000006] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n";

/* 4.14: nr_ptes and nr_pmds columns, narrow pid header */
static const char a_global[] =
	"[ 10.000000] t invoked oom-killer: gfp_mask=0x14280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), "
	"nodemask=(null),  order=0, oom_score_adj=0\n"
	"[ 10.000002] Total swap = 0kB\n"
	"[ 10.000003] 100000 pages RAM\n"
	"[ 10.000004] 0 pages reserved\n"
	"[ 10.000006] [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name\n";

#define KILL_C(pid, comm) \
	"[ 10.000010] Out of memory: Killed process " #pid " (" comm ") total-vm:4kB, anon-rss:4kB, " \
	"file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
#define KILL_B(pid, comm, score) \
	"[ 10.000010] Out of memory: Kill process " #pid " (" comm ") score " #score \
	" or sacrifice child\n" \
	"[ 10.000011] Killed process " #pid " (" comm ") total-vm:4kB, anon-rss:4kB, " \
	"file-rss:0kB, shmem-rss:0kB\n"

/* --- real 6.1 reports --- */

static void real_6_1_global_kill_is_consistent_with_exact_points(void **state)
{
	struct oom_log *log = parse_data("cells/kill-grower/console.log");
	struct badness b;

	assert_int_equal(log->nevents, 1);
	assert_int_equal(badness_judge(&log->events[0], NULL, &b), 0);
	assert_int_equal(b.gen, OOM_GEN_C);
	assert_int_equal(b.gen_mask, OOM_GEN_BIT(OOM_GEN_C));
	assert_string_equal(b.constraint, "CONSTRAINT_NONE");
	assert_false(b.memcg);
	assert_true(b.totalpages_known);
	assert_int_equal(b.totalpages, 120263); /* 130942 pages RAM - 10679 reserved */
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	assert_int_equal(b.victim_pid, 86);
	assert_non_null(b.victim_row);
	assert_ptr_equal(b.victim_row, b.winner);
	/* rss 95782 + 806912 bytes of page tables / 4096 */
	assert_int_equal(b.winner->pt_pages, 197);
	assert_int_equal(b.winner->points, 95979);
	assert_int_equal(b.runner_up->task->pid, 85);
	assert_int_equal(b.runner_up->points, 16516 + 42);
	assert_int_equal(b.margin, 95979 - 16558);
	/* (1000 + 95979 * 1000 / 120263) * 2 / 3 */
	assert_true(b.winner->has_oom_score);
	assert_int_equal(b.winner->oom_score, 1198);
	assert_has(b.reason, "consistent: grower (pid 86) had the most points, 95979");
	badness_release(&b);
	oomreport_free(log);
}

static void real_6_1_adj_term_is_adj_times_totalpages_thousandths(void **state)
{
	struct oom_log *log = parse_data("oomreport/debian61-adj-prefer-adj-term.log");
	const struct badness_row *small, *large;
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.totalpages, 120263);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	small = row_of(&b, 85);
	large = row_of(&b, 86);
	/* 1000 * (120263 / 1000): the integer division comes first */
	assert_int_equal(small->adj_pages, 120000);
	assert_int_equal(small->points, 41134 + 90 + 120000);
	assert_int_equal(large->points, 71362 + 149);
	assert_ptr_equal(b.victim_row, small);
	assert_ptr_equal(b.winner, small);
	assert_has(b.reason, "oom_score_adj +1000 x 120 = 120000");
	assert_has(b.reason, "Without the oom_score_adj terms large (pid 86) would have led");
	badness_release(&b);
	oomreport_free(log);
}

static void real_6_1_allocating_task_kill_is_policy(void **state)
{
	struct oom_log *log = parse_data("oomreport/debian61-adj-prefer-allocating-task.log");
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_POLICY);
	assert_int_equal(b.victim_pid, 85);
	assert_int_equal(b.victim_row->task->pid, 85);
	/* the scan would have taken the +1000 task */
	assert_int_equal(b.winner->task->pid, 84);
	assert_has(b.reason, "vm.oom_kill_allocating_task");
	assert_has(b.reason, "large (pid 85)");
	assert_has(b.reason, "would have chosen small (pid 84)");
	badness_release(&b);
	oomreport_free(log);

	/* the same rule in a cell's console log, where the allocating task was also the largest */
	log = parse_data("cells/kill-allocating/console.log");
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_POLICY);
	assert_has(b.reason, "It also had the most points");
	badness_release(&b);
	oomreport_free(log);
}

/*
 * The member of a memory.oom.group killed with an allocating task (a real 6.12 cell) died
 * for the task oom_kill_allocating_task chose, not for one a scan chose.
 */
static void group_member_of_an_allocating_kill_names_the_rule(void **state)
{
	struct oom_log *log = parse_data("cells/allocating-group-kill/console.log");
	struct badness b;

	assert_int_equal(badness_judge_in_log(log, 0, &log->events[0].kills[1], &b), 0);
	assert_int_equal(b.verdict, BADNESS_POLICY);
	assert_has(b.reason, "mate (pid 138) died as a member of /box: memory.oom.group kills the "
		   "whole group of the task vm.oom_kill_allocating_task chose, grower (pid 139)");
	assert_null(strstr(b.reason, "scan"));
	badness_release(&b);
	oomreport_free(log);
}

static void real_6_1_deadlock_report_has_no_victim(void **state)
{
	struct oom_log *log = parse_data("oomreport/debian61-no-killable-deadlocked.log");
	struct badness b;

	assert_int_equal(badness_judge_in_log(log, 0, NULL, &b), 0);
	assert_null(b.victim);
	assert_int_equal(b.victim_pid, 0);
	assert_null(b.victim_row);
	assert_null(b.winner);
	assert_int_equal(b.nrows, 2);
	assert_false(b.rows[0].eligible);
	assert_string_equal(b.rows[0].excluded_why, "oom_score_adj -1000");
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	assert_has(b.reason, "no killable task");
	assert_string_equal(badness_event_panic(log, 0), "System is deadlocked on memory");
	badness_release(&b);
	oomreport_free(log);
}

static void real_6_1_panic_on_oom_is_policy_naming_the_scans_choice(void **state)
{
	struct oom_log *log = parse_data("oomreport/debian61-global-two-hogs-panic-on-oom.log");
	struct badness b;

	badness_judge_in_log(log, 0, NULL, &b);
	assert_int_equal(b.verdict, BADNESS_POLICY);
	assert_null(b.victim);
	assert_int_equal(b.winner->task->pid, 85);
	assert_has(b.reason, "vm.panic_on_oom");
	assert_has(b.reason, "grower (pid 85)");
	badness_release(&b);
	/* without the log there is no panic to see: a report that names no victim */
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_UNKNOWN);
	badness_release(&b);
	oomreport_free(log);
}

static void real_6_1_task_at_minus_1000_is_excluded(void **state)
{
	struct oom_log *log = parse_data("oomreport/debian61-adj-protect-excluded.log");
	const struct badness_row *r;
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	r = row_of(&b, 85);
	assert_false(r->eligible);
	assert_ptr_equal(r, &b.rows[1]); /* excluded rows rank last */
	assert_true(r->has_oom_score);
	assert_int_equal(r->oom_score, 0);
	assert_int_equal(b.winner->task->pid, 86);
	assert_null(b.runner_up);
	badness_release(&b);
	oomreport_free(log);
}

/* --- generations from the shape of the report --- */

static void generation_of_each_report_shape(void **state)
{
	static const struct {
		const char *file;
		enum oom_gen gen;
		unsigned mask;
	} cases[] = {
#define A OOM_GEN_BIT(OOM_GEN_A)
#define B OOM_GEN_BIT(OOM_GEN_B)
#define C OOM_GEN_BIT(OOM_GEN_C)
#define N OOM_GEN_BIT(OOM_GEN_N)
		{ "oomreport/assembled-rhel6-2.6.32-syslog.log", OOM_GEN_N, N },
		{ "oomreport/assembled-rhel7-3.10-global-raw.log", OOM_GEN_A, A },
		{ "oomreport/k8s-56891-rhel7-memcg-dmesg-T.log", OOM_GEN_A, A },
		{ "oomreport/assembled-4.14-syslog-nr_pmds.log", OOM_GEN_A, A },
		{ "oomreport/assembled-4.19-memcg-v1-raw.log", OOM_GEN_B, B },
		{ "oomreport/assembled-4.19-oom-group-raw.log", OOM_GEN_B, B },
		{ "oomreport/genular-49-4.x-pair.log", OOM_GEN_B, A | B },
		{ "oomreport/reportportal-203-ubuntu5.4-memcg.log", OOM_GEN_C, B | C },
		{ "oomreport/opensvc-477-focal-syslog-table.log", OOM_GEN_C, B | C },
		{ "oomreport/assembled-6.1-global-raw.log", OOM_GEN_C, C },
		{ "oomreport/assembled-6.1-memcg-v2-oom-group.log", OOM_GEN_C, C },
		{ "oomreport/assembled-6.12-kmsg-rss-parts.log", OOM_GEN_C, C },
		{ "oomreport/relate-1383-6.x-rss-parts-dmesg-T.log", OOM_GEN_C, C },
		{ "oomreport/debian61-global-two-hogs-kill.log", OOM_GEN_C, C },
		{ "cells/panic-system-wide/console.log", OOM_GEN_C, C },
#undef A
#undef B
#undef C
#undef N
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oom_log *log = parse_data(cases[i].file);
		struct badness b;

		badness_judge(&log->events[0], NULL, &b);
		if (b.gen != cases[i].gen || b.gen_mask != cases[i].mask)
			fail_msg("%s: generation %s mask %#x, want %s mask %#x (%s)", cases[i].file,
				 oom_gen_name(b.gen), b.gen_mask, oom_gen_name(cases[i].gen),
				 cases[i].mask, b.gen_why);
		badness_release(&b);
		oomreport_free(log);
	}
}

/*
 * 2.6.36 to 3.x (and RHEL 6): points in thousandths of totalpages, a table without swapents
 * or nr_ptes. A victim far ahead of what any other row could hide is consistent; two close
 * rows are ambiguous; a victim another row beats whatever it hides is inconsistent. Before
 * 2.6.36 ("or a child") nothing is recomputed, and the printed score is quoted.
 */
static void old_columns_judged_by_what_they_could_hide(void **state)
{
	static const char head[] =
		"[ 9.0] a invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0\n"
		"[ 9.0] 262144 pages RAM\n"
		"[ 9.0] Total swap = 0kB\n"
		"[ 9.0] [ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name\n";
	static const struct {
		const char *rows, *tail;
		enum badness_verdict want;
		const char *says;
	} cases[] = {
		{ "[ 9.0] [  100]  1000   100   200000   180000   0       0             0 big\n"
		  "[ 9.0] [  101]  1000   101    20000    10000   1       0             0 small\n",
		  "[ 9.1] Out of memory: Kill process 100 (big) score 686 or sacrifice child\n"
		  "[ 9.1] Killed process 100, UID 1000, (big) total-vm:800000kB, anon-rss:720000kB, file-rss:0kB\n",
		  BADNESS_CONSISTENT, "the choice stands" },
		/* small could hide 10000 pages of swap: 90000 + 10000 against 100000 */
		{ "[ 9.0] [  100]  1000   100   100000   100000   0       0             0 big\n"
		  "[ 9.0] [  101]  1000   101   100000    90000   1       0             0 small\n",
		  "[ 9.1] Out of memory: Kill process 100 (big) score 381 or sacrifice child\n"
		  "[ 9.1] Killed process 100, UID 1000, (big) total-vm:400000kB, anon-rss:400000kB, file-rss:0kB\n",
		  BADNESS_AMBIGUOUS, "a close call" },
		{ "[ 9.0] [  100]  1000   100   200000   180000   0       0             0 big\n"
		  "[ 9.0] [  101]  1000   101    20000    10000   1       0             0 small\n",
		  "[ 9.1] Out of memory: Kill process 101 (small) score 38 or sacrifice child\n"
		  "[ 9.1] Killed process 101, UID 1000, (small) total-vm:80000kB, anon-rss:40000kB, file-rss:0kB\n",
		  BADNESS_INCONSISTENT, "big (pid 100) scores at least" },
	};
	struct oom_log *log;
	struct badness b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		log = parse3(head, cases[i].rows, cases[i].tail);
		badness_judge(&log->events[0], NULL, &b);
		assert_int_equal(b.gen, OOM_GEN_N);
		if (b.verdict != cases[i].want)
			fail_msg("case %zu: %s", i, b.reason);
		assert_has(b.reason, cases[i].says);
		badness_release(&b);
		oomreport_free(log);
	}

	log = parse3("", "",
		     "Out of memory: kill process 2000 (big) score 912345 or a child\n"
		     "Killed process 2001 (child)\n");
	assert_int_equal(log->events[0].nkills, 1);
	assert_int_equal(log->events[0].kills[0].pid, 2001);
	assert_string_equal(log->events[0].kills[0].comm, "child");
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.gen, OOM_GEN_OLD);
	assert_int_equal(b.verdict, BADNESS_UNKNOWN);
	assert_has(b.reason, "before 2.6.36");
	assert_has(b.reason, "printed score 912345");
	badness_release(&b);
	oomreport_free(log);
}

static void shapes_of_4_15_to_4_18_and_5_4_to_5_8_leave_two_generations(void **state)
{
	/* "[ pid ]" with pgtables_bytes: 4.15 to 4.18, with or without the 3% discount */
	struct oom_log *log = parse3(
		"[ 1.0] t invoked oom-killer: gfp_mask=0x14280ca(GFP_HIGHUSER_MOVABLE), "
		"nodemask=(null), order=0, oom_score_adj=0\n"
		"[ 1.1] [ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n",
		"[ 1.2] [  101]     0   101    60000    50000        0        0             0 big\n",
		KILL_B(101, "big", 500));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.gen_mask, OOM_GEN_BIT(OOM_GEN_A) | OOM_GEN_BIT(OOM_GEN_B));
	assert_int_equal(b.gen, OOM_GEN_B);
	assert_int_equal(b.vmin, 415);
	assert_int_equal(b.vmax, 418);
	assert_int_equal(b.rows[0].bonus_pages, 1500);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	badness_release(&b);
	oomreport_free(log);

	/* zone-line kernel_stack and a kill line with pgtables: 5.4 to 5.8, or 5.4.y with C */
	log = parse3(b_late_global,
		     "[ 10.000007] [    101]     0   101    60000    50000        0        0             0 big\n",
		     KILL_C(101, "big"));
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.gen, OOM_GEN_B);
	assert_int_equal(b.gen_mask, OOM_GEN_BIT(OOM_GEN_B) | OOM_GEN_BIT(OOM_GEN_C));
	assert_int_equal(b.vmin, 504);
	assert_int_equal(b.vmax, 508);
	assert_has(b.gen_why, "5.4.y");
	badness_release(&b);
	oomreport_free(log);
}

/* --- the rules, on small tables --- */

static const char tie_rows[] =
	"[ 10.000007] [    101]     0   101    60000    50000        0        0             0 first\n"
	"[ 10.000008] [    102]     0   102    60000    50000        0        0             0 second\n";

static void ties_go_to_the_first_scanned_up_to_5_2(void **state)
{
	struct oom_log *log = parse3(b_early_global, tie_rows, KILL_B(101, "first", 500));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.gen, OOM_GEN_B);
	assert_int_equal(b.rows[0].task->pid, 101);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	assert_has(b.reason, "up to 5.2 the task scanned first wins a tie");
	badness_release(&b);
	oomreport_free(log);

	/* the other one: only the drift between scan and table could explain it */
	log = parse3(b_early_global, tie_rows, KILL_B(102, "second", 500));
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_AMBIGUOUS);
	assert_int_equal(b.margin, 0);
	badness_release(&b);
	oomreport_free(log);
}

static void ties_go_to_the_last_scanned_from_5_3(void **state)
{
	struct oom_log *log = parse3(c_global, tie_rows, KILL_C(102, "second"));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.rows[0].task->pid, 102);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	assert_has(b.reason, "from 5.3 on the task scanned last wins a tie");
	badness_release(&b);
	oomreport_free(log);

	/* 5.4 to 5.8 still floor points at 1 but already give ties to the last */
	log = parse3(b_late_global, tie_rows, KILL_C(102, "second"));
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.gen, OOM_GEN_B);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	badness_release(&b);
	oomreport_free(log);
}

static const char negative_rows[] =
	"[ 10.000007] [    101]     0   101    60000    10000        0        0          -900 low\n"
	"[ 10.000008] [    102]     0   102    60000    11000        0        0          -900 higher\n";

static void points_below_1_count_as_1_before_5_9(void **state)
{
	struct oom_log *log = parse3(b_early_global, negative_rows, KILL_B(101, "low", 0));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	/* 10000 - 900 * 100 and 11000 - 900 * 100 both read 1: the first scanned wins */
	assert_int_equal(row_of(&b, 101)->points, 1);
	assert_int_equal(row_of(&b, 102)->points, 1);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	assert_has(b.reason, "below 1 so counted as 1");
	/* the select line's score: 1 * 1000 / 100000 */
	assert_has(b.reason, "printed score 0; recomputed: the same");
	badness_release(&b);
	oomreport_free(log);
}

static void points_stay_negative_from_5_9(void **state)
{
	struct oom_log *log = parse3(c_global, negative_rows, KILL_C(102, "higher"));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(row_of(&b, 101)->points, 10000 - 90000);
	assert_int_equal(row_of(&b, 102)->points, 11000 - 90000);
	assert_int_equal(b.winner->task->pid, 102);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	/* oom_score of 5.9: (1000 + -79000 * 1000 / 100000) * 2 / 3 */
	assert_int_equal(row_of(&b, 102)->oom_score, (1000 - 790) * 2 / 3);
	badness_release(&b);
	oomreport_free(log);

	/* "low" is 1000 pages behind: more than the drift allows */
	log = parse3(c_global, negative_rows, KILL_C(101, "low"));
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_INCONSISTENT);
	badness_release(&b);
	oomreport_free(log);
}

static void victim_at_minus_1000_is_inconsistent(void **state)
{
	struct oom_log *log = parse3(c_global,
		"[ 10.000007] [    101]     0   101    60000    50000        0        0         -1000 kept\n"
		"[ 10.000008] [    102]     0   102    60000     1000        0        0             0 other\n",
		KILL_C(101, "kept"));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_false(row_of(&b, 101)->eligible);
	assert_int_equal(b.winner->task->pid, 102);
	assert_int_equal(b.verdict, BADNESS_INCONSISTENT);
	assert_has(b.reason, "excluded from the scan (oom_score_adj -1000)");
	assert_has(b.reason, "oom_task_origin");
	badness_release(&b);
	oomreport_free(log);
}

static const char memcg_head[] =
	"[ 10.000000] t invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
	"[ 10.000001] memory: usage 400000kB, limit 400000kB, failcnt 9\n";
static const char memcg_table[] =
	"[ 10.000003] Memory cgroup stats for /t:\n"
	"[ 10.000004] workingset_refault_anon 0\n"
	"[ 10.000005] Tasks state (memory values in pages):\n"
	"[ 10.000006] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
	"[ 10.000007] [    101]     0   101    60000    50000        0        0             0 big\n"
	"[ 10.000008] [    102]     0   102    60000    30000        0        0           100 adj\n";
#define MEMCG_KILL(pid, comm) \
	"[ 10.000010] Memory cgroup out of memory: Killed process " #pid " (" comm ") total-vm:4kB, " \
	"anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"

static void memcg_totalpages_is_the_limit_plus_allowed_swap(void **state)
{
	char head[1024];
	struct oom_log *log;
	struct badness b;

	/* v2 with swap.max 0: exactly the limit, 100000 pages */
	snprintf(head, sizeof(head), "%s%s%s", memcg_head,
		 "[ 10.000002] swap: usage 0kB, limit 0kB, failcnt 0\n", memcg_table);
	log = parse3(head, "", MEMCG_KILL(101, "big"));
	badness_judge(&log->events[0], NULL, &b);
	assert_true(b.memcg);
	assert_int_equal(b.gen, OOM_GEN_C);
	assert_true(b.totalpages_known);
	assert_int_equal(b.totalpages, 100000);
	assert_int_equal(row_of(&b, 102)->adj_pages, 100 * 100);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	badness_release(&b);
	oomreport_free(log);

	/* v2 with swap.max 40000 kB: 100000 to 110000, depending on total swap and swappiness */
	snprintf(head, sizeof(head), "%s%s%s", memcg_head,
		 "[ 10.000002] swap: usage 0kB, limit 40000kB, failcnt 0\n", memcg_table);
	log = parse3(head, "", MEMCG_KILL(101, "big"));
	badness_judge(&log->events[0], NULL, &b);
	assert_false(b.totalpages_known);
	assert_int_equal(b.totalpages, 100000);
	assert_int_equal(b.totalpages_max, 110000);
	assert_has(b.totalpages_why, "plus up to 10000 of swap");
	/* 50000 against 40000 + 100 * 110 at most: the same winner across the range */
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	assert_has(b.reason, "every value it can take gives the same winner");
	badness_release(&b);
	oomreport_free(log);

	/* v1: the swap allowance is memory+swap's limit minus memory's */
	snprintf(head, sizeof(head), "%s%s%s", memcg_head,
		 "[ 10.000002] memory+swap: usage 400000kB, limit 440000kB, failcnt 0\n", memcg_table);
	log = parse3(head, "", MEMCG_KILL(101, "big"));
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.totalpages, 100000);
	assert_int_equal(b.totalpages_max, 110000);
	badness_release(&b);
	oomreport_free(log);
}

static void unknown_when_missing_totals_decide_the_ranking(void **state)
{
	char head[1024];
	struct oom_log *log;
	struct badness b;

	/* swap.max is "max": +100 adds between 10000 pages and no bound at all */
	snprintf(head, sizeof(head), "%s%s%s", memcg_head,
		 "[ 10.000002] swap: usage 0kB, limit 9007199254740988kB, failcnt 0\n", memcg_table);
	log = parse3(head, "", MEMCG_KILL(101, "big"));
	badness_judge(&log->events[0], NULL, &b);
	assert_false(b.totalpages_known);
	assert_int_equal(b.verdict, BADNESS_UNKNOWN);
	assert_has(b.reason, "depends on totalpages");
	badness_release(&b);
	oomreport_free(log);

	/* a global report whose Mem-Info was filtered out */
	log = parse3(
		"[ 10.000000] t invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 10.000005] Tasks state (memory values in pages):\n"
		"[ 10.000006] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n",
		"[ 10.000007] [    101]     0   101    60000    50000        0        0             0 big\n"
		"[ 10.000008] [    102]     0   102    60000    10000        0        0           500 adj\n",
		KILL_C(102, "adj"));
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_UNKNOWN);
	assert_has(b.totalpages_why, "Mem-Info lacks \"pages RAM\"");
	badness_release(&b);
	oomreport_free(log);
}

/*
 * Up to 5.1 the select line's score is the chosen task's points * 1000 / totalpages: with
 * Mem-Info gone, score 500 of a task at adj 0 with 50000 points puts totalpages near 100000,
 * which decides a ranking that an oom_score_adj term would otherwise leave open.
 */
static void printed_score_bounds_unknown_totalpages(void **state)
{
	struct oom_log *log;
	struct badness b;

	(void)state;
	log = parse3(
		"[ 10.000000] t invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0\n"
		"[ 10.000006] [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name\n",
		"[ 10.000007] [  101]  1000   101    60000    50000        0       0        0             0 big\n"
		"[ 10.000008] [  102]  1000   102    60000    10000        0       0        0           300 adj\n",
		"[ 10.000009] Out of memory: Kill process 101 (big) score 500 or sacrifice child\n"
		"[ 10.000010] Killed process 101 (big) total-vm:240000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss:0kB\n");
	badness_judge(&log->events[0], NULL, &b);
	/* (50000 - 628) * 1000 / 501 + 1 = 98547 up to (50000 + 628) * 1000 / 500 = 101256 */
	assert_int_equal(b.totalpages, 98547);
	assert_int_equal(b.totalpages_max, 101256);
	assert_has(b.totalpages_why, "printed score 500");
	/* adj's 10000 + 300 x (98..101) = 39400..40300 stays below big's 50000 */
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	badness_release(&b);
	oomreport_free(log);
}

static void cap_sys_admin_discount_makes_root_races_ambiguous(void **state)
{
	/* uid 0 leads by 2000 pages; a 3% discount (3000) would hand it to uid 1000 */
	struct oom_log *log = parse3(a_global,
		"[ 10.000007] [  101]     0   101   200000   100000       0       0        0             0 rootd\n"
		"[ 10.000008] [  102]  1000   102   200000    98000       0       0        0             0 user\n",
		KILL_B(102, "user", 980));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.gen, OOM_GEN_A);
	assert_int_equal(row_of(&b, 101)->bonus_pages, 3000);
	assert_int_equal(row_of(&b, 102)->bonus_pages, 0);
	assert_int_equal(b.winner->task->pid, 101);
	assert_int_equal(b.verdict, BADNESS_AMBIGUOUS);
	assert_has(b.reason, "CAP_SYS_ADMIN");
	badness_release(&b);
	oomreport_free(log);

	/* the same race between two unprivileged users is not in doubt */
	log = parse3(a_global,
		"[ 10.000007] [  101]  1000   101   200000   100000       0       0        0             0 rootd\n"
		"[ 10.000008] [  102]  1000   102   200000    98000       0       0        0             0 user\n",
		KILL_B(102, "user", 980));
	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_INCONSISTENT);
	badness_release(&b);
	oomreport_free(log);
}

static void clearly_inconsistent_victim_names_both_with_the_margin(void **state)
{
	struct oom_log *log = parse3(c_global,
		"[ 10.000007] [    101]  1000   101    60000    50000   409600        0             0 big\n"
		"[ 10.000008] [    102]  1000   102    60000    10000        0        0             0 small\n",
		KILL_C(102, "small"));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_INCONSISTENT);
	assert_int_equal(b.winner->task->pid, 101);
	assert_int_equal(b.victim_row->task->pid, 102);
	assert_int_equal(b.margin, 50100 - 10000);
	assert_int_equal(b.tolerance, BADNESS_DRIFT_PAGES + 50100 * BADNESS_DRIFT_PERMILLE / 1000);
	assert_has(b.reason, "inconsistent: big (pid 101) had 50100 points");
	assert_has(b.reason, "40100 more than the chosen small (pid 102) with 10000");
	badness_release(&b);
	oomreport_free(log);
}

static void ambiguous_within_the_drift_between_scan_and_table(void **state)
{
	struct oom_log *log = parse3(c_global,
		"[ 10.000007] [    101]  1000   101    60000    50000        0        0             0 big\n"
		"[ 10.000008] [    102]  1000   102    60000    49700        0        0             0 grower\n",
		KILL_C(102, "grower"));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_AMBIGUOUS);
	assert_int_equal(b.margin, 300);
	assert_int_equal(b.tolerance, 128 + 500);
	assert_has(b.reason, "within the drift");
	badness_release(&b);
	oomreport_free(log);
}

/*
 * Where Mem-Info does not total RAM, an unconstrained OOM's totalpages is at least what any
 * task holds; a cpuset's counts its nodes alone, which a task's pages elsewhere do not bound.
 */
static void only_an_unconstrained_oom_counts_every_task_in_totalpages(void **state)
{
	static const char head[] =
		"[ 10.000000] t invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE), "
		"order=0, oom_score_adj=0\n"
		"[ 10.000002] Total swap = 0kB\n"
		"[ 10.000005] Tasks state (memory values in pages):\n"
		"[ 10.000006] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents "
		"oom_score_adj name\n";
	static const char rows[] =
		"[ 10.000007] [    101]     0   101    70000    60000        0        0             0 big\n"
		"[ 10.000008] [    102]     0   102    20000    10000        0        0             0 pinned\n";
	static const char *const summaries[] = {
		"[ 10.000009] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,"
		"mems_allowed=0-1,global_oom,task_memcg=/,task=big,pid=101,uid=0\n",
		"[ 10.000009] oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=(null),cpuset=pin,"
		"mems_allowed=1,global_oom,task_memcg=/,task=big,pid=101,uid=0\n",
	};
	int k;

	for (k = 0; k < 2; k++) {
		char tail[512];
		struct oom_log *log;
		struct badness b;

		snprintf(tail, sizeof(tail), "%s%s", summaries[k], KILL_C(101, "big"));
		log = parse3(head, rows, tail);
		badness_judge(&log->events[0], NULL, &b);
		if (k == 0 && b.totalpages < 60000)
			fail_msg("CONSTRAINT_NONE: expected totalpages at least big's 60000 pages, "
				 "seen %lld (%s)", b.totalpages, b.totalpages_why);
		if (k == 1 && b.totalpages >= 60000)
			fail_msg("CONSTRAINT_CPUSET: expected totalpages not bounded by big's "
				 "60000 pages on other nodes, seen %lld (%s)", b.totalpages,
				 b.totalpages_why);
		badness_release(&b);
		oomreport_free(log);
	}
}

static void unknown_without_a_task_table(void **state)
{
	struct oom_log *log = parse3(
		"[ 10.000000] t invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n",
		"", KILL_C(101, "big"));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_UNKNOWN);
	assert_int_equal(b.victim_pid, 101);
	assert_null(b.victim_row);
	assert_has(b.reason, "no task table");
	badness_release(&b);
	oomreport_free(log);
}

static void unknown_when_the_table_was_cut(void **state)
{
	struct oom_log *log = parse3(c_global,
		"[ 10.000007] [    101]  1000   101    60000    50000        0        0             0 big\n"
		"[ 10.000008] [    102]  1000   102    60000    10000        0        0             0 small\n",
		KILL_C(101, "big"));
	struct oom_event *ev = &log->events[0];
	struct badness b;

	/* the log as it would read had it stopped after the first row */
	ev->ntasks = 1;
	ev->table_complete = 0;
	badness_judge(ev, NULL, &b);
	assert_int_equal(b.verdict, BADNESS_UNKNOWN);
	assert_has(b.reason, "cut short after 1 rows");
	badness_release(&b);
	oomreport_free(log);
}

static void sacrificed_child_is_judged_against_its_selected_parent(void **state)
{
	struct oom_log *log = parse3(b_early_global,
		"[ 10.000007] [    101]  1000   101    60000    50000        0        0             0 parent\n"
		"[ 10.000008] [    102]  1000   102    60000     2000        0        0             0 child\n",
		"[ 10.000010] Out of memory: Kill process 101 (parent) score 500 or sacrifice child\n"
		"[ 10.000011] Killed process 102 (child) total-vm:4kB, anon-rss:4kB, file-rss:0kB, "
		"shmem-rss:0kB\n");
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.victim_pid, 101);
	assert_int_equal(b.victim->pid, 102);
	assert_int_equal(b.victim_row->task->pid, 101);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	assert_has(b.reason, "Its child child (pid 102) was killed in its place");
	assert_has(b.reason, "printed score 500; recomputed: the same");
	badness_release(&b);
	oomreport_free(log);
}

static void oom_group_members_are_policy(void **state)
{
	struct oom_log *log = parse_data("oomreport/assembled-6.1-memcg-v2-oom-group.log");
	struct oom_event *ev = &log->events[0];
	struct badness b;

	/* the one the scan chose is judged by points */
	badness_judge(ev, NULL, &b);
	assert_int_equal(b.victim_pid, 7001);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	badness_release(&b);
	/* the rest of the group died by memory.oom.group */
	assert_int_equal(ev->kills[1].pid, 7000);
	badness_judge(ev, &ev->kills[1], &b);
	assert_int_equal(b.verdict, BADNESS_POLICY);
	assert_int_equal(b.victim_pid, 7000);
	assert_has(b.reason, "memory.oom.group");
	assert_has(b.reason, "worker (pid 7001)");
	badness_release(&b);
	oomreport_free(log);
}

static void earlier_victim_still_listed_is_excluded_in_its_log(void **state)
{
	struct oom_log *log = parse3(c_global,
		"[ 10.000007] [    101]  1000   101    60000    50000        0        0             0 big\n"
		"[ 10.000008] [    102]  1000   102    60000    10000        0        0             0 small\n",
		KILL_C(101, "big")
		"[ 12.000000] t invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE), order=0, "
		"oom_score_adj=0\n"
		"[ 12.000005] Tasks state (memory values in pages):\n"
		"[ 12.000006] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[ 12.000007] [    101]  1000   101    60000    49000        0        0             0 big\n"
		"[ 12.000008] [    102]  1000   102    60000    11000        0        0             0 small\n"
		"[ 12.000010] Out of memory: Killed process 102 (small) total-vm:4kB, anon-rss:4kB, "
		"file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n");
	struct badness b;

	assert_int_equal(log->nevents, 2);
	badness_judge_in_log(log, 1, NULL, &b);
	assert_false(row_of(&b, 101)->eligible);
	assert_has(row_of(&b, 101)->excluded_why, "earlier report");
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	badness_release(&b);
	/* on its own the event cannot know */
	badness_judge(&log->events[1], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_INCONSISTENT);
	badness_release(&b);
	oomreport_free(log);
}

static void victim_is_the_thread_group(void **state)
{
	/* the table printed thread 601 of process 600; the kill line names 600 */
	struct oom_log *log = parse3(c_global,
		"[ 10.000007] [    601]  1000   600    60000    50000        0        0             0 app\n"
		"[ 10.000008] [    102]  1000   102    60000    10000        0        0             0 small\n",
		KILL_C(600, "app"));
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.verdict, BADNESS_CONSISTENT);
	assert_int_equal(b.victim_row->task->pid, 601);
	assert_has(b.reason, "by its thread group");
	badness_release(&b);
	oomreport_free(log);
}

static void page_size_comes_from_the_kill_line(void **state)
{
	/* 1000 pages of rss printed as 64000 kB: 64 kB pages, so 655360 bytes are 10 pages */
	struct oom_log *log = parse3(c_global,
		"[ 10.000007] [    101]  1000   101    60000     1000   655360        0             0 big\n",
		"[ 10.000010] Out of memory: Killed process 101 (big) total-vm:4kB, anon-rss:64000kB, "
		"file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:640kB oom_score_adj:0\n");
	struct badness b;

	badness_judge(&log->events[0], NULL, &b);
	assert_int_equal(b.page_kb, 64);
	assert_int_equal(b.rows[0].pt_pages, 10);
	assert_int_equal(b.rows[0].points, 1010);
	badness_release(&b);
	oomreport_free(log);
}

static void names_of_verdicts_and_generations(void **state)
{
	assert_string_equal(badness_verdict_name(BADNESS_CONSISTENT), "consistent");
	assert_string_equal(badness_verdict_name(BADNESS_INCONSISTENT), "inconsistent");
	assert_string_equal(badness_verdict_name(BADNESS_AMBIGUOUS), "ambiguous");
	assert_string_equal(badness_verdict_name(BADNESS_UNKNOWN), "unknown");
	assert_string_equal(badness_verdict_name(BADNESS_POLICY), "policy");
	assert_string_equal(oom_gen_name(OOM_GEN_A), "A");
	assert_string_equal(oom_gen_name(OOM_GEN_C), "C");
	assert_string_equal(oom_gen_name(OOM_GEN_UNKNOWN), "unknown");
}

static void null_event_is_unknown(void **state)
{
	struct badness b;

	assert_int_equal(badness_judge(NULL, NULL, &b), -1);
	assert_int_equal(b.verdict, BADNESS_UNKNOWN);
	badness_release(&b);
	assert_null(badness_event_panic(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_6_1_global_kill_is_consistent_with_exact_points),
		cmocka_unit_test(real_6_1_adj_term_is_adj_times_totalpages_thousandths),
		cmocka_unit_test(real_6_1_allocating_task_kill_is_policy),
		cmocka_unit_test(group_member_of_an_allocating_kill_names_the_rule),
		cmocka_unit_test(real_6_1_deadlock_report_has_no_victim),
		cmocka_unit_test(real_6_1_panic_on_oom_is_policy_naming_the_scans_choice),
		cmocka_unit_test(real_6_1_task_at_minus_1000_is_excluded),
		cmocka_unit_test(generation_of_each_report_shape),
		cmocka_unit_test(old_columns_judged_by_what_they_could_hide),
		cmocka_unit_test(shapes_of_4_15_to_4_18_and_5_4_to_5_8_leave_two_generations),
		cmocka_unit_test(ties_go_to_the_first_scanned_up_to_5_2),
		cmocka_unit_test(ties_go_to_the_last_scanned_from_5_3),
		cmocka_unit_test(points_below_1_count_as_1_before_5_9),
		cmocka_unit_test(points_stay_negative_from_5_9),
		cmocka_unit_test(victim_at_minus_1000_is_inconsistent),
		cmocka_unit_test(memcg_totalpages_is_the_limit_plus_allowed_swap),
		cmocka_unit_test(unknown_when_missing_totals_decide_the_ranking),
		cmocka_unit_test(printed_score_bounds_unknown_totalpages),
		cmocka_unit_test(cap_sys_admin_discount_makes_root_races_ambiguous),
		cmocka_unit_test(clearly_inconsistent_victim_names_both_with_the_margin),
		cmocka_unit_test(ambiguous_within_the_drift_between_scan_and_table),
		cmocka_unit_test(only_an_unconstrained_oom_counts_every_task_in_totalpages),
		cmocka_unit_test(unknown_without_a_task_table),
		cmocka_unit_test(unknown_when_the_table_was_cut),
		cmocka_unit_test(sacrificed_child_is_judged_against_its_selected_parent),
		cmocka_unit_test(oom_group_members_are_policy),
		cmocka_unit_test(earlier_victim_still_listed_is_excluded_in_its_log),
		cmocka_unit_test(victim_is_the_thread_group),
		cmocka_unit_test(page_size_comes_from_the_kill_line),
		cmocka_unit_test(names_of_verdicts_and_generations),
		cmocka_unit_test(null_event_is_unknown),
	};

	return cmocka_run_group_tests_name("test_badness", tests, NULL, NULL);
}
