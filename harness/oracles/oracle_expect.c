// SPDX-License-Identifier: GPL-2.0-only
/* oracle_expect.c - the scenario's own rule for a cell: its refusal, panic, victims, reports. */
#include "oracles/oracle.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * The rule the scenario states for this cell (the first whose "when" matches): a refusal,
 * a panic of a kind, or exactly these workloads killed and these refused memory, with the
 * reports and counters it names. "Exactly" means every other process survives: a kill of
 * anything else is collateral and fails the cell, be it another workload or a process that
 * is no workload at all, by the kernel or by the evictor. A workload counts as killed when
 * the kernel or the evictor kills it or a process it forked (stress-ng's stressors); which
 * of the two must is oracle_evicted's (oracle_evict.c). After a panic nothing else ran: a
 * rule of a panic is judged by its panic alone. The rule's counters are the counters
 * oracle's (oracle_counters.c), beside the kernel's own.
 */

static int in_list(char **list, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return 1;
	return 0;
}

static char *name_list(char **list, int n)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	strbuf_addstr(&sb, "[");
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", list[i]);
	strbuf_addstr(&sb, "]");
	return strbuf_detach(&sb);
}

static void all_kill_lines(const struct oracle_ctx *ctx, struct finding *f)
{
	int i;

	for (i = 0; i < ctx->nkills; i++)
		finding_line(f, ctx->kills[i].k->line);
	finding_line(f, ctx->log->panic_line);
}

/*
 * refused: the cell stopped at the kernel's refusal, which must be the one named with the
 * errno named. This oracle alone judges such a cell (oracle_untestable()), and sets its
 * verdict: PASS naming the refusal, or FAIL with what was refused or taken instead.
 */
void oracle_refused(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	const struct sc_rule *rule = ctx->cell->rule;
	const char *want = sc_errno_name(rule->refused_errno);
	char *seen = NULL, *what = NULL;
	int i, err = -1;

	if (!rule->refused_key)
		return;
	if (!strcmp(rule->refused_key, "cgroup")) {
		err = obs->cgroup_err;
		what = xasprintf("cgroup v%d (%s)", obs->cgroup, obs->cgroup_what);
	}
	for (i = 0; i < obs->nknobs && err < 0; i++) {
		const struct obs_knob *k = &obs->knobs[i];
		char *key = xasprintf("%s/%s", k->group, k->key);

		if (!strcmp(key, rule->refused_key)) {
			err = k->err;
			what = xasprintf("%s=%s", key, k->want);
			if (!err)
				seen = xasprintf("%s taken, reads back '%s'", what, k->got);
		}
		free(key);
	}
	if (err == rule->refused_errno) {
		verdict_set(r, VERDICT_PASS, xasprintf("kernel refused %s with %s, as expected",
						       what, want));
		free(what);
		return;
	}
	if (!seen)
		seen = err < 0 ? xstrdup("no such step reached (a refusal before it?)") :
		       err ? xasprintf("%s refused with %s", what,
				       sc_errno_name(err) ? sc_errno_name(err) : strerror(err)) :
		       xasprintf("%s taken", what);
	finding_add(r, xasprintf("the kernel refuses %s with %s", rule->refused_key, want), seen);
	verdict_set(r, VERDICT_FAIL, xasprintf("refused: expected %s refused with %s, seen %s",
					       rule->refused_key, want, r->findings[0].seen));
	free(what);
}


/* expect: the rule's panic, or no panic and every workload it names in killed dead. */
void oracle_expect(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct sc_rule *rule = ctx->cell->rule;
	struct finding *f;
	char *happened;
	int i, j;

	if (rule->panic != SC_PANIC_NONE) {
		if (ctx->ending == VM_PANIC && panic_kind(ctx->log->panic) == rule->panic)
			return;
		f = finding_add(r, xasprintf("panic '%s'", sc_panic_name(rule->panic)),
				oracle_outcome(ctx));
		all_kill_lines(ctx, f);
		return;
	}
	if (ctx->ending == VM_PANIC) {
		f = finding_add(r, xstrdup("no panic"), oracle_outcome(ctx));
		all_kill_lines(ctx, f);
	}
	for (i = 0; rule->has_killed && i < rule->nkilled; i++) {
		const struct obs_workload *w = obs_find(ctx->obs, rule->killed[i]);
		int seen = 0;

		for (j = 0; j < ctx->nkills; j++)
			seen |= ctx->kills[j].w == w && w;
		for (j = 0; j < ctx->nevictions; j++)
			seen |= ctx->evictions[j].w == w && w;
		if (seen)
			continue;
		happened = oracle_outcome(ctx);
		f = finding_add(r, xasprintf("'%s' killed", rule->killed[i]),
				!w || !w->started ? xasprintf("'%s' never started", rule->killed[i]) :
				w->ended ? xasprintf("'%s' ended by itself in phase '%s'; %s",
						     w->name, w->phase, happened) :
				xasprintf("'%s' survived in phase '%s' with %lld bytes; %s", w->name,
					  w->phase, w->bytes, happened));
		free(happened);
		all_kill_lines(ctx, f);
	}
}

/* collateral: every process killed is a workload the rule names in killed, or its child. */
void oracle_collateral(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct sc_rule *rule = ctx->cell->rule;
	struct finding *f;
	char *names;
	int i;

	if (!rule->has_killed)
		return;
	names = name_list(rule->killed, rule->nkilled);
	for (i = 0; i < ctx->nkills; i++) {
		const struct judged_kill *jk = &ctx->kills[i];
		char *victim, *lineage;

		if (jk->w && in_list(rule->killed, rule->nkilled, jk->w->name))
			continue;
		victim = oracle_victim(jk);
		lineage = oracle_lineage(ctx, jk);
		f = finding_add(r, rule->nkilled ? xasprintf("only %s killed", names) :
				xstrdup("nothing killed"),
				jk->w ? xasprintf("%s killed too", victim) :
				xasprintf("%s, no workload of this cell%s, killed", victim,
					  lineage));
		free(victim);
		free(lineage);
		finding_line(f, jk->k->line);
	}
	for (i = 0; i < ctx->nevictions; i++) {
		const struct eviction *ev = &ctx->evictions[i];
		char *victim, *when;

		if (ev->w && in_list(rule->killed, rule->nkilled, ev->w->name))
			continue;
		victim = eviction_victim(ev);
		when = eviction_when(ctx, ev);
		f = finding_add(r, rule->nkilled ? xasprintf("only %s killed", names) :
				xstrdup("nothing killed"),
				xasprintf("%s%s evicted by %s (%s)", victim,
					  ev->w ? "" : ", no workload of this cell nor a child of "
					  "one,", ctx->obs->ev.program, when));
		finding_evline(f, ev->logline);
		free(victim);
		free(when);
	}
	free(names);
}

/* The workload's last report of want's phase holds every field of want with its value. */
static void expect_report(const struct oracle_ctx *ctx, const struct sc_report *rep,
			  struct verdict_report *r)
{
	const struct obs_workload *w = obs_find(ctx->obs, rep->name);
	const struct obs_report *seen = NULL;
	char *copy = xstrdup(rep->want), *got = NULL;
	struct proto_line l;
	int i;

	if (proto_split(copy, &l))
		BUG("report '%s' passed the parser", rep->want);
	for (i = 0; w && i < w->nreports; i++)
		if (!strcmp(w->reports[i].phase, l.word))
			seen = &w->reports[i];
	for (i = 0; seen && i < l.nkv; i++) {
		char *pair = xasprintf("%s=%s", l.kv[i].key, l.kv[i].val);
		const char *at = strstr(seen->fields, pair);
		size_t n = strlen(pair);
		int ok = at && (at == seen->fields || at[-1] == ' ') && (at[n] == ' ' || !at[n]);

		free(pair);
		if (!ok)
			break;
	}
	if (seen && i == l.nkv) {
		free(copy);
		return;
	}
	if (seen)
		got = xasprintf("'%s' reported '%s %s'", rep->name, seen->phase, seen->fields);
	else if (!w || !w->started)
		got = xasprintf("'%s' never started", rep->name);
	else
		got = xasprintf("'%s' made no '%s' report; its last phase '%s'", rep->name, l.word,
				w->phase);
	finding_add(r, xasprintf("'%s' reports '%s'", rep->name, rep->want), got);
	free(copy);
}

/* reports: each workload the rule names made the report it states. */
void oracle_reports(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct sc_rule *rule = ctx->cell->rule;
	int i;

	if (rule->panic != SC_PANIC_NONE)
		return;
	for (i = 0; i < rule->nreports; i++)
		expect_report(ctx, &rule->reports[i], r);
}

/* enomem: each workload the rule names in enomem was refused memory. */
void oracle_enomem(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct sc_rule *rule = ctx->cell->rule;
	int i;

	for (i = 0; rule->has_enomem && i < rule->nenomem; i++) {
		const struct obs_workload *w = obs_find(ctx->obs, rule->enomem[i]);

		if (w && w->enomem)
			continue;
		finding_add(r, xasprintf("'%s' refused memory (ENOMEM)", rule->enomem[i]),
			    !w || !w->started ? xasprintf("'%s' never started", rule->enomem[i]) :
			    xasprintf("'%s' got every allocation: %lld bytes, last phase '%s'",
				      w->name, w->bytes, w->phase));
	}
}
