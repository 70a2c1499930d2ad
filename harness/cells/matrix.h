/* SPDX-License-Identifier: GPL-2.0-only */
/* matrix.h - scenarios expanded into cells (scenario x matrix point), and cell filters. */
#ifndef OOMLAB_MATRIX_H
#define OOMLAB_MATRIX_H

#include "cells/scenario.h"

/*
 * A cell is one point of one scenario's matrix: a value for every axis, and the rule that
 * states what must happen there. Cells are listed scenario by scenario in the order given,
 * and inside a scenario with the last axis varying fastest, so a cell list is stable and can
 * later be sliced into shards.
 */
struct cell {
	const struct scenario *sc;
	int *vi;                   /* value index per axis: sc->axes[a].values[vi[a]] */
	const struct sc_rule *rule; /* first rule whose "when" matches (on its kernel) */
	/*
	 * On a kernel (cell_on_kernel()), "debian-6.12/global-two-hogs/panic_on_oom=0,..." : the
	 * kernel's folder name, then the cell's id within the kernel. That one form is what a
	 * run prints, what --list prints, run.json's "id" and the cell's results folder.
	 */
	char *id;
	char *params;              /* the matrix values ("" when the scenario has no axes) */
	const char *kernel;        /* the kernel's tag ("debian:6.12"); NULL before a kernel */
	size_t kernel_len;         /* the length of "debian-6.12/" at the start of id; or 0 */
};

/*
 * Appends the cells of sc to *cells (growing it; *ncells and *alloc as for ALLOC_GROW), each
 * named within its kernel ("global-two-hogs/panic_on_oom=0,..."), with the rule for any kernel.
 * The parser has already proven that every cell has a rule.
 */
void matrix_expand(const struct scenario *sc, struct cell **cells, int *ncells, int *alloc);
void cell_release(struct cell *c);

/* The folder name of a kernel tag: "debian:6.12" -> "debian-6.12" (':' and '/' become '-'). */
char *matrix_kernel_dir(const char *tag);
/*
 * *out becomes cell c on the kernel of tag (not copied: it must outlive *out): its id starts
 * with the kernel's folder name, and its rule is the one for release (cell_on_release()).
 * *out owns its id, vi and params; cell_release() frees them.
 */
void cell_on_kernel(struct cell *out, const struct cell *c, const char *tag, const char *release);
/*
 * Sets c's rule to the first whose "when", kernel range included, holds on a kernel of that
 * release ("6.12.117+deb12-cloud-amd64", "6.12"); NULL: the rules for any kernel.
 */
void cell_on_release(struct cell *c, const char *release);

/*
 * The value of a sysctl (full key) in this cell: the axis value, else the fixed sysctl.
 * Returns 0 with *value set, or -1 with *value 0 if neither.
 */
int cell_sysctl(const struct cell *c, const char *key, long long *value);
/*
 * The sysctl's value in force in this cell: its own, else dflt, the kernel's default for a
 * knob the cell leaves alone (Documentation/admin-guide/sysctl/vm.rst).
 */
long long cell_sysctl_or(const struct cell *c, const char *key, long long dflt);
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
 *   key=glob        key is "scenario", "id" (the whole id, or on a kernel also the part
 *                   after the kernel's name, which matches on every kernel), a full sysctl
 *                   ("vm.panic_on_oom") or its last
 *                   component ("panic_on_oom"), a cgroup knob ("box/memory.oom.group" or,
 *                   as in cell ids, "box:memory.oom.group"; a knob's value reads as in
 *                   the id: "max", "96M"), or a workload's adj axis ("grower/oom_score_adj"
 *                   or "grower:oom_score_adj"); the cell's value, as text, matches the glob.
 *                   A cell without that key does not match.
 * A comma inside a glob is written "\,", except in an id term, which takes the rest of the
 * filter, commas and all, so that an id is given as printed ("id=debian-6.1/a/x=0,y=1").
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
