// SPDX-License-Identifier: GPL-2.0-only
/* oracle_crosscheck.c - the kernel's kill lines and the agent's exit records must agree. */
#include "oracles/oracle.h"

#include <signal.h>

#include "util.h"

/*
 * Two witnesses see every kill: the kernel prints a kill line, and the agent reaps the
 * workload and records SIGKILL. Each must confirm the other. A workload's child is reaped by
 * the workload, not the agent: only the kernel sees it die. When a panic ended the guest,
 * an exit may never have been recorded, so only kill lines without exits are excused then.
 */
/* What the trace says ended workload wl, whose SIGKILL no kill line explains. */
static char *no_kill_line(const struct oracle_ctx *ctx, int wl)
{
	const struct attrib_task *t = attrib_own(&ctx->attrib, wl);

	if (!t || (t->by != BY_SIGNAL && t->by != BY_KERNEL_SIGNAL) || !t->sender)
		return xstrdup("no kill line names it");
	return xasprintf("no kill line names it: the kernel's trace shows signal %d sent by "
			 "'%s' (pid %d)%s", t->sig, t->sender_comm, t->sender,
			 t->by == BY_SIGNAL ? ", from user space" : ", raised by the kernel");
}

void oracle_crosscheck(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	struct finding *f;
	int i, j;

	for (i = 0; i < ctx->nkills; i++) {
		const struct judged_kill *jk = &ctx->kills[i];
		const struct obs_workload *w = jk->w;

		if (!w || jk->descendant || (w->ended && w->signaled && w->sig == SIGKILL))
			continue;
		if (!w->ended && ctx->ending == VM_PANIC)
			continue;
		f = finding_add(r,
				xasprintf("'%s' (pid %d) dies of SIGKILL, as the kernel's kill line "
					  "says", w->name, w->pid),
				!w->ended ? xstrdup("the agent saw it alive at the end") :
				w->signaled ? xasprintf("it died of signal %d", w->sig) :
				xasprintf("it exited with status %d", w->code));
		finding_line(f, jk->k->line);
	}
	for (i = 0; i < obs->nwl; i++) {
		const struct obs_workload *w = &obs->wl[i];
		int seen = 0;

		if (!w->ended || !w->signaled || w->sig != SIGKILL)
			continue;
		for (j = 0; j < ctx->nevictions; j++)
			seen |= ctx->evictions[j].w == w && !ctx->evictions[j].descendant;
		for (j = 0; j < ctx->nkills; j++)
			seen |= ctx->kills[j].w == w && !ctx->kills[j].descendant;
		if (!seen)
			finding_add(r,
				    xasprintf("a kernel kill line for '%s' (pid %d), which died of "
					      "SIGKILL", w->name, w->pid), no_kill_line(ctx, i));
	}
}
