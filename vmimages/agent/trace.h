/* SPDX-License-Identifier: GPL-2.0-only */
/* trace.h - the guest's tracefs: forks, exits, OOM marks, adj writes and signals, as they happen. */
#ifndef OOMLAB_TRACE_H
#define OOMLAB_TRACE_H

#include <stddef.h>

#include "tracebuf.h"

/*
 * Sets up tracing (tracebuf.h says why trace events) and opens every CPU's raw buffer:
 * mounts tracefs, reads header_page and each event's format, sets the "mono" clock (the
 * agent's own CLOCK_MONOTONIC, so events and records share one time line), buffer_size_kb
 * per CPU, no overwriting (a full buffer drops new events and counts them), a filter that
 * leaves out the signals whose default action is to ignore them (SIGCHLD, SIGURG,
 * SIGWINCH), then enables the events and turns tracing on.
 *
 * Returns 0, or an errno with *what naming the step that failed ("mount", "format
 * oom/mark_victim: no field comm", ...): the agent then falls back to the proc connector.
 */
int trace_init(unsigned kb_per_cpu, char *what, size_t whatlen);

/*
 * Reads every page the kernel has filled since the last call, on every CPU, calling emit for
 * each event; nothing is allocated. Returns the events read; *missed grows by the events the
 * kernel dropped. The events of one CPU come in order; across CPUs only their time stamps
 * order them.
 */
long trace_drain(tb_emit_fn emit, void *arg, long *missed);

struct trace_stats {
	long dropped;     /* "dropped events": new events refused by a full buffer */
	long overrun;     /* "overrun": old events overwritten (0 without overwriting) */
	long peak_bytes;  /* the most read from one CPU's buffer in one drain */
	long events;      /* events read in all */
	int cpus;
	unsigned buffer_kb;
};

/*
 * Reads every event so far into nothing and starts the counts again: a restored cell's
 * trace was set up in its shape (shape.c), before the cell's own setup ran.
 */
void trace_discard(void);

/* Turns tracing off and adds each CPU's stats file (what its buffer could not hold). */
void trace_finish(void);

/* What the drains read and the kernel could not hold, so far: drain after trace_finish(). */
void trace_stats(struct trace_stats *st);

#endif
