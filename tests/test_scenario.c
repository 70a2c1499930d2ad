// SPDX-License-Identifier: GPL-2.0-only
/* test_scenario.c - the scenario parser: every field of a good file, every error with line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shared/proto.h"
#include "cells/scenario.h"
#include "guest/spec.h"

#define PATH "expectations/t.yaml"

/*
 * Most error cases vary one part of a minimal good scenario. The parts keep their line numbers
 * fixed (in the comments) so that each expected line:col can be checked by eye.
 */
#define HEAD \
	"scenario: t\n"		/* 1 */ \
	"description: d\n"	/* 2 */ \
	"vm:\n"			/* 3 */ \
	"  memory: 512M\n"	/* 4 */ \
	"deadline: 60s\n"	/* 5 */
#define WORKLOADS \
	"workloads:\n"		/* 6 */ \
	"  - name: a\n"		/* 7 */ \
	"    program: bigmm\n"	/* 8 */
#define EXPECT \
	"expect:\n"		/* 9, or 6 + the workloads' lines */ \
	"  - killed: [a]\n" \
	"    why: w\n"

static char errbuf[1024];

static const char *parse_error_at(const char *path, const char *text)
{
	struct scenario *sc = scenario_parse(path, text, strlen(text), errbuf, sizeof(errbuf));

	if (sc) {
		scenario_free(sc);
		fail_msg("parsed, but an error was expected:\n%s", text);
	}
	return errbuf;
}

static const char *parse_error(const char *text)
{
	return parse_error_at(PATH, text);
}

static struct scenario *parse_ok_at(const char *path, const char *text)
{
	struct scenario *sc = scenario_parse(path, text, strlen(text), errbuf, sizeof(errbuf));

	if (!sc)
		fail_msg("unexpected error: %s", errbuf);
	return sc;
}

static struct scenario *parse_ok(const char *text)
{
	return parse_ok_at(PATH, text);
}

/* Good files */

static const char two_hogs[] =
	"scenario: global-two-hogs\n"
	"description: >\n"
	"  A growing hog and a small steady one in a 512 MiB guest without swap.\n"
	"vm:\n"
	"  memory: 512M\n"
	"  cpus: 1\n"
	"  swap: none\n"
	"deadline: 90s\n"
	"stop: exited\n"
	"sysctls:\n"				/* 10 */
	"  vm.oom_dump_tasks: 1\n"
	"  kernel.pid_max: 32768\n"
	"workloads:\n"
	"  - name: steady\n"
	"    program: bigmm\n"
	"    args: [--total, 64M, --exit]\n"
	"    oom_score_adj: -500\n"
	"  - name: grower\n"
	"    program: bigmm\n"
	"    args: [--chunk, 8M, --exit]\n"	/* 20 */
	"    start: {after: steady, phase: holding}\n"
	"matrix:\n"
	"  vm.panic_on_oom: [0, 1, 2]\n"
	"  vm.oom_kill_allocating_task: [0, 1]\n"
	"  vm.overcommit_memory: [0, 1, 2]\n"
	"expect:\n"
	"  - when: {vm.overcommit_memory: 2}\n"
	"    enomem: [grower]\n"
	"    killed: []\n"
	"    why: \"mode 2 refuses at CommitLimit, well below what the guest can back\"\n" /* 30 */
	"  - when: {vm.panic_on_oom: 1}\n"
	"    panic: system-wide\n"
	"    why: \"check_panic_on_oom: global OOM with panic_on_oom=1\"\n"
	"  - when: {vm.panic_on_oom: [2], vm.oom_kill_allocating_task: [0, 1]}\n"
	"    panic: compulsory\n"
	"    why: compulsory panics on any OOM\n"
	"  - killed: [grower]\n"
	"    why: |\n"
	"      largest rss; with oom_kill_allocating_task=1 it is also the allocating task\n";

static void assert_pos(struct sc_pos pos, int line, int col)
{
	assert_int_equal(pos.line, line);
	assert_int_equal(pos.col, col);
}

static void full_scenario_parses_every_field(void **state)
{
	struct scenario *sc = parse_ok_at("expectations/global-two-hogs.yaml", two_hogs);
	const struct sc_workload *w;
	const struct sc_rule *r;

	assert_string_equal(sc->path, "expectations/global-two-hogs.yaml");
	assert_string_equal(sc->name, "global-two-hogs");
	assert_string_equal(sc->description,
			    "A growing hog and a small steady one in a 512 MiB "
			    "guest without swap.");
	assert_int_equal(sc->memory_bytes, 512ULL << 20);
	assert_int_equal(sc->cpus, 1);
	assert_int_equal(sc->deadline_ms, 90000);
	assert_int_equal(sc->stop, SC_STOP_EXITED);

	assert_int_equal(sc->nsysctls, 2);
	assert_string_equal(sc->sysctls[0].key, "vm.oom_dump_tasks");
	assert_int_equal(sc->sysctls[0].value, 1);
	assert_pos(sc->sysctls[0].pos, 11, 3);
	assert_string_equal(sc->sysctls[1].key, "kernel.pid_max");
	assert_int_equal(sc->sysctls[1].value, 32768);
	assert_pos(sc->sysctls[1].pos, 12, 3);

	assert_int_equal(sc->nworkloads, 2);
	w = &sc->workloads[0];
	assert_string_equal(w->name, "steady");
	assert_string_equal(w->program, "bigmm");
	assert_int_equal(w->nargs, 3);
	assert_string_equal(w->args[0], "--total");
	assert_string_equal(w->args[1], "64M");
	assert_string_equal(w->args[2], "--exit");
	assert_null(w->args[3]);
	assert_int_equal(w->oom_score_adj, -500);
	assert_int_equal(w->start, SC_START_NOW);
	assert_string_equal(w->after, "");
	assert_string_equal(w->after_phase, "");
	assert_pos(w->pos, 14, 5);
	w = &sc->workloads[1];
	assert_string_equal(w->name, "grower");
	assert_string_equal(w->program, "bigmm");
	assert_int_equal(w->nargs, 3);
	assert_string_equal(w->args[0], "--chunk");
	assert_string_equal(w->args[1], "8M");
	assert_string_equal(w->args[2], "--exit");
	assert_null(w->args[3]);
	assert_int_equal(w->oom_score_adj, 0);
	assert_int_equal(w->start, SC_START_AFTER);
	assert_string_equal(w->after, "steady");
	assert_string_equal(w->after_phase, "holding");
	assert_pos(w->pos, 18, 5);

	assert_int_equal(sc->naxes, 3);
	assert_string_equal(sc->axes[0].key, "vm.panic_on_oom");
	assert_int_equal(sc->axes[0].nvalues, 3);
	assert_int_equal(sc->axes[0].values[0], 0);
	assert_int_equal(sc->axes[0].values[1], 1);
	assert_int_equal(sc->axes[0].values[2], 2);
	assert_pos(sc->axes[0].pos, 23, 3);
	assert_string_equal(sc->axes[1].key, "vm.oom_kill_allocating_task");
	assert_int_equal(sc->axes[1].nvalues, 2);
	assert_int_equal(sc->axes[1].values[0], 0);
	assert_int_equal(sc->axes[1].values[1], 1);
	assert_pos(sc->axes[1].pos, 24, 3);
	assert_string_equal(sc->axes[2].key, "vm.overcommit_memory");
	assert_int_equal(sc->axes[2].nvalues, 3);
	assert_int_equal(sc->axes[2].values[2], 2);
	assert_pos(sc->axes[2].pos, 25, 3);

	assert_int_equal(sc->nrules, 4);
	r = &sc->rules[0];
	assert_int_equal(r->nwhen, 1);
	assert_int_equal(r->when[0].axis, 2);
	assert_int_equal(r->when[0].nvalues, 1);
	assert_int_equal(r->when[0].values[0], 2);
	assert_int_equal(r->panic, SC_PANIC_NONE);
	assert_int_equal(r->has_killed, 1);
	assert_int_equal(r->nkilled, 0);
	assert_int_equal(r->has_enomem, 1);
	assert_int_equal(r->nenomem, 1);
	assert_string_equal(r->enomem[0], "grower");
	assert_string_equal(r->why,
			    "mode 2 refuses at CommitLimit, well below what the guest can back");
	assert_pos(r->pos, 27, 5);
	r = &sc->rules[1];
	assert_int_equal(r->nwhen, 1);
	assert_int_equal(r->when[0].axis, 0);
	assert_int_equal(r->when[0].values[0], 1);
	assert_int_equal(r->panic, SC_PANIC_SYSTEM_WIDE);
	assert_int_equal(r->has_killed, 0);
	assert_int_equal(r->has_enomem, 0);
	assert_string_equal(r->why, "check_panic_on_oom: global OOM with panic_on_oom=1");
	assert_pos(r->pos, 31, 5);
	r = &sc->rules[2];
	assert_int_equal(r->nwhen, 2);
	assert_int_equal(r->when[0].axis, 0);
	assert_int_equal(r->when[0].nvalues, 1);
	assert_int_equal(r->when[0].values[0], 2);
	assert_int_equal(r->when[1].axis, 1);
	assert_int_equal(r->when[1].nvalues, 2);
	assert_int_equal(r->when[1].values[0], 0);
	assert_int_equal(r->when[1].values[1], 1);
	assert_int_equal(r->panic, SC_PANIC_COMPULSORY);
	assert_string_equal(r->why, "compulsory panics on any OOM");
	assert_pos(r->pos, 34, 5);
	r = &sc->rules[3];
	assert_int_equal(r->nwhen, 0);
	assert_int_equal(r->panic, SC_PANIC_NONE);
	assert_int_equal(r->has_killed, 1);
	assert_int_equal(r->nkilled, 1);
	assert_string_equal(r->killed[0], "grower");
	assert_null(r->killed[1]);
	assert_int_equal(r->has_enomem, 0);
	assert_string_equal(r->why, "largest rss; with oom_kill_allocating_task=1 it is also "
			    "the allocating task");
	assert_pos(r->pos, 37, 5);
	scenario_free(sc);
}

static void optional_keys_take_their_defaults(void **state)
{
	struct scenario *sc = parse_ok(HEAD WORKLOADS EXPECT);

	assert_string_equal(sc->name, "t");
	assert_string_equal(sc->description, "d");
	assert_int_equal(sc->cpus, 2);
	assert_int_equal(sc->stop, SC_STOP_SETTLED);
	assert_int_equal(sc->nsysctls, 0);
	assert_int_equal(sc->naxes, 0);
	assert_int_equal(sc->nworkloads, 1);
	assert_int_equal(sc->workloads[0].nargs, 0);
	assert_non_null(sc->workloads[0].args);
	assert_null(sc->workloads[0].args[0]);
	assert_int_equal(sc->workloads[0].oom_score_adj, 0);
	assert_int_equal(sc->workloads[0].start, SC_START_NOW);
	assert_int_equal(sc->nrules, 1);
	assert_int_equal(sc->rules[0].nwhen, 0);
	scenario_free(sc);
}

static void stop_settled_and_start_after_ready(void **state)
{
	struct scenario *sc = parse_ok(HEAD "stop: settled\n" WORKLOADS
				       "  - name: b_2-x\n"
				       "    program: bigmm\n"
				       "    start:\n"
				       "      after: a\n"
				       "      phase: ready\n"
				       "    oom_score_adj: 1000\n"
				       EXPECT);

	assert_int_equal(sc->stop, SC_STOP_SETTLED);
	assert_string_equal(sc->workloads[1].name, "b_2-x");
	assert_int_equal(sc->workloads[1].start, SC_START_AFTER);
	assert_string_equal(sc->workloads[1].after, "a");
	assert_string_equal(sc->workloads[1].after_phase, "ready");
	assert_int_equal(sc->workloads[1].oom_score_adj, 1000);
	scenario_free(sc);
}

static void deadline_takes_ms_s_and_m(void **state)
{
	static const struct {
		const char *text;
		int ms;
	} cases[] = {
		{ "1500ms", 1500 }, { "60s", 60000 }, { "2m", 120000 }, { "1ms", 1 },
		{ "1440m", 86400000 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512];
		struct scenario *sc;

		snprintf(text, sizeof(text), "scenario: t\ndescription: d\nvm: {memory: 1G}\n"
			 "deadline: %s\n" WORKLOADS EXPECT, cases[i].text);
		sc = parse_ok(text);
		assert_int_equal(sc->deadline_ms, cases[i].ms);
		assert_int_equal(sc->memory_bytes, 1ULL << 30);
		scenario_free(sc);
	}
}

static void memory_takes_exactly_64M(void **state)
{
	struct scenario *sc = parse_ok("scenario: t\ndescription: d\nvm: {memory: 64MiB}\n"
				       "deadline: 60s\n" WORKLOADS EXPECT);

	assert_int_equal(sc->memory_bytes, 64ULL << 20);
	scenario_free(sc);
}

static void text_need_not_be_nul_terminated(void **state)
{
	static const char text[] = HEAD WORKLOADS EXPECT "garbage: [";
	struct scenario *sc;

	sc = scenario_parse(PATH, text, strlen(text) - strlen("garbage: ["), errbuf,
			    sizeof(errbuf));
	assert_non_null(sc);
	scenario_free(sc);
}

static void path_without_directory_or_yaml_suffix(void **state)
{
	struct scenario *sc = parse_ok_at("t", HEAD WORKLOADS EXPECT);

	scenario_free(sc);
	sc = parse_ok_at("t.yaml", HEAD WORKLOADS EXPECT);
	scenario_free(sc);
}

static void empty_err_buffer_is_allowed(void **state)
{
	assert_null(scenario_parse(PATH, "", 0, NULL, 0));
}

static void load_reads_the_file(void **state)
{
	char dir[] = "/tmp/test_scenario.XXXXXX";
	char path[64];
	FILE *f;
	struct scenario *sc;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(HEAD WORKLOADS EXPECT, f);
	fclose(f);
	sc = scenario_load(path, errbuf, sizeof(errbuf));
	assert_non_null(sc);
	assert_string_equal(sc->path, path);
	assert_string_equal(sc->name, "t");
	scenario_free(sc);
	unlink(path);
	rmdir(dir);
}

static void load_reports_a_missing_file(void **state)
{
	assert_null(scenario_load("/nonexistent/t.yaml", errbuf, sizeof(errbuf)));
	assert_string_equal(errbuf, "cannot read '/nonexistent/t.yaml': No such file or directory");
}

static void known_sysctls_and_their_ranges(void **state)
{
	const struct sc_known_sysctl *k;

	k = sc_known_sysctl("vm.panic_on_oom");
	assert_non_null(k);
	assert_int_equal(k->min, 0);
	assert_int_equal(k->max, 2);
	k = sc_known_sysctl("kernel.pid_max");
	assert_int_equal(k->min, 301);
	assert_int_equal(k->max, 4194304);
	k = sc_known_sysctl("vm.swappiness");
	assert_int_equal(k->max, 200);
	assert_non_null(sc_known_sysctl("vm.oom_kill_allocating_task"));
	assert_non_null(sc_known_sysctl("vm.overcommit_memory"));
	assert_non_null(sc_known_sysctl("vm.overcommit_ratio"));
	assert_non_null(sc_known_sysctl("vm.overcommit_kbytes"));
	assert_non_null(sc_known_sysctl("vm.oom_dump_tasks"));
	assert_non_null(sc_known_sysctl("vm.admin_reserve_kbytes"));
	assert_non_null(sc_known_sysctl("vm.user_reserve_kbytes"));
	assert_non_null(sc_known_sysctl("vm.min_free_kbytes"));
	assert_non_null(sc_known_sysctl("kernel.threads-max"));
	assert_non_null(sc_known_sysctl("kernel.panic_on_oops"));
	assert_null(sc_known_sysctl("vm.drop_caches"));
	assert_null(sc_known_sysctl("panic_on_oom"));
	assert_ptr_equal(sc_known_sysctl_any("panic_on_oom"), sc_known_sysctl("vm.panic_on_oom"));
	assert_ptr_equal(sc_known_sysctl_any("vm.panic_on_oom"),
			 sc_known_sysctl("vm.panic_on_oom"));
	assert_null(sc_known_sysctl_any("oom"));
	assert_string_equal(sc_sysctl_short("kernel.threads-max"), "threads-max");
	assert_string_equal(sc_sysctl_short("plain"), "plain");
}

static void panic_names(void **state)
{
	assert_string_equal(sc_panic_name(SC_PANIC_NONE), "none");
	assert_string_equal(sc_panic_name(SC_PANIC_SYSTEM_WIDE), "system-wide");
	assert_string_equal(sc_panic_name(SC_PANIC_COMPULSORY), "compulsory");
	assert_string_equal(sc_panic_name(SC_PANIC_DEADLOCKED), "deadlocked");
}

/* YAML-level errors */

static void yaml_syntax_error_reports_libyaml_problem_and_mark(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: a: b\n"),
			    PATH ":2:15: mapping values are not allowed in this context");
	assert_string_equal(parse_error("scenario: t\nvm: {memory: 512M\ndeadline: 60s\n"),
			    PATH ":3:9: did not find expected ',' or '}' "
			    "(while parsing a flow mapping at 2:5)");
}

static void invalid_utf8_reports_the_byte_and_its_position(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: ab\xff\n"),
			    PATH ":2:16: invalid leading UTF-8 octet, found byte 0xff");
}

static void empty_text_is_an_empty_document(void **state)
{
	assert_string_equal(parse_error(""),
			    PATH ":1:1: expected a scenario, found an empty document");
	assert_string_equal(parse_error("# only a comment\n\n"),
			    PATH ":1:1: expected a scenario, found an empty document");
	assert_string_equal(parse_error("\n---\n"),
			    PATH ":3:1: expected a scenario, found an empty document");
}

static void second_document_is_refused(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS EXPECT "---\nscenario: u\n"),
			    PATH ":12:1: expected one document, found a second one");
}

static void top_level_must_be_a_mapping(void **state)
{
	assert_string_equal(parse_error("- scenario: t\n"),
			    PATH ":1:1: expected a mapping of scenario keys, found a list");
	assert_string_equal(parse_error("\n  hello\n"),
			    PATH ":2:3: expected a mapping of scenario keys, found 'hello'");
}

static void aliases_are_refused(void **state)
{
	assert_string_equal(parse_error("scenario: &n t\ndescription: *n\n"),
			    PATH ":2:14: expected a value, found alias '*n' "
			    "(aliases are not supported)");
}

static void nul_character_is_refused(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: \"a\\0b\"\n"),
			    PATH ":2:14: expected text, found a NUL character");
}

static void deep_nesting_is_refused(void **state)
{
	char text[200] = "x: ";
	int i;

	for (i = 0; i < 40; i++)
		strcat(text, "[");
	assert_string_equal(parse_error(text),
			    PATH ":1:35: expected at most 32 levels of nesting, found more");
}

static void non_scalar_key_is_refused(void **state)
{
	assert_string_equal(parse_error("scenario: t\n? [a]\n: b\n"),
			    PATH ":2:3: expected a scalar key, found a list");
}

static void duplicate_key_reports_both_places(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix: {}\n" "matrix: {}\n" EXPECT),
			    PATH ":10:1: duplicate key 'matrix' (first at 9:1)");
	assert_string_equal(parse_error("scenario: t\nvm:\n  memory: 1G\n  memory: 2G\n"),
			    PATH ":4:3: duplicate key 'memory' (first at 3:3)");
}

/* Top level */

static void unknown_top_level_key_lists_the_known_ones(void **state)
{
	assert_string_equal(parse_error(HEAD "matirx: {}\n" WORKLOADS EXPECT),
			    PATH ":6:1: unknown key 'matirx' at the top level (expected scenario, "
			    "description, vm, deadline, stop, sysctls, cgroup, groups, changes, "
			    "evictor, workloads, node, pods, matrix, expect)");
}

static void missing_required_keys_are_named(void **state)
{
	assert_string_equal(parse_error("description: d\nvm: {memory: 1G}\ndeadline: 60s\n"
					WORKLOADS EXPECT),
			    PATH ":1:1: missing key 'scenario' at the top level");
	assert_string_equal(parse_error("scenario: t\nvm: {memory: 1G}\ndeadline: 60s\n"
					WORKLOADS EXPECT),
			    PATH ":1:1: missing key 'description' at the top level");
	assert_string_equal(parse_error("scenario: t\ndescription: d\ndeadline: 60s\n"
					WORKLOADS EXPECT),
			    PATH ":1:1: missing key 'vm' at the top level");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm: {memory: 1G}\n"
					WORKLOADS EXPECT),
			    PATH ":1:1: missing key 'deadline' at the top level");
	assert_string_equal(parse_error(HEAD EXPECT),
			    PATH ":1:1: missing key 'workloads' at the top level");
	assert_string_equal(parse_error(HEAD WORKLOADS),
			    PATH ":1:1: missing key 'expect' at the top level");
}

static void scenario_name_takes_lowercase_digits_dash_underscore(void **state)
{
	assert_string_equal(parse_error_at("expectations/T x.yaml",
					   "scenario: T x\ndescription: d\n" /* ... */
					   "vm: {memory: 1G}\ndeadline: 60s\n" WORKLOADS EXPECT),
			    "expectations/T x.yaml:1:11: scenario takes a name of [a-z0-9_-], "
			    "found 'T x'");
	assert_string_equal(parse_error("scenario: [t]\ndescription: d\nvm: {memory: 1G}\n"
					"deadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":1:11: scenario takes a name of [a-z0-9_-], found a list");
}

static void scenario_must_match_the_file_name(void **state)
{
	assert_string_equal(parse_error_at("expectations/bar.yaml", HEAD WORKLOADS EXPECT),
			    "expectations/bar.yaml:1:11: scenario 't' must match the file name "
			    "'bar'");
}

static void description_takes_text(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription:\nvm: {memory: 1G}\n"
					"deadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":2:13: description takes text, found nothing");
	assert_string_equal(parse_error("scenario: t\ndescription: {a: b}\nvm: {memory: 1G}\n"
					"deadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":2:14: description takes text, found a mapping");
}

/* vm */

static void unknown_key_in_vm_reports_line_and_column(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: 1G\n"
					"  memroy: 1G\ndeadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":5:3: unknown key 'memroy' in vm (expected memory, cpus, swap, "
			    "disk, numa)");
}

static void vm_must_be_a_mapping_with_memory(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm: 512M\n"
					"deadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":3:5: vm takes a mapping (memory, cpus, swap, disk, numa), found '512M'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  cpus: 2\n"
					"deadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":4:3: missing key 'memory' in vm");
}

static void memory_takes_a_size(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: lots\n"
					"deadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":4:11: vm.memory takes a size such as 512M, found 'lots'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: [1G]\n"
					"deadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":4:11: vm.memory takes a size such as 512M, found a list");
}

static void memory_below_64M_is_refused(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: 63M\n"
					"deadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":4:11: vm.memory takes at least 64M, found '63M'");
}

static void cpus_takes_1_to_64(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: 1G\n"
					"  cpus: 0\ndeadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":5:9: vm.cpus takes 1..64, found 0");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  cpus: two\n"
					"  memory: 1G\ndeadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":4:9: vm.cpus takes 1..64, found 'two'");
}

static void swap_takes_none_or_a_size(void **state)
{
	struct scenario *sc = parse_ok("scenario: t\ndescription: d\nvm:\n  memory: 1G\n"
				       "  swap: 256M\ndeadline: 60s\n" WORKLOADS EXPECT);

	assert_int_equal(sc->swap_bytes, 256ULL << 20);
	scenario_free(sc);
	sc = parse_ok("scenario: t\ndescription: d\nvm:\n  memory: 1G\n"
		      "  disk: 1G\ndeadline: 60s\n" WORKLOADS EXPECT);
	assert_int_equal(sc->disk_bytes, 1ULL << 30);
	scenario_free(sc);
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: 1G\n"
					"  disk: 1M\ndeadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":5:9: vm.disk takes a size of at least 16M, found '1M'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: 1G\n"
					"  swap: 4K\ndeadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":5:9: vm.swap takes none or a size of at least 1M, found '4K'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: 1G\n"
					"  swap: zram\ndeadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":5:9: vm.swap takes none or a size of at least 1M, found 'zram'");
}

/* deadline, stop */

static void deadline_takes_a_duration(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm: {memory: 1G}\n"
					"deadline: 60\n" WORKLOADS EXPECT),
			    PATH ":4:11: deadline takes a duration such as 60s, 1500ms or 2m, "
			    "found '60'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm: {memory: 1G}\n"
					"deadline: 1h\n" WORKLOADS EXPECT),
			    PATH ":4:11: deadline takes a duration such as 60s, 1500ms or 2m, "
			    "found '1h'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm: {memory: 1G}\n"
					"deadline: -5s\n" WORKLOADS EXPECT),
			    PATH ":4:11: deadline takes a duration such as 60s, 1500ms or 2m, "
			    "found '-5s'");
}

static void deadline_must_be_positive_and_at_most_a_day(void **state)
{
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm: {memory: 1G}\n"
					"deadline: 0s\n" WORKLOADS EXPECT),
			    PATH ":4:11: deadline takes a positive duration, found '0s'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm: {memory: 1G}\n"
					"deadline: 1441m\n" WORKLOADS EXPECT),
			    PATH ":4:11: deadline takes at most 1440m, found '1441m'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm: {memory: 1G}\n"
					"deadline: 99999999999999999999s\n" WORKLOADS EXPECT),
			    PATH ":4:11: deadline takes a duration such as 60s, 1500ms or 2m, "
			    "found '99999999999999999999s'");
}

static void stop_takes_settled_or_exited(void **state)
{
	assert_string_equal(parse_error(HEAD "stop: never\n" WORKLOADS EXPECT),
			    PATH ":6:7: stop takes settled, exited or deadline, found 'never'");
}

/* sysctls */

static void unknown_sysctl_lists_the_known_ones(void **state)
{
	assert_string_equal(parse_error(HEAD "sysctls:\n  vm.panic_on_om: 1\n" WORKLOADS EXPECT),
			    PATH ":7:3: unknown sysctl 'vm.panic_on_om' (expected one of "
			    "vm.panic_on_oom, vm.oom_kill_allocating_task, vm.overcommit_memory, "
			    "vm.overcommit_ratio, vm.overcommit_kbytes, vm.oom_dump_tasks, "
			    "vm.admin_reserve_kbytes, vm.user_reserve_kbytes, vm.min_free_kbytes, "
			    "vm.swappiness, kernel.pid_max, kernel.threads-max, "
			    "kernel.panic_on_oops)");
}

static void sysctl_value_out_of_range_names_the_range(void **state)
{
	assert_string_equal(parse_error(HEAD "sysctls:\n  vm.panic_on_oom: 7\n" WORKLOADS EXPECT),
			    PATH ":7:20: 'vm.panic_on_oom' takes 0..2, found 7");
	assert_string_equal(parse_error(HEAD "sysctls:\n  kernel.pid_max: 300\n"
					WORKLOADS EXPECT),
			    PATH ":7:19: 'kernel.pid_max' takes 301..4194304, found 300");
	assert_string_equal(parse_error(HEAD "sysctls:\n  vm.swappiness: -1\n" WORKLOADS EXPECT),
			    PATH ":7:18: 'vm.swappiness' takes 0..200, found -1");
}

static void sysctl_value_must_be_an_integer(void **state)
{
	assert_string_equal(parse_error(HEAD "sysctls:\n  vm.swappiness: 0x10\n"
					WORKLOADS EXPECT),
			    PATH ":7:18: 'vm.swappiness' takes 0..200, found '0x10'");
	assert_string_equal(parse_error(HEAD "sysctls:\n  vm.swappiness: 1.5\n" WORKLOADS EXPECT),
			    PATH ":7:18: 'vm.swappiness' takes 0..200, found '1.5'");
}

static void sysctls_must_be_a_mapping(void **state)
{
	assert_string_equal(parse_error(HEAD "sysctls: [vm.swappiness]\n" WORKLOADS EXPECT),
			    PATH ":6:10: sysctls takes a mapping of sysctls to "
			    "values, found a list");
}

/* workloads */

static void workloads_must_be_a_non_empty_list(void **state)
{
	assert_string_equal(parse_error(HEAD "workloads: []\n" EXPECT),
			    PATH ":6:12: workloads takes a non-empty list of workloads, "
			    "found an empty list");
	assert_string_equal(parse_error(HEAD "workloads: {name: a}\n" EXPECT),
			    PATH ":6:12: workloads takes a non-empty list of workloads, "
			    "found a mapping");
}

static void workload_must_be_a_mapping(void **state)
{
	assert_string_equal(parse_error(HEAD "workloads:\n  - bigmm\n" EXPECT),
			    PATH ":7:5: expected a workload (a mapping with name and program), "
			    "found 'bigmm'");
}

static void unknown_key_in_workload(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "    arg: [x]\n" EXPECT),
			    PATH ":9:5: unknown key 'arg' in a workload (expected name, program, "
			    "args, oom_score_adj, start, group)");
}

static void workload_needs_name_and_program(void **state)
{
	assert_string_equal(parse_error(HEAD "workloads:\n  - program: bigmm\n" EXPECT),
			    PATH ":7:5: missing key 'name' in a workload");
	assert_string_equal(parse_error(HEAD "workloads:\n  - name: a\n" EXPECT),
			    PATH ":7:5: missing key 'program' in a workload");
}

static void workload_name_takes_15_of_lowercase_digits_dash_underscore(void **state)
{
	assert_string_equal(parse_error(HEAD "workloads:\n  - name: Grower\n    program: bigmm\n"
					EXPECT),
			    PATH ":7:11: workload name takes 1..15 of [a-z0-9_-], found 'Grower'");
	assert_string_equal(parse_error(HEAD "workloads:\n  - name: abcdefghijklmnop\n"
					"    program: bigmm\n" EXPECT),
			    PATH ":7:11: workload name takes 1..15 of [a-z0-9_-], "
			    "found 'abcdefghijklmnop'");
	assert_string_equal(parse_error(HEAD "workloads:\n  - name: \"\"\n    program: bigmm\n"
					EXPECT),
			    PATH ":7:11: workload name takes 1..15 of [a-z0-9_-], found ''");
	assert_string_equal(parse_error(HEAD "workloads:\n  - name:\n    program: bigmm\n"
					EXPECT),
			    PATH ":7:10: workload name takes 1..15 of [a-z0-9_-], found nothing");
}

static void fifteen_character_workload_name_is_accepted(void **state)
{
	struct scenario *sc = parse_ok(HEAD "workloads:\n  - name: abcdefghijklmno\n"
				       "    program: bigmm\n"
				       "expect:\n  - killed: [abcdefghijklmno]\n    why: w\n");

	assert_string_equal(sc->workloads[0].name, "abcdefghijklmno");
	scenario_free(sc);
}

static void duplicate_workload_name_reports_the_first(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "  - name: a\n    program: bigmm\n" EXPECT),
			    PATH ":9:11: duplicate workload name 'a' (first at 7:5)");
}

static void program_takes_a_plain_name(void **state)
{
	assert_string_equal(parse_error(HEAD "workloads:\n  - name: a\n    program: ../x\n"
					EXPECT),
			    PATH ":8:14: program takes a program name of 1..63 of [a-z0-9_-], "
			    "found '../x'");
}

static void args_takes_a_list_of_strings(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "    args: --chunk 8M\n" EXPECT),
			    PATH ":9:11: args takes a list of strings, found '--chunk 8M'");
	assert_string_equal(parse_error(HEAD WORKLOADS "    args: [--chunk, [8M]]\n" EXPECT),
			    PATH ":9:21: args takes strings, found a list");
}

static void oom_score_adj_takes_minus_1000_to_1000(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "    oom_score_adj: 1001\n" EXPECT),
			    PATH ":9:20: oom_score_adj takes -1000..1000, found 1001");
	assert_string_equal(parse_error(HEAD WORKLOADS
					"    oom_score_adj: 99999999999999999999\n" EXPECT),
			    PATH ":9:20: oom_score_adj takes -1000..1000, "
			    "found '99999999999999999999'");
}

/* start */

#define SECOND_AFTER(start) \
	HEAD WORKLOADS \
	"  - name: b\n"		/* 9 */ \
	"    program: bigmm\n"	/* 10 */ \
	"    start: " start "\n"	/* 11 */ \
	EXPECT

static void start_must_be_after_and_phase(void **state)
{
	assert_string_equal(parse_error(SECOND_AFTER("now")),
			    PATH ":11:12: start takes {after: NAME, phase: ready|holding}, "
			    "found 'now'");
	assert_string_equal(parse_error(SECOND_AFTER("{after: a, phase: ready, delay: 1s}")),
			    PATH ":11:37: unknown key 'delay' in start (expected after, phase)");
	assert_string_equal(parse_error(SECOND_AFTER("{after: a}")),
			    PATH ":11:12: missing key 'phase' in start");
	assert_string_equal(parse_error(SECOND_AFTER("{phase: ready}")),
			    PATH ":11:12: missing key 'after' in start");
}

static void start_after_unknown_workload(void **state)
{
	assert_string_equal(parse_error(SECOND_AFTER("{after: grower, phase: ready}")),
			    PATH ":11:20: 'grower' is not a workload of this scenario");
}

static void start_after_itself(void **state)
{
	assert_string_equal(parse_error(SECOND_AFTER("{after: b, phase: ready}")),
			    PATH ":11:20: start.after takes an earlier workload, found 'b' itself");
}

static void start_after_a_later_workload(void **state)
{
	assert_string_equal(parse_error(HEAD
					"workloads:\n"
					"  - name: a\n"
					"    program: bigmm\n"
					"    start: {after: b, phase: ready}\n"
					"  - name: b\n"
					"    program: bigmm\n"
					EXPECT),
			    PATH ":9:20: start.after takes an earlier workload, found 'b' declared "
			    "at 10:5");
}

static void start_phase_takes_a_report_word(void **state)
{
	struct scenario *sc = parse_ok(SECOND_AFTER("{after: a, phase: orphaned}"));

	assert_string_equal(sc->workloads[1].after_phase, "orphaned");
	scenario_free(sc);
	assert_string_equal(parse_error(SECOND_AFTER("{after: a, phase: Held-1}")),
			    PATH ":11:30: start.phase takes a report's phase (ready, holding, ...; "
			    "1..15 of [a-z]), found 'Held-1'");
}

/* matrix */

static void matrix_must_be_a_mapping_of_lists(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix: [vm.panic_on_oom]\n" EXPECT),
			    PATH ":9:9: matrix takes a mapping of sysctls to lists of values, "
			    "found a list");
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix:\n  vm.panic_on_oom: 1\n" EXPECT),
			    PATH ":10:20: matrix axis 'vm.panic_on_oom' takes a non-empty list of "
			    "values, found '1'");
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix:\n  vm.panic_on_oom: []\n"
					EXPECT),
			    PATH ":10:20: matrix axis 'vm.panic_on_oom' takes a non-empty list of "
			    "values, found an empty list");
}

static void matrix_unknown_sysctl(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix:\n  panic_on_oom: [0]\n" EXPECT),
			    PATH ":10:3: unknown sysctl 'panic_on_oom' (expected one of "
			    "vm.panic_on_oom, vm.oom_kill_allocating_task, vm.overcommit_memory, "
			    "vm.overcommit_ratio, vm.overcommit_kbytes, vm.oom_dump_tasks, "
			    "vm.admin_reserve_kbytes, vm.user_reserve_kbytes, vm.min_free_kbytes, "
			    "vm.swappiness, kernel.pid_max, kernel.threads-max, "
			    "kernel.panic_on_oops)");
}

static void matrix_value_out_of_range(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix:\n  vm.panic_on_oom: [0, 7]\n"
					EXPECT),
			    PATH ":10:24: 'vm.panic_on_oom' takes 0..2, found 7");
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix:\n  vm.panic_on_oom: [0, one]\n"
					EXPECT),
			    PATH ":10:24: 'vm.panic_on_oom' takes 0..2, found 'one'");
}

static void matrix_duplicate_value(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix:\n  vm.panic_on_oom: [0, 1, 0]\n"
					EXPECT),
			    PATH ":10:27: duplicate value 0 in matrix axis 'vm.panic_on_oom'");
}

static void sysctl_both_fixed_and_an_axis(void **state)
{
	assert_string_equal(parse_error(HEAD "sysctls:\n  vm.panic_on_oom: 0\n" WORKLOADS
					"matrix:\n  vm.panic_on_oom: [0, 1]\n" EXPECT),
			    PATH ":12:3: 'vm.panic_on_oom' is both a matrix axis and in sysctls "
			    "(at 7:3)");
}

static void matrix_of_more_than_4096_cells(void **state)
{
	char text[8192], *p;
	int i;

	p = text + sprintf(text, HEAD WORKLOADS "matrix:\n  vm.swappiness: [0");
	for (i = 1; i <= 200; i++)
		p += sprintf(p, ", %d", i);
	p += sprintf(p, "]\n  vm.overcommit_ratio: [0");
	for (i = 1; i < 30; i++)
		p += sprintf(p, ", %d", i);
	sprintf(p, "]\n" EXPECT);
	assert_string_equal(parse_error(text),
			    PATH ":9:1: matrix takes at most 4096 cells, found more");
}

/* expect */

#define MATRIX \
	"matrix:\n"					/* 9 */ \
	"  vm.panic_on_oom: [0, 1, 2]\n"		/* 10 */ \
	"  vm.overcommit_memory: [0, 2]\n"		/* 11 */
/* Rules start at line 13 after HEAD WORKLOADS MATRIX "expect:\n". */
#define RULES_HEAD HEAD WORKLOADS MATRIX "expect:\n"

static void expect_must_be_a_non_empty_list(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "expect: []\n"),
			    PATH ":9:9: expect takes a non-empty list of rules, "
			    "found an empty list");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n"),
			    PATH ":9:8: expect takes a non-empty list of rules, found nothing");
}

static void rule_must_be_a_mapping(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - killed\n"),
			    PATH ":10:5: expected a rule (a mapping with why and panic, killed or "
			    "enomem), found 'killed'");
}

static void unknown_key_in_rule(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - kiled: [a]\n    why: w\n"),
			    PATH ":10:5: unknown key 'kiled' in a rule (expected when, panic, "
			    "killed, enomem, refused, reports, counters, by, signal, "
			    "evicted_before_kernel, evicted, oom_killed, why)");
}

static void rule_needs_why(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - killed: [a]\n"),
			    PATH ":10:5: missing key 'why' in a rule");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - killed: [a]\n    why: \"\"\n"),
			    PATH ":11:10: why takes the policy's reasoning as text, found ''");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - killed: [a]\n    why:\n"),
			    PATH ":11:9: why takes the policy's reasoning as text, found nothing");
}

static void rule_needs_an_outcome(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - why: w\n"),
			    PATH ":10:5: a rule needs panic, killed, enomem, refused, reports or counters, found none");
}

static void panic_excludes_killed_and_enomem(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - panic: compulsory\n"
					"    killed: []\n    why: w\n"),
			    PATH ":11:5: a rule with panic takes no killed or "
			    "enomem, found killed");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - panic: compulsory\n"
					"    enomem: [a]\n    why: w\n"),
			    PATH ":11:5: a rule with panic takes no killed or "
			    "enomem, found enomem");
}

static void panic_takes_system_wide_compulsory_or_deadlocked(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - panic: yes\n    why: w\n"),
			    PATH ":10:12: panic takes system-wide, compulsory or deadlocked, "
			    "found 'yes'");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - panic: none\n    why: w\n"),
			    PATH ":10:12: panic takes system-wide, compulsory or deadlocked, "
			    "found 'none'");
}

static void deadlocked_panic_parses(void **state)
{
	struct scenario *sc = parse_ok(HEAD WORKLOADS "expect:\n  - panic: deadlocked\n"
				       "    why: w\n");

	assert_int_equal(sc->rules[0].panic, SC_PANIC_DEADLOCKED);
	assert_int_equal(sc->rules[0].has_killed, 0);
	assert_null(sc->rules[0].killed);
	scenario_free(sc);
}

static void killed_and_enomem_name_workloads(void **state)
{
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - killed: a\n    why: w\n"),
			    PATH ":10:13: killed takes a list of workload names, found 'a'");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - killed: [a, [b]]\n"
					"    why: w\n"),
			    PATH ":10:17: killed takes workload names, found a list");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - killed: [a, grower]\n"
					"    why: w\n"),
			    PATH ":10:17: 'grower' is not a workload of this scenario");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - enomem: [grower]\n"
					"    why: w\n"),
			    PATH ":10:14: 'grower' is not a workload of this scenario");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - killed: [a, a]\n"
					"    why: w\n"),
			    PATH ":10:17: duplicate name 'a' in killed");
}

static void enomem_alone_leaves_killed_unchecked(void **state)
{
	struct scenario *sc = parse_ok(HEAD WORKLOADS "expect:\n  - enomem: [a]\n    why: w\n");

	assert_int_equal(sc->rules[0].has_killed, 0);
	assert_int_equal(sc->rules[0].has_enomem, 1);
	assert_int_equal(sc->rules[0].nenomem, 1);
	assert_string_equal(sc->rules[0].enomem[0], "a");
	assert_null(sc->rules[0].enomem[1]);
	scenario_free(sc);
}

static void when_must_be_a_mapping(void **state)
{
	assert_string_equal(parse_error(RULES_HEAD "  - when: [vm.panic_on_oom]\n"
					"    killed: [a]\n    why: w\n"),
			    PATH ":13:11: when takes a mapping of matrix axes to "
			    "values, found a list");
}

static void when_key_must_be_an_axis(void **state)
{
	assert_string_equal(parse_error(RULES_HEAD "  - when: {vm.swappiness: 1}\n"
					"    killed: [a]\n    why: w\n"),
			    PATH ":13:12: 'vm.swappiness' is not a matrix axis of this scenario "
			    "(expected vm.panic_on_oom, vm.overcommit_memory)");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - when: {vm.panic_on_oom: 1}\n"
					"    killed: [a]\n    why: w\n"),
			    PATH ":10:12: 'vm.panic_on_oom' is not a matrix axis "
			    "(this scenario has "
			    "no matrix)");
}

static void when_value_must_be_an_axis_value(void **state)
{
	assert_string_equal(parse_error(RULES_HEAD "  - when: {vm.overcommit_memory: 1}\n"
					"    killed: [a]\n    why: w\n"),
			    PATH ":13:34: 'vm.overcommit_memory' takes one of 0, 2 in this matrix, "
			    "found 1");
	assert_string_equal(parse_error(RULES_HEAD "  - when: {vm.panic_on_oom: [0, x]}\n"
					"    killed: [a]\n    why: w\n"),
			    PATH ":13:33: 'vm.panic_on_oom' takes one of 0, 1, 2 in this matrix, "
			    "found 'x'");
	assert_string_equal(parse_error(RULES_HEAD "  - when: {vm.panic_on_oom: []}\n"
					"    killed: [a]\n    why: w\n"),
			    PATH ":13:29: 'vm.panic_on_oom' takes a value or a non-empty list of "
			    "values, found an empty list");
	assert_string_equal(parse_error(RULES_HEAD "  - when: {vm.panic_on_oom: [1, 1]}\n"
					"    killed: [a]\n    why: w\n"),
			    PATH ":13:33: duplicate value 1 for 'vm.panic_on_oom' in when");
}

static void rule_covers_no_cell(void **state)
{
	assert_string_equal(parse_error(RULES_HEAD
					"  - when: {vm.panic_on_oom: [0, 1, 2]}\n"	/* 13 */
					"    killed: [a]\n"
					"    why: w\n"
					"  - when: {vm.panic_on_oom: 2}\n"		/* 16 */
					"    panic: compulsory\n"
					"    why: w\n"),
			    PATH ":16:5: rule covers no cell (every cell it matches "
			    "takes an earlier "
			    "rule)");
	assert_string_equal(parse_error(HEAD WORKLOADS
					"expect:\n"
					"  - killed: [a]\n"				/* 10 */
					"    why: w\n"
					"  - enomem: [a]\n"				/* 12 */
					"    why: w\n"),
			    PATH ":12:5: rule covers no cell (every cell it matches "
			    "takes an earlier "
			    "rule)");
}

static void cell_without_rule_is_named(void **state)
{
	assert_string_equal(parse_error(RULES_HEAD
					"  - when: {vm.panic_on_oom: 0}\n"
					"    killed: [a]\n"
					"    why: w\n"
					"  - when: {vm.overcommit_memory: 0}\n"
					"    panic: system-wide\n"
					"    why: w\n"),
			    PATH ":12:1: no rule for cell panic_on_oom=1,overcommit_memory=2");
}

static void cell_helpers_walk_and_name_cells(void **state)
{
	struct scenario *sc = parse_ok(RULES_HEAD
				       "  - when: {vm.overcommit_memory: 2}\n"
				       "    enomem: [a]\n"
				       "    why: w\n"
				       "  - killed: [a]\n"
				       "    why: w\n");
	int vi[2] = { 0, 0 }, n = 0;
	char *params;

	do {
		assert_int_equal(sc_rule_for(sc, vi), vi[1] == 1 ? 0 : 1);
		n++;
	} while (sc_cell_next(sc, vi));
	assert_int_equal(n, 6);
	assert_int_equal(vi[0], 0);
	assert_int_equal(vi[1], 0);
	vi[0] = 2;
	vi[1] = 1;
	params = sc_cell_params(sc, vi);
	assert_string_equal(params, "panic_on_oom=2,overcommit_memory=2");
	free(params);
	scenario_free(sc);
}

/* cgroups */

#define CG_HEAD \
	HEAD \
	"cgroup: v2\n"			/* 6 */ \
	"groups:\n"			/* 7 */ \
	"  box:\n"			/* 8 */ \
	"    memory.max: 96M\n"		/* 9 */ \
	"  box/inner:\n"		/* 10 */ \
	"    pids.max: max\n"		/* 11 */ \
	"workloads:\n"			/* 12 */ \
	"  - name: a\n"			/* 13 */ \
	"    program: bigmm\n"		/* 14 */ \
	"    group: box/inner\n"	/* 15 */

static void groups_knobs_and_knob_axes_parse(void **state)
{
	struct scenario *sc = parse_ok(CG_HEAD
				       "matrix:\n"
				       "  box/memory.oom.group: [0, 1]\n"
				       "  box/inner/memory.max: [32M, max]\n"
				       "expect:\n"
				       "  - when: {box/memory.oom.group: 1, box/inner/memory.max: max}\n"
				       "    killed: []\n"
				       "    why: w\n"
				       "  - killed: [a]\n"
				       "    why: w\n");
	int vi[2] = { 1, 1 };
	char *params, buf[32];

	assert_int_equal(sc->cgroup, SC_CGROUP_V2);
	assert_int_equal(sc->ngroups, 2);
	assert_string_equal(sc->groups[0].name, "box");
	assert_int_equal(sc->groups[0].nknobs, 1);
	assert_string_equal(sc->groups[0].knobs[0].known->key, "memory.max");
	assert_int_equal(sc->groups[0].knobs[0].value, 96LL << 20);
	assert_int_equal(sc->groups[1].knobs[0].value, SC_KNOB_MAX);
	assert_int_equal(sc->workloads[0].group, 1);
	assert_int_equal(sc->axes[0].group, 0);
	assert_int_equal(sc->axes[1].group, 1);
	assert_int_equal(sc->axes[1].values[0], 32LL << 20);
	assert_int_equal(sc_rule_for(sc, vi), 0);
	params = sc_cell_params(sc, vi);
	assert_string_equal(params, "box:memory.oom.group=1,box.inner:memory.max=max");
	free(params);
	vi[1] = 0;
	assert_int_equal(sc_rule_for(sc, vi), 1);
	params = sc_cell_params(sc, vi);
	assert_string_equal(params, "box:memory.oom.group=1,box.inner:memory.max=32M");
	free(params);
	assert_string_equal(sc_knob_text(sc->groups[1].knobs[0].known, SC_KNOB_MAX, buf,
					 sizeof(buf)), "max");
	assert_true(sc_group_within(sc, 1, 0));
	assert_false(sc_group_within(sc, 0, 1));
	assert_true(sc_group_within(sc, 0, -1));
	scenario_free(sc);
}

static void v1_max_is_written_as_minus_one(void **state)
{
	char buf[32];

	assert_string_equal(sc_knob_text(sc_known_knob(SC_CGROUP_V1, "memory.limit_in_bytes"),
					 SC_KNOB_MAX, buf, sizeof(buf)), "-1");
	assert_string_equal(sc_knob_text(sc_known_knob(SC_CGROUP_V1, "pids.max"), SC_KNOB_MAX,
					 buf, sizeof(buf)), "max");
	assert_null(sc_known_knob(SC_CGROUP_V1, "memory.max"));
	assert_null(sc_known_knob(SC_CGROUP_V2, "memory.use_hierarchy"));
}

static void groups_need_a_hierarchy(void **state)
{
	assert_string_equal(parse_error(HEAD "groups:\n  box:\n" WORKLOADS EXPECT),
			    PATH ":6:1: groups needs cgroup: v1 or v2 at the top level, found none");
}

static void knob_of_the_other_hierarchy_is_refused(void **state)
{
	assert_string_equal(parse_error(HEAD "cgroup: v1\ngroups:\n  box:\n    memory.max: 1M\n"
					WORKLOADS EXPECT),
			    PATH ":9:5: unknown cgroup v1 knob 'memory.max' (expected one of "
			    "memory.limit_in_bytes, memory.memsw.limit_in_bytes, "
			    "memory.use_hierarchy, memory.oom_control, pids.max)");
}

static void nested_group_needs_its_parent_first(void **state)
{
	assert_string_equal(parse_error(HEAD "cgroup: v2\ngroups:\n  box/inner:\n" WORKLOADS
					EXPECT),
			    PATH ":8:3: group 'box/inner' takes its parent declared before it, "
			    "found none");
}

static void knob_value_is_checked(void **state)
{
	assert_string_equal(parse_error(HEAD "cgroup: v2\ngroups:\n  box:\n"
					"    memory.oom.group: max\n" WORKLOADS EXPECT),
			    PATH ":9:23: 'memory.oom.group' takes 0 or 1, found 'max'");
}

static void workload_group_must_exist(void **state)
{
	assert_string_equal(parse_error(HEAD "cgroup: v2\ngroups:\n  box:\n"
					"workloads:\n  - name: a\n    program: bigmm\n"
					"    group: bag\n" EXPECT),
			    PATH ":12:12: group takes a group of this scenario's groups, "
			    "found 'bag'");
}

static void knob_axis_and_fixed_knob_conflict(void **state)
{
	assert_string_equal(parse_error(CG_HEAD "matrix:\n  box/memory.max: [1M]\n" EXPECT),
			    PATH ":17:3: 'box/memory.max' is both a matrix axis and set in groups "
			    "(at 9:5)");
}

static void kernel_range_rules_hold_only_on_their_kernels(void **state)
{
	struct scenario *sc = parse_ok(CG_HEAD
				       "expect:\n"
				       "  - when: {kernel: \">=6.12\"}\n"
				       "    refused: {cgroup: EINVAL}\n"
				       "    why: w\n"
				       "  - when: {kernel: \"<6.2\"}\n"
				       "    refused: {box/memory.max: EBUSY}\n"
				       "    why: w\n"
				       "  - killed: [a]\n"
				       "    why: w\n");
	int vi[1] = { 0 };

	assert_int_equal(sc_rule_for(sc, vi), 2);
	assert_int_equal(sc_rule_for_release(sc, vi, "6.12.117+deb12-cloud-amd64"), 0);
	assert_int_equal(sc_rule_for_release(sc, vi, "7.0.1"), 0);
	assert_int_equal(sc_rule_for_release(sc, vi, "6.1.0-56-cloud-amd64"), 1);
	assert_int_equal(sc_rule_for_release(sc, vi, "6.5.0"), 2);
	assert_int_equal(sc_rule_for_release(sc, vi, "not-a-release"), 2);
	assert_string_equal(sc->rules[0].refused_key, "cgroup");
	assert_int_equal(sc->rules[0].refused_errno, sc_errno_value("EINVAL"));
	assert_string_equal(sc->rules[1].refused_key, "box/memory.max");
	assert_string_equal(sc_errno_name(sc->rules[1].refused_errno), "EBUSY");
	scenario_free(sc);
}

static void refused_names_a_knob_the_scenario_sets(void **state)
{
	assert_string_equal(parse_error(CG_HEAD "expect:\n  - refused: {box/memory.high: EINVAL}\n"
					"    why: w\n"),
			    PATH ":17:15: refused takes cgroup or a GROUP/KNOB this scenario sets, "
			    "found 'box/memory.high'");
	assert_string_equal(parse_error(CG_HEAD "expect:\n  - refused: {cgroup: EWHAT}\n"
					"    why: w\n"),
			    PATH ":17:23: refused takes an errno name such as EINVAL or ENOENT, "
			    "found 'EWHAT'");
}

static void kernel_range_is_checked(void **state)
{
	assert_string_equal(parse_error(CG_HEAD "expect:\n  - when: {kernel: \"6.12\"}\n"
					"    killed: [a]\n    why: w\n  - killed: [a]\n    why: w\n"),
			    PATH ":17:20: kernel takes a release range such as \">=6.12\", "
			    "\"<6.12\" or \">=6.1.0-56\", found '6.12'");
	assert_string_equal(parse_error(CG_HEAD "expect:\n  - when: {kernel: \">=x6\"}\n"
					"    killed: [a]\n    why: w\n  - killed: [a]\n    why: w\n"),
			    PATH ":17:20: kernel takes a release range such as \">=6.12\", "
			    "\"<6.12\" or \">=6.1.0-56\", found '>=x6'");
}

/* A range's bound may be one ABI: releases compare as versions */
static void kernel_range_of_one_abi(void **state)
{
	struct scenario *sc = parse_ok(CG_HEAD "expect:\n  - when: {kernel: \">=6.1.0-56\"}\n"
				       "    killed: [a]\n    why: w\n  - killed: []\n    why: w\n");
	int vi[8] = { 0 };

	(void)state;
	assert_int_equal(sc_rule_for_release(sc, vi, "6.1.0-56-cloud-amd64"), 0);
	assert_int_equal(sc_rule_for_release(sc, vi, "6.1.0-57-cloud-amd64"), 0);
	assert_int_equal(sc_rule_for_release(sc, vi, "6.12.118+deb12-cloud-amd64"), 0);
	assert_int_equal(sc_rule_for_release(sc, vi, "6.1.0-55-cloud-amd64"), 1);
	assert_int_equal(sc_rule_for_release(sc, vi, "6.1.0-9-cloud-amd64"), 1);
	assert_int_equal(sc_rule_for_release(sc, vi, "5.10.0-30-cloud-amd64"), 1);
	scenario_free(sc);
}

static void kernel_range_rules_alone_cover_no_cell(void **state)
{
	assert_string_equal(parse_error(CG_HEAD "expect:\n  - when: {kernel: \">=6.12\"}\n"
					"    killed: [a]\n    why: w\n"),
			    PATH ":16:1: no rule for cell ");
}

static void counters_and_stop_deadline_parse(void **state)
{
	struct scenario *sc = parse_ok(HEAD "stop: deadline\n"
				       "cgroup: v2\ngroups:\n  box:\n"
				       "workloads:\n  - name: a\n    program: bigmm\n    group: box\n"
				       "expect:\n  - killed: []\n"
				       "    counters: {box/memory.events/high: \">0\", "
				       "box/memory.events/oom: \"0\", box/pids.events/max: \">=2\"}\n"
				       "    why: w\n");
	const struct sc_rule *r = &sc->rules[0];

	assert_int_equal(sc->stop, SC_STOP_DEADLINE);
	assert_int_equal(r->ncounters, 3);
	assert_string_equal(r->counters[0].file, "memory.events");
	assert_string_equal(r->counters[0].key, "high");
	assert_int_equal(r->counters[0].op, '>');
	assert_int_equal(r->counters[0].value, 0);
	assert_int_equal(r->counters[1].op, '=');
	assert_string_equal(r->counters[2].file, "pids.events");
	assert_int_equal(r->counters[2].op, 'G');
	assert_int_equal(r->counters[2].value, 2);
	scenario_free(sc);
}

static void counters_name_a_file_the_agent_reads(void **state)
{
	assert_string_equal(parse_error(CG_HEAD "expect:\n  - counters: {box/memory.stat/anon: \"0\"}\n"
					"    why: w\n"),
			    PATH ":17:16: a counter file takes one of memory.events, memory.events.local, "
			    "pids.events in cgroup v2, found 'memory.stat'");
	assert_string_equal(parse_error(CG_HEAD "expect:\n  - counters: {box/memory.events/oom: "
					"\"lots\"}\n    why: w\n"),
			    PATH ":17:39: a counter takes a comparison such as \">0\", \">=2\", "
			    "\"<1\" or \"3\", found 'lots'");
}

static void numa_nodes_add_up_to_memory(void **state)
{
	struct scenario *sc = parse_ok("scenario: t\ndescription: d\nvm:\n  memory: 512M\n"
				       "  numa: [384M, 128M]\ndeadline: 60s\n" WORKLOADS EXPECT);

	assert_int_equal(sc->numa_nodes, 2);
	assert_int_equal(sc->numa_bytes[1], 128ULL << 20);
	scenario_free(sc);
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: 512M\n"
					"  numa: [384M, 64M]\ndeadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":5:9: vm.numa takes node sizes that add up to vm.memory (512M), "
			    "found 448M");
	assert_string_equal(parse_error("scenario: t\ndescription: d\nvm:\n  memory: 512M\n"
					"  numa: [512M]\ndeadline: 60s\n" WORKLOADS EXPECT),
			    PATH ":5:9: vm.numa takes a list of 2..8 node sizes, found a list");
}

static void changes_parse_and_are_checked(void **state)
{
	struct scenario *sc = parse_ok(HEAD "cgroup: v1\ngroups:\n"
				       "  box: {memory.oom_control: 1}\n"
				       "changes:\n"
				       "  - when: box/memory.oom_control/under_oom=1\n"
				       "    delay: 2s\n"
				       "    set: {box/memory.oom_control: 0}\n"
				       WORKLOADS EXPECT);

	assert_int_equal(sc->nchanges, 1);
	assert_string_equal(sc->changes[0].file, "memory.oom_control");
	assert_string_equal(sc->changes[0].key, "under_oom");
	assert_int_equal(sc->changes[0].value, 1);
	assert_int_equal(sc->changes[0].delay_ms, 2000);
	assert_string_equal(sc->changes[0].knob->key, "memory.oom_control");
	assert_int_equal(sc->changes[0].set_value, 0);
	scenario_free(sc);
	assert_string_equal(parse_error(HEAD "cgroup: v1\ngroups:\n  box:\nchanges:\n"
					"  - when: box/memory.oom_control/under_oom\n"
					"    set: {box/memory.oom_control: 0}\n" WORKLOADS EXPECT),
			    PATH ":10:11: a change's when takes GROUP/FILE/KEY=VALUE such as "
			    "box/memory.oom_control/under_oom=1, found "
			    "'box/memory.oom_control/under_oom'");
	assert_string_equal(parse_error(HEAD "cgroup: v1\ngroups:\n  box:\nchanges:\n"
					"  - when: box/memory.oom_control/under_oom=1\n"
					"    set: {box/memory.max: 0}\n" WORKLOADS EXPECT),
			    PATH ":11:11: unknown cgroup v1 knob 'memory.max' (expected one of "
			    "memory.limit_in_bytes, memory.memsw.limit_in_bytes, "
			    "memory.use_hierarchy, memory.oom_control, pids.max)");
}

/* The agent's limits (proto.h): a scenario it would refuse is refused here, where it is written. */

static char *bigtext(size_t len)
{
	char *t = malloc(len);

	assert_non_null(t);
	t[0] = '\0';
	return t;
}

static void more_workloads_than_the_agent_takes(void **state)
{
	char *t = bigtext(8192), *p;
	int i;

	p = t + sprintf(t, HEAD "workloads:\n");
	for (i = 0; i < PROTO_MAX_WORKLOADS + 1; i++)
		p += i ? sprintf(p, "  - {name: w%d, program: bigmm}\n", i) :
			 sprintf(p, "  - {name: a, program: bigmm}\n");
	sprintf(p, EXPECT);
	/* the 33rd item, on line 6 + 33 */
	assert_string_equal(parse_error(t), PATH ":39:5: workloads takes at most 32 workloads "
			    "(the agent's limit), found 33");
	free(t);
}

static void more_changes_than_the_agent_takes(void **state)
{
	char *t = bigtext(8192), *p;
	int i;

	p = t + sprintf(t, HEAD "cgroup: v1\ngroups:\n  box: {memory.oom_control: 1}\nchanges:\n");
	for (i = 0; i < PROTO_MAX_CHANGES + 1; i++)
		p += sprintf(p, "  - {when: box/memory.oom_control/under_oom=1, "
			     "set: {box/memory.oom_control: 0}}\n");
	sprintf(p, WORKLOADS EXPECT);
	/* the 9th change, on line 9 + 9 */
	assert_string_equal(parse_error(t), PATH ":18:5: changes takes at most 8 changes "
			    "(the agent's limit), found 9");
	free(t);
}

static void more_args_than_the_agent_takes(void **state)
{
	char *t = bigtext(8192), *p;
	int i;

	p = t + sprintf(t, HEAD WORKLOADS "    args: [");
	for (i = 0; i < PROTO_MAX_ARGS; i++)
		p += sprintf(p, "%sx", i ? ", " : "");
	sprintf(p, "]\n" EXPECT);
	/* the 32nd "x", at column 12 + 3 * 31 */
	assert_string_equal(parse_error(t), PATH ":9:105: args takes at most 31 arguments "
			    "(the agent's limit: 32 with the program's own name), found 32");
	free(t);
}

static void an_argument_too_long_for_a_spec_line(void **state)
{
	char *t = bigtext(16384), *p;

	p = t + sprintf(t, HEAD WORKLOADS "    args: [--chunk, 8M, ");
	memset(p, 'x', 5000);
	sprintf(p + 5000, "]\n" EXPECT);
	/*
	 * "workload name=a program=bigmm adj=0" (35) + " arg=--chunk" (12) + " arg=8M" (7)
	 * + " arg=" (5) + 5000
	 */
	assert_string_equal(parse_error(t), PATH ":9:25: a workload's spec line takes at most "
			    "4095 bytes (the agent's line limit), found 5059 with this argument");
	free(t);
}

static void a_spec_larger_than_the_agent_reads(void **state)
{
	char *t = bigtext(80000), *p;
	int i;

	/*
	 * The spec: "cell v=1 id=t deadline_ms=60000 stop=settled" (44 + newline), then one
	 * line per workload: "workload name=X program=bigmm adj=0 arg=" (40) + 4000 + newline.
	 * Sixteen come to 45 + 16 * 4041 = 64701 bytes (within 65407), the seventeenth to 68742.
	 */
	p = t + sprintf(t, HEAD "workloads:\n");
	for (i = 0; i < 17; i++) {
		p += sprintf(p, "  - {name: %c, program: bigmm, args: [", 'a' + i);
		memset(p, 'x', 4000);
		p += 4000;
		p += sprintf(p, "]}\n");
	}
	sprintf(p, EXPECT);
	assert_string_equal(parse_error(t), PATH ":23:5: a cell spec takes at most 65407 bytes "
			    "(the agent reads /cell.spec into 64 KiB, 128 of them for the run's seed "
			    "and clock), found 68742 in cell 't' with this workload's line");
	free(t);
}

static void more_groups_than_the_agent_takes(void **state)
{
	char *t = bigtext(8192), *p;
	int i;

	p = t + sprintf(t, HEAD "cgroup: v2\ngroups:\n");
	for (i = 0; i < PROTO_MAX_GROUPS + 1; i++)
		p += sprintf(p, "  g%d:\n", i);
	sprintf(p, WORKLOADS EXPECT);
	/* the 17th group, on line 7 + 17 */
	assert_string_equal(parse_error(t), PATH ":24:3: groups takes at most 16 groups "
			    "(the agent's limit), found 17");
	free(t);
}

static void more_knobs_than_the_agent_takes(void **state)
{
	char *t = bigtext(8192), *p;
	int i;

	/* six knobs in each of 11 groups: the 65th is the fifth of the 11th, on line 78 + 5 */
	p = t + sprintf(t, HEAD "cgroup: v2\ngroups:\n");
	for (i = 0; i < 11; i++)
		p += sprintf(p, "  g%d:\n    memory.max: 96M\n    memory.high: max\n"
			     "    memory.swap.max: max\n    memory.oom.group: 0\n"
			     "    pids.max: max\n    cpuset.mems: 0\n", i);
	sprintf(p, WORKLOADS EXPECT);
	assert_string_equal(parse_error(t), PATH ":83:5: a cell takes at most 64 knobs "
			    "(the agent's limit), found 66");
	free(t);
}

static void a_group_path_longer_than_the_agent_takes(void **state)
{
	char *t = bigtext(8192), a[65], b[65];

	memset(a, 'a', 64);
	a[64] = '\0';
	memset(b, 'b', 64);
	b[64] = '\0';
	sprintf(t, HEAD "cgroup: v2\ngroups:\n  %s:\n  %s/%s:\n" WORKLOADS EXPECT, a, a, b);
	assert_string_equal(parse_error(t), PATH ":9:3: a group's path takes at most 127 "
			    "characters (the agent's limit), found 129");
	free(t);
}

static void a_program_name_longer_than_the_agent_takes(void **state)
{
	char *t = bigtext(8192), name[65];

	memset(name, 'p', 64);
	name[64] = '\0';
	sprintf(t, HEAD "workloads:\n  - name: a\n    program: %s\n" EXPECT, name);
	assert_string_equal(parse_error(t), PATH ":8:14: program takes a program name of 1..63 "
			    "of [a-z0-9_-], found 'pppppppppppppppppppppppppppppppppppppppp...'");
	free(t);
}

/* Only files the agent reads, and only keys the kernel writes there: else a FAIL in the guest. */
static void counters_take_only_real_files_and_keys(void **state)
{
	struct scenario *sc;

	assert_string_equal(parse_error(CG_HEAD "expect:\n  - counters: {box/events/oom_kill: \"0\"}\n"
					"    why: w\n"),
			    PATH ":17:16: a counter file takes one of memory.events, memory.events.local, "
			    "pids.events in cgroup v2, found 'events'");
	assert_string_equal(parse_error(CG_HEAD "expect:\n  - counters: {box/memory.events/oom_kil: "
					"\"0\"}\n    why: w\n"),
			    PATH ":17:16: memory.events holds low, high, max, oom, oom_kill, "
			    "oom_group_kill, sock_throttled, found 'oom_kil'");
	assert_string_equal(parse_error(CG_HEAD "expect:\n  - counters: {box/pids.events/maxx: \"0\"}\n"
					"    why: w\n"),
			    PATH ":17:16: pids.events holds max, found 'maxx'");
	assert_string_equal(parse_error(HEAD "cgroup: v1\ngroups:\n  box:\n" WORKLOADS
					"expect:\n  - counters: {box/memory.events/oom: \"0\"}\n"
					"    why: w\n"),
			    PATH ":13:16: a counter file takes one of memory.oom_control, pids.events "
			    "in cgroup v1, found 'memory.events'");
	assert_string_equal(parse_error(HEAD "cgroup: v1\ngroups:\n  box:\nchanges:\n"
					"  - when: box/memory.oom_control/under=1\n"
					"    set: {box/memory.oom_control: 0}\n" WORKLOADS EXPECT),
			    PATH ":10:11: memory.oom_control holds oom_kill_disable, under_oom, "
			    "oom_kill, found 'under'");
	sc = parse_ok(HEAD "cgroup: v1\ngroups:\n  box:\n" WORKLOADS
		      "expect:\n  - counters: {box/memory.oom_control/oom_kill: \"0\", "
		      "box/pids.events/max: \"0\"}\n    why: w\n");
	assert_string_equal(sc->rules[0].counters[0].key, "oom_kill");
	assert_string_equal(sc->rules[0].counters[1].file, "pids.events");
	scenario_free(sc);
}

/* memory.events.local: the same keys, counted in the group alone, not in its subtree. */
static void memory_events_local_is_a_counter(void **state)
{
	struct scenario *sc = parse_ok(CG_HEAD "changes:\n"
				       "  - when: box/memory.events.local/oom=1\n"
				       "    set: {box/memory.max: max}\n"
				       "expect:\n  - counters: {box/inner/memory.events.local/oom_kill: "
				       "\"1\"}\n    why: w\n");

	assert_string_equal(sc->rules[0].counters[0].file, "memory.events.local");
	assert_string_equal(sc->rules[0].counters[0].key, "oom_kill");
	assert_string_equal(sc->changes[0].file, "memory.events.local");
	scenario_free(sc);
}

/* cgroup v2's no internal process constraint: the agent hands controllers to box's children. */
static void a_v2_workload_goes_in_a_leaf_group(void **state)
{
	struct scenario *sc;

	assert_string_equal(parse_error(HEAD "cgroup: v2\ngroups:\n  box:\n  box/inner:\n"
					"workloads:\n  - name: a\n    program: bigmm\n"
					"    group: box\n" EXPECT),
			    PATH ":13:12: a workload's group takes a group without child groups in "
			    "cgroup v2, found 'box' with 'box/inner' (at 9:3): the agent enables "
			    "memory, pids and cpuset for box's children, and a non-root group that "
			    "does so holds no process of its own");
	/* v1 has no such rule: a task may share a group with child groups */
	sc = parse_ok(HEAD "cgroup: v1\ngroups:\n  box:\n  box/inner:\n"
		      "workloads:\n  - name: a\n    program: bigmm\n    group: box\n" EXPECT);
	assert_int_equal(sc->workloads[0].group, 0);
	scenario_free(sc);
}

/* stop: exited with a workload that holds until killed, in a cell whose rule keeps it alive */
static void stop_exited_with_a_workload_that_holds_forever(void **state)
{
	struct scenario *sc;

	assert_string_equal(parse_error(HEAD "stop: exited\n" WORKLOADS
					"  - name: b\n    program: slowleak\n"
					"expect:\n  - killed: [a]\n    why: w\n"),
			    PATH ":6:7: stop: exited takes workloads that exit, found 'b' (slowleak "
			    "without --exit, at 10:5), which holds until killed, and the rule at "
			    "13:5 has it live: give it --exit, or stop: settled");
	/* each of these ends: given --exit, killed by the rule, or the cell ends in a panic */
	sc = parse_ok(HEAD "stop: exited\n" WORKLOADS "    args: [--total, 8M, --exit]\n"
		      "  - name: b\n    program: bigmm\n    args: [--chunk, 1M]\n"
		      "  - name: c\n    program: stress-ng\n"
		      "matrix: {vm.panic_on_oom: [0, 2]}\n"
		      "expect:\n  - when: {vm.panic_on_oom: 2}\n    panic: compulsory\n"
		      "    why: w\n  - killed: [b]\n    why: w\n");
	assert_int_equal(sc->stop, SC_STOP_EXITED);
	scenario_free(sc);
	/* a rule that does not say who is killed cannot be known to keep one alive */
	sc = parse_ok(HEAD "stop: exited\n" WORKLOADS
		      "expect:\n  - enomem: [a]\n    why: w\n");
	scenario_free(sc);
}

/* A workload's oom_score_adj as an axis: WORKLOAD/oom_score_adj, named in ids as a knob is. */
static void workload_oom_score_adj_is_an_axis(void **state)
{
	struct scenario *sc = parse_ok(HEAD WORKLOADS "  - name: grower\n    program: bigmm\n"
				       "matrix:\n  grower/oom_score_adj: [0, -999]\n"
				       "  vm.panic_on_oom: [0]\n"
				       "expect:\n  - when: {grower/oom_score_adj: -999}\n"
				       "    killed: [a]\n    why: w\n"
				       "  - killed: [grower]\n    why: w\n");
	int vi[2] = { 1, 0 };
	char *params = sc_cell_params(sc, vi);

	assert_int_equal(sc->naxes, 2);
	assert_string_equal(sc->axes[0].key, "grower/oom_score_adj");
	assert_int_equal(sc->axes[0].workload, 1);
	assert_int_equal(sc->axes[0].group, -1);
	assert_null(sc->axes[0].knob);
	assert_int_equal(sc->axes[0].values[1], -999);
	assert_int_equal(sc->axes[1].workload, -1);
	assert_string_equal(params, "grower:oom_score_adj=-999,panic_on_oom=0");
	assert_int_equal(sc_rule_for(sc, vi), 0);
	assert_int_equal(sc_cell_adj(sc, vi, 1), -999);
	assert_int_equal(sc_cell_adj(sc, vi, 0), 0);
	free(params);
	scenario_free(sc);

	assert_string_equal(parse_error(HEAD WORKLOADS "    oom_score_adj: 5\n"
					"matrix:\n  a/oom_score_adj: [0, 1]\n" EXPECT),
			    PATH ":11:3: 'a/oom_score_adj' is both a matrix axis and set in the "
			    "workload (at 9:5)");
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix:\n  a/oom_score_adj: [0, -1001]\n"
					EXPECT),
			    PATH ":10:24: 'a/oom_score_adj' takes -1000..1000, found -1001");
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix:\n  b/oom_score_adj: [0]\n" EXPECT),
			    PATH ":10:3: 'b/oom_score_adj' names no workload of this scenario");
}

/* The evictor: its program, args and files, an axis over one of its args, and the rules' by. */
#define EVICTOR \
	"evictor:\n"				/* 6 */ \
	"  program: earlyoom\n"			/* 7 */ \
	"  args: [-m, \"10\", -r, \"1\"]\n"	/* 8 */ \
	"  files: {/etc/x.conf: \"a=1\"}\n"	/* 9 */
#define EV_WORKLOADS \
	"workloads:\n"				/* 10 */ \
	"  - name: a\n"				/* 11 */ \
	"    program: bigmm\n"			/* 12 */

static void evictor_parses_with_its_axis_and_rules(void **state)
{
	struct scenario *sc = parse_ok(HEAD EVICTOR EV_WORKLOADS
				       "matrix:\n  evictor/-m: [5, 20]\n"
				       "expect:\n  - killed: [a]\n    by: earlyoom\n"
				       "    signal: SIGTERM\n    evicted_before_kernel: true\n"
				       "    why: w\n");
	int vi[1] = { 1 };
	char *params, *spec;
	struct spec_misfit m;

	(void)state;
	assert_non_null(sc->evictor.kind);
	assert_string_equal(sc->evictor.kind->program, "earlyoom");
	assert_int_equal(sc->evictor.nargs, 4);
	assert_int_equal(sc->evictor.nfiles, 1);
	assert_string_equal(sc->evictor.files[0].path, "/etc/x.conf");
	assert_string_equal(sc->evictor.files[0].text, "a=1");
	assert_int_equal(sc->axes[0].evictor_arg, 1);
	assert_ptr_equal(sc->rules[0].by, sc->evictor.kind);
	assert_int_equal(sc->rules[0].signal, 15);
	assert_int_equal(sc->rules[0].before_kernel, 1);
	params = sc_cell_params(sc, vi);
	assert_string_equal(params, "earlyoom-m=20");
	/* the axis's value replaces the one written after -m, in the agent's spec */
	spec = spec_cell(sc, vi, "t", &m);
	assert_non_null(strstr(spec, "evictor program=earlyoom adj=0 "));
	assert_non_null(strstr(spec, " arg=-m arg=20 arg=-r arg=1\n"));
	assert_non_null(strstr(spec, "file path=/etc/x.conf text=a%3D1\n"));
	free(spec);
	free(params);
	scenario_free(sc);
}

static void evictor_errors(void **state)
{
	(void)state;
	assert_string_equal(parse_error(HEAD "evictor:\n  program: oomkiller\n" EV_WORKLOADS
					EXPECT),
			    PATH ":7:12: evictor program takes one of earlyoom, oomd, systemd-oomd, "
			    "found 'oomkiller'");
	assert_string_equal(parse_error(HEAD "evictor:\n  program: oomd\n" EV_WORKLOADS EXPECT),
			    PATH ":7:12: oomd reads cgroup v2 and its pressure files: the scenario "
			    "needs cgroup: v2");
	assert_string_equal(parse_error(HEAD "evictor:\n  program: earlyoom\n"
					"  files: {etc/x: a}\n" EV_WORKLOADS EXPECT),
			    PATH ":8:11: a file takes an absolute guest path without '..' or "
			    "spaces, of at most 120 bytes, found 'etc/x'");
	assert_string_equal(parse_error(HEAD EVICTOR EV_WORKLOADS
					"matrix:\n  evictor/-s: [5]\n" EXPECT),
			    PATH ":14:3: 'evictor/-s': the evictor's args have no '-s' followed by "
			    "a value for the axis to replace");
	assert_string_equal(parse_error(HEAD WORKLOADS "matrix:\n  evictor/-m: [5]\n" EXPECT),
			    PATH ":10:3: 'evictor/-m' names an evictor argument, but this scenario "
			    "has no evictor");
	assert_string_equal(parse_error(HEAD WORKLOADS
					"expect:\n  - killed: [a]\n    by: earlyoom\n    why: w\n"),
			    PATH ":11:9: by takes kernel (the scenario has no evictor), found "
			    "'earlyoom'");
	assert_string_equal(parse_error(HEAD EVICTOR EV_WORKLOADS
					"expect:\n  - killed: [a]\n    signal: SIGTERM\n"
					"    why: w\n"),
			    PATH ":15:13: signal takes the evictor's signal: the rule needs by: "
			    "with the evictor");
	assert_string_equal(parse_error(HEAD EVICTOR EV_WORKLOADS
					"expect:\n  - killed: [a]\n    by: earlyoom\n"
					"    signal: SIGHUP\n    why: w\n"),
			    PATH ":16:13: signal takes SIGTERM or SIGKILL, found 'SIGHUP'");
	assert_string_equal(parse_error(HEAD EVICTOR EV_WORKLOADS
					"expect:\n  - enomem: [a]\n    by: kernel\n    why: w\n"),
			    PATH ":15:9: by says who kills the workloads of killed: the rule needs "
			    "killed");
}

/* A Kubernetes node: its pods as groups and workloads, kubelet's model as the evictor. */
#define NODE \
	"scenario: t\n"						/* 1 */ \
	"description: d\n"						/* 2 */ \
	"deadline: 60s\n"						/* 3 */ \
	"node:\n"							/* 4 */ \
	"  capacity: 512M\n"						/* 5 */ \
	"  cgroup: v2\n"						/* 6 */ \
	"  eviction_hard: {memory.available: 100Mi}\n"			/* 7 */ \
	"  housekeeping_interval: 1s\n"					/* 8 */ \
	"pods:\n"							/* 9 */ \
	"  - name: g\n"							/* 10 */ \
	"    containers: [{name: g-app, program: bigmm,\n"		/* 11 */ \
	"                  requests: {memory: 64Mi}, limits: {memory: 64Mi}}]\n" /* 12 */ \
	"  - name: b\n"							/* 13 */ \
	"    priority: 5\n"						/* 14 */ \
	"    containers:\n"						/* 15 */ \
	"      - {name: b-1, program: bigmm, requests: {memory: 128Mi}}\n" /* 16 */ \
	"      - {name: b-2, program: slowleak, args: [--rate, 4M]}\n"	/* 17 */ \
	"  - name: e\n"							/* 18 */ \
	"    containers: [{name: e-app, program: bigmm}]\n"		/* 19 */

static void node_lays_out_pods_as_kubelet_does(void **state)
{
	struct scenario *sc = parse_ok(NODE "matrix:\n  node/housekeeping_interval: [1s, 10s]\n"
				       "  b-2/--rate: [2M, 4M]\n"
				       "expect:\n  - evicted: [e, [b, g]]\n    by: kubelet\n"
				       "    why: w\n");
	static const char *const groups[] = {
		"kubepods", "kubepods/burstable", "kubepods/besteffort", "kubepods/podg",
		"kubepods/podg/g-app", "kubepods/burstable/podb", "kubepods/burstable/podb/b-1",
		"kubepods/burstable/podb/b-2", "kubepods/besteffort/pode",
		"kubepods/besteffort/pode/e-app",
	};
	const struct sc_rule *r = &sc->rules[0];
	int vi[2] = { 1, 0 };
	char *params;
	size_t i;

	assert_int_equal(sc->memory_bytes, 512ULL << 20);
	assert_int_equal(sc->cgroup, SC_CGROUP_V2);
	assert_int_equal(sc->ngroups, (int)(sizeof(groups) / sizeof(groups[0])));
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		assert_string_equal(sc->groups[i].name, groups[i]);
	/* limits: the container's, and the pod's where every container has one */
	assert_int_equal(sc->groups[3].nknobs, 1);
	assert_string_equal(sc->groups[3].knobs[0].known->key, "memory.max");
	assert_int_equal(sc->groups[3].knobs[0].value, 64LL << 20);
	assert_int_equal(sc->groups[5].nknobs, 0);
	/* QoS classes and their oom_score_adj; a Burstable one computed in the guest */
	assert_int_equal(sc->npods, 3);
	assert_int_equal(sc->pods[0].qos, SC_QOS_GUARANTEED);
	assert_int_equal(sc->pods[1].qos, SC_QOS_BURSTABLE);
	assert_int_equal(sc->pods[2].qos, SC_QOS_BESTEFFORT);
	assert_int_equal(sc->pods[1].priority, 5);
	assert_int_equal(sc->pods[1].request, 128LL << 20);
	assert_int_equal(sc->workloads[0].oom_score_adj, -997);
	assert_int_equal(sc->workloads[1].burstable_request, 128LL << 20);
	assert_int_equal(sc->workloads[2].burstable_request, 0);
	assert_int_equal(sc->workloads[3].oom_score_adj, 1000);
	/* kubelet's model, its flags and the pods file */
	assert_string_equal(sc->evictor.kind->program, "kubelet");
	assert_int_equal(sc->evictor.kind->adj, -999);
	assert_string_equal(sc->evictor.args[0], "--eviction-hard");
	assert_string_equal(sc->evictor.args[1], "memory.available<100Mi");
	assert_string_equal(sc->evictor.files[0].path, "/etc/kubelet/pods");
	assert_non_null(strstr(sc->evictor.files[0].text,
			       "container b-2 pod=b cgroup=/kubepods/burstable/podb/b-2 "
			       "request=0\n"));
	/* the rule: ranks, and killed made of the evicted pods' containers */
	assert_int_equal(r->nevicted, 3);
	assert_int_equal(r->evicted_rank[0], 0);
	assert_int_equal(r->evicted_rank[1], 1);
	assert_int_equal(r->evicted_rank[2], 1);
	assert_int_equal(r->nkilled, 4);
	params = sc_cell_params(sc, vi);
	assert_string_equal(params, "housekeeping_interval=10000ms,b-2--rate=2M");
	free(params);
	scenario_free(sc);
}

static void node_errors(void **state)
{
	assert_string_equal(parse_error(NODE "groups: {a: {}}\nexpect:\n  - evicted: []\n"
					"    why: w\n"),
			    PATH ":20:1: a scenario with node: takes no groups: its pods make the "
			    "groups and workloads as kubelet would, and kubelet is its evictor");
	assert_string_equal(parse_error(NODE "expect:\n  - evicted: [x]\n    why: w\n"),
			    PATH ":21:15: evicted takes pods of this node, found 'x'");
	assert_string_equal(parse_error(NODE "expect:\n  - evicted: [e, e]\n    why: w\n"),
			    PATH ":21:18: pod 'e' named twice in evicted");
	assert_string_equal(parse_error(NODE "expect:\n  - oom_killed: [e]\n    why: w\n"),
			    PATH ":21:18: oom_killed takes containers of this node's pods, "
			    "found 'e'");
	assert_string_equal(parse_error(NODE "expect:\n  - killed: [e-app]\n    evicted: []\n"
					"    why: w\n"),
			    PATH ":21:5: a rule of a node takes evicted: and oom_killed:, not "
			    "killed:");
	assert_string_equal(parse_error(HEAD WORKLOADS "expect:\n  - evicted: [a]\n"
					"    why: w\n"),
			    PATH ":10:14: evicted takes pods: the scenario has no node:");
	assert_string_equal(parse_error(HEAD "pods: []\n" WORKLOADS EXPECT),
			    PATH ":6:1: pods: are a node's: the scenario needs node:");
	assert_string_equal(parse_error(HEAD "evictor: {program: kubelet}\n" WORKLOADS EXPECT),
			    PATH ":6:20: kubelet is a node's evictor: write node: and pods:, not "
			    "evictor:");
	assert_string_equal(parse_error("scenario: t\ndescription: d\ndeadline: 60s\n"
					"node: {cgroup: v2, eviction_hard: {nodefs.available: 10%}}\n"
					"pods: [{name: p, containers: [{name: c, program: bigmm}]}]\n"
					"expect:\n  - evicted: []\n    why: w\n"),
			    PATH ":4:7: missing key 'capacity' in node (or vm.memory)");
	assert_string_equal(parse_error("scenario: t\ndescription: d\ndeadline: 60s\n"
					"node: {capacity: 512M, cgroup: v2,\n"
					"       eviction_hard: {nodefs.available: 10%}}\n"
					"pods: [{name: p, containers: [{name: c, program: bigmm}]}]\n"
					"expect:\n  - evicted: []\n    why: w\n"),
			    PATH ":5:24: eviction_hard takes memory.available, "
			    "allocatableMemory.available or pid.available (the model's signals), "
			    "found 'nodefs.available'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\ndeadline: 60s\n"
					"node: {capacity: 512M, cgroup: v2,\n"
					"       eviction_hard: {memory.available: 0}}\n"
					"pods: [{name: p, containers: [{name: c, program: bigmm}]}]\n"
					"expect:\n  - evicted: []\n    why: w\n"),
			    PATH ":5:42: eviction_hard: memory.available takes a positive quantity "
			    "such as 100Mi or a percentage such as 10%, found '0'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\ndeadline: 60s\n"
					"node: {capacity: 512M, cgroup: v2,\n"
					"       eviction_hard: {memory.available: 1x0%}}\n"
					"pods: [{name: p, containers: [{name: c, program: bigmm}]}]\n"
					"expect:\n  - evicted: []\n    why: w\n"),
			    PATH ":5:42: eviction_hard: memory.available takes a positive quantity "
			    "such as 100Mi or a percentage such as 10%, found '1x0%'");
	assert_string_equal(parse_error("scenario: t\ndescription: d\ndeadline: 60s\n"
					"node: {capacity: 512M, cgroup: v2}\n"
					"pods: [{name: p, containers: [{name: c, program: bigmm,\n"
					"  requests: {memory: 2Gi}, limits: {memory: 1Gi}}]}]\n"
					"expect:\n  - evicted: []\n    why: w\n"),
			    PATH ":5:31: container 'c': its memory request is above its limit");
	assert_string_equal(parse_error("scenario: t\ndescription: d\ndeadline: 60s\n"
					"node: {capacity: 512M, cgroup: v2}\n"
					"pods: [{name: a, containers: [{name: a, program: bigmm}]},\n"
					"       {name: b, containers: [{name: b, program: bigmm}]},\n"
					"       {name: c, containers: [{name: c, program: bigmm}]},\n"
					"       {name: d, containers: [{name: d, program: bigmm}]},\n"
					"       {name: e, containers: [{name: e, program: bigmm}]},\n"
					"       {name: f, containers: [{name: f, program: bigmm}]},\n"
					"       {name: g, containers: [{name: g, program: bigmm}]},\n"
					"       {name: h, containers: [{name: h, program: bigmm}]},\n"
					"       {name: i, containers: [{name: i, program: bigmm}]}]\n"
					"expect:\n  - evicted: []\n    why: w\n"),
			    PATH ":13:8: pods takes at most 8 pods (the model's ranking of them must "
			    "fit one line of the agent's), found 9");
	assert_string_equal(parse_error("scenario: t\ndescription: d\ndeadline: 60s\n"
					"node: {capacity: 512M, cgroup: v2}\n"
					"pods: [{name: p, containers: [{name: c, program: bigmm}]},\n"
					"       {name: q, containers: [{name: c, program: bigmm}]}]\n"
					"expect:\n  - evicted: []\n    why: w\n"),
			    PATH ":6:38: duplicate container name 'c' (first at 5:31): oomlab names "
			    "processes by container, so names are unique across pods");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_scenario_parses_every_field),
		cmocka_unit_test(optional_keys_take_their_defaults),
		cmocka_unit_test(stop_settled_and_start_after_ready),
		cmocka_unit_test(deadline_takes_ms_s_and_m),
		cmocka_unit_test(memory_takes_exactly_64M),
		cmocka_unit_test(text_need_not_be_nul_terminated),
		cmocka_unit_test(path_without_directory_or_yaml_suffix),
		cmocka_unit_test(empty_err_buffer_is_allowed),
		cmocka_unit_test(load_reads_the_file),
		cmocka_unit_test(load_reports_a_missing_file),
		cmocka_unit_test(known_sysctls_and_their_ranges),
		cmocka_unit_test(panic_names),
		cmocka_unit_test(yaml_syntax_error_reports_libyaml_problem_and_mark),
		cmocka_unit_test(invalid_utf8_reports_the_byte_and_its_position),
		cmocka_unit_test(empty_text_is_an_empty_document),
		cmocka_unit_test(second_document_is_refused),
		cmocka_unit_test(top_level_must_be_a_mapping),
		cmocka_unit_test(aliases_are_refused),
		cmocka_unit_test(nul_character_is_refused),
		cmocka_unit_test(deep_nesting_is_refused),
		cmocka_unit_test(non_scalar_key_is_refused),
		cmocka_unit_test(duplicate_key_reports_both_places),
		cmocka_unit_test(unknown_top_level_key_lists_the_known_ones),
		cmocka_unit_test(missing_required_keys_are_named),
		cmocka_unit_test(scenario_name_takes_lowercase_digits_dash_underscore),
		cmocka_unit_test(scenario_must_match_the_file_name),
		cmocka_unit_test(description_takes_text),
		cmocka_unit_test(unknown_key_in_vm_reports_line_and_column),
		cmocka_unit_test(vm_must_be_a_mapping_with_memory),
		cmocka_unit_test(memory_takes_a_size),
		cmocka_unit_test(memory_below_64M_is_refused),
		cmocka_unit_test(cpus_takes_1_to_64),
		cmocka_unit_test(swap_takes_none_or_a_size),
		cmocka_unit_test(deadline_takes_a_duration),
		cmocka_unit_test(deadline_must_be_positive_and_at_most_a_day),
		cmocka_unit_test(stop_takes_settled_or_exited),
		cmocka_unit_test(unknown_sysctl_lists_the_known_ones),
		cmocka_unit_test(sysctl_value_out_of_range_names_the_range),
		cmocka_unit_test(sysctl_value_must_be_an_integer),
		cmocka_unit_test(sysctls_must_be_a_mapping),
		cmocka_unit_test(workloads_must_be_a_non_empty_list),
		cmocka_unit_test(workload_must_be_a_mapping),
		cmocka_unit_test(unknown_key_in_workload),
		cmocka_unit_test(workload_needs_name_and_program),
		cmocka_unit_test(workload_name_takes_15_of_lowercase_digits_dash_underscore),
		cmocka_unit_test(fifteen_character_workload_name_is_accepted),
		cmocka_unit_test(duplicate_workload_name_reports_the_first),
		cmocka_unit_test(program_takes_a_plain_name),
		cmocka_unit_test(args_takes_a_list_of_strings),
		cmocka_unit_test(oom_score_adj_takes_minus_1000_to_1000),
		cmocka_unit_test(start_must_be_after_and_phase),
		cmocka_unit_test(start_after_unknown_workload),
		cmocka_unit_test(start_after_itself),
		cmocka_unit_test(start_after_a_later_workload),
		cmocka_unit_test(start_phase_takes_a_report_word),
		cmocka_unit_test(matrix_must_be_a_mapping_of_lists),
		cmocka_unit_test(matrix_unknown_sysctl),
		cmocka_unit_test(matrix_value_out_of_range),
		cmocka_unit_test(matrix_duplicate_value),
		cmocka_unit_test(sysctl_both_fixed_and_an_axis),
		cmocka_unit_test(matrix_of_more_than_4096_cells),
		cmocka_unit_test(expect_must_be_a_non_empty_list),
		cmocka_unit_test(rule_must_be_a_mapping),
		cmocka_unit_test(unknown_key_in_rule),
		cmocka_unit_test(rule_needs_why),
		cmocka_unit_test(rule_needs_an_outcome),
		cmocka_unit_test(panic_excludes_killed_and_enomem),
		cmocka_unit_test(panic_takes_system_wide_compulsory_or_deadlocked),
		cmocka_unit_test(deadlocked_panic_parses),
		cmocka_unit_test(killed_and_enomem_name_workloads),
		cmocka_unit_test(enomem_alone_leaves_killed_unchecked),
		cmocka_unit_test(when_must_be_a_mapping),
		cmocka_unit_test(when_key_must_be_an_axis),
		cmocka_unit_test(when_value_must_be_an_axis_value),
		cmocka_unit_test(rule_covers_no_cell),
		cmocka_unit_test(cell_without_rule_is_named),
		cmocka_unit_test(cell_helpers_walk_and_name_cells),
		cmocka_unit_test(groups_knobs_and_knob_axes_parse),
		cmocka_unit_test(v1_max_is_written_as_minus_one),
		cmocka_unit_test(groups_need_a_hierarchy),
		cmocka_unit_test(knob_of_the_other_hierarchy_is_refused),
		cmocka_unit_test(nested_group_needs_its_parent_first),
		cmocka_unit_test(knob_value_is_checked),
		cmocka_unit_test(workload_group_must_exist),
		cmocka_unit_test(knob_axis_and_fixed_knob_conflict),
		cmocka_unit_test(kernel_range_rules_hold_only_on_their_kernels),
		cmocka_unit_test(refused_names_a_knob_the_scenario_sets),
		cmocka_unit_test(kernel_range_is_checked),
		cmocka_unit_test(kernel_range_of_one_abi),
		cmocka_unit_test(kernel_range_rules_alone_cover_no_cell),
		cmocka_unit_test(counters_and_stop_deadline_parse),
		cmocka_unit_test(numa_nodes_add_up_to_memory),
		cmocka_unit_test(changes_parse_and_are_checked),
		cmocka_unit_test(counters_name_a_file_the_agent_reads),
		cmocka_unit_test(more_workloads_than_the_agent_takes),
		cmocka_unit_test(more_changes_than_the_agent_takes),
		cmocka_unit_test(more_args_than_the_agent_takes),
		cmocka_unit_test(an_argument_too_long_for_a_spec_line),
		cmocka_unit_test(a_spec_larger_than_the_agent_reads),
		cmocka_unit_test(more_groups_than_the_agent_takes),
		cmocka_unit_test(more_knobs_than_the_agent_takes),
		cmocka_unit_test(a_group_path_longer_than_the_agent_takes),
		cmocka_unit_test(a_program_name_longer_than_the_agent_takes),
		cmocka_unit_test(counters_take_only_real_files_and_keys),
		cmocka_unit_test(memory_events_local_is_a_counter),
		cmocka_unit_test(a_v2_workload_goes_in_a_leaf_group),
		cmocka_unit_test(stop_exited_with_a_workload_that_holds_forever),
		cmocka_unit_test(workload_oom_score_adj_is_an_axis),
		cmocka_unit_test(evictor_parses_with_its_axis_and_rules),
		cmocka_unit_test(evictor_errors),
		cmocka_unit_test(node_lays_out_pods_as_kubelet_does),
		cmocka_unit_test(node_errors),
	};

	return cmocka_run_group_tests_name("test_scenario", tests, NULL, NULL);
}
