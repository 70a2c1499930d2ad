/* results.c - run.json: the run, its kernel and options, and every finished cell. */
#include "results.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int results_init(struct results *res, const char *dir, const char *run_id)
{
	memset(res, 0, sizeof(*res));
	if (mkdir_p(dir, 0755) < 0)
		return error_errno("cannot create results directory '%s'", dir);
	res->dir = xstrdup(dir);
	res->run = json_pack("{s:i, s:s, s:b, s:[]}", "oomlab_results", 1, "run_id", run_id,
			     "interrupted", 0, "cells");
	return 0;
}

void results_release(struct results *res)
{
	json_decref(res->run);
	free(res->dir);
	memset(res, 0, sizeof(*res));
}

void results_set(struct results *res, const char *key, json_t *value)
{
	json_object_set_new(res->run, key, value);
}

const char *log_line(const char *log, size_t len, int n, char *buf, size_t buflen)
{
	const char *p = log, *end = log + len;
	int i;

	buf[0] = '\0';
	for (i = 1; p < end && i < n; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			return buf;
		p = nl + 1;
	}
	if (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l >= buflen)
			l = buflen - 1;
		memcpy(buf, p, l);
		buf[l] = '\0';
	}
	return buf;
}

static json_t *name_array(char **names, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

static json_t *row_json(const struct badness_row *row)
{
	if (!row)
		return json_null();
	return json_pack("{s:i, s:s, s:I}", "pid", row->task->pid, "comm", row->task->name,
			 "points", (json_int_t)row->points);
}

/* The badness oracle's judgement of one kill (oracle_badness.c). */
static json_t *badness_json(const struct judged_kill *k)
{
	const struct badness *b = &k->badness;

	if (!k->judged)
		return json_null();
	return json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:I, s:s}",
			 "judgement", badness_verdict_name(b->verdict),
			 "generation", oom_gen_name(b->gen), "totalpages", (json_int_t)b->totalpages,
			 "victim_points", b->victim_row ? json_integer(b->victim_row->points) :
			 json_null(), "winner", row_json(b->winner), "runner_up", row_json(b->runner_up),
			 "margin", (json_int_t)b->margin, "reason", b->reason);
}

static json_t *expected_json(const struct sc_rule *rule)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:s, s:i}",
			 "panic", rule->panic ? json_string(sc_panic_name(rule->panic)) : json_null(),
			 "refused", rule->refused_key ?
			 json_pack("{s:s, s:s}", "key", rule->refused_key, "errno",
				   sc_errno_name(rule->refused_errno)) : json_null(),
			 "killed", rule->has_killed ? name_array(rule->killed, rule->nkilled) :
			 json_null(),
			 "enomem", rule->has_enomem ? name_array(rule->enomem, rule->nenomem) :
			 json_null(),
			 "why", rule->why, "rule_line", rule->pos.line);
}

/* {"box": {"memory.events": {"oom_kill": 1, ...}}}: each group's counters at the end */
static json_t *counters_json(const struct observation *obs)
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < obs->ncounters; i++) {
		const struct obs_counter *c = &obs->counters[i];
		json_t *g = json_object_get(o, c->group), *f;

		if (!g)
			json_object_set_new(o, c->group, g = json_object());
		f = json_object_get(g, c->file);
		if (!f)
			json_object_set_new(g, c->file, f = json_object());
		json_object_set_new(f, c->key, json_integer(c->value));
	}
	return o;
}

static const char *workload_end(const struct obs_workload *w)
{
	if (w->never)
		return "never-started";
	if (w->alive)
		return "alive";
	if (!w->ended)
		return "unknown";
	if (w->signaled)
		return w->sig == 9 ? "killed" : "crashed";
	return "exited";
}

json_t *results_cell(const struct oracle_ctx *ctx, const struct verdict_report *rep,
		     const char *kernel_tag, double wall_s, const char *celldir,
		     const char *kernel_log, size_t loglen)
{
	const struct cell *c = ctx->cell;
	const struct observation *obs = ctx->obs;
	json_t *params = json_object(), *kills = json_array(), *enomem = json_array();
	json_t *findings = json_array(), *wls = json_array();
	char line[1024];
	int i, j;

	for (i = 0; i < c->sc->naxes; i++)
		json_object_set_new(params, c->sc->axes[i].key,
				    json_integer(c->sc->axes[i].values[c->vi[i]]));
	for (i = 0; i < ctx->nkills; i++) {
		const struct judged_kill *k = &ctx->kills[i];

		json_array_append_new(kills, json_pack(
			"{s:i, s:s, s:s, s:b, s:o, s:b, s:o, s:i, s:i, s:o}", "pid", k->k->pid,
			"comm", k->k->comm,
			"kind", k->k->kind == OOM_KIND_MEMCG ? "memcg" : "global",
			"allocating", k->k->allocating,
			"workload", k->w ? json_string(k->w->name) : json_null(),
			"descendant", k->descendant,
			"oom_score_adj", k->k->has_adj ? json_integer(k->k->oom_score_adj) :
			json_null(), "line", k->k->line, "lines", k->k->printed,
			"badness", badness_json(k)));
	}
	for (i = 0; i < obs->nwl; i++) {
		const struct obs_workload *w = &obs->wl[i];

		if (w->enomem)
			json_array_append_new(enomem, json_string(w->name));
		json_array_append_new(wls, json_pack(
			"{s:s, s:i, s:i, s:s, s:s, s:I, s:I, s:b, s:o}", "name", w->name, "pid", w->pid,
			"oom_score_adj", w->adj, "end", workload_end(w), "phase", w->phase,
			"bytes", (json_int_t)w->bytes, "max_rss_kb", (json_int_t)w->max_rss_kb,
			"enomem", w->enomem, "enomem_bytes", w->enomem ?
			json_integer(w->enomem_bytes) : json_null()));
	}
	for (i = 0; i < rep->nfindings; i++) {
		const struct finding *f = &rep->findings[i];
		json_t *ev = json_array();

		for (j = 0; j < f->nlines; j++) {
			log_line(kernel_log, loglen, f->lines[j], line, sizeof(line));
			json_array_append_new(ev, json_sprintf("kernel.log:%d: %s", f->lines[j], line));
		}
		json_array_append_new(findings, json_pack("{s:s, s:s, s:s, s:o}", "check", f->check,
							  "expected", f->expected, "seen", f->seen,
							  "evidence", ev));
	}
	return json_pack(
		"{s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:f, s:o, s:o,"
		" s:o, s:s+, s:s+, s:s+}",
		"id", c->id, "scenario", c->sc->name, "kernel", kernel_tag, "params", params,
		"verdict", verdict_name(rep->verdict), "ending", vm_ending_name(ctx->ending),
		"panic_message", ctx->log->has_panic ? json_string(ctx->log->panic) : json_null(),
		"kills", kills, "enomem", enomem, "expected", expected_json(c->rule),
		"reason", rep->reason ? rep->reason : "", "findings", findings, "wall_s", wall_s,
		"workloads", wls,
		"meminfo", json_pack("{s:I, s:I, s:I, s:I}",
				     "total_kb", (json_int_t)obs->mem_total_kb,
				     "avail_kb", (json_int_t)obs->mem_avail_kb,
				     "commit_limit_kb", (json_int_t)obs->commit_limit_kb,
				     "min_avail_kb", (json_int_t)obs->min_avail_kb),
		"counters", json_pack("{s:o, s:o}", "vmstat_oom_kill",
				      obs->vmstat_oom_kill < 0 ? json_null() :
				      json_integer(obs->vmstat_oom_kill),
				      "groups", counters_json(obs)),
		"console", celldir, "/console.log", "agent", celldir, "/agent.log",
		"kernel_log", celldir, "/kernel.log");
}

int results_add(struct results *res, json_t *cell, enum verdict v)
{
	json_array_append_new(json_object_get(res->run, "cells"), cell);
	switch (v) {
	case VERDICT_PASS: res->passed++; break;
	case VERDICT_FAIL: res->failed++; break;
	case VERDICT_BROK: res->broken++; break;
	case VERDICT_CONF: res->skipped++; break;
	}
	return results_write(res);
}

int results_write(struct results *res)
{
	char *path = xasprintf("%s/run.json", res->dir), *text;
	int ret;

	json_object_set_new(res->run, "summary",
			    json_pack("{s:i, s:i, s:i, s:i, s:i}", "passed", res->passed,
				      "failed", res->failed, "broken", res->broken,
				      "skipped", res->skipped,
				      "cells", res->passed + res->failed + res->broken +
				      res->skipped));
	text = json_dumps(res->run, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	ret = text ? write_file_atomic(path, text, strlen(text)) : error("cannot encode run.json");
	free(text);
	free(path);
	return ret;
}
