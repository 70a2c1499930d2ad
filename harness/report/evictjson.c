// SPDX-License-Identifier: GPL-2.0-only
/* evictjson.c - run.json's evictor, its evictions and the agent's samples, for one cell. */
#include "report/evictjson.h"

#include <stdlib.h>

#include "report/jsontext.h"
#include "util.h"

/*
 * A cell with an evictor says which ran, how (its pid and the oom_score_adj it ran at), when
 * it was ready, where its log is, and each process it killed: the victim, the signal, the
 * sender from the kernel's trace and the evictor's own line for it, with what the samples
 * showed then. Every cell keeps its samples (thinned to SAMPLES_MAX, evenly), the inputs the
 * evictors decide by: MemAvailable, SwapFree, PSI, each workload's RSS and oom_score, each
 * group's usage and pressure.
 */

#define SAMPLES_MAX 150

json_t *evictor_json(const struct oracle_ctx *ctx, const char *celldir)
{
	const struct observation *obs = ctx->obs;
	const struct sc_evictor_kind *kind = ctx->cell->sc->evictor.kind;
	char *log;
	json_t *j;

	if (!kind)
		return json_null();
	log = xasprintf("%s/evictor.log", celldir);
	j = json_pack("{s:s, s:o, s:i, s:s, s:b, s:o, s:o, s:o, s:i}",
		      "program", kind->program,
		      "pid", obs->ev.started ? json_integer(obs->ev.pid) : json_null(),
		      "oom_score_adj", obs->ev.adj, "adj_source", kind->adj_why,
		      "ready", obs->ev.ready,
		      "ready_ms", obs->ev.ready ? json_integer(obs->ev.ready_ms -
							       obs->ev.start_ms) : json_null(),
		      "ended", !obs->ev.ended ? json_null() :
		      obs->ev.signaled ? json_pack("{s:i}", "signal", obs->ev.sig) :
		      json_pack("{s:i}", "status", obs->ev.code),
		      "log", jsontext(log), "lines", obs->ev.nlog);
	free(log);
	return j;
}

/* A node's eviction names its pod and what kubelet acted on ("cause"). */
static int add_pod(json_t *o, const struct oracle_ctx *ctx, const struct eviction *ev)
{
	int p = oracle_pod_of(ctx->cell->sc, ev->w);

	return json_object_set_new(o, "pod", p >= 0 ? jsontext(ctx->cell->sc->pods[p].name) :
				   json_null()) ||
	       json_object_set_new(o, "cause", ev->cause[0] ? jsontext(ev->cause) : json_null());
}

json_t *evictions_json(const struct oracle_ctx *ctx)
{
	const struct obs_evictor *oe = &ctx->obs->ev;
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < ctx->nevictions; i++) {
		const struct eviction *ev = &ctx->evictions[i];
		const struct obs_sample *s = ev->sample >= 0 ? &ctx->obs->samples[ev->sample] :
					     NULL;
		char *evidence = ev->logline >= 0 ?
			xasprintf("evictor.log:%d: %s", ev->logline + 1, oe->log[ev->logline].text) :
			NULL;

		if (json_array_append_new(a, json_pack(
			"{s:i, s:o, s:o, s:b, s:s, s:i, s:{s:i, s:o}, s:I, s:o, s:o, s:s, s:o,"
			" s:{s:o, s:o}}",
			"pid", ev->task->pid, "comm", jsontext(ev->task->comm),
			"workload", ev->w ? jsontext(ev->w->name) : json_null(),
			"descendant", ev->descendant, "by", oe->program, "signal", ev->sig,
			"sender", "pid", ev->task->sender, "comm", jsontext(ev->task->sender_comm),
			"t_ms", (json_int_t)(ev->ns / 1000000ULL),
			"avail_kb", s ? json_integer((json_int_t)obs_sample_get(s, "avail_kb", -1)) :
			json_null(),
			"evidence", evidence ? jsontext(evidence) : json_null(),
			"judgement", evict_verdict_name(ev->verdict),
			"judgement_why", ev->judgement[0] ? jsontext(ev->judgement) : json_null(),
			"condition", "off_ms", ev->cond_off_ms >= 0 ? json_integer(ev->cond_off_ms) :
			json_null(), "on_ms", ev->cond_on_ms >= 0 ? json_integer(ev->cond_on_ms) :
			json_null())) < 0 ||
		    (ctx->cell->sc->node.on && add_pod(json_array_get(a, json_array_size(a) - 1),
						       ctx, ev))) {
			json_decref(a);
			a = NULL;
		}
		free(evidence);
	}
	return a;
}

json_t *samples_json(const struct observation *obs)
{
	json_t *a = json_array();
	int i, k, step = (obs->nsamples + SAMPLES_MAX - 1) / SAMPLES_MAX;

	if (step < 1)
		step = 1;
	for (i = 0; a && i < obs->nsamples; i += step) {
		const struct obs_sample *s = &obs->samples[i];
		json_t *o = json_pack("{s:I}", "t_ms", (json_int_t)s->ms);

		for (k = 0; o && k < s->nkv; k++)
			if (json_object_set_new(o, s->kv[k].key, json_real(s->kv[k].v)) < 0) {
				json_decref(o);
				o = NULL;
			}
		if (!o || json_array_append_new(a, o) < 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}
