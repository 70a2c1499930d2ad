// SPDX-License-Identifier: GPL-2.0-only
/* oracle_cgroup.c - memory cgroup rules: the OOM's subtree, oom.group, oom_kill_disable. */
#include "oracles/oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * Three rules of mm/oom_kill.c and mm/memcontrol.c (the same from 5.x to 6.12), an oracle
 * each (memcg-subtree, oom.group, oom_kill_disable, with change, which sees that a scenario's
 * change was made); the counters they imply are oracle_counters.c's:
 *
 * - A memcg OOM chooses among the tasks of the memcg that hit its limit and its descendants
 *   (mem_cgroup_scan_tasks(oc->memcg, ...)): the victim's memcg (the summary's task_memcg)
 *   must be that memcg (oom_memcg) or below it, and a workload outside it is never killed.
 * - memory.oom.group=1: after a victim is chosen, oom_kill_process() asks
 *   mem_cgroup_get_oom_group(victim, oc->memcg) for the group to kill with it. It walks from
 *   the victim's memcg up through the parents and stops at the OOM domain: the memcg at its
 *   limit (oc->memcg, the report's oom_memcg) for a memcg OOM, the root for a global one. The
 *   highest group on that way with oom.group set is the one; a victim in the root memcg has
 *   none. The kernel says "Tasks in <group> are going to be killed due to memory.oom.group
 *   set", and every task in that group is killed except those at oom_score_adj -1000
 *   (oom_kill_memcg_member). A knob above the OOM domain never counts: a child's own OOM
 *   under a parent with oom.group kills in the child only, and only if the child (or a group
 *   between it and the victim) has the knob.
 * - v1 memory.oom_control (oom_kill_disable) 1: mem_cgroup_oom() does not call the OOM
 *   killer, the tasks wait in mem_cgroup_oom_synchronize() with under_oom 1. So when a
 *   scenario's change clears it, no kill line may come before the write (the agent forwards
 *   the kernel's messages just before it writes).
 */

/* 1 when group g has memory.oom.group set in this cell (unset reads 0, the default). */
static int oom_group_set(const struct cell *c, int g)
{
	long long v;

	return !cell_knob(c, g, "memory.oom.group", &v) && v == 1;
}

/* "/box/inner" (a report's memcg path) within "/box"; "/" holds everything. */
static int path_within(const char *path, const char *anc)
{
	size_t n = strlen(anc);

	if (!strcmp(anc, "/"))
		return 1;
	return !strncmp(path, anc, n) && (path[n] == '\0' || path[n] == '/');
}

/* A memcg OOM's victim is from the memcg at its limit or below it. */
void oracle_memcg_subtree(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	int i;

	if (!ctx->cell->sc->cgroup)
		return;
	for (i = 0; i < ctx->nkills; i++) {
		const struct judged_kill *jk = &ctx->kills[i];
		const struct oom_event *ev = NULL;
		char path[160], *victim;
		struct finding *f;
		int e;

		for (e = 0; e < ctx->log->nevents; e++)
			if (jk->k >= ctx->log->events[e].kills &&
			    jk->k < ctx->log->events[e].kills + ctx->log->events[e].nkills)
				ev = &ctx->log->events[e];
		if (!ev || !ev->oom_memcg[0] || !jk->w)
			continue;
		snprintf(path, sizeof(path), "/%s", jk->w->group);
		if (path_within(path, ev->oom_memcg))
			continue;
		victim = oracle_victim(jk);
		f = finding_add(r, xasprintf("a victim from %s's subtree (the memcg at its limit)",
					  ev->oom_memcg),
				xasprintf("%s of %s killed", victim,
					  jk->w->group[0] ? path : "the root cgroup"));
		free(victim);
		finding_line(f, ev->line);
		finding_line(f, jk->k->line);
	}
}

/*
 * The group mem_cgroup_get_oom_group() kills with a victim of scenario group vg (-1: the root
 * memcg) for an OOM whose domain is the memcg at path domain: the highest group with the knob
 * from vg up to the domain, or -1 for none. The scenario declares every parent of a group, so
 * its ancestors among the groups are exactly the memcgs of the walk.
 */
static int walk_group(const struct oracle_ctx *ctx, int vg, const char *domain)
{
	const struct scenario *sc = ctx->cell->sc;
	char path[160];
	int g, found = -1;

	if (vg < 0)
		return -1;
	snprintf(path, sizeof(path), "/%s", sc->groups[vg].name);
	if (!path_within(path, domain))
		return -1; /* the victim is outside the domain: the kernel ignores oom.group */
	for (g = 0; g < sc->ngroups; g++) {
		if (!sc_group_within(sc, vg, g) || !oom_group_set(ctx->cell, g))
			continue;
		snprintf(path, sizeof(path), "/%s", sc->groups[g].name);
		if (path_within(path, domain) &&
		    (found < 0 || sc_group_within(sc, found, g)))
			found = g;
	}
	return found;
}

/* The judged kill of an event's victim: the first kill line, unless the victim had exited. */
static const struct judged_kill *chosen_kill(const struct oracle_ctx *ctx,
					     const struct oom_event *ev)
{
	int k;

	if (!ev->nkills || (ev->nexiting && ev->exiting_line < ev->kills[0].line))
		return NULL;
	for (k = 0; k < ctx->nkills; k++)
		if (ctx->kills[k].k == &ev->kills[0])
			return &ctx->kills[k];
	return NULL;
}

/* Every workload of group g (but those at -1000, which are spared) died with first. */
static void group_members(const struct oracle_ctx *ctx, int g, const struct oom_event *ev,
			  const char *first, struct verdict_report *r)
{
	const struct scenario *sc = ctx->cell->sc;
	const struct observation *obs = ctx->obs;
	int i, k, adj;

	for (i = 0; i < obs->nwl; i++) {
		const struct obs_workload *w = &obs->wl[i];
		int killed = 0;
		struct finding *f;

		if (!w->started || !sc_group_within(sc, oracle_wl_group(sc, w), g))
			continue;
		/* it may have set its own after the agent set adj */
		adj = w->own_adj;
		for (k = 0; k < ctx->nkills; k++)
			killed |= ctx->kills[k].w == w && !ctx->kills[k].descendant;
		if (killed == (adj != -1000))
			continue;
		f = finding_add(r, xasprintf(adj == -1000 ?
					  "'%s' (oom_score_adj -1000) spared by the group kill of %s" :
					  "'%s' killed with the rest of %s (memory.oom.group=1)",
					  w->name, sc->groups[g].name),
				xasprintf(killed ? "'%s' killed" : "'%s' not killed, after '%s' was",
					  w->name, first));
		finding_line(f, ev->group_line);
		if (ev->nkills)
			finding_line(f, ev->kills[0].line);
	}
}

/*
 * Per OOM event whose victim is a workload's (or its child): the group the kernel named in
 * "Tasks in ..." must be the one the walk finds, or none when it finds none, and that group
 * must lose every member. A victim of no workload is the expectation's to report.
 */
void oracle_oom_group(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct scenario *sc = ctx->cell->sc;
	const struct obs_workload *w;
	char *done, victim[160], want[160];
	int e, g;

	if (sc->cgroup != SC_CGROUP_V2)
		return; /* no memory.oom.group on v1: mem_cgroup_get_oom_group() returns NULL */
	done = xcalloc((size_t)sc->ngroups + 1, 1);
	for (e = 0; e < ctx->log->nevents; e++) {
		const struct oom_event *ev = &ctx->log->events[e];
		const struct judged_kill *jk = chosen_kill(ctx, ev);
		const char *domain = ev->oom_memcg[0] ? ev->oom_memcg : "/";
		struct finding *f = NULL;

		w = jk ? jk->w : NULL;
		if (!jk && ev->nexiting) { /* the chosen victim had exited: its pid is all there is */
			w = obs_find_pid(ctx->obs, ev->exiting_pid);
			if (!w)
				w = obs_find_descendant(ctx->obs, ev->exiting_pid);
		}
		/* a memcg OOM whose memcg the report does not name: its domain is unknown */
		if (!w || (!ev->oom_memcg[0] && oom_event_is_memcg(ev)))
			continue;
		g = walk_group(ctx, oracle_wl_group(sc, w), domain);
		snprintf(victim, sizeof(victim), "/%s", w->group);
		if (g >= 0)
			snprintf(want, sizeof(want), "/%s", sc->groups[g].name);
		if (g < 0 && ev->group_kill)
			f = finding_add(r,
					xasprintf("no group kill: no memory.oom.group=1 from the "
						  "victim's memcg %s up to the OOM domain %s",
						  victim, domain),
					xasprintf("Tasks in %s are going to be killed",
						  ev->group_path));
		else if (g >= 0 && (!ev->group_kill || strcmp(ev->group_path, want)))
			f = finding_add(r,
					xasprintf("the group kill of %s, the highest memory.oom.group=1 "
						  "from the victim's memcg %s up to the OOM domain %s",
						  want, victim, domain),
					ev->group_kill ?
					xasprintf("Tasks in %s are going to be killed", ev->group_path) :
					xasprintf("no group kill after the kill of '%s'", w->name));
		if (f) {
			finding_line(f, ev->line);
			finding_line(f, ev->group_line);
			if (ev->nkills)
				finding_line(f, ev->kills[0].line);
		}
		if (g < 0 || done[g])
			continue;
		done[g] = 1;
		group_members(ctx, g, ev, w->name, r);
	}
	free(done);
}

/* The record of change i: the agent makes the changes in order, each once. NULL: not made. */
static const struct obs_knob *change_made(const struct observation *obs, int i)
{
	int k, nth = i;

	for (k = 0; k < obs->nknobs; k++)
		if (obs->knobs[k].change && nth-- == 0)
			return &obs->knobs[k];
	return NULL;
}

/* Each change was made: its counter read its value, and the delay passed within the cell. */
void oracle_change(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct scenario *sc = ctx->cell->sc;
	const struct observation *obs = ctx->obs;
	int i;

	if (!sc->cgroup)
		return;
	for (i = 0; i < sc->nchanges; i++) {
		const struct sc_change *c = &sc->changes[i];
		char val[32];

		if (change_made(obs, i))
			continue;
		sc_knob_text(c->knob, c->set_value, val, sizeof(val));
		finding_add(r, xasprintf("%s/%s=%s written once %s %s %s reads %lld",
					 sc->groups[c->set_group].name, c->knob->key, val,
					 sc->groups[c->group].name, c->file, c->key, c->value),
			    xstrdup(obs->triggers > i ? "the cell ended before the delay passed" :
				    "the counter never read that value"));
	}
}

/* oom_kill_disable held: no kill in its group came before the change that cleared it. */
void oracle_oom_kill_disable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct scenario *sc = ctx->cell->sc;
	int i, k;

	if (!sc->cgroup)
		return;
	for (i = 0; i < sc->nchanges; i++) {
		const struct sc_change *c = &sc->changes[i];
		const struct obs_knob *done = change_made(ctx->obs, i);

		if (!done || strcmp(c->knob->key, "memory.oom_control") || c->set_value)
			continue;
		for (k = 0; k < ctx->nkills; k++) {
			const struct judged_kill *jk = &ctx->kills[k];
			struct finding *f;

			if (jk->k->line > done->kmsg_lines || !jk->w ||
			    !sc_group_within(sc, oracle_wl_group(sc, jk->w), c->set_group))
				continue;
			f = finding_add(r, xasprintf("nobody in %s killed while its "
						     "oom_kill_disable is 1",
						     sc->groups[c->set_group].name),
					xasprintf("'%s' killed before it was cleared",
						  jk->w->name));
			finding_line(f, jk->k->line);
		}
	}
}
