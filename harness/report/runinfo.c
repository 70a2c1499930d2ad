// SPDX-License-Identifier: GPL-2.0-only
/* runinfo.c - run.json's account of the run itself: when, its kernels, scenarios, QEMU, accel. */
#include "report/runinfo.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "launch/vm.h"
#include "report/jsontext.h"
#include "util.h"
#include "version.h"

/*
 * Appends v (a new reference) to a; a NULL v, or one that could not be added, is fatal:
 * run.json never silently lacks what it should hold.
 */
static void append_or_die(json_t *a, json_t *v, const char *what)
{
	if (!v || json_array_append_new(a, v) < 0)
		die("cannot encode %s for run.json", what);
}

static json_t *kernels_json(const struct kernel *kernels, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++) {
		const struct kernel *k = &kernels[i];

		append_or_die(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "tag",
					   jsontext(k->tag), "release", jsontext(k->release),
					   "package", jsontext(k->package), "version",
					   jsontext(k->version), "vmlinuz", jsontext(k->vmlinuz),
					   "boots", jsontext(kernel_boot_image(k))), "a kernel");
	}
	return a;
}

/*
 * What each scenario exercises, for tables of coverage: its knobs (sysctls, fixed or matrix
 * axes, and cgroup knobs as "GROUP/KNOB"), its workload programs, its hierarchy and swap.
 */
static json_t *scenarios_json(struct scenario *const *scs, int n)
{
	json_t *a = json_array();
	int i, j, k;

	for (i = 0; i < n; i++) {
		const struct scenario *sc = scs[i];
		json_t *knobs = json_array(), *progs = json_array();

		for (j = 0; j < sc->nsysctls; j++)
			append_or_die(knobs, jsontext(sc->sysctls[j].key), "a knob");
		for (j = 0; j < sc->ngroups; j++)
			for (k = 0; k < sc->groups[j].nknobs; k++) {
				char *knob = xasprintf("%s/%s", sc->groups[j].name,
						       sc->groups[j].knobs[k].known->key);

				append_or_die(knobs, jsontext(knob), "a knob");
				free(knob);
			}
		/* a workload's adj, fixed or an axis, is the knob oom_score_adj */
		for (j = 0; j < sc->naxes; j++)
			if (sc->axes[j].workload < 0)
				append_or_die(knobs, jsontext(sc->axes[j].key), "a knob");
		for (j = 0; j < sc->nworkloads; j++)
			if (sc->workloads[j].oom_score_adj)
				break;
		for (k = 0; k < sc->naxes; k++)
			if (sc->axes[k].workload >= 0)
				break;
		if (j < sc->nworkloads || k < sc->naxes)
			append_or_die(knobs, json_string("oom_score_adj"), "a knob");
		for (j = 0; j < sc->nworkloads; j++) {
			for (k = 0; k < j; k++)
				if (!strcmp(sc->workloads[k].program, sc->workloads[j].program))
					break;
			if (k == j)
				append_or_die(progs, jsontext(sc->workloads[j].program),
					      "a program");
		}
		append_or_die(a, json_pack("{s:o, s:o, s:s, s:I, s:I, s:i, s:i, s:o, s:o}",
					   "name", jsontext(sc->name), "path", jsontext(sc->path),
					   "cgroup", sc_cgroup_name(sc->cgroup),
					   "swap_bytes", (json_int_t)sc->swap_bytes,
					   "disk_bytes", (json_int_t)sc->disk_bytes,
					   "numa_nodes", sc->numa_nodes, "changes", sc->nchanges,
					   "knobs", knobs, "programs", progs), "a scenario");
	}
	return a;
}

/* Paths and kernel tags are the user's: escaped like the guest's text (jsontext.h). */
static json_t *options_json(const struct runinfo *ri)
{
	json_t *k = json_array(), *s = json_array();
	int i;

	for (i = 0; i < ri->nkernels; i++)
		append_or_die(k, jsontext(ri->tags[i]), "the options' kernels");
	for (i = 0; i < ri->nscs; i++)
		append_or_die(s, jsontext(ri->scs[i]->name), "the options' scenarios");
	return json_pack("{s:o, s:i, s:o, s:o, s:o, s:i}", "kernels", k, "jobs", ri->jobs,
			 "results", jsontext(ri->results), "accel", jsontext(ri->accel_option),
			 "scenarios", s, "filters", ri->nfilters);
}

/* The UTC time now, ISO 8601, as key. */
static void stamp(struct results *res, const char *key)
{
	char text[32];
	time_t t = time(NULL);

	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	results_set(res, key, json_string(text));
}

void runinfo_start(struct results *res, const struct runinfo *ri)
{
	char *qv = vm_qemu_version();

	stamp(res, "started");
	results_set(res, "oomlab", json_pack("{s:s, s:s}", "version", oomlab_version(), "commit",
					     oomlab_commit()));
	results_set(res, "kernels", kernels_json(ri->kernels, ri->nkernels));
	results_set(res, "scenarios", scenarios_json(ri->scs, ri->nscs));
	results_set(res, "qemu", jsontext(qv));
	free(qv);
	results_set(res, "accel", json_pack("{s:s, s:o}", "used", ri->accel, "why",
					    jsontext(ri->accel_why)));
	results_set(res, "options", options_json(ri));
}

void runinfo_end(struct results *res, const char *why)
{
	stamp(res, "finished");
	if (why) {
		results_set(res, "interrupted", json_true());
		results_set(res, "interrupted_by", jsontext(why));
	}
}
