// SPDX-License-Identifier: GPL-2.0-only
/* badness_gen.c - the report's kernel generation and totals, each task's points by its rules. */
#include "oracles/badness_gen.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * What the kernel did, as read in mm/oom_kill.c of 4.14, 4.15, 4.17, 4.19, 5.2, 5.3, 5.4.6,
 * 5.4.273, 5.8, 5.9 and 6.1:
 *
 *   points = rss + swapents + page-table pages                      (all generations)
 *   A (up to 4.16): points -= points * 3 / 100 if CAP_SYS_ADMIN
 *   points += oom_score_adj * (totalpages / 1000)                    (integer division first)
 *   A, B (up to 5.8): an eligible task scores at least 1; C (5.9, late 5.4.y): no floor
 *   ineligible: oom_score_adj -1000, mm already reaped (MMF_OOM_SKIP), vfork, init, kthreads
 *
 * select_bad_process() walks the tasks in the order dump_tasks() prints them (for_each_process
 * for a global OOM; for a memcg OOM only from 5.3, before which the table is printed in
 * process order but scanned cgroup by cgroup) and keeps the best: up to 5.2 a tie keeps the
 * task found first, from 5.3 (which dropped the "prefer thread group leaders" check) the one
 * found last. Versions are coded major * 100 + minor below (5.3 is 503).
 *
 * The generation comes from the report's own shape (bd_shape_detect()): each print-format
 * detail bounds the kernel version, and every generation the bounds allow is tried
 * (badness.c judges the victim by them).
 */

void bd_addf(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

static const char *vstr(int v, char *buf, size_t size)
{
	snprintf(buf, size, "%d.%d", v / 100, v % 100);
	return buf;
}

static long long llmax(long long a, long long b)
{
	return a > b ? a : b;
}

static long long llabs_(long long a)
{
	return a < 0 ? -a : a;
}

/* The kernel keeps oom_score_adj within -1000..1000; a garbled line may not. */
static long long adj_of(const struct oom_task *t)
{
	return t->oom_score_adj < -1000 ? -1000 : t->oom_score_adj > 1000 ? 1000 :
	       t->oom_score_adj;
}

/* --- the generation, from the shape of the report --- */

static void shape(struct bd_ctx *c, int lo, int hi, const char *what)
{
	struct badness *b = c->b;

	if (lo > c->lo)
		c->lo = lo;
	if (hi < c->hi)
		c->hi = hi;
	ADD(b->gen_why, "%s%s", b->gen_why[0] ? "; " : "", what);
}

void bd_shape_detect(struct bd_ctx *c)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	char why[sizeof(b->gen_why)], v1[16], v2[16];
	int i, lo, hi, backport = 0;

	c->lo = 0;
	c->hi = BD_VMAX;
	/*
	 * oom_score_adj came with the rewrite of 2.6.36, and with it "or sacrifice child" for
	 * the old "or a child"; its tables kept "cpu oom_adj" for the swapents and nr_ptes of
	 * 3.x (RHEL 6 backported it to 2.6.32)
	 */
	if (ev->selected_or_a_child || (ev->table_seen && ev->table_no_adj))
		c->ancient = OOM_GEN_OLD;
	if (ev->ntasks > 0) {
		const struct oom_task *t = &ev->tasks[0];

		if (t->pgtables_kind == OOM_PGT_NONE && !t->has_swapents) {
			if (!c->ancient)
				c->ancient = OOM_GEN_N;
		} else if (t->pgtables_kind == OOM_PGT_PTES)
			shape(c, 0, 414, "nr_ptes column (4.14 or older)");
		else if (t->pgtables_kind == OOM_PGT_BYTES)
			shape(c, 415, BD_VMAX, "pgtables_bytes column (4.15 or later)");
		if (t->has_rss_parts)
			shape(c, 602, BD_VMAX, "rss_anon/rss_file/rss_shmem columns (after 6.1)");
	}
	/* 4.17 prints "[ pid ]", 4.19 "[  pid  ]"; 4.18 was not read, so both bounds are 4.18 */
	if (ev->table_seen && ev->table_wide_pid)
		shape(c, 418, BD_VMAX, "\"[  pid  ]\" table header (4.18 or later)");
	else if (ev->table_seen && ev->ntasks > 0 && ev->tasks[0].pgtables_kind == OOM_PGT_BYTES)
		shape(c, 0, 418, "\"[ pid ]\" table header (4.18 or older)");
	if (ev->has_selected)
		shape(c, 0, 501, "\"Kill process ... or sacrifice child\" (5.1 or older)");
	if (ev->has_summary)
		shape(c, 420, BD_VMAX, "oom-kill: summary line (4.20 or later)");
	for (i = 0; i < ev->nkills; i++)
		if (ev->kills[i].has_pgtables && ev->kills[i].has_adj)
			break;
	if (i < ev->nkills)
		shape(c, 504, BD_VMAX,
		      "kill line with pgtables: and oom_score_adj: (5.4 or later)");
	if (ev->nexiting)
		shape(c, 509, BD_VMAX, "\"already exiting\" line (5.9 or later)");
	if (ev->kstack_in == OOM_KSTACK_NODE)
		shape(c, 509, BD_VMAX, "kernel_stack in the per-node Mem-Info line (5.9 or later)");
	else if (ev->kstack_in == OOM_KSTACK_ZONE)
		shape(c, 0, 508, "kernel_stack in the per-zone Mem-Info lines (5.8 or older)");
	if (ev->memcg_refault == OOM_REFAULT_SPLIT)
		shape(c, 509, BD_VMAX, "workingset_refault_anon in the memcg stats (5.9 or later)");
	else if (ev->memcg_refault == OOM_REFAULT_ONE)
		shape(c, 0, 508, "one workingset_refault in the memcg stats (5.8 or older)");

	if (c->ancient) {
		/* ranked apart (badness_norm.c) or not at all: no marker above matters */
		b->gen = (enum oom_gen)c->ancient;
		b->gen_mask = OOM_GEN_BIT(c->ancient);
		b->vmin = c->ancient == OOM_GEN_OLD ? 0 : 236;
		b->vmax = c->ancient == OOM_GEN_OLD ? 235 : 307;
		if (c->ancient == OOM_GEN_OLD)
			snprintf(b->gen_why, sizeof(b->gen_why), "before 2.6.36 (%s): its badness "
				 "started from total_vm, added half of each child's, divided by the "
				 "square roots of CPU time and run time and shifted by oom_adj, none "
				 "of which a report prints", ev->selected_or_a_child ?
				 "the old killer's select line" : "a task table without oom_score_adj");
		else
			snprintf(b->gen_why, sizeof(b->gen_why), "2.6.36 to 3.x or RHEL 6: a task "
				 "table with cpu and oom_adj columns and oom_score_adj, no swapents or "
				 "nr_ptes; points in thousandths of totalpages");
		return;
	}
	if (c->lo > c->hi) {
		lo = c->hi;
		c->hi = c->lo;
		c->lo = lo;
		ADD(b->gen_why, "; the markers disagree (a distribution kernel with backports?)");
	}
	lo = c->lo;
	hi = c->hi;
	b->vmin = lo;
	b->vmax = hi;
	b->gen_mask = 0;
	if (lo <= 416)
		b->gen_mask |= OOM_GEN_BIT(OOM_GEN_A);
	if (lo <= 508 && hi >= 417)
		b->gen_mask |= OOM_GEN_BIT(OOM_GEN_B);
	if (hi >= 509)
		b->gen_mask |= OOM_GEN_BIT(OOM_GEN_C);
	else if (lo <= 504 && hi >= 504) {
		/* 5.4.273 carries 5.9's LONG_MIN scoring (5.4.6 does not) */
		b->gen_mask |= OOM_GEN_BIT(OOM_GEN_C);
		backport = 1;
	}
	/* rank by the newest kernel the shape allows */
	b->gen = hi >= 509 ? OOM_GEN_C : hi >= 417 ? OOM_GEN_B : OOM_GEN_A;

	if (lo == 0 && hi == BD_VMAX)
		snprintf(why, sizeof(why), "no dating marker");
	else if (lo == 0)
		snprintf(why, sizeof(why), "%s or older", vstr(hi, v1, sizeof(v1)));
	else if (hi == BD_VMAX)
		snprintf(why, sizeof(why), "%s or later", vstr(lo, v1, sizeof(v1)));
	else
		snprintf(why, sizeof(why), "%s to %s", vstr(lo, v1, sizeof(v1)),
			 vstr(hi, v2, sizeof(v2)));
	if (b->gen_why[0])
		ADD(why, ": %s", b->gen_why);
	if (backport)
		ADD(why, "; late 5.4.y kernels have 5.9's scoring");
	snprintf(b->gen_why, sizeof(b->gen_why), "%s", why);

	c->bonus_possible = !!(b->gen_mask & OOM_GEN_BIT(OOM_GEN_A));
	c->floor_possible = !!(b->gen_mask & (OOM_GEN_BIT(OOM_GEN_A) | OOM_GEN_BIT(OOM_GEN_B)));
	c->nofloor_possible = !!(b->gen_mask & OOM_GEN_BIT(OOM_GEN_C));
	c->first_possible = lo <= 502;
	c->last_possible = hi >= 503;
	/* before 5.3 a memcg OOM's table is not printed in the order of its scan */
	if (b->memcg && lo < 503)
		c->first_possible = c->last_possible = 1;
	c->nominal.floor = b->gen != OOM_GEN_C;
	c->nominal.tie_last = hi >= 503;
	c->nominal.spare = -1;
}

/* --- page size and totalpages --- */

static long long kill_rss_kb(const struct oom_kill *k)
{
	return pages(k->anon_rss_kb) + pages(k->file_rss_kb) + pages(k->shmem_rss_kb);
}

/* The kill line prints kB, the table pages: their ratio is the page size. */
void bd_page_size(struct bd_ctx *c)
{
	static const int sizes[] = { 4, 16, 64 };
	const struct oom_event *ev = c->ev;
	int i, j, s;

	c->b->page_kb = 4;
	for (i = 0; i < ev->nkills; i++) {
		const struct oom_kill *k = &ev->kills[i];

		for (j = 0; j < ev->ntasks; j++) {
			const struct oom_task *t = &ev->tasks[j];

			if (t->pid != k->pid || t->rss < 64)
				continue;
			for (s = 0; s < 3; s++) {
				long long want = pages(t->rss) * sizes[s];

				if (llabs_(kill_rss_kb(k) - want) <= want / 50) {
					c->b->page_kb = sizes[s];
					return;
				}
			}
		}
	}
}

void bd_constraint(struct bd_ctx *c)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	int i, memcg = 0, known;

	if (ev->constraint[0]) {
		snprintf(b->constraint, sizeof(b->constraint), "%s", ev->constraint);
		/* some 5.0-rc kernels printed CONSTRAINT_NONE beside a memcg's oom_memcg= */
		b->memcg = !strcmp(ev->constraint, "CONSTRAINT_MEMCG") || ev->oom_memcg[0];
		return;
	}
	if (ev->oom_memcg[0] || ev->has_memcg_usage || ev->memcg_stats || ev->trace_memcg ||
	    (ev->has_selected && ev->selected_kind == OOM_KIND_MEMCG))
		memcg = 1;
	for (i = 0; i < ev->nkills; i++)
		if (ev->kills[i].has_kind && ev->kills[i].kind == OOM_KIND_MEMCG)
			memcg = 1;
	b->memcg = memcg;
	/*
	 * A global OOM shows Mem-Info, or says "Out of memory" before its select or kill; SysRq-f
	 * asks for one (no memcg; its header says order=-1 from 4.6 on, is_sysrq_oom()).
	 */
	known = memcg || ev->has_ram_pages || ev->has_swap_total || ev->has_swap_free ||
		ev->trace_global || (ev->has_selected && ev->selected_kind == OOM_KIND_GLOBAL) ||
		ev->sysrq || (ev->has_header && ev->order == -1);
	/* only a global OOM panics for want of a victim (memcg OOMs wait) or system-wide */
	if (c->panic && (strstr(c->panic, "no killable") || strstr(c->panic, "deadlocked") ||
			 strstr(c->panic, "system-wide")))
		known = 1;
	for (i = 0; i < ev->nkills; i++)
		known |= ev->kills[i].has_kind;
	b->kind_unknown = !known;
	b->constraint_inferred = 1;
	snprintf(b->constraint, sizeof(b->constraint), "%s",
		 memcg ? "CONSTRAINT_MEMCG" : "CONSTRAINT_NONE");
}

static long long kb_pages(unsigned long long kb, int page_kb)
{
	return kb >= BD_UNLIMITED_KB ? BD_INF : (long long)(kb / (unsigned long long)page_kb);
}

void bd_totalpages(struct bd_ctx *c)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	int pk = b->page_kb, i;
	long long lo = 1, hi = BD_INF, swap = -1;

	if (pk != 4)
		say_tp(b, "pages of %d kB (the kill line's kB over the table's pages); ",
		    pk);
	if (ev->has_swap_total)
		swap = kb_pages(ev->swap_total_kb, pk);
	if (b->memcg) {
		if (ev->has_memcg_usage && ev->memcg_limit_kb < BD_UNLIMITED_KB) {
			long long limit = kb_pages(ev->memcg_limit_kb, pk), extra = BD_INF;
			const char *what = "memory+swap";

			if (ev->has_swap_usage) {
				extra = kb_pages(ev->swap_limit_kb, pk);
				what = "swap";
			} else if (ev->has_memsw_usage && ev->memsw_limit_kb < BD_UNLIMITED_KB) {
				extra = ev->memsw_limit_kb > ev->memcg_limit_kb ?
					kb_pages(ev->memsw_limit_kb - ev->memcg_limit_kb, pk) : 0;
			}
			lo = limit;
			hi = extra >= BD_INF ? BD_INF : limit + extra;
			say_tp(b, "the memcg's limit %lld", limit);
			if (!extra)
				say_tp(b, ", no swap allowed (%s limit)", what);
			else if (extra < BD_INF)
				say_tp(b, " plus up to %lld of swap (%s limit; the report "
				    "shows neither total swap nor swappiness)", extra, what);
			else
				say_tp(b, " plus some swap: the %s limit is %s and the "
				    "report shows neither total swap nor swappiness", what,
				    ev->has_swap_usage || ev->has_memsw_usage ? "max" :
				    "not printed");
		} else {
			say_tp(b, "a memcg OOM without its \"memory: usage\" line");
		}
	} else if (!strcmp(b->constraint, "CONSTRAINT_NONE")) {
		if (ev->has_ram_pages && ev->has_ram_reserved && swap >= 0 &&
		    ev->ram_reserved <= ev->ram_pages) {
			lo = hi = pages(ev->ram_pages - ev->ram_reserved) + swap;
			say_tp(b, "RAM %lu - reserved %lu + swap %lld pages (Mem-Info)",
			    ev->ram_pages, ev->ram_reserved, swap);
		} else {
			if (ev->has_ram_pages && swap >= 0)
				hi = pages(ev->ram_pages) + swap;
			say_tp(b, "Mem-Info lacks %s", !ev->has_ram_pages ?
			    "\"pages RAM\"" : !ev->has_ram_reserved ? "\"pages reserved\"" :
			    swap < 0 ? "\"Total swap\"" : "consistent totals");
		}
	} else {
		/* cpuset and mempolicy OOMs count the allowed nodes' present pages */
		if (swap >= 0)
			lo = llmax(swap, 1);
		if (ev->has_ram_pages && swap >= 0)
			hi = pages(ev->ram_pages) + swap;
		say_tp(b, "%s: swap plus the present pages of the allowed nodes, which "
		    "the report does not total", b->constraint);
	}
	/*
	 * An unconstrained OOM counts every page a task holds in RAM or swap; a cpuset's or a
	 * memory policy's counts its nodes alone, where a task's pages need not be.
	 */
	for (i = 0; !strcmp(b->constraint, "CONSTRAINT_NONE") && lo < hi && i < ev->ntasks; i++)
		if (lo < pages(ev->tasks[i].rss) + pages(ev->tasks[i].swapents))
			lo = pages(ev->tasks[i].rss) + pages(ev->tasks[i].swapents);
	if (lo < 1)
		lo = 1;
	if (hi < lo)
		hi = lo;
	b->totalpages = lo;
	b->totalpages_max = hi;
	b->totalpages_known = lo == hi;
	c->klo = lo / 1000;
	c->khi = hi / 1000;
	c->nominal.k = c->klo;
}

/*
 * Up to 5.1 the select line prints the chosen task's points * 1000 / totalpages, truncated:
 * with oom_score_adj 0 its points are the row's (less the 3% discount where it may apply,
 * within the drift between the scan and the table), so S = score bounds totalpages to
 * (points * 1000 / (S + 1), points * 1000 / S].
 */
void bd_totalpages_from_score(struct bd_ctx *c)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	long long s = (long long)ev->selected_score, base, plo, phi, lo, hi, d;
	int i;

	if (b->totalpages_known || !ev->has_selected || ev->selected_allocating || c->ancient ||
	    b->gen == OOM_GEN_C || s > 1000)
		return;
	for (i = 0; i < c->n; i++)
		if (c->scan[i].task->pid == ev->selected_pid)
			break;
	if (i == c->n || !c->scan[i].eligible || c->scan[i].task->oom_score_adj)
		return;
	base = c->scan[i].base;
	d = BADNESS_DRIFT_PAGES + base * BADNESS_DRIFT_PERMILLE / 1000;
	phi = base + d;
	plo = base - c->scan[i].bonus_pages - d;
	if (plo < 1)
		plo = 1;
	lo = plo * 1000 / (s + 1) + 1;
	hi = s ? phi * 1000 / s : BD_INF;
	/* bd_totalpages() kept an unconstrained OOM's at least what any task holds */
	if (lo < b->totalpages)
		lo = b->totalpages;
	if (hi > b->totalpages_max)
		hi = b->totalpages_max;
	if (lo > hi) {
		say_tp(b, "; the printed score %lld of the chosen task fits none of these", s);
		return;
	}
	say_tp(b, "; the printed score %lld of the chosen task, whose row gives %lld points, "
	       "puts it in [%lld, %lld]", s, base, lo, hi);
	b->totalpages = lo;
	b->totalpages_max = hi;
	b->totalpages_known = lo == hi;
	c->klo = lo / 1000;
	c->khi = hi / 1000;
	c->nominal.k = c->klo;
}

/* --- rows and scores --- */

static int earlier_victim(const struct bd_ctx *c, const struct oom_task *t)
{
	int i;

	for (i = 0; i < c->nearlier; i++)
		if (c->earlier[i].pid == t->pid && !strcmp(c->earlier[i].comm, t->name))
			return 1;
	return 0;
}

int bd_build_rows(struct bd_ctx *c)
{
	const struct oom_event *ev = c->ev;
	int i;

	c->n = ev->ntasks > 0 ? ev->ntasks : 0;
	c->scan = calloc(c->n ? (size_t)c->n : 1, sizeof(*c->scan));
	if (!c->scan)
		return -1;
	for (i = 0; i < c->n; i++) {
		struct badness_row *r = &c->scan[i];
		const struct oom_task *t = &ev->tasks[i];

		r->task = t;
		r->scan = i;
		if (t->pgtables_kind == OOM_PGT_BYTES)
			r->pt_pages = pages(t->pgtables / ((unsigned long)c->b->page_kb * 1024));
		else if (t->pgtables_kind == OOM_PGT_PTES)
			r->pt_pages = pages(t->pgtables);
		r->base = pages(t->rss) + pages(t->swapents) + r->pt_pages;
		r->eligible = 1;
		if (t->oom_score_adj <= -1000) {
			r->eligible = 0;
			r->excluded_why = "oom_score_adj -1000";
		} else if (earlier_victim(c, t)) {
			r->eligible = 0;
			r->excluded_why = "victim of an earlier report, already reaped";
		}
		if (c->bonus_possible && t->uid == 0)
			r->bonus_pages = r->base * 3 / 100;
	}
	return 0;
}

static long long points_of(const struct bd_ctx *c, int i, const struct bd_rules *ru)
{
	const struct badness_row *r = &c->scan[i];
	long long p = r->base;

	if (ru->bonus && r->task->uid == 0 && i != ru->spare)
		p -= p * 3 / 100;
	p += adj_of(r->task) * ru->k;
	if (ru->floor && p < 1)
		p = 1;
	return p;
}

/* The task select_bad_process() keeps under rules ru: an index into c->scan, or -1. */
int bd_winner(const struct bd_ctx *c, const struct bd_rules *ru)
{
	long long best = 0, p;
	int i, w = -1;

	for (i = 0; i < c->n; i++) {
		if (!c->scan[i].eligible)
			continue;
		p = points_of(c, i, ru);
		if (w < 0 || p > best || (p == best && ru->tie_last)) {
			w = i;
			best = p;
		}
	}
	return w;
}

long long bd_drift(const struct bd_ctx *c, int a, int v)
{
	long long larger = llmax(llabs_(c->scan[a].base), llabs_(c->scan[v].base));

	return BADNESS_DRIFT_PAGES + larger * BADNESS_DRIFT_PERMILLE / 1000;
}

/* Could v have won under ru if each gap to it were within the drift? */
int bd_wins_within_drift(const struct bd_ctx *c, int v, const struct bd_rules *ru)
{
	long long pv = points_of(c, v, ru);
	int i;

	for (i = 0; i < c->n; i++)
		if (i != v && c->scan[i].eligible &&
		    points_of(c, i, ru) - pv > bd_drift(c, i, v))
			return 0;
	return 1;
}

/* The generation's /proc/<pid>/oom_score formula, on the event's totalpages. */
void bd_score_rows(struct bd_ctx *c)
{
	struct badness *b = c->b;
	long long t = b->totalpages;
	int i;

	for (i = 0; i < c->n; i++) {
		struct badness_row *r = &c->scan[i];

		r->adj_pages = adj_of(r->task) * c->klo;
		r->points = r->eligible ? points_of(c, i, &c->nominal) : LLONG_MIN;
		if (!b->totalpages_known || b->gen == OOM_GEN_UNKNOWN)
			continue;
		r->has_oom_score = 1;
		if (!r->eligible)
			r->oom_score = 0;
		else if (b->gen == OOM_GEN_C)
			r->oom_score = (1000 + r->points * 1000 / t) * 2 / 3;
		else
			r->oom_score = r->points * 1000 / t;
	}
}

static int rank_cmp(const void *pa, const void *pb, void *arg)
{
	const struct bd_ctx *c = arg;
	const struct badness_row *a = &c->scan[*(const int *)pa], *b = &c->scan[*(const int *)pb];

	if (a->eligible != b->eligible)
		return b->eligible - a->eligible;
	if (a->eligible && a->points != b->points)
		return a->points > b->points ? -1 : 1;
	if (a->eligible && c->nominal.tie_last)
		return b->scan - a->scan;
	return a->scan - b->scan;
}

int bd_rank_rows(struct bd_ctx *c)
{
	struct badness *b = c->b;
	size_t n = c->n > 0 ? (size_t)c->n : 1;
	int *idx, i;

	idx = calloc(n, sizeof(*idx));
	b->rows = calloc(n, sizeof(*b->rows));
	if (!idx || !b->rows) {
		free(idx);
		return -1;
	}
	for (i = 0; i < c->n; i++)
		idx[i] = i;
	qsort_r(idx, (size_t)c->n, sizeof(*idx), rank_cmp, c);
	for (i = 0; i < c->n; i++)
		b->rows[i] = c->scan[idx[i]];
	b->nrows = c->n;
	free(idx);
	if (b->nrows > 0 && b->rows[0].eligible)
		b->winner = &b->rows[0];
	if (b->nrows > 1 && b->rows[1].eligible)
		b->runner_up = &b->rows[1];
	return 0;
}

const struct badness_row *bd_ranked(const struct bd_ctx *c, int scan_index)
{
	int i;

	for (i = 0; i < c->b->nrows; i++)
		if (c->b->rows[i].scan == scan_index)
			return &c->b->rows[i];
	return NULL;
}
