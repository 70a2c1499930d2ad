/* SPDX-License-Identifier: GPL-2.0-only */
/* rundiff.h - two runs' cells compared: the regressions, the fixes and the other changes. */
#ifndef OOMLAB_RUNDIFF_H
#define OOMLAB_RUNDIFF_H

#include <jansson.h>

#include "util.h"

/*
 * One side of a comparison: a run (run.json's document) and, optionally, one of its kernels
 * (a tag): then only that kernel's cells take part, each known by its id after the kernel's
 * folder ("memcg-v2/panic_on_oom=0,..."), so that two kernels' cells meet.
 */
struct rundiff_side {
	const json_t *run;
	const char *kernel; /* NULL: every cell, by its whole id */
	const char *name;   /* how the side is named in what is printed */
};

enum rundiff_kind {
	RUNDIFF_REGRESSION, /* PASS (or CONF) then FAIL or BROK */
	RUNDIFF_FIX,        /* FAIL or BROK then PASS */
	RUNDIFF_CHANGE,     /* any other difference of verdict, victims, panic, ENOMEM, judgement */
	RUNDIFF_ONLY_A,     /* a cell one side has and the other not */
	RUNDIFF_ONLY_B,
};

struct rundiff_cell {
	enum rundiff_kind kind;
	char *key;            /* the cell as both sides know it */
	const json_t *a, *b;  /* its records (NULL on the side that lacks it) */
	char *what;           /* "PASS -> FAIL", "victims [grower] -> [steady]; ..." */
};

struct rundiff {
	struct rundiff_cell *cells; /* in the order a's cells finished, then b's that a lacks */
	int ncells;
	int count[RUNDIFF_ONLY_B + 1];
	int same;                   /* cells both have, alike */
};

/*
 * Compares b against a, cell by cell: verdict, the processes killed, the panic message, the
 * workloads refused memory, and the badness oracle's judgements of the kills. Without kernels
 * named, the sides' cells meet by their whole ids when both runs ran the same kernels, and
 * else by their ids within their kernel when each ran one. Returns 0, or -1 after an error
 * saying the sides cannot be compared (they ran several kernels each, not the same ones).
 */
int rundiff_compare(const struct rundiff_side *a, const struct rundiff_side *b,
		    struct rundiff *out);
void rundiff_release(struct rundiff *d);

/*
 * One cell's records compared, a's then b's: 1 with the kind of change and what changed
 * (*what, to free) when they differ, else 0.
 */
int rundiff_cell(const json_t *a, const json_t *b, enum rundiff_kind *kind, char **what);

/* What a kind is called in the listing: "regression", "fix", "change", "only in" */
const char *rundiff_kind_name(enum rundiff_kind k);

/*
 * A side's cell as evidence, into sb: its verdict and reason, then its findings' evidence
 * lines, or where it has none its kill lines, quoted from its kernel log (klog, len bytes)
 * when it is given.
 */
void rundiff_evidence(struct strbuf *sb, const json_t *cell, const char *klog, size_t len);

#endif
