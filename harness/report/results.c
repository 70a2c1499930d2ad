// SPDX-License-Identifier: GPL-2.0-only
/* results.c - run.json (KTAP, JUnit and HTML from it): the run and every finished cell. */
#include "report/results.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/ktap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/evictjson.h"
#include "report/jsontext.h"
#include "util.h"

/*
 * The name is claimed by mkdir() itself, which fails with EEXIST when another run (here or
 * in another oomlab) holds it: no window between looking and creating, as a check with
 * access() and then mkdir -p had, where two runs of one second shared a folder.
 */
char *results_new_run(const char *parent, time_t t)
{
	char stamp[32];
	struct tm tm;
	int n;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (n = 1; n <= 1000; n++) {
		char *id = n > 1 ? xasprintf("%s-%d", stamp, n) : xstrdup(stamp);
		char *dir = xasprintf("%s/%s", parent, id);

		if (mkdir(dir, 0755) == 0) {
			free(dir);
			return id;
		}
		free(id);
		if (errno != EEXIST) {
			error_errno("cannot create run folder '%s'", dir);
			free(dir);
			return NULL;
		}
		free(dir);
	}
	error("cannot create a run folder under '%s': 1000 runs started at %s", parent, stamp);
	return NULL;
}

void results_point_latest(const char *results_dir, const char *run_id)
{
	char *tmp = xasprintf("%s/.latest.%d", results_dir, (int)getpid());
	char *latest = xasprintf("%s/latest", results_dir);

	unlink(tmp);
	if (symlink(run_id, tmp) < 0 || rename(tmp, latest) < 0)
		warning("cannot point '%s' at '%s': %s", latest, run_id, strerror(errno));
	free(tmp);
	free(latest);
}

int results_init(struct results *res, const char *dir, const char *run_id)
{
	memset(res, 0, sizeof(*res));
	if (mkdir_p(dir, 0755) < 0)
		return error_errno("cannot create results directory '%s'", dir);
	res->dir = xstrdup(dir);
	res->run = json_pack("{s:i, s:o, s:b, s:[]}", "oomlab_results", 1, "run_id",
			     jsontext(run_id), "interrupted", 0, "cells");
	if (!res->run)
		return error("cannot start run.json in '%s'", dir);
	return 0;
}

int results_resume(struct results *res, const char *dir, json_t *run)
{
	json_t *cells = json_object_get(run, "cells"), *c;
	size_t i;

	memset(res, 0, sizeof(*res));
	if (!json_is_array(cells))
		return error("'%s/run.json' has no \"cells\" array", dir);
	json_array_foreach(cells, i, c) {
		const char *v = json_string_value(json_object_get(c, "verdict"));

		if (!v || !json_is_string(json_object_get(c, "id")))
			return error("'%s/run.json': cell %zu has no id or verdict", dir, i);
		if (!strcmp(v, "PASS"))
			res->passed++;
		else if (!strcmp(v, "FAIL"))
			res->failed++;
		else if (!strcmp(v, "BROK"))
			res->broken++;
		else if (!strcmp(v, "CONF"))
			res->skipped++;
		else
			return error("'%s/run.json': cell %zu has verdict '%s'", dir, i, v);
	}
	res->dir = xstrdup(dir);
	res->run = run;
	json_object_set_new(run, "interrupted", json_false());
	json_object_del(run, "interrupted_by");
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
	/* NULL: a json_pack() failed, which its escaped text leaves to a lack of memory */
	if (!value || json_object_set_new(res->run, key, value) < 0)
		die("cannot encode '%s' for run.json", key);
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

/*
 * Appends v to the array a (stealing it). Returns 0, or -1 when v is NULL (a json_pack() or
 * an allocation failed) or could not be added: the caller must not write a record that
 * silently lacks it.
 */
static int append(json_t *a, json_t *v)
{
	if (!v)
		return -1;
	return a ? json_array_append_new(a, v) : (json_decref(v), -1);
}

/* An array of names, or NULL when one could not be added. */
static json_t *name_array(char **names, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++)
		if (append(a, jsontext(names[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *row_json(const struct badness_row *row)
{
	if (!row)
		return json_null();
	return json_pack("{s:i, s:o, s:I}", "pid", row->task->pid, "comm",
			 jsontext(row->task->name), "points", (json_int_t)row->points);
}

/* The badness oracle's judgement of one kill (oracle_badness.c). */
static json_t *badness_json(const struct judged_kill *jk)
{
	const struct badness *b = &jk->badness;

	if (!jk->judged)
		return json_null();
	return json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:I, s:o}",
			 "judgement", badness_verdict_name(b->verdict),
			 "generation", oom_gen_name(b->gen), "totalpages", (json_int_t)b->totalpages,
			 "victim_points", b->victim_row ? json_integer(b->victim_row->points) :
			 json_null(), "winner", row_json(b->winner), "runner_up", row_json(b->runner_up),
			 "margin", (json_int_t)b->margin, "reason", jsontext(b->reason));
}

static json_t *expected_json(const struct sc_rule *rule)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:s, s:o, s:b, s:o, s:i}",
			 "panic", rule->panic ? json_string(sc_panic_name(rule->panic)) : json_null(),
			 "refused", rule->refused_key ?
			 json_pack("{s:o, s:s}", "key", jsontext(rule->refused_key), "errno",
				   sc_errno_name(rule->refused_errno)) : json_null(),
			 "killed", rule->has_killed ? name_array(rule->killed, rule->nkilled) :
			 json_null(),
			 "enomem", rule->has_enomem ? name_array(rule->enomem, rule->nenomem) :
			 json_null(),
			 "by", rule->by ? rule->by->program : "kernel",
			 "signal", rule->signal ? json_integer(rule->signal) : json_null(),
			 "evicted_before_kernel", rule->before_kernel,
			 "why", jsontext(rule->why), "rule_line", rule->pos.line);
}

/* The member key of o, created as an empty object when missing; NULL when it cannot be. */
static json_t *member(json_t *o, const char *key)
{
	json_t *m = o ? json_object_get(o, key) : NULL;

	if (o && !m && json_object_set_new(o, key, m = json_object()) < 0)
		return NULL;
	return m;
}

/*
 * {"box": {"memory.events": {"oom_kill": 1, ...}}}: each group's counters at the end, their
 * names as the guest wrote them (escaped). NULL when one could not be added.
 */
static json_t *counters_json(const struct observation *obs)
{
	json_t *o = json_object();
	int i, ret = 0;

	for (i = 0; i < obs->ncounters && !ret; i++) {
		const struct obs_counter *c = &obs->counters[i];
		char *group = jsontext_escape(c->group), *file = jsontext_escape(c->file);
		char *key = jsontext_escape(c->key);
		json_t *f = member(member(o, group), file), *v = json_integer(c->value);

		ret = f && v ? json_object_set_new(f, key, v) : (json_decref(v), -1);
		free(group);
		free(file);
		free(key);
	}
	if (ret < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static const char *workload_end(const struct oracle_ctx *ctx, const struct obs_workload *w)
{
	if (oracle_evicted_own(ctx, w))
		return "evicted";
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

/* The sender of what killed task t: a process, or the kernel in some task's context. */
static json_t *sender_json(const struct attrib_task *t)
{
	if (t->by == BY_SIGNAL && t->sender)
		return json_pack("{s:i, s:o, s:b}", "pid", t->sender, "comm",
				 jsontext(t->sender_comm), "kernel", 0);
	if ((t->by == BY_KERNEL_OOM || t->by == BY_KERNEL_SIGNAL) && t->sender)
		return json_pack("{s:i, s:o, s:b}", "pid", t->sender, "comm",
				 jsontext(t->sender_comm), "kernel", 1);
	return json_null();
}

/* 1 when a kill line of the cell named task t as a memory cgroup OOM's victim. */
static int memcg_victim(const struct oracle_ctx *ctx, const struct attrib_task *t)
{
	int i;

	for (i = 0; i < ctx->nkills; i++)
		if (ctx->kills[i].task == t)
			return ctx->kills[i].k->kind == OOM_KIND_MEMCG;
	return 0;
}

#define DEATHS_MAX 256 /* a fork storm ends thousands of tasks: the rest are counted */

/*
 * What ended each task, from the trace (attrib.h): every kill, every death by a signal, and
 * every workload's own process, one by one; the tasks that simply exited, counted per
 * workload. Sets *deaths, *exits and *left_out; returns -1 when jansson failed.
 */
static int deaths_json(const struct oracle_ctx *ctx, json_t **deaths, json_t **exits,
		       int *left_out)
{
	const struct attribution *a = &ctx->attrib;
	int i, bad = 0;

	*deaths = json_array();
	*exits = json_object();
	*left_out = 0;
	for (i = 0; i < a->ntasks && *deaths && *exits; i++) {
		const struct attrib_task *t = &a->tasks[i];
		const char *wl = t->wl >= 0 ? ctx->obs->wl[t->wl].name : NULL;

		if (t->by == BY_ALIVE)
			continue;
		if (t->by == BY_EXIT && !t->own) {
			char *key = jsontext_escape(wl ? wl : "(none)");
			json_t *n = json_object_get(*exits, key);

			bad |= json_object_set_new(*exits, key, json_integer(
				n ? json_integer_value(n) + 1 : 1)) < 0;
			free(key);
			continue;
		}
		if (json_array_size(*deaths) == DEATHS_MAX) {
			(*left_out)++;
			continue;
		}
		bad |= append(*deaths, json_pack(
			"{s:i, s:o, s:o, s:b, s:s, s:o, s:o, s:I}", "pid", t->pid,
			"comm", jsontext(t->comm), "workload", wl ? jsontext(wl) : json_null(),
			"own", t->own, "by", attrib_by_name(t->by, memcg_victim(ctx, t)),
			"signal", t->sig ? json_integer(t->sig) : json_null(),
			"sender", sender_json(t),
			"t_ms", (json_int_t)(t->died_ns / 1000000ULL))) < 0;
	}
	return !*deaths || !*exits || bad ? -1 : 0;
}

static json_t *attribution_json(const struct oracle_ctx *ctx)
{
	const struct observation *obs = ctx->obs;
	static const char *const source[] = {
		[ATTRIB_NONE] = "none", [ATTRIB_TRACE] = "trace",
		[ATTRIB_LINEAGE] = "proc-connector",
	};

	return json_pack("{s:s, s:o, s:i, s:I, s:I, s:I, s:i}",
			 "source", source[ctx->attrib.source],
			 "why", ctx->attrib.why[0] ? jsontext(ctx->attrib.why) : json_null(),
			 "events", obs->ntrace, "lost", (json_int_t)(obs->trace_lost +
								obs->lineage_lost),
			 "peak_bytes", (json_int_t)obs->trace_peak_bytes,
			 "buffer_kb", (json_int_t)obs->trace_buffer_kb,
			 "unattributed", ctx->unattributed);
}

/* Whether a knob limits a group's memory (not its swap, nor memory and swap together) */
static int memory_limit(const struct sc_known_knob *kn, long long v)
{
	return kn && kn->kind == SC_KNOB_LIMIT && v > 0 && !strstr(kn->key, "swap") &&
	       !strstr(kn->key, "memsw");
}

/* The memory limits of the cell's groups, fixed or the cell's values of axes over them */
static json_t *limits_json(const struct cell *c)
{
	const struct scenario *sc = c->sc;
	json_t *a = json_array();
	int g, k, x, bad = 0;

	for (g = 0; g < sc->ngroups; g++)
		for (k = 0; k < sc->groups[g].nknobs; k++)
			if (memory_limit(sc->groups[g].knobs[k].known, sc->groups[g].knobs[k].value))
				bad |= append(a, json_pack("{s:o, s:s, s:I}", "group",
							   jsontext(sc->groups[g].name), "knob",
							   sc->groups[g].knobs[k].known->key, "bytes",
							   (json_int_t)sc->groups[g].knobs[k].value));
	/* an axis is over a knob its group does not fix */
	for (x = 0; x < sc->naxes; x++)
		if (sc->axes[x].group >= 0 &&
		    memory_limit(sc->axes[x].knob, sc->axes[x].values[c->vi[x]]))
			bad |= append(a, json_pack("{s:o, s:s, s:I}", "group",
						   jsontext(sc->groups[sc->axes[x].group].name),
						   "knob", sc->axes[x].knob->key, "bytes",
						   (json_int_t)sc->axes[x].values[c->vi[x]]));
	if (bad) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *results_cell(const struct oracle_ctx *ctx, const struct verdict_report *rep,
		     const char *kernel_tag, double wall_s, const char *celldir,
		     const char *kernel_log, size_t loglen)
{
	const struct cell *c = ctx->cell;
	const struct observation *obs = ctx->obs;
	json_t *params = json_object(), *kills = json_array(), *enomem = json_array();
	json_t *findings = json_array(), *wls = json_array(), *cell;
	char line[1024], *path[3];
	int i, j, bad = 0;

	for (i = 0; i < c->sc->naxes; i++)
		bad |= !params || json_object_set_new(params, c->sc->axes[i].key, json_integer(
			c->sc->axes[i].values[c->vi[i]])) < 0;
	for (i = 0; i < ctx->nkills; i++) {
		const struct judged_kill *jk = &ctx->kills[i];

		bad |= append(kills, json_pack(
			"{s:i, s:o, s:s, s:b, s:b, s:o, s:b, s:s, s:o, s:o, s:i, s:i, s:o}",
			"pid", jk->k->pid, "comm", jsontext(jk->k->comm),
			"kind", jk->k->kind == OOM_KIND_MEMCG ? "memcg" : "global",
			"allocating", jk->k->allocating, "group", jk->k->group,
			"workload", jk->w ? jsontext(jk->w->name) : json_null(),
			"descendant", jk->descendant,
			"by", attrib_by_name(BY_KERNEL_OOM, jk->k->kind == OOM_KIND_MEMCG),
			"sender", jk->task ? sender_json(jk->task) : json_null(),
			"oom_score_adj", jk->k->has_adj ? json_integer(jk->k->oom_score_adj) :
			json_null(), "line", jk->k->line, "lines", jk->k->printed,
			"badness", badness_json(jk))) < 0;
	}
	for (i = 0; i < obs->nwl; i++) {
		const struct obs_workload *w = &obs->wl[i];

		if (w->enomem)
			bad |= append(enomem, jsontext(w->name)) < 0;
		bad |= append(wls, json_pack(
			"{s:o, s:i, s:i, s:s, s:o, s:I, s:o, s:b, s:o, s:o}", "name", jsontext(w->name),
			"pid", w->pid, "oom_score_adj", w->adj, "end", workload_end(ctx, w),
			"phase", jsontext(w->phase), "bytes", (json_int_t)w->bytes,
			"max_rss_kb", w->max_rss_kb > 0 ? json_integer(w->max_rss_kb) : json_null(),
			"enomem", w->enomem,
			"enomem_bytes", w->enomem ? json_integer(w->enomem_bytes) : json_null(),
			"enomem_ms", w->enomem ? json_integer(w->enomem_ms) : json_null())) < 0;
	}
	for (i = 0; i < rep->nfindings; i++) {
		const struct finding *f = &rep->findings[i];
		json_t *ev = json_array();

		for (j = 0; j < f->nlines; j++) {
			char *text;

			log_line(kernel_log, loglen, f->lines[j], line, sizeof(line));
			text = xasprintf("kernel.log:%d: %s", f->lines[j], line);
			bad |= append(ev, jsontext(text)) < 0;
			free(text);
		}
		for (j = 0; j < f->nevlines; j++) {
			char *text = xasprintf("evictor.log:%d: %s", f->evlines[j],
					       obs->ev.log[f->evlines[j] - 1].text);

			bad |= append(ev, jsontext(text)) < 0;
			free(text);
		}
		bad |= append(findings, json_pack("{s:s, s:o, s:o, s:o}", "check", f->check,
						  "expected", jsontext(f->expected),
						  "seen", jsontext(f->seen), "evidence", ev)) < 0;
	}
	path[0] = xasprintf("%s/console.log", celldir);
	path[1] = xasprintf("%s/agent.log", celldir);
	path[2] = xasprintf("%s/kernel.log", celldir);
	cell = json_pack(
		"{s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:o, s:o,"
		" s:o, s:o, s:o, s:o}",
		"id", jsontext(c->id), "scenario", jsontext(c->sc->name),
		"kernel", jsontext(kernel_tag), "params", params,
		"verdict", verdict_name(rep->verdict), "ending", vm_ending_name(ctx->ending),
		"panic_message", ctx->log->has_panic ? jsontext(ctx->log->panic) : json_null(),
		"kills", kills, "enomem", enomem, "expected", expected_json(c->rule),
		"reason", jsontext(rep->reason ? rep->reason : ""), "findings", findings,
		"wall_s", wall_s, "workloads", wls,
		"meminfo", json_pack("{s:I, s:I, s:I, s:I}",
				     "total_kb", (json_int_t)obs->mem_total_kb,
				     "avail_kb", (json_int_t)obs->mem_avail_kb,
				     "commit_limit_kb", (json_int_t)obs->commit_limit_kb,
				     "min_avail_kb", (json_int_t)obs->min_avail_kb),
		"counters", json_pack("{s:o, s:o}", "vmstat_oom_kill",
				      obs->vmstat_oom_kill < 0 ? json_null() :
				      json_integer(obs->vmstat_oom_kill),
				      "groups", counters_json(obs)),
		"console", jsontext(path[0]), "agent", jsontext(path[1]),
		"kernel_log", jsontext(path[2]));
	for (i = 0; i < 3; i++)
		free(path[i]);
	if (cell) {
		json_t *deaths, *exits;
		int left_out;

		bad |= deaths_json(ctx, &deaths, &exits, &left_out);
		bad |= json_object_set_new(cell, "attribution", attribution_json(ctx)) < 0;
		bad |= json_object_set_new(cell, "deaths", deaths) < 0;
		bad |= json_object_set_new(cell, "deaths_left_out", json_integer(left_out)) < 0;
		bad |= json_object_set_new(cell, "exits", exits) < 0;
		bad |= json_object_set_new(cell, "evictor", evictor_json(ctx, celldir)) < 0;
		bad |= json_object_set_new(cell, "evictions", evictions_json(ctx)) < 0;
		bad |= json_object_set_new(cell, "samples", samples_json(obs)) < 0;
		bad |= json_object_set_new(cell, "limits", limits_json(c)) < 0;
	}
	if (!cell || bad) {
		json_decref(cell);
		error("cannot encode the results of cell '%s' for run.json", c->id);
		return NULL;
	}
	return cell;
}

int results_add(struct results *res, json_t *cell, enum verdict v)
{
	if (!cell) /* results_cell() has said why */
		return -1;
	if (json_array_append_new(json_object_get(res->run, "cells"), cell) < 0)
		return error("cannot add a cell to run.json");
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
	char *path, *text;
	int ret;

	/* "cells" counts the records written, which results_add() keeps equal to the rest */
	if (json_object_set_new(res->run, "summary", json_pack(
			"{s:i, s:i, s:i, s:i, s:i}", "passed", res->passed, "failed", res->failed,
			"broken", res->broken, "skipped", res->skipped, "cells",
			(int)json_array_size(json_object_get(res->run, "cells")))) < 0)
		return error("cannot encode the summary of run.json");
	path = xasprintf("%s/run.json", res->dir);
	text = json_dumps(res->run, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	ret = text ? write_file_atomic(path, text, strlen(text)) : error("cannot encode run.json");
	free(text);
	free(path);
	/* the same for a CI and for a person, from the document just written */
	return ret ? ret : results_write_views(res->dir, res->run);
}

int results_write_views(const char *dir, const json_t *run)
{
	char *path, *text;
	int ret;

	path = xasprintf("%s/results.ktap", dir);
	text = ktap_text(run);
	ret = write_file_atomic(path, text, strlen(text));
	free(text);
	free(path);
	if (!ret) {
		path = xasprintf("%s/junit.xml", dir);
		text = junit_text(run);
		ret = text ? write_file_atomic(path, text, strlen(text)) :
			     error("cannot encode junit.xml");
		free(text);
		free(path);
	}
	/* each cell's own page is written as it finishes (results_cell_pages()) */
	if (!ret) {
		path = xasprintf("%s/index.html", dir);
		text = html_index_text(run);
		ret = write_file_atomic(path, text, strlen(text));
		free(text);
		free(path);
	}
	return ret;
}

char *results_run_dir(const char *results, const char *arg)
{
	struct stat st;

	if (strchr(arg, '/') || (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)))
		return xstrdup(arg);
	return xasprintf("%s/%s", results, arg);
}

int results_plan_values(const json_t *run, const char *key, const char ***out)
{
	const json_t *p;
	const char **v = NULL;
	size_t i, alloc = 0;
	int n = 0, k;

	json_array_foreach(json_object_get(run, "plan"), i, p) {
		const char *s = json_str(p, key);

		for (k = 0; k < n && strcmp(v[k], s); k++)
			;
		if (k < n)
			continue;
		ALLOC_GROW(v, (size_t)n + 1, alloc);
		v[n++] = s;
	}
	*out = v;
	return n;
}

json_t *results_cells_by_id(const json_t *run)
{
	json_t *map = json_object(), *c;
	size_t i;

	json_array_foreach(json_object_get(run, "cells"), i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));

		if (map && id && json_object_set(map, id, c) < 0) {
			json_decref(map);
			return NULL;
		}
	}
	return map;
}

int results_cell_pages(const char *dir, const json_t *cell, const char *klog, size_t len)
{
	const char *id = json_string_value(json_object_get(cell, "id"));
	char *page, *path, *title;
	int ret;

	if (!id)
		return error("a cell of '%s/run.json' has no id", dir);
	page = html_cell_text(cell, klog, len);
	path = xasprintf("%s/%s/index.html", dir, id);
	ret = write_file_atomic(path, page, strlen(page));
	free(page);
	free(path);
	title = xasprintf("%s: kernel.log", id);
	page = html_log_text(title, klog, len);
	path = xasprintf("%s/%s/kernel.log.html", dir, id);
	ret |= write_file_atomic(path, page, strlen(page));
	free(page);
	free(path);
	free(title);
	return ret ? -1 : 0;
}
