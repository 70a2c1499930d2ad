// SPDX-License-Identifier: GPL-2.0-only
/* replay.c - "oomlab replay": a customer's OOM report turned into a scenario, and run. */
#include "tool/cmd.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells/replay.h"
#include "cells/scenario.h"
#include "guest/kernel.h"
#include "util.h"

static const char usage_text[] =
	"usage: oomlab replay [options] FILE|-\n"
	"\n"
	"Turns the OOM report in a kernel log (any format 'oomlab explain' reads) into a scenario\n"
	"of expectations/ form: a 512 MiB guest, one workload per task that competed, scaled so\n"
	"that oom_score_adj keeps its weight, and the report's victim as the expected one. A\n"
	"memory cgroup report runs in a group of 256 MiB, its limit scaled the same way (cgroup\n"
	"v1's for a v1 report, if the kernel to --run has v1's memory controller, else v2's);\n"
	"an OOM a cpuset or a memory policy confined runs confined to node 1 of two NUMA nodes.\n"
	"\n"
	"  --out FILE      write the scenario there (default: standard output; with --run,\n"
	"                  <results>/replay/<name>.yaml); its name follows the file's\n"
	"  --name NAME     the scenario's name (default: replay-<victim>)\n"
	"  --event N       the N-th OOM report of the input (default: the first with a task\n"
	"                  table and an outcome)\n"
	"  --run           run the scenario and say whether the kernel chose the same task\n"
	"  --kernel K      with --run: the kernel (default debian:6.1)\n"
	"  --results DIR   with --run: where runs go (default: results)\n"
	"\n"
	"Exit status: without --run 0, or 2 when the report cannot be replayed; with --run,\n"
	"that of 'oomlab run' (0: the same task was chosen).\n";

static int report_outcome(const char *results)
{
	char *path = xasprintf("%s/latest/run.json", results);
	json_t *run = json_load_file(path, 0, NULL), *cell;
	int ret = 1;

	cell = run ? json_array_get(json_object_get(run, "cells"), 0) : NULL;
	if (!cell) {
		error("no result in '%s'", path);
	} else if (!strcmp(json_string_value(json_object_get(cell, "verdict")), "PASS")) {
		printf("replay: the kernel made the report's choice again: %s\n",
		       json_string_value(json_object_get(cell, "reason")));
		ret = 0;
	} else {
		printf("replay: the kernel did not repeat the report's choice (%s): %s\n",
		       json_string_value(json_object_get(cell, "verdict")),
		       json_string_value(json_object_get(cell, "reason")));
	}
	json_decref(run);
	free(path);
	return ret;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "event", required_argument, NULL, 'e' },
		{ "run", no_argument, NULL, 'r' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "results", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_opts o = { 0 };
	const char *out = NULL, *kernel = "debian:6.1", *results = "results";
	struct strbuf in = STRBUF_INIT, text = STRBUF_INIT;
	char err[512], *path = NULL, *end, *name = NULL;
	struct scenario *sc;
	struct oom_log *log;
	int c, run = 0, ret;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'n': o.name = optarg; break;
		case 'r': run = 1; break;
		case 'k': kernel = optarg; break;
		case 'R': results = optarg; break;
		case 'e':
			o.event = (int)strtol(optarg, &end, 10);
			if (*end || o.event < 1) {
				fprintf(stderr, "error: --event takes a number from 1, found '%s'\n\n%s",
					optarg, usage_text);
				return 2;
			}
			break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fprintf(stderr, "\n%s", usage_text); return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "error: replay takes one FILE (or - for standard input)\n\n%s",
			usage_text);
		return 2;
	}
	o.source = argv[optind];
	if (!strcmp(o.source, "-") ? strbuf_read_file(&in, "/dev/stdin") :
	    strbuf_read_file(&in, o.source)) {
		error_errno("cannot read '%s'", o.source);
		return 2;
	}
	if (out && !o.name) {
		/* the scenario's name must be its file's */
		const char *base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;

		name = xstrndup(base, strcspn(base, "."));
		o.name = name;
	}
	if (run) {
		/* a cgroup v1 report runs on v1, if the kernel to run has its memory controller */
		char *root = tool_root(), *cache = xasprintf("%s/build/kernels", root);
		struct kernel k;

		c = kernel_resolve(kernel, root, cache, &k);
		free(cache);
		free(root);
		if (c < 0) {
			strbuf_release(&in);
			free(name);
			return 2;
		}
		o.no_memcg_v1 = kernel_memcg_v1(&k) == 0;
		kernel_release(&k);
	}
	log = oomreport_parse(in.buf ? in.buf : "", in.len);
	if (!log || replay_scenario(log, &o, &text, err, sizeof(err)) < 0) {
		fprintf(stderr, "error: cannot replay '%s': %s\n", o.source,
			log ? err : "out of memory");
		oomreport_free(log);
		return 2;
	}
	oomreport_free(log);
	if (!out && run) {
		const char *nm = strstr(text.buf, "\nscenario: ") + 11;
		char *dir = xasprintf("%s/replay", results);

		if (mkdir_p(dir, 0755) < 0)
			die_errno("cannot create '%s'", dir);
		path = xasprintf("%s/%.*s.yaml", dir, (int)strcspn(nm, "\n"), nm);
		free(dir);
		out = path;
	}
	/* the generator's output must be a scenario oomlab accepts: check before writing it */
	{
		const char *nm = strstr(text.buf, "\nscenario: ") + 11;
		char *check = out ? xstrdup(out) : xasprintf("%.*s.yaml", (int)strcspn(nm, "\n"), nm);

		sc = scenario_parse(check, text.buf, text.len, err, sizeof(err));
		free(check);
	}
	if (!sc)
		BUG("replay wrote a scenario its own parser refuses: %s", err);
	scenario_free(sc);
	if (!out) {
		fputs(text.buf, stdout);
		ret = 0;
	} else if (write_file_atomic(out, text.buf, text.len) < 0) {
		ret = 2;
	} else {
		fprintf(stderr, "replay: wrote %s\n", out);
		ret = 0;
	}
	if (!ret && run) {
		char *rargv[] = { "run", "--kernel", (char *)kernel, "--results", (char *)results,
				  (char *)out, NULL };

		fflush(stdout);
		optind = 1;
		ret = cmd_run(6, rargv);
		if (ret != 2 && ret != 130)
			ret = report_outcome(results) ? 1 : 0;
	}
	strbuf_release(&in);
	strbuf_release(&text);
	free(path);
	free(name);
	return ret;
}
