/* SPDX-License-Identifier: GPL-2.0-only */
/* explain.h - each OOM report of a kernel log explained: who died and why, as text or JSON. */
#ifndef OOMLAB_EXPLAIN_H
#define OOMLAB_EXPLAIN_H

#include <stdio.h>

#include "observe/oomreport.h"

/*
 * Writes the explanation of every event of log to out: text meant for 100 columns, or with
 * json set one JSON document {"source", "events": [...]}. source names the input in the
 * output. Returns the number of events explained, or -1 when memory ran out.
 */
int explain_print(FILE *out, const struct oom_log *log, const char *source, int json);

/*
 * The same, while the log is parsed: explainer_new() (NULL when memory runs out), then around
 * each step of the parser explainer_hold() before it and explainer_let() after it, naming the
 * events that will not change any more (oomreport_stream_log()); those are judged and printed
 * meanwhile on a thread of their own, and the task tables of those printed are freed (tasks
 * NULL, ntasks 0; by the end at the latest) to hold a long log's memory to what it needs.
 * explainer_end() with the whole log prints the rest and frees the explainer; it returns what
 * explain_print() does. explainer_free() gives up (the input could not be read) with nothing
 * more printed: what was printed stays, a JSON document then cut short. explainer_sync() waits until the events
 * let so far are printed, and returns how many are (the tests use it to know what ran where).
 */
struct explainer;
struct explainer *explainer_new(FILE *out, const char *source, int json);
void explainer_hold(struct explainer *ex);
void explainer_let(struct explainer *ex, struct oom_log *log, int nfinal);
int explainer_end(struct explainer *ex, struct oom_log *log);
void explainer_free(struct explainer *ex);
int explainer_sync(struct explainer *ex);

#endif
