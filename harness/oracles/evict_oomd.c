// SPDX-License-Identifier: GPL-2.0-only
/* evict_oomd.c - oomd 0.5.0's ranking of kill candidates, rule by rule, with its source cited. */

#include "oracles/evict_oomd.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * Citations are file:function in oomd's tree at tag v0.5.0 (commit e6b78d7), under src/oomd/.
 * Every kill plugin ranks with OomdContext.h:sortDescWithKillPrefs: a descending sort of the
 * pair (kill preference, plugin key), compared lexicographically, with std::sort. The order of
 * equal pairs is therefore unspecified; here they keep the order of the samples, and the result
 * says OOMD_BY_TIE so that no caller takes that order for oomd's.
 */

void oomd_rank_args_init(struct oomd_rank_args *args, enum oomd_plugin plugin)
{
	memset(args, 0, sizeof(*args));
	args->plugin = plugin;
	/* plugins/KillMemoryGrowth.h: member defaults size_threshold_ 50,
	 * growing_size_percentile_ 80, min_growth_ratio_ 1.25 */
	args->size_threshold = 50;
	args->growing_size_percentile = 80;
	args->min_growth_ratio = 1.25f;
	/* plugins/KillSwapUsage.h: threshold_ defaults to 1 byte when the argument is absent */
	args->swap_threshold = 1;
	args->parent_protection = OOMD_UNKNOWN;
}

static long long known(long long v)
{
	/* oomd ranks with value_or(0): an unread file counts as 0 */
	return v < 0 ? 0 : v;
}

long long oomd_average_usage(const long long *history, size_t n)
{
	long long avg = 0;

	/*
	 * CgroupContext.cpp:getAverageUsage: prev * (d-1)/d + current/d with
	 * OomdContext.h:ContextParams.average_size_decay d = 4.0, in double and truncated back to
	 * int64. The previous average is the archive of the last tick (CgroupContext.cpp:refresh),
	 * 0 on the first tick oomd sees the cgroup: the first growth ratio is about 4.
	 */
	for (size_t i = 0; i < n; i++)
		avg = (long long)((double)avg * (3.0 / 4.0) + (double)known(history[i]) / 4.0);
	return avg;
}

/* CgroupContext.cpp:rawProtection: min(memory.current, max(memory.min, memory.low)) */
static long long raw_protection(const struct oomd_sample *s)
{
	long long floor = known(s->mem_min) > known(s->mem_low) ? known(s->mem_min)
								  : known(s->mem_low);

	return known(s->current) < floor ? known(s->current) : floor;
}

/*
 * CgroupContext.cpp:getMemoryProtection: a top-level cgroup (its parent is --cgroup-fs itself)
 * gets its raw protection; a deeper one its raw protection scaled by
 * min(1, parent's protection / sum of the raw protection of the parent's children)
 * (normalizedProtection), 0 when that sum is 0, truncated to int64.
 */
static long long protection(const struct oomd_sample *s, const struct oomd_sample *all,
			    size_t n, long long parent_protection)
{
	long long sum = 0;
	double scale;

	if (s->protection >= 0)
		return s->protection;
	if (parent_protection < 0)
		return raw_protection(s);
	for (size_t i = 0; i < n; i++)
		sum += raw_protection(&all[i]);
	if (sum == 0)
		return 0;
	scale = (double)parent_protection / (double)sum;
	if (scale > 1.0)
		scale = 1.0;
	return (long long)((double)raw_protection(s) * scale);
}

static int cmp_desc_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The three-part key of plugins/KillMemoryGrowth-inl.h, set on every row. */
static int key_size_or_growth(struct oomd_rank *r, const struct oomd_sample *samples, size_t n,
			      const struct oomd_rank_args *args)
{
	long long sum = 0;
	long long *eff;
	size_t nth;

	/* KillMemoryGrowth-inl.h:get_ranking_fn: nth is size_t, so a percentile of 100 or more
	 * wraps it; oomd does not refuse such a ruleset, but cannot rank with it either */
	if (args->growing_size_percentile < 0 || args->growing_size_percentile > 99)
		return error("growing_size_percentile '%d' is outside 0..99",
			     args->growing_size_percentile);

	eff = xcalloc(n ? n : 1, sizeof(*eff));
	for (size_t i = 0; i < n; i++) {
		const struct oomd_sample *s = &samples[i];
		struct oomd_ranked *row = &r->rows[i];
		long long avg = s->average >= 0 ? s->average
						: oomd_average_usage(s->history, s->nhistory);

		sum += known(s->current);
		/* CgroupContext.cpp:effective_usage: memory.current - memory_protection(), and
		 * nullopt (ranked as 0) without a memory.current */
		row->effective = s->current < 0 ? 0
			: s->current - protection(s, samples, n, args->parent_protection);
		/* CgroupContext.cpp:memory_growth: current / average, 0 for an average of 0 or
		 * for a cgroup with neither average nor history (nothing to divide by); the
		 * ranking holds it as a float (get_ranking_fn) */
		row->growth = (s->current < 0 || (s->average < 0 && !s->nhistory) || avg == 0)
			? 0.0f : (float)((double)s->current / (double)avg);
		eff[i] = row->effective;
	}

	/* get_ranking_fn: size threshold = sum of the peers' memory.current times
	 * size_threshold / 100, in double, truncated */
	r->size_threshold_bytes = (long long)((double)sum *
					      ((double)args->size_threshold / 100.0));

	/* get_ranking_fn: only the top P percent by effective usage may be killed for growth;
	 * the floor is the effective usage at index ceil(n * (100 - P) / 100) - 1 in descending
	 * order (std::nth_element there, a full sort here: the same element) */
	if (n) {
		nth = (size_t)(ceil((double)n * (100.0 - args->growing_size_percentile) / 100.0)
			       - 1.0);
		if (nth >= n)
			nth = n - 1;
		qsort(eff, n, sizeof(*eff), cmp_desc_ll);
		r->growth_min_effective = eff[nth];
	}
	free(eff);

	for (size_t i = 0; i < n; i++) {
		struct oomd_ranked *row = &r->rows[i];
		/* get_ranking_fn: size phase when memory.current (not the effective usage) is at
		 * least the threshold; growth phase when growth >= min_growth_ratio (float
		 * compare) and the effective usage is at least the percentile's floor */
		int size_ok = known(row->s->current) >= r->size_threshold_bytes;
		int growth_ok = row->growth >= args->min_growth_ratio &&
				row->effective >= r->growth_min_effective;

		row->phase = size_ok ? OOMD_PHASE_SIZE_THRESHOLD
			: growth_ok ? OOMD_PHASE_GROWTH : OOMD_PHASE_SIZE_NO_THRESHOLD;
		/* get_ranking_fn: the tuple (size ? effective : 0, growth-eligible ? growth : 0,
		 * effective): every size-phase cgroup outranks every growth-phase one, which
		 * outranks the rest */
		row->key[0] = size_ok ? (double)row->effective : 0;
		row->key[1] = growth_ok ? (double)row->growth : 0;
		row->key[2] = (double)row->effective;
		row->nkey = 3;
	}
	return 0;
}

static void key_one(struct oomd_ranked *row, const struct oomd_rank_args *args)
{
	const struct oomd_sample *s = row->s;
	float avg10 = (float)s->psi_full_avg10, avg60 = (float)s->psi_full_avg60;

	row->nkey = 1;
	row->phase = OOMD_PHASE_NONE;
	switch (args->plugin) {
	case OOMD_KILL_BY_SWAP_USAGE:
		/* KillSwapUsage-inl.h:rankForKilling: key memory.swap.current */
		row->key[0] = (double)known(s->swap);
		break;
	case OOMD_KILL_BY_PG_SCAN:
		/* KillPgScan-inl.h:rankForKilling: key pg_scan_rate(), the pgscan of memory.stat
		 * less the last tick's (CgroupContext.cpp:getPgScanRate), 0 when unknown; no
		 * candidate is dropped for a rate of 0 */
		row->key[0] = (double)known(s->pgscan_delta);
		break;
	case OOMD_KILL_BY_PRESSURE:
		/* KillPressure-inl.h:rankForKilling: int average = avg10 / 2 + avg60 / 2 of
		 * mem_pressure() (or io_pressure()), which is the "full" line
		 * (CgroupContext.cpp: PROXY mem_pressure, PressureType::FULL); float arithmetic,
		 * truncated to int */
		row->key[0] = (double)(int)(avg10 / 2 + avg60 / 2);
		break;
	case OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH:
		BUG("size or growth has its own key");
	}
}

/* sortDescWithKillPrefs's comparison: preference first, then the key, highest first. */
static int cmp_rows(const struct oomd_ranked *a, const struct oomd_ranked *b, int *component)
{
	*component = -1;
	if (a->pref != b->pref)
		return a->pref > b->pref ? -1 : 1;
	for (int k = 0; k < a->nkey; k++) {
		*component = k;
		if (a->key[k] != b->key[k])
			return a->key[k] > b->key[k] ? -1 : 1;
	}
	*component = a->nkey;
	return 0;
}

static enum oomd_decided_by component_name(enum oomd_plugin plugin, int k)
{
	static const enum oomd_decided_by kmg[] = { OOMD_BY_SIZE, OOMD_BY_GROWTH, OOMD_BY_USAGE };

	switch (plugin) {
	case OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH:
		return kmg[k];
	case OOMD_KILL_BY_SWAP_USAGE:
		return OOMD_BY_SWAP;
	case OOMD_KILL_BY_PG_SCAN:
		return OOMD_BY_PGSCAN;
	case OOMD_KILL_BY_PRESSURE:
		return OOMD_BY_PRESSURE;
	}
	return OOMD_BY_NONE;
}

int oomd_rank(const struct oomd_sample *samples, size_t n, const struct oomd_rank_args *args,
	      struct oomd_rank *out)
{
	struct oomd_rank r = { .victim = -1, .runner_up = -1, .decided_by = OOMD_BY_NONE };
	size_t kept = 0;

	memset(out, 0, sizeof(*out));
	out->victim = out->runner_up = -1;
	r.rows = xcalloc(n ? n : 1, sizeof(*r.rows));

	for (size_t i = 0; i < n; i++) {
		/* KillSwapUsage-inl.h:rankForKilling: Util::filter keeps memory.swap.current
		 * >= threshold_ before sorting, at every level of a recursive kill */
		if (args->plugin == OOMD_KILL_BY_SWAP_USAGE &&
		    known(samples[i].swap) < args->swap_threshold) {
			r.nfiltered++;
			continue;
		}
		r.rows[kept].s = &samples[i];
		/* Fs.cpp:readKillPreferenceAt: trusted.oomd_prefer, user.oomd_prefer,
		 * trusted.oomd_avoid, user.oomd_avoid, the first present decides;
		 * include/Types.h: PREFER 1 > NORMAL 0 > AVOID -1 */
		r.rows[kept].pref = samples[i].pref;
		kept++;
	}
	r.nrows = kept;

	if (args->plugin == OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH) {
		/* the swap filter kept every sample, so rows[i].s is samples[i] */
		if (key_size_or_growth(&r, samples, n, args)) {
			free(r.rows);
			return -1;
		}
	} else {
		for (size_t i = 0; i < r.nrows; i++)
			key_one(&r.rows[i], args);
	}

	/* a stable insertion sort: equal pairs stay in the samples' order (see the top) */
	for (size_t i = 1; i < r.nrows; i++) {
		struct oomd_ranked row = r.rows[i];
		size_t j = i;
		int k;

		while (j > 0 && cmp_rows(&row, &r.rows[j - 1], &k) < 0) {
			r.rows[j] = r.rows[j - 1];
			j--;
		}
		r.rows[j] = row;
	}

	/*
	 * BaseKillPlugin.cpp:resumeTryingToKillSomething walks the ranking best first and passes
	 * over a cgroup whose cgroup.events says "populated 0" (is_populated().value_or(true)),
	 * then kills the first one it can: the victim. If killing it fails (no pid took the
	 * signal) it goes on to the next, the runner-up here.
	 */
	for (size_t i = 0; i < r.nrows; i++) {
		if (r.rows[i].s->populated == 0) {
			r.rows[i].skipped_why = "unpopulated: oomd passes over an empty cgroup";
			continue;
		}
		if (r.victim < 0)
			r.victim = (long)i;
		else if (r.runner_up < 0)
			r.runner_up = (long)i;
	}

	if (r.victim >= 0 && r.runner_up >= 0) {
		const struct oomd_ranked *a = &r.rows[r.victim], *b = &r.rows[r.runner_up];
		int k;

		if (cmp_rows(a, b, &k) == 0) {
			r.decided_by = OOMD_BY_TIE;
		} else if (k < 0) {
			r.decided_by = OOMD_BY_PREFERENCE;
			r.margin = a->pref - b->pref;
		} else {
			r.decided_by = component_name(args->plugin, k);
			r.margin = a->key[k] - b->key[k];
		}
	}
	*out = r;
	return 0;
}

void oomd_rank_release(struct oomd_rank *r)
{
	free(r->rows);
	memset(r, 0, sizeof(*r));
	r->victim = r->runner_up = -1;
}

/*
 * util/Util.cpp:parseSize: lower-cased, blanks dropped, an optional sign, then one or more
 * <number><unit> parts summed, unit k, m, g or t (powers of 1024) or none (bytes, and then it
 * must be the last part); each part's number must be whole and not negative, and the running
 * sum is an unsigned integer, so every part is truncated as it is added.
 */
static int oomd_parse_size(const char *in, long long *out)
{
	size_t len = strlen(in), n = 0, pos = 0;
	char *s = xmalloc(len + 1);
	unsigned long long size = 0;
	int neg = 0, ret = -1;

	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)in[i]))
			s[n++] = (char)tolower((unsigned char)in[i]);
	s[n] = '\0';

	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		pos++;
	}
	while (pos < n) {
		size_t unit_pos = pos + strcspn(s + pos, "kmgt");
		char unit = s[unit_pos], *num, *end;
		long double v;

		if (unit_pos == pos)
			goto out;
		num = xstrndup(s + pos, unit_pos - pos);
		errno = 0;
		v = strtold(num, &end);
		if (end == num || *end || errno == ERANGE || v < 0) {
			free(num);
			goto out;
		}
		free(num);
		switch (unit) {
		case '\0':
			break;
		case 'k':
			v *= 1ULL << 10;
			break;
		case 'm':
			v *= 1ULL << 20;
			break;
		case 'g':
			v *= 1ULL << 30;
			break;
		case 't':
			v *= 1ULL << 40;
			break;
		}
		size = (unsigned long long)((long double)size + v);
		pos = unit_pos + 1;
	}
	*out = neg ? -(long long)size : (long long)size;
	ret = 0;
out:
	free(s);
	return ret;
}

/*
 * util/Util.cpp:parseSizeOrPercent: "N%" is total * N / 100 for N in 0..100 (std::stoi reads
 * N, so "12.5%" is 12%); a string std::stoll reads whole is MiB ("compat - a bare number");
 * anything else goes to parseSize, and a string that does not begin with a number fails.
 * total is MemTotal for memory_above (plugins/MemoryAbove.cpp:init) and SwapTotal of
 * /proc/meminfo at start-up for kill_by_swap_usage (plugins/KillSwapUsage-inl.h:init).
 */
int oomd_parse_size_or_percent(const char *s, long long total, long long *out)
{
	size_t len = strlen(s);
	long long v;
	char *end;

	errno = 0;
	if (len && s[len - 1] == '%') {
		v = strtol(s, &end, 10);
		if (end == s || errno == ERANGE || v < 0 || v > 100)
			return -1;
		*out = total * v / 100;
		return 0;
	}
	v = strtoll(s, &end, 10);
	if (end == s || errno == ERANGE)
		return -1;
	if (!*end) {
		*out = (long long)((unsigned long long)v << 20);
		return 0;
	}
	return oomd_parse_size(s, out);
}

const char *oomd_plugin_name(enum oomd_plugin plugin)
{
	switch (plugin) {
	case OOMD_KILL_BY_MEMORY_SIZE_OR_GROWTH:
		return "kill_by_memory_size_or_growth";
	case OOMD_KILL_BY_SWAP_USAGE:
		return "kill_by_swap_usage";
	case OOMD_KILL_BY_PG_SCAN:
		return "kill_by_pg_scan";
	case OOMD_KILL_BY_PRESSURE:
		return "kill_by_pressure";
	}
	return "unknown";
}

const char *oomd_decided_by_name(enum oomd_decided_by d)
{
	static const char *const names[] = {
		[OOMD_BY_NONE] = "none",
		[OOMD_BY_TIE] = "tie",
		[OOMD_BY_PREFERENCE] = "kill preference",
		[OOMD_BY_SIZE] = "size over the threshold",
		[OOMD_BY_GROWTH] = "growth",
		[OOMD_BY_USAGE] = "effective usage",
		[OOMD_BY_SWAP] = "swap usage",
		[OOMD_BY_PGSCAN] = "pgscan",
		[OOMD_BY_PRESSURE] = "pressure",
	};

	return (unsigned)d < ARRAY_SIZE(names) && names[d] ? names[d] : "unknown";
}
