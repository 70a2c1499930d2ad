/* SPDX-License-Identifier: GPL-2.0-only */
/* results.h - run.json: the run, its kernel and options, and every finished cell. */
#ifndef OOMLAB_RESULTS_H
#define OOMLAB_RESULTS_H

#include <jansson.h>
#include <time.h>

#include "oracles/oracle.h"

/*
 * A run's results live in results/<run-id>/: run.json, the same as KTAP (results.ktap), JUnit
 * (junit.xml) and a page (index.html), and per cell a folder holding the console, the agent's
 * records, the merged kernel log and its page. All four are rewritten atomically after every
 * finished cell, so a run stopped at any point keeps every cell it finished.
 * The format is documented in docs/RESULTS.md; changes to it are additive only.
 */

struct results {
	char *dir;     /* results/<run-id> */
	json_t *run;   /* the document; "cells" grows as cells finish */
	int passed, failed, broken, skipped;
};

/*
 * Creates the folder of a new run under parent (which must exist), named for the UTC time t:
 * 20261205-093000, or 20261205-093000-2, -3, ... when a run that started in the same second
 * holds the name. Returns the run id (caller frees), or NULL after an error naming the folder.
 */
char *results_new_run(const char *parent, time_t t);

/*
 * Takes up the run in dir again (oomlab run --resume): its run.json, already read into run
 * (the reference is taken), with its cells and their counts. Returns 0, or -1 after an error.
 */
int results_resume(struct results *res, const char *dir, json_t *run);

/* Points parent/latest at the run run_id (a warning when it cannot). */
void results_point_latest(const char *parent, const char *run_id);

/* Creates dir and the document. Returns 0, or -1 after an error naming the directory. */
int results_init(struct results *res, const char *dir, const char *run_id);
void results_release(struct results *res);

/*
 * Sets a top-level member (steals the reference). A NULL value (a json_pack() that failed)
 * is fatal: run.json never silently lacks a member.
 */
void results_set(struct results *res, const char *key, json_t *value);

/* The line of text number n (1-based) of a log, without its newline, in buf. */
const char *log_line(const char *log, size_t len, int n, char *buf, size_t buflen);

/*
 * A finished cell's record for run.json; paths are relative to the run directory. Every
 * text that is not oomlab's own (the guest's, the kernel log's, the user's paths) is
 * escaped where it is not UTF-8 (jsontext.h). Returns NULL after an error naming the cell
 * when the record cannot be built whole (no memory): never a record with parts missing.
 */
json_t *results_cell(const struct oracle_ctx *ctx, const struct verdict_report *rep,
		     const char *kernel_tag, double wall_s, const char *celldir,
		     const char *kernel_log, size_t loglen);

/*
 * Adds a cell, updates the counts and rewrites run.json. Returns 0, or -1 after an error;
 * a NULL cell (results_cell() failed and said why) returns -1 and is not counted, so the
 * summary counts only the cells written.
 */
int results_add(struct results *res, json_t *cell, enum verdict v);
/* Rewrites run.json, results.ktap, junit.xml and index.html (atomically): 0, or -1 after an error */
int results_write(struct results *res);


/*
 * The views of the run (run.json's document) in dir: results.ktap, junit.xml, index.html,
 * each written atomically. Returns 0, or -1 after an error naming the file.
 */
int results_write_views(const char *dir, const json_t *run);

/*
 * A finished cell's pages, in its folder under the run's folder dir: index.html and its
 * kernel log's, kernel.log.html (report/html.h), from its run.json record and that log.
 * Returns 0, or -1 after an error naming the file.
 */
int results_cell_pages(const char *dir, const json_t *cell, const char *klog, size_t len);

/*
 * The folder of a run named on a command line: arg itself where it is a path (it has a '/',
 * or is a folder here), else the run id arg under the results folder. Caller frees.
 */
char *results_run_dir(const char *results, const char *arg);

/*
 * The values of key ("scenario", "kernel") in run.json's plan, each once, in the plan's
 * order: their number, and *out a vector to free of strings run keeps.
 */
int results_plan_values(const json_t *run, const char *key, const char ***out);

/* run.json's finished cells by their id: a new object (decref it), or NULL without memory */
json_t *results_cells_by_id(const json_t *run);

#endif
