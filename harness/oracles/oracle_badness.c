// SPDX-License-Identifier: GPL-2.0-only
/* oracle_badness.c - every OOM kill of a cell checked against the kernel's badness formula. */
#include "oracles/oracle.h"

#include "util.h"

/*
 * A victim chosen by the scan must be the task with the most points, recomputed from the
 * report's own task table by the rules of the report's kernel generation (badness.c). Only an
 * "inconsistent" judgement fails the cell: "ambiguous" (within the drift between selection
 * and the dump) and "unknown" (the report lacks what the judgement needs) are recorded in
 * run.json, and kills by oom_kill_allocating_task or memory.oom.group ("policy") are checked
 * by their own oracles. This holds even where the scenario expected that very victim.
 */
void oracle_badness(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	int i;

	for (i = 0; i < ctx->nkills; i++) {
		const struct judged_kill *jk = &ctx->kills[i];
		const struct badness *b = &jk->badness;
		struct finding *f;

		if (!jk->judged || b->verdict != BADNESS_INCONSISTENT || !b->winner)
			continue;
		f = finding_add(r, xasprintf("the argmax '%s' (pid %d, %lld points) killed",
					  b->winner->task->name, b->winner->task->pid,
					  b->winner->points),
				xasprintf("'%s' (pid %d) killed with %lld points, %lld fewer (gen %s, "
					  "totalpages %lld)", jk->k->comm, jk->k->pid,
					  b->victim_row ? b->victim_row->points : 0, b->margin,
					  oom_gen_name(b->gen), b->totalpages));
		finding_line(f, jk->k->line);
		finding_line(f, b->winner->task->line);
		if (b->victim_row)
			finding_line(f, b->victim_row->task->line);
	}
}
