// SPDX-License-Identifier: GPL-2.0-only
/* test_matrix.c - cell expansion (ids, order, rules), cell_sysctl and cell filters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cells/matrix.h"

static const char two_hogs[] =
	"scenario: global-two-hogs\n"
	"description: two hogs\n"
	"vm: {memory: 512M}\n"
	"deadline: 60s\n"
	"sysctls:\n"
	"  vm.oom_dump_tasks: 1\n"
	"workloads:\n"
	"  - name: steady\n"
	"    program: bigmm\n"
	"  - name: grower\n"
	"    program: bigmm\n"
	"    start: {after: steady, phase: holding}\n"
	"matrix:\n"
	"  vm.panic_on_oom: [0, 1, 2]\n"
	"  vm.oom_kill_allocating_task: [0, 1]\n"
	"  vm.overcommit_memory: [0, 1, 2]\n"
	"expect:\n"
	"  - when: {vm.overcommit_memory: 2}\n"
	"    enomem: [grower]\n"
	"    killed: []\n"
	"    why: mode 2 refuses at CommitLimit\n"
	"  - when: {vm.panic_on_oom: 1}\n"
	"    panic: system-wide\n"
	"    why: global OOM with panic_on_oom=1\n"
	"  - when: {vm.panic_on_oom: 2}\n"
	"    panic: compulsory\n"
	"    why: panic_on_oom=2 panics on any OOM\n"
	"  - killed: [grower]\n"
	"    why: largest rss\n";

static const char single[] =
	"scenario: memcg-single\n"
	"description: no matrix at all\n"
	"vm: {memory: 256M}\n"
	"deadline: 30s\n"
	"sysctls: {vm.swappiness: 10}\n"
	"workloads:\n"
	"  - name: hog\n"
	"    program: bigmm\n"
	"expect:\n"
	"  - killed: [hog]\n"
	"    why: the only task\n";

struct fixture {
	struct scenario *hogs, *single;
	struct cell *cells;
	int ncells, alloc;
};

static struct scenario *parse(const char *path, const char *text)
{
	char err[512];
	struct scenario *sc = scenario_parse(path, text, strlen(text), err, sizeof(err));

	if (!sc)
		fail_msg("%s", err);
	return sc;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->hogs = parse("expectations/global-two-hogs.yaml", two_hogs);
	f->single = parse("expectations/memcg-single.yaml", single);
	matrix_expand(f->hogs, &f->cells, &f->ncells, &f->alloc);
	matrix_expand(f->single, &f->cells, &f->ncells, &f->alloc);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int i;

	for (i = 0; i < f->ncells; i++)
		cell_release(&f->cells[i]);
	free(f->cells);
	scenario_free(f->hogs);
	scenario_free(f->single);
	free(f);
	return 0;
}

static void expand_lists_cells_with_the_last_axis_fastest(void **state)
{
	static const char *const ids[] = {
		"global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=0",
		"global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=1",
		"global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=2",
		"global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=1,overcommit_memory=0",
		"global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=1,overcommit_memory=1",
		"global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=1,overcommit_memory=2",
		"global-two-hogs/panic_on_oom=1,oom_kill_allocating_task=0,overcommit_memory=0",
		"global-two-hogs/panic_on_oom=1,oom_kill_allocating_task=0,overcommit_memory=1",
		"global-two-hogs/panic_on_oom=1,oom_kill_allocating_task=0,overcommit_memory=2",
		"global-two-hogs/panic_on_oom=1,oom_kill_allocating_task=1,overcommit_memory=0",
		"global-two-hogs/panic_on_oom=1,oom_kill_allocating_task=1,overcommit_memory=1",
		"global-two-hogs/panic_on_oom=1,oom_kill_allocating_task=1,overcommit_memory=2",
		"global-two-hogs/panic_on_oom=2,oom_kill_allocating_task=0,overcommit_memory=0",
		"global-two-hogs/panic_on_oom=2,oom_kill_allocating_task=0,overcommit_memory=1",
		"global-two-hogs/panic_on_oom=2,oom_kill_allocating_task=0,overcommit_memory=2",
		"global-two-hogs/panic_on_oom=2,oom_kill_allocating_task=1,overcommit_memory=0",
		"global-two-hogs/panic_on_oom=2,oom_kill_allocating_task=1,overcommit_memory=1",
		"global-two-hogs/panic_on_oom=2,oom_kill_allocating_task=1,overcommit_memory=2",
	};
	struct fixture *f = *state;
	int i;

	assert_int_equal(f->ncells, 19);
	assert_true(f->alloc >= f->ncells);
	for (i = 0; i < 18; i++) {
		const struct cell *c = &f->cells[i];

		assert_ptr_equal(c->sc, f->hogs);
		assert_string_equal(c->id, ids[i]);
		assert_string_equal(c->params, ids[i] + strlen("global-two-hogs/"));
		assert_int_equal(c->vi[0], i / 6);
		assert_int_equal(c->vi[1], i / 3 % 2);
		assert_int_equal(c->vi[2], i % 3);
	}
}

static void expand_gives_each_cell_its_first_matching_rule(void **state)
{
	struct fixture *f = *state;
	int i;

	for (i = 0; i < 18; i++) {
		const struct cell *c = &f->cells[i];
		int panic = i / 6, overcommit = i % 3, want;

		if (overcommit == 2)
			want = 0;
		else if (panic == 1)
			want = 1;
		else if (panic == 2)
			want = 2;
		else
			want = 3;
		assert_ptr_equal(c->rule, &f->hogs->rules[want]);
	}
	/* Pinned by value too: overcommit_memory=2 wins over panic_on_oom=1 as rule 0. */
	assert_int_equal(f->cells[8].rule->has_enomem, 1);
	assert_int_equal(f->cells[7].rule->panic, SC_PANIC_SYSTEM_WIDE);
	assert_int_equal(f->cells[15].rule->panic, SC_PANIC_COMPULSORY);
	assert_string_equal(f->cells[0].rule->killed[0], "grower");
}

static void expand_without_axes_gives_one_cell_named_by_the_scenario(void **state)
{
	struct fixture *f = *state;
	const struct cell *c = &f->cells[18];

	assert_ptr_equal(c->sc, f->single);
	assert_string_equal(c->id, "memcg-single");
	assert_string_equal(c->params, "");
	assert_ptr_equal(c->rule, &f->single->rules[0]);
}

static void cell_release_clears_the_cell(void **state)
{
	struct cell *cells = NULL;
	int n = 0, alloc = 0;
	struct scenario *sc = parse("expectations/memcg-single.yaml", single);

	matrix_expand(sc, &cells, &n, &alloc);
	assert_int_equal(n, 1);
	cell_release(&cells[0]);
	assert_null(cells[0].id);
	assert_null(cells[0].params);
	assert_null(cells[0].vi);
	assert_null(cells[0].rule);
	free(cells);
	scenario_free(sc);
}

static void cell_sysctl_reads_axis_then_fixed_value(void **state)
{
	struct fixture *f = *state;
	long long v = -1;

	/* cell 11: panic_on_oom=1, oom_kill_allocating_task=1, overcommit_memory=2 */
	assert_int_equal(cell_sysctl(&f->cells[11], "vm.panic_on_oom", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(cell_sysctl(&f->cells[11], "vm.oom_kill_allocating_task", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(cell_sysctl(&f->cells[11], "vm.overcommit_memory", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(cell_sysctl(&f->cells[11], "vm.oom_dump_tasks", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(cell_sysctl(&f->cells[18], "vm.swappiness", &v), 0);
	assert_int_equal(v, 10);
}

static void cell_sysctl_without_the_key_fails_with_zero(void **state)
{
	struct fixture *f = *state;
	long long v = -1;

	assert_int_equal(cell_sysctl(&f->cells[0], "vm.swappiness", &v), -1);
	assert_int_equal(v, 0);
	v = -1;
	assert_int_equal(cell_sysctl(&f->cells[18], "vm.panic_on_oom", &v), -1);
	assert_int_equal(v, 0);
}

/* How many of the fixture's cells the filter selects, and a bitmask of which. */
static int count_matches(struct fixture *f, const char *text, unsigned long *mask)
{
	struct matrix_filter flt;
	char err[256];
	int i, n = 0;

	if (matrix_filter_parse(text, &flt, err, sizeof(err)))
		fail_msg("%s", err);
	*mask = 0;
	for (i = 0; i < f->ncells; i++) {
		if (matrix_filter_match(&flt, &f->cells[i])) {
			n++;
			*mask |= 1UL << i;
		}
	}
	matrix_filter_release(&flt);
	return n;
}

static void filter_bare_glob_matches_the_scenario_name(void **state)
{
	struct fixture *f = *state;
	unsigned long m;

	assert_int_equal(count_matches(f, "global-*", &m), 18);
	assert_int_equal(m, 0x3ffff);
	assert_int_equal(count_matches(f, "memcg-single", &m), 1);
	assert_int_equal(m, 1UL << 18);
	assert_int_equal(count_matches(f, "*", &m), 19);
	assert_int_equal(count_matches(f, "global", &m), 0);
}

static void filter_sysctl_by_full_or_short_name(void **state)
{
	struct fixture *f = *state;
	unsigned long m, m2;

	assert_int_equal(count_matches(f, "vm.panic_on_oom=1", &m), 6);
	assert_int_equal(m, 0xfc0);
	assert_int_equal(count_matches(f, "panic_on_oom=1", &m2), 6);
	assert_int_equal(m2, m);
	assert_int_equal(count_matches(f, "panic_on_oom=[12]", &m), 12);
	assert_int_equal(m, 0x3ffc0);
	assert_int_equal(count_matches(f, "overcommit_memory=2", &m), 6);
	assert_int_equal(m, 0x24924);
}

static void filter_sysctl_sees_fixed_values(void **state)
{
	struct fixture *f = *state;
	unsigned long m;

	assert_int_equal(count_matches(f, "oom_dump_tasks=1", &m), 18);
	assert_int_equal(count_matches(f, "vm.swappiness=1*", &m), 1);
	assert_int_equal(m, 1UL << 18);
}

static void filter_cell_without_the_key_does_not_match(void **state)
{
	struct fixture *f = *state;
	unsigned long m;

	assert_int_equal(count_matches(f, "panic_on_oom=*", &m), 18);
	assert_int_equal(m, 0x3ffff);
	assert_int_equal(count_matches(f, "swappiness=*", &m), 1);
	assert_int_equal(count_matches(f, "kernel.pid_max=*", &m), 0);
}

static void filter_scenario_and_id_keys(void **state)
{
	struct fixture *f = *state;
	unsigned long m;

	assert_int_equal(count_matches(f, "scenario=memcg-*", &m), 1);
	assert_int_equal(m, 1UL << 18);
	assert_int_equal(count_matches(f, "id=global-two-hogs/panic_on_oom=0\\,"
				       "oom_kill_allocating_task=1\\,overcommit_memory=2", &m), 1);
	assert_int_equal(m, 1UL << 5);
	/* id= takes the rest of the filter, commas and all: an id is copied as printed */
	assert_int_equal(count_matches(f, "panic_on_oom=0,id=*oom_kill_allocating_task=1,*", &m),
			 3);
	assert_int_equal(m, 0x38);
	assert_int_equal(count_matches(f, "id=global-two-hogs/panic_on_oom=0,"
				       "oom_kill_allocating_task=1,overcommit_memory=2", &m), 1);
	assert_int_equal(m, 1UL << 5);
	assert_int_equal(count_matches(f, "id=*/panic_on_oom=2*", &m), 6);
	assert_int_equal(m, 0x3f000);
	assert_int_equal(count_matches(f, "id=memcg-single", &m), 1);
}

static void filter_terms_must_all_match(void **state)
{
	struct fixture *f = *state;
	unsigned long m;

	assert_int_equal(count_matches(f, "global-*,panic_on_oom=0,oom_kill_allocating_task=1", &m),
			 3);
	assert_int_equal(m, 0x38);
	assert_int_equal(count_matches(f, "panic_on_oom=0,vm.overcommit_memory=2,"
				       "oom_kill_allocating_task=0", &m), 1);
	assert_int_equal(m, 1UL << 2);
	assert_int_equal(count_matches(f, "memcg-*,panic_on_oom=0", &m), 0);
}

static void filter_keeps_glob_text_after_the_first_equals(void **state)
{
	struct matrix_filter flt;
	char err[256];

	assert_int_equal(matrix_filter_parse("global-*,panic_on_oom=1,id=a=b", &flt, err,
					     sizeof(err)), 0);
	assert_int_equal(flt.nterms, 3);
	assert_null(flt.terms[0].key);
	assert_string_equal(flt.terms[0].glob, "global-*");
	assert_string_equal(flt.terms[1].key, "vm.panic_on_oom");
	assert_string_equal(flt.terms[1].glob, "1");
	assert_string_equal(flt.terms[2].key, "id");
	assert_string_equal(flt.terms[2].glob, "a=b");
	matrix_filter_release(&flt);
	assert_null(flt.terms);
	assert_int_equal(flt.nterms, 0);
}

static void bad_filter_error(const char *text, const char *want)
{
	struct matrix_filter flt;
	char err[256];

	assert_int_equal(matrix_filter_parse(text, &flt, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_null(flt.terms);
	assert_int_equal(flt.nterms, 0);
}

static void bad_filter_without_key_or_glob(void **state)
{
	bad_filter_error("=", "bad filter '=': expected key=glob, found '='");
	bad_filter_error("global-*,=1", "bad filter 'global-*,=1': expected key=glob, found '=1'");
	bad_filter_error("panic_on_oom=", "bad filter 'panic_on_oom=': expected key=glob, "
			 "found 'panic_on_oom='");
}

static void bad_filter_with_an_empty_term(void **state)
{
	bad_filter_error("", "bad filter '': expected a glob or key=glob, found an empty term");
	bad_filter_error("a,,b", "bad filter 'a,,b': expected a glob or key=glob, "
			 "found an empty term");
	bad_filter_error("a,", "bad filter 'a,': expected a glob or key=glob, found an empty term");
}

static void bad_filter_with_an_unknown_key(void **state)
{
	bad_filter_error("global-*,panic_on_om=1", "bad filter 'global-*,panic_on_om=1': unknown "
			 "key 'panic_on_om' (expected scenario, id, a sysctl such as "
			 "vm.panic_on_oom or panic_on_oom, a cgroup knob such as "
			 "box/memory.max, or a workload's grower/oom_score_adj)");
}

static void filter_cgroup_knob_as_written_or_as_in_the_id(void **state)
{
	static const char text[] =
		"scenario: knobs\ndescription: d\nvm: {memory: 512M}\ndeadline: 60s\n"
		"cgroup: v2\ngroups:\n  box:\n  box/in:\n"
		"workloads:\n  - {name: a, program: bigmm, group: box/in}\n"
		"matrix:\n  box/memory.oom.group: [0, 1]\n  box/in/memory.max: [96M, max]\n"
		"expect:\n  - killed: [a]\n    why: w\n";
	const char *const filters[][2] = {
		{ "box/memory.oom.group=1", "0011" },
		{ "box:memory.oom.group=1", "0011" },
		{ "box/in/memory.max=96M", "1010" },
		{ "box.in:memory.max=max,box/memory.oom.group=0", "0100" },
		{ "box/memory.max=*", "0000" },
	};
	struct scenario *sc;
	struct cell *cells = NULL;
	char err[256], got[5];
	int ncells = 0, alloc = 0;
	size_t i;

	sc = scenario_parse("knobs.yaml", text, sizeof(text) - 1, err, sizeof(err));
	if (!sc)
		fail_msg("%s", err);
	matrix_expand(sc, &cells, &ncells, &alloc);
	assert_int_equal(ncells, 4);
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		struct matrix_filter flt;
		int c;

		if (matrix_filter_parse(filters[i][0], &flt, err, sizeof(err)))
			fail_msg("%s", err);
		for (c = 0; c < 4; c++)
			got[c] = matrix_filter_match(&flt, &cells[c]) ? '1' : '0';
		got[4] = '\0';
		assert_string_equal(got, filters[i][1]);
		matrix_filter_release(&flt);
	}
	for (ncells--; ncells >= 0; ncells--)
		cell_release(&cells[ncells]);
	free(cells);
	scenario_free(sc);
}

static void filter_workload_oom_score_adj_as_written_or_as_in_the_id(void **state)
{
	static const char text[] =
		"scenario: adj\ndescription: d\nvm: {memory: 512M}\ndeadline: 60s\n"
		"workloads:\n  - {name: grower, program: bigmm}\n"
		"matrix:\n  grower/oom_score_adj: [0, -999]\n"
		"expect:\n  - killed: [grower]\n    why: w\n";
	const char *const filters[][2] = {
		{ "grower/oom_score_adj=-999", "01" },
		{ "grower:oom_score_adj=0", "10" },
		{ "id=adj/grower:oom_score_adj=-9*", "01" },
	};
	struct scenario *sc;
	struct cell *cells = NULL;
	char err[256], got[3];
	int ncells = 0, alloc = 0;
	size_t i;

	sc = scenario_parse("adj.yaml", text, sizeof(text) - 1, err, sizeof(err));
	if (!sc)
		fail_msg("%s", err);
	matrix_expand(sc, &cells, &ncells, &alloc);
	assert_int_equal(ncells, 2);
	assert_string_equal(cells[1].id, "adj/grower:oom_score_adj=-999");
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		struct matrix_filter flt;
		int c;

		if (matrix_filter_parse(filters[i][0], &flt, err, sizeof(err)))
			fail_msg("%s", err);
		for (c = 0; c < 2; c++)
			got[c] = matrix_filter_match(&flt, &cells[c]) ? '1' : '0';
		got[2] = '\0';
		assert_string_equal(got, filters[i][1]);
		matrix_filter_release(&flt);
	}
	for (ncells--; ncells >= 0; ncells--)
		cell_release(&cells[ncells]);
	free(cells);
	scenario_free(sc);
}

/* --list's line for a rule: every part of it, counters and reports included. */
static void rule_text_says_everything_the_rule_checks(void **state)
{
	static const char text[] =
		"scenario: txt\ndescription: d\nvm: {memory: 512M}\ndeadline: 60s\n"
		"cgroup: v2\ngroups:\n  box:\n"
		"workloads:\n  - {name: a, program: bigmm, group: box}\n"
		"  - {name: b, program: pidfill, group: box}\n"
		"matrix:\n  box/memory.oom.group: [0, 1]\n"
		"expect:\n  - when: {box/memory.oom.group: 1}\n"
		"    killed: [a]\n    enomem: [b]\n"
		"    counters: {box/memory.events/oom_kill: \"1\", box/memory.events/high: \">0\", "
		"box/pids.events/max: \">=2\", box/memory.events.local/oom: \"<3\"}\n"
		"    reports: {b: \"refused errno=11\"}\n    why: w\n"
		"  - refused: {box/memory.oom.group: EINVAL}\n    why: w\n";
	char err[256], *t;
	struct scenario *sc = scenario_parse("txt.yaml", text, sizeof(text) - 1, err, sizeof(err));

	if (!sc)
		fail_msg("%s", err);
	t = matrix_rule_text(sc, &sc->rules[0]);
	assert_string_equal(t, "killed a; enomem b; counters box/memory.events/oom_kill=1, "
			    "box/memory.events/high>0, box/pids.events/max>=2, "
			    "box/memory.events.local/oom<3; reports b 'refused errno=11'");
	free(t);
	t = matrix_rule_text(sc, &sc->rules[1]);
	assert_string_equal(t, "refused box/memory.oom.group EINVAL");
	free(t);
	scenario_free(sc);
}

/* One id everywhere: the kernel's folder name, then the cell's id within the kernel. */
static void a_cell_on_a_kernel_is_named_by_it(void **state)
{
	static const char *const ids[] = {
		"id=debian-6.12/global-two-hogs/*", "id=global-two-hogs/*", "id=debian-6.1/*",
		"id=debian-6.12/global-two-hogs/panic_on_oom=0\\,oom_kill_allocating_task=0\\,"
		"overcommit_memory=0",
	};
	static const int want[] = { 1, 1, 0, 1 };
	struct fixture *f = *state;
	struct cell k = { 0 }, *c = &f->cells[0];
	char *dir = matrix_kernel_dir("debian:6.12");
	struct matrix_filter flt;
	char err[256];
	int i;

	assert_string_equal(dir, "debian-6.12");
	free(dir);
	dir = matrix_kernel_dir("/boot/vmlinuz-6.1:x");
	assert_string_equal(dir, "-boot-vmlinuz-6.1-x");
	free(dir);

	cell_on_kernel(&k, c, "debian:6.12", "6.12.117+deb12-cloud-amd64");
	assert_string_equal(k.id, "debian-6.12/global-two-hogs/panic_on_oom=0,"
			    "oom_kill_allocating_task=0,overcommit_memory=0");
	assert_string_equal(k.params, c->params);
	assert_string_equal(k.kernel, "debian:6.12");
	assert_ptr_equal(k.sc, c->sc);
	assert_ptr_equal(k.rule, c->rule);
	for (i = 0; i < c->sc->naxes; i++)
		assert_int_equal(k.vi[i], c->vi[i]);

	/* --filter id= takes the id as printed, or the part after the kernel on any kernel */
	for (i = 0; i < 4; i++) {
		if (matrix_filter_parse(ids[i], &flt, err, sizeof(err)))
			fail_msg("%s", err);
		assert_int_equal(matrix_filter_match(&flt, &k), want[i]);
		matrix_filter_release(&flt);
	}
	cell_release(&k);
}

/* A kernel-range rule is the cell's on its kernels only. */
static void a_cell_on_a_kernel_takes_that_kernels_rule(void **state)
{
	static const char text[] =
		"scenario: kr\ndescription: d\nvm: {memory: 512M}\ndeadline: 60s\n"
		"cgroup: v1\ngroups:\n  box:\n"
		"workloads:\n  - {name: a, program: bigmm, group: box}\n"
		"expect:\n  - when: {kernel: \">=6.12\"}\n    refused: {cgroup: EINVAL}\n    why: w\n"
		"  - killed: [a]\n    why: w\n";
	struct scenario *sc;
	struct cell *cells = NULL, k = { 0 };
	char err[256];
	int ncells = 0, alloc = 0;

	sc = scenario_parse("kr.yaml", text, sizeof(text) - 1, err, sizeof(err));
	if (!sc)
		fail_msg("%s", err);
	matrix_expand(sc, &cells, &ncells, &alloc);
	cell_on_kernel(&k, &cells[0], "debian:6.12", "6.12");
	assert_string_equal(k.id, "debian-6.12/kr");
	assert_ptr_equal(k.rule, &sc->rules[0]);
	cell_on_release(&k, "6.1.0-57-cloud-amd64");
	assert_ptr_equal(k.rule, &sc->rules[1]);
	cell_release(&k);
	cell_on_kernel(&k, &cells[0], "/tmp/bzImage", NULL);
	assert_string_equal(k.id, "-tmp-bzImage/kr");
	assert_ptr_equal(k.rule, &sc->rules[1]);
	cell_release(&k);
	cell_release(&cells[0]);
	free(cells);
	scenario_free(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expand_lists_cells_with_the_last_axis_fastest),
		cmocka_unit_test(expand_gives_each_cell_its_first_matching_rule),
		cmocka_unit_test(expand_without_axes_gives_one_cell_named_by_the_scenario),
		cmocka_unit_test(cell_release_clears_the_cell),
		cmocka_unit_test(cell_sysctl_reads_axis_then_fixed_value),
		cmocka_unit_test(cell_sysctl_without_the_key_fails_with_zero),
		cmocka_unit_test(filter_bare_glob_matches_the_scenario_name),
		cmocka_unit_test(filter_sysctl_by_full_or_short_name),
		cmocka_unit_test(filter_sysctl_sees_fixed_values),
		cmocka_unit_test(filter_cell_without_the_key_does_not_match),
		cmocka_unit_test(filter_scenario_and_id_keys),
		cmocka_unit_test(filter_terms_must_all_match),
		cmocka_unit_test(filter_keeps_glob_text_after_the_first_equals),
		cmocka_unit_test(filter_cgroup_knob_as_written_or_as_in_the_id),
		cmocka_unit_test(filter_workload_oom_score_adj_as_written_or_as_in_the_id),
		cmocka_unit_test(rule_text_says_everything_the_rule_checks),
		cmocka_unit_test_setup_teardown(a_cell_on_a_kernel_is_named_by_it, setup, teardown),
		cmocka_unit_test(a_cell_on_a_kernel_takes_that_kernels_rule),
		cmocka_unit_test(bad_filter_without_key_or_glob),
		cmocka_unit_test(bad_filter_with_an_empty_term),
		cmocka_unit_test(bad_filter_with_an_unknown_key),
	};

	return cmocka_run_group_tests_name("test_matrix", tests, setup, teardown);
}
