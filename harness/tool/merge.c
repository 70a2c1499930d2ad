// SPDX-License-Identifier: GPL-2.0-only
/* merge.c - "oomlab merge": the shards of a run (or any runs of one oomlab) joined as one run. */
#include "tool/cmd.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report/history.h"
#include "report/jsontext.h"
#include "report/results.h"
#include "util.h"

static const char usage_text[] =
	"usage: oomlab merge [--results DIR] RUN...\n"
	"\n"
	"Joins runs into one new run under DIR (default: results): the shards of one run made\n"
	"with --shard or a CI engine's shard, or runs of disjoint cells. The new run has every\n"
	"cell of them (their folders copied), its run.json, results.ktap, junit.xml and pages, and\n"
	"is recorded in DIR/history.sqlite. Refused, saying which and what differs, unless every\n"
	"run was made by the same oomlab (version and commit) on the same kernels (packages and\n"
	"versions) over the same scenarios, and no cell is in two of them; shards must be slices\n"
	"of the same cells. A shard missing leaves its cells 'not run' in the merged run.\n"
	"\n"
	"Exit status: 0, or 2 when the runs cannot be merged or read.\n";

/* The member key of run, as text, for comparing runs: "" when it has none */
static char *text_of(const json_t *run, const char *key, const char *const *keep)
{
	json_t *v = json_object_get(run, key), *copy, *e;
	char *s;
	size_t i;

	if (!v)
		return xstrdup("");
	/* of each object of an array, only the members named in keep */
	copy = json_array();
	if (json_is_array(v) && keep) {
		json_array_foreach(v, i, e) {
			json_t *o = json_object();
			const char *const *k;

			for (k = keep; *k; k++)
				json_object_set(o, *k, json_object_get(e, *k));
			json_array_append_new(copy, o);
		}
	} else {
		json_array_append(copy, v);
	}
	s = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	return s ? s : xstrdup("");
}

/* The first of the runs' values of key that differs from the first run's, or -1 */
static int differs(json_t **runs, int n, const char *key, const char *const *keep)
{
	char *first = text_of(runs[0], key, keep);
	int i, at = -1;

	for (i = 1; i < n && at < 0; i++) {
		char *t = text_of(runs[i], key, keep);

		if (strcmp(t, first))
			at = i;
		free(t);
	}
	free(first);
	return at;
}

/* cp -a src dst: a cell's folder into the merged run */
static int copy_tree(const char *src, const char *dst)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return error_errno("cannot fork to copy '%s'", src);
	if (pid == 0) {
		execlp("cp", "cp", "-a", src, dst, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_errno("cannot wait for the copy of '%s'", src);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return error("cannot copy '%s' to '%s'", src, dst);
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	static const char *const kernel_keys[] = { "tag", "package", "version", NULL };
	static const char *const scenario_keys[] = { "name", "path", NULL };
	const char *dir, *what = NULL;
	json_t **runs, *merged, *cells, *seen, *plan, *from, *c, *of = NULL;
	char *run_id, *out, *path;
	int n, i, at, bad = 0, shards = 0;
	size_t k;

	if (cmd_leading(&argc, &argv, usage_text, &dir))
		return 0;
	n = argc - 1;
	if (n < 1) {
		error("runs to merge, found none (usage: oomlab merge [--results DIR] RUN...)");
		return 2;
	}
	runs = xcalloc((size_t)n, sizeof(*runs));
	for (i = 0; i < n; i++) {
		json_error_t err;

		path = xasprintf("%s/run.json", argv[i + 1]);
		runs[i] = json_load_file(path, 0, &err);
		if (!runs[i]) {
			error("cannot read '%s': %d:%d: %s", path, err.line, err.column, err.text);
			bad = 1;
		}
		free(path);
	}
	if (bad)
		goto out;
	/* the same oomlab, kernels and scenarios everywhere */
	if ((at = differs(runs, n, "oomlab", NULL)) >= 0)
		what = "oomlab version or commit";
	else if ((at = differs(runs, n, "kernels", kernel_keys)) >= 0)
		what = "kernels (their packages and versions)";
	else if ((at = differs(runs, n, "scenarios", scenario_keys)) >= 0)
		what = "scenarios";
	if (what) {
		error("cannot merge '%s' with '%s': another %s", argv[at + 1], argv[1], what);
		bad = 1;
		goto out;
	}
	/* shards: slices of the same cells, each once */
	for (i = 0; i < n; i++) {
		json_t *sh = json_object_get(runs[i], "shard");

		if (!sh)
			continue;
		shards++;
		if (!of)
			of = json_object_get(sh, "of");
		else if (!json_equal(of, json_object_get(sh, "of"))) {
			error("cannot merge '%s' with '%s': shards of other cells (another suite, "
			      "filter, or weights: give every shard the same history)", argv[i + 1],
			      argv[1]);
			bad = 1;
			goto out;
		}
	}
	if (shards && shards != n) {
		error("cannot merge shards with runs that are none: give the shards of one run");
		bad = 1;
		goto out;
	}
	merged = json_deep_copy(runs[0]);
	cells = json_array();
	seen = json_object();
	plan = json_array();
	from = json_array();
	for (i = 0; i < n; i++) {
		json_array_foreach(json_object_get(runs[i], "cells"), k, c) {
			if (json_object_get(seen, json_str(c, "id"))) {
				error("cannot merge: cell '%s' is in '%s' and in another run",
				      json_str(c, "id"), argv[i + 1]);
				bad = 1;
			}
			json_object_set(seen, json_str(c, "id"), json_true());
			json_array_append(cells, c);
		}
		if (!of)
			json_array_extend(plan, json_object_get(runs[i], "plan"));
		json_array_append_new(from, json_pack("{s:s, s:s, s:O?}", "run_id",
						      json_str(runs[i], "run_id"), "results",
						      argv[i + 1], "shard",
						      json_object_get(runs[i], "shard")));
		if (json_is_true(json_object_get(runs[i], "interrupted")))
			json_object_set_new(merged, "interrupted", json_true());
		if (strcmp(json_str(runs[i], "started"), json_str(merged, "started")) < 0)
			json_object_set(merged, "started", json_object_get(runs[i], "started"));
		if (strcmp(json_str(runs[i], "finished"), json_str(merged, "finished")) > 0)
			json_object_set(merged, "finished", json_object_get(runs[i], "finished"));
	}
	if (of) {
		/* the plan of the whole run, in its order: shards missing leave cells not run */
		long long total = json_integer_value(json_object_get(json_object_get(runs[0],
								      "shard"), "total"));

		/*
		 * Each cell in one shard's slice: shards cut by other weights (other
		 * histories) can give a cell to two shards, or to none.
		 */
		json_array_foreach(of, k, c) {
			const char *id = json_string_value(c);
			json_t *p = NULL, *e;
			int in = 0;
			size_t j;

			for (i = 0; i < n; i++)
				json_array_foreach(json_object_get(runs[i], "plan"), j, e)
					if (!strcmp(json_str(e, "id"), id)) {
						p = p ? p : e;
						in++;
					}
			if (in > 1 || (!in && shards == total)) {
				error("cannot merge: cell '%s' is in %d of the shards' slices, not in one "
				      "(a shard given twice, or shards cut by other weights: give every "
				      "shard the same history)", id, in);
				bad = 1;
			}
			json_array_append(plan, p ? p : json_pack("{s:s}", "id", id));
		}
		if (shards < total)
			warning("%d of %lld shards merged: the others' cells are not run in it",
				shards, total);
	}
	if (bad) {
		json_decref(merged);
		json_decref(cells);
		json_decref(seen);
		json_decref(plan);
		json_decref(from);
		goto out;
	}
	if (mkdir_p(dir, 0755) < 0) {
		error_errno("cannot create the results folder '%s'", dir);
		bad = 1;
		goto out;
	}
	run_id = results_new_run(dir, time(NULL));
	if (!run_id) {
		bad = 1;
		goto out;
	}
	out = xasprintf("%s/%s", dir, run_id);
	json_object_set_new(merged, "run_id", json_string(run_id));
	json_object_set_new(merged, "cells", cells);
	json_object_set_new(merged, "plan", plan);
	json_object_set_new(merged, "merged", from);
	json_object_del(merged, "shard");
	/* each cell's folder, from its run's */
	for (i = 0; i < n && !bad; i++)
		json_array_foreach(json_object_get(runs[i], "cells"), k, c) {
			char *src = xasprintf("%s/%s", argv[i + 1], json_str(c, "id"));
			char *dst = xasprintf("%s/%s", out, json_str(c, "id"));
			char *parent = xstrdup(dst);

			*strrchr(parent, '/') = '\0';
			bad |= mkdir_p(parent, 0755) < 0 || copy_tree(src, dst) < 0;
			free(src);
			free(dst);
			free(parent);
		}
	if (!bad) {
		/* counted and written as a run writes its own run.json and views */
		struct results res;
		json_t *intr = json_incref(json_object_get(merged, "interrupted"));
		json_t *by = json_incref(json_object_get(merged, "interrupted_by"));

		if (results_resume(&res, out, json_incref(merged)) < 0) {
			json_decref(merged);
			bad = 1;
		} else {
			if (intr)
				json_object_set(merged, "interrupted", intr);
			if (by)
				json_object_set(merged, "interrupted_by", by);
			bad = results_write(&res) < 0;
			results_release(&res);
		}
		json_decref(intr);
		json_decref(by);
	}
	if (!bad) {
		path = xasprintf("%s/history.sqlite", dir);
		if (history_record(path, merged, out) < 0)
			warning("the merged run is not in '%s'", path);
		free(path);
		results_point_latest(dir, run_id);
		printf("oomlab merge: %d run%s, %d cells, into %s\n", n, n == 1 ? "" : "s",
		       (int)json_array_size(cells), out);
	}
	json_decref(merged);
	json_decref(seen);
	free(out);
	free(run_id);
out:
	for (i = 0; i < n; i++)
		json_decref(runs[i]);
	free(runs);
	return bad ? 2 : 0;
}
