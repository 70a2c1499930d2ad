// SPDX-License-Identifier: GPL-2.0-only
/* oracle_counters.c - the kernel's OOM counters against its kill lines, and a rule's counters. */
#include "oracles/oracle.h"

#include "util.h"

/*
 * Every kill line counts once in /proc/vmstat oom_kill and in memory.events oom_kill of the
 * victim's memcg and each ancestor: __oom_kill_process() prints the line, then
 * count_vm_event(OOM_KILL) and memcg_memory_event_mm(), hierarchical. A memory.oom.group
 * victim is killed, printed and counted twice (once chosen, once in the group walk, unless
 * it has exited by then: "already exiting", no count), so the counts are of lines, not
 * processes. The agent reads both at the end of the cell; a panic leaves them unread, and
 * nothing is checked.
 *
 * A rule's counters: (a group's counter file at the end of the cell, against an operator and
 * a value) are checked here too, after the kernel's own; a rule of a panic has none checked.
 */

/* Every cell: the kernel's count against the kill lines it printed. */
static void vmstat_counter(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	int k, lines = 0;

	for (k = 0; k < ctx->nkills; k++)
		lines += ctx->kills[k].k->printed;
	if (obs->vmstat_oom_kill >= 0 && obs->vmstat_oom_kill != lines)
		finding_add(r, xasprintf("/proc/vmstat oom_kill %d (one per kill line in the "
					 "kernel log)", lines),
			    xasprintf("oom_kill %lld", obs->vmstat_oom_kill));
}

/*
 * A group's oom_kill counts the kills of its own tasks, and in v2 those of its descendants
 * too: memcg_memory_event() (include/linux/memcontrol.h) walks up the parents only on the
 * default hierarchy; on v1 it stops at the victim's own memcg.
 */
static void memcg_counters(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct scenario *sc = ctx->cell->sc;
	const struct observation *obs = ctx->obs;
	int v1 = sc->cgroup == SC_CGROUP_V1;
	const char *file = v1 ? "memory.oom_control" : "memory.events";
	long long seen;
	int g, k, n;

	for (g = 0; g < sc->ngroups; g++) {
		seen = obs_counter(obs, sc->groups[g].name, file, "oom_kill");
		if (seen < 0)
			continue;
		for (k = n = 0; k < ctx->nkills; k++) {
			const struct obs_workload *w = ctx->kills[k].w;

			int wg = oracle_wl_group(sc, w);

			if (w && (v1 ? wg == g : sc_group_within(sc, wg, g)))
				n += ctx->kills[k].k->printed;
		}
		if (seen != n)
			finding_add(r, xasprintf("%s %s oom_kill %d (kill lines of its workloads%s "
						 "in the kernel log)", sc->groups[g].name, file, n,
						 v1 ? "" : " and its children's"),
				    xasprintf("oom_kill %lld", seen));
	}
}

/* A rule's counter: a group's counter file at the end, against its operator and value. */
static void rule_counter(const struct oracle_ctx *ctx, const struct sc_counter *c,
			 struct verdict_report *r)
{
	const char *group = ctx->cell->sc->groups[c->group].name;
	long long v = obs_counter(ctx->obs, group, c->file, c->key);
	const char *op = c->op == 'G' ? ">=" : c->op == '>' ? ">" : c->op == '<' ? "<" : "=";
	int ok = v >= 0 && (c->op == 'G' ? v >= c->value : c->op == '>' ? v > c->value :
			    c->op == '<' ? v < c->value : v == c->value);

	if (ok)
		return;
	finding_add(r, xasprintf("%s %s %s %s %lld", group, c->file, c->key, op, c->value),
		    v < 0 ? xasprintf("%s %s %s not read (a panic, or no such counter)", group,
				      c->file, c->key) :
		    xasprintf("%s %s %s %lld", group, c->file, c->key, v));
}

void oracle_counters(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct sc_rule *rule = ctx->cell->rule;
	int i;

	vmstat_counter(ctx, r);
	if (ctx->cell->sc->cgroup)
		memcg_counters(ctx, r);
	for (i = 0; rule->panic == SC_PANIC_NONE && i < rule->ncounters; i++)
		rule_counter(ctx, &rule->counters[i], r);
}
