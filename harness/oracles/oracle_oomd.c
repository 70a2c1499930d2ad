// SPDX-License-Identifier: GPL-2.0-only
/* oracle_oomd.c - oomd's kills judged: the ruleset's kill action, ranked on the agent's samples. */
#include "oracles/oracle.h"

#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracles/evict_oomd.h"
#include "util.h"

/*
 * Which kill action oomd ran is in its own log: "has fired for Ruleset=R." then "Running
 * Action=P" before the kill's lines (Ruleset.cpp:runOnce). Its arguments are in the ruleset
 * the scenario gave it (the file after --config among the evictor's files). Its candidates
 * are the scenario's groups that the action's "cgroup" patterns match, relative to
 * --cgroup-fs, the cgroup root here (CgroupPath.cpp:resolveWildcard). Each is sampled by the
 * agent (memory.current, memory.swap.current, memory.pressure), and ranked by evict_oomd.c
 * twice: on the last sample before the kill and on the one a second before it, since oomd
 * read its files at its last tick, up to --interval 1 s before. A victim first in both is
 * consistent; in one, or in a tie, ambiguous; in neither, wrong. Growth is ranked from the
 * history of memory.current at one-second steps since oomd was ready. Not judged: a
 * recursive action, a pattern of the root, and kill preferences (the scenarios set no
 * xattrs).
 */

#define OOMD_TICK_MS 1000

/* The cell's evictor argument after flag (into buf), or dflt. */
static const char *arg_after(const struct cell *cell, const char *flag, const char *dflt,
			     char *buf, size_t len)
{
	int i;

	for (i = 0; i + 1 < cell->sc->evictor.nargs; i++)
		if (!strcmp(cell->sc->evictor.args[i], flag))
			return sc_evictor_arg(cell->sc, cell->vi, i + 1, buf, len);
	return dflt;
}

/*
 * The value after key in a line of oomd's, into buf: up to ". Running action chain." for a
 * ruleset's name (which may hold spaces), else to the end of the word.
 */
static int log_field(const char *text, const char *key, char *buf, size_t len)
{
	const char *p = strstr(text, key), *end;

	if (!p)
		return 0;
	p += strlen(key);
	end = strstr(p, ". Running action chain");
	snprintf(buf, len, "%.*s", (int)(end ? (size_t)(end - p) : strcspn(p, " \t")), p);
	return 1;
}

/* The action oomd ran for the kill at line k of its log: its ruleset's name and its own. */
static int find_action(const struct obs_evictor *oe, int k, char *ruleset, char *action,
		       size_t len)
{
	int i, have_action = 0;

	for (i = k; i >= 0; i--) {
		if (!have_action && log_field(oe->log[i].text, "Running Action=", action, len))
			have_action = 1;
		else if (have_action && log_field(oe->log[i].text, "has fired for Ruleset=",
						  ruleset, len))
			return 1;
	}
	return 0;
}

static json_t *find_ruleset_action(json_t *conf, const char *ruleset, const char *action)
{
	json_t *rs, *a;
	size_t i, j;

	json_array_foreach(json_object_get(conf, "rulesets"), i, rs) {
		const char *name = json_string_value(json_object_get(rs, "name"));

		if (!name || strcmp(name, ruleset))
			continue;
		json_array_foreach(json_object_get(rs, "actions"), j, a) {
			const char *an = json_string_value(json_object_get(a, "name"));

			if (an && !strcmp(an, action))
				return json_object_get(a, "args");
		}
	}
	return NULL;
}

/* An argument as a string (oomd takes strings, numbers and booleans alike), or NULL. */
static const char *arg_text(json_t *args, const char *key, char *buf, size_t len)
{
	json_t *v = json_object_get(args, key);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_true(v) || json_is_false(v))
		return json_is_true(v) ? "true" : "false";
	return NULL;
}

static int matches_any(const char *patterns, const char *group)
{
	char *copy = xstrdup(patterns), *save = NULL, *p;
	int hit = 0;

	for (p = strtok_r(copy, ",", &save); p && !hit; p = strtok_r(NULL, ",", &save)) {
		while (*p == '/')
			p++;
		hit = *p && !fnmatch(p, group, FNM_PATHNAME);
	}
	free(copy);
	return hit;
}

/* The value of a group's fixed knob, or OOMD_UNKNOWN. */
static long long group_knob(const struct scenario *sc, int g, const char *key)
{
	int i;

	for (i = 0; i < sc->groups[g].nknobs; i++)
		if (!strcmp(sc->groups[g].knobs[i].known->key, key))
			return sc->groups[g].knobs[i].value;
	return OOMD_UNKNOWN;
}

struct oomd_view {
	struct oomd_sample *s;
	long long **hist;
	int n;
};

static void view_release(struct oomd_view *v)
{
	int i;

	for (i = 0; i < v->n; i++)
		free(v->hist[i]);
	free(v->hist);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

/* The candidates as sample si showed them; the growth history at 1 s steps since ready. */
static void view_at(const struct oracle_ctx *ctx, const char *patterns, int si,
		    struct oomd_view *v)
{
	const struct scenario *sc = ctx->cell->sc;
	const struct observation *obs = ctx->obs;
	const struct obs_sample *sm = &obs->samples[si];
	char key[160];
	int g, k, t;

	memset(v, 0, sizeof(*v));
	v->s = xcalloc((size_t)sc->ngroups + 1, sizeof(*v->s));
	v->hist = xcalloc((size_t)sc->ngroups + 1, sizeof(*v->hist));
	for (g = 0; g < sc->ngroups; g++) {
		struct oomd_sample *s = &v->s[v->n];
		long long next_ms = obs->ev.ready_ms;

		if (!matches_any(patterns, sc->groups[g].name))
			continue;
		s->path = sc->groups[g].name;
		snprintf(key, sizeof(key), "cur.%s", s->path);
		s->current = (long long)obs_sample_get(sm, key, OOMD_UNKNOWN);
		snprintf(key, sizeof(key), "swap.%s", s->path);
		s->swap = (long long)obs_sample_get(sm, key, OOMD_UNKNOWN);
		snprintf(key, sizeof(key), "psi.%s.full10", s->path);
		s->psi_full_avg10 = obs_sample_get(sm, key, 0);
		s->mem_min = group_knob(sc, g, "memory.min");
		s->mem_low = group_knob(sc, g, "memory.low");
		s->protection = OOMD_UNKNOWN;
		s->average = -1;
		s->populated = -1;
		v->hist[v->n] = xcalloc((size_t)si + 2, sizeof(**v->hist));
		snprintf(key, sizeof(key), "cur.%s", s->path);
		for (t = 0, k = 0; k <= si; k++) {
			if (obs->samples[k].ms < next_ms && k != si)
				continue;
			v->hist[v->n][t++] = (long long)obs_sample_get(&obs->samples[k], key, 0);
			next_ms = obs->samples[k].ms + OOMD_TICK_MS;
		}
		s->history = v->hist[v->n];
		s->nhistory = (size_t)t;
		v->n++;
	}
}

static int plugin_of(const char *name, enum oomd_plugin *p)
{
	static const struct { const char *name; enum oomd_plugin p; } plugins[] = {
		{ "kill_by_memory_size_or_growth", OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH },
		{ "kill_by_swap_usage", OOMD_KILL_BY_SWAP_USAGE },
		{ "kill_by_pg_scan", OOMD_KILL_BY_PG_SCAN },
		{ "kill_by_pressure", OOMD_KILL_BY_PRESSURE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plugins); i++)
		if (!strcmp(plugins[i].name, name)) {
			*p = plugins[i].p;
			return 1;
		}
	return 0;
}

/* The args of the action as oomd reads them (KillMemoryGrowth-inl.h:init, KillSwapUsage). */
static const char *rank_args(const struct oracle_ctx *ctx, json_t *args, enum oomd_plugin p,
			     struct oomd_rank_args *ra)
{
	char buf[32];
	const char *t;

	oomd_rank_args_init(ra, p);
	if (p == OOMD_KILL_BY_PG_SCAN)
		return "kill_by_pg_scan needs memory.stat pgscan, which the agent does not sample";
	if ((t = arg_text(args, "recursive", buf, sizeof(buf))) && !strcmp(t, "true"))
		return "a recursive action is not modelled here";
	if ((t = arg_text(args, "size_threshold", buf, sizeof(buf))))
		ra->size_threshold = atoi(t);
	if ((t = arg_text(args, "growing_size_percentile", buf, sizeof(buf))))
		ra->growing_size_percentile = atoi(t);
	if ((t = arg_text(args, "min_growth_ratio", buf, sizeof(buf))))
		ra->min_growth_ratio = (float)atoi(t); /* std::stoi: "1.25" is 1 */
	if ((t = arg_text(args, "threshold", buf, sizeof(buf))) &&
	    oomd_parse_size_or_percent(t, ctx->obs->swap_total_kb * 1024, &ra->swap_threshold))
		return "a swap threshold oomd would refuse";
	return NULL;
}

/* The detector that fired, as a condition on a sample (for when it began to hold). */
struct oomd_cond {
	int swap;           /* swap_free: SwapFree% under pct; else pressure_above */
	char key[160];      /* pressure_above: "psi.<cgroup>.full10" */
	double threshold;
};

static int cond_held(const struct oracle_ctx *ctx, const struct obs_sample *s, const void *arg)
{
	const struct oomd_cond *c = arg;
	double v;

	if (c->swap) {
		v = obs_sample_get(s, "swapfree_kb", -1);
		return v >= 0 && ctx->obs->swap_total_kb > 0 &&
		       v * 100 < c->threshold * (double)ctx->obs->swap_total_kb;
	}
	return obs_sample_get(s, c->key, -1) > c->threshold;
}

/* The first detector of the group that fired, if it is one the samples show. */
static void oomd_condition(const struct oracle_ctx *ctx, struct eviction *ev, json_t *conf,
			   const char *ruleset)
{
	const struct obs_evictor *oe = &ctx->obs->ev;
	char group[128] = "", buf[32];
	struct oomd_cond c = { 0 };
	json_t *rs, *g, *d, *args;
	const char *name, *t;
	size_t i, j;
	int k;

	for (k = ev->logline; k >= 0 && !group[0]; k--) {
		const char *p = strstr(oe->log[k].text, "DetectorGroup="), *e;

		if (p && (e = strstr(p, " has fired for Ruleset=")))
			snprintf(group, sizeof(group), "%.*s", (int)(e - p - 14), p + 14);
	}
	json_array_foreach(json_object_get(conf, "rulesets"), i, rs) {
		if (!json_is_string(json_object_get(rs, "name")) ||
		    strcmp(json_string_value(json_object_get(rs, "name")), ruleset))
			continue;
		json_array_foreach(json_object_get(rs, "detectors"), j, g) {
			if (strcmp(json_string_value(json_array_get(g, 0)) ?: "", group))
				continue;
			d = json_array_get(g, 1);
			name = json_string_value(json_object_get(d, "name"));
			args = json_object_get(d, "args");
			if (name && !strcmp(name, "swap_free") &&
			    (t = arg_text(args, "threshold_pct", buf, sizeof(buf)))) {
				c.swap = 1;
				c.threshold = atoi(t);
			} else if (name && !strcmp(name, "pressure_above") &&
				   (t = arg_text(args, "threshold", buf, sizeof(buf)))) {
				c.threshold = atoi(t);
				t = arg_text(args, "cgroup", buf, sizeof(buf));
				snprintf(c.key, sizeof(c.key), "psi.%s.full10", t ? t : "");
			} else {
				return;
			}
			eviction_condition(ctx, ev, cond_held, &c);
			return;
		}
	}
}

void oomd_judge(const struct oracle_ctx *ctx, struct eviction *ev)
{
	const struct sc_evictor *sev = &ctx->cell->sc->evictor;
	const struct observation *obs = ctx->obs;
	char ruleset[128], action[64], buf[32], path_buf[24];
	const char *conf_path = arg_after(ctx->cell, "--config", "/etc/oomd.json", path_buf,
					  sizeof(path_buf)), *why = NULL;
	struct oomd_view now = { 0 }, before = { 0 };
	struct oomd_rank rn = { 0 }, rb = { 0 };
	struct oomd_rank_args ra;
	enum oomd_plugin plugin;
	json_t *conf = NULL, *args = NULL;
	const char *patterns = NULL, *first_now = NULL, *first_before = NULL;
	int i, si_before, acted;

	for (i = 0; i < sev->nfiles && !conf; i++)
		if (!strcmp(sev->files[i].path, conf_path))
			conf = json_loads(sev->files[i].text, 0, NULL);
	acted = conf && ev->logline >= 0 &&
		find_action(&obs->ev, ev->logline, ruleset, action, sizeof(action));
	if (acted)
		oomd_condition(ctx, ev, conf, ruleset);
	if (!conf)
		why = "its ruleset is not among the scenario's files";
	else if (!acted)
		why = "its log names no action before the kill";
	else if (!(args = find_ruleset_action(conf, ruleset, action)) ||
		 !plugin_of(action, &plugin))
		why = "the action its log names is not a kill action of its ruleset";
	else if (!(patterns = arg_text(args, "cgroup", buf, sizeof(buf))))
		why = "the action has no cgroup argument";
	else if (!ev->w || !ev->w->group[0])
		why = "the victim is in no group of the scenario";
	else if (ev->sample < 0)
		why = "no sample before it";
	else
		why = rank_args(ctx, args, plugin, &ra);
	if (why) {
		snprintf(ev->judgement, sizeof(ev->judgement), "%s", why);
		json_decref(conf);
		return;
	}
	si_before = eviction_sample_before(obs, ev->sample, OOMD_TICK_MS);
	view_at(ctx, patterns, ev->sample, &now);
	view_at(ctx, patterns, si_before, &before);
	if (!oomd_rank(now.s, (size_t)now.n, &ra, &rn) && rn.victim >= 0)
		first_now = rn.rows[rn.victim].s->path;
	if (!oomd_rank(before.s, (size_t)before.n, &ra, &rb) && rb.victim >= 0)
		first_before = rb.rows[rb.victim].s->path;
	ev->verdict = eviction_verdict(ev->w->group, first_now, first_before,
				       rn.decided_by == OOMD_BY_TIE);
	snprintf(ev->judgement, sizeof(ev->judgement), "%.64s over %.64s: '%.100s' ranked first "
		 "by %s (margin %.0f), a second before '%.100s'; oomd killed '%.100s'", action,
		 patterns,
		 first_now ? first_now : "none", oomd_decided_by_name(rn.decided_by), rn.margin,
		 first_before ? first_before : "none", ev->w->group);
	oomd_rank_release(&rn);
	oomd_rank_release(&rb);
	view_release(&now);
	view_release(&before);
	json_decref(conf);
}

/* oomd: each kill of oomd's took the cgroup its ruleset's kill action ranks first. */
void oracle_oomd(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	oracle_evict_choice(ctx, r, "oomd", "oomd kills the cgroup its kill action ranks first");
}
