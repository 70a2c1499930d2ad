// SPDX-License-Identifier: GPL-2.0-only
/* badness.c - judges an OOM victim by its kernel's badness formula, recomputed from the report. */

#include "oracles/badness_gen.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * badness_gen.c reads the kernel's generation and totals from the report's shape and scores
 * every task by each rule the generation allows (what the kernel did, as read in
 * mm/oom_kill.c, is there). Here the victim is judged. A victim is:
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

/* --- names --- */

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
	case OOM_GEN_N:
		return "N";
	case OOM_GEN_OLD:
		return "old";
	case OOM_GEN_UNKNOWN:
		break;
	}
	return "unknown";
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
	bd_addf(buf, size, "rss %lu", t->rss);
	if (t->swapents)
		bd_addf(buf, size, " + swap %lu", t->swapents);
	if (r->pt_pages)
		bd_addf(buf, size, " + page tables %lld", r->pt_pages);
	if (t->oom_score_adj && c->b->totalpages_known)
		bd_addf(buf, size, " + oom_score_adj %+d x %lld = %lld", t->oom_score_adj, c->klo,
		     r->adj_pages);
	else if (t->oom_score_adj)
		bd_addf(buf, size, " + oom_score_adj %+d x totalpages/1000 (not pinned down)",
		     t->oom_score_adj);
	if (c->nominal.floor && r->eligible && r->base + r->adj_pages < 1)
		bd_addf(buf, size, ", below 1 so counted as 1");
}

/* How rules ru differ from the nominal ones, in words. */
static void rules_words(char *buf, size_t size, const struct bd_ctx *c, const struct bd_rules *ru)
{
	const char *sep = "";

	buf[0] = '\0';
	if (ru->tie_last != c->nominal.tie_last) {
		bd_addf(buf, size, "%s", ru->tie_last ?
		     "ties go to the task scanned last (5.3 on)" :
		     c->b->memcg && c->lo < 503 ? "the scan meets the tied tasks in another order "
		     "(before 5.3 a memcg OOM's table is not in scan order)" :
		     "ties go to the task scanned first (5.2 and older)");
		sep = ", ";
	}
	if (ru->floor != c->nominal.floor) {
		bd_addf(buf, size, "%s%s", sep, ru->floor ?
		     "points below 1 count as 1 (5.8 and older)" :
		     "points below 1 stay as they are (5.9 on, late 5.4.y)");
		sep = ", ";
	}
	if (ru->k != c->nominal.k && c->b->totalpages_max < BD_INF)
		bd_addf(buf, size, "%stotalpages is %lld", sep, c->b->totalpages_max);
	else if (ru->k != c->nominal.k)
		bd_addf(buf, size, "%stotalpages is much larger", sep);
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
				if (drift ? bd_wins_within_drift(c, v, &ru) :
				    bd_winner(c, &ru) == v) {
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
		b->victim_row = bd_ranked(c, kr);
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
	w = bd_winner(c, &ru);
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
			w = bd_winner(c, &ru);
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
	const struct badness_row *vr = bd_ranked(c, v);
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
	w0 = bd_winner(c, &c->nominal);
	if (!b->totalpages_known) {
		ru = c->nominal;
		ru.k = c->khi;
		whi = bd_winner(c, &ru);
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
			b->tolerance = bd_drift(c, b->runner_up->scan, v);
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
		const struct badness_row *wr = bd_ranked(c, w0);

		b->margin = wr->points - vr->points;
		b->tolerance = bd_drift(c, w0, v);
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
	int exiting_first, v, child_pid = 0, allocating, thread_row = -1;
	const char *how, *child_comm = NULL;

	bd_constraint(c);
	bd_shape_detect(c);
	bd_page_size(c);
	bd_totalpages(c);
	if (bd_build_rows(c) < 0)
		return -1;
	bd_totalpages_from_score(c);
	bd_score_rows(c);
	if (c->ancient == OOM_GEN_N)
		bd_norm_points(c);
	if (bd_rank_rows(c) < 0)
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
		/*
		 * Up to 5.1 a child with its own mm could die for the selected parent. Or the
		 * kill names another thread of the selected process: the one find_lock_task_mm()
		 * found with an mm, so that a selected pid missing from the table, whose kill's
		 * pid is there, is a thread of that row's process, which the scan ranked.
		 */
		if (k && k == sel_kill && k->pid != ev->selected_pid) {
			int s = find_row(c, ev->selected_pid, NULL, &how);

			v = find_row(c, k->pid, k->comm, &how);
			if (v >= 0 && s < 0)
				thread_row = v;
			else if (v < 0 || c->scan[v].task->tgid != c->scan[s].task->tgid) {
				child_pid = k->pid;
				child_comm = k->comm;
			}
		}
	} else if (k) {
		b->victim_pid = k->pid;
		snprintf(b->victim_comm, sizeof(b->victim_comm), "%s", k->comm);
	} else if (ev->nexiting) {
		b->victim_pid = ev->exiting_pid;
		snprintf(b->victim_comm, sizeof(b->victim_comm), "%s", ev->exiting_comm);
	} else if (ev->has_summary && ev->summary_pid > 0) {
		/* the summary names the task chosen, printed before its kill line, which is lost */
		b->victim_pid = ev->summary_pid;
		snprintf(b->victim_comm, sizeof(b->victim_comm), "%s", ev->summary_task);
	}

	if (c->ancient == OOM_GEN_OLD) {
		set_verdict(b, BADNESS_UNKNOWN);
		say(b, "the kernel is %s, so the choice cannot be recomputed.", b->gen_why);
		if (ev->has_selected)
			say(b, " The kernel printed score %lu for %s (pid %d).", ev->selected_score,
			    ev->selected_comm, ev->selected_pid);
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
			b->victim_row = bd_ranked(c, v);
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
	if (v < 0 && thread_row >= 0) {
		v = thread_row;
		how = "by the killed pid: the selected one is not in the table, so it was "
		      "another thread of the killed process";
	}
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
	if (c->ancient == OOM_GEN_N) {
		bd_judge_norm(c, v, how);
		if (child_pid)
			say(b, " Its child %s (pid %d) was killed in its place (\"or sacrifice "
			    "child\").", child_comm, child_pid);
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
