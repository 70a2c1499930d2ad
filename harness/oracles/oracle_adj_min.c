// SPDX-License-Identifier: GPL-2.0-only
/* oracle_adj_min.c - oom_score_adj -1000: such a task is never the OOM killer's victim. */
#include "oracles/oracle.h"

#include "util.h"

/*
 * oom_badness() (mm/oom_kill.c) makes a task with oom_score_adj == OOM_SCORE_ADJ_MIN (-1000)
 * ineligible, the allocating-task shortcut skips it, and memory.oom.group spares it. So no
 * kill line may name one. The adj is the kill line's own, the kernel's word at the kill (a
 * workload may change its own, as stress-ng does); for kernels whose kill lines do not
 * print it, the workload's as the agent last saw it.
 */
void oracle_adj_min(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	int i;

	for (i = 0; i < ctx->nkills; i++) {
		const struct judged_kill *jk = &ctx->kills[i];
		int adj = jk->k->has_adj ? jk->k->oom_score_adj :
			  jk->w && !jk->descendant ? jk->w->own_adj : 0;
		struct finding *f;

		if (adj != -1000)
			continue;
		f = finding_add(r, xstrdup("no task at oom_score_adj -1000 is killed"),
				xasprintf("'%s' (pid %d, oom_score_adj -1000) killed", jk->k->comm,
					  jk->k->pid));
		finding_line(f, jk->k->line);
	}
}
