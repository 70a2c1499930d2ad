/* SPDX-License-Identifier: GPL-2.0-only */
/* kwscan.h - finding, in a large log, the next line the OOM report parser must read. */
#ifndef OOMLAB_KWSCAN_H
#define OOMLAB_KWSCAN_H

#include <stddef.h>

/*
 * Outside an OOM report only a line holding one of a few keywords can open a report, join one
 * or end it (kwscan.c lists them); the others are skipped unread. These search the buffer
 * itself for the next keyword, so that the lines before it are only counted.
 */

/* The i-th keyword, or NULL past the last: the tests hold both scans to every one. */
const char *kwscan_keyword(size_t i);

/* Whether a keyword begins at p (end: the buffer's end). */
int kwscan_at(const char *p, const char *end);

/*
 * The first keyword at or after p, or end when there is none; adds to *newlines (unless NULL)
 * the number of '\n' in [p, that keyword), counted on the way.
 */
const char *kwscan_find(const char *p, const char *end, size_t *newlines);

/* The same, always without the CPU's wider vectors: what the tests hold kwscan_find() to. */
const char *kwscan_find_generic(const char *p, const char *end);

/* The number of '\n' in [p, end). */
size_t kwscan_newlines(const char *p, const char *end);

#endif
