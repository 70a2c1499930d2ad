/* SPDX-License-Identifier: GPL-2.0-only */
/* runinfo.h - run.json's account of the run itself: when, its kernels, scenarios, QEMU, accel. */
#ifndef OOMLAB_RUNINFO_H
#define OOMLAB_RUNINFO_H

#include "cells/scenario.h"
#include "guest/kernel.h"
#include "report/results.h"

/* What a run is over, and the options it was given (docs/RESULTS.md, "The run"). */
struct runinfo {
	const struct kernel *kernels;
	const char *const *tags; /* the kernels as given */
	int nkernels;
	struct scenario *const *scs;
	int nscs;
	const char *accel;        /* the accelerator used, and why */
	const char *accel_why;
	const char *accel_option; /* --accel as given */
	const char *results;      /* --results */
	int jobs;
	int nfilters;
};

/* Sets started, kernels, scenarios, qemu, accel and options; dies when one cannot be encoded. */
void runinfo_start(struct results *res, const struct runinfo *ri);
/* Sets finished, and interrupted_by when something (why, not NULL) stopped the run. */
void runinfo_end(struct results *res, const char *why);

#endif
