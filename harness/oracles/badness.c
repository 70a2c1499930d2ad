/* badness.c - recomputes oom_badness() as the report's kernel did, and judges its victim. */

#include "oracles/badness.h"

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
 * The generation comes from the report's own shape (shape_*() below): each print-format detail
 * bounds the kernel version, and every generation the bounds allow is tried. A victim is:
 *   consistent    when it has the most points under the rules of the newest kernel allowed;
 *   ambiguous     when it would win only under another allowed rule (tie order, floor, the
 *                 extremes of a totalpages range), with the 3% discount on other uid 0 tasks,
 *                 or within the drift between the scan and the table;
 *   inconsistent  when none of that lets it win;
 *   unknown       when the table is missing or cut, or the ranking hangs on an unknown total.
 *
 * The drift. select_bad_process() reads every task's counters first; dump_tasks() reads them
 * again afterwards, after dump_header() has printed the stack and Mem-Info over the console
 * (40 ms in our 6.1 guests). In between, allocations below the min watermark fail, so tasks
 * cannot grow by more than what others free meanwhile; rss can shrink (exits, munmap,
 * page-cache reclaim by other reclaimers); swap-out only moves pages from rss to swapents.
 * Up to 6.1 each thread also batches up to 64 rss events per counter before folding them into
 * the mm (TASK_RSS_EVENTS_THRESH, mm/memory.c), and a thread that faults in between folds
 * them. BADNESS_DRIFT_PAGES (128) covers that batch for the anon and file counters of a
 * thread, BADNESS_DRIFT_PERMILLE (1% of the larger task) covers many-threaded tasks and the
 * pages freed and refaulted meanwhile. Real decisions are far apart (our suite's margins are
 * 10% and more); a gap below this bound is a race the report cannot settle.
 *
 * CAP_SYS_ADMIN is not in the report. Where the generation had the 3% discount, uid 0 tasks
 * are its likely holders; rather than guess, the discount is treated as uncertainty: the
 * victim is never discounted and every other uid 0 task is, when asking whether it could win.
 */

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
	int ancient;
	int bonus_possible, floor_possible, nofloor_possible;
	int first_possible, last_possible;
	long long klo, khi;
	struct bd_rules nominal;
	/* the log around the event */
	const char *panic;
	const struct oom_kill *earlier; /* kills of earlier reports of the same boot */
	int nearlier;
};

/* --- small helpers --- */

static void addf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void addf(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

#define ADD(buf, ...) addf((buf), sizeof(buf), __VA_ARGS__)
#define say(b, ...) ADD((b)->reason, __VA_ARGS__)
#define say_tp(b, ...) ADD((b)->totalpages_why, __VA_ARGS__)

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

/* Page counts as printed, saturated so that sums and products of them cannot overflow. */
static long long pages(unsigned long long v)
{
	return v > (unsigned long long)BD_INF ? BD_INF : (long long)v;
}

/* The kernel keeps oom_score_adj within -1000..1000; a garbled line may not. */
static long long adj_of(const struct oom_task *t)
{
	return t->oom_score_adj < -1000 ? -1000 : t->oom_score_adj > 1000 ? 1000 :
	       t->oom_score_adj;
}

const char *badness_verdict_name(enum badness_verdict v)
{
	switch (v) {
	case BADNESS_CONSISTENT:
		return "consistent";
	case BADNESS_INCONSISTENT:
		return "inconsistent";
	case BADNESS_AMBIGUOUS:
		return "ambiguous";
	case BADNESS_POLICY:
		return "policy";
	case BADNESS_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *oom_gen_name(enum oom_gen g)
{
	switch (g) {
	case OOM_GEN_A:
		return "A";
	case OOM_GEN_B:
		return "B";
	case OOM_GEN_C:
		return "C";
	case OOM_GEN_UNKNOWN:
		break;
	}
	return "unknown";
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

static void shape_detect(struct bd_ctx *c)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	char why[sizeof(b->gen_why)], v1[16], v2[16];
	int i, lo, hi, backport = 0;

	c->lo = 0;
	c->hi = BD_VMAX;
	if (ev->ntasks > 0) {
		const struct oom_task *t = &ev->tasks[0];

		if (t->pgtables_kind == OOM_PGT_NONE && !t->has_swapents)
			c->ancient = 1;
		else if (t->pgtables_kind == OOM_PGT_PTES)
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
		b->gen = OOM_GEN_UNKNOWN;
		b->gen_mask = 0;
		b->vmin = 0;
		b->vmax = 299;
		snprintf(b->gen_why, sizeof(b->gen_why), "2.6.3x table (cpu and oom_adj "
			 "columns, no swapents): that kernel's badness is not modelled");
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
static void detect_page_size(struct bd_ctx *c)
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

static void infer_constraint(struct bd_ctx *c)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	int i, memcg = 0;

	if (ev->constraint[0]) {
		snprintf(b->constraint, sizeof(b->constraint), "%s", ev->constraint);
		b->memcg = !strcmp(ev->constraint, "CONSTRAINT_MEMCG");
		return;
	}
	if (ev->oom_memcg[0] || ev->has_memcg_usage ||
	    (ev->has_selected && ev->selected_kind == OOM_KIND_MEMCG))
		memcg = 1;
	for (i = 0; i < ev->nkills; i++)
		if (ev->kills[i].has_kind && ev->kills[i].kind == OOM_KIND_MEMCG)
			memcg = 1;
	b->memcg = memcg;
	b->constraint_inferred = 1;
	snprintf(b->constraint, sizeof(b->constraint), "%s",
		 memcg ? "CONSTRAINT_MEMCG" : "CONSTRAINT_NONE");
}

static long long kb_pages(unsigned long long kb, int page_kb)
{
	return kb >= BD_UNLIMITED_KB ? BD_INF : (long long)(kb / (unsigned long long)page_kb);
}

static void compute_totalpages(struct bd_ctx *c)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	int pk = b->page_kb;
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

/* --- rows and scores --- */

static int earlier_victim(const struct bd_ctx *c, const struct oom_task *t)
{
	int i;

	for (i = 0; i < c->nearlier; i++)
		if (c->earlier[i].pid == t->pid && !strcmp(c->earlier[i].comm, t->name))
			return 1;
	return 0;
}

static int build_rows(struct bd_ctx *c)
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
static int winner_of(const struct bd_ctx *c, const struct bd_rules *ru)
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

static long long drift_of(const struct bd_ctx *c, int a, int v)
{
	long long larger = llmax(llabs_(c->scan[a].base), llabs_(c->scan[v].base));

	return BADNESS_DRIFT_PAGES + larger * BADNESS_DRIFT_PERMILLE / 1000;
}

/* Could v have won under ru if each gap to it were within the drift? */
static int wins_within_drift(const struct bd_ctx *c, int v, const struct bd_rules *ru)
{
	long long pv = points_of(c, v, ru);
	int i;

	for (i = 0; i < c->n; i++)
		if (i != v && c->scan[i].eligible &&
		    points_of(c, i, ru) - pv > drift_of(c, i, v))
			return 0;
	return 1;
}

/* The generation's /proc/<pid>/oom_score formula, on the event's totalpages. */
static void score_rows(struct bd_ctx *c)
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

static int rank_rows(struct bd_ctx *c)
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

static const struct badness_row *ranked(const struct bd_ctx *c, int scan_index)
{
	int i;

	for (i = 0; i < c->b->nrows; i++)
		if (c->b->rows[i].scan == scan_index)
			return &c->b->rows[i];
	return NULL;
}

/* --- words --- */

static void name_of(char *buf, size_t size, const struct oom_task *t)
{
	snprintf(buf, size, "%s (pid %d)", t->name, t->pid);
}

/* "rss 95782 + page tables 197 + oom_score_adj +1000 x 120 = 120000" */
static void breakdown(char *buf, size_t size, const struct bd_ctx *c, const struct badness_row *r)
{
	const struct oom_task *t = r->task;

	buf[0] = '\0';
	addf(buf, size, "rss %lu", t->rss);
	if (t->swapents)
		addf(buf, size, " + swap %lu", t->swapents);
	if (r->pt_pages)
		addf(buf, size, " + page tables %lld", r->pt_pages);
	if (t->oom_score_adj && c->b->totalpages_known)
		addf(buf, size, " + oom_score_adj %+d x %lld = %lld", t->oom_score_adj, c->klo,
		     r->adj_pages);
	else if (t->oom_score_adj)
		addf(buf, size, " + oom_score_adj %+d x totalpages/1000 (not pinned down)",
		     t->oom_score_adj);
	if (c->nominal.floor && r->eligible && r->base + r->adj_pages < 1)
		addf(buf, size, ", below 1 so counted as 1");
}

/* How rules ru differ from the nominal ones, in words. */
static void rules_words(char *buf, size_t size, const struct bd_ctx *c, const struct bd_rules *ru)
{
	const char *sep = "";

	buf[0] = '\0';
	if (ru->tie_last != c->nominal.tie_last) {
		addf(buf, size, "%s", ru->tie_last ?
		     "ties go to the task scanned last (5.3 on)" :
		     c->b->memcg && c->lo < 503 ? "the scan meets the tied tasks in another order "
		     "(before 5.3 a memcg OOM's table is not in scan order)" :
		     "ties go to the task scanned first (5.2 and older)");
		sep = ", ";
	}
	if (ru->floor != c->nominal.floor) {
		addf(buf, size, "%s%s", sep, ru->floor ?
		     "points below 1 count as 1 (5.8 and older)" :
		     "points below 1 stay as they are (5.9 on, late 5.4.y)");
		sep = ", ";
	}
	if (ru->k != c->nominal.k && c->b->totalpages_max < BD_INF)
		addf(buf, size, "%stotalpages is %lld", sep, c->b->totalpages_max);
	else if (ru->k != c->nominal.k)
		addf(buf, size, "%stotalpages is much larger", sep);
}

/* Tries every rule set the shape allows; returns 1 and describes it when v wins under one. */
static int try_rules(const struct bd_ctx *c, int v, int bonus, int drift, char *why, size_t size)
{
	int ties[2], floors[2], nt = 0, nf = 0, nk, a, f, k;
	long long ks[2];
	struct bd_rules ru;

	ties[nt++] = c->nominal.tie_last;
	if ((c->nominal.tie_last ? c->first_possible : c->last_possible))
		ties[nt++] = !c->nominal.tie_last;
	floors[nf++] = c->nominal.floor;
	if (c->nominal.floor ? c->nofloor_possible : c->floor_possible)
		floors[nf++] = !c->nominal.floor;
	ks[0] = c->klo;
	ks[1] = c->khi;
	nk = c->khi != c->klo ? 2 : 1;
	for (k = 0; k < nk; k++)
		for (f = 0; f < nf; f++)
			for (a = 0; a < nt; a++) {
				ru = c->nominal;
				ru.tie_last = ties[a];
				ru.floor = floors[f];
				ru.k = ks[k];
				ru.bonus = bonus;
				ru.spare = v;
				if (drift ? wins_within_drift(c, v, &ru) : winner_of(c, &ru) == v) {
					rules_words(why, size, c, &ru);
					return 1;
				}
			}
	return 0;
}

/* --- the judgements --- */

static void set_verdict(struct badness *b, enum badness_verdict v)
{
	b->verdict = v;
	snprintf(b->reason, sizeof(b->reason), "%s: ", badness_verdict_name(v));
}

/* Appends what the scan would have chosen. */
static void add_scan_choice(struct bd_ctx *c)
{
	struct badness *b = c->b;
	char who[OOM_COMM_MAX + 24];

	if (!b->winner) {
		say(b, " No task in the table was eligible.");
		return;
	}
	name_of(who, sizeof(who), b->winner->task);
	say(b, " By points the scan would have chosen %s with %lld.", who,
	    b->winner->points);
}

static int find_row(const struct bd_ctx *c, int pid, const char *comm, const char **how)
{
	int i, found = -1, n = 0;

	*how = NULL;
	for (i = 0; pid > 0 && i < c->n; i++)
		if (c->scan[i].task->pid == pid)
			return i;
	for (i = 0; pid > 0 && i < c->n; i++)
		if (c->scan[i].task->tgid == pid) {
			*how = "by its thread group";
			return i;
		}
	/* a name alone identifies nothing when a pid was printed and is not there */
	for (i = 0; pid <= 0 && comm && *comm && i < c->n; i++)
		if (!strcmp(c->scan[i].task->name, comm)) {
			found = i;
			n++;
		}
	if (n == 1) {
		*how = "by name";
		return found;
	}
	return -1;
}

static void judge_allocating(struct bd_ctx *c, const struct oom_kill *k)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	const char *how;
	int kr = -1, ir = -1, same;

	if (k)
		kr = find_row(c, k->pid, k->comm, &how);
	if (ev->invoker_pid)
		ir = find_row(c, ev->invoker_pid, NULL, &how);
	if (ev->has_selected)
		same = ev->invoker_pid ? ev->selected_pid == ev->invoker_pid :
		       !strcmp(ev->selected_comm, ev->invoker);
	else if (!k)
		same = 0;
	else if (ev->invoker_pid)
		same = k->pid == ev->invoker_pid ||
		       (kr >= 0 && ir >= 0 && c->scan[kr].task->tgid == c->scan[ir].task->tgid);
	else
		same = ev->has_header && !strcmp(k->comm, ev->invoker);
	if (!ev->has_header) {
		set_verdict(b, BADNESS_POLICY);
		say(b, "vm.oom_kill_allocating_task kills the task whose allocation failed, "
		    "without a scan; the report's header, which names that task, is missing.");
	} else if (same) {
		set_verdict(b, BADNESS_POLICY);
		say(b, "vm.oom_kill_allocating_task kills the task whose allocation failed, "
		    "%s", ev->invoker);
		if (ev->invoker_pid)
			say(b, " (pid %d)", ev->invoker_pid);
		say(b, ", without a scan.");
		if (k && ev->has_selected && k->pid != ev->selected_pid)
			say(b, " Its child %s (pid %d) was sacrificed in its place.", k->comm,
			    k->pid);
	} else {
		set_verdict(b, BADNESS_INCONSISTENT);
		say(b, "vm.oom_kill_allocating_task kills the task whose allocation failed, "
		    "%s", ev->invoker);
		if (ev->invoker_pid)
			say(b, " (pid %d)", ev->invoker_pid);
		say(b, ", but %s (pid %d) was killed.", k ? k->comm : "?", k ? k->pid : 0);
	}
	if (kr >= 0)
		b->victim_row = ranked(c, kr);
	if (b->winner && b->victim_row == b->winner)
		say(b, " It also had the most points.");
	else if (ev->table_seen && ev->table_complete && c->n)
		add_scan_choice(c);
}

static void judge_no_victim(struct bd_ctx *c)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	char who[OOM_COMM_MAX + 24];

	if (c->panic && strstr(c->panic, "panic_on_oom")) {
		set_verdict(b, BADNESS_POLICY);
		say(b, "vm.panic_on_oom: the kernel panicked (\"%s\") before choosing a "
		    "victim.", c->panic);
		if (ev->table_seen && ev->table_complete)
			add_scan_choice(c);
		return;
	}
	if (ev->no_killable) {
		if (!ev->table_seen || !ev->table_complete) {
			set_verdict(b, BADNESS_UNKNOWN);
			say(b, "the kernel found no killable task, and the report has no whole "
			    "task table to check it against.");
		} else if (!b->winner) {
			set_verdict(b, BADNESS_CONSISTENT);
			say(b, "the kernel found no killable task, and none of the %d tasks in "
			    "the table was eligible (oom_score_adj -1000 or already reaped).",
			    b->nrows);
		} else {
			set_verdict(b, BADNESS_AMBIGUOUS);
			name_of(who, sizeof(who), b->winner->task);
			say(b, "the kernel found no killable task, but the table shows eligible "
			    "ones, first %s with %lld points; they may have been skipped for what "
			    "the report does not show (vfork, a reaped mm, another cpuset).", who,
			    b->winner->points);
		}
		return;
	}
	set_verdict(b, BADNESS_UNKNOWN);
	say(b, "the report names no victim (cut short, or its kill line was lost).");
	if (ev->table_seen && ev->table_complete && c->n)
		add_scan_choice(c);
}

/* Notes for a choice that stands: what the adj terms and the discount did. */
static void consistent_notes(struct bd_ctx *c, int v)
{
	struct badness *b = c->b;
	struct bd_rules ru = c->nominal;
	char who[OOM_COMM_MAX + 24];
	int w;

	ru.k = 0;
	w = winner_of(c, &ru);
	if (w >= 0 && w != v && c->klo > 0) {
		name_of(who, sizeof(who), c->scan[w].task);
		say(b, " Without the oom_score_adj terms %s would have led.", who);
	}
	if (!b->totalpages_known) {
		for (w = 0; w < c->n; w++)
			if (c->scan[w].eligible && c->scan[w].task->oom_score_adj)
				break;
		if (w < c->n)
			say(b, " totalpages is not pinned down (%s), but every value it can "
			    "take gives the same winner.", b->totalpages_why);
	}
	if (c->bonus_possible) {
		ru = c->nominal;
		ru.bonus = 1;
		ru.spare = -1;
		for (w = 0; w < c->n; w++)
			if (c->scan[w].eligible && c->scan[w].task->uid == 0)
				break;
		if (w < c->n) {
			w = winner_of(c, &ru);
			say(b, " The 3%% CAP_SYS_ADMIN discount of 4.16 and older is not in the "
			    "report; %s", w == v ?
			    "giving it to every uid 0 task changes nothing." :
			    "had only this task held the capability, another would have led.");
		}
	}
	if (b->runner_up && b->margin <= b->tolerance)
		say(b, " The runner-up is within the drift allowed between the scan and "
		    "the table (%lld pages): a close race.", b->tolerance);
}

static void judge_scan(struct bd_ctx *c, int v, const char *matched, int child_pid,
		       const char *child_comm)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	char who[OOM_COMM_MAX + 24], win[OOM_COMM_MAX + 24], parts[256], why[256];
	const struct badness_row *vr = ranked(c, v);
	int w0, whi;
	struct bd_rules ru;

	b->victim_row = vr;
	name_of(who, sizeof(who), vr->task);
	if (!vr->eligible) {
		set_verdict(b, BADNESS_INCONSISTENT);
		say(b, "%s was chosen although it is excluded from the scan (%s), unless it "
		    "was running swapoff or KSM unmerging (oom_task_origin), which the report "
		    "cannot show.", who, vr->excluded_why);
		if (b->winner) {
			b->margin = b->winner->points;
			add_scan_choice(c);
		}
		return;
	}
	w0 = winner_of(c, &c->nominal);
	if (!b->totalpages_known) {
		ru = c->nominal;
		ru.k = c->khi;
		whi = winner_of(c, &ru);
		if (whi != w0) {
			set_verdict(b, BADNESS_UNKNOWN);
			say(b, "the ranking depends on totalpages, which the report does not "
			    "pin down (%s): between %lld and ", b->totalpages_why, b->totalpages);
			if (b->totalpages_max >= BD_INF)
				say(b, "any larger value");
			else
				say(b, "%lld", b->totalpages_max);
			say(b, " either %s or %s could lead.", c->scan[w0].task->name,
			    c->scan[whi].task->name);
			return;
		}
	}
	breakdown(parts, sizeof(parts), c, vr);
	if (w0 == v) {
		set_verdict(b, BADNESS_CONSISTENT);
		say(b, "%s had the most points, %lld (%s)", who, vr->points, parts);
		if (b->runner_up) {
			b->margin = vr->points - b->runner_up->points;
			b->tolerance = drift_of(c, b->runner_up->scan, v);
			name_of(win, sizeof(win), b->runner_up->task);
			if (b->margin)
				say(b, "; next was %s with %lld, %lld fewer.", win,
				    b->runner_up->points, b->margin);
			else
				say(b, "; %s tied with it, and %s.", win, c->nominal.tie_last ?
				    "from 5.3 on the task scanned last wins a tie" :
				    "up to 5.2 the task scanned first wins a tie");
		} else {
			say(b, "; no other task was eligible.");
		}
		consistent_notes(c, v);
	} else {
		const struct badness_row *wr = ranked(c, w0);

		b->margin = wr->points - vr->points;
		b->tolerance = drift_of(c, w0, v);
		name_of(win, sizeof(win), wr->task);
		if (try_rules(c, v, 0, 0, why, sizeof(why))) {
			set_verdict(b, BADNESS_AMBIGUOUS);
			say(b, "%s had %lld points, %lld more than %s with %lld, but %s would win "
			    "if %s, which the report's shape allows.", win, wr->points, b->margin,
			    who, vr->points, who, why);
		} else if (c->bonus_possible && try_rules(c, v, 1, 0, why, sizeof(why))) {
			set_verdict(b, BADNESS_AMBIGUOUS);
			say(b, "%s had %lld points, %lld more than %s with %lld, but up to 4.16 "
			    "tasks with CAP_SYS_ADMIN got a 3%% discount; the report cannot show "
			    "who held it, and with it on the other uid 0 tasks %s wins%s%s.", win,
			    wr->points, b->margin, who, vr->points, who, why[0] ? " if " : "", why);
		} else if (try_rules(c, v, c->bonus_possible, 1, why, sizeof(why))) {
			set_verdict(b, BADNESS_AMBIGUOUS);
			say(b, "%s had %lld points, %lld more than %s with %lld: within the drift "
			    "allowed between the scan and the table (%lld pages)%s%s%s.", win,
			    wr->points, b->margin, who, vr->points, b->tolerance,
			    c->bonus_possible ? ", counting the 3% CAP_SYS_ADMIN discount" : "",
			    why[0] ? ", if " : "", why);
		} else {
			breakdown(parts, sizeof(parts), c, wr);
			set_verdict(b, BADNESS_INCONSISTENT);
			say(b, "%s had %lld points (%s), %lld more than the chosen %s with %lld; "
			    "the drift allowed is %lld.", win, wr->points, parts, b->margin, who,
			    vr->points, b->tolerance);
			say(b, " Unless it was running swapoff or KSM unmerging (oom_task_origin, "
			    "which the report cannot show), the scan would not pick it.");
		}
	}
	if (matched)
		say(b, " (The victim was found in the table %s.)", matched);
	if (child_pid) {
		say(b, " Its child %s (pid %d) was killed in its place (\"or sacrifice "
		    "child\", up to 5.1).", child_comm, child_pid);
		if (b->winner && b->winner->task->pid == child_pid)
			say(b, " That child had the most points itself.");
	}
	/* up to 5.1 the select line prints the scan's points * 1000 / totalpages */
	if (ev->has_selected && !ev->selected_allocating && b->gen != OOM_GEN_C &&
	    vr->eligible && (b->totalpages_known || (b->memcg && b->totalpages > 1))) {
		long long s = vr->points * 1000 / b->totalpages;

		say(b, " The kernel printed score %lu; recomputed", ev->selected_score);
		if (!b->totalpages_known)
			say(b, " with totalpages %lld", b->totalpages);
		if (s == (long long)ev->selected_score)
			say(b, ": the same.");
		else
			say(b, ": %lld.", s);
	}
}

/* --- putting it together --- */

static int judge(struct bd_ctx *c, const struct oom_kill *victim)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	const struct oom_kill *sel_kill = NULL, *k;
	int exiting_first, v, child_pid = 0, allocating;
	const char *how, *child_comm = NULL;

	infer_constraint(c);
	shape_detect(c);
	detect_page_size(c);
	compute_totalpages(c);
	if (build_rows(c) < 0)
		return -1;
	score_rows(c);
	if (rank_rows(c) < 0)
		return -1;

	/* whom the scan chose: an "already exiting" line before any kill, else the first kill */
	exiting_first = ev->nexiting && (!ev->nkills || ev->exiting_line < ev->kills[0].line);
	if (ev->nkills && !exiting_first)
		sel_kill = &ev->kills[0];
	if (!victim)
		victim = sel_kill;
	k = victim;
	b->victim = k;
	allocating = (k && k->allocating) || (ev->has_selected && ev->selected_allocating);

	if (ev->has_selected) {
		b->victim_pid = ev->selected_pid;
		snprintf(b->victim_comm, sizeof(b->victim_comm), "%s", ev->selected_comm);
		/* up to 5.1 a child with its own mm could die for the selected parent */
		if (k && k == sel_kill && k->pid != ev->selected_pid) {
			v = find_row(c, k->pid, k->comm, &how);
			if (v < 0 || c->scan[v].task->tgid != ev->selected_pid) {
				child_pid = k->pid;
				child_comm = k->comm;
			}
		}
	} else if (k) {
		b->victim_pid = k->pid;
		snprintf(b->victim_comm, sizeof(b->victim_comm), "%s", k->comm);
	} else if (ev->nexiting) {
		b->victim_pid = ev->exiting_pid;
	}

	if (c->ancient) {
		set_verdict(b, BADNESS_UNKNOWN);
		say(b, "%s.", b->gen_why);
		return 0;
	}
	if (allocating && (!k || k == sel_kill)) {
		judge_allocating(c, k);
		return 0;
	}
	if (k && k != sel_kill && (ev->group_kill || exiting_first)) {
		set_verdict(b, BADNESS_POLICY);
		b->victim_pid = k->pid;
		snprintf(b->victim_comm, sizeof(b->victim_comm), "%s", k->comm);
		v = find_row(c, k->pid, k->comm, &how);
		if (v >= 0)
			b->victim_row = ranked(c, v);
		say(b, "%s (pid %d) died as a member of %s: memory.oom.group kills the whole "
		    "group of the task %s chose", k->comm, k->pid,
		    ev->group_path[0] ? ev->group_path : "its cgroup",
		    (sel_kill && sel_kill->allocating) || ev->group_allocating ||
		    (ev->has_selected && ev->selected_allocating) ?
		    "vm.oom_kill_allocating_task" : "the scan");
		if (sel_kill)
			say(b, ", %s (pid %d)", sel_kill->comm, sel_kill->pid);
		else if (exiting_first)
			say(b, ", pid %d", ev->exiting_pid);
		say(b, "; tasks at oom_score_adj -1000 are spared.");
		return 0;
	}
	if (!b->victim_pid) {
		judge_no_victim(c);
		return 0;
	}
	if (!ev->table_seen || (!c->n && !ev->table_complete)) {
		set_verdict(b, BADNESS_UNKNOWN);
		say(b, "the report has no task table (vm.oom_dump_tasks=0, a rate-limited "
		    "header, or a cut log), so the choice cannot be recomputed.");
		if (ev->has_selected)
			say(b, " The kernel printed score %lu for it.", ev->selected_score);
		return 0;
	}
	if (!ev->table_complete) {
		set_verdict(b, BADNESS_UNKNOWN);
		say(b, "the task table was cut short after %d rows; a task further down may "
		    "have had more points.", c->n);
		return 0;
	}
	v = find_row(c, b->victim_pid, b->victim_comm, &how);
	/*
	 * The kill line names the thread that still had an mm; the summary (5.0 on) names the
	 * task the scan chose, as the table does.
	 */
	if (v < 0 && !ev->has_selected && ev->has_summary && ev->summary_pid > 0 &&
	    k == sel_kill) {
		v = find_row(c, ev->summary_pid, NULL, &how);
		if (v >= 0)
			how = "by the summary's pid";
	}
	if (v < 0) {
		set_verdict(b, BADNESS_UNKNOWN);
		say(b, "the chosen task %s (pid %d) is not in the task table.",
		    b->victim_comm[0] ? b->victim_comm : "?", b->victim_pid);
		return 0;
	}
	judge_scan(c, v, how, child_pid, child_comm);
	return 0;
}

static int judge_ctx(struct bd_ctx *c, const struct oom_event *ev, const struct oom_kill *victim,
		     struct badness *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	out->verdict = BADNESS_UNKNOWN;
	out->page_kb = 4;
	if (!ev) {
		snprintf(out->reason, sizeof(out->reason), "unknown: no event");
		return -1;
	}
	c->ev = ev;
	c->b = out;
	ret = judge(c, victim);
	free(c->scan);
	if (ret < 0) {
		badness_release(out);
		out->verdict = BADNESS_UNKNOWN;
		snprintf(out->reason, sizeof(out->reason), "unknown: out of memory");
	}
	return ret;
}

int badness_judge(const struct oom_event *ev, const struct oom_kill *victim, struct badness *out)
{
	struct bd_ctx c;

	memset(&c, 0, sizeof(c));
	return judge_ctx(&c, ev, victim, out);
}

const char *badness_event_panic(const struct oom_log *log, int i)
{
	if (!log || i < 0 || i >= log->nevents || !log->has_panic)
		return NULL;
	if (log->panic_line < log->events[i].line)
		return NULL;
	if (i + 1 < log->nevents && log->panic_line >= log->events[i + 1].line)
		return NULL;
	return log->panic;
}

int badness_judge_in_log(const struct oom_log *log, int i, const struct oom_kill *victim,
			 struct badness *out)
{
	struct oom_kill *earlier = NULL;
	struct bd_ctx c;
	double up;
	int j, n = 0, ret;

	memset(&c, 0, sizeof(c));
	if (!log || i < 0 || i >= log->nevents)
		return judge_ctx(&c, NULL, NULL, out);
	c.panic = badness_event_panic(log, i);
	/* earlier reports of the same boot: the uptime never went back */
	up = log->events[i].uptime;
	for (j = i - 1; j >= 0 && up >= 0; j--) {
		if (log->events[j].uptime < 0 || log->events[j].uptime > up + 1.0)
			break;
		up = log->events[j].uptime;
		n += log->events[j].nkills;
	}
	if (n) {
		earlier = calloc((size_t)n, sizeof(*earlier));
		if (!earlier)
			return judge_ctx(&c, NULL, NULL, out);
		n = 0;
		for (j = j + 1; j < i; j++) {
			if (!log->events[j].nkills)
				continue;
			memcpy(earlier + n, log->events[j].kills,
			       (size_t)log->events[j].nkills * sizeof(*earlier));
			n += log->events[j].nkills;
		}
	}
	c.earlier = earlier;
	c.nearlier = n;
	ret = judge_ctx(&c, &log->events[i], victim, out);
	free(earlier);
	return ret;
}

void badness_release(struct badness *b)
{
	if (!b)
		return;
	free(b->rows);
	b->rows = NULL;
	b->nrows = 0;
	b->victim_row = b->winner = b->runner_up = NULL;
}
