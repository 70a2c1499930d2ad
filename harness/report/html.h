/* SPDX-License-Identifier: GPL-2.0-only */
/* html.h - a run as static pages: its verdicts per scenario and kernel, a page per cell. */
#ifndef OOMLAB_HTML_H
#define OOMLAB_HTML_H

#include <jansson.h>
#include <stddef.h>

/*
 * results/<run-id>/index.html of run (run.json's document): the verdicts per scenario and
 * kernel, then per scenario a grid of its cells (a row per matrix value, a column per kernel),
 * coloured by verdict, each linked to its page; a row whose kernels disagree is marked.
 */
char *html_index_text(const json_t *run);

/*
 * A cell's page, <cell>/index.html, from its run.json record and its kernel log (len bytes):
 * the verdict and reason, the rule and its why, the findings with their evidence linked into
 * kernel.log.html, the memory timeline (MemAvailable, SwapFree, each workload's rss, each
 * group's memory.current and swap, the groups' limits) with a marker at each kill, eviction,
 * ENOMEM and the panic, memory pressure where it was sampled, the kills, and each OOM report's
 * tasks ranked by the badness oracle.
 */
char *html_cell_text(const json_t *cell, const char *klog, size_t len);

/* A log as a page, each line with an anchor #L<n> (1-based), for the evidence's links */
char *html_log_text(const char *title, const char *text, size_t len);

#endif
