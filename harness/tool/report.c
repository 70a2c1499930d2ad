// SPDX-License-Identifier: GPL-2.0-only
/* report.c - "oomlab report": a run's KTAP, JUnit and pages, written again from its run.json. */
#include "tool/cmd.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "report/results.h"
#include "util.h"

static const char usage_text[] =
	"usage: oomlab report RUN\n"
	"\n"
	"Writes the views of a finished run again from its run.json and its cells' kernel logs:\n"
	"results.ktap, junit.xml, index.html, and each cell's index.html and kernel.log.html.\n"
	"For a run made before oomlab wrote them, or whose files were lost; a run writes them\n"
	"itself as it goes. RUN is the run's folder (results/<run-id>, or results/latest).\n"
	"\n"
	"Exit status: 0 done, 2 a usage error or a run that cannot be read or written.\n";

int cmd_report(int argc, char **argv)
{
	const char *dir;
	json_error_t err;
	json_t *run, *cell;
	char *path;
	size_t i;
	int bad = 0;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-') {
		error("one RUN folder, found %d argument%s (usage: oomlab report RUN)", argc - 1,
		      argc == 2 ? "" : "s");
		return 2;
	}
	dir = argv[1];
	path = xasprintf("%s/run.json", dir);
	run = json_load_file(path, 0, &err);
	if (!run) {
		error("cannot read '%s': %d:%d: %s", path, err.line, err.column, err.text);
		free(path);
		return 2;
	}
	free(path);
	if (!json_is_array(json_object_get(run, "plan"))) {
		json_t *plan = json_array();

		/* the views walk the plan: an older run's is its finished cells, in order */
		warning("'%s/run.json' has no plan (an older oomlab): only its finished cells are "
			"listed", dir);
		json_array_foreach(json_object_get(run, "cells"), i, cell)
			json_array_append_new(plan, json_pack(
				"{s:O?, s:O?, s:O?}", "id", json_object_get(cell, "id"), "scenario",
				json_object_get(cell, "scenario"), "kernel",
				json_object_get(cell, "kernel")));
		json_object_set_new(run, "plan", plan);
	}
	bad |= results_write_views(dir, run) < 0;
	json_array_foreach(json_object_get(run, "cells"), i, cell) {
		const char *klog = json_string_value(json_object_get(cell, "kernel_log"));
		struct strbuf log = STRBUF_INIT;

		if (!klog || strbuf_read_file_in(&log, dir, klog) < 0) {
			error("cannot read the kernel log of cell %zu of '%s/run.json'", i + 1, dir);
			bad = 1;
		} else {
			bad |= results_cell_pages(dir, cell, log.buf ? log.buf : "", log.len) < 0;
		}
		strbuf_release(&log);
	}
	json_decref(run);
	if (!bad)
		printf("oomlab: %s/index.html, results.ktap and junit.xml written\n", dir);
	return bad ? 2 : 0;
}
