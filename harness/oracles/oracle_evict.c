// SPDX-License-Identifier: GPL-2.0-only
/* oracle_evict.c - the evictor's kills: by whom the rule says, with what signal, how soon. */
#include "oracles/oracle.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * A rule's by: says who kills the workloads of its killed: the kernel (the default) or the
 * scenario's evictor. Each must die that way: a workload the rule gives to the evictor that
 * the kernel killed first is a FAIL quoting the kernel's kill line and the evictor's last
 * lines ("the kernel won the race"); one the rule gives to the kernel that the evictor killed
 * is the reverse. signal: is the signal each eviction sent; evicted_before_kernel: the
 * evictor's first kill came before any OOM kill of the kernel's. Kills of anything the rule
 * does not name are oracle_collateral's, evictions included.
 */

/* The evictor's last lines up to when the kernel acted, as evidence: quoted in seen. */
static void add_log_tail(const struct oracle_ctx *ctx, struct strbuf *sb)
{
	const struct obs_evictor *oe = &ctx->obs->ev;
	int i, from = oe->nlog > 2 ? oe->nlog - 2 : 0;

	if (!oe->nlog) {
		strbuf_addstr(sb, "; the evictor logged nothing");
		return;
	}
	strbuf_addf(sb, "; %s's last lines:", oe->program);
	for (i = from; i < oe->nlog; i++)
		strbuf_addf(sb, " [%d] \"%s\"", i + 1, oe->log[i].text);
}

static const struct eviction *evicted(const struct oracle_ctx *ctx, const struct obs_workload *w)
{
	int i;

	for (i = 0; i < ctx->nevictions; i++)
		if (ctx->evictions[i].w == w)
			return &ctx->evictions[i];
	return NULL;
}

static const struct judged_kill *kernel_killed(const struct oracle_ctx *ctx,
					       const struct obs_workload *w)
{
	int i;

	for (i = 0; i < ctx->nkills; i++)
		if (ctx->kills[i].w == w)
			return &ctx->kills[i];
	return NULL;
}

/* The first OOM kill of the kernel's, by its mark in the trace; 0 when none. */
static unsigned long long first_mark_ns(const struct oracle_ctx *ctx)
{
	const struct attribution *a = &ctx->attrib;

	return a->nmarks ? a->tasks[a->marks[0]].marked_ns : 0;
}

void oracle_evicted(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct sc_rule *rule = ctx->cell->rule;
	const char *prog = ctx->obs->ev.program;
	struct strbuf sb = STRBUF_INIT;
	struct finding *f;
	int i;

	/* a node's rules say who kills per pod: oracle_kubelet's */
	if (rule->panic != SC_PANIC_NONE || !rule->has_killed || !ctx->cell->sc->evictor.kind ||
	    ctx->cell->sc->node.on)
		return;
	for (i = 0; i < rule->nkilled; i++) {
		const struct obs_workload *w = obs_find(ctx->obs, rule->killed[i]);
		const struct eviction *ev = w ? evicted(ctx, w) : NULL;
		const struct judged_kill *jk = w ? kernel_killed(ctx, w) : NULL;
		char *when, *victim;

		if (!rule->by) {
			if (!ev || jk)
				continue;
			/* the reverse race: the rule gives this one to the kernel */
			victim = eviction_victim(ev);
			when = eviction_when(ctx, ev);
			f = finding_add(r, xasprintf("'%s' killed by the kernel", w->name),
					xasprintf("%s evicted by %s first (%s; the kernel's trace "
						  "names %s, pid %d, as the sender)%s", victim, prog,
						  when, ev->task->sender_comm, ev->task->sender,
						  ev->logline >= 0 ? "" : ", no line of its own"));
			finding_evline(f, ev->logline);
			free(victim);
			free(when);
			continue;
		}
		if (!ev) {
			if (!jk)
				continue; /* not killed at all: oracle_expect says so */
			strbuf_reset(&sb);
			strbuf_addf(&sb, "the kernel won the race: it killed '%s' (pid %d)",
				    w->name, jk->k->pid);
			add_log_tail(ctx, &sb);
			f = finding_add(r, xasprintf("'%s' evicted by %s", w->name, prog),
					xstrdup(sb.buf));
			finding_line(f, jk->k->line);
			if (ctx->obs->ev.nlog)
				finding_evline(f, ctx->obs->ev.nlog - 1);
			continue;
		}
		if (rule->signal && ev->sig != rule->signal) {
			victim = eviction_victim(ev);
			f = finding_add(r, xasprintf("'%s' evicted with %s", w->name,
						     signal_name(rule->signal)),
					xasprintf("%s died of %s from %s", victim, signal_name(ev->sig),
						  prog));
			finding_evline(f, ev->logline);
			free(victim);
		}
	}
	if (rule->by && rule->before_kernel && ctx->nevictions && first_mark_ns(ctx) &&
	    first_mark_ns(ctx) < ctx->evictions[0].ns) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "the kernel's first OOM kill came %.1f ms before %s's first "
			    "eviction", (double)(ctx->evictions[0].ns - first_mark_ns(ctx)) / 1e6,
			    prog);
		f = finding_add(r, xasprintf("%s evicts before the kernel's first OOM kill", prog),
				xstrdup(sb.buf));
		if (ctx->nkills)
			finding_line(f, ctx->kills[0].k->line);
	}
	strbuf_release(&sb);
}

/*
 * evictor: the evictor ran the whole cell, and each of its kills is one it logged: its own
 * line names the pid (earlyoom) or the cgroup (oomd, systemd-oomd) of the task the kernel
 * says it signalled.
 */
void oracle_evictor(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct obs_evictor *oe = &ctx->obs->ev;
	int i;

	if (!ctx->cell->sc->evictor.kind)
		return;
	if (oe->ended && ctx->ending != VM_PANIC) {
		struct strbuf sb = STRBUF_INIT;

		if (oe->signaled)
			strbuf_addf(&sb, "it died of signal %d", oe->sig);
		else
			strbuf_addf(&sb, "it exited with status %d", oe->code);
		add_log_tail(ctx, &sb);
		finding_add(r, xasprintf("%s (pid %d) runs to the end of the cell", oe->program,
					 oe->pid), strbuf_detach(&sb));
	}
	for (i = 0; i < ctx->nevictions; i++) {
		const struct eviction *ev = &ctx->evictions[i];
		char *victim;

		if (ev->logline >= 0)
			continue;
		victim = eviction_victim(ev);
		finding_add(r, xasprintf("a line of %s's naming its kill of %s", oe->program,
					 victim),
			    xasprintf("the kernel's trace shows %s send %s to %s; no line of its "
				      "%d names it", oe->program, signal_name(ev->sig), victim,
				      oe->nlog));
		free(victim);
	}
}
