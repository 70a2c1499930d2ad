// SPDX-License-Identifier: GPL-2.0-only
/* test_results.c - run.json: every judged cell is written, whatever bytes the guest sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cells/matrix.h"
#include "oracles/oracle.h"
#include "observe/records.h"
#include "report/results.h"
#include "testdata.h"
#include "util.h"

/*
 * One cell of Debian 6.1 (tests/data/cells/kill-grower: the grower, pid 86, killed) judged
 * against a rule that wants the steady one dead instead, so that the cell has findings whose
 * evidence quotes the kill line.
 */
static const char scenario_text[] =
	"scenario: two-hogs\n"
	"description: the fixture's scenario, with a wrong rule so that it has findings\n"
	"vm: {memory: 512M}\n"
	"deadline: 60s\n"
	"workloads:\n"
	"  - {name: steady, program: bigmm, args: [--total, 64M]}\n"
	"  - {name: grower, program: bigmm, start: {after: steady, phase: holding}}\n"
	"expect:\n"
	"  - killed: [steady]\n"
	"    why: a deliberately wrong rule, for the test\n";

struct cellfx {
	struct scenario *sc;
	struct cell *cells;
	int ncells;
	struct observation obs;
	struct strbuf klog;
	struct oom_log *log;
	struct oracle_ctx ctx;
	struct verdict_report rep;
};

/* Replaces the first from in sb by to; from must be there. */
static void replace(struct strbuf *sb, const char *from, const char *to)
{
	struct strbuf out = STRBUF_INIT;
	char *at = strstr(sb->buf, from);

	if (!at)
		fail_msg("the fixture has no '%s'", from);
	strbuf_add(&out, sb->buf, (size_t)(at - sb->buf));
	strbuf_addstr(&out, to);
	strbuf_addstr(&out, at + strlen(from));
	strbuf_release(sb);
	*sb = out;
}

/* Judges the fixture with its agent records edited: each pair of edits is from, to. */
static void judge_cell(struct cellfx *fx, const char *text, int cell, const char *const *edits,
		       int nedits)
{
	struct strbuf agent = STRBUF_INIT, console = STRBUF_INIT;
	char path[512], err[512];
	int alloc = 0, i;

	fx->sc = scenario_parse("two-hogs.yaml", text, strlen(text), err, sizeof(err));
	if (!fx->sc)
		fail_msg("%s", err);
	matrix_expand(fx->sc, &fx->cells, &fx->ncells, &alloc);
	assert_true(cell < fx->ncells);
	snprintf(path, sizeof(path), "%s/cells/kill-grower/agent.log", testdata_dir());
	assert_int_equal(strbuf_read_file(&agent, path), 0);
	snprintf(path, sizeof(path), "%s/cells/kill-grower/console.log", testdata_dir());
	assert_int_equal(strbuf_read_file(&console, path), 0);
	for (i = 0; i + 1 < nedits; i += 2)
		replace(&agent, edits[i], edits[i + 1]);
	records_parse(agent.buf, agent.len, &fx->obs);
	records_kernel_log(&fx->obs, console.buf, console.len, &fx->klog);
	fx->log = oomreport_parse(fx->klog.buf, fx->klog.len);
	assert_non_null(fx->log);
	oracle_ctx_init(&fx->ctx, &fx->cells[cell], &fx->obs, fx->log, VM_POWEROFF);
	oracle_judge(&fx->ctx, &fx->rep);
	strbuf_release(&agent);
	strbuf_release(&console);
}

static void judge_edited(struct cellfx *fx, const char *const *edits, int nedits)
{
	judge_cell(fx, scenario_text, 0, edits, nedits);
}

static json_t *cell_json(const struct cellfx *fx)
{
	return results_cell(&fx->ctx, &fx->rep, "debian:6.1", 9.5, "debian-6.1/two-hogs",
			    fx->klog.buf, fx->klog.len);
}

static void cellfx_release(struct cellfx *fx)
{
	int i;

	verdict_report_release(&fx->rep);
	oracle_ctx_release(&fx->ctx);
	oomreport_free(fx->log);
	observation_release(&fx->obs);
	strbuf_release(&fx->klog);
	for (i = 0; i < fx->ncells; i++)
		cell_release(&fx->cells[i]);
	free(fx->cells);
	scenario_free(fx->sc);
	memset(fx, 0, sizeof(*fx));
}

/* A results folder of its own under /tmp, and run.json read back from it. */
static char *tmp_results(void)
{
	char tmpl[] = "/tmp/oomlab-test-results.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

static json_t *read_run_json(const char *dir)
{
	char *path = xasprintf("%s/run.json", dir);
	json_error_t jerr;
	json_t *run = json_load_file(path, 0, &jerr);

	if (!run)
		fail_msg("cannot read '%s': %s", path, jerr.text);
	free(path);
	return run;
}

static void remove_results(char *dir)
{
	char *path = xasprintf("%s/run.json", dir);

	unlink(path);
	free(path);
	rmdir(dir);
	free(dir);
}

/* Fails unless o (an object, or NULL for one missing) has key with the string want. */
static void assert_json_string(json_t *o, const char *what, const char *key, const char *want)
{
	const char *seen = json_string_value(json_object_get(o, key));

	if (!seen || strcmp(seen, want))
		fail_msg("%s.%s: expected '%s', seen %s%s%s", what, key, want, seen ? "'" : "",
			 seen ? seen : (o ? "no string" : "no such record"), seen ? "'" : "");
}

/* Whether some string of the array a contains text. */
static int array_has(json_t *a, const char *text)
{
	size_t i;

	for (i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));

		if (s && strstr(s, text))
			return 1;
	}
	return 0;
}

/*
 * The kernel's /dev/kmsg writes a process name's bytes that are not printable as \xNN, and
 * the records turn them back into bytes: a victim named "gr\xffwer" reaches the results as
 * bytes that are not UTF-8, which jansson refuses. Here that victim is pid 99, no workload
 * (the grower lives), so the cell's reason quotes its name as the stress-ng cell
 * did; the steady one reports a phase that is not UTF-8 either. The cell must still be
 * written, with each such byte as the text \xNN: in its reason, its kill, its findings and
 * their evidence, and its workloads.
 */
static void cell_with_text_that_is_not_utf8_is_written_escaped(void **state)
{
	static const char *const edits[] = {
		"Killed%20process%2086%20(grower)", "Killed%20process%2099%20(gr\\xffwer)",
		"exit name=grower pid=86 how=signal sig=9 phase=grow",
		"alive name=grower pid=86 phase=grow",
		"wl name=steady pid=85 phase=holding", "wl name=steady pid=85 phase=hold%FE",
		"alive name=steady pid=85 phase=holding", "alive name=steady pid=85 phase=hold%FE",
	};
	struct cellfx fx = { 0 };
	char *dir = tmp_results();
	struct results res;
	json_t *run, *cell, *kill, *wl, *findings;
	size_t i;
	int evidence = 0;

	judge_edited(&fx, edits, ARRAY_SIZE(edits));
	assert_int_equal(fx.ctx.nkills, 1);
	assert_string_equal(fx.ctx.kills[0].k->comm, "gr\xffwer");
	assert_int_equal(results_init(&res, dir, "test"), 0);
	assert_int_equal(results_add(&res, cell_json(&fx), fx.rep.verdict), 0);
	results_release(&res);

	run = read_run_json(dir);
	if (json_array_size(json_object_get(run, "cells")) != 1)
		fail_msg("expected 1 cell in run.json, seen %zu",
			 json_array_size(json_object_get(run, "cells")));
	cell = json_array_get(json_object_get(run, "cells"), 0);
	assert_json_string(cell, "cell", "verdict", "FAIL");
	assert_json_string(cell, "cell", "reason", "collateral: expected only [steady] killed, "
			   "seen 'gr\\xffwer' (pid 99), no workload of this cell nor a child of one, "
			   "killed");
	kill = json_array_get(json_object_get(cell, "kills"), 0);
	assert_json_string(kill, "kills[0]", "comm", "gr\\xffwer");
	wl = json_array_get(json_object_get(cell, "workloads"), 0);
	assert_json_string(wl, "workloads[0]", "name", "steady");
	assert_json_string(wl, "workloads[0]", "phase", "hold\\xfe");
	findings = json_object_get(cell, "findings");
	assert_true(json_array_size(findings) > 0);
	for (i = 0; i < json_array_size(findings); i++)
		evidence += array_has(json_object_get(json_array_get(findings, i), "evidence"),
				      "Killed process 99 (gr\\xffwer) total-vm:386204kB");
	if (!evidence)
		fail_msg("expected an evidence line quoting 'Killed process 99 (gr\\xffwer)', "
			 "seen none in %zu findings", json_array_size(findings));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(run, "summary"),
							    "cells")), 1);
	json_decref(run);
	remove_results(dir);
	cellfx_release(&fx);
}

/* A cell that could not be encoded is an error, and the summary never counts it. */
static void summary_counts_only_cells_written(void **state)
{
	struct cellfx fx = { 0 };
	char *dir = tmp_results();
	struct results res;
	json_t *run, *summary;

	judge_edited(&fx, NULL, 0);
	assert_int_equal(results_init(&res, dir, "test"), 0);
	assert_int_equal(results_add(&res, cell_json(&fx), fx.rep.verdict), 0);
	assert_int_equal(results_add(&res, NULL, VERDICT_PASS), -1);
	results_release(&res);

	run = read_run_json(dir);
	summary = json_object_get(run, "summary");
	assert_int_equal(json_array_size(json_object_get(run, "cells")), 1);
	assert_int_equal(json_integer_value(json_object_get(summary, "cells")), 1);
	assert_int_equal(json_integer_value(json_object_get(summary, "failed")), 1);
	assert_int_equal(json_integer_value(json_object_get(summary, "passed")), 0);
	json_decref(run);
	remove_results(dir);
	cellfx_release(&fx);
}

/*
 * --resume takes a run.json up again: its cells and their counts stay, it is no longer
 * marked interrupted, and the next cell is added to them. A cell without a verdict is an
 * error naming it, not a count gone wrong.
 */
static void a_resumed_run_keeps_its_cells_and_counts(void **state)
{
	struct cellfx fx = { 0 };
	char *dir = tmp_results();
	struct results res;
	json_t *run, *bad;

	judge_edited(&fx, NULL, 0);
	assert_int_equal(results_init(&res, dir, "test"), 0);
	assert_int_equal(results_add(&res, cell_json(&fx), fx.rep.verdict), 0);
	results_set(&res, "interrupted", json_true());
	results_set(&res, "interrupted_by", json_string("Interrupt"));
	assert_int_equal(results_write(&res), 0);
	results_release(&res);

	run = read_run_json(dir);
	assert_int_equal(results_resume(&res, dir, run), 0);
	assert_int_equal(res.failed, 1);
	assert_int_equal(res.passed, 0);
	assert_int_equal(results_add(&res, cell_json(&fx), fx.rep.verdict), 0);
	results_release(&res);
	run = read_run_json(dir);
	assert_int_equal(json_array_size(json_object_get(run, "cells")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(run, "summary"),
							    "failed")), 2);
	assert_true(json_is_false(json_object_get(run, "interrupted")));
	assert_null(json_object_get(run, "interrupted_by"));

	bad = json_array_get(json_object_get(run, "cells"), 1);
	json_object_del(bad, "verdict");
	assert_int_equal(results_resume(&res, dir, run), -1);
	json_decref(run);
	remove_results(dir);
	cellfx_release(&fx);
}

static int is_dir(const char *parent, const char *id)
{
	char *path = xasprintf("%s/%s", parent, id);
	struct stat st;
	int ret = stat(path, &st) == 0 && S_ISDIR(st.st_mode);

	free(path);
	return ret;
}

/*
 * Two runs started in the same second, each creating its folder before the other writes
 * anything to it, must get a folder each; a folder already there keeps its name.
 */
static void runs_in_the_same_second_get_a_folder_each(void **state)
{
	char *parent = tmp_results(), *taken = xasprintf("%s/20261205-093000-3", parent);
	time_t t = 1796463000; /* 2026-12-05 09:30:00 UTC */
	char *id[3];
	int i;

	assert_int_equal(mkdir(taken, 0755), 0);
	for (i = 0; i < 3; i++) {
		id[i] = results_new_run(parent, t);
		assert_non_null(id[i]);
	}
	if (!strcmp(id[1], id[0]))
		fail_msg("expected the second run of the second in a folder of its own, "
			 "seen it given '%s' too", id[0]);
	for (i = 0; i < 3; i++)
		if (!is_dir(parent, id[i]))
			fail_msg("expected a folder '%s' made for run %d, seen none", id[i], i + 1);
	assert_string_equal(id[0], "20261205-093000");
	assert_string_equal(id[1], "20261205-093000-2");
	assert_string_equal(id[2], "20261205-093000-4");
	for (i = 0; i < 3; i++) {
		char *path = xasprintf("%s/%s", parent, id[i]);

		rmdir(path);
		free(path);
		free(id[i]);
	}
	rmdir(taken);
	free(taken);
	rmdir(parent);
	free(parent);
}

/* A parent that cannot hold folders is an error naming it, not an endless search. */
static void run_folder_that_cannot_be_made_is_an_error(void **state)
{
	char *parent = tmp_results(), *file = xasprintf("%s/file", parent);
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	fclose(f);
	assert_null(results_new_run(file, 1796463000));
	unlink(file);
	free(file);
	rmdir(parent);
	free(parent);
}

/* A cell's limits: its groups' memory limits, fixed or the cell's value of an axis */
static void cell_limits_are_its_groups_memory_limits(void **state)
{
	static const char text[] =
		"scenario: two-hogs\n"
		"description: the fixture's workloads in a group with limits\n"
		"vm: {memory: 512M}\n"
		"deadline: 60s\n"
		"cgroup: v2\n"
		"groups:\n"
		"  box: {memory.max: 256M, memory.swap.max: 0}\n"
		"workloads:\n"
		"  - {name: steady, program: bigmm, args: [--total, 64M], group: box}\n"
		"  - {name: grower, program: bigmm, group: box,\n"
		"     start: {after: steady, phase: holding}}\n"
		"matrix:\n"
		"  box/memory.high: [max, 128M]\n"
		"expect:\n"
		"  - killed: [grower]\n"
		"    why: w\n";
	int cell;

	(void)state;
	for (cell = 0; cell < 2; cell++) {
		struct cellfx fx = { 0 };
		json_t *c, *lim;
		char *got;

		judge_cell(&fx, text, cell, NULL, 0);
		c = cell_json(&fx);
		assert_non_null(c);
		lim = json_object_get(c, "limits");
		got = json_dumps(lim, JSON_COMPACT);
		/* swap is no memory limit, and "max" no limit at all */
		assert_string_equal(got, cell ? "[{\"group\":\"box\",\"knob\":\"memory.max\","
					      "\"bytes\":268435456},{\"group\":\"box\",\"knob\":"
					      "\"memory.high\",\"bytes\":134217728}]" :
				  "[{\"group\":\"box\",\"knob\":\"memory.max\",\"bytes\":268435456}]");
		free(got);
		json_decref(c);
		cellfx_release(&fx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cell_with_text_that_is_not_utf8_is_written_escaped),
		cmocka_unit_test(summary_counts_only_cells_written),
		cmocka_unit_test(a_resumed_run_keeps_its_cells_and_counts),
		cmocka_unit_test(runs_in_the_same_second_get_a_folder_each),
		cmocka_unit_test(run_folder_that_cannot_be_made_is_an_error),
		cmocka_unit_test(cell_limits_are_its_groups_memory_limits),
	};

	return cmocka_run_group_tests_name("test_results", tests, NULL, NULL);
}
