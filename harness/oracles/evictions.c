// SPDX-License-Identifier: GPL-2.0-only
/* evictions.c - the evictor's kills: from the kernel's record of signals, with its own lines. */
#include "oracles/oracle.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * Who killed a task is the kernel's to say, not the evictor's: an eviction is a task of the
 * trace that died of a signal whose sender (signal_generate's common_pid) was the evictor's
 * process or a task the trace saw it create (a thread). The evictor's own line for each kill
 * is the second witness (earlyoom's and oomd's name the pid, systemd-oomd's the cgroup): it
 * is found here and kept as the eviction's evidence, and an eviction without one is for
 * oracle_evictor (oracle_evict.c) to report.
 */

int eviction_sender_is_evictor(const struct oracle_ctx *ctx, int pid)
{
	const struct attribution *a = &ctx->attrib;
	const struct attrib_task *t;
	int i, depth;

	if (!ctx->obs->ev.started || !pid)
		return 0;
	if (pid == ctx->obs->ev.pid)
		return 1;
	for (i = 0; i < a->ntasks; i++) {
		if (a->tasks[i].pid != pid)
			continue;
		for (t = &a->tasks[i], depth = 0; t->parent >= 0 && depth < 64; depth++) {
			t = &a->tasks[t->parent];
			if (t->pid == ctx->obs->ev.pid)
				return 1;
		}
	}
	return 0;
}

/* text holds num as a whole number: not a part of a longer one. */
static int names_number(const char *text, int num)
{
	char want[16];
	const char *p = text;
	size_t n;

	n = (size_t)snprintf(want, sizeof(want), "%d", num);
	while ((p = strstr(p, want))) {
		if ((p == text || !isdigit((unsigned char)p[-1])) && !isdigit((unsigned char)p[n]))
			return 1;
		p += n;
	}
	return 0;
}

/* text names the cgroup group ("box/inner") as a path: ".../box/inner" ending a word. */
static int names_group(const char *text, const char *group)
{
	char *want = xasprintf("/%s", group);
	const char *p = text;
	size_t n = strlen(want);
	int found = 0;

	while (!found && (p = strstr(p, want))) {
		found = !p[n] || isspace((unsigned char)p[n]) || strchr("'\":,)", p[n]);
		p += n;
	}
	free(want);
	return found;
}

/* The evictor's first unused kill line that names the victim. */
static int find_log_line(const struct oracle_ctx *ctx, const struct eviction *ev,
			 const char *used)
{
	const struct obs_evictor *oe = &ctx->obs->ev;
	const char *marker = ctx->cell->sc->evictor.kind->kill;
	int i;

	for (i = 0; i < oe->nlog; i++) {
		const char *text = oe->log[i].text;

		if (used[i] || !strstr(text, marker))
			continue;
		if (names_number(text, ev->task->pid) ||
		    (ev->w && ev->w->group[0] && names_group(text, ev->w->group)))
			return i;
	}
	return -1;
}

static int cmp_eviction(const void *a, const void *b)
{
	const struct eviction *x = a, *y = b;

	return x->ns < y->ns ? -1 : x->ns > y->ns;
}

void evictions_init(struct oracle_ctx *ctx)
{
	const struct observation *obs = ctx->obs;
	const struct attribution *a = &ctx->attrib;
	char *used;
	int i, s;

	if (!obs->ev.started || !ctx->cell->sc->evictor.kind || a->source != ATTRIB_TRACE)
		return;
	for (i = 0; i < a->ntasks; i++) {
		const struct attrib_task *t = &a->tasks[i];
		struct eviction *ev;

		if ((t->by != BY_SIGNAL && t->by != BY_KERNEL_SIGNAL) ||
		    !eviction_sender_is_evictor(ctx, t->sender))
			continue;
		ctx->evictions = xrealloc(ctx->evictions,
					  (size_t)(ctx->nevictions + 1) * sizeof(*ev));
		ev = &ctx->evictions[ctx->nevictions++];
		memset(ev, 0, sizeof(*ev));
		ev->task = t;
		ev->sig = t->sig;
		ev->ns = t->sig_ns;
		if (t->wl >= 0) {
			ev->w = &obs->wl[t->wl];
			ev->descendant = !t->own;
		}
	}
	qsort(ctx->evictions, (size_t)ctx->nevictions, sizeof(*ctx->evictions), cmp_eviction);
	used = xcalloc((size_t)obs->ev.nlog + 1, 1);
	for (i = 0; i < ctx->nevictions; i++) {
		struct eviction *ev = &ctx->evictions[i];

		ev->logline = find_log_line(ctx, ev, used);
		if (ev->logline >= 0)
			used[ev->logline] = 1;
		ev->sample = -1;
		ev->cond_off_ms = ev->cond_on_ms = -1;
		for (s = 0; s < obs->nsamples; s++)
			if ((unsigned long long)obs->samples[s].ms * 1000000ULL <= ev->ns)
				ev->sample = s;
		if (!strcmp(obs->ev.program, "earlyoom"))
			earlyoom_judge(ctx, ev);
		else if (!strcmp(obs->ev.program, "oomd"))
			oomd_judge(ctx, ev);
		else if (!strcmp(obs->ev.program, "systemd-oomd"))
			sdoomd_judge(ctx, ev);
		else if (!strcmp(obs->ev.program, "kubelet"))
			kubelet_judge(ctx, ev);
	}
	free(used);
}

void eviction_condition(const struct oracle_ctx *ctx, struct eviction *ev,
			int (*held)(const struct oracle_ctx *ctx, const struct obs_sample *s,
				    const void *arg), const void *arg)
{
	const struct observation *obs = ctx->obs;
	int s = ev->sample;

	ev->cond_off_ms = ev->cond_on_ms = -1;
	if (s < 0)
		return;
	if (!held(ctx, &obs->samples[s], arg)) {
		/* it came after the last sample: the next one shows it, if the kill left it */
		ev->cond_off_ms = obs->samples[s].ms;
		if (s + 1 < obs->nsamples && held(ctx, &obs->samples[s + 1], arg))
			ev->cond_on_ms = obs->samples[s + 1].ms;
		return;
	}
	while (s > 0 && held(ctx, &obs->samples[s - 1], arg))
		s--;
	ev->cond_on_ms = obs->samples[s].ms;
	if (s > 0)
		ev->cond_off_ms = obs->samples[s - 1].ms;
}

void oracle_evict_choice(const struct oracle_ctx *ctx, struct verdict_report *r,
			 const char *program, const char *expected)
{
	int i;

	if (!ctx->cell->sc->evictor.kind || strcmp(ctx->cell->sc->evictor.kind->program, program))
		return;
	for (i = 0; i < ctx->nevictions; i++) {
		const struct eviction *ev = &ctx->evictions[i];
		struct finding *f;
		char *victim;

		if (ev->verdict != EVICT_WRONG)
			continue;
		victim = eviction_victim(ev);
		f = finding_add(r, xstrdup(expected), xasprintf("it killed %s: %s", victim,
								  ev->judgement));
		finding_evline(f, ev->logline);
		free(victim);
	}
}

int oracle_evicted_own(const struct oracle_ctx *ctx, const struct obs_workload *w)
{
	int i;

	for (i = 0; i < ctx->nevictions; i++)
		if (ctx->evictions[i].w == w && !ctx->evictions[i].descendant &&
		    (!w->signaled || ctx->evictions[i].sig == w->sig))
			return 1;
	return 0;
}

char *eviction_victim(const struct eviction *ev)
{
	if (ev->descendant)
		return xasprintf("'%s' (pid %d, a child of '%s')", ev->task->comm, ev->task->pid,
				 ev->w->name);
	return xasprintf("'%s' (pid %d)", ev->w ? ev->w->name : ev->task->comm, ev->task->pid);
}

int eviction_sample_before(const struct observation *obs, int s, long ms)
{
	long long at = obs->samples[s].ms;

	while (s > 0 && obs->samples[s].ms > at - ms)
		s--;
	return s;
}

enum evict_verdict eviction_verdict(const char *victim, const char *now, const char *before,
				    int tie)
{
	int in_now = now && !strcmp(now, victim), in_before = before && !strcmp(before, victim);

	if (in_now && in_before && !tie)
		return EVICT_CONSISTENT;
	return in_now || in_before || tie ? EVICT_AMBIGUOUS : EVICT_WRONG;
}

const char *evict_verdict_name(enum evict_verdict v)
{
	static const char *const name[] = {
		[EVICT_UNJUDGED] = "unjudged", [EVICT_CONSISTENT] = "consistent",
		[EVICT_AMBIGUOUS] = "ambiguous", [EVICT_WRONG] = "wrong",
	};

	return name[v];
}

const char *signal_name(int sig)
{
	static char buf[16];

	if (sig == 9)
		return "SIGKILL";
	if (sig == 15)
		return "SIGTERM";
	snprintf(buf, sizeof(buf), "signal %d", sig);
	return buf;
}

/*
 * What the evictor decides by, as the last sample before the signal showed it: earlyoom,
 * MemAvailable (and SwapFree, with swap); oomd and systemd-oomd, SwapFree with swap, else
 * the memory pressure ("full" avg10) of the group above the victim's, where their pressure
 * rules watch.
 */
char *eviction_when(const struct oracle_ctx *ctx, const struct eviction *ev)
{
	const struct observation *obs = ctx->obs;
	const struct obs_sample *s;
	double avail, swapfree, psi;
	const char *slash;
	char key[160];

	if (ev->sample < 0 || obs->mem_total_kb <= 0)
		return xstrdup(signal_name(ev->sig));
	s = &obs->samples[ev->sample];
	avail = obs_sample_get(s, "avail_kb", -1);
	swapfree = obs_sample_get(s, "swapfree_kb", -1);
	if (!strcmp(obs->ev.program, "earlyoom") && avail >= 0) {
		if (obs->swap_total_kb > 0 && swapfree >= 0)
			return xasprintf("%s at MemAvailable %.1f%%, SwapFree %.1f%%",
					 signal_name(ev->sig), avail * 100.0 / obs->mem_total_kb,
					 swapfree * 100.0 / obs->swap_total_kb);
		return xasprintf("%s at MemAvailable %.1f%%", signal_name(ev->sig),
				 avail * 100.0 / (double)obs->mem_total_kb);
	}
	if (obs->swap_total_kb > 0 && swapfree >= 0)
		return xasprintf("%s at SwapFree %.1f%%", signal_name(ev->sig),
				 swapfree * 100.0 / (double)obs->swap_total_kb);
	if (ev->w && ev->w->group[0]) {
		slash = strrchr(ev->w->group, '/');
		snprintf(key, sizeof(key), "psi.%.*s.full10",
			 slash ? (int)(slash - ev->w->group) : (int)strlen(ev->w->group),
			 ev->w->group);
		psi = obs_sample_get(s, key, -1);
		if (psi >= 0)
			return xasprintf("%s at %.*s full avg10 %.2f", signal_name(ev->sig),
					 (int)strlen(key) - 11, key + 4, psi);
	}
	return xstrdup(signal_name(ev->sig));
}
