// SPDX-License-Identifier: GPL-2.0-only
/* history.c - "oomlab history": a cell's outcomes across every recorded run and kernel. */
#include "tool/cmd.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/history.h"
#include "util.h"

static const char usage_text[] =
	"usage: oomlab history [--results DIR] CELL-GLOB\n"
	"       oomlab history [--results DIR] --record RUN...\n"
	"\n"
	"Every run is recorded, when it ends, in DIR/history.sqlite (DIR: results by default;\n"
	"docs/HISTORY.md has the schema). The first form shows each recorded outcome of the cells\n"
	"whose id, or id within its kernel, matches CELL-GLOB ('memcg-v2/*', '*/global-two-hogs/*'),\n"
	"oldest run first: the run, the kernel's tag, package and version, the verdict, what was\n"
	"killed and how it was judged, a panic, ENOMEM, the time and the oomlab that ran it. The\n"
	"second records run folders made elsewhere (another machine's, or by an older oomlab).\n"
	"\n"
	"Exit status: 0 something shown or recorded, 1 no recorded cell matches, 2 an error.\n";

int cmd_history(int argc, char **argv)
{
	const char *dir;
	char *db;
	int i, n, bad = 0;

	if (cmd_leading(&argc, &argv, usage_text, &dir))
		return 0;
	db = xasprintf("%s/history.sqlite", dir);
	if (argc > 2 && !strcmp(argv[1], "--record")) {
		for (i = 2; i < argc; i++) {
			char *path = xasprintf("%s/run.json", argv[i]);
			json_error_t err;
			json_t *run = json_load_file(path, 0, &err);

			if (!run) {
				error("cannot read '%s': %d:%d: %s", path, err.line, err.column,
				      err.text);
				bad = 1;
			} else if (history_record(db, run, argv[i]) < 0) {
				bad = 1;
			} else {
				printf("oomlab history: recorded %s in %s\n", argv[i], db);
			}
			json_decref(run);
			free(path);
		}
		free(db);
		return bad ? 2 : 0;
	}
	if (argc != 2 || argv[1][0] == '-') {
		error("one CELL-GLOB (usage: oomlab history [--results DIR] CELL-GLOB)");
		free(db);
		return 2;
	}
	n = history_show(db, argv[1], stdout);
	if (!n)
		fprintf(stderr, "oomlab history: no recorded cell matches '%s' in %s\n", argv[1], db);
	free(db);
	return n < 0 ? 2 : n ? 0 : 1;
}
