/* SPDX-License-Identifier: GPL-2.0-only */
/* run_options.h - the options of "oomlab run", as its command line gives them. */
#ifndef OOMLAB_RUN_OPTIONS_H
#define OOMLAB_RUN_OPTIONS_H

#include <jansson.h>

#include "cells/matrix.h"

struct run_opts {
	const char **kernels;
	int nkernels;
	int jobs;
	const char *results_dir;
	struct matrix_filter *filters;
	int nfilters;
	int list;
	const char *accel;
	double cell_timeout;
	const char *expectations;
	int boot;                 /* --boot: every cell boots its kernel */
	int has_seed;
	unsigned long long seed;  /* --seed: the run's, from which each cell's is drawn */
	const char *resume;       /* --resume RUN: the run's folder, whose options these are */
	int ktap;                 /* --format ktap: KTAP on standard output, not the lines */
	const char *shard;        /* --shard K/N, or NULL */
	const char *baseline;     /* --baseline RUN: a known-good run to compare each cell with */
	int shard_total;          /* --shard-total N: a Kubernetes Indexed Job's completions */
	char **scenarios;
	int nscenarios;
};

/* Parses argv (argv[0] is "run"); --help and a usage error print the usage and exit. */
void run_options_parse(int argc, char **argv, struct run_opts *o);

/*
 * For --resume: the options of the run in o->resume, as its run.json keeps them (its
 * "argv"), with --jobs and --accel as given now. Dies naming what is wrong with the run.
 */
void run_options_resume(struct run_opts *o, json_t *run);

#endif
