// SPDX-License-Identifier: GPL-2.0-only
/* run_options.c - the options of "oomlab run", as its command line gives them. */
#include "tool/run_options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char usage_text[] =
	"usage: oomlab run [options] [SCENARIO...]\n"
	"\n"
	"Runs the cells of the given scenarios (names in expectations/ or paths to .yaml files;\n"
	"default: every scenario in expectations/) and judges each against its expectation.\n"
	"\n"
	"  --kernel K        debian:6.1 (default) or debian:6.12 (the newest of each line),\n"
	"                    one ABI's package (debian:6.1.0-50, debian:6.12.111), a range of\n"
	"                    them (debian:6.1.0-47..57: each the archive holds), a list joined\n"
	"                    by commas, or a path to a bzImage; may be given more than once\n"
	"                    ('oomlab kernels' lists the packages)\n"
	"  --jobs N          VMs at once (default: cores, capped so the guests fit in half\n"
	"                    the host's memory)\n"
	"  --results DIR     where runs go (default: results)\n"
	"  --filter F        select cells: 'glob' (scenario name) or key=glob terms joined by\n"
	"                    commas, e.g. panic_on_oom=0,scenario=adj-*; a key may be a cgroup\n"
	"                    knob (box/memory.oom.group=1); id=ID, last, takes a cell's id as\n"
	"                    printed (debian-6.1/adj-prefer/...); several --filter: any\n"
	"  --list            print the cells (their ids) and their expected outcome; run nothing\n"
	"  --accel A         auto (default: KVM when a bounded probe boots, else TCG), tcg, kvm\n"
	"  --cell-timeout S  host deadline per VM in seconds (default: the cell's deadline + 60)\n"
	"  --expectations D  the scenario directory (default: expectations/)\n"
	"  --boot            boot every cell's kernel; by default a kernel boots once per VM\n"
	"                    shape, its state is saved, and each cell restores it\n"
	"  --seed N          the run's seed (default: random; run.json keeps it): each cell's\n"
	"                    guest RNG is seeded from it and the cell's id\n"
	"  --resume RUN      finish an interrupted run (its folder): runs only the cells its\n"
	"                    run.json lacks, with its own options and seed\n"
	"  --shard K/N       run the K-th of N slices of the cells (balanced by the times in\n"
	"                    results/history.sqlite, else by the cells' deadlines); without\n"
	"                    it, a shard the CI engine names: GitLab's CI_NODE_INDEX and\n"
	"                    CI_NODE_TOTAL, a Slurm array's SLURM_ARRAY_TASK_ID/_MIN/_COUNT,\n"
	"                    a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (of --shard-total\n"
	"                    N or OOMLAB_SHARD_TOTAL); 'oomlab merge' joins the shards' runs\n"
	"  --baseline RUN    a known-good run (its folder, or its id under --results) to compare\n"
	"                    each cell with as it finishes: the exit status is then 1 only for a\n"
	"                    cell that regressed (or fails with no baseline to compare), not\n"
	"                    for one that failed in the baseline too\n"
	"  --format F        text (default): a line per cell; ktap: KTAP version 1 on standard\n"
	"                    output, each scenario's block as soon as its cells are done\n"
	"                    (results/<run-id>/ holds run.json, results.ktap and junit.xml\n"
	"                    either way)\n"
	"\n"
	"Exit status: 0 every cell passed or was skipped with a reason, 1 a cell failed or could\n"
	"not be tested, 2 usage or set-up error, 130 interrupted.\n";

__attribute__((format(printf, 1, 2), noreturn))
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n\n%s", usage_text);
	exit(2);
}

/* An option's whole-number argument in lo..hi, or a usage error saying so */
static int number_in(const char *opt, const char *arg, int lo, int hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v < lo || v > hi)
		usage_error("%s takes a number from %d to %d, found '%s'", opt, lo, hi, arg);
	return (int)v;
}

void run_options_parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "results", required_argument, NULL, 'r' },
		{ "filter", required_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ "accel", required_argument, NULL, 'a' },
		{ "cell-timeout", required_argument, NULL, 't' },
		{ "expectations", required_argument, NULL, 'e' },
		{ "boot", no_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 's' },
		{ "resume", required_argument, NULL, 'R' },
		{ "format", required_argument, NULL, 'F' },
		{ "shard", required_argument, NULL, 'S' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "shard-total", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[256], *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->results_dir = "results";
	o->accel = "auto";
	optind = 0; /* --resume parses a second command line */
	while ((c = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			o->kernels = xrealloc(o->kernels, (size_t)(o->nkernels + 1) * sizeof(char *));
			o->kernels[o->nkernels++] = optarg;
			break;
		case 'j':
			o->jobs = number_in("--jobs", optarg, 1, 256);
			break;
		case 'r':
			o->results_dir = optarg;
			break;
		case 'f':
			o->filters = xrealloc(o->filters, (size_t)(o->nfilters + 1) *
					      sizeof(*o->filters));
			if (matrix_filter_parse(optarg, &o->filters[o->nfilters], err, sizeof(err)))
				usage_error("%s", err);
			o->nfilters++;
			break;
		case 'l':
			o->list = 1;
			break;
		case 'a':
			if (strcmp(optarg, "auto") && strcmp(optarg, "tcg") && strcmp(optarg, "kvm"))
				usage_error("--accel takes auto, tcg or kvm, found '%s'", optarg);
			o->accel = optarg;
			break;
		case 't':
			o->cell_timeout = strtod(optarg, &end);
			if (*end || o->cell_timeout <= 0)
				usage_error("--cell-timeout takes seconds, found '%s'", optarg);
			break;
		case 'e':
			o->expectations = optarg;
			break;
		case 'b':
			o->boot = 1;
			break;
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg || errno || optarg[0] == '-')
				usage_error("--seed takes a number, found '%s'", optarg);
			o->has_seed = 1;
			break;
		case 'R':
			o->resume = optarg;
			break;
		case 'S':
			o->shard = optarg;
			break;
		case 'B':
			o->baseline = optarg;
			break;
		case 'T':
			o->shard_total = number_in("--shard-total", optarg, 1, 10000);
			break;
		case 'F':
			if (strcmp(optarg, "text") && strcmp(optarg, "ktap"))
				usage_error("--format takes text or ktap, found '%s'", optarg);
			o->ktap = !strcmp(optarg, "ktap");
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			fprintf(stderr, "\n%s", usage_text);
			exit(2);
		}
	}
	if (o->resume && (o->nkernels || o->nfilters || o->list || o->boot || o->has_seed ||
			  o->expectations || o->cell_timeout || optind < argc))
		usage_error("--resume takes the run's own options from its run.json; only --jobs, "
			    "--accel and --format may be given with it");
	if (!o->nkernels) {
		o->kernels = xmalloc(sizeof(char *));
		o->kernels[o->nkernels++] = "debian:6.1";
	}
	o->scenarios = argv + optind;
	o->nscenarios = argc - optind;
}

void run_options_resume(struct run_opts *o, json_t *run)
{
	json_t *args = json_object_get(run, "argv"), *v;
	const char *resume = o->resume, *accel = o->accel;
	int jobs = o->jobs, ktap = o->ktap, argc = 1;
	char **argv;
	size_t n;

	if (!json_is_array(args))
		die("'%s/run.json' has no \"argv\": a run of an older oomlab cannot be resumed",
		    resume);
	argv = xcalloc(json_array_size(args) + 2, sizeof(*argv));
	argv[0] = "run";
	json_array_foreach(args, n, v) {
		if (!json_is_string(v))
			die("'%s/run.json': \"argv\" holds a %s, not a string", resume,
			    json_is_null(v) ? "null" : "number or object");
		argv[argc++] = xstrdup(json_string_value(v));
	}
	run_options_parse(argc, argv, o);
	if (o->resume)
		die("'%s/run.json': its own options say --resume", resume);
	o->resume = resume;
	o->jobs = jobs ? jobs : o->jobs;
	o->ktap = ktap;
	if (strcmp(accel, "auto"))
		o->accel = accel;
	v = json_object_get(json_object_get(run, "starts"), "seed");
	if (!json_is_string(v))
		die("'%s/run.json' has no seed (\"starts\": {\"seed\"}): it never started a cell",
		    resume);
	o->seed = strtoull(json_string_value(v), NULL, 16);
	o->has_seed = 1;
	/* argv and its strings stay for the run: o points into them */
}
