// SPDX-License-Identifier: GPL-2.0-only
/* ktap.c - a run as KTAP version 1: each scenario a test, its cells its subtests. */
#include "report/ktap.h"

#include <string.h>

#include "report/results.h"
#include "report/jsontext.h"
#include "util.h"

/*
 * The format is the kernel's Documentation/dev-tools/ktap.rst. A cell is "ok" when it
 * passed; "ok ... # SKIP reason" when the kernel lacks what it tests (CONF) or it was never
 * run (an interrupted run); "not ok" with its findings as diagnostic lines before the result
 * line when it failed; "not ok ... # TIMEOUT reason" or "# ERROR reason" when it could not be
 * tested (BROK: a deadline, or anything else). A scenario is "not ok" when any of its cells
 * is, "ok ... # SKIP" when all of them were skipped, else "ok". Everything is read from
 * run.json, whose "plan" names the cells the run was to run, in the order it listed them.
 */

/*
 * s on one line, other control characters as \xNN (as run.json gives bytes that are not
 * UTF-8), and without '#' where it is a test's name (a name cannot hold one)
 */
static void put_text(struct strbuf *sb, const char *s, int name)
{
	for (; s && *s; s++) {
		char c = *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s;

		if ((unsigned char)c < 0x20)
			strbuf_addf(sb, "\\x%02x", (unsigned char)c);
		else
			strbuf_add(sb, name && c == '#' ? "_" : &c, 1);
	}
}

int ktap_scenario_done(const json_t *run, const char *scenario)
{
	json_t *done = results_cells_by_id(run);
	const json_t *p;
	size_t i;
	int all = 1;

	json_array_foreach(json_object_get(run, "plan"), i, p)
		if (!strcmp(json_str(p, "scenario"), scenario) &&
		    !json_object_get(done, json_str(p, "id")))
			all = 0;
	json_decref(done);
	return all;
}

/* One cell's result line, with its diagnostic lines before it. Returns its outcome. */
static enum ktap_outcome put_cell(struct strbuf *sb, const json_t *cell, const char *id, int n,
				  const char *why_not_run)
{
	const char *verdict = json_str(cell, "verdict");
	const json_t *f, *e;
	size_t i, j;

	if (!cell) {
		strbuf_addf(sb, "  ok %d ", n);
		put_text(sb, id, 1);
		strbuf_addf(sb, " # SKIP not run: %s\n", why_not_run);
		return KTAP_SKIP;
	}
	json_array_foreach(json_object_get(cell, "findings"), i, f) {
		strbuf_addf(sb, "  # %s: expected: ", json_str(f, "check"));
		put_text(sb, json_str(f, "expected"), 0);
		strbuf_addf(sb, "\n  # %s: seen: ", json_str(f, "check"));
		put_text(sb, json_str(f, "seen"), 0);
		strbuf_addstr(sb, "\n");
		json_array_foreach(json_object_get(f, "evidence"), j, e) {
			strbuf_addstr(sb, "  #   ");
			put_text(sb, json_string_value(e), 0);
			strbuf_addstr(sb, "\n");
		}
	}
	if (!strcmp(verdict, "PASS") || !strcmp(verdict, "CONF")) {
		strbuf_addf(sb, "  ok %d ", n);
		put_text(sb, id, 1);
		if (!strcmp(verdict, "PASS")) {
			strbuf_addstr(sb, "\n");
			return KTAP_PASS;
		}
		strbuf_addstr(sb, " # SKIP ");
		put_text(sb, json_str(cell, "reason"), 0);
		strbuf_addstr(sb, "\n");
		return KTAP_SKIP;
	}
	strbuf_addf(sb, "  not ok %d ", n);
	put_text(sb, id, 1);
	if (!strcmp(verdict, "BROK")) {
		strbuf_addstr(sb, !strcmp(json_str(cell, "ending"), "timeout") ? " # TIMEOUT " :
			      " # ERROR ");
		put_text(sb, json_str(cell, "reason"), 0);
	}
	strbuf_addstr(sb, "\n");
	return KTAP_FAIL;
}

/* ktap_scenario(), with run's finished cells by id */
static enum ktap_outcome put_scenario(struct strbuf *sb, const json_t *run, const json_t *done,
				      const char *scenario, int n, const char *why_not_run)
{
	int planned = 0, k = 0, counts[KTAP_SKIP + 1] = { 0 };
	const json_t *p;
	size_t i;

	json_array_foreach(json_object_get(run, "plan"), i, p)
		planned += !strcmp(json_str(p, "scenario"), scenario);
	strbuf_addstr(sb, "  KTAP version 1\n  # Subtest: ");
	put_text(sb, scenario, 1);
	strbuf_addf(sb, "\n  1..%d\n", planned);
	json_array_foreach(json_object_get(run, "plan"), i, p) {
		const char *id = json_str(p, "id");

		if (strcmp(json_str(p, "scenario"), scenario))
			continue;
		counts[put_cell(sb, json_object_get(done, id), id, ++k, why_not_run)]++;
	}
	strbuf_addf(sb, "# %s: pass:%d fail:%d skip:%d total:%d\n", scenario, counts[KTAP_PASS],
		    counts[KTAP_FAIL], counts[KTAP_SKIP], planned);
	if (counts[KTAP_FAIL]) {
		strbuf_addf(sb, "not ok %d ", n);
		put_text(sb, scenario, 1);
		strbuf_addstr(sb, "\n");
		return KTAP_FAIL;
	}
	strbuf_addf(sb, "ok %d ", n);
	put_text(sb, scenario, 1);
	if (!counts[KTAP_PASS]) {
		strbuf_addstr(sb, " # SKIP no cell of it ran\n");
		return KTAP_SKIP;
	}
	strbuf_addstr(sb, "\n");
	return KTAP_PASS;
}

enum ktap_outcome ktap_scenario(struct strbuf *sb, const json_t *run, const char *scenario,
				int n, const char *why_not_run)
{
	json_t *done = results_cells_by_id(run);
	enum ktap_outcome o = put_scenario(sb, run, done, scenario, n, why_not_run);

	json_decref(done);
	return o;
}

void ktap_head(struct strbuf *sb, const json_t *run, int nscenarios)
{
	strbuf_addstr(sb, "KTAP version 1\n# oomlab run ");
	put_text(sb, json_str(run, "run_id"), 0);
	strbuf_addf(sb, ": %d cells of %d scenario%s\n1..%d\n",
		    (int)json_array_size(json_object_get(run, "plan")), nscenarios,
		    nscenarios == 1 ? "" : "s", nscenarios);
}

char *ktap_text(const json_t *run)
{
	struct strbuf sb = STRBUF_INIT;
	const char **names;
	int n = results_plan_values(run, "scenario", &names), s;
	const char *why = json_is_true(json_object_get(run, "interrupted")) ?
		"the run was interrupted" : "the run has not reached it yet";

	json_t *done = results_cells_by_id(run);

	ktap_head(&sb, run, n);
	for (s = 0; s < n; s++)
		put_scenario(&sb, run, done, names[s], s + 1, why);
	json_decref(done);
	free(names);
	return strbuf_detach(&sb);
}
