/* SPDX-License-Identifier: GPL-2.0-only */
/* evict_oomd.h - ranks the candidate cgroups of an oomd 0.5.0 kill action as oomd does. */
#ifndef OOMLAB_EVICT_OOMD_H
#define OOMLAB_EVICT_OOMD_H

#include <stddef.h>

/*
 * oomd (facebookincubator/oomd, tag v0.5.0, Debian 12's oomd 0.5.0-1.2) is a user-space OOM
 * killer driven by a JSON ruleset: detectors decide when, a kill plugin decides whom. This
 * module answers "whom" for one level of a kill plugin's choice: given the cgroups its
 * "cgroup" argument resolved to (or, with "recursive", the children of the previous level's
 * winner) as samples, it returns them in the order oomd sorts them, the cgroup oomd tries to
 * kill first, and by how much it beat the cgroup oomd would have tried next. A caller with
 * samples taken near, but not at, oomd's own tick calls a choice "ambiguous" when that margin
 * is within its sampling noise; equal keys are always ambiguous, since oomd sorts with
 * std::sort, whose order of equal elements is unspecified.
 *
 * docs/oomd.md has every rule with its place in oomd's source; evict_oomd.c repeats the
 * citation beside the code that follows each rule. Pure: samples in, a result out; the result
 * points into the samples, which must outlive it.
 */

enum oomd_plugin {
	OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH,
	OOMD_KILL_BY_SWAP_USAGE,
	OOMD_KILL_BY_PG_SCAN,
	OOMD_KILL_BY_PRESSURE,
};

/* The kill preference oomd reads from a cgroup's xattrs; the values are oomd's own order. */
enum oomd_pref {
	OOMD_PREF_AVOID = -1,  /* trusted.oomd_avoid or user.oomd_avoid, and no prefer xattr */
	OOMD_PREF_NORMAL = 0,  /* neither (or they could not be read) */
	OOMD_PREF_PREFER = 1,  /* trusted.oomd_prefer or user.oomd_prefer: wins over avoid */
};

#define OOMD_UNKNOWN (-1LL)

/*
 * One candidate cgroup as oomd sees it at the tick of the kill. Byte counts are what the
 * cgroup files say; OOMD_UNKNOWN where a file was missing or unread, which oomd counts as 0
 * in every key (it ranks with value_or(0)).
 */
struct oomd_sample {
	const char *path;        /* relative to --cgroup-fs, as oomd prints it */
	long long current;       /* memory.current */
	long long swap;          /* memory.swap.current */
	long long mem_min;       /* memory.min ("max" as LLONG_MAX); OOMD_UNKNOWN counts as 0 */
	long long mem_low;       /* memory.low, likewise */
	long long protection;    /* oomd's memory_protection() if the caller has it, else
				  * OOMD_UNKNOWN: computed from mem_min, mem_low and
				  * oomd_rank_args.parent_protection */
	/*
	 * Growth is memory.current over oomd's decaying average of it. Give the average as oomd
	 * kept it (average >= 0), or the memory.current of every tick since oomd first saw the
	 * cgroup, oldest first and the kill's tick last (history), from which the average is
	 * recomputed; with neither the growth is 0, as oomd's is when it has no average.
	 */
	long long average;
	const long long *history;
	size_t nhistory;
	long long pgscan_delta;  /* memory.stat pgscan at the kill's tick less at the tick before */
	double psi_full_avg10;   /* memory.pressure (or io.pressure) "full" avg10 and avg60 */
	double psi_full_avg60;
	enum oomd_pref pref;
	int populated;           /* cgroup.events "populated"; -1 unknown, which oomd takes as 1 */
};

struct oomd_rank_args {
	enum oomd_plugin plugin;
	/* kill_by_memory_size_or_growth; oomd's defaults are 50, 80 and 1.25 */
	int size_threshold;          /* percent of the peers' summed memory.current */
	int growing_size_percentile; /* 0..99 */
	float min_growth_ratio;      /* as oomd holds it: an explicit "1.25" in a ruleset is 1 */
	/* kill_by_swap_usage: bytes (oomd_parse_size_or_percent() turns the argument into them);
	 * oomd's default, with no argument, is 1 */
	long long swap_threshold;
	/*
	 * Protection of the candidates' parent, for candidates that leave protection unknown:
	 * OOMD_UNKNOWN when the candidates are top-level cgroups under --cgroup-fs (oomd then
	 * takes each one's own protection), else the parent's memory_protection(); the siblings'
	 * sum is taken over the samples given, which are then all the parent's children.
	 */
	long long parent_protection;
};

/* Sets args to oomd 0.5.0's defaults for plugin. */
void oomd_rank_args_init(struct oomd_rank_args *args, enum oomd_plugin plugin);

/* The component of the key that put the first candidate ahead of the second. */
enum oomd_decided_by {
	OOMD_BY_NONE,       /* fewer than two candidates oomd could kill */
	OOMD_BY_TIE,        /* equal keys: std::sort may put either first */
	OOMD_BY_PREFERENCE, /* kill preference, which outranks every other key */
	OOMD_BY_SIZE,       /* size phase: effective usage of a cgroup over the size threshold */
	OOMD_BY_GROWTH,     /* growth phase: growth ratio */
	OOMD_BY_USAGE,      /* effective usage, after the two phases */
	OOMD_BY_SWAP,       /* memory.swap.current */
	OOMD_BY_PGSCAN,     /* pgscan delta */
	OOMD_BY_PRESSURE,   /* the truncated pressure average */
};

enum oomd_phase {
	OOMD_PHASE_SIZE_THRESHOLD,    /* "based on size > N% of total" */
	OOMD_PHASE_GROWTH,            /* "based on growth rate" */
	OOMD_PHASE_SIZE_NO_THRESHOLD, /* "(size threshold overridden)" */
	OOMD_PHASE_NONE,              /* the other plugins */
};

struct oomd_ranked {
	const struct oomd_sample *s;
	int pref;                /* enum oomd_pref */
	double key[3];           /* the plugin's key, compared left to right, highest first */
	int nkey;
	enum oomd_phase phase;
	long long effective;     /* memory.current less protection (size or growth only) */
	float growth;            /* memory.current / average (size or growth only) */
	const char *skipped_why; /* a static phrase when oomd passes over it, else NULL */
};

struct oomd_rank {
	struct oomd_ranked *rows; /* oomd's order; rows dropped by the swap filter are absent */
	size_t nrows;
	size_t nfiltered;         /* candidates kill_by_swap_usage dropped under its threshold */
	long victim;              /* index into rows of the cgroup oomd tries first, -1 if none */
	long runner_up;           /* the one it would try next, -1 if none */
	enum oomd_decided_by decided_by;
	double margin;            /* victim's key less the runner-up's in the deciding component:
				   * bytes, a growth ratio, pages scanned or pressure points; 0 for
				   * a tie or none, 1 or 2 preference steps when it is
				   * OOMD_BY_PREFERENCE */
	long long size_threshold_bytes;  /* size or growth only: what "size" is compared with */
	long long growth_min_effective;  /* size or growth only: the percentile's floor */
};

/*
 * Ranks n samples for args->plugin. Returns 0 and fills *out (release with
 * oomd_rank_release()), or -1 when the arguments are ones oomd itself cannot run with
 * (growing_size_percentile outside 0..99), *out then left empty.
 */
int oomd_rank(const struct oomd_sample *samples, size_t n, const struct oomd_rank_args *args,
	      struct oomd_rank *out);
void oomd_rank_release(struct oomd_rank *r);

/* oomd's decaying average after the ticks of history (oldest first); 0 for no ticks. */
long long oomd_average_usage(const long long *history, size_t n);

/*
 * A threshold argument as oomd 0.5.0 reads it: "N%" of total, a bare integer as MiB, or a size
 * with k/m/g/t units ("1.5G", "512k"; a bare "0.5" is half a byte, so 0). Returns 0 and the
 * bytes in *out, or -1 when oomd would refuse the string.
 */
int oomd_parse_size_or_percent(const char *s, long long total, long long *out);

const char *oomd_plugin_name(enum oomd_plugin plugin);
const char *oomd_decided_by_name(enum oomd_decided_by d);

#endif
