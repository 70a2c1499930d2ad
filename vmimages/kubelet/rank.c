// SPDX-License-Identifier: GPL-2.0-only
/* rank.c - which pod kubelet evicts first: its multi-sorter and comparators (helpers.go). */
#include "kubelet/kubelet.h"

#include <string.h>

/*
 * pkg/kubelet/eviction/helpers.go. A comparator returns <0 when its first pod is to be
 * evicted before its second. cmpBool(a, b): 0 when equal, -1 when a alone holds.
 */
static int cmp_bool(int a, int b)
{
	return a == b ? 0 : a ? -1 : 1;
}

static const char *const cmp_names[] = {
	[KL_CMP_EXCEED_REQUESTS] = "exceed-requests",
	[KL_CMP_PRIORITY] = "priority",
	[KL_CMP_MEMORY] = "memory",
	[KL_CMP_PROCESS] = "process",
};

const char *kl_cmp_name(enum kl_cmp c)
{
	return (size_t)c < sizeof(cmp_names) / sizeof(cmp_names[0]) ? cmp_names[c] : "?";
}

int kl_cmp_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmp_names) / sizeof(cmp_names[0]); i++)
		if (!strcmp(cmp_names[i], name))
			return (int)i;
	return -1;
}

static int cmp_ll(long long a, long long b)
{
	return a < b ? -1 : a > b;
}

int kl_compare(enum kl_cmp cmp, const struct kl_pod *a, const struct kl_pod *b)
{
	/* priority: the lower spec.priority first (no priority reads as 0) */
	if (cmp == KL_CMP_PRIORITY)
		return cmp_ll(a->priority, b->priority);
	/*
	 * exceedMemoryRequests, memory, process: a pod without stats goes before one with
	 * (cmpBool(!found1, !found2)); two without tie.
	 */
	if (!a->has_stats || !b->has_stats)
		return cmp_bool(!a->has_stats, !b->has_stats);
	switch (cmp) {
	case KL_CMP_EXCEED_REQUESTS:
		/* usage above the request (strictly) first; a pod without a request has 0 */
		return cmp_bool(a->usage > a->request, b->usage > b->request);
	case KL_CMP_MEMORY:
		/* the larger usage less request first: p2's compared with p1's */
		return cmp_ll(b->usage - b->request, a->usage - a->request);
	case KL_CMP_PROCESS:
		/* more processes first */
		return cmp_ll(b->procs, a->procs);
	default:
		return 0;
	}
}

/*
 * multiSorter.Less (helpers.go): each comparator but the last decides when it does not tie;
 * the last decides the rest. As a three-way answer: the first comparator that does not tie.
 */
int kl_compare_all(const enum kl_cmp *cmps, int n, const struct kl_pod *a,
		   const struct kl_pod *b)
{
	int i, r;

	for (i = 0; i < n; i++) {
		r = kl_compare(cmps[i], a, b);
		if (r)
			return r;
	}
	return 0;
}

/*
 * rankMemoryPressure = orderedBy(exceedMemoryRequests, priority, memory);
 * rankPIDPressure = orderedBy(priority, process). allocatableMemory.available ranks as
 * memory.available does (buildSignalToRankFunc).
 */
int kl_rank_cmps(enum kl_signal s, enum kl_cmp *cmps)
{
	if (s == KL_PID_AVAILABLE) {
		cmps[0] = KL_CMP_PRIORITY;
		cmps[1] = KL_CMP_PROCESS;
		return 2;
	}
	cmps[0] = KL_CMP_EXCEED_REQUESTS;
	cmps[1] = KL_CMP_PRIORITY;
	cmps[2] = KL_CMP_MEMORY;
	return 3;
}

/* An insertion sort: stable, so full ties keep the declared order (kubelet promises none). */
void kl_rank(enum kl_signal s, struct kl_pod *pods, int n)
{
	enum kl_cmp cmps[4];
	int nc = kl_rank_cmps(s, cmps), i, j;
	struct kl_pod p;

	for (i = 1; i < n; i++) {
		p = pods[i];
		for (j = i; j > 0 && kl_compare_all(cmps, nc, &p, &pods[j - 1]) < 0; j--)
			pods[j] = pods[j - 1];
		pods[j] = p;
	}
}
