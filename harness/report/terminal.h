/* SPDX-License-Identifier: GPL-2.0-only */
/* terminal.h - a run on the terminal: each cell's line, the progress line, the closing lines. */
#ifndef OOMLAB_TERMINAL_H
#define OOMLAB_TERMINAL_H

#include "cells/matrix.h"
#include "launch/schedule.h"
#include "oracles/oracle.h"
#include "report/results.h"
#include "util.h"

/*
 * Primary output goes to stdout: a line per finished cell (its verdict, id, what happened,
 * QEMU's time), each failed check with what was expected, what was seen and the kernel's
 * own lines, then the counts and the line CI reads. Chatter (the run's start, an
 * interruption) goes to stderr. On a terminal a progress line stays at the bottom. With
 * --format ktap, stdout is KTAP instead: each scenario's block once all its cells are done,
 * in the plan's order, and the counts as diagnostic lines.
 */
struct terminal {
	int tty;        /* stdout is a terminal: keep a progress line */
	int colour;     /* and colour the verdicts: a terminal without NO_COLOR */
	int ktap;       /* --format ktap: stdout is KTAP (report/ktap.h) and nothing else */
	int ktap_headed, ktap_printed; /* the version and plan lines, and the scenarios, printed */
	double started; /* now_s() when the first VM started */
	int cells;
	int finished;
};

/* --list: each cell (its id) with what it must do there, then the count. */
void terminal_list(const struct cell *cells, int n);

/* The run's first line, on stderr: its cells, kernel, accelerator, jobs and folder. */
void terminal_start(const struct terminal *t, const struct kernel *kernel, const char *tag,
		    const char *accel, const char *accel_why, int jobs, const char *dir);

/* One finished cell: its line, its findings with their evidence, a BROK's tail. */
void terminal_cell(const struct terminal *t, const char *dir, const struct job *j,
		   const struct oracle_ctx *ctx, const struct verdict_report *rep,
		   const struct strbuf *klog, const struct strbuf *console,
		   const struct strbuf *qemu);

/*
 * On a terminal, the progress line: cells done of all, the verdicts so far, the time since
 * the first VM started and, when left_s >= 0, about how long the rest will take.
 */
void terminal_progress(const struct terminal *t, const struct results *res, double left_s);

/* --format ktap: the version and plan lines, then the scenarios whose cells are all done. */
void terminal_ktap(struct terminal *t, const json_t *run);
/* Erases the progress line, so that what follows starts a clean line. */
void terminal_clear(const struct terminal *t);

/*
 * The closing lines: what stopped the run (why, or NULL) on stderr, the verdicts' counts,
 * and "N passed, N failed" with ", N skipped" when there were CONF cells: BROK counts as
 * failed. With KTAP, the scenarios not printed yet first, and the counts as "# " lines.
 */
void terminal_end(struct terminal *t, const struct results *res, const char *dir,
		  const char *why);

#endif
