// SPDX-License-Identifier: GPL-2.0-only
/* judge.c - a cell's verdict: can it be judged, then what every oracle of the table finds. */
#include "oracles/oracle.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * Every oracle, in the order they judge a cell: a FAIL's reason is its first finding. The
 * name is the check its findings carry in run.json (docs/RESULTS.md lists them). Adding an
 * oracle is a file oracle_NAME.c and a line here.
 */
static const struct oracle oracles[] = {
	/* first: a cell whose rule expects a refusal stopped there, and is judged by it alone */
	{ "refused", oracle_refused,
	  "the kernel refused exactly the step a rule's refused: names, with its errno" },
	{ "panic_on_oom", oracle_panic_on_oom,
	  "vm.panic_on_oom: the OOMs that must panic do, with the right words, and no other" },
	{ "allocating", oracle_allocating,
	  "vm.oom_kill_allocating_task: the allocating task dies when eligible, else the scan" },
	{ "overcommit", oracle_overcommit,
	  "vm.overcommit_memory=2 below MemAvailable: allocations are refused, no OOM happens" },
	{ "adj-min", oracle_adj_min,
	  "no task at oom_score_adj -1000 is ever killed" },
	{ "crosscheck", oracle_crosscheck,
	  "the kernel's kill lines and the agent's exit records tell the same story" },
	{ "badness", oracle_badness,
	  "a victim of the scan had the most points by its kernel's badness formula" },
	{ "memcg-subtree", oracle_memcg_subtree,
	  "a memcg OOM's victim comes from the memcg at its limit or below it" },
	{ "oom.group", oracle_oom_group,
	  "memory.oom.group kills the group the kernel's walk finds, all of it but -1000 tasks" },
	{ "change", oracle_change,
	  "each of a scenario's changes was made: its counter read its value in time" },
	{ "oom_kill_disable", oracle_oom_kill_disable,
	  "v1 oom_kill_disable=1: nobody in the group is killed until a change clears it" },
	{ "evictor", oracle_evictor,
	  "the evictor runs the whole cell and logs each kill the kernel's trace shows it make" },
	{ "evicted", oracle_evicted,
	  "the rule's by: kills its killed: (the kernel or the evictor), with its signal:" },
	{ "earlyoom", oracle_earlyoom,
	  "earlyoom 1.7 signals at its limits and evicts the process its policy ranks first" },
	{ "oomd", oracle_oomd,
	  "oomd 0.5.0 kills the cgroup its ruleset's kill action ranks first" },
	{ "systemd-oomd", oracle_sdoomd,
	  "systemd-oomd 252 kills the leaf its pressure or swap rule ranks first" },
	{ "kubelet", oracle_kubelet,
	  "a node's pods are evicted in the rule's rank order, each the one kubelet ranks first, "
	  "and its oom_killed: containers die by the kernel" },
	{ "collateral", oracle_collateral,
	  "nothing dies that the rule does not name in killed:" },
	{ "expect", oracle_expect,
	  "the rule's panic happens, or each workload it names in killed: dies" },
	{ "reports", oracle_reports,
	  "each workload made the report the rule's reports: names, field by field" },
	{ "counters", oracle_counters,
	  "the kernel's counters match its kill lines, and the rule's counters: hold" },
	{ "enomem", oracle_enomem,
	  "each workload the rule names in enomem: was refused memory" },
};

/* Runs n oracles in order: the findings each adds carry its name. */
static void run_oracles(const struct oracle *o, size_t n, const struct oracle_ctx *ctx,
			struct verdict_report *r)
{
	size_t i;

	for (i = 0; i < n; i++) {
		r->check = o[i].name;
		o[i].check(ctx, r);
	}
	r->check = NULL;
}

void oracle_judge(const struct oracle_ctx *ctx, struct verdict_report *out)
{
	memset(out, 0, sizeof(*out));
	switch (oracle_untestable(ctx, out)) {
	case ORACLE_UNTESTABLE:
		return;
	case ORACLE_REFUSAL:
		run_oracles(oracles, 1, ctx, out);
		return;
	case ORACLE_TESTABLE:
		break;
	}
	run_oracles(oracles, ARRAY_SIZE(oracles), ctx, out);
	if (out->nfindings)
		verdict_set(out, VERDICT_FAIL, xasprintf("%s: expected %s, seen %s",
							 out->findings[0].check,
							 out->findings[0].expected,
							 out->findings[0].seen));
	else
		verdict_set(out, VERDICT_PASS, oracle_outcome(ctx));
}
