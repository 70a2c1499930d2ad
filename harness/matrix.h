/* matrix.h - scenarios expanded into cells (scenario x matrix point), and cell filters. */
#ifndef OOMLAB_MATRIX_H
#define OOMLAB_MATRIX_H

#include "scenario.h"

/*
 * A cell is one point of one scenario's matrix: a value for every axis, and the rule that
 * states what must happen there. Cells are listed scenario by scenario in the order given,
 * and inside a scenario with the last axis varying fastest, so a cell list is stable and can
 * later be sliced into shards.
 */
struct cell {
	const struct scenario *sc;
	int *vi;                   /* value index per axis: sc->axes[a].values[vi[a]] */
	const struct sc_rule *rule; /* first rule whose "when" matches */
	char *id;                  /* "global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=1" */
	char *params;              /* the part after '/' ("" when the scenario has no axes) */
};

/*
 * Appends the cells of sc to *cells (growing it; *ncells and *alloc as for ALLOC_GROW).
 * The parser has already proven that every cell has a rule.
 */
void matrix_expand(const struct scenario *sc, struct cell **cells, int *ncells, int *alloc);
void cell_release(struct cell *c);

/*
 * The value of a sysctl (full key) in this cell: the axis value, else the fixed sysctl.
 * Returns 0 with *value set, or -1 with *value 0 if neither.
 */
int cell_sysctl(const struct cell *c, const char *key, long long *value);
/*
 * The value of cgroup knob key ("memory.oom.group") of group g in this cell: the axis value,
 * else the group's fixed value. Returns 0 with *value set, or -1 with *value 0 if neither.
 */
int cell_knob(const struct cell *c, int g, const char *key, long long *value);

/*
 * What a rule of sc says must happen, in one line for --list: "killed grower; enomem steady",
 * "panic compulsory", "refused box/memory.use_hierarchy EINVAL", ... For the caller to free.
 */
char *matrix_rule_text(const struct scenario *sc, const struct sc_rule *rule);

/*
 * A filter is a comma-separated list of terms, all of which must match a cell:
 *   glob            the scenario name matches the glob (fnmatch)
 *   key=glob        key is "scenario", "id", a full sysctl ("vm.panic_on_oom") or its last
 *                   component ("panic_on_oom"), a cgroup knob ("box/memory.oom.group" or,
 *                   as in cell ids, "box:memory.oom.group"; a knob's value reads as in
 *                   the id: "max", "96M"), or a workload's adj axis ("grower/oom_score_adj"
 *                   or "grower:oom_score_adj"); the cell's value, as text, matches the glob.
 *                   A cell without that key does not match.
 * A comma inside a glob (ids hold commas) is written "\,".
 * Several filters select the cells matching any of them.
 */
struct matrix_term {
	char *key; /* NULL for a bare glob */
	char *glob;
};
struct matrix_filter {
	struct matrix_term *terms;
	int nterms;
};
/* Returns 0, or -1 with err set: "bad filter 'x': expected key=glob, found '='". */
int matrix_filter_parse(const char *text, struct matrix_filter *f, char *err, size_t errlen);
void matrix_filter_release(struct matrix_filter *f);
int matrix_filter_match(const struct matrix_filter *f, const struct cell *c);

#endif
