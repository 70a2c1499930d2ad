/* SPDX-License-Identifier: GPL-2.0-only */
/* history.h - every finished run in one SQLite database, and a cell's outcomes across them. */
#ifndef OOMLAB_HISTORY_H
#define OOMLAB_HISTORY_H

#include <jansson.h>
#include <stdio.h>

#include "util.h"

/*
 * Records run (run.json's document; its folder is results) in the database at path
 * (results/history.sqlite), creating it or bringing its schema up to date (docs/HISTORY.md):
 * the run, and a row per finished cell with its kernel's package and version, verdict,
 * victims, judgements, panic, ENOMEM and time. A run recorded again replaces its rows.
 * Returns 0, or -1 after an error naming the database.
 */
int history_record(const char *path, const json_t *run, const char *results);

/*
 * Writes to out every recorded outcome of the cells whose id, or id within its kernel
 * ("memcg-v2/panic_on_oom=0,..."), matches glob, a cell at a time, oldest run first. Returns
 * how many, or -1 after an error.
 */
int history_show(const char *path, const char *glob, FILE *out);

/*
 * What each cell took on average in the runs recorded at path, by its id: an object of
 * numbers (decref it), empty when there is no history.
 */
json_t *history_times(const char *path);

#endif
