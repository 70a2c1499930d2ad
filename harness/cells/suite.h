/* SPDX-License-Identifier: GPL-2.0-only */
/* suite.h - the scenarios a run is given, loaded and checked, and their cells on each kernel. */
#ifndef OOMLAB_SUITE_H
#define OOMLAB_SUITE_H

#include "cells/matrix.h"
#include "cells/scenario.h"

/*
 * Every scenario file is loaded and checked before anything runs: a bad file stops the run
 * with every error printed and no VM started. The cells are then every scenario's matrix on
 * every kernel, kernel by kernel, each id starting with its kernel, less those no filter
 * selects.
 */
struct suite {
	struct scenario **scs;
	int nscs;
	struct cell *cells; /* on their kernels: every kernel's cells, kernel by kernel */
	int *cell_kernel;   /* each cell's kernel, an index into the kernels given */
	int ncells;
};

/*
 * Loads the scenarios named (names in dir, or paths to .yaml files), or with none every
 * *.yaml of dir; dir NULL: expectations/ here, else the folder scenarios (oomlab's own).
 * Dies after printing every error.
 */
void suite_load(struct suite *s, const char *dir, const char *scenarios, char **names,
		int nnames);

/*
 * The cells of every scenario on each kernel (tags as given; a "debian:" tag names its
 * release, and so its rules, already) that any filter selects (every cell, with none). Dies
 * when none is selected.
 */
void suite_cells(struct suite *s, const char *const *kernels, int nkernels,
		 const struct matrix_filter *filters, int nfilters);

#endif
