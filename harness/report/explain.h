/* explain.h - "oomlab explain": says, for each OOM report in a kernel log, who died and why. */
#ifndef OOMLAB_EXPLAIN_H
#define OOMLAB_EXPLAIN_H

#include <stdio.h>

#include "observe/oomreport.h"

/*
 * Runs the subcommand with its own argv (argv[0] is "explain"): reads FILE, or standard input
 * for "-" or no FILE. Returns 0 when at least one OOM event was explained, 1 when the input
 * holds none, 2 for a usage error or an unreadable file.
 */
int cmd_explain(int argc, char **argv);

/*
 * Writes the explanation of every event of log to out: text meant for 100 columns, or with
 * json set one JSON document {"source", "events": [...]}. source names the input in the
 * output. Returns the number of events explained, or -1 when memory ran out.
 */
int explain_print(FILE *out, const struct oom_log *log, const char *source, int json);

#endif
