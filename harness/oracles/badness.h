/* SPDX-License-Identifier: GPL-2.0-only */
/* badness.h - recomputes the kernel's oom_badness() from a parsed report and judges its victim. */
#ifndef OOMLAB_BADNESS_H
#define OOMLAB_BADNESS_H

#include "observe/oomreport.h"

/*
 * The oracle takes one oom_event (oomreport.h) and answers: which task should the kernel have
 * chosen, by the rules of the kernel that printed the report, and does the victim agree?
 *
 * Points are what select_bad_process() compares: rss + swapents + page-table pages, plus
 * oom_score_adj * (totalpages / 1000), with the generation's extras. The generation is read
 * from the shape of the report (columns, print formats), never from a version string; where
 * the shape leaves two generations possible, both are tried and a choice that only one of
 * them explains is "ambiguous", never "consistent".
 *
 * Pure: structs in, structs out. The result points into the event it was computed from (and
 * into the log for badness_judge_in_log()), which must outlive it.
 */

enum oom_gen {
	OOM_GEN_UNKNOWN = 0, /* no clue at all */
	OOM_GEN_A,           /* 3.x to 4.16: 3% discount for CAP_SYS_ADMIN, floor of 1 */
	OOM_GEN_B,           /* 4.17 to 5.8: floor of 1; ties to the first scanned up to 5.2,
			      * to the last from 5.3 on */
	OOM_GEN_C,           /* 5.9 on (and late 5.4.y): points may be negative, ties to the last */
	OOM_GEN_N,           /* 2.6.36 to 3.x and RHEL 6: thousandths of totalpages, 1..1000, the
			      * table without swapents and nr_ptes (badness_norm.c) */
	OOM_GEN_OLD,         /* before 2.6.36: total_vm, halved children, CPU and run time
			      * divisors; not recomputable from any report */
};
#define OOM_GEN_BIT(g) (1u << (g))

enum badness_verdict {
	BADNESS_CONSISTENT,   /* the victim is the task with the most points */
	BADNESS_INCONSISTENT, /* another task had clearly more points */
	BADNESS_AMBIGUOUS,    /* the victim wins only within the report's uncertainty */
	BADNESS_UNKNOWN,      /* the report lacks what the judgement needs */
	BADNESS_POLICY,       /* chosen by a rule other than the scan: oom_kill_allocating_task,
			       * memory.oom.group, panic_on_oom */
};

/*
 * How far a task's points in the table may lie from what the scan saw: BADNESS_DRIFT_PAGES
 * plus BADNESS_DRIFT_PERMILLE of the larger of the two tasks compared (see badness.c).
 */
#define BADNESS_DRIFT_PAGES 128
#define BADNESS_DRIFT_PERMILLE 10

struct badness_row {
	const struct oom_task *task;
	int eligible;
	const char *excluded_why; /* a static phrase when !eligible, else NULL */
	long long pt_pages;       /* page-table pages (pgtables_bytes / page size, or nr_ptes) */
	long long base;           /* rss + swapents + pt_pages */
	long long adj_pages;      /* oom_score_adj * (totalpages / 1000) */
	long long bonus_pages;    /* the 3% CAP_SYS_ADMIN discount it may have had (A, uid 0) */
	long long points;         /* the generation's oom_badness() without that discount, at
				   * totalpages; LLONG_MIN when !eligible */
	int has_oom_score;
	long long oom_score;      /* oom_score-style: points scaled by the event's totalpages with
				   * the generation's /proc/<pid>/oom_score formula */
	int scan;                 /* position in the table, which is the order of the scan */
};

struct badness {
	enum oom_gen gen;      /* the generation the rows are ranked by: the newest kernel's the
				* shape allows (gen_mask may hold C for 5.4.y besides) */
	unsigned gen_mask;     /* every generation the shape allows (OOM_GEN_BIT) */
	int vmin, vmax;        /* kernel versions the shape allows, major * 100 + minor */
	char gen_why[512];
	int page_kb;           /* page size, 4 unless the kill line shows another */

	int memcg;             /* the OOM was a memory cgroup's */
	char constraint[40];   /* the summary's, or inferred: then constraint_inferred */
	int constraint_inferred;
	int kind_unknown;      /* inferred from nothing: no line of the report tells global from
				* memcg (the constraint reads CONSTRAINT_NONE for the arithmetic) */
	int totalpages_known;  /* 1: exact; 0: only a range [totalpages, totalpages_max], and
				* the rows count oom_score_adj at its low end */
	long long totalpages, totalpages_max;
	char totalpages_why[256];

	struct badness_row *rows; /* ranked: eligible by points, ties in the order the
				   * generation's scan picks them, then the excluded ones */
	int nrows;

	const struct oom_kill *victim; /* the kill line judged; NULL when none */
	int victim_pid;                /* the task judged (the selected parent of a sacrificed
					* child, an "already exiting" victim); 0 when none */
	char victim_comm[OOM_COMM_MAX];
	const struct badness_row *victim_row, *winner, *runner_up;
	long long margin;      /* winner - victim, or winner - runner-up when the victim won */
	long long tolerance;   /* the drift allowed between those two */
	enum badness_verdict verdict;
	char reason[1024];     /* plain words, the verdict first */
};

/*
 * Judges victim, one of ev->kills, or with victim NULL the event's own victim: the task the
 * scan selected ("Kill process ... or sacrifice child"), else the first kill, else the one
 * "already exiting". Fills *out (released with badness_release()). Returns 0, or -1 when
 * memory ran out or ev is NULL (then *out is empty, verdict BADNESS_UNKNOWN).
 */
int badness_judge(const struct oom_event *ev, const struct oom_kill *victim, struct badness *out);

/*
 * The same for log->events[i], with what the rest of the log tells: victims of earlier reports
 * of the same boot that are still listed are excluded (a scan that went on to choose must
 * have found them reaped), and a panic_on_oom panic that ended the event is judged as policy.
 */
int badness_judge_in_log(const struct oom_log *log, int i, const struct oom_kill *victim,
			 struct badness *out);

/* The panic message that ended log->events[i], or NULL. */
const char *badness_event_panic(const struct oom_log *log, int i);

void badness_release(struct badness *b);

/* "consistent", "inconsistent", "ambiguous", "unknown", "policy" */
const char *badness_verdict_name(enum badness_verdict v);
/* "unknown", "A", "B", "C", "N", "old" */
const char *oom_gen_name(enum oom_gen g);

#endif
