/* SPDX-License-Identifier: GPL-2.0-only */
/* kubelet.h - oomlab's model of kubelet's eviction manager: its pure parts, shared with tests. */
#ifndef OOMLAB_KUBELET_H
#define OOMLAB_KUBELET_H

#include <stddef.h>

/*
 * The model follows kubelet's pkg/kubelet/eviction as of KL_RELEASE, rule by rule (the
 * stored source it was checked against is not pinned to a tag: docs/kubelet.md says which);
 * each function names the function of kubelet's it follows. docs/kubelet.md lists them all and
 * what the model leaves out. The parts here are pure (text in, structs out; no file, no
 * clock): quantities and durations (quantity.c), the thresholds and their passes
 * (thresholds.c), the ranking (rank.c) and the node's pods (pods.c). main.c is the guest
 * program: it observes, ranks, evicts and logs.
 */
#define KL_RELEASE "v1.29 line"

enum kl_signal {
	KL_MEMORY_AVAILABLE,             /* "memory.available" */
	KL_ALLOCATABLE_MEMORY_AVAILABLE, /* "allocatableMemory.available" */
	KL_PID_AVAILABLE,                /* "pid.available" */
	KL_NSIGNALS,
};

const char *kl_signal_name(enum kl_signal s);
/* The signal named, or -1. */
int kl_signal_of(const char *name);

/*
 * Quantities as Kubernetes writes them (resource.ParseQuantity): a decimal number with a
 * binary (Ki..Ei) or decimal (k, M..E) suffix, or an exponent ("1e3"); rounded up to a whole
 * number as Quantity.Value() rounds. Returns 0, or -1 when s is not one.
 */
int kl_parse_quantity(const char *s, long long *v);
/* "5s", "1m30s", "1500ms", "0" (Go's time.ParseDuration, s/ms/m/h): 0 or -1. */
int kl_parse_duration(const char *s, long long *ms);
/* v in the largest binary unit that writes it whole: "100Mi", "97572Ki", "12". */
const char *kl_quantity_text(long long v, char *buf, size_t len);

/* A threshold's value: a quantity, or a fraction of the signal's capacity. */
struct kl_value {
	long long quantity;
	double percentage; /* 0..1; used when quantity is -1 */
};

struct kl_threshold {
	enum kl_signal signal;
	struct kl_value value;
	long long grace_ms;         /* 0 for a hard threshold */
	struct kl_value min_reclaim; /* quantity 0: none */
	int hard;
};

#define KL_MAX_THRESHOLDS 8

struct kl_config {
	struct kl_threshold t[KL_MAX_THRESHOLDS];
	int nt;
	long long monitoring_ms;      /* the synchronize loop's period */
	long long transition_ms;      /* --eviction-pressure-transition-period */
	long long max_pod_grace_s;    /* --eviction-max-pod-grace-period */
	int memcg_notification;       /* --kernel-memcg-notification */
	int enforce_pods;             /* --enforce-node-allocatable holds "pods" */
	long long reserved;           /* --system-reserved=memory=Q plus --kube-reserved's */
	char pods[128];               /* the node's pods (pods.c) */
};

/*
 * Parses the model's command line: kubelet's own flags (--eviction-hard=
 * "memory.available<100Mi,pid.available<10%", --eviction-soft, --eviction-soft-grace-period=
 * "memory.available=5s", --eviction-minimum-reclaim, --eviction-pressure-transition-period,
 * --eviction-max-pod-grace-period, --kernel-memcg-notification, --enforce-node-allocatable)
 * and the model's --housekeeping-interval and --pods. Fills c, with kubelet's defaults for
 * what is not given. Returns 0, or -1 with a message in err.
 */
int kl_config_parse(int argc, char **argv, struct kl_config *c, char *err, size_t errlen);

/* What one pass observed of each signal (makeSignalObservations). */
struct kl_observation {
	int present;
	long long available;
	long long capacity;
};

/* The quantity a threshold value stands for against capacity (GetThresholdQuantity). */
long long kl_threshold_quantity(const struct kl_value *v, long long capacity);

/*
 * Which of the thresholds t[0..n) are met by obs (thresholdsMet): available < the
 * threshold's quantity (plus its minimum reclaim with enforce_min_reclaim). Sets met[i] to 1
 * for each; returns how many.
 */
int kl_thresholds_met(const struct kl_threshold *t, int n, const struct kl_observation *obs,
		      int enforce_min_reclaim, int *met);

/*
 * The state synchronize() keeps from one pass to the next: when each threshold was first
 * seen met, which passed their grace period last time, when each node condition was last
 * seen.
 */
struct kl_state {
	long long first_ms[KL_MAX_THRESHOLDS]; /* -1: not met */
	int met[KL_MAX_THRESHOLDS];            /* thresholdsMet after the grace periods */
	long long memory_pressure_ms;          /* MemoryPressure last observed; -1: never */
	long long pid_pressure_ms;
};

void kl_state_init(struct kl_state *s);

/*
 * One pass's threshold steps of synchronize() at now_ms: met (with the previous pass's met
 * thresholds held until their minimum reclaim is reached, mergeThresholds), first observed,
 * node conditions, the grace periods. Leaves in s->met the thresholds to act on; returns the
 * index of the one to reclaim (getReclaimableThreshold over byEvictionPriority), or -1.
 * seen[i] is set to 1 for each threshold met before the grace periods.
 */
int kl_pass(const struct kl_config *c, struct kl_state *s, const struct kl_observation *obs,
	    long long now_ms, int *seen);

/* MemoryPressure / PIDPressure as the node reports them (nodeConditionsObservedSince). */
int kl_memory_pressure(const struct kl_config *c, const struct kl_state *s, long long now_ms);
int kl_pid_pressure(const struct kl_config *c, const struct kl_state *s, long long now_ms);

/* A pod as the ranking sees it. */
struct kl_pod {
	char name[64];
	int priority;
	long long request;  /* memory request: the sum of its containers' */
	long long usage;    /* memory working set: the sum of its containers' */
	long long procs;    /* processes */
	int has_stats;
	int critical;       /* priority >= 2000000000: never evicted */
	int id;             /* the caller's, carried through the ranking */
};

/* The comparators rank.c knows, as orderedBy gets them. */
enum kl_cmp {
	KL_CMP_EXCEED_REQUESTS,
	KL_CMP_PRIORITY,
	KL_CMP_MEMORY,
	KL_CMP_PROCESS,
};

/* <0: a is evicted first; >0: b; 0: a tie for this comparator. */
int kl_compare(enum kl_cmp cmp, const struct kl_pod *a, const struct kl_pod *b);
/* The multiSorter over cmps[0..n): the first comparator that does not tie decides. */
int kl_compare_all(const enum kl_cmp *cmps, int n, const struct kl_pod *a,
		   const struct kl_pod *b);
/*
 * Sorts pods into eviction order for signal s (rankMemoryPressure, rankPIDPressure). Pods that
 * tie on every comparator keep their order in the list: kubelet's sort.Sort promises no order
 * for them, so the model picks the first declared and the host's oracle accepts either.
 */
void kl_rank(enum kl_signal s, struct kl_pod *pods, int n);
/* The comparators of signal s's ranking; returns how many. */
int kl_rank_cmps(enum kl_signal s, enum kl_cmp *cmps);
const char *kl_cmp_name(enum kl_cmp c);
int kl_cmp_of(const char *name);

/* A pod's QoS class (GetPodQOS over the memory the scenario declares). */
enum kl_qos {
	KL_BESTEFFORT,
	KL_BURSTABLE,
	KL_GUARANTEED,
};

#define KL_ADJ_GUARANTEED (-997) /* qos/policy.go guaranteedOOMScoreAdj */
#define KL_ADJ_BESTEFFORT 1000   /* besteffortOOMScoreAdj */
#define KL_ADJ_KUBELET (-999)    /* KubeletOOMScoreAdj: the model runs at it */

/* The oom_score_adj of a container of a pod of class qos (qos.c). */
int kl_container_adj(enum kl_qos qos, long long request, long long capacity);

/* The node's pods, as the host writes them for the model (pods.c). */
/*
 * A pass's ranking is one line, and the agent forwards a line of at most some 1,330 bytes
 * whole (PROTO_LINE_MAX / 3, escaped, less its record's head); a pod takes at most ~140
 * (a 40-character name, each number at its widest, '=' escaped): 8 pods fit, 9 might not.
 */
#define KL_MAX_PODS 8
#define KL_MAX_CONTAINERS 32

struct kl_container {
	char name[16];
	int pod;            /* index into kl_node.pods */
	char cgroup[128];   /* "/kubepods/besteffort/podbe/be-hog", from the hierarchy's root */
	long long request;  /* memory request, 0 when none */
};

struct kl_node_pod {
	char name[64];
	int priority;
	char cgroup[128];
};

struct kl_node {
	struct kl_node_pod pods[KL_MAX_PODS];
	int npods;
	struct kl_container containers[KL_MAX_CONTAINERS];
	int ncontainers;
};

/*
 * Parses the pods file: lines "pod NAME priority=N cgroup=PATH" and "container NAME
 * pod=POD cgroup=PATH request=BYTES", # comments. 0, or -1 with "line N: what"
 * in err.
 */
int kl_node_parse(const char *text, struct kl_node *node, char *err, size_t errlen);

#endif
