// SPDX-License-Identifier: GPL-2.0-only
/* qos.c - the oom_score_adj kubelet gives a container, by its pod's QoS class (qos/policy.go). */
#include "kubelet/kubelet.h"

/*
 * GetContainerOOMScoreAdjust: Guaranteed -997, BestEffort 1000; Burstable
 * 1000 - 1000 * request / capacity in integer arithmetic, raised to 3 (1000 + the
 * Guaranteed value) so that it stays above every Guaranteed container, and 1000 lowered to
 * 999 so that it stays below every BestEffort one. capacity is the node's memory capacity
 * (cAdvisor's MemTotal). The agent computes it in the guest, where MemTotal is known.
 */
int kl_container_adj(enum kl_qos qos, long long request, long long capacity)
{
	long long adj;

	if (qos == KL_GUARANTEED)
		return KL_ADJ_GUARANTEED;
	if (qos == KL_BESTEFFORT || capacity <= 0)
		return KL_ADJ_BESTEFFORT;
	adj = 1000 - (1000 * request) / capacity;
	if (adj < 1000 + KL_ADJ_GUARANTEED)
		return 1000 + KL_ADJ_GUARANTEED;
	if (adj == 1000)
		return 999;
	return (int)adj;
}
