// SPDX-License-Identifier: GPL-2.0-only
/* context.c - what the oracles judge: the cell's kills tied to its workloads, and shared words. */
#include "oracles/oracle.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

int oom_event_is_memcg(const struct oom_event *e)
{
	int i;

	if (e->oom_memcg[0] || e->has_memcg_usage || e->memcg_stats)
		return 1;
	for (i = 0; i < e->nkills; i++)
		if (e->kills[i].kind == OOM_KIND_MEMCG)
			return 1;
	return 0;
}

int oracle_wl_group(const struct scenario *sc, const struct obs_workload *w)
{
	return w && w->group[0] ? sc_group_index(sc, w->group) : -1;
}

enum sc_panic panic_kind(const char *msg)
{
	if (strstr(msg, "system-wide panic_on_oom"))
		return SC_PANIC_SYSTEM_WIDE;
	if (strstr(msg, "compulsory panic_on_oom"))
		return SC_PANIC_COMPULSORY;
	if (strstr(msg, "System is deadlocked on memory") ||
	    strstr(msg, "Out of memory and no killable processes"))
		return SC_PANIC_DEADLOCKED;
	return SC_PANIC_NONE;
}


/*
 * Ties a kill line to the workload it killed, or whose process it was: from the whole trace
 * when the agent had one (attrib.h), else from the agent's pids and its proc connector.
 */
static void attribute(struct oracle_ctx *ctx, struct judged_kill *jk)
{
	const struct observation *obs = ctx->obs;
	int i, nth = 0;

	if (ctx->attrib.source != ATTRIB_TRACE) {
		jk->w = obs_find_pid(obs, jk->k->pid);
		if (!jk->w && (jk->w = obs_find_descendant(obs, jk->k->pid)))
			jk->descendant = 1;
		/* with fork events lost, or none to be had, a pid no record names is anyone's */
		if (!jk->w && (obs->lineage_lost || obs->lineage_err))
			ctx->unattributed++;
		return;
	}
	for (i = 0; i < ctx->nkills - 1; i++)
		nth += ctx->kills[i].k->pid == jk->k->pid;
	jk->task = attrib_victim(&ctx->attrib, jk->k->pid, nth);
	if (!jk->task) {
		ctx->unattributed++;
		return;
	}
	if (jk->task->wl >= 0) {
		jk->w = &obs->wl[jk->task->wl];
		jk->descendant = !jk->task->own;
	}
}

char *oracle_lineage(const struct oracle_ctx *ctx, const struct judged_kill *jk)
{
	struct strbuf sb = STRBUF_INIT;
	const struct attrib_task *t;
	int depth = 0;

	if (ctx->attrib.source != ATTRIB_TRACE)
		return xstrdup(" nor a child of one");
	if (!jk->task)
		return xstrdup(" (the kernel's trace never showed a task with that pid)");
	strbuf_addstr(&sb, " nor a child of one (");
	for (t = jk->task; t->parent >= 0 && depth < 6; depth++) {
		t = &ctx->attrib.tasks[t->parent];
		strbuf_addf(&sb, "%s'%s' (pid %d)", depth ? " <- " : "created by ", t->comm,
			    t->pid);
	}
	if (!depth)
		strbuf_addstr(&sb, "it was there before the cell");
	strbuf_addstr(&sb, ")");
	return strbuf_detach(&sb);
}

void oracle_ctx_init(struct oracle_ctx *ctx, const struct cell *cell,
		     const struct observation *obs, const struct oom_log *log, enum vm_ending ending)
{
	int e, k;

	memset(ctx, 0, sizeof(*ctx));
	ctx->cell = cell;
	ctx->obs = obs;
	ctx->log = log;
	ctx->ending = ending;
	attrib_build(obs, &ctx->attrib);
	for (e = 0; e < log->nevents; e++) {
		for (k = 0; k < log->events[e].nkills; k++) {
			struct judged_kill *jk;

			ctx->kills = xrealloc(ctx->kills, (size_t)(ctx->nkills + 1) * sizeof(*jk));
			jk = &ctx->kills[ctx->nkills++];
			memset(jk, 0, sizeof(*jk));
			jk->k = &log->events[e].kills[k];
			attribute(ctx, jk);
			jk->judged = badness_judge_in_log(log, e, jk->k, &jk->badness) == 0;
		}
	}
	evictions_init(ctx);
}

char *oracle_victim(const struct judged_kill *jk)
{
	if (jk->descendant)
		return xasprintf("'%s' (pid %d, a child of '%s')", jk->k->comm, jk->k->pid,
				 jk->w->name);
	return xasprintf("'%s' (pid %d)", jk->w ? jk->w->name : jk->k->comm, jk->k->pid);
}

void oracle_ctx_release(struct oracle_ctx *ctx)
{
	int i;

	for (i = 0; i < ctx->nkills; i++)
		badness_release(&ctx->kills[i].badness);
	attrib_release(&ctx->attrib);
	free(ctx->kills);
	ctx->kills = NULL;
	ctx->nkills = 0;
	free(ctx->evictions);
	ctx->evictions = NULL;
	ctx->nevictions = 0;
}


struct node_event {
	unsigned long long ns;
	char *text;
};

static int cmp_node_event(const void *a, const void *b)
{
	const struct node_event *x = a, *y = b;

	return x->ns < y->ns ? -1 : x->ns > y->ns;
}

/*
 * A node's cell line: its evictions (a pod once, with what kubelet acted on) and the
 * kernel's OOM kills, in the order they came: "evicted pod be (kubelet, memory.available
 * 97Mi < 100Mi), then OOM-killed burst-hog (kernel), then nothing".
 */
static void node_outcome(const struct oracle_ctx *ctx, struct strbuf *sb)
{
	const struct scenario *sc = ctx->cell->sc;
	struct node_event *e = xcalloc((size_t)(ctx->nevictions + ctx->nkills + 1), sizeof(*e));
	int i, j, n = 0, seen;

	for (i = 0; i < ctx->nevictions; i++) {
		const struct eviction *ev = &ctx->evictions[i];
		int p = oracle_pod_of(sc, ev->w);

		for (j = 0, seen = 0; j < i; j++)
			seen |= oracle_pod_of(sc, ctx->evictions[j].w) == p;
		if (seen)
			continue;
		e[n].ns = ev->ns;
		e[n++].text = xasprintf("evicted pod %s (kubelet%s%s%s%s)",
					p >= 0 ? sc->pods[p].name : ev->task->comm,
					ev->cause[0] ? ", " : "", ev->cause,
					ev->verdict ? ", " : "",
					ev->verdict ? evict_verdict_name(ev->verdict) : "");
	}
	for (i = 0; i < ctx->nkills; i++) {
		const struct judged_kill *jk = &ctx->kills[i];

		e[n].ns = jk->task ? jk->task->marked_ns : 0;
		e[n++].text = xasprintf("OOM-killed %s (kernel%s%s)",
					jk->w ? jk->w->name : jk->k->comm, jk->judged ? ", " : "",
					jk->judged ? badness_verdict_name(jk->badness.verdict) : "");
	}
	qsort(e, (size_t)n, sizeof(*e), cmp_node_event);
	for (i = 0; i < n; i++) {
		strbuf_addf(sb, "%s%s", i ? ", then " : "", e[i].text);
		free(e[i].text);
	}
	strbuf_addstr(sb, n ? ", then nothing" : "nothing evicted or OOM-killed");
	free(e);
}

char *oracle_outcome(const struct oracle_ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	int i, n;

	if (ctx->ending == VM_PANIC)
		strbuf_addf(&sb, "panic: %s", ctx->log->panic);
	if (ctx->cell->sc->node.on && ctx->ending != VM_PANIC) {
		node_outcome(ctx, &sb);
		return strbuf_detach(&sb);
	}
	for (i = 0; i < ctx->nkills; i++) {
		strbuf_addf(&sb, "%s%s", i ? ", " : sb.len ? "; killed " : "killed ",
			    ctx->kills[i].w ? ctx->kills[i].w->name : ctx->kills[i].k->comm);
		if (ctx->kills[i].descendant)
			strbuf_addf(&sb, "'s %s", ctx->kills[i].k->comm);
		if (ctx->kills[i].judged)
			strbuf_addf(&sb, " (%s)",
				    badness_verdict_name(ctx->kills[i].badness.verdict));
	}
	for (i = 0; i < ctx->nevictions; i++) {
		const struct eviction *ev = &ctx->evictions[i];
		char *when = eviction_when(ctx, ev);

		strbuf_addf(&sb, "%sevicted %s", sb.len ? "; " : "",
			    ev->w ? ev->w->name : ev->task->comm);
		if (ev->descendant)
			strbuf_addf(&sb, "'s %s", ev->task->comm);
		strbuf_addf(&sb, " by %s (%s%s%s)", ctx->obs->ev.program, when,
			    ev->verdict ? ", " : "", ev->verdict ? evict_verdict_name(ev->verdict) :
			    "");
		free(when);
	}
	for (i = 0, n = 0; i < ctx->obs->nwl; i++)
		if (ctx->obs->wl[i].enomem)
			strbuf_addf(&sb, "%s%s", n++ ? ", " : sb.len ? "; enomem " : "enomem ",
				    ctx->obs->wl[i].name);
	oracle_exit_outcome(ctx, &sb);
	if (!sb.len)
		strbuf_addstr(&sb, "nothing killed");
	return strbuf_detach(&sb);
}
