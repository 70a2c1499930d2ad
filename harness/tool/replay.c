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
#include "paths.h"
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
	"  --event all     each OOM report in turn: one scenario each, named <name>-e<N>, in\n"
	"                  <results>/replay/; those that cannot be replayed are named with why\n"
	"  --run           run the scenario and say whether the kernel chose the same task\n"
	"  --kernel K      with --run: the kernel (default debian:6.1)\n"
	"  --results DIR   with --run: where runs go (default: results)\n"
	"\n"
	"Exit status: without --run 0, or 2 when the report cannot be replayed; with --run,\n"
	"that of 'oomlab run' (0: the same task was chosen, in every scenario run).\n";

/* What each cell of the run just made says: its scenario's victim chosen again, or not. */
static int report_outcomes(const char *results, int several)
{
	char *path = xasprintf("%s/latest/run.json", results);
	json_t *run = json_load_file(path, 0, NULL), *cells, *cell;
	size_t i;
	int ret = 0;

	cells = run ? json_object_get(run, "cells") : NULL;
	if (!json_array_size(cells)) {
		error("no result in '%s'", path);
		ret = 1;
	}
	json_array_foreach(cells, i, cell) {
		const char *verdict = json_string_value(json_object_get(cell, "verdict"));
		const char *reason = json_string_value(json_object_get(cell, "reason"));
		const char *scenario = json_string_value(json_object_get(cell, "scenario"));
		char *who = several ? xasprintf("%s: ", scenario ? scenario : "?") : xstrdup("");

		if (verdict && !strcmp(verdict, "PASS")) {
			printf("replay: %sthe kernel made the report's choice again: %s\n", who,
			       reason);
		} else {
			printf("replay: %sthe kernel did not repeat the report's choice (%s): %s\n",
			       who, verdict ? verdict : "?", reason ? reason : "?");
			ret = 1;
		}
		free(who);
	}
	json_decref(run);
	free(path);
	return ret;
}

/* The name a replayed scenario's text gives itself. */
static char *scenario_name(const struct strbuf *text)
{
	const char *nm = strstr(text->buf, "\nscenario: ") + 11;

	return xstrndup(nm, strcspn(nm, "\n"));
}

/*
 * Writes one replayed scenario to out, or to standard output when out is NULL, once oomlab's
 * own parser has accepted it. Returns 0, or 2 when it cannot be written.
 */
static int write_scenario(const struct strbuf *text, const char *out)
{
	char *name = scenario_name(text), *check, err[512];
	struct scenario *sc;

	check = out ? xstrdup(out) : xasprintf("%s.yaml", name);
	sc = scenario_parse(check, text->buf, text->len, err, sizeof(err));
	free(check);
	free(name);
	if (!sc)
		BUG("replay wrote a scenario its own parser refuses: %s", err);
	scenario_free(sc);
	if (!out) {
		fputs(text->buf, stdout);
		return 0;
	}
	if (write_file_atomic(out, text->buf, text->len) < 0)
		return 2;
	fprintf(stderr, "replay: wrote %s\n", out);
	return 0;
}

/* <results>/replay/<name>.yaml, its folder made */
static char *replay_path(const char *results, const struct strbuf *text)
{
	char *dir = xasprintf("%s/replay", results), *name = scenario_name(text), *path;

	if (mkdir_p(dir, 0755) < 0)
		die_errno("cannot create '%s'", dir);
	path = xasprintf("%s/%s.yaml", dir, name);
	free(dir);
	free(name);
	return path;
}

/*
 * Every event of log replayed in turn into <results>/replay/. Adds each file written to files
 * (n of them); says why of each event that cannot be replayed. Returns 0, or 2 when none can.
 */
static int replay_each(const struct oom_log *log, struct replay_opts *o, const char *results,
		       char **files, int *n)
{
	struct strbuf text = STRBUF_INIT;
	char err[512];
	int e, ret = 0;

	o->name_event = 1;
	for (e = 1; e <= log->nevents && !ret; e++) {
		o->event = e;
		strbuf_reset(&text);
		if (replay_scenario(log, o, &text, err, sizeof(err)) < 0) {
			fprintf(stderr, "replay: event %d, at line %d, is not replayed: %s\n", e,
				log->events[e - 1].line, err);
			continue;
		}
		files[*n] = replay_path(results, &text);
		ret = write_scenario(&text, files[*n]);
		(*n)++;
	}
	strbuf_release(&text);
	if (!ret && !*n) {
		fprintf(stderr, "error: cannot replay '%s': none of its %d OOM report%s can be replayed\n",
			o->source, log->nevents, log->nevents == 1 ? "" : "s");
		ret = 2;
	}
	return ret;
}

/* Whether the kernel to run has cgroup v1's memory controller: resolves it (fetching it). */
static int kernel_lacks_memcg_v1(const char *tag, int *lacks)
{
	char *cache = xasprintf("%s/kernels", oomlab_paths()->cache);
	struct kernel k;
	int ret = kernel_resolve(tag, oomlab_paths()->scripts, cache, &k);

	free(cache);
	if (ret < 0)
		return -1;
	*lacks = kernel_memcg_v1(&k) == 0;
	kernel_release(&k);
	return 0;
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
	char err[512], *end, *name = NULL, **files = NULL;
	struct oom_log *log = NULL;
	int c, run = 0, all = 0, nfiles = 0, ret = 2, i;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'n': o.name = optarg; break;
		case 'r': run = 1; break;
		case 'k': kernel = optarg; break;
		case 'R': results = optarg; break;
		case 'e':
			all = !strcmp(optarg, "all");
			o.event = all ? 0 : (int)strtol(optarg, &end, 10);
			if (!all && (*end || o.event < 1)) {
				fprintf(stderr, "error: --event takes a number from 1 or 'all', found "
					"'%s'\n\n%s", optarg, usage_text);
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
	if (all && out) {
		fprintf(stderr, "error: --out names one file, and --event all writes a scenario per "
			"event (into %s/replay/)\n", results);
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
	/* a cgroup v1 report runs on v1, if the kernel to run has its memory controller */
	if (run && kernel_lacks_memcg_v1(kernel, &o.no_memcg_v1) < 0)
		goto done;
	log = oomreport_parse(in.buf ? in.buf : "", in.len);
	if (!log) {
		fprintf(stderr, "error: cannot replay '%s': out of memory\n", o.source);
		goto done;
	}
	if (all) {
		files = xcalloc((size_t)log->nevents + 1, sizeof(*files));
		ret = replay_each(log, &o, results, files, &nfiles);
	} else if (replay_scenario(log, &o, &text, err, sizeof(err)) < 0) {
		fprintf(stderr, "error: cannot replay '%s': %s\n", o.source, err);
	} else {
		files = xcalloc(2, sizeof(*files));
		if (out)
			files[nfiles++] = xstrdup(out);
		else if (run)
			files[nfiles++] = replay_path(results, &text);
		ret = write_scenario(&text, nfiles ? files[0] : NULL);
	}
	if (!ret && run) {
		char **rargv = xcalloc((size_t)nfiles + 6, sizeof(*rargv));

		rargv[0] = "run";
		rargv[1] = "--kernel";
		rargv[2] = (char *)kernel;
		rargv[3] = "--results";
		rargv[4] = (char *)results;
		for (i = 0; i < nfiles; i++)
			rargv[5 + i] = files[i];
		fflush(stdout);
		optind = 1;
		ret = cmd_run(5 + nfiles, rargv);
		if (ret != 2 && ret != 130)
			ret = report_outcomes(results, all) ? 1 : 0;
		free(rargv);
	}
done:
	for (i = 0; files && i < nfiles; i++)
		free(files[i]);
	free(files);
	oomreport_free(log);
	strbuf_release(&in);
	strbuf_release(&text);
	free(name);
	return ret;
}
