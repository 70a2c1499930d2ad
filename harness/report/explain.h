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

#endif
