// SPDX-License-Identifier: GPL-2.0-only
/* diff.c - "oomlab diff A B": what changed between two runs, or two kernels of one run. */
#include "tool/cmd.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/results.h"
#include "report/rundiff.h"
#include "util.h"

static const char usage_text[] =
	"usage: oomlab diff [--results DIR] A B\n"
	"\n"
	"Compares run B with run A, cell by cell: the verdict, the processes killed, the panic,\n"
	"the workloads refused memory and the badness oracle's judgements. Prints the cells that\n"
	"changed, grouped as regressions (PASS to FAIL or BROK), fixes (FAIL or BROK to PASS) and\n"
	"other changes, each with both sides' reasons and evidence lines, then the cells only one\n"
	"run has. A and B are run folders, or run ids under DIR (default: results); RUN@KERNEL\n"
	"takes one kernel's cells of a run (results/latest@debian:6.1 results/latest@debian:6.12\n"
	"compares two kernels of one run).\n"
	"\n"
	"Exit status: 0 no regression, 1 a regression, 2 a usage error or a run that cannot be read.\n";

/* A side: "RUN[@KERNEL]", RUN a folder or an id under dir. Returns the run, or NULL. */
static json_t *load_side(const char *arg, const char *dir, struct rundiff_side *s, char **kernel,
			 char **rundir)
{
	char *copy = xstrdup(arg), *at = strchr(copy, '@'), *path;
	json_error_t err;
	json_t *run;

	if (at)
		*at++ = '\0';
	*kernel = at ? xstrdup(at) : NULL;
	*rundir = results_run_dir(dir, copy);
	path = xasprintf("%s/run.json", *rundir);
	run = json_load_file(path, 0, &err);
	if (!run)
		error("cannot read run '%s' (%s): %d:%d: %s", arg, path, err.line, err.column,
		      err.text);
	free(path);
	free(copy);
	s->run = run;
	s->kernel = *kernel;
	s->name = arg;
	return run;
}

/* One side of a changed cell: its evidence, with its kill lines from its kernel log */
static void put_side(const char *name, const char *dir, const json_t *cell)
{
	const char *klog = json_string_value(json_object_get(cell, "kernel_log"));
	struct strbuf log = STRBUF_INIT, sb = STRBUF_INIT;
	int have = klog && strbuf_read_file_in(&log, dir, klog) == 0;

	rundiff_evidence(&sb, cell, have ? log.buf : NULL, have ? log.len : 0);
	printf("  %s:\n%s", name, sb.buf ? sb.buf : "");
	strbuf_release(&sb);
	strbuf_release(&log);
}

int cmd_diff(int argc, char **argv)
{
	const char *dir;
	struct rundiff_side a, b;
	struct rundiff d;
	char *ka = NULL, *kb = NULL, *dirs[2] = { NULL, NULL };
	json_t *ra, *rb;
	int i, k, prev = -1; /* the kind printed last */

	if (cmd_leading(&argc, &argv, usage_text, &dir))
		return 0;
	if (argc != 3) {
		error("two runs to compare, found %d (usage: oomlab diff [--results DIR] A B)",
		      argc - 1);
		return 2;
	}
	ra = load_side(argv[1], dir, &a, &ka, &dirs[0]);
	rb = load_side(argv[2], dir, &b, &kb, &dirs[1]);
	if (!ra || !rb || rundiff_compare(&a, &b, &d) < 0) {
		k = 2;
		goto out;
	}
	for (k = RUNDIFF_REGRESSION; k <= RUNDIFF_ONLY_B; k++) {
		for (i = 0; i < d.ncells; i++) {
			const struct rundiff_cell *c = &d.cells[i];

			if ((int)c->kind != k)
				continue;
			if (k >= RUNDIFF_ONLY_A) {
				/* a line each, the group apart from what comes before */
				printf("%sonly in %s: %s (%s)\n", prev < 0 || prev == k ? "" : "\n",
				       k == RUNDIFF_ONLY_A ? argv[1] : argv[2], c->key, c->what);
				prev = k;
				continue;
			}
			printf("%s%s  %s: %s\n", prev < 0 ? "" : "\n", rundiff_kind_name(c->kind), c->key,
			       c->what);
			put_side(argv[1], dirs[0], c->a);
			put_side(argv[2], dirs[1], c->b);
			prev = k;
		}
	}
	printf("%soomlab diff: %d regression%s, %d fix%s, %d other change%s, %d alike; %d only "
	       "in %s, %d only in %s\n", prev < 0 ? "" : "\n", d.count[RUNDIFF_REGRESSION],
	       d.count[RUNDIFF_REGRESSION] == 1 ? "" : "s", d.count[RUNDIFF_FIX],
	       d.count[RUNDIFF_FIX] == 1 ? "" : "es", d.count[RUNDIFF_CHANGE],
	       d.count[RUNDIFF_CHANGE] == 1 ? "" : "s", d.same, d.count[RUNDIFF_ONLY_A], argv[1],
	       d.count[RUNDIFF_ONLY_B], argv[2]);
	k = d.count[RUNDIFF_REGRESSION] ? 1 : 0;
	rundiff_release(&d);
out:
	json_decref(ra);
	json_decref(rb);
	free(ka);
	free(kb);
	free(dirs[0]);
	free(dirs[1]);
	return k;
}
