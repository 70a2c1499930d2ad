/* oracle_expect.c - the scenario's own rule for a cell: its panic, its victims, its refusals. */
#include "oracles/oracle.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * The rule the scenario states for this cell (the first whose "when" matches): either a
 * panic of a kind, or exactly these workloads killed and these refused memory. "Exactly"
 * means every other process survives: a kill of anything else is collateral and fails the
 * cell, be it another workload or a process that is no workload at all. A workload counts as
 * killed when the kernel kills it or a process it forked (stress-ng's stressors).
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

static void expect_panic(const struct oracle_ctx *ctx, const struct sc_rule *rule,
			 struct verdict_report *r)
{
	struct finding *f;

	if (ctx->ending == VM_PANIC && panic_kind(ctx->log->panic) == rule->panic)
		return;
	f = finding_add(r, "expect", xasprintf("panic '%s'", sc_panic_name(rule->panic)),
			oracle_outcome(ctx));
	all_kill_lines(ctx, f);
}

static void expect_killed(const struct oracle_ctx *ctx, const struct sc_rule *rule,
			  struct verdict_report *r)
{
	char *names = name_list(rule->killed, rule->nkilled), *happened;
	struct finding *f;
	int i, j;

	for (i = 0; i < ctx->nkills; i++) {
		const struct judged_kill *jk = &ctx->kills[i];
		char *victim, *lineage;

		if (jk->w && in_list(rule->killed, rule->nkilled, jk->w->name))
			continue;
		victim = oracle_victim(jk);
		lineage = oracle_lineage(ctx, jk);
		f = finding_add(r, "collateral",
				rule->nkilled ? xasprintf("only %s killed", names) :
				xstrdup("nothing killed"),
				jk->w ? xasprintf("%s killed too", victim) :
				xasprintf("%s, no workload of this cell%s, killed", victim,
					  lineage));
		free(victim);
		free(lineage);
		finding_line(f, jk->k->line);
	}
	free(names);
	for (i = 0; i < rule->nkilled; i++) {
		const struct obs_workload *w = obs_find(ctx->obs, rule->killed[i]);
		int seen = 0;

		for (j = 0; j < ctx->nkills; j++)
			seen |= ctx->kills[j].w == w && w;
		if (seen)
			continue;
		happened = oracle_outcome(ctx);
		f = finding_add(r, "expect", xasprintf("'%s' killed", rule->killed[i]),
				!w || !w->started ? xasprintf("'%s' never started", rule->killed[i]) :
				w->ended ? xasprintf("'%s' ended by itself in phase '%s'; %s",
						     w->name, w->phase, happened) :
				xasprintf("'%s' survived in phase '%s' with %lld bytes; %s", w->name,
					  w->phase, w->bytes, happened));
		free(happened);
		all_kill_lines(ctx, f);
	}
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
	finding_add(r, "reports", xasprintf("'%s' reports '%s'", rep->name, rep->want), got);
	free(copy);
}

static void expect_counter(const struct oracle_ctx *ctx, const struct sc_counter *c,
			   struct verdict_report *r)
{
	const char *group = ctx->cell->sc->groups[c->group].name;
	long long v = obs_counter(ctx->obs, group, c->file, c->key);
	const char *op = c->op == 'G' ? ">=" : c->op == '>' ? ">" : c->op == '<' ? "<" : "=";
	int ok = v >= 0 && (c->op == 'G' ? v >= c->value : c->op == '>' ? v > c->value :
			    c->op == '<' ? v < c->value : v == c->value);

	if (ok)
		return;
	finding_add(r, "counters", xasprintf("%s %s %s %s %lld", group, c->file, c->key, op,
					     c->value),
		    v < 0 ? xasprintf("%s %s %s not read (a panic, or no such counter)", group,
				      c->file, c->key) :
		    xasprintf("%s %s %s %lld", group, c->file, c->key, v));
}

void oracle_expect(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct sc_rule *rule = ctx->cell->rule;
	struct finding *f;
	int i;

	if (rule->panic != SC_PANIC_NONE) {
		expect_panic(ctx, rule, r);
		return;
	}
	if (ctx->ending == VM_PANIC) {
		f = finding_add(r, "expect", xstrdup("no panic"), oracle_outcome(ctx));
		all_kill_lines(ctx, f);
	}
	if (rule->has_killed)
		expect_killed(ctx, rule, r);
	for (i = 0; i < rule->nreports; i++)
		expect_report(ctx, &rule->reports[i], r);
	for (i = 0; i < rule->ncounters; i++)
		expect_counter(ctx, &rule->counters[i], r);
	for (i = 0; rule->has_enomem && i < rule->nenomem; i++) {
		const struct obs_workload *w = obs_find(ctx->obs, rule->enomem[i]);

		if (w && w->enomem)
			continue;
		finding_add(r, "enomem", xasprintf("'%s' refused memory (ENOMEM)", rule->enomem[i]),
			    !w || !w->started ? xasprintf("'%s' never started", rule->enomem[i]) :
			    xasprintf("'%s' got every allocation: %lld bytes, last phase '%s'",
				      w->name, w->bytes, w->phase));
	}
}
