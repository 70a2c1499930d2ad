// SPDX-License-Identifier: GPL-2.0-only
/* evict_kubelet.c - each pod kubelet's model evicted, re-ranked from the declared pods. */
#include "oracles/oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kubelet/kubelet.h"
#include "util.h"

/*
 * The model logs each pass it acts on (vmimages/kubelet/main.c, docs/kubelet.md):
 *   observe memory.available=N capacity=N ...
 *   met memory.available<100Mi hard available=N quantity=N ...
 *   rank memory.available: be{stats=1,priority=0,usage=N,request=N,procs=N} burst{...}
 *   evict pod be: The node was low on resource: ...
 *   killing pid 90 of pod be container be-leak with SIGTERM
 * An eviction's kill line is the "killing pid" line; the pass is the lines before it. The
 * pass is judged again here, from what the scenario declares rather than what the model read
 * of its pods file: each ranked pod's priority and request must be the declared ones, the
 * threshold must be met by the observed value, and the pod evicted must be first (or tie
 * with the first: kubelet's sort promises no order among full ties) when the pods are
 * ranked with the model's observed usage, and again with the usage of each pod's group in
 * the agent's last sample (memory.current): consistent when both agree, ambiguous when only
 * the model's own does, wrong when the model's own observations put another pod first.
 */

/* A quantity for people: "100Mi", "99.8Mi", "512Ki". */
static const char *mi(long long v, char *buf, size_t len)
{
	if (v % (1024 * 1024) && v >= 1024 * 1024)
		snprintf(buf, len, "%.1fMi", (double)(v * 10 / (1024 * 1024)) / 10); /* cut, not rounded up */
	else
		kl_quantity_text(v, buf, len);
	return buf;
}

/* The last line before from (exclusive) that starts with prefix, and is not before stop. */
static int find_back(const struct obs_evictor *oe, int from, int stop, const char *prefix)
{
	size_t n = strlen(prefix);
	int i;

	for (i = from - 1; i >= 0 && i >= stop; i--)
		if (!strncmp(oe->log[i].text, prefix, n))
			return i;
	return -1;
}

/* "be{stats=1,priority=0,usage=N,request=N,procs=N}" entries of a rank line into pods. */
static int parse_rank(const char *text, struct kl_pod *pods, int max, int *signal)
{
	const char *p = strchr(text, ' '), *colon = strchr(text, ':');
	char sig[48];
	int n = 0, len;

	if (!p || !colon || colon - p - 1 <= 0 || colon - p - 1 >= (long)sizeof(sig))
		return -1;
	snprintf(sig, sizeof(sig), "%.*s", (int)(colon - p - 1), p + 1);
	*signal = kl_signal_of(sig);
	if (*signal < 0)
		return -1;
	for (p = colon + 1; n < max && *p; ) {
		struct kl_pod *k = &pods[n];

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		memset(k, 0, sizeof(*k));
		if (sscanf(p, "%63[^{]{stats=%d,priority=%d,usage=%lld,request=%lld,procs=%lld}%n",
			   k->name, &k->has_stats, &k->priority, &k->usage, &k->request, &k->procs,
			   &len) != 6)
			return -1;
		k->critical = k->priority >= 2000000000;
		k->id = n++;
		p += len;
	}
	return n;
}

/* The first pod not critical in a ranked list, or -1. */
static int first_evictable(const struct kl_pod *pods, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!pods[i].critical)
			return i;
	return -1;
}

/* The name of the pod kubelet's ranking puts first, with the chosen pod accepted on a tie. */
static const char *expected(enum kl_signal s, struct kl_pod *pods, int n, const char *chosen,
			    int *tie)
{
	enum kl_cmp cmps[4];
	int nc = kl_rank_cmps(s, cmps), f, i;

	kl_rank(s, pods, n);
	f = first_evictable(pods, n);
	if (f < 0)
		return NULL;
	for (i = f + 1; i < n; i++)
		if (!strcmp(pods[i].name, chosen) && !pods[i].critical &&
		    !kl_compare_all(cmps, nc, &pods[f], &pods[i])) {
			*tie = 1;
			return pods[i].name;
		}
	return pods[f].name;
}

/* The time (t=) of the pass whose observe line comes last before line i; -1 when none. */
static long long pass_time(const struct obs_evictor *oe, int i)
{
	long long t;

	while (--i >= 0)
		if (!strncmp(oe->log[i].text, "observe ", 8))
			return sscanf(oe->log[i].text, "observe t=%lld", &t) == 1 ? t : -1;
	return -1;
}

/*
 * How long the threshold of met line m (its text up to " available=") had been met at every
 * pass up to m's, from the first pass of that unbroken run, by the passes' own times (each
 * observe line's t=, the model's clock when it read the signals): recomputed from the passes
 * rather than taken from the line's observed-for, which is the model's own reckoning. The
 * agent's reading times would not do: a line read late under pressure shortens the span.
 * -1 when the lines carry no times.
 */
static long long met_for_ms(const struct obs_evictor *oe, int m)
{
	const char *cut = strstr(oe->log[m].text, " available=");
	size_t n = cut ? (size_t)(cut - oe->log[m].text) : strlen(oe->log[m].text);
	int i, first = m, found = 1;
	long long t0, t1;

	for (i = m - 1; i >= 0; i--) {
		if (!strncmp(oe->log[i].text, "observe ", 8)) {
			if (!found)
				break;
			found = 0;
		} else if (!strncmp(oe->log[i].text, oe->log[m].text, n)) {
			found = 1;
			first = i;
		}
	}
	t0 = pass_time(oe, first);
	t1 = pass_time(oe, m);
	return t0 < 0 || t1 < 0 ? -1 : t1 - t0;
}

void kubelet_judge(const struct oracle_ctx *ctx, struct eviction *ev)
{
	const struct scenario *sc = ctx->cell->sc;
	const struct obs_evictor *oe = &ctx->obs->ev;
	struct kl_pod logged[KL_MAX_PODS], sampled[KL_MAX_PODS];
	int ev_line, rank_line, met_line, obs_line, n, i, p, sig, tie = 0, tie2 = 0;
	char pod[64], key[200], a[24], b[24];
	const char *now, *before, *t;
	long long avail, quantity, grace, reclaim, met_ms;
	int held;

	if (ev->logline < 0) {
		snprintf(ev->judgement, sizeof(ev->judgement), "no kill line of its own");
		return;
	}
	if (sscanf(oe->log[ev->logline].text, "killing pid %*d of pod %63s", pod) != 1) {
		snprintf(ev->judgement, sizeof(ev->judgement), "its kill line names no pod");
		return;
	}
	snprintf(key, sizeof(key), "evict pod %s:", pod);
	ev_line = find_back(oe, ev->logline + 1, 0, key);
	rank_line = ev_line >= 0 ? find_back(oe, ev_line, 0, "rank ") : -1;
	obs_line = rank_line >= 0 ? find_back(oe, rank_line, 0, "observe ") : -1;
	if (rank_line < 0 || obs_line < 0) {
		snprintf(ev->judgement, sizeof(ev->judgement), "no pass of the model's (observe, "
			 "rank, evict lines) comes before its kill line");
		return;
	}
	n = parse_rank(oe->log[rank_line].text, logged, KL_MAX_PODS, &sig);
	if (n <= 0) {
		snprintf(ev->judgement, sizeof(ev->judgement), "its rank line cannot be read");
		return;
	}
	snprintf(key, sizeof(key), "met %s<", kl_signal_name((enum kl_signal)sig));
	met_line = find_back(oe, rank_line, obs_line, key);
	t = met_line >= 0 ? strstr(oe->log[met_line].text, " available=") : NULL;
	if (!t || sscanf(t, " available=%lld quantity=%lld min-reclaim=%lld held=%d", &avail,
			 &quantity, &reclaim, &held) != 4 ||
	    avail >= quantity + (held ? reclaim : 0)) {
		ev->verdict = EVICT_WRONG;
		snprintf(ev->judgement, sizeof(ev->judgement), "it evicted pod %s for %s, but no "
			 "threshold of that signal was met at its pass", pod,
			 kl_signal_name((enum kl_signal)sig));
		return;
	}
	/* a soft threshold acts only once met for its grace period, by the passes' times */
	t = strstr(oe->log[met_line].text, " grace=");
	met_ms = met_for_ms(oe, met_line);
	if (strstr(oe->log[met_line].text, " soft ") && t && sscanf(t, " grace=%lld", &grace) == 1 &&
	    met_ms >= 0 && met_ms < grace) {
		ev->verdict = EVICT_WRONG;
		snprintf(ev->judgement, sizeof(ev->judgement), "it evicted pod %s %lld ms after the "
			 "soft threshold was first met, before its grace period of %lld ms", pod,
			 met_ms, grace);
		return;
	}
	snprintf(ev->cause, sizeof(ev->cause), "%s %s < %s%s",
		 kl_signal_name((enum kl_signal)sig), mi(avail, a, sizeof(a)),
		 mi(quantity + (held ? reclaim : 0), b, sizeof(b)),
		 held ? " (held to its minimum reclaim)" : "");
	for (i = 0; i < n; i++) {
		p = sc_pod_index(sc, logged[i].name);
		if (p < 0 || logged[i].priority != sc->pods[p].priority ||
		    logged[i].request != sc->pods[p].request) {
			ev->verdict = EVICT_WRONG;
			snprintf(ev->judgement, sizeof(ev->judgement), "the model ranked pod %.63s with "
				 "priority %d and request %lld; the scenario declares %s",
				 logged[i].name, logged[i].priority, logged[i].request,
				 p < 0 ? "no such pod" : "otherwise");
			return;
		}
		sampled[i] = logged[i];
		snprintf(key, sizeof(key), "cur.%s", sc->groups[sc->pods[p].group].name);
		if (ev->sample >= 0)
			sampled[i].usage = (long long)obs_sample_get(&ctx->obs->samples[ev->sample],
								     key, (double)logged[i].usage);
	}
	now = expected((enum kl_signal)sig, logged, n, pod, &tie);
	before = expected((enum kl_signal)sig, sampled, n, pod, &tie2);
	/*
	 * Its own observations must put the pod it chose first: else the model is wrong. The
	 * agent's samples are a second witness: a different first there is ambiguous (the two
	 * read at different moments, and the sample counts inactive file pages).
	 */
	ev->verdict = !now || strcmp(now, pod) ? EVICT_WRONG :
		      !before || strcmp(before, pod) ? EVICT_AMBIGUOUS : EVICT_CONSISTENT;
	snprintf(ev->judgement, sizeof(ev->judgement), "%s; ranked by %s on the model's usage "
		 "'%s' comes first%s, on the agent's sample '%s'; kubelet evicted pod '%s'",
		 ev->cause, (enum kl_signal)sig == KL_PID_AVAILABLE ?
		 "priority, then processes" : "exceeding requests, priority, then usage over request",
		 now ? now : "none", tie ? " (a tie)" : "", before ? before : "none", pod);
}
