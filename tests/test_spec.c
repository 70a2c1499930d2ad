// SPDX-License-Identifier: GPL-2.0-only
/* test_spec.c - a cell's /cell.spec: every line the agent reads, in the order it applies them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest/spec.h"

static struct scenario *parse(const char *path, const char *text)
{
	char err[512];
	struct scenario *sc = scenario_parse(path, text, strlen(text), err, sizeof(err));

	if (!sc)
		fail_msg("%s", err);
	return sc;
}

static const char full[] =
	"scenario: full\n"
	"description: every kind of spec line\n"
	"vm: {memory: 512M, swap: 256M, disk: 1G}\n"
	"deadline: 30s\n"
	"stop: deadline\n"
	"sysctls: {vm.oom_dump_tasks: 1}\n"
	"cgroup: v1\n"
	"groups:\n"
	"  box: {memory.limit_in_bytes: 96M, memory.oom_control: 1}\n"
	"  box/in:\n"
	"changes:\n"
	"  - {when: box/memory.oom_control/under_oom=1, delay: 2s, "
	"set: {box/memory.oom_control: 0}}\n"
	"workloads:\n"
	"  - {name: hog, program: bigmm, args: [--chunk, 8 M], group: box/in}\n"
	"  - {name: late, program: bigmm, oom_score_adj: -5, start: {after: hog, phase: holding}}\n"
	"matrix:\n"
	"  vm.panic_on_oom: [0, 1]\n"
	"  box/in/memory.limit_in_bytes: [max, 64M]\n"
	"expect:\n"
	"  - killed: [hog]\n"
	"    why: w\n";

static void every_line_in_the_order_the_agent_applies_them(void **state)
{
	struct scenario *sc = parse("full.yaml", full);
	struct spec_misfit m;
	int vi[2] = { 1, 0 };
	char *spec = spec_cell(sc, vi, "debian-6.1/full/x", &m);

	assert_non_null(spec);
	assert_string_equal(spec,
		"cell v=1 id=debian-6.1/full/x deadline_ms=30000 stop=deadline\n"
		"swap dev=/dev/vda bytes=268435456\n"
		"disk dev=/dev/vdb dir=/mnt/disk bytes=1073741824\n"
		"sysctl key=vm.oom_dump_tasks value=1\n"
		"sysctl key=vm.panic_on_oom value=1\n"
		"cgroup v=1\n"
		"group name=box\n"
		"knob group=box key=memory.limit_in_bytes value=100663296\n"
		"knob group=box key=memory.oom_control value=1\n"
		"group name=box/in\n"
		"knob group=box/in key=memory.limit_in_bytes value=-1\n"
		"change group=box file=memory.oom_control key=under_oom value=1 delay_ms=2000 "
		"set_group=box set_key=memory.oom_control set_value=0\n"
		"workload name=hog program=bigmm adj=0 group=box/in arg=--chunk arg=8%20M\n"
		"workload name=late program=bigmm adj=-5 after=hog phase=holding\n");
	free(spec);
	scenario_free(sc);
}

static void a_workload_adj_axis_sets_its_adj_in_each_cell(void **state)
{
	struct scenario *sc = parse("adj.yaml",
		"scenario: adj\ndescription: d\nvm: {memory: 512M}\ndeadline: 60s\n"
		"workloads:\n  - {name: grower, program: bigmm}\n"
		"matrix:\n  grower/oom_score_adj: [0, -999]\n"
		"expect:\n  - killed: [grower]\n    why: w\n");
	struct spec_misfit m;
	int vi[1] = { 1 };
	char *spec = spec_cell(sc, vi, "adj/grower:oom_score_adj=-999", &m);

	assert_non_null(spec);
	/* the axis is the workload's adj, not a sysctl line */
	assert_string_equal(spec,
		"cell v=1 id=adj/grower:oom_score_adj%3D-999 deadline_ms=60000 stop=settled\n"
		"workload name=grower program=bigmm adj=-999\n");
	free(spec);
	scenario_free(sc);
}

/* A run's seed and clock go on the cell line, within the room spec_cell() leaves for them. */
static void the_runs_fresh_fields_join_the_cell_line(void **state)
{
	char seed[65];
	char *f;

	f = spec_fresh("cell v=1 id=t deadline_ms=1 stop=settled\nsysctl key=a value=1\n", "ab01",
		       1796523445000000000LL);
	assert_string_equal(f, "cell v=1 id=t deadline_ms=1 stop=settled seed=ab01 "
			    "clock_ns=1796523445000000000\nsysctl key=a value=1\n");
	free(f);
	memset(seed, 'f', 64);
	seed[64] = '\0';
	f = spec_fresh("cell v=1\n", seed, 9223372036854775807LL);
	assert_true(strlen(f) - strlen("cell v=1\n") <= SPEC_FRESH_BYTES);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_line_in_the_order_the_agent_applies_them),
		cmocka_unit_test(the_runs_fresh_fields_join_the_cell_line),
		cmocka_unit_test(a_workload_adj_axis_sets_its_adj_in_each_cell),
	};

	return cmocka_run_group_tests_name("test_spec", tests, NULL, NULL);
}
