// SPDX-License-Identifier: GPL-2.0-only
/* run.c - "oomlab run": scenarios into cells, one supervised VM per cell, a verdict per cell. */
#include "tool/cmd.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "cells/shard.h"
#include "cells/suite.h"
#include "guest/image.h"
#include "guest/kernel.h"
#include "launch/accel.h"
#include "launch/schedule.h"
#include "observe/oomreport.h"
#include "observe/records.h"
#include "oracles/oracle.h"
#include "report/history.h"
#include "report/jsontext.h"
#include "report/rundiff.h"
#include "report/results.h"
#include "report/runinfo.h"
#include "report/terminal.h"
#include "tool/run_options.h"
#include "paths.h"
#include "util.h"

/*
 * A run: load and check every scenario first (a bad file stops the run before any VM
 * starts), expand them into cells, fetch the kernels, build the base image once, then keep
 * up to --jobs VMs running. Each VM is watched through a pidfd under a host deadline; when it
 * ends, its records and console are read, judged and added to run.json at once, so an
 * interrupted run keeps every finished cell.
 */

struct run {
	struct run_opts o;
	int argc;     /* the command line after "run", which run.json keeps for --resume */
	char **argv;
	json_t *done; /* --resume: the run.json read back */
	char full[256]; /* why the run stopped itself: its results disk is (nearly) full */
	char stopped_by[256]; /* --resume: what had stopped the run ("" if nothing said) */
	int njobs;
	struct suite suite;
	struct kernel *kernels; /* per kernel given, in order */
	struct images images;
	const char *accel;
	char accel_why[160];
	struct results res;
	struct job *jobs; /* one per cell */
	struct shapes shapes;
	int at_once;  /* VMs at once */
	json_t *shard; /* run.json's "shard", or NULL */
	json_t *baseline;      /* --baseline: its run.json */
	char *baseline_dir;
	int vs[RUNDIFF_ONLY_B + 1]; /* its cells compared: kinds of change */
	int known, new_failures;   /* cells failing as in the baseline; failing with none there */
	struct terminal term;
};

/* QEMU, the kernels and the guests' images, or a set-up error naming what is missing. */
static void prepare(struct run *run)
{
	int k;

	if (!in_path("qemu-system-x86_64"))
		die("cannot find 'qemu-system-x86_64' in PATH: install the Debian package "
		    "qemu-system-x86 (make deps does)");
	run->kernels = xcalloc((size_t)run->o.nkernels, sizeof(*run->kernels));
	for (k = 0; k < run->o.nkernels; k++) {
		char *cache = xasprintf("%s/kernels", oomlab_paths()->cache);

		if (kernel_resolve(run->o.kernels[k], oomlab_paths()->scripts, cache,
				   &run->kernels[k]) < 0)
			exit(2);
		free(cache);
	}
	images_init(&run->images, oomlab_paths(), run->suite.scs, run->suite.nscs, run->kernels,
		    run->o.nkernels);
}

/* The run's folder, results/<run-id>, and its run.json; returns the folder's path. */
static char *open_results(struct run *run, char **run_id)
{
	char *dir;

	if (run->done) {
		const char *slash = strrchr(run->o.resume, '/');
		const char *by = json_string_value(json_object_get(run->done, "interrupted_by"));

		/* what stopped the run before: the "resumed" entry keeps it */
		snprintf(run->stopped_by, sizeof(run->stopped_by), "%s", by ? by : "");
		dir = xstrdup(run->o.resume);
		*run_id = xstrdup(slash ? slash + 1 : dir);
		if (results_resume(&run->res, dir, run->done) < 0)
			exit(2);
		return dir;
	}
	if (mkdir_p(run->o.results_dir, 0755) < 0 || access(run->o.results_dir, W_OK) < 0)
		die_errno("cannot write results directory '%s'", run->o.results_dir);
	*run_id = results_new_run(run->o.results_dir, time(NULL));
	if (!*run_id)
		exit(2);
	dir = xasprintf("%s/%s", run->o.results_dir, *run_id);
	if (results_init(&run->res, dir, *run_id) < 0)
		exit(2);
	return dir;
}

/* run.json's account of the run before its first cell, and results/latest pointing at it. */
static void describe_run(struct run *run, const char *run_id, int jobs)
{
	struct runinfo ri = {
		.kernels = run->kernels, .tags = run->o.kernels, .nkernels = run->o.nkernels,
		.scs = run->suite.scs, .nscs = run->suite.nscs,
		.accel = run->accel, .accel_why = run->accel_why, .accel_option = run->o.accel,
		.results = run->o.results_dir, .jobs = jobs, .nfilters = run->o.nfilters,
	};

	if (run->done) {
		json_t *r = json_object_get(run->res.run, "resumed");
		char at[32];
		time_t t = time(NULL);

		if (!json_is_array(r))
			results_set(&run->res, "resumed", r = json_array());
		strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		json_array_append_new(r, json_pack("{s:s, s:i, s:o}", "at", at, "cells", run->njobs,
						   "after", jsontext(run->stopped_by)));
	} else {
		json_t *args = json_array(), *plan;
		char seed[24];
		int i;

		runinfo_start(&run->res, &ri);
		/* the cells the run is to run, in order: KTAP and JUnit list those not run too */
		plan = json_array();
		for (i = 0; i < run->suite.ncells; i++) {
			const struct cell *c = &run->suite.cells[i];

			json_array_append_new(plan, json_pack("{s:o, s:s, s:o}", "id", jsontext(c->id),
							      "scenario", c->sc->name, "kernel",
							      jsontext(c->kernel)));
		}
		results_set(&run->res, "plan", plan);
		if (run->shard)
			results_set(&run->res, "shard", json_incref(run->shard));
		for (i = 0; i < run->argc; i++)
			json_array_append_new(args, jsontext(run->argv[i]));
		results_set(&run->res, "argv", args);
		/* before any VM: a run stopped while its shapes boot can be resumed */
		snprintf(seed, sizeof(seed), "0x%016llx", run->o.seed);
		results_set(&run->res, "starts", json_pack("{s:s, s:s, s:[]}", "path",
							   run->o.boot ? "boot" : "restore",
							   "seed", seed, "shapes"));
	}
	if (results_write(&run->res) < 0)
		exit(2);
	results_point_latest(run->o.results_dir, run_id);
}

/*
 * A cell's seed, 32 bytes in hex, drawn from the run's seed and the cell's id (FNV-1a of the
 * id, then splitmix64): the same run seed gives a cell the same seed in any run.
 */
static void cell_seed(unsigned long long run_seed, const char *id, char *hex)
{
	unsigned long long x = 0xcbf29ce484222325ULL, z;
	int i;

	for (; *id; id++)
		x = (x ^ (unsigned char)*id) * 0x100000001b3ULL;
	x ^= run_seed;
	for (i = 0; i < 4; i++) {
		x += 0x9e3779b97f4a7c15ULL;
		z = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		sprintf(hex + 16 * i, "%016llx", z ^ (z >> 31));
	}
}

/* Whether run.json already has the cell id (--resume). */
static int done_before(const struct run *run, const char *id)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(run->res.run, "cells"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "id")), id))
			return 1;
	return 0;
}

/* A job per cell, on its kernel, in its folder under dir; --resume leaves out those done. */
static void make_jobs(struct run *run, const char *dir)
{
	char *db = xasprintf("%s/history.sqlite", run->o.results_dir);
	json_t *times = history_times(db), *t;
	int i;

	free(db);

	run->jobs = xcalloc((size_t)run->suite.ncells, sizeof(*run->jobs));
	for (i = 0; i < run->suite.ncells; i++) {
		struct job *j = &run->jobs[run->njobs];

		if (run->done && done_before(run, run->suite.cells[i].id))
			continue;
		run->njobs++;

		j->k = run->suite.cell_kernel[i];
		j->kernel = &run->kernels[j->k];
		/* the kernel now read: its own release picks the rule */
		cell_on_release(&run->suite.cells[i], j->kernel->release);
		j->kcell = run->suite.cells[i];
		j->cell = &j->kcell;
		j->reldir = xstrdup(run->suite.cells[i].id);
		j->dir = xasprintf("%s/%s", dir, j->reldir);
		j->agent_log = xasprintf("%s/agent.log", j->dir);
		j->timeout_s = job_timeout(j->cell, run->o.cell_timeout);
		cell_seed(run->o.seed, j->cell->id, j->seed);
		t = json_object_get(times, j->cell->id);
		j->recorded_s = t ? json_number_value(t) : -1;
	}
	json_decref(times);
}

/*
 * The time the cells not yet finished will take, over the VMs run at once: each as long as
 * it took on average in the history, else as this run's cells so far on average, else half
 * its deadline.
 */
static double time_left(const struct run *run)
{
	double done_s = 0, left_s = 0, mean_s;
	int i, ndone = 0;

	for (i = 0; i < run->njobs; i++)
		if (run->jobs[i].finished) {
			done_s += run->jobs[i].vm.wall_s;
			ndone++;
		}
	mean_s = ndone ? done_s / ndone : -1;
	for (i = 0; i < run->njobs; i++) {
		const struct job *j = &run->jobs[i];

		if (!j->finished)
			left_s += j->recorded_s >= 0 ? j->recorded_s : mean_s >= 0 ? mean_s :
				  j->timeout_s / 2;
	}
	return left_s / (run->at_once > 0 ? run->at_once : 1);
}

/* The header's and run.json's account of which path each kernel's cells take, and why. */
static void describe_shapes(struct run *run, const char *dir)
{
	json_t *starts = json_array();
	int i, k, s;

	for (k = 0; k < run->o.nkernels; k++) {
		int saved = 0, failed = 0;
		double made = 0;

		for (s = 0; s < run->shapes.n; s++) {
			const struct shape *sh = &run->shapes.v[s];
			int cells = 0;

			if (sh->k != k)
				continue;
			for (i = 0; i < run->njobs; i++)
				cells += run->jobs[i].shape == sh;
			saved += sh->ok;
			made += sh->made_s;
			if (!sh->ok) {
				failed++;
				fprintf(stderr, "oomlab: %s: no snapshot of shape %s (%s): %s; its %d "
					"%s\n", run->o.kernels[k], sh->dir + strlen(dir) + 1,
					sh->key, sh->why, cells, cells > 1 ? "cells boot" : "cell boots");
			}
			json_array_append_new(starts, json_pack(
				"{s:s, s:s, s:s, s:b, s:s, s:f, s:i}", "kernel", run->o.kernels[k],
				"shape", sh->dir + strlen(dir) + 1, "key", sh->key, "saved", sh->ok,
				"why", sh->why, "made_s", sh->made_s, "cells", cells));
		}
		if (run->o.boot)
			fprintf(stderr, "oomlab: %s: every cell boots its kernel (--boot)\n",
				run->o.kernels[k]);
		else if (saved)
			fprintf(stderr, "oomlab: %s: cells restore from %d saved VM shape%s (booted "
				"and saved in %.1f s)%s\n", run->o.kernels[k], saved,
				saved > 1 ? "s" : "", made, failed ? ", except as above" : "");
	}
	/* a resumed run's shapes go with its "resumed" entry; the run's seed stays */
	if (run->done)
		json_object_set_new(json_array_get(json_object_get(run->res.run, "resumed"),
						   json_array_size(json_object_get(run->res.run,
										   "resumed")) - 1),
				    "shapes", starts);
	else
		json_object_set_new(json_object_get(run->res.run, "starts"), "shapes", starts);
	if (results_write(&run->res) < 0)
		exit(2);
}

/*
 * Unless --boot: each kernel boots once per VM shape and its state is saved, so that its
 * cells restore it; a shape that cannot be saved says why, and its cells boot. Returns 0,
 * or the signal that stopped it.
 */
static int make_shapes(struct run *run, const char *dir, int jobs, int sigfd)
{
	int i, sig = 0;

	if (!run->o.boot) {
		for (i = 0; i < run->njobs; i++)
			shapes_add(&run->shapes, &run->images, run->jobs[i].k,
				   run->jobs[i].kernel, run->jobs[i].cell->sc, dir);
		sig = shapes_make(&run->shapes, &run->images, run->accel, jobs, sigfd);
		for (i = 0; i < run->njobs; i++)
			run->jobs[i].shape = &run->shapes.v[shapes_add(
				&run->shapes, &run->images, run->jobs[i].k, run->jobs[i].kernel,
				run->jobs[i].cell->sc, dir)];
	}
	describe_shapes(run, dir);
	return sig;
}

/*
 * Whether the results disk has less free space than a cell may write (its logs, a booted
 * cell's initrd, its disks as they fill): then run->full says so, and the schedule starts
 * nothing more and stops what runs.
 */
#define RESULTS_MIN_FREE (64ULL << 20)

static int disk_full(struct run *run)
{
	struct statvfs st;
	unsigned long long avail;

	if (run->full[0])
		return 1;
	if (statvfs(run->res.dir, &st) < 0)
		return 0;
	avail = (unsigned long long)st.f_bavail * st.f_frsize;
	if (avail >= RESULTS_MIN_FREE)
		return 0;
	snprintf(run->full, sizeof(run->full), "the results disk is full: %llu KiB free under "
		 "%s, a cell needs %llu MiB", avail >> 10, run->res.dir, RESULTS_MIN_FREE >> 20);
	return 1;
}

/*
 * What the VM left: the agent's records into obs, the console and QEMU's messages; the
 * cell's kernel log is built into klog and kept beside them, and the guest's images go.
 */
static void read_cell(const struct job *j, struct observation *obs, struct strbuf *console,
		      struct strbuf *qemu, struct strbuf *klog)
{
	struct strbuf agent = STRBUF_INIT;
	char *p;

	strbuf_read_file_in(&agent, j->dir, "agent.log");
	strbuf_read_file_in(console, j->dir, "console.log");
	strbuf_read_file_in(qemu, j->dir, "qemu.log");
	records_parse(agent.buf ? agent.buf : "", agent.len, obs);
	records_kernel_log(obs, console->buf ? console->buf : "", console->len, klog);
	p = xasprintf("%s/kernel.log", j->dir);
	write_file_atomic(p, klog->buf ? klog->buf : "", klog->len);
	free(p);
	if (obs->ev.started) {
		struct strbuf ev = STRBUF_INIT;
		int i;

		/* the evictor's own words, a line each, as run.json's evidence numbers them */
		for (i = 0; i < obs->ev.nlog; i++)
			strbuf_addf(&ev, "%s\n", obs->ev.log[i].text);
		p = xasprintf("%s/evictor.log", j->dir);
		write_file_atomic(p, ev.buf ? ev.buf : "", ev.len);
		free(p);
		strbuf_release(&ev);
	}
	strbuf_release(&agent);
}

/*
 * --baseline: the cell's record against the baseline's record of it, counted, and said
 * under its line (say; a resumed run counts its earlier cells quietly).
 */
static void against_baseline(struct run *run, const json_t *cell, int say)
{
	const json_t *b = NULL, *c;
	const char *id = json_string_value(json_object_get(cell, "id"));
	const char *v = json_string_value(json_object_get(cell, "verdict"));
	const char *within = strchr(id, '/') ? strchr(id, '/') + 1 : id;
	int failing = v && (!strcmp(v, "FAIL") || !strcmp(v, "BROK"));
	enum rundiff_kind kind;
	char *what = NULL;
	size_t i;
	int one;

	/*
	 * The same id, or, when the baseline ran one kernel only (the usual
	 * "this kernel against last week's"), the same cell under that kernel.
	 * With several kernels in the baseline only the same id is the same cell.
	 */
	one = json_array_size(json_object_get(run->baseline, "kernels")) == 1;
	json_array_foreach(json_object_get(run->baseline, "cells"), i, c) {
		const char *bid = json_string_value(json_object_get(c, "id"));
		const char *slash = bid ? strchr(bid, '/') : NULL;

		if (bid && !strcmp(bid, id)) {
			b = c;
			break;
		}
		if (one && slash && !strcmp(slash + 1, within))
			b = c;
	}
	if (!b) {
		run->new_failures += failing;
		if (say && !run->term.ktap)
			printf("      baseline: no such cell in %s\n", run->baseline_dir);
		return;
	}
	if (!rundiff_cell(b, cell, &kind, &what)) {
		run->known += failing;
		return;
	}
	run->vs[kind]++;
	run->known += kind == RUNDIFF_CHANGE && failing;
	if (say && !run->term.ktap) {
		terminal_clear(&run->term);
		printf("      baseline: %s: %s\n", rundiff_kind_name(kind), what);
	}
	free(what);
}

/* The schedule's finish: reads what the VM left, judges the cell and records it. */
static void finish_cell(struct job *j, void *arg)
{
	struct run *run = arg;
	struct strbuf console = STRBUF_INIT, qemu = STRBUF_INIT, klog = STRBUF_INIT;
	struct observation obs = { 0 };
	struct verdict_report rep;
	struct oracle_ctx ctx;
	struct oom_log *log;
	json_t *cell;

	j->running = 0;
	/*
	 * A cell that ran while the results disk filled may have lost its logs' ends: it is
	 * not judged, the run stops, and --resume runs it again.
	 */
	if (disk_full(run))
		return;
	read_cell(j, &obs, &console, &qemu, &klog);
	log = oomreport_parse(klog.buf ? klog.buf : "", klog.len);
	if (!log)
		die("out of memory parsing the kernel log of '%s'", j->cell->id);
	oracle_ctx_init(&ctx, j->cell, &obs, log, vm_ending(&j->vm, log->has_panic));
	ctx.restored = j->restored;
	oracle_judge(&ctx, &rep);
	cell = results_cell(&ctx, &rep, j->kernel->tag, j->vm.wall_s, j->reldir,
			    klog.buf ? klog.buf : "", klog.len);
	if (cell)
		json_object_set_new(cell, "start", json_pack(
			"{s:s, s:s, s:o}", "how", j->restored ? "restored" : "booted", "seed",
			j->seed, "shape", j->restored ? json_string(j->shape->dir +
						strlen(run->res.dir) + 1) : json_null()));
	if (results_add(&run->res, cell, rep.verdict) < 0)
		die("cannot write the results of '%s'", j->cell->id);
	if (run->baseline)
		against_baseline(run, cell, 1);
	if (results_cell_pages(run->res.dir, cell, klog.buf ? klog.buf : "", klog.len) < 0)
		warning("cannot write the pages of '%s'", j->cell->id);
	run->term.finished++;
	j->finished = 1;
	terminal_cell(&run->term, run->res.dir, j, &ctx, &rep, &klog, &console, &qemu);
	terminal_ktap(&run->term, run->res.run);
	terminal_progress(&run->term, &run->res, time_left(run));

	verdict_report_release(&rep);
	oracle_ctx_release(&ctx);
	oomreport_free(log);
	observation_release(&obs);
	strbuf_release(&console);
	strbuf_release(&qemu);
	strbuf_release(&klog);
}

static void show_progress(void *arg)
{
	struct run *run = arg;

	disk_full(run);
	terminal_progress(&run->term, &run->res, time_left(run));
}

/* Keeps the suite's cells for which keep says so, releasing the others */
static void keep_cells(struct suite *su, const unsigned char *keep)
{
	int i, j;

	for (i = j = 0; i < su->ncells; i++) {
		if (!keep[i]) {
			cell_release(&su->cells[i]);
			continue;
		}
		su->cells[j] = su->cells[i];
		su->cell_kernel[j++] = su->cell_kernel[i];
	}
	su->ncells = j;
}

/*
 * --shard K/N, or the shard the CI engine names: keeps the shard's slice of the cells and
 * says in run->shard which it is, with every cell of the run it is a slice of (for merge).
 * The cells weigh what they took in the history's runs, else their deadline.
 */
static void take_shard(struct run *run)
{
	struct shard sh;
	char err[256], *db;
	json_t *times, *of, *t;
	unsigned char *keep;
	double *w;
	int i, got, known = 0;

	got = run->o.shard ? shard_parse(run->o.shard, &sh, err, sizeof(err)) == 0 ? 1 : -1 :
	      shard_from_env(&sh, run->o.shard_total, err, sizeof(err));
	if (got < 0) {
		error("%s", err);
		exit(2);
	}
	if (!got)
		return;
	db = xasprintf("%s/history.sqlite", run->o.results_dir);
	times = history_times(db);
	free(db);
	w = xcalloc((size_t)run->suite.ncells + 1, sizeof(*w));
	keep = xcalloc((size_t)run->suite.ncells + 1, 1);
	of = json_array();
	for (i = 0; i < run->suite.ncells; i++) {
		t = json_object_get(times, run->suite.cells[i].id);
		known += t != NULL;
		w[i] = t ? json_number_value(t) : run->suite.cells[i].sc->deadline_ms / 1000.0;
		json_array_append_new(of, jsontext(run->suite.cells[i].id));
	}
	shard_pick(w, run->suite.ncells, &sh, keep);
	keep_cells(&run->suite, keep);
	if (!run->suite.ncells) {
		error("shard %d of %d (%s) has no cell: %d shards for %d cells", sh.k, sh.n, sh.from,
		      sh.n, (int)json_array_size(of));
		exit(2);
	}
	run->shard = json_pack("{s:i, s:i, s:s, s:s, s:o}", "index", sh.k, "total", sh.n, "from",
			       sh.from, "weights", known ? "history" : "deadlines", "of", of);
	fprintf(stderr, "oomlab: shard %d of %d (%s): %d of its %d cells, weighed by %s\n",
		sh.k, sh.n, sh.from, run->suite.ncells, (int)json_array_size(of),
		known ? "the history's times" : "their deadlines");
	json_decref(times);
	free(w);
	free(keep);
}

/* --resume: the cells of the run's own plan (a shard's slice stays the slice it was) */
static void keep_plan(struct run *run)
{
	json_t *plan = json_object_get(run->done, "plan"), *p;
	unsigned char *keep;
	size_t k;
	int i;

	if (!json_is_array(plan))
		return;
	keep = xcalloc((size_t)run->suite.ncells + 1, 1);
	for (i = 0; i < run->suite.ncells; i++)
		json_array_foreach(plan, k, p)
			if (json_is_string(json_object_get(p, "id")) &&
			    !strcmp(json_string_value(json_object_get(p, "id")),
				    run->suite.cells[i].id))
				keep[i] = 1;
	keep_cells(&run->suite, keep);
	free(keep);
}

/*
 * The --kernel arguments as tags: each list and range of Debian ABIs expanded
 * (kernel_expand()), a tag given twice run once.
 */
static void expand_kernels(struct run_opts *o)
{
	char *cache = xasprintf("%s/kernels", oomlab_paths()->cache), **tags = NULL;
	int k, n = 0, i, j;

	for (k = 0; k < o->nkernels; k++)
		if (kernel_expand(o->kernels[k], oomlab_paths()->scripts, cache, &tags, &n) < 0)
			exit(2);
	for (i = j = 0; i < n; i++) {
		for (k = 0; k < j && strcmp(tags[k], tags[i]); k++)
			;
		if (k < j)
			free(tags[i]);
		else
			tags[j++] = tags[i];
	}
	free(cache);
	o->kernels = (const char **)tags;
	o->nkernels = j;
}

int cmd_run(int argc, char **argv)
{
	struct run run = { 0 };
	struct schedule sched;
	char *run_id, *dir;
	int k, jobs, failed, interrupted, sigfd;
	const char *why;

	run_options_parse(argc, argv, &run.o);
	run.argc = argc - 1;
	run.argv = argv + 1;
	if (run.o.resume) {
		char *path = xasprintf("%s/run.json", run.o.resume);
		json_error_t err;

		run.done = json_load_file(path, 0, &err);
		if (!run.done)
			die("cannot resume '%s': %s:%d:%d: %s", run.o.resume, path, err.line,
			    err.column, err.text);
		free(path);
		run_options_resume(&run.o, run.done);
	}
	expand_kernels(&run.o);
	if (run.o.baseline) {
		json_error_t err;
		char *path;

		run.baseline_dir = results_run_dir(run.o.results_dir, run.o.baseline);
		path = xasprintf("%s/run.json", run.baseline_dir);
		run.baseline = json_load_file(path, 0, &err);
		if (!run.baseline)
			die("cannot read the baseline '%s' (%s): %d:%d: %s", run.o.baseline, path,
			    err.line, err.column, err.text);
		free(path);
	}
	if (!run.o.has_seed && getrandom(&run.o.seed, sizeof(run.o.seed), 0) != sizeof(run.o.seed))
		die_errno("cannot draw the run's seed (getrandom)");
	suite_load(&run.suite, run.o.expectations, oomlab_paths()->scenarios, run.o.scenarios,
		   run.o.nscenarios);
	suite_cells(&run.suite, run.o.kernels, run.o.nkernels, run.o.filters, run.o.nfilters);
	if (run.done)
		keep_plan(&run);
	else
		take_shard(&run);
	if (run.o.list) {
		terminal_list(run.suite.cells, run.suite.ncells);
		return 0;
	}
	prepare(&run);
	dir = open_results(&run, &run_id);
	make_jobs(&run, dir);
	jobs = run.o.jobs ? run.o.jobs : schedule_default_jobs(run.suite.scs, run.suite.nscs);
	if (jobs > run.njobs)
		jobs = run.njobs > 0 ? run.njobs : 1;
	run.accel = accel_pick(run.o.accel, &run.images, &run.kernels[0], run.res.dir,
			       run.accel_why, sizeof(run.accel_why));
	describe_run(&run, run_id, jobs);
	if (run.done) {
		json_t *c;
		size_t i;

		fprintf(stderr, "oomlab: resuming %s: %d of its %d cells left\n", dir, run.njobs,
			run.suite.ncells);
		/* the gate counts the whole run: the cells finished before too */
		if (run.baseline)
			json_array_foreach(json_object_get(run.res.run, "cells"), i, c)
				against_baseline(&run, c, 0);
	}

	run.at_once = jobs;
	run.term = (struct terminal){ .tty = isatty(1), .ktap = run.o.ktap, .cells = run.njobs };
	/* colour only on a terminal, and never with NO_COLOR set (no-color.org) */
	run.term.colour = run.term.tty && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	terminal_ktap(&run.term, run.res.run);
	terminal_start(&run.term, &run.kernels[0], run.o.kernels[0], run.accel, run.accel_why,
		       jobs, dir);
	sigfd = schedule_signals();
	interrupted = make_shapes(&run, dir, jobs, sigfd);
	run.term.started = now_s();
	sched = (struct schedule){ .images = &run.images, .accel = run.accel, .jobs = run.jobs,
				   .njobs = run.njobs, .max = jobs, .sigfd = sigfd,
				   .stop = run.full,
				   .finish = finish_cell, .tick = show_progress, .arg = &run };
	if (!interrupted)
		interrupted = schedule_run(&sched);
	close(sigfd);

	why = run.full[0] ? run.full : interrupted ? strsignal(interrupted) : NULL;
	runinfo_end(&run.res, why);
	if (results_write(&run.res) < 0)
		exit(2);
	/* the history of every run: what it does not keep, the run's folder still does */
	{
		char *db = xasprintf("%s/history.sqlite", run.o.results_dir);

		if (history_record(db, run.res.run, dir) < 0)
			warning("this run is not in '%s'; 'oomlab history --record %s' adds it",
				db, dir);
		free(db);
	}
	terminal_end(&run.term, &run.res, dir, why);
	failed = run.res.failed + run.res.broken;
	if (run.baseline) {
		printf("%soomlab: against the baseline %s: %d regression%s, %d fix%s, %d other "
		       "change%s; %d failing as there, %d failing with no cell there\n",
		       run.term.ktap ? "# " : "", run.baseline_dir, run.vs[RUNDIFF_REGRESSION],
		       run.vs[RUNDIFF_REGRESSION] == 1 ? "" : "s", run.vs[RUNDIFF_FIX],
		       run.vs[RUNDIFF_FIX] == 1 ? "" : "es", run.vs[RUNDIFF_CHANGE],
		       run.vs[RUNDIFF_CHANGE] == 1 ? "" : "s", run.known, run.new_failures);
		results_set(&run.res, "baseline", json_pack(
			"{s:o, s:o, s:i, s:i, s:i, s:i, s:i}", "run_id",
			jsontext(json_is_string(json_object_get(run.baseline, "run_id")) ?
				 json_string_value(json_object_get(run.baseline, "run_id")) : ""),
			"results", jsontext(run.baseline_dir), "regressions",
			run.vs[RUNDIFF_REGRESSION], "fixes", run.vs[RUNDIFF_FIX], "changes",
			run.vs[RUNDIFF_CHANGE], "failing_as_there", run.known,
			"failing_with_no_cell_there", run.new_failures));
		if (results_write(&run.res) < 0)
			exit(2);
		/* a gate on what changed: a failure the baseline had too is known, not new */
		failed = run.vs[RUNDIFF_REGRESSION] + run.new_failures;
	}
	results_release(&run.res);
	for (k = 0; k < run.o.nkernels; k++)
		kernel_release(&run.kernels[k]);
	shapes_release(&run.shapes);
	images_release(&run.images);
	free(run.kernels);
	free(dir);
	free(run_id);
	if (run.full[0])
		return 2;
	if (interrupted)
		return 130;
	return failed ? 1 : 0;
}
