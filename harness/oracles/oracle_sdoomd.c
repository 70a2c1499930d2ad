// SPDX-License-Identifier: GPL-2.0-only
/* oracle_sdoomd.c - systemd-oomd 252's kills judged: its candidates ranked on the samples. */
#include "oracles/oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * systemd-oomd 252 (Debian 12's 252.39), read from systemd's src/oom/ at v252:
 *
 * Which rule killed is in its kill line: "due to memory pressure" (the pressure rule) or
 * "due to memory used" (the swap rule) (oomd-manager.c, monitor_memory_pressure_contexts_
 * handler and monitor_swap_contexts_handler).
 *
 * Candidates: the leaves under the units with that property (ManagedOOMMemoryPressure=kill
 * for the pressure rule, ManagedOOMSwap=kill for the swap rule); a group with
 * ManagedOOMPreference=omit is left out (oomd-util.c, recursively_get_cgroup_context and
 * oomd_insert_cgroup_context).
 *
 * Order (oomd-util.c): pressure rule, oomd_sort_cgroup_contexts with
 * compare_pgscan_rate_and_memory_usage: preference (none before avoid), then the pgscan rate
 * (memory.stat pgscan less its value at the last pass, a second before) highest first, then
 * memory.current highest first; a candidate with neither pgscan nor memory is passed over
 * (oomd_select_by_pgscan_rate). Swap rule, compare_swap_usage: preference, then
 * memory.swap.current highest first, among those using more than 5 % of all swap
 * (THRESHOLD_SWAP_USED_PERCENT, oomd_select_by_swap_usage).
 *
 * Here, as for oomd, the order is computed from the last sample before the kill and from
 * the one a second before it (systemd-oomd read its files at its last pass): consistent when
 * the victim is first in both, ambiguous in one, wrong in neither.
 */

#define SDOOMD_PASS_MS 1000

struct cand {
	int group;
	int avoid;
	double pgscan_rate, current, swap;
};

/* g is g2 or below it ("box/a" under "box"). */
static int under(const char *g, const char *g2)
{
	size_t n = strlen(g2);

	return !strcmp(g, g2) || (!strncmp(g, g2, n) && g[n] == '/');
}

static int is_leaf(const struct scenario *sc, int g)
{
	int i;

	for (i = 0; i < sc->ngroups; i++)
		if (i != g && under(sc->groups[i].name, sc->groups[g].name))
			return 0;
	return 1;
}

static const struct sc_managed *managed_of(const struct sc_evictor *sev, int g)
{
	int i;

	for (i = 0; i < sev->nmanaged; i++)
		if (sev->managed[i].group == g)
			return &sev->managed[i];
	return NULL;
}

static double sample_of(const struct obs_sample *s, const char *what, const char *group)
{
	char key[160];

	snprintf(key, sizeof(key), "%s.%s", what, group);
	return obs_sample_get(s, key, 0);
}

/* The leaf first in the order of the rule at sample si; NULL when none qualifies. */
static const char *first(const struct oracle_ctx *ctx, int swap_rule, int si, int *ncands)
{
	const struct scenario *sc = ctx->cell->sc;
	const struct sc_evictor *sev = &sc->evictor;
	const struct observation *obs = ctx->obs;
	const struct obs_sample *now = &obs->samples[si];
	const struct obs_sample *prev = &obs->samples[eviction_sample_before(obs, si,
									      SDOOMD_PASS_MS)];
	struct cand best = { -1, 0, 0, 0, 0 };
	int g, u;
	*ncands = 0;
	for (g = 0; g < sc->ngroups; g++) {
		const struct sc_managed *own = managed_of(sev, g);
		struct cand c = { g, own && !strcmp(own->preference, "avoid"), 0, 0, 0 };
		int watched = 0, better;

		for (u = 0; u < sev->nmanaged; u++)
			watched |= (swap_rule ? sev->managed[u].swap : sev->managed[u].pressure) &&
				   under(sc->groups[g].name, sc->groups[sev->managed[u].group].name);
		if (!watched || !is_leaf(sc, g) || (own && !strcmp(own->preference, "omit")))
			continue;
		c.current = sample_of(now, "cur", sc->groups[g].name);
		c.swap = sample_of(now, "swap", sc->groups[g].name);
		c.pgscan_rate = sample_of(now, "pgscan", sc->groups[g].name) -
				sample_of(prev, "pgscan", sc->groups[g].name);
		if (swap_rule ? c.swap * 100 <= (double)obs->swap_total_kb * 1024 * 5 :
		    !c.pgscan_rate && !c.current)
			continue;
		(*ncands)++;
		if (best.group < 0)
			better = 1;
		else if (c.avoid != best.avoid)
			better = c.avoid < best.avoid;
		else if (swap_rule)
			better = c.swap > best.swap;
		else if (c.pgscan_rate != best.pgscan_rate)
			better = c.pgscan_rate > best.pgscan_rate;
		else
			better = c.current > best.current;
		if (better)
			best = c;
	}
	return best.group < 0 ? NULL : sc->groups[best.group].name;
}

/*
 * A setting of oomd.conf or its drop-ins among the evictor's files, as a percentage ("[OOM]
 * SwapUsedLimit=50%"); dflt when none sets it (oomd.c, parse_config; the defaults are in
 * oomd-manager.h).
 */
static double conf_percent(const struct sc_evictor *sev, const char *key, double dflt)
{
	double v = dflt;
	int i;

	for (i = 0; i < sev->nfiles; i++) {
		const char *p = strstr(sev->files[i].text, key);

		if (strncmp(sev->files[i].path, "/etc/systemd/oomd.conf", 22) || !p)
			continue;
		v = strtod(p + strlen(key), NULL);
	}
	return v;
}

/* The rule's condition on a sample: the swap rule's, or the pressure rule's on one unit. */
struct sdoomd_cond {
	int swap;
	double limit;      /* percent */
	char key[160];     /* the pressure rule: "psi.<unit>.full10" */
};

static int cond_held(const struct oracle_ctx *ctx, const struct obs_sample *s, const void *arg)
{
	const struct sdoomd_cond *c = arg;
	const struct observation *obs = ctx->obs;
	double avail, swapfree;

	if (!c->swap)
		return obs_sample_get(s, c->key, -1) > c->limit;
	/* oomd_mem_available_below and oomd_swap_free_below (oomd-util.c), 10000 - limit */
	avail = obs_sample_get(s, "avail_kb", -1);
	swapfree = obs_sample_get(s, "swapfree_kb", -1);
	return avail >= 0 && swapfree >= 0 &&
	       avail * 100 < (100 - c->limit) * (double)obs->mem_total_kb &&
	       swapfree * 100 < (100 - c->limit) * (double)obs->swap_total_kb;
}

/* When the rule's condition began to hold: the unit above the victim, its limit. */
static void sdoomd_condition(const struct oracle_ctx *ctx, struct eviction *ev, int swap_rule)
{
	const struct scenario *sc = ctx->cell->sc;
	const struct sc_evictor *sev = &sc->evictor;
	struct sdoomd_cond c = { swap_rule, 0, "" };
	int u;

	if (swap_rule) {
		c.limit = conf_percent(sev, "SwapUsedLimit=", 90);
		eviction_condition(ctx, ev, cond_held, &c);
		return;
	}
	for (u = 0; u < sev->nmanaged; u++) {
		const struct sc_managed *m = &sev->managed[u];

		if (!m->pressure || !under(ev->w->group, sc->groups[m->group].name))
			continue;
		/* memory.pressure "full" (oomd-util.c, oomd_cgroup_context_acquire) */
		snprintf(c.key, sizeof(c.key), "psi.%s.full10", sc->groups[m->group].name);
		c.limit = m->limit_permyriad ? m->limit_permyriad / 100.0 :
			  conf_percent(sev, "DefaultMemoryPressureLimit=", 60);
		eviction_condition(ctx, ev, cond_held, &c);
		return;
	}
}

void sdoomd_judge(const struct oracle_ctx *ctx, struct eviction *ev)
{
	const struct observation *obs = ctx->obs;
	const char *text, *now, *before;
	int swap_rule, si_before, n_now, n_before;

	if (ev->logline < 0) {
		snprintf(ev->judgement, sizeof(ev->judgement), "no kill line of its own");
		return;
	}
	text = obs->ev.log[ev->logline].text;
	if (!strstr(text, "due to memory pressure") && !strstr(text, "due to memory used")) {
		snprintf(ev->judgement, sizeof(ev->judgement), "its kill line names no rule");
		return;
	}
	if (!ev->w || !ev->w->group[0] || ev->sample < 0) {
		snprintf(ev->judgement, sizeof(ev->judgement), "the victim is in no group, or "
			 "no sample came before it");
		return;
	}
	swap_rule = !!strstr(text, "due to memory used");
	sdoomd_condition(ctx, ev, swap_rule);
	si_before = eviction_sample_before(obs, ev->sample, SDOOMD_PASS_MS);
	now = first(ctx, swap_rule, ev->sample, &n_now);
	before = first(ctx, swap_rule, si_before, &n_before);
	ev->verdict = eviction_verdict(ev->w->group, now, before, 0);
	snprintf(ev->judgement, sizeof(ev->judgement), "%s rule, %d candidates: '%.100s' "
		 "first, a second before '%.100s'; systemd-oomd killed '%.100s'",
		 swap_rule ? "swap" : "pressure", n_now, now ? now : "none",
		 before ? before : "none", ev->w->group);
}

/* systemd-oomd: each kill of systemd-oomd's took the leaf its rule ranks first. */
void oracle_sdoomd(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	oracle_evict_choice(ctx, r, "systemd-oomd",
			    "systemd-oomd kills the leaf its rule ranks first");
}
