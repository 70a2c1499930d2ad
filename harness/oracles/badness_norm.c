// SPDX-License-Identifier: GPL-2.0-only
/* badness_norm.c - judges reports of 2.6.36 to 3.x, whose tables hide swap and page tables. */
#include "oracles/badness_gen.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/*
 * From 2.6.36 (and in RHEL 6's 2.6.32, which took that rewrite) until 3.x scored tasks in
 * thousandths of totalpages, as read in oom_kill.c of those kernels:
 *
 *   points = (rss + swapents + nr_ptes) * 1000 / totalpages      (integer division)
 *   points -= 30 if CAP_SYS_ADMIN
 *   points += oom_score_adj
 *   an eligible task scores within 1..1000; on equal points the task scanned first stays
 *
 * and the select line prints the chosen task's points ("Kill process N (c) score S or
 * sacrifice child"). Their task table has the columns "total_vm rss cpu oom_adj
 * oom_score_adj": swapents and nr_ptes are not shown. So each task's points are a range:
 * rss alone at the largest totalpages, with the discount if it is uid 0, at the low end;
 * rss plus all the swap and page tables it could hold at the smallest totalpages at the high
 * end. What a task could hide: swap no more than its address space minus its rss (and no
 * more than the total swap, where Mem-Info prints it), page tables no more than one page
 * per 256 pages of that space plus 16 (a page of x86-64 page table maps 512). The choice is
 * consistent when the chosen task's low end beats every other task's high end, inconsistent
 * when another task's low end beats the chosen one's high end, and ambiguous otherwise.
 */

#define NORM_PT_PER 256
#define NORM_PT_SLACK 16

static long long clamp_points(long long p)
{
	return p < 1 ? 1 : p > 1000 ? 1000 : p;
}

/* What a row could hide in the columns the table does not print, in pages. */
static long long hidden_max(const struct bd_ctx *c, const struct oom_task *t)
{
	long long vm = pages(t->total_vm), rss = pages(t->rss), swap = vm > rss ? vm - rss : 0;

	if (c->ev->has_swap_total && swap > pages(c->ev->swap_total_kb / 4))
		swap = pages(c->ev->swap_total_kb / 4);
	return swap + vm / NORM_PT_PER + NORM_PT_SLACK;
}

static long long drift(const struct oom_task *t)
{
	return BADNESS_DRIFT_PAGES + pages(t->rss) * BADNESS_DRIFT_PERMILLE / 1000;
}

static long long points_lo(const struct oom_task *t, long long thi)
{
	long long base = pages(t->rss) - drift(t);

	if (base < 0)
		base = 0;
	return clamp_points(base * 1000 / thi - (t->uid == 0 ? 30 : 0) + t->oom_score_adj);
}

static long long points_hi(const struct bd_ctx *c, const struct oom_task *t, long long tlo)
{
	long long base = pages(t->rss) + hidden_max(c, t) + drift(t);

	return clamp_points(base * 1000 / tlo + t->oom_score_adj);
}

/*
 * Where the report does not total the pages, the printed score of the chosen task bounds
 * them: S = rss_etc * 1000 / totalpages - (30) + adj, so totalpages lies between
 * rss * 1000 / (S - adj + 31) and (rss + hidden) * 1000 / (S - adj).
 */
static void totalpages_from_score(struct bd_ctx *c, const struct oom_task *v)
{
	const struct oom_event *ev = c->ev;
	struct badness *b = c->b;
	long long s = (long long)ev->selected_score - v->oom_score_adj, lo, hi;

	if (b->totalpages_known || !ev->has_selected || ev->selected_score <= 1 ||
	    ev->selected_score >= 1000 || s < 1)
		return;
	lo = (pages(v->rss) > drift(v) ? pages(v->rss) - drift(v) : 0) * 1000 / (s + 31) + 1;
	hi = (pages(v->rss) + hidden_max(c, v) + drift(v)) * 1000 / s;
	if (lo < b->totalpages)
		lo = b->totalpages;
	if (hi > b->totalpages_max)
		hi = b->totalpages_max;
	if (lo > hi)
		return;
	say_tp(b, "; the printed score %lu of the chosen task puts it in [%lld, %lld]",
	       ev->selected_score, lo, hi);
	b->totalpages = lo;
	b->totalpages_max = hi;
	b->totalpages_known = lo == hi;
}

/* Ranks the rows by the low end of their points, the figure the table shows for sure. */
void bd_norm_points(struct bd_ctx *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		struct badness_row *r = &c->scan[i];

		r->adj_pages = 0;
		r->has_oom_score = 0;
		r->points = r->eligible ? points_lo(r->task, c->b->totalpages_max) : LLONG_MIN;
	}
}

void bd_judge_norm(struct bd_ctx *c, int v, const char *matched)
{
	struct badness *b = c->b;
	const struct oom_task *vt = c->scan[v].task, *t;
	long long tlo, thi, vlo, vhi, best_hi = 0, lo, hi;
	int i, beaten = -1, rival = -1;
	char who[OOM_COMM_MAX + 24];

	totalpages_from_score(c, vt);
	tlo = b->totalpages;
	thi = b->totalpages_max;
	b->victim_row = bd_ranked(c, v);
	snprintf(who, sizeof(who), "%s (pid %d)", vt->name, vt->pid);
	if (!c->scan[v].eligible) {
		b->verdict = BADNESS_INCONSISTENT;
		snprintf(b->reason, sizeof(b->reason), "inconsistent: %s was chosen although it is "
			 "excluded from the scan (%s).", who, c->scan[v].excluded_why);
		return;
	}
	vlo = points_lo(vt, thi);
	vhi = points_hi(c, vt, tlo);
	for (i = 0; i < c->n; i++) {
		if (i == v || !c->scan[i].eligible)
			continue;
		t = c->scan[i].task;
		lo = points_lo(t, thi);
		hi = points_hi(c, t, tlo);
		/* a tie keeps the task scanned first; a memcg's table is not in scan order */
		if (lo > vhi || (lo == vhi && i < v && !b->memcg))
			beaten = i;
		if (rival < 0 || hi > best_hi) {
			rival = i;
			best_hi = hi;
		}
	}
	snprintf(b->reason, sizeof(b->reason), "%s: ", beaten >= 0 ? "inconsistent" :
		 rival < 0 || vlo > best_hi || (vlo == best_hi && v < rival && !b->memcg) ?
		 "consistent" : "ambiguous");
	b->verdict = beaten >= 0 ? BADNESS_INCONSISTENT : !strncmp(b->reason, "consistent", 10) ?
		     BADNESS_CONSISTENT : BADNESS_AMBIGUOUS;
	say(b, "this kernel (2.6.36 to 3.x) scores in thousandths of totalpages, (rss + swap + "
	    "page tables) x 1000 / totalpages - 30 for CAP_SYS_ADMIN + oom_score_adj, within "
	    "1..1000, and its table shows rss but neither swap nor page tables. With totalpages ");
	if (thi >= BD_INF)
		say(b, "at least %lld", tlo);
	else if (tlo == thi)
		say(b, "%lld", tlo);
	else
		say(b, "in [%lld, %lld]", tlo, thi);
	say(b, ", %s scores %lld to %lld", who, vlo, vhi);
	if (beaten >= 0) {
		t = c->scan[beaten].task;
		say(b, ", but %s (pid %d) scores at least %lld whatever it hides: the scan would "
		    "not pick %s.", t->name, t->pid, points_lo(t, thi), who);
		b->margin = points_lo(t, thi) - vhi;
	} else if (rival < 0) {
		say(b, "; no other task was eligible.");
	} else {
		t = c->scan[rival].task;
		say(b, "; the most any other could score is %lld (%s, pid %d)%s.", best_hi,
		    t->name, t->pid, b->verdict == BADNESS_CONSISTENT ?
		    ", so whatever the hidden columns held, the choice stands" :
		    ", so the hidden columns decide: a close call");
		b->margin = vlo - best_hi;
	}
	if (c->ev->has_selected)
		say(b, " The kernel printed score %lu.", c->ev->selected_score);
	if (matched)
		say(b, " (The victim was found in the table %s.)", matched);
}
