// SPDX-License-Identifier: GPL-2.0-only
/* suite.c - the scenarios a run is given, loaded and checked, and their cells on each kernel. */
#include "cells/suite.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml of dir, sorted. */
static char **scenario_files(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **files = NULL;
	int alloc = 0;

	*n = 0;
	if (!d)
		die_errno("cannot open scenario directory '%s'", dir);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l > 5 && !strcmp(de->d_name + l - 5, ".yaml") && de->d_name[0] != '.') {
			ALLOC_GROW(files, *n + 1, alloc);
			files[(*n)++] = xasprintf("%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
	qsort(files, (size_t)*n, sizeof(*files), cmp_str);
	return files;
}

void suite_load(struct suite *s, const char *dir, const char *scenarios, char **names, int nnames)
{
	char **files, err[1024], *defdir = NULL;
	int n, i, bad = 0;

	memset(s, 0, sizeof(*s));
	if (!dir) {
		defdir = xstrdup(access("expectations", R_OK) == 0 ? "expectations" : scenarios);
		dir = defdir;
	}
	if (nnames) {
		n = nnames;
		files = xcalloc((size_t)n, sizeof(*files));
		for (i = 0; i < n; i++) {
			const char *name = names[i];

			files[i] = strchr(name, '/') || strstr(name, ".yaml") ? xstrdup(name) :
				   xasprintf("%s/%s.yaml", dir, name);
		}
	} else {
		files = scenario_files(dir, &n);
		if (!n)
			die("no scenario (*.yaml) in '%s'", dir);
	}
	s->scs = xcalloc((size_t)n, sizeof(*s->scs));
	for (i = 0; i < n; i++) {
		struct scenario *sc = scenario_load(files[i], err, sizeof(err));

		free(files[i]);
		if (!sc) {
			fprintf(stderr, "error: %s\n", err);
			bad++;
			continue;
		}
		/* cells are named, and their folders made, after the scenario */
		for (int d = 0; d < s->nscs; d++) {
			if (strcmp(s->scs[d]->name, sc->name))
				continue;
			fprintf(stderr, "error: scenario '%s' is given twice: '%s' and '%s'\n",
				sc->name, s->scs[d]->path, sc->path);
			scenario_free(sc);
			sc = NULL;
			bad++;
			break;
		}
		if (sc)
			s->scs[s->nscs++] = sc;
	}
	free(files);
	free(defdir);
	if (bad)
		die("%d scenario file%s with errors: nothing was run", bad, bad > 1 ? "s" : "");
}

void suite_cells(struct suite *s, const char *const *kernels, int nkernels,
		 const struct matrix_filter *filters, int nfilters)
{
	struct cell *base = NULL;
	int i, k, alloc = 0, nbase = 0;

	/* every cell on every kernel, kernel by kernel, each named by its kernel */
	for (i = 0; i < s->nscs; i++)
		matrix_expand(s->scs[i], &base, &nbase, &alloc);
	alloc = 0;
	for (k = 0; k < nkernels; k++) {
		const char *tag = kernels[k];
		/* the release a Debian tag names; a kernel given by path is known once read */
		const char *release = !strncmp(tag, "debian:", 7) ? tag + 7 : NULL;

		for (i = 0; i < nbase; i++) {
			struct cell c;
			int f, match = !nfilters;

			cell_on_kernel(&c, &base[i], tag, release);
			for (f = 0; f < nfilters && !match; f++)
				match = matrix_filter_match(&filters[f], &c);
			if (!match) {
				cell_release(&c);
				continue;
			}
			ALLOC_GROW(s->cells, s->ncells + 1, alloc);
			s->cell_kernel = xrealloc(s->cell_kernel, (size_t)alloc *
						 sizeof(*s->cell_kernel));
			s->cell_kernel[s->ncells] = k;
			s->cells[s->ncells++] = c;
		}
	}
	for (i = 0; i < nbase; i++)
		cell_release(&base[i]);
	free(base);
	if (!s->ncells)
		die("no cell matches the filters");
}
