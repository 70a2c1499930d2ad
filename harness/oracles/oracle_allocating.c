// SPDX-License-Identifier: GPL-2.0-only
/* oracle_allocating.c - vm.oom_kill_allocating_task: when the allocating task itself must die. */
#include "oracles/oracle.h"

#include <string.h>

#include "util.h"

/*
 * out_of_memory() (mm/oom_kill.c): with oom_kill_allocating_task=1, a global OOM kills the
 * task whose allocation failed without scanning, unless that task is init or a kernel
 * thread, has no mm, or has oom_score_adj -1000; then the normal badness scan runs. A memcg
 * OOM ignores the knob, and panic_on_oom is checked before it. Such a kill is printed as
 * "Out of memory (oom_kill_allocating_task): Killed process ...". So are the kills of a
 * memory.oom.group walk that follows it (oom_kill_process() passes its message on): the
 * parser marks those group, and only the chosen victim's kill is judged here. The invoker is
 * known from the report's header; a kill printed without one (rate limited) is not judged.
 *
 * Whether the invoker was eligible is the kernel's own word where it printed it: the header
 * gives its oom_score_adj, and the task dump lists exactly the processes that have an mm and
 * are neither init nor kernel threads (a workload's forked children among them). The invoker
 * is found there by its pid, from dump_stack's "CPU: ... PID:" line; when another task's
 * allocation-failure report (warn_alloc(), not serialised with the OOM killer) printed
 * between the header and that line, the pid is unknown and a task of the invoker's name and
 * adj stands for it. Without a dump, only a workload's adj as the agent saw it says.
 */
static int invoker_eligible(const struct oracle_ctx *ctx, const struct oom_event *ev)
{
	const struct obs_workload *inv = obs_find(ctx->obs, ev->invoker);
	int i;

	if (ev->table_complete && ev->has_invoker_adj) {
		for (i = 0; i < ev->ntasks; i++) {
			const struct oom_task *t = &ev->tasks[i];

			if (ev->invoker_pid ? t->tgid == ev->invoker_pid || t->pid == ev->invoker_pid :
			    !strcmp(t->name, ev->invoker) && t->oom_score_adj == ev->invoker_adj)
				return ev->invoker_adj != -1000;
		}
	}
	/* no dump, or a thread the dump did not print: a workload's threads carry its name */
	return inv && inv->started && inv->own_adj != -1000;
}

void oracle_allocating(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct oom_log *log = ctx->log;
	long long knob = cell_sysctl_or(ctx->cell, "vm.oom_kill_allocating_task", 0);
	struct finding *f;
	int e;

	for (e = 0; e < log->nevents; e++) {
		const struct oom_event *ev = &log->events[e];
		/* the chosen victim's kill: a memory.oom.group walk's are no choice of their own,
		 * and when the victim had exited already ("already exiting") there is none */
		const struct oom_kill *k = ev->nkills && !ev->kills[0].group ? &ev->kills[0] : NULL;
		int eligible;

		if (!k || !ev->has_header || ev->order == -1 || oom_event_is_memcg(ev))
			continue;
		eligible = invoker_eligible(ctx, ev);
		if (knob && eligible) {
			if (k->allocating && !strcmp(k->comm, ev->invoker))
				continue;
			f = finding_add(r, xasprintf("the allocating task '%s' killed as such "
						  "(vm.oom_kill_allocating_task=1)", ev->invoker),
					xasprintf("'%s' killed%s", k->comm, k->allocating ?
						  " as the allocating task" : " by the badness scan"));
		} else if (k->allocating) {
			f = finding_add(r, knob ?
					xasprintf("the badness scan, the allocating task '%s' being "
						  "ineligible (oom_score_adj %d)", ev->invoker,
						  ev->invoker_adj) :
					xstrdup("the badness scan (vm.oom_kill_allocating_task=0)"),
					xasprintf("'%s' killed as the allocating task", k->comm));
		} else {
			continue;
		}
		finding_line(f, ev->line);
		finding_line(f, k->line);
	}
}
