/* SPDX-License-Identifier: GPL-2.0-only */
/* badness_gen.h - the badness oracle's inner parts, shared by badness.c and badness_gen.c only. */
#ifndef OOMLAB_BADNESS_GEN_H
#define OOMLAB_BADNESS_GEN_H

#include <stddef.h>

#include "oracles/badness.h"

#define BD_INF (1LL << 50)             /* pages: no bound */
#define BD_UNLIMITED_KB (1ULL << 50)   /* a memcg limit of 1 EiB or more is "max" */
#define BD_VMAX 9999

struct bd_rules {
	int floor;    /* eligible points below 1 count as 1 */
	int tie_last; /* on equal points the task scanned later wins */
	long long k;  /* totalpages / 1000 */
	int bonus;    /* discount uid 0 tasks by 3%, except the row spare */
	int spare;
};

struct bd_ctx {
	const struct oom_event *ev;
	struct badness *b;
	struct badness_row *scan; /* in table order */
	int n;
	int lo, hi;               /* version bounds */
	int ancient;              /* OOM_GEN_N or OOM_GEN_OLD: not ranked in pages */
	int bonus_possible, floor_possible, nofloor_possible;
	int first_possible, last_possible;
	long long klo, khi;
	struct bd_rules nominal;
	/* the log around the event */
	const char *panic;
	const struct oom_kill *earlier; /* kills of earlier reports of the same boot */
	int nearlier;
};

/* Appends to the string in buf, cut to fit. */
void bd_addf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define ADD(buf, ...) bd_addf((buf), sizeof(buf), __VA_ARGS__)
#define say(b, ...) ADD((b)->reason, __VA_ARGS__)
#define say_tp(b, ...) ADD((b)->totalpages_why, __VA_ARGS__)

/* Page counts as printed, saturated so that sums and products of them cannot overflow. */
static inline long long pages(unsigned long long v)
{
	return v > (unsigned long long)BD_INF ? BD_INF : (long long)v;
}

/* badness_gen.c: the report's kernel, and every task's points by its rules */

/* The kernel versions the report's print formats allow (c->lo, c->hi), and its generation. */
void bd_shape_detect(struct bd_ctx *c);

/* The kill line prints kB, the table pages: their ratio is the page size. */
void bd_page_size(struct bd_ctx *c);

/* The OOM's constraint: the summary's, or inferred from the report's other lines. */
void bd_constraint(struct bd_ctx *c);

/* totalpages, exact or a range, from Mem-Info or the memcg's limit, and why (totalpages_why). */
void bd_totalpages(struct bd_ctx *c);

/* totalpages bounded by the select line's printed score, where the report left it open. */
void bd_totalpages_from_score(struct bd_ctx *c);

/* A row per task of the table, in scan order, with its eligibility; -1 when memory ran out. */
int bd_build_rows(struct bd_ctx *c);

/* The generation's /proc/<pid>/oom_score formula, on the event's totalpages. */
void bd_score_rows(struct bd_ctx *c);

/* The rows ranked as the generation's scan picks them; -1 when memory ran out. */
int bd_rank_rows(struct bd_ctx *c);

/* The ranked row of the task at scan_index, or NULL. */
const struct badness_row *bd_ranked(const struct bd_ctx *c, int scan_index);

/* The task select_bad_process() keeps under rules ru: an index into c->scan, or -1. */
int bd_winner(const struct bd_ctx *c, const struct bd_rules *ru);

/* How far apart tasks a and v may read from what the scan saw (BADNESS_DRIFT_*). */
long long bd_drift(const struct bd_ctx *c, int a, int v);

/* Could v have won under ru if each gap to it were within the drift? */
int bd_wins_within_drift(const struct bd_ctx *c, int v, const struct bd_rules *ru);

/* badness_norm.c: 2.6.36 to 3.x, whose tables hide swap and page tables */

/* Each row's points, the least its table row allows, in thousandths of totalpages. */
void bd_norm_points(struct bd_ctx *c);

/* Judges the chosen task at scan index v; matched says how its row was found, or NULL. */
void bd_judge_norm(struct bd_ctx *c, int v, const char *matched);

#endif
