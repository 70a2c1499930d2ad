// SPDX-License-Identifier: GPL-2.0-only
/* scenario_check.c - checks of a whole scenario: rules cover cells, the agent takes every spec. */
#include "cells/scenario_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/spec.h"
#include "shared/proto.h"
#include "util.h"

/* Every cell takes a rule, and every rule is the first match of some cell. */
int sc_check_coverage(struct sc_ctx *x, const struct sc_node *expect_key,
		      const struct scenario *sc)
{
	int *vi = xcalloc((size_t)sc->naxes + 1, sizeof(*vi));
	int *used = xcalloc((size_t)sc->nrules, sizeof(*used));
	int r, rc = 0;

	do {
		r = sc_rule_for(sc, vi);
		if (r < 0) {
			char *params = sc_cell_params(sc, vi);

			rc = sc_error(x, expect_key->pos, "no rule for cell %s", params);
			free(params);
			goto out;
		}
		used[r] = 1;
	} while (sc_cell_next(sc, vi));
	/* a kernel-range rule is used when, on its kernels, it is the first match of a cell */
	for (r = 0; r < sc->nrules; r++) {
		if (used[r] || !sc->rules[r].kernel_op)
			continue;
		memset(vi, 0, (size_t)sc->naxes * sizeof(*vi));
		do {
			struct sc_rule *rr = &sc->rules[r];
			char release[32];
			int first;

			/* a release in the range: its own bound, or below every one */
			snprintf(release, sizeof(release), "%s", rr->kernel_op == '>' ?
				 rr->kernel_version : "0");
			first = sc_rule_for_release(sc, vi, release);
			used[r] |= first == r;
		} while (!used[r] && sc_cell_next(sc, vi));
	}
	for (r = 0; r < sc->nrules; r++) {
		if (!used[r]) {
			rc = sc_error(x, sc->rules[r].pos, "rule covers no cell (every cell it "
				      "matches takes an earlier rule)");
			goto out;
		}
	}
out:
	free(vi);
	free(used);
	return rc;
}

/* Every cell writes the same knob lines: the groups' own, then the knob axes. */
int sc_check_knob_count(struct sc_ctx *x, const struct scenario *sc)
{
	int g, k, a, n = 0;

	for (g = 0; g < sc->ngroups; g++) {
		for (k = 0; k < sc->groups[g].nknobs + sc->naxes; k++) {
			struct sc_pos pos;

			if (k < sc->groups[g].nknobs)
				pos = sc->groups[g].knobs[k].pos;
			else if (sc->axes[k - sc->groups[g].nknobs].group == g)
				pos = sc->axes[k - sc->groups[g].nknobs].pos;
			else
				continue;
			if (++n <= PROTO_MAX_KNOBS)
				continue;
			for (g = 0, n = 0; g < sc->ngroups; g++)
				n += sc->groups[g].nknobs;
			for (a = 0; a < sc->naxes; a++)
				n += sc->axes[a].group >= 0;
			return sc_error(x, pos, "a cell takes at most %d knobs (the agent's limit), "
					"found %d", PROTO_MAX_KNOBS, n);
		}
	}
	return 0;
}

/* Where the part of the scenario that wrote a spec line is, and what to call it. */
static struct sc_pos sc_spec_part(const struct sc_node *root, const struct scenario *sc,
				  const struct spec_misfit *m, const char **what)
{
	const struct sc_node *key = NULL, *list, *args;

	switch (m->part) {
	case SPEC_PART_GROUP:
		*what = "this group's lines";
		return sc->groups[m->index].pos;
	case SPEC_PART_CHANGE:
		*what = "this change's line";
		return sc->changes[m->index].pos;
	case SPEC_PART_WORKLOAD:
		*what = "this workload's line";
		list = sc_get(root, "workloads", NULL);
		args = sc_get(list->kids[m->index], "args", NULL);
		if (m->arg >= 0 && !m->whole)
			return args->kids[m->arg]->pos;
		return sc->workloads[m->index].pos;
	case SPEC_PART_EVICTOR:
		*what = "the evictor's lines";
		return sc->evictor.pos;
	case SPEC_PART_CELL:
		break;
	}
	*what = "the cell's own lines";
	sc_get(root, sc->naxes ? "matrix" : "scenario", &key);
	return key->pos;
}

/*
 * Every cell's spec as the agent would read it: no line past PROTO_LINE_MAX, the whole within
 * the buffer the agent reads /cell.spec into. The cell's id there is its id within the kernel
 * (cell_on_kernel() puts the kernel's name before it, a few bytes more).
 */
int sc_check_spec(struct sc_ctx *x, const struct sc_node *root, const struct scenario *sc)
{
	int *vi = xcalloc((size_t)sc->naxes + 1, sizeof(*vi)), rc = 0;

	do {
		char *params = sc_cell_params(sc, vi);
		char *id = sc->naxes ? xasprintf("%s/%s", sc->name, params) : xstrdup(sc->name);
		struct spec_misfit m;
		char *spec = spec_cell(sc, vi, id, &m);
		const char *what;
		struct sc_pos pos;

		if (!spec) {
			pos = sc_spec_part(root, sc, &m, &what);
			if (m.whole)
				rc = sc_error(x, pos, "a cell spec takes at most %d bytes (the agent "
					      "reads /cell.spec into %d KiB, %d of them for the "
					      "run's seed and clock), found %zu in cell '%s' with %s",
					      PROTO_SPEC_MAX - 1 - SPEC_FRESH_BYTES,
					      PROTO_SPEC_MAX >> 10, SPEC_FRESH_BYTES, m.bytes, id,
					      what);
			else if (m.part == SPEC_PART_WORKLOAD && m.arg >= 0)
				rc = sc_error(x, pos, "a workload's spec line takes at most %d bytes "
					      "(the agent's line limit), found %zu with this argument",
					      PROTO_LINE_MAX - 1, m.bytes);
			else
				rc = sc_error(x, pos, "a spec line takes at most %d bytes (the "
					      "agent's line limit), found %zu in cell '%s' in %s",
					      PROTO_LINE_MAX - 1, m.bytes, id, what);
		}
		free(spec);
		free(id);
		free(params);
	} while (!rc && sc_cell_next(sc, vi));
	free(vi);
	return rc;
}

/*
 * The programs of workloads/ end in wl_hold(): once done they hold what they have until they
 * are killed, unless given --exit. (stress-ng ends by its own --timeout.)
 */
static const char *const sc_holders[] = {
	"bigmm", "diskfill", "pagecache", "pidfill", "shmhog", "slowleak", "swapeat",
};

static int sc_holds_forever(const struct sc_workload *w)
{
	size_t i;
	int a;

	for (a = 0; a < w->nargs; a++)
		if (!strcmp(w->args[a], "--exit"))
			return 0;
	for (i = 0; i < ARRAY_SIZE(sc_holders); i++)
		if (!strcmp(sc_holders[i], w->program))
			return 1;
	return 0;
}

/*
 * stop: exited ends a cell when every workload has exited. A workload that holds until killed,
 * in the cells of a rule that says who is killed and leaves it out (no panic, no refused
 * hierarchy ending the cell first), can only end at the deadline: the cell would cost all of
 * it and then be BROK. Where the rule does not say who is killed, nothing is known.
 */
int sc_check_stop_exited(struct sc_ctx *x, const struct sc_node *stop,
			 const struct scenario *sc)
{
	int r, w, k;

	if (sc->stop != SC_STOP_EXITED)
		return 0;
	for (r = 0; r < sc->nrules; r++) {
		const struct sc_rule *rule = &sc->rules[r];

		if (rule->panic || !rule->has_killed ||
		    (rule->refused_key && !strcmp(rule->refused_key, "cgroup")))
			continue;
		for (w = 0; w < sc->nworkloads; w++) {
			const struct sc_workload *wl = &sc->workloads[w];

			for (k = 0; k < rule->nkilled; k++)
				if (!strcmp(rule->killed[k], wl->name))
					break;
			if (k < rule->nkilled || !sc_holds_forever(wl))
				continue;
			return sc_error(x, stop->pos, "stop: exited takes workloads that exit, found "
					"'%s' (%s without --exit, at %d:%d), which holds until "
					"killed, and the rule at %d:%d has it live: give it --exit, "
					"or stop: settled", wl->name, wl->program, wl->pos.line,
					wl->pos.col, rule->pos.line, rule->pos.col);
		}
	}
	return 0;
}

