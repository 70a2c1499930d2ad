// SPDX-License-Identifier: GPL-2.0-only
/* test_replay.c - OOM reports turned into scenarios that oomlab's own parser accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cells/replay.h"
#include "cells/scenario.h"
#include "testdata.h"

struct replayed_file {
	struct strbuf text;
	struct scenario *sc;
	char err[512];
	int ret;
};

/* Replays a data file of tests/data/oomreport and parses what comes out. */
static void replay_file(const char *name, const struct replay_opts *opts, struct replayed_file *r)
{
	const char *base = testdata_dir();
	struct replay_opts o = opts ? *opts : (struct replay_opts){ 0 };
	struct strbuf in = STRBUF_INIT;
	struct oom_log *log;
	char path[512], perr[512], *scname;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/oomreport/%s", base, name);
	assert_int_equal(strbuf_read_file(&in, path), 0);
	log = oomreport_parse(in.buf, in.len);
	o.source = name;
	r->ret = replay_scenario(log, &o, &r->text, r->err, sizeof(r->err));
	if (r->ret == 0) {
		const char *nm = strstr(r->text.buf, "\nscenario: ") + 11;

		scname = xasprintf("%.*s.yaml", (int)strcspn(nm, "\n"), nm);
		r->sc = scenario_parse(scname, r->text.buf, r->text.len, perr, sizeof(perr));
		if (!r->sc)
			fail_msg("the replay does not parse: %s\n%s", perr, r->text.buf);
		free(scname);
	}
	oomreport_free(log);
	strbuf_release(&in);
}

static void replayed_release(struct replayed_file *r)
{
	scenario_free(r->sc);
	strbuf_release(&r->text);
}

static const struct sc_workload *workload(const struct scenario *sc, const char *name)
{
	for (int i = 0; i < sc->nworkloads; i++)
		if (!strcmp(sc->workloads[i].name, name))
			return &sc->workloads[i];
	fail_msg("no workload '%s'", name);
	return NULL;
}

static void adj_victim_keeps_its_weight_when_shrunk(void **state)
{
	struct replayed_file r;
	const struct sc_workload *small, *large, *trigger;

	replay_file("debian61-adj-prefer-adj-term.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_string_equal(r.sc->name, "replay-small");
	assert_true(r.sc->memory_bytes == 512ULL << 20);
	assert_int_equal(r.sc->nworkloads, 3);
	small = workload(r.sc, "small");
	large = workload(r.sc, "large");
	trigger = workload(r.sc, "trigger");
	/* the same totalpages (scale 1), then shrunk by 0.8175 to fit: sizes and adj alike */
	assert_string_equal(small->args[1], "132M");
	assert_int_equal(small->oom_score_adj, 817);
	assert_string_equal(large->args[1], "229M");
	assert_int_equal(large->oom_score_adj, 0);
	/* in the report's scan order, each after the one before holds, then the trigger */
	assert_int_equal(large->start, SC_START_AFTER);
	assert_string_equal(large->after, "small");
	assert_int_equal(trigger->oom_score_adj, -1000);
	assert_string_equal(trigger->after, "large");
	assert_int_equal(r.sc->nrules, 1);
	assert_int_equal(r.sc->rules[0].nkilled, 1);
	assert_string_equal(r.sc->rules[0].killed[0], "small");
	assert_non_null(strstr(r.sc->rules[0].why, "killed small (pid 85)"));
	assert_non_null(strstr(r.text.buf, "both times 0.8175"));
	replayed_release(&r);
}

static void allocating_victim_grows_with_the_knob_set(void **state)
{
	struct replayed_file r;
	const struct sc_workload *large;

	replay_file("debian61-adj-prefer-allocating-task.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.sc->nsysctls, 1);
	assert_string_equal(r.sc->sysctls[0].key, "vm.oom_kill_allocating_task");
	assert_int_equal(r.sc->sysctls[0].value, 1);
	/* no trigger: the victim itself grows, last */
	assert_int_equal(r.sc->nworkloads, 2);
	large = &r.sc->workloads[1];
	assert_string_equal(large->name, "large");
	assert_string_equal(large->args[0], "--chunk");
	assert_string_equal(r.sc->rules[0].killed[0], "large");
	assert_non_null(strstr(r.text.buf, "# Implied: vm.oom_kill_allocating_task=1"));
	replayed_release(&r);
}

static void panic_report_expects_its_panic(void **state)
{
	struct replayed_file r;

	replay_file("debian61-global-two-hogs-panic-on-oom.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_string_equal(r.sc->sysctls[0].key, "vm.panic_on_oom");
	assert_int_equal(r.sc->sysctls[0].value, 1);
	assert_int_equal(r.sc->rules[0].panic, SC_PANIC_SYSTEM_WIDE);
	replayed_release(&r);

	replay_file("debian61-no-killable-deadlocked.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.sc->rules[0].panic, SC_PANIC_DEADLOCKED);
	/* nothing was eligible: the deadlock is replayed with the -1000 tasks themselves */
	assert_int_equal(workload(r.sc, "grower")->oom_score_adj, -1000);
	replayed_release(&r);
}

static void big_machine_is_scaled_down_and_names_sanitised(void **state)
{
	struct replayed_file r;

	replay_file("assembled-6.1-global-raw.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_non_null(strstr(r.text.buf, "times 0.473881 (the guest's 120263"));
	/* "(sd-pam)" and "tmux: server" as workload names */
	workload(r.sc, "sd-pam");
	workload(r.sc, "tmux-server");
	replayed_release(&r);
}

static void report_without_totals_and_adj_zero_scales_by_proportion(void **state)
{
	struct replayed_file r;

	replay_file("assembled-rhel7-3.10-global-raw.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_non_null(strstr(r.text.buf, "only\n#   their proportions matter"));
	replayed_release(&r);
}

static void sacrificed_child_is_the_victim_replayed(void **state)
{
	struct replayed_file r;
	const struct sc_workload *victim;

	/* 4.14: the scan selected pid 2001, the kernel killed its child 2002 instead */
	replay_file("assembled-4.14-syslog-nr_pmds.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_non_null(strstr(r.text.buf, "the kernel killed its child stress (pid 2002)"));
	victim = workload(r.sc, r.sc->rules[0].killed[0]);
	assert_string_equal(victim->args[1], "360M");
	assert_non_null(strstr(r.sc->rules[0].why, "killed stress (pid 2002)"));
	replayed_release(&r);
}

static void memcg_report_runs_in_a_group_at_the_scaled_limit(void **state)
{
	struct replayed_file r;
	int i;

	/* 6.1, memory.max 128M with swap unlimited: the limit scales, every adj is 0 */
	replay_file("debian61-memcg-v2-kill.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.sc->cgroup, SC_CGROUP_V2);
	assert_int_equal(r.sc->ngroups, 1);
	assert_string_equal(r.sc->groups[0].knobs[0].known->key, "memory.max");
	assert_int_equal(r.sc->groups[0].knobs[0].value, 256LL << 20);
	assert_string_equal(r.sc->groups[0].knobs[1].known->key, "memory.swap.max");
	assert_int_equal(r.sc->groups[0].knobs[1].value, 0);
	for (i = 0; i < r.sc->nworkloads; i++)
		assert_int_equal(r.sc->workloads[i].group, 0);
	assert_non_null(strstr(r.text.buf, "a memory cgroup OOM (CONSTRAINT_MEMCG)"));
	assert_non_null(strstr(r.text.buf, "only the proportions matter"));
	/* one scale, the group's: no word of v1, and no second, global scale */
	assert_null(strstr(strstr(r.text.buf, "# Scale: ") + 1, "# Scale: "));
	assert_null(strstr(r.text.buf, "cgroup v1"));
	assert_string_equal(r.sc->rules[0].killed[0], "hog");
	assert_int_equal(r.sc->rules[0].nkilled, 1);
	/* the trigger grows 8 MiB past what the group has left */
	assert_string_equal(workload(r.sc, "trigger")->args[3], "31M");
	replayed_release(&r);
}

/* Whether workload w's arguments hold "key value" */
static int has_args(const struct sc_workload *w, const char *key, const char *value)
{
	for (int i = 0; i + 1 < w->nargs; i++)
		if (!strcmp(w->args[i], key) && !strcmp(w->args[i + 1], value))
			return 1;
	return 0;
}

/* An OOM a cpuset or a memory policy confined to some nodes is confined to node 1 of two */
static void node_confined_reports_run_on_one_node_of_two(void **state)
{
	struct replayed_file r;
	int i;

	/* CONSTRAINT_CPUSET: every task in a cpuset of node 1 */
	replay_file("lkml-2023-cpuset-oom-v4-before-trimmed.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.sc->numa_nodes, 2);
	assert_int_equal(r.sc->numa_bytes[1], 128ULL << 20);
	assert_int_equal(r.sc->cgroup, SC_CGROUP_V2);
	assert_int_equal(r.sc->ngroups, 1);
	assert_string_equal(r.sc->groups[0].knobs[0].known->key, "cpuset.mems");
	for (i = 0; i < r.sc->nworkloads; i++) {
		assert_int_equal(r.sc->workloads[i].group, 0);
		assert_false(has_args(&r.sc->workloads[i], "--membind", "1"));
	}
	assert_true(has_args(workload(r.sc, "trigger"), "--avail-node", "1"));
	assert_non_null(strstr(r.text.buf, "a cpuset OOM (CONSTRAINT_CPUSET)"));
	assert_string_equal(r.sc->rules[0].killed[0], "mem_on_node1");
	replayed_release(&r);

	/* CONSTRAINT_MEMORY_POLICY: every task bound to node 1, none in a group */
	replay_file("rocky8-blog-4.18el8-mempolicy-syslog.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.sc->numa_nodes, 2);
	assert_int_equal(r.sc->ngroups, 0);
	for (i = 0; i < r.sc->nworkloads; i++) {
		assert_int_equal(r.sc->workloads[i].group, -1);
		assert_true(has_args(&r.sc->workloads[i], "--membind", "1"));
	}
	assert_true(has_args(workload(r.sc, "trigger"), "--avail-node", "1"));
	assert_non_null(strstr(r.text.buf, "a memory policy OOM (CONSTRAINT_MEMORY_POLICY)"));
	assert_string_equal(r.sc->rules[0].killed[0], "oom");
	replayed_release(&r);
}

/* A cgroup v1 report runs on v1's controller, or on v2 where the kernel has no v1 */
static void memcg_v1_report_runs_on_v1_unless_the_kernel_has_none(void **state)
{
	struct replay_opts no_v1 = { .no_memcg_v1 = 1 };
	struct replayed_file r;

	replay_file("linuxmm-2012-rhel6-memcg-v1-globalmeminfo-midtrace.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.sc->cgroup, SC_CGROUP_V1);
	assert_int_equal(r.sc->groups[0].nknobs, 1);
	assert_string_equal(r.sc->groups[0].knobs[0].known->key, "memory.limit_in_bytes");
	assert_int_equal(r.sc->groups[0].knobs[0].value, 256LL << 20);
	assert_non_null(strstr(r.text.buf, "cgroup v1's (it prints memory+swap usage): the "
				       "replay's is too"));
	assert_string_equal(r.sc->rules[0].killed[0], "t");
	replayed_release(&r);

	replay_file("linuxmm-2012-rhel6-memcg-v1-globalmeminfo-midtrace.log", &no_v1, &r);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.sc->cgroup, SC_CGROUP_V2);
	assert_string_equal(r.sc->groups[0].knobs[0].known->key, "memory.max");
	assert_int_equal(r.sc->groups[0].knobs[0].value, 256LL << 20);
	assert_non_null(strstr(r.text.buf, "no v1 memory controller"));
	replayed_release(&r);
}

/* One scenario per event of a log, each named after its event */
static void each_event_of_a_log_is_its_own_scenario(void **state)
{
	struct replay_opts o = { .event = 1, .name_event = 1 };
	struct replayed_file r;

	replay_file("unifi-45-4.19-unraid-memcg-v1-fulltable-twoevents.log", &o, &r);
	assert_int_equal(r.ret, 0);
	assert_string_equal(r.sc->name, "replay-mongod-e1");
	replayed_release(&r);
	o.event = 2;
	replay_file("unifi-45-4.19-unraid-memcg-v1-fulltable-twoevents.log", &o, &r);
	assert_int_equal(r.ret, -1);
	assert_non_null(strstr(r.err, "the OOM report at line 12 has no task table"));
	replayed_release(&r);
}

static void oom_group_report_expects_the_whole_group(void **state)
{
	struct replayed_file r;

	replay_file("assembled-6.1-memcg-v2-oom-group.log", NULL, &r);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.sc->groups[0].nknobs, 3);
	assert_string_equal(r.sc->groups[0].knobs[2].known->key, "memory.oom.group");
	assert_int_equal(r.sc->groups[0].knobs[2].value, 1);
	assert_int_equal(r.sc->rules[0].nkilled, 3);
	assert_string_equal(r.sc->rules[0].killed[0], "sh");
	assert_string_equal(r.sc->rules[0].killed[1], "worker");
	assert_string_equal(r.sc->rules[0].killed[2], "worker-2");
	assert_non_null(strstr(r.sc->rules[0].why, "then the rest of its memory.oom.group group"));
	replayed_release(&r);
}

static void reports_that_cannot_be_replayed_say_why(void **state)
{
	struct replayed_file r;
	struct replay_opts o = { .event = 9 };

	/* a memcg with unlimited swap: totalpages unknown, and adj -998 depends on it */
	replay_file("k8s-56891-rhel7-memcg-dmesg-T.log", NULL, &r);
	assert_int_equal(r.ret, -1);
	assert_non_null(strstr(r.err, "does not give the swap its totalpages counts, and java has "
			       "oom_score_adj -998"));
	replayed_release(&r);

	replay_file("debian61-captured.log", NULL, &r);
	assert_int_equal(r.ret, -1);
	assert_non_null(strstr(r.err, "holds a task table with its outcome"));
	replayed_release(&r);

	replay_file("assembled-6.12-kmsg-rss-parts.log", NULL, &r);
	assert_int_equal(r.ret, -1);
	assert_non_null(strstr(r.err, "whose weight depends on them"));
	replayed_release(&r);

	replay_file("debian61-adj-prefer-adj-term.log", &o, &r);
	assert_int_equal(r.ret, -1);
	assert_string_equal(r.err, "--event 9: the input holds 1 OOM report");
	replayed_release(&r);
}

/* Before 2.6.36 no dump tells what the kernel would choose: the refusal says so. */
static void reports_older_than_2_6_36_are_refused_for_their_badness(void **state)
{
	static const char report[] =
		"a invoked oom-killer: gfp_mask=0x201d2, order=0, oomkilladj=0\n"
		"[ pid ]   uid  tgid total_vm      rss cpu oom_adj name\n"
		"[  100]     0   100    90000    80000   0       0 big\n"
		"[  101]     0   101     9000     8000   1       0 small\n"
		"Out of memory: kill process 100 (big) score 90000 or a child\n"
		"Killed process 100 (big)\n";
	struct oom_log *log = oomreport_parse(report, sizeof(report) - 1);
	struct replay_opts o = { 0 };
	struct strbuf out = STRBUF_INIT;
	char err[512];

	(void)state;
	assert_int_equal(replay_scenario(log, &o, &out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is from a kernel before 2.6.36"));
	assert_non_null(strstr(err, "could not say which task that kernel would choose"));
	strbuf_release(&out);
	oomreport_free(log);
}

static void empty_input_has_no_report(void **state)
{
	struct oom_log *log = oomreport_parse("nothing here\n", 13);
	struct replay_opts o = { 0 };
	struct strbuf out = STRBUF_INIT;
	char err[256];

	assert_int_equal(replay_scenario(log, &o, &out, err, sizeof(err)), -1);
	assert_string_equal(err, "no OOM report in the input");
	oomreport_free(log);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(adj_victim_keeps_its_weight_when_shrunk),
		cmocka_unit_test(allocating_victim_grows_with_the_knob_set),
		cmocka_unit_test(panic_report_expects_its_panic),
		cmocka_unit_test(big_machine_is_scaled_down_and_names_sanitised),
		cmocka_unit_test(report_without_totals_and_adj_zero_scales_by_proportion),
		cmocka_unit_test(sacrificed_child_is_the_victim_replayed),
		cmocka_unit_test(memcg_report_runs_in_a_group_at_the_scaled_limit),
		cmocka_unit_test(oom_group_report_expects_the_whole_group),
		cmocka_unit_test(each_event_of_a_log_is_its_own_scenario),
		cmocka_unit_test(memcg_v1_report_runs_on_v1_unless_the_kernel_has_none),
		cmocka_unit_test(node_confined_reports_run_on_one_node_of_two),
		cmocka_unit_test(reports_that_cannot_be_replayed_say_why),
		cmocka_unit_test(reports_older_than_2_6_36_are_refused_for_their_badness),
		cmocka_unit_test(empty_input_has_no_report),
	};

	return cmocka_run_group_tests_name("test_replay", tests, NULL, NULL);
}
