// SPDX-License-Identifier: GPL-2.0-only
/* oracle_kubelet.c - a node's pods: evicted in the rule's order, OOM-killed where it says. */
#include "oracles/oracle.h"

#include <stdlib.h>
#include <string.h>

#include "kubelet/kubelet.h"
#include "util.h"

/*
 * A rule of a node names evicted: [pods] in rank order and oom_killed: [containers]. Read as
 * Kubernetes' node e2e eviction test reads its pods' eviction priorities: every pod named is
 * evicted by kubelet; a pod of a later rank is not evicted while one of an earlier rank still
 * runs; pods of one rank go in either order; a pod not named is never evicted. A container
 * of oom_killed dies by the kernel's OOM killer, not by kubelet. Each finding quotes the
 * model's pass: its rank line and the threshold it saw met.
 */

static const char *qos_name(enum sc_qos q)
{
	return q == SC_QOS_GUARANTEED ? "Guaranteed" : q == SC_QOS_BURSTABLE ? "Burstable" :
	       "BestEffort";
}

/* The first eviction of a process of pod p, or NULL. */
static const struct eviction *pod_eviction(const struct oracle_ctx *ctx, int p)
{
	int i;

	for (i = 0; i < ctx->nevictions; i++)
		if (oracle_pod_of(ctx->cell->sc, ctx->evictions[i].w) == p)
			return &ctx->evictions[i];
	return NULL;
}

/* The model's rank and met lines of the pass that made eviction ev, as evidence. */
static void add_pass(const struct oracle_ctx *ctx, struct finding *f, const struct eviction *ev)
{
	const struct obs_evictor *oe = &ctx->obs->ev;
	int i, j, from = ev && ev->logline >= 0 ? ev->logline : oe->nlog;

	for (i = from - 1; i >= 0; i--)
		if (!strncmp(oe->log[i].text, "rank ", 5))
			break;
	if (i < 0)
		return;
	/* the thresholds it saw met, back to the pass's observation */
	for (j = i - 1; j >= 0 && strncmp(oe->log[j].text, "observe ", 8); j--)
		;
	for (j = j < 0 ? 0 : j; j < i; j++)
		if (!strncmp(oe->log[j].text, "met ", 4))
			finding_evline(f, j);
	finding_evline(f, i);
	if (ev && ev->logline >= 0)
		finding_evline(f, ev->logline);
}

static int rank_of(const struct sc_rule *rule, int p)
{
	int i;

	for (i = 0; i < rule->nevicted; i++)
		if (rule->evicted[i] == p)
			return rule->evicted_rank[i];
	return -1;
}

/* The kernel's first OOM kill of a container of pod p, or NULL. */
static const struct judged_kill *pod_oom_kill(const struct oracle_ctx *ctx, int p)
{
	int i;

	for (i = 0; i < ctx->nkills; i++)
		if (oracle_pod_of(ctx->cell->sc, ctx->kills[i].w) == p)
			return &ctx->kills[i];
	return NULL;
}

/* Pod p, named in evicted:, was not evicted: the kernel got there first, or nobody did. */
static void not_evicted(const struct oracle_ctx *ctx, struct verdict_report *r, int p)
{
	const struct eviction *last = ctx->nevictions ? &ctx->evictions[ctx->nevictions - 1] :
				      NULL;
	const struct judged_kill *jk = pod_oom_kill(ctx, p);
	const char *pod = ctx->cell->sc->pods[p].name;
	struct finding *f;
	char *victim;

	if (jk) {
		f = finding_add(r, xasprintf("pod '%s' evicted by kubelet", pod),
				xasprintf("the kernel won the race: it OOM-killed container '%s' "
					  "(pid %d) first", jk->w->name, jk->k->pid));
		finding_line(f, jk->k->line);
		add_pass(ctx, f, NULL);
		return;
	}
	victim = last ? eviction_victim(last) : NULL;
	f = finding_add(r, xasprintf("pod '%s' evicted by kubelet", pod),
			victim ? xasprintf("kubelet did not evict it; its last eviction, of %s, "
					   "came of this pass:", victim) :
			xstrdup("kubelet evicted no pod"));
	free(victim);
	add_pass(ctx, f, last);
}

static void check_evicted(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct scenario *sc = ctx->cell->sc;
	const struct sc_rule *rule = ctx->cell->rule;
	const struct eviction *ev, *ev2;
	struct finding *f;
	int i, j, p;

	for (p = 0; p < sc->npods; p++) {
		ev = pod_eviction(ctx, p);
		if (rank_of(rule, p) >= 0 && !ev) {
			not_evicted(ctx, r, p);
		} else if (rank_of(rule, p) < 0 && ev) {
			f = finding_add(r, xasprintf("pod '%s' is never evicted",
						     sc->pods[p].name),
					xasprintf("kubelet evicted it (%s)", ev->judgement));
			add_pass(ctx, f, ev);
		}
	}
	/* a pod of a later rank must not go while one of an earlier rank still runs */
	for (i = 0; i < rule->nevicted; i++) {
		ev = pod_eviction(ctx, rule->evicted[i]);
		for (j = 0; ev && j < rule->nevicted; j++) {
			if (rule->evicted_rank[j] >= rule->evicted_rank[i])
				continue;
			ev2 = pod_eviction(ctx, rule->evicted[j]);
			if (ev2 && ev2->ns < ev->ns)
				continue;
			f = finding_add(r, xasprintf("pod '%s' evicted before pod '%s'",
						     sc->pods[rule->evicted[j]].name,
						     sc->pods[rule->evicted[i]].name),
					xasprintf("kubelet evicted pod '%s' while pod '%s' still ran "
						  "(%s)", sc->pods[rule->evicted[i]].name,
						  sc->pods[rule->evicted[j]].name, ev->judgement));
			add_pass(ctx, f, ev);
		}
	}
}

static void check_oom_killed(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct sc_rule *rule = ctx->cell->rule;
	struct finding *f;
	int i, j;

	for (i = 0; i < rule->noom_killed; i++) {
		const struct obs_workload *w = obs_find(ctx->obs, rule->oom_killed[i]);

		for (j = 0; w && j < ctx->nevictions; j++)
			if (ctx->evictions[j].w == w)
				break;
		if (!w || j == ctx->nevictions)
			continue; /* killed or not, by the kernel: oracle_expect judges that */
		f = finding_add(r, xasprintf("container '%s' OOM-killed by the kernel",
					     rule->oom_killed[i]),
				xasprintf("kubelet evicted its pod first (%s)",
					  ctx->evictions[j].judgement));
		add_pass(ctx, f, &ctx->evictions[j]);
	}
}

int oracle_pod_of(const struct scenario *sc, const struct obs_workload *w)
{
	int i, j;

	for (i = 0; w && i < sc->npods; i++)
		for (j = sc->pods[i].first; j < sc->pods[i].first + sc->pods[i].ncontainers; j++)
			if (!strcmp(sc->workloads[j].name, w->name))
				return i;
	return -1;
}

/*
 * Each container ran at the oom_score_adj kubelet gives its QoS class (qos/policy.go), with
 * the node's capacity the guest saw (MemTotal) for a Burstable one; and each container the
 * kernel killed, at that adj by its kill line too: the badness oracle judges the points.
 */
static void check_qos_adj(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct scenario *sc = ctx->cell->sc;
	struct finding *f;
	int p, j, i, want;

	for (p = 0; p < sc->npods; p++)
		for (j = sc->pods[p].first; j < sc->pods[p].first + sc->pods[p].ncontainers; j++) {
			const struct obs_workload *w = obs_find(ctx->obs, sc->workloads[j].name);

			if (!w || !w->started)
				continue;
			want = kl_container_adj((enum kl_qos)sc->pods[p].qos,
						sc->workloads[j].burstable_request,
						ctx->obs->mem_total_kb * 1024);
			if (w->adj != want)
				finding_add(r, xasprintf("container '%s' of %s pod '%s' at "
							 "oom_score_adj %d", w->name,
							 qos_name(sc->pods[p].qos), sc->pods[p].name,
							 want),
					    xasprintf("the agent started it at %d", w->adj));
			for (i = 0; i < ctx->nkills; i++) {
				const struct oom_kill *k = ctx->kills[i].k;

				if (ctx->kills[i].w != w || ctx->kills[i].descendant || !k->has_adj ||
				    k->oom_score_adj == want)
					continue;
				f = finding_add(r, xasprintf("container '%s' killed at its QoS "
							     "oom_score_adj %d", w->name, want),
						xasprintf("the kernel's kill line says %d",
							  k->oom_score_adj));
				finding_line(f, k->line);
			}
		}
}

void oracle_kubelet(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct sc_rule *rule = ctx->cell->rule;

	if (!ctx->cell->sc->node.on || rule->panic != SC_PANIC_NONE || !rule->has_killed)
		return;
	check_evicted(ctx, r);
	check_oom_killed(ctx, r);
	check_qos_adj(ctx, r);
	oracle_evict_choice(ctx, r, "kubelet", "kubelet evicts the pod its ranking puts first");
}
