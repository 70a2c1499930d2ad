// SPDX-License-Identifier: GPL-2.0-only
/* evict_earlyoom.c - earlyoom 1.7: when it signals and whom, recomputed from the samples. */
#include "oracles/oracle.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/proto.h"
#include "util.h"

/*
 * earlyoom 1.7 (Debian 12's 1.7-1+b1), read from its source at tag v1.7:
 *
 * When (main.c, lowmem_sig): it sends SIGKILL when MemAvailable% <= the kill percentage and
 * SwapFree% <= the swap kill percentage, else SIGTERM when both are at or below the term
 * percentages; both conditions, always. MemAvailable% is MemAvailable * 100 / MemTotal and
 * SwapFree% is SwapFree * 100 / SwapTotal, or 0 without swap (meminfo.c, parse_meminfo), so
 * without swap the swap condition always holds. -m TERM[,KILL] and -s TERM[,KILL] set them,
 * KILL defaulting to TERM / 2 (msg.c, parse_term_kill_tuple); defaults 10,5 and 10,5
 * (main.c); -M and -S give KiB, turned into percentages, the lower of -m and -M winning.
 * It polls every 100 to 1000 ms (main.c, sleep_time_ms).
 *
 * Whom (kill.c, find_largest_process and is_larger): every /proc pid but 1, ranked by
 * /proc/PID/oom_score, plus 300 when --prefer's extended regex matches its comm and minus
 * 300 when --avoid's does (BADNESS_PREFER, BADNESS_AVOID); a process with VmRSS 0 or
 * oom_score_adj -1000 is never chosen; a tie on that badness goes to the larger VmRSS, and a
 * full tie to the first in /proc order. It never chooses itself (kill_process).
 *
 * Here the candidates are the workloads' own processes as the agent sampled them (their
 * oom_score and RSS): the last sample at or before the signal, and the one before it. A
 * choice is consistent when the victim ranks first in a sample; ambiguous when another
 * workload ranked first by less than its badness moved between the two samples (earlyoom
 * read /proc between them); wrong otherwise. A victim that is not a workload's own process
 * (a child a workload forked) is not judged: the agent samples only the workloads' own.
 */

struct earlyoom_cfg {
	double mem_term, mem_kill, swap_term, swap_kill;
	char *prefer, *avoid;
	int bad;          /* an option the model does not read: no judgement */
	char why[96];
};

static void parse_tuple(const char *s, double *term, double *kill)
{
	char *end;

	*term = strtod(s, &end);
	*kill = *end == ',' ? strtod(end + 1, NULL) : *term / 2;
}

/* KiB as a percentage of total (-M, -S), the lower of it and the percentage winning. */
static void parse_kib(const char *s, double total_kb, double *term, double *kill)
{
	double t, k;

	parse_tuple(s, &t, &k);
	if (total_kb <= 0)
		return;
	t = t * 100 / total_kb;
	k = k * 100 / total_kb;
	if (t < *term)
		*term = t;
	if (k < *kill)
		*kill = k;
}

static void earlyoom_cfg(const struct oracle_ctx *ctx, struct earlyoom_cfg *c)
{
	const struct sc_evictor *sev = &ctx->cell->sc->evictor;
	char **argv = xcalloc((size_t)sev->nargs + 1, sizeof(*argv));
	char *m = NULL, *M = NULL, *sw = NULL, *S = NULL, num[24];
	int i;

	/* the cell's args: the scenario's, with a matrix axis's value in */
	for (i = 0; i < sev->nargs; i++)
		argv[i] = xstrdup(sc_evictor_arg(ctx->cell->sc, ctx->cell->vi, i, num,
						 sizeof(num)));
	memset(c, 0, sizeof(*c));
	c->mem_term = c->swap_term = 10;
	c->mem_kill = c->swap_kill = 5;
	for (i = 0; i < sev->nargs; i++) {
		char *o = argv[i], *v = i + 1 < sev->nargs ? argv[i + 1] : NULL;
		char **slot = !strcmp(o, "-m") ? &m : !strcmp(o, "-M") ? &M :
				    !strcmp(o, "-s") ? &sw : !strcmp(o, "-S") ? &S :
				    !strcmp(o, "--prefer") ? &c->prefer :
				    !strcmp(o, "--avoid") ? &c->avoid : NULL;

		if (slot && v) {
			*slot = v;
			i++;
		} else if ((!strcmp(o, "-r") || !strcmp(o, "-N")) && v) {
			i++; /* a report interval, a script: no bearing on the choice */
		} else if (strcmp(o, "-p") && strcmp(o, "-n") && strcmp(o, "-d") &&
			   strcmp(o, "-i")) {
			/* -g kills a process group, --dryrun nothing; others are unknown here */
			snprintf(c->why, sizeof(c->why), "earlyoom's option '%s' is not modelled",
				 o);
		}
	}
	c->prefer = c->prefer ? xstrdup(c->prefer) : NULL;
	c->avoid = c->avoid ? xstrdup(c->avoid) : NULL;
	if (m)
		parse_tuple(m, &c->mem_term, &c->mem_kill);
	if (sw)
		parse_tuple(sw, &c->swap_term, &c->swap_kill);
	if (M)
		parse_kib(M, (double)ctx->obs->mem_total_kb, &c->mem_term, &c->mem_kill);
	if (S)
		parse_kib(S, (double)ctx->obs->swap_total_kb, &c->swap_term, &c->swap_kill);
	c->bad = c->why[0] != '\0';
	for (i = 0; i < sev->nargs; i++)
		free(argv[i]);
	free(argv);
}

static void earlyoom_cfg_release(struct earlyoom_cfg *c)
{
	free(c->prefer);
	free(c->avoid);
}

static int matches(const char *re, const char *comm)
{
	regex_t r;
	int hit;

	if (!re || regcomp(&r, re, REG_EXTENDED | REG_NOSUB))
		return 0;
	hit = !regexec(&r, comm, 0, NULL, 0);
	regfree(&r);
	return hit;
}

/* A workload's badness in sample s as earlyoom computes it; -1: no candidate there. */
static long badness(const struct earlyoom_cfg *c, const struct obs_sample *s,
		    const struct obs_workload *w, double *rss)
{
	char key[48];
	double score;

	snprintf(key, sizeof(key), "score.%s", w->name);
	score = obs_sample_get(s, key, -1);
	snprintf(key, sizeof(key), "rss.%s", w->name);
	*rss = obs_sample_get(s, key, 0);
	if (score < 0 || *rss <= 0 || w->own_adj == -1000)
		return -1;
	return (long)score + (matches(c->prefer, w->name) ? 300 : 0) -
	       (matches(c->avoid, w->name) ? 300 : 0);
}

/* The workload earlyoom ranks first in sample s; its badness in *best. */
static const struct obs_workload *ranked_first(const struct oracle_ctx *ctx,
					       const struct earlyoom_cfg *c,
					       const struct obs_sample *s, long *best)
{
	const struct obs_workload *top = NULL;
	double top_rss = 0, rss;
	int i;

	*best = -1;
	for (i = 0; i < ctx->obs->nwl; i++) {
		const struct obs_workload *w = &ctx->obs->wl[i];
		long b = badness(c, s, w, &rss);

		if (b < 0 || b < *best || (b == *best && rss <= top_rss))
			continue;
		top = w;
		*best = b;
		top_rss = rss;
	}
	return top;
}

static void judge(const struct oracle_ctx *ctx, const struct earlyoom_cfg *c,
		  struct eviction *ev)
{
	const struct obs_sample *now, *before;
	const struct obs_workload *top;
	long best, prev_best, mine, mine_prev, moved;
	double rss;

	if (c->bad) {
		snprintf(ev->judgement, sizeof(ev->judgement), "%s", c->why);
		return;
	}
	if (!ev->w || ev->descendant) {
		snprintf(ev->judgement, sizeof(ev->judgement), "not a workload's own process: "
			 "the agent samples only theirs");
		return;
	}
	if (ev->sample < 0) {
		snprintf(ev->judgement, sizeof(ev->judgement), "no sample before it");
		return;
	}
	now = &ctx->obs->samples[ev->sample];
	before = ev->sample > 0 ? &ctx->obs->samples[ev->sample - 1] : now;
	top = ranked_first(ctx, c, now, &best);
	mine = badness(c, now, ev->w, &rss);
	if (top == ev->w || ranked_first(ctx, c, before, &prev_best) == ev->w) {
		ev->verdict = EVICT_CONSISTENT;
		snprintf(ev->judgement, sizeof(ev->judgement), "ranked first, badness %ld", mine);
		return;
	}
	mine_prev = badness(c, before, ev->w, &rss);
	moved = labs(best - prev_best) + (mine >= 0 && mine_prev >= 0 ? labs(mine - mine_prev) : 0);
	ev->verdict = mine >= 0 && best - mine <= moved ? EVICT_AMBIGUOUS : EVICT_WRONG;
	snprintf(ev->judgement, sizeof(ev->judgement), "'%s' ranked first with badness %ld, "
		 "'%s' had %ld (margin %ld, scores moved %ld between samples)",
		 top ? top->name : "?", best, ev->w->name, mine, best - mine, moved);
}

/* earlyoom's SIGTERM condition in a sample (main.c, lowmem_sig): both at or below. */
static int term_held(const struct oracle_ctx *ctx, const struct obs_sample *s, const void *arg)
{
	const struct earlyoom_cfg *c = arg;
	const struct observation *obs = ctx->obs;
	double avail = obs_sample_get(s, "avail_kb", -1), swapfree = obs_sample_get(s,
		"swapfree_kb", -1);

	if (avail < 0 || obs->mem_total_kb <= 0)
		return 0;
	return avail * 100 / (double)obs->mem_total_kb <= c->mem_term &&
	       (obs->swap_total_kb <= 0 ||
		(swapfree >= 0 && swapfree * 100 / (double)obs->swap_total_kb <= c->swap_term));
}

void earlyoom_judge(const struct oracle_ctx *ctx, struct eviction *ev)
{
	struct earlyoom_cfg c;

	earlyoom_cfg(ctx, &c);
	judge(ctx, &c, ev);
	if (!c.bad)
		eviction_condition(ctx, ev, term_held, &c);
	earlyoom_cfg_release(&c);
}

/*
 * The lowest key (avail_kb, swapfree_kb) can have read, as a percentage of total, when the
 * signal was sent: earlyoom reads /proc/meminfo between two of the agent's samples, and
 * under pressure the samples come late. So: every sample of the half second before, the
 * first one after (the kill's memory may already be back in it, never less), and what the
 * second before says of the signal's time. MemAvailable moves in steps, a chunk of the leak
 * at a time, so two samples in a row may read the same while memory still runs out: the
 * signal may come after the next step. So the last sample less the largest step of that
 * second, and the least-squares line through that second carried on to the signal's time.
 */
static double lowest_at(const struct observation *obs, const struct eviction *ev,
			const char *key, double total)
{
	const struct obs_sample *sm = obs->samples;
	double low = 1e9, t_sig = (double)ev->ns / 1e6, v, t, n = 0, st = 0, sv = 0, stt = 0,
	       stv = 0, prev, step = 0;
	int s, last = ev->sample;

	if (total <= 0)
		return 0; /* no swap: earlyoom counts SwapFree as 0 % */
	for (s = last; s >= 0 && (s == last || (double)sm[s].ms + 500 >= t_sig); s--)
		if ((v = obs_sample_get(&sm[s], key, -1)) >= 0 && v < low)
			low = v;
	for (s = last, prev = -1; s >= 0 && sm[s].ms + 1000 >= sm[last].ms; s--) {
		if ((v = obs_sample_get(&sm[s], key, -1)) < 0)
			continue;
		if (prev >= 0 && v - prev > step)
			step = v - prev; /* a fall from this sample to the next */
		prev = v;
		t = (double)(sm[s].ms - sm[last].ms); /* relative, for precision */
		n++;
		st += t;
		sv += v;
		stt += t * t;
		stv += t * v;
	}
	if ((v = obs_sample_get(&sm[last], key, -1)) >= 0 && v - step < low)
		low = v - step;
	if (n >= 2 && n * stt - st * st > 0) {
		double b = (n * stv - st * sv) / (n * stt - st * st), a = (sv - b * st) / n;

		v = a + b * (t_sig - (double)sm[last].ms);
		if (v < low)
			low = v;
	}
	if (last + 1 < obs->nsamples && (v = obs_sample_get(&sm[last + 1], key, -1)) >= 0 &&
	    v < low)
		low = v;
	return low * 100 / total;
}

/*
 * earlyoom: each eviction by earlyoom chose the workload its policy ranks first, and was
 * sent when memory (and swap) were at or below its limits for that signal, by the samples
 * around the signal (lowest_at), within half a percentage point.
 */
void oracle_earlyoom(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	struct earlyoom_cfg c;
	struct finding *f;
	int i;

	if (!ctx->cell->sc->evictor.kind ||
	    strcmp(ctx->cell->sc->evictor.kind->program, "earlyoom"))
		return;
	earlyoom_cfg(ctx, &c);
	for (i = 0; i < ctx->nevictions; i++) {
		const struct eviction *ev = &ctx->evictions[i];
		double lim_mem = ev->sig == 9 ? c.mem_kill : c.mem_term;
		double lim_swap = ev->sig == 9 ? c.swap_kill : c.swap_term;
		double low_mem, low_swap;
		char *victim;

		if (ev->verdict == EVICT_WRONG) {
			victim = eviction_victim(ev);
			f = finding_add(r, xasprintf("earlyoom evicts the process its policy ranks "
						 "first"),
				    xasprintf("it sent %s to %s: %s", signal_name(ev->sig), victim,
					      ev->judgement));
			finding_evline(f, ev->logline);
			free(victim);
		}
		if (c.bad || ev->sample < 0 || obs->mem_total_kb <= 0)
			continue;
		low_mem = lowest_at(obs, ev, "avail_kb", (double)obs->mem_total_kb);
		low_swap = lowest_at(obs, ev, "swapfree_kb", (double)obs->swap_total_kb);
		if (low_mem <= lim_mem + 0.5 && low_swap <= lim_swap + 0.5)
			continue;
		victim = eviction_victim(ev);
		f = finding_add(r, xasprintf("earlyoom sends %s only at MemAvailable <= %.2f%% and "
					 "SwapFree <= %.2f%%", signal_name(ev->sig), lim_mem,
					 lim_swap),
			    xasprintf("it sent %s to %s with MemAvailable at least %.2f%% and "
				      "SwapFree at least %.2f%% by the samples around it",
				      signal_name(ev->sig), victim, low_mem, low_swap));
		finding_evline(f, ev->logline);
		free(victim);
	}
	earlyoom_cfg_release(&c);
}
