// SPDX-License-Identifier: GPL-2.0-only
/* replay.c - a customer's OOM report turned into a scenario of expectations/ form. */
#include "cells/replay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells/scenario.h"
#include "oracles/badness.h"
#include "oracles/oracle.h"

struct replayed {
	const struct badness_row *row;
	char name[SC_NAME_MAX];
	long long mib;
	int adj;
	int grows; /* the allocating victim: grows until killed */
};

/* A process name as a workload name: 1..15 of [a-z0-9_-], unique among those taken. */
static void workload_name(const char *comm, struct replayed *r, int n, char *out)
{
	char base[SC_NAME_MAX];
	int i, len = 0, suffix, clash;

	for (i = 0; comm[i] && len < SC_NAME_MAX - 4; i++) {
		char c = comm[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			c = '-';
		base[len++] = c;
	}
	base[len] = '\0';
	/* "(sd-pam)" -> "sd-pam": no leading, trailing or doubled dashes */
	for (i = 0, len = 0; base[i]; i++)
		if (base[i] != '-' || (len && base[len - 1] != '-'))
			base[len++] = base[i];
	while (len && base[len - 1] == '-')
		len--;
	if (!len)
		base[len++] = 't';
	base[len] = '\0';
	for (suffix = 1;; suffix++) {
		if (suffix == 1)
			snprintf(out, SC_NAME_MAX, "%s", base);
		else
			snprintf(out, SC_NAME_MAX, "%s-%d", base, suffix);
		for (i = 0, clash = 0; i < n; i++)
			clash |= !strcmp(r[i].name, out);
		/* "trigger" is the replay's own workload */
		if (!clash && strcmp(out, "trigger"))
			return;
	}
}

/* Text as a YAML double-quoted scalar. */
static void add_quoted(struct strbuf *sb, const char *text)
{
	strbuf_addstr(sb, "\"");
	for (; *text; text++) {
		if (*text == '"' || *text == '\\')
			strbuf_addf(sb, "\\%c", *text);
		else if ((unsigned char)*text < ' ')
			strbuf_addstr(sb, " ");
		else
			strbuf_add(sb, text, 1);
	}
	strbuf_addstr(sb, "\"");
}

/*
 * The row of the process the kernel killed: a replay expects the process that died, which for
 * a sacrificed child is the child, not the parent the scan selected (what badness judges).
 */
static const struct badness_row *killed_row(const struct badness *b)
{
	int i;

	if (!b->victim)
		return b->victim_row;
	for (i = 0; i < b->nrows; i++)
		if (b->rows[i].task->pid == b->victim->pid || b->rows[i].task->tgid == b->victim->pid)
			return &b->rows[i];
	return b->victim_row;
}

static int pick_event(const struct oom_log *log, const struct replay_opts *o, char *err,
		      size_t errlen)
{
	int i;

	if (!log->nevents) {
		snprintf(err, errlen, "no OOM report in the input");
		return -1;
	}
	if (o->event) {
		if (o->event < 1 || o->event > log->nevents) {
			snprintf(err, errlen, "--event %d: the input holds %d OOM report%s", o->event,
				 log->nevents, log->nevents > 1 ? "s" : "");
			return -1;
		}
		return o->event - 1;
	}
	for (i = 0; i < log->nevents; i++)
		if (log->events[i].ntasks &&
		    (log->events[i].nkills || badness_event_panic(log, i)))
			return i;
	snprintf(err, errlen, "none of the %d OOM report%s holds a task table with its outcome "
		 "(vm.oom_dump_tasks=0, or the log was cut): nothing to replay", log->nevents,
		 log->nevents > 1 ? "s" : "");
	return -1;
}

/* Chooses the tasks to replay: the eligible ones with the most points, and the victim. */
static int choose(const struct badness *b, const struct badness_row *victim, int deadlock,
		  double scale, struct replayed *r)
{
	int i, n = 0, victim_in = 0;

	for (i = 0; i < b->nrows && n < REPLAY_MAX_TASKS; i++) {
		const struct badness_row *row = &b->rows[i];

		/* when nothing was eligible, the deadlock is replayed with the -1000 tasks */
		if (!row->eligible && !deadlock)
			continue;
		/* a task under 1 MiB once scaled adds nothing but noise, unless it is the victim */
		if (row != victim && n >= 2 && (double)row->base * scale < 256)
			continue;
		r[n++].row = row;
		victim_in |= row == victim;
	}
	if (victim && !victim_in) {
		if (n == REPLAY_MAX_TASKS)
			n--;
		r[n++].row = victim;
	}
	return n;
}

static int by_scan(const void *a, const void *b)
{
	return ((const struct replayed *)a)->row->scan - ((const struct replayed *)b)->row->scan;
}

/* A replay in the making: the report's event judged, and the tasks chosen and scaled. */
struct plan {
	const struct oom_log *log;
	int ei;                 /* the event replayed */
	struct badness b;       /* its judgement */
	const struct badness_row *victim; /* the process the kernel killed; NULL for a panic */
	const char *panic;      /* the panic that ended the event, or NULL */
	enum sc_panic pk;
	int allocating;         /* the victim was killed as the allocating task */
	int group_kill;         /* memory.oom.group: the victim's group died whole */
	enum { NODE_NONE, NODE_CPUSET, NODE_MEMPOLICY } node; /* an OOM confined to nodes */
	int v1_report;          /* the memcg is cgroup v1's */
	int v1;                 /* and is replayed on v1 */
	long long guest_pages;  /* the replay's totalpages: the guest's, or its group's limit */
	long long budget;       /* what the replayed tasks may hold, in pages */
	double scale, shrink;
	struct replayed r[REPLAY_MAX_TASKS + 1];
	int n;
	int left;               /* tasks of the report's table left out */
	long long held_mib;
	char name[64];
};

/* The event to replay, judged; its victim or panic. Returns 0, or -1 with err set. */
static int plan_event(struct plan *p, const struct replay_opts *o, char *err, size_t errlen)
{
	const struct oom_log *log = p->log;

	p->ei = pick_event(log, o, err, errlen);
	if (p->ei < 0)
		return -1;
	if (!log->events[p->ei].ntasks) {
		snprintf(err, errlen, "the OOM report at line %d has no task table "
			 "(vm.oom_dump_tasks=0, or the log was cut): nothing to replay",
			 log->events[p->ei].line);
		return -1;
	}
	if (badness_judge_in_log(log, p->ei, NULL, &p->b) < 0) {
		snprintf(err, errlen, "out of memory judging the report");
		return -1;
	}
	if (p->b.gen == OOM_GEN_OLD) {
		snprintf(err, errlen, "the OOM report at line %d is from a kernel %s: a replay "
			 "could not say which task that kernel would choose", log->events[p->ei].line,
			 p->b.gen_why);
		badness_release(&p->b);
		return -1;
	}
	return 0;
}

/*
 * The scale of every size: the replay's totalpages over the report's, or without the
 * report's totals, the budget over what the tasks held. Returns 0, or -1 with err set.
 */
static int plan_scale(struct plan *p, char *err, size_t errlen)
{
	const struct badness *b = &p->b;
	int line = p->log->events[p->ei].line, i;

	if (b->memcg && b->totalpages <= 0) {
		snprintf(err, errlen, "the memory cgroup OOM report at line %d gives no limit "
			 "(memory: usage ..., limit ... line): it cannot be scaled", line);
		return -1;
	}
	p->node = !strcmp(b->constraint, "CONSTRAINT_CPUSET") ? NODE_CPUSET :
		  !strcmp(b->constraint, "CONSTRAINT_MEMORY_POLICY") ? NODE_MEMPOLICY : NODE_NONE;
	p->guest_pages = b->memcg ? REPLAY_MEMCG_LIMIT_MIB * 256 :
			 p->node ? REPLAY_NODE_PAGES : REPLAY_GUEST_PAGES;
	/* memory.oom.group: the victim's group dies whole, and the replay's group stands for it */
	p->group_kill = b->memcg && p->log->events[p->ei].group_kill;
	p->budget = b->memcg ? REPLAY_MEMCG_BUDGET_PAGES :
		    p->node ? REPLAY_NODE_BUDGET_PAGES : REPLAY_BUDGET_PAGES;
	p->panic = badness_event_panic(p->log, p->ei);
	p->pk = p->panic ? panic_kind(p->panic) : SC_PANIC_NONE;
	p->victim = killed_row(b);
	if (!p->victim && p->pk == SC_PANIC_NONE) {
		snprintf(err, errlen, "the OOM report at line %d names no victim in its task table",
			 line);
		return -1;
	}
	p->allocating = b->victim && b->victim->allocating;
	/*
	 * Without the machine's totals the oom_score_adj term cannot be scaled; when every task
	 * that competed had oom_score_adj 0 it plays no part, and only proportions matter.
	 */
	/*
	 * A memcg whose swap is unlimited has totalpages of its limit plus swap the report does
	 * not show; its limit then scales the sizes, which is exact while every adj is 0.
	 */
	p->scale = (b->totalpages_known || b->memcg) && b->totalpages > 0 ?
		   (double)p->guest_pages / (double)b->totalpages : 0;
	for (i = 0; !b->totalpages_known && b->memcg && i < b->nrows; i++) {
		if (b->rows[i].eligible && b->rows[i].task->oom_score_adj) {
			snprintf(err, errlen, "the memory cgroup OOM report at line %d does not give "
				 "the swap its totalpages counts, and %s has oom_score_adj %d, whose "
				 "weight depends on it: it cannot be scaled", line,
				 b->rows[i].task->name, b->rows[i].task->oom_score_adj);
			return -1;
		}
	}
	if (!p->scale) {
		long long sum = 0;

		for (i = 0; i < b->nrows && i < REPLAY_MAX_TASKS; i++) {
			if (b->rows[i].eligible && b->rows[i].task->oom_score_adj) {
				snprintf(err, errlen, "the OOM report at line %d does not give %s, "
					 "and %s has oom_score_adj %d, whose weight depends on them: "
					 "it cannot be scaled", line, p->node ?
					 "the pages of the nodes its OOM was confined to (the report "
					 "never totals them)" :
					 "the machine's RAM and swap (Mem-Info totals)",
					 b->rows[i].task->name, b->rows[i].task->oom_score_adj);
				return -1;
			}
			sum += b->rows[i].eligible ? b->rows[i].base : 0;
		}
		p->scale = sum > 0 ? (double)REPLAY_BUDGET_PAGES / (double)sum : 1.0;
	}
	return 0;
}

/*
 * The tasks replayed, in the report's scan order (the allocating victim last): each named,
 * sized and given its oom_score_adj, all shrunk together when they would not fit. Returns 0,
 * or -1 with err set.
 */
static int plan_tasks(struct plan *p, char *err, size_t errlen)
{
	struct replayed *r = p->r;
	long long held = 0;
	int i, n;

	n = p->n = choose(&p->b, p->victim, p->pk == SC_PANIC_DEADLOCKED, p->scale, r);
	if (!n) {
		snprintf(err, errlen, "the OOM report at line %d lists no task to replay",
			 p->log->events[p->ei].line);
		return -1;
	}
	p->left = p->b.nrows - n;
	for (i = 0; i < n; i++)
		held += (long long)((double)r[i].row->base * p->scale);
	p->shrink = held > p->budget ? (double)p->budget / (double)held : 1.0;
	qsort(r, (size_t)n, sizeof(r[0]), by_scan);
	for (i = 0; i < n; i++) {
		double pages = (double)r[i].row->base * p->scale * p->shrink;

		workload_name(r[i].row->task->name, r, i, r[i].name);
		r[i].mib = (long long)ceil(pages / 256.0);
		if (r[i].mib < 1)
			r[i].mib = 1;
		p->held_mib += r[i].mib;
		r[i].adj = r[i].row->task->oom_score_adj == -1000 ? -1000 :
			   (int)lround(r[i].row->task->oom_score_adj * p->shrink);
		r[i].grows = p->allocating && r[i].row == p->victim;
	}
	/* the allocating victim grows, so it goes last */
	for (i = 0; i < n - 1; i++) {
		if (r[i].grows) {
			struct replayed t = r[i];

			memmove(&r[i], &r[i + 1], (size_t)(n - 1 - i) * sizeof(r[0]));
			r[n - 1] = t;
			break;
		}
	}
	return 0;
}

/* The scenario's name: --name, else replay-<victim> (or replay-<panic>), as a scenario takes it. */
static void plan_name(struct plan *p, const struct replay_opts *o)
{
	char *name = p->name;
	int i;

	if (o->name) {
		snprintf(name, sizeof(p->name), "%s", o->name);
	} else {
		snprintf(name, sizeof(p->name), "replay-%s", sc_panic_name(p->pk));
		for (i = 0; i < p->n; i++)
			if (p->r[i].row == p->victim)
				snprintf(name, sizeof(p->name), "replay-%s", p->r[i].name);
	}
	if (o->name_event) {
		size_t len = strlen(name);

		snprintf(name + len, sizeof(p->name) - len, "-e%d", p->ei + 1);
	}
	for (i = 0; name[i]; i++) {
		char c = name[i];

		if (c >= 'A' && c <= 'Z')
			name[i] = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			name[i] = '-';
	}
}

/* The file's header: where the report came from, what was scaled, left out and guessed. */
static void write_header(const struct plan *p, const struct replay_opts *o, struct strbuf *out)
{
	const struct badness *b = &p->b;

	strbuf_addf(out, "# %s: an OOM report replayed in a %s guest: the report at line %d of\n"
		    "#   %s.\n", p->name, REPLAY_GUEST_MEMORY, p->log->events[p->ei].line,
		    o->source ? o->source : "the input");
	strbuf_addstr(out, "# Generated by oomlab replay, to be committed as a regression case.\n#\n");
	strbuf_addf(out, "# The report: a %s OOM (%s), invoked by %s, kernel generation %s; "
		    "totalpages %s%lld\n#   (%s).\n", b->memcg ? "memory cgroup" :
		    p->node == NODE_CPUSET ? "cpuset" : p->node ? "memory policy" : "global",
		    b->constraint[0] ? b->constraint : "constraint unknown",
		    p->log->events[p->ei].invoker[0] ? p->log->events[p->ei].invoker :
		    "an unknown task",
		    oom_gen_name(b->gen), b->totalpages_known ? "" : "at least ", b->totalpages,
		    b->totalpages_why);
	if (p->victim && p->victim != b->victim_row && b->victim_row)
		strbuf_addf(out, "#   The scan selected %s (pid %d), judged %s; the kernel killed its "
			    "child %s (pid %d)\n#   in its place, which is the victim replayed.\n",
			    b->victim_comm, b->victim_pid, badness_verdict_name(b->verdict),
			    p->victim->task->name, p->victim->task->pid);
	else if (p->victim)
		strbuf_addf(out, "#   The kernel killed %s (pid %d): %s.\n", p->victim->task->name,
			    p->victim->task->pid, badness_verdict_name(b->verdict));
	if (p->panic)
		strbuf_addf(out, "#   It ended in the panic \"%s\".\n", p->panic);
	if (b->memcg)
		strbuf_addf(out, "# Scale: each task holds its rss + swap + page tables times %.6f "
			    "(the replayed group's\n#   %s of %lld pages over the report's "
			    "%lld), so oom_score_adj keeps its\n#   weight%s.\n", p->scale,
			    p->v1 ? "memory.limit_in_bytes" : "memory.max",
			    p->guest_pages, b->totalpages, b->totalpages_known ? "" : " (every task "
			    "had oom_score_adj 0:\n#   only the proportions matter, and the unknown "
			    "swap none)");
	else if (b->totalpages_known && b->totalpages > 0)
		strbuf_addf(out, "# Scale: each task holds its rss + swap + page tables times %.6f "
			    "(the %s %lld\n#   pages over the report's %lld), so oom_score_adj "
			    "keeps its weight.\n", p->scale, p->node ? "guest's node 1's" : "guest's",
			    p->guest_pages, b->totalpages);
	else if (p->node)
		strbuf_addf(out, "# Scale: each task holds its rss + swap + page tables times %.6f. "
			    "The report does not\n#   total the nodes its OOM was confined to; every "
			    "task that competed had\n#   oom_score_adj 0, so only their proportions "
			    "matter.\n", p->scale);
	else
		strbuf_addf(out, "# Scale: each task holds its rss + swap + page tables times %.6f. "
			    "The report gives no\n#   RAM and swap totals; every task that competed "
			    "had oom_score_adj 0, so only\n#   their proportions matter.\n", p->scale);
	if (p->shrink < 1.0)
		strbuf_addf(out, "#   Then sizes and oom_score_adj both times %.4f, so that the tasks "
			    "fit %s:\n#   their points keep their proportions up to "
			    "rounding.\n", p->shrink, p->node ? "on node 1" : "in the guest");
	if (p->v1)
		strbuf_addstr(out, "# The report's memcg is cgroup v1's (it prints memory+swap usage): "
			      "the replay's is too.\n");
	else if (p->v1_report)
		strbuf_addstr(out, "# The report's memcg is cgroup v1's (it prints memory+swap usage), "
			      "but the kernel to\n#   run has no v1 memory controller "
			      "(CONFIG_MEMCG_V1 unset): the replay's is v2's, with\n#   the same "
			      "numbers.\n");
	if (p->node == NODE_CPUSET)
		strbuf_addstr(out, "# Confined as the report's cpuset confined it: the guest has two "
			      "NUMA nodes, every\n#   task runs in a cpuset of node 1 (cpuset.mems 1), "
			      "and the trigger grows past node 1's\n#   free memory.\n");
	else if (p->node)
		strbuf_addstr(out, "# Confined as the report's memory policy confined it: the guest has "
			      "two NUMA nodes,\n#   every task is bound to node 1 (MPOL_BIND), and the "
			      "trigger grows past node 1's\n#   free memory.\n");
	strbuf_addf(out, "# Left out: %d task%s of the report's table (fewer points, ineligible, or "
		    "under 1 MiB scaled).\n", p->left, p->left == 1 ? "" : "s");
	strbuf_addstr(out, "# Guesses: vm.overcommit_memory is left at its default (the report does "
		      "not say); swap is\n#   held as memory, since the guest has none; page tables "
		      "are held as memory too.\n");
	if (b->gen == OOM_GEN_N)
		strbuf_addstr(out, "#   The report's table (2.6.36 to 3.x, RHEL 6) shows neither swap "
			      "nor page tables: each task\n#   holds its rss alone, and the guest's "
			      "kernel ranks it in pages, not in thousandths.\n");
	if (p->allocating)
		strbuf_addstr(out, "# Implied: vm.oom_kill_allocating_task=1 (the kill line says the "
			      "allocating task was killed).\n");
	if (p->pk == SC_PANIC_SYSTEM_WIDE || p->pk == SC_PANIC_COMPULSORY)
		strbuf_addf(out, "# Implied: vm.panic_on_oom=%d (the panic says %s).\n",
			    p->pk == SC_PANIC_SYSTEM_WIDE ? 1 : 2, sc_panic_name(p->pk));
}

/* The scenario: its guest, group, sysctls, and the replayed tasks, then the trigger. */
static void write_setup(const struct plan *p, struct strbuf *out)
{
	const struct badness *b = &p->b;
	const char *bind = p->node == NODE_MEMPOLICY ? ", --membind, \"1\"" : "";
	int i;

	strbuf_addf(out, "scenario: %s\n", p->name);
	strbuf_addstr(out, "description: >\n  A replay of a customer's OOM report (see the comments "
		      "above): the tasks that competed,\n  scaled to the guest, then a trigger that "
		      "grows until the OOM.\n");
	strbuf_addf(out, "vm:\n  memory: %s\n  swap: none\n", REPLAY_GUEST_MEMORY);
	if (p->node)
		strbuf_addf(out, "  numa: %s\n", REPLAY_NUMA);
	strbuf_addstr(out, "deadline: 120s\n");
	if (p->v1)
		strbuf_addf(out, "cgroup: v1\ngroups:\n  replay:\n    memory.limit_in_bytes: %lldM\n",
			    REPLAY_MEMCG_LIMIT_MIB);
	else if (b->memcg)
		strbuf_addf(out, "cgroup: v2\ngroups:\n  replay:\n    memory.max: %lldM\n"
			    "    memory.swap.max: 0\n%s", REPLAY_MEMCG_LIMIT_MIB,
			    p->group_kill ? "    memory.oom.group: 1\n" : "");
	else if (p->node == NODE_CPUSET)
		strbuf_addstr(out, "cgroup: v2\ngroups:\n  replay:\n    cpuset.mems: 1\n");
	if (p->allocating || p->pk == SC_PANIC_SYSTEM_WIDE || p->pk == SC_PANIC_COMPULSORY) {
		strbuf_addstr(out, "sysctls:\n");
		if (p->allocating)
			strbuf_addstr(out, "  vm.oom_kill_allocating_task: 1\n");
		if (p->pk == SC_PANIC_SYSTEM_WIDE || p->pk == SC_PANIC_COMPULSORY)
			strbuf_addf(out, "  vm.panic_on_oom: %d\n",
				    p->pk == SC_PANIC_SYSTEM_WIDE ? 1 : 2);
	}
	strbuf_addstr(out, "workloads:\n");
	for (i = 0; i < p->n; i++) {
		const struct oom_task *t = p->r[i].row->task;

		strbuf_addf(out, "  # pid %d: rss %lu + swap %lu + page tables %lld = %lld pages\n",
			    t->pid, t->rss, t->swapents, p->r[i].row->pt_pages, p->r[i].row->base);
		strbuf_addf(out, "  - name: %s\n    program: bigmm\n", p->r[i].name);
		if (p->r[i].grows)
			strbuf_addf(out, "    args: [--chunk, 4M%s]\n", bind);
		else
			strbuf_addf(out, "    args: [--total, %lldM%s]\n", p->r[i].mib, bind);
		strbuf_addf(out, "    oom_score_adj: %d\n", p->r[i].adj);
		if (b->memcg || p->node == NODE_CPUSET)
			strbuf_addstr(out, "    group: replay\n");
		if (i)
			strbuf_addf(out, "    start: {after: %s, phase: holding}\n",
				    p->r[i - 1].name);
	}
	if (b->memcg)
		strbuf_addf(out, "  # grows 8 MiB past what the group has left, forcing one memcg OOM, "
			    "then holds;\n  # at -1000 it is never a candidate itself\n"
			    "  - name: trigger\n    program: bigmm\n"
			    "    args: [--chunk, 1M, --total, %lldM]\n"
			    "    oom_score_adj: -1000\n    group: replay\n"
			    "    start: {after: %s, phase: holding}\n",
			    REPLAY_MEMCG_LIMIT_MIB - p->held_mib + 8, p->r[p->n - 1].name);
	else if (p->node && !p->allocating)
		strbuf_addf(out, "  # grows 8 MiB past what node 1 has free, forcing one OOM there, "
			    "then holds;\n  # at -1000 it is never a candidate itself\n"
			    "  - name: trigger\n    program: bigmm\n"
			    "    args: [--chunk, 1M, --beyond-avail, 8M, --avail-node, \"1\"%s]\n"
			    "    oom_score_adj: -1000\n%s    start: {after: %s, phase: holding}\n",
			    bind, p->node == NODE_CPUSET ? "    group: replay\n" : "",
			    p->r[p->n - 1].name);
	else if (!p->allocating)
		strbuf_addf(out, "  # grows 8 MiB past what the guest has left, forcing one OOM, then "
			    "holds; at -1000\n  # it is never a candidate itself\n"
			    "  - name: trigger\n    program: bigmm\n"
			    "    args: [--chunk, 4M, --beyond-avail, 8M]\n"
			    "    oom_score_adj: -1000\n    start: {after: %s, phase: holding}\n",
			    p->r[p->n - 1].name);
}

/* The rule: the report's panic, or its victim (with the rest of its group). */
static void write_expect(const struct plan *p, struct strbuf *out)
{
	const struct badness *b = &p->b;
	int i;

	strbuf_addstr(out, "expect:\n");
	if (p->pk != SC_PANIC_NONE) {
		strbuf_addf(out, "  - panic: %s\n    why: ", sc_panic_name(p->pk));
		add_quoted(out, p->panic);
	} else {
		const char *vname = NULL;

		for (i = 0; i < p->n; i++)
			if (p->r[i].row == p->victim)
				vname = p->r[i].name;
		if (p->group_kill) {
			strbuf_addstr(out, "  - killed: [");
			for (i = 0, vname = ""; i < p->n; i++)
				if (p->r[i].adj != -1000) {
					strbuf_addf(out, "%s%s", vname, p->r[i].name);
					vname = ", ";
				}
			strbuf_addstr(out, "]\n    why: ");
		} else {
			strbuf_addf(out, "  - killed: [%s]\n    why: ", vname);
		}
		{
			char *why = xasprintf("the report's kernel killed %s (pid %d)%s; the badness "
					      "oracle judged its choice %s", p->victim->task->name,
					      p->victim->task->pid, p->group_kill ? ", then the rest of "
					      "its memory.oom.group group but the -1000 tasks" : "",
					      b->reason);

			add_quoted(out, why);
			free(why);
		}
	}
	strbuf_addstr(out, "\n");
}

int replay_scenario(const struct oom_log *log, const struct replay_opts *o, struct strbuf *out,
		    char *err, size_t errlen)
{
	struct plan p = { .log = log };

	if (plan_event(&p, o, err, errlen) < 0)
		return -1;
	/* only v1 prints "memory+swap: usage"; v2 prints "swap: usage" */
	p.v1_report = p.b.memcg && log->events[p.ei].has_memsw_usage;
	p.v1 = p.v1_report && !o->no_memcg_v1;
	if (plan_scale(&p, err, errlen) < 0 || plan_tasks(&p, err, errlen) < 0) {
		badness_release(&p.b);
		return -1;
	}
	plan_name(&p, o);
	write_header(&p, o, out);
	write_setup(&p, out);
	write_expect(&p, out);
	badness_release(&p.b);
	return 0;
}
