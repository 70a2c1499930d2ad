// SPDX-License-Identifier: GPL-2.0-only
/* test_records.c - the agent's record stream and the console, read into one observation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "observe/records.h"
#include "testdata.h"

/* Real records of a Debian 6.1 guest in which the kernel killed "grower" (see INDEX.md). */
static void load(const char *cell, const char *file, struct strbuf *sb)
{
	const char *base = testdata_dir();
	char path[512];

	snprintf(path, sizeof(path), "%s/cells/%s/%s", base, cell, file);
	if (strbuf_read_file(sb, path) < 0)
		fail_msg("cannot read '%s'", path);
}

static void real_kill_cell_is_read_whole(void **state)
{
	struct strbuf agent = STRBUF_INIT;
	struct observation obs = { 0 };
	const struct obs_workload *g, *s;

	load("kill-grower", "agent.log", &agent);
	records_parse(agent.buf, agent.len, &obs);
	assert_int_equal(obs.bad_records, 0);
	assert_int_equal(obs.seq_gaps, 0);
	assert_true(obs.hello);
	assert_string_equal(obs.release, "6.1.0-56-cloud-amd64");
	assert_true(obs.adj_held);
	assert_int_equal(obs.nsysctls, 3);
	assert_string_equal(obs.sysctls[0].key, "vm.panic_on_oom");
	assert_string_equal(obs.sysctls[0].got, "0");
	assert_int_equal(obs.sysctls[0].err, 0);
	assert_true(obs.commit_limit_kb > 0 && obs.commit_limit_kb < obs.mem_avail_kb);
	assert_true(obs.done);
	assert_string_equal(obs.done_reason, "settled");

	g = obs_find(&obs, "grower");
	s = obs_find(&obs, "steady");
	assert_non_null(g);
	assert_non_null(s);
	assert_true(g->started && g->ended && g->signaled);
	assert_int_equal(g->sig, 9);
	assert_string_equal(g->phase, "grow");
	assert_true(g->bytes > 300LL << 20);
	assert_true(g->max_rss_kb > 300 * 1024);
	assert_true(s->alive && !s->ended);
	assert_string_equal(s->phase, "holding");
	assert_int_equal(s->bytes, 64LL << 20);
	assert_ptr_equal(obs_find_pid(&obs, g->pid), g);
	assert_true(obs.min_avail_kb >= 0 && obs.min_avail_kb < obs.mem_avail_kb);

	/* the forwarded kernel log holds the whole report, Mem-Info's \x0a lines split */
	assert_non_null(strstr(obs.kmsg.buf, "] grower invoked oom-killer: gfp_mask=0x140dca"));
	assert_non_null(strstr(obs.kmsg.buf, "] Out of memory: Killed process"));
	assert_non_null(strstr(obs.kmsg.buf, "]  active_file:"));
	assert_null(strstr(obs.kmsg.buf, "\\x0a"));
	observation_release(&obs);
	strbuf_release(&agent);
}

static void cut_last_line_and_garbage_are_counted_not_read(void **state)
{
	const char text[] =
		"@0 10 hello v=1 kernel=6.1.0-test machine=x86_64\n"
		"garbage that is no record\n"
		"@2 12 start name=a pid=80 program=bigmm adj=0\n"
		"@3 13 exit name=a pid=80 how=exit code=0 phase=holding bytes=5\n"
		"@4 14 done reas";
	struct observation obs = { 0 };

	records_parse(text, sizeof(text) - 1, &obs);
	assert_int_equal(obs.nrecords, 3);
	assert_int_equal(obs.bad_records, 2);
	assert_int_equal(obs.seq_gaps, 1); /* @1 never arrived */
	assert_false(obs.done);              /* the guest died while writing it */
	assert_int_equal(obs.nwl, 1);
	assert_true(obs.wl[0].ended && !obs.wl[0].signaled);
	observation_release(&obs);
}

static void workload_setup_failure_and_enomem_are_recorded(void **state)
{
	const char text[] =
		"@0 1 start name=a pid=80 program=bigmm adj=5\n"
		"@1 2 wl name=a pid=80 phase=adjfail want=5 got=-1000 errno=13\n"
		"@2 3 start name=b pid=81 program=bigmm adj=0\n"
		"@3 4 wl name=b pid=81 phase=enomem bytes=4096 want=8388608 errno=12\n"
		"@4 5 wl name=b pid=81 phase=holding bytes=4096\n"
		"@5 6 never name=c reason=after-ended after=b after_phase=grow\n"
		"@6 7 error what=spec line=3 detail=bad%20workload\n";
	struct observation obs = { 0 };
	const struct obs_workload *a, *b, *c;

	records_parse(text, sizeof(text) - 1, &obs);
	a = obs_find(&obs, "a");
	b = obs_find(&obs, "b");
	c = obs_find(&obs, "c");
	assert_true(a->setup_failed);
	assert_string_equal(a->setup_detail, "adjfail errno=13");
	assert_int_equal(a->adj, 5);
	assert_true(b->enomem);
	assert_int_equal(b->enomem_bytes, 4096);
	assert_string_equal(b->phase, "holding");
	assert_true(c->never);
	assert_string_equal(c->never_reason, "after-ended");
	assert_string_equal(obs.error, "spec: bad workload");
	observation_release(&obs);
}

/*
 * Killed children of a workload are attributed to it; the latest record of a pid wins. A
 * workload's own change of its adj is kept beside the adj the agent set.
 */
static void descendants_and_lineage_state_are_recorded(void **state)
{
	const char text[] =
		"@0 1 start name=a pid=80 program=stress-ng adj=0\n"
		"@1 2 start name=b pid=81 program=bigmm adj=0\n"
		"@2 3 descendant name=a pid=90\n"
		"@3 4 lineage-lost batches=2\n"
		"@4 5 descendant name=b pid=90\n"
		"@5 6 lineage-lost batches=1\n"
		"@6 7 wladj name=a pid=80 adj=-1000\n";
	struct observation obs = { 0 };

	records_parse(text, sizeof(text) - 1, &obs);
	assert_int_equal(obs.bad_records, 0);
	assert_ptr_equal(obs_find_descendant(&obs, 90), obs_find(&obs, "b"));
	assert_null(obs_find_descendant(&obs, 80)); /* a workload itself is no descendant */
	assert_null(obs_find_descendant(&obs, 92));
	assert_int_equal(obs.lineage_lost, 3);
	/* a set its own adj after the agent set 0; b did not */
	assert_int_equal(obs_find(&obs, "a")->own_adj, -1000);
	assert_int_equal(obs_find(&obs, "a")->adj, 0);
	assert_int_equal(obs_find(&obs, "b")->own_adj, 0);
	assert_int_equal(obs.lineage_err, 0);
	observation_release(&obs);

	memset(&obs, 0, sizeof(obs));
	records_parse("@0 1 lineage errno=2\n", 21, &obs);
	assert_int_equal(obs.lineage_err, 2);
	observation_release(&obs);
}

static void console_adds_only_what_came_after_the_last_forwarded_message(void **state)
{
	const char agent[] =
		"@0 1 kmsg pri=4 seq=1 us=8220835 msg=grower%20invoked%20oom-killer:\n";
	const char console[] =
		"[    8.100000] early line\r\n"
		"[    8.220835] grower invoked oom-killer:\r\n"
		"[    8.277838] Kernel panic - not syncing: Out of memory: system-wide panic\r\n"
		"no stamp after the panic\r\n";
	struct observation obs = { 0 };
	struct strbuf out = STRBUF_INIT;

	records_parse(agent, sizeof(agent) - 1, &obs);
	records_kernel_log(&obs, console, sizeof(console) - 1, &out);
	assert_string_equal(out.buf,
			    "[    8.220835] grower invoked oom-killer:\n"
			    "[    8.277838] Kernel panic - not syncing: Out of memory: system-wide panic\n"
			    "no stamp after the panic\n");
	observation_release(&obs);
	strbuf_release(&out);
}

static void without_records_the_whole_console_is_the_log(void **state)
{
	const char console[] = "[    0.000000] Linux version 6.1\r\nplain\n";
	struct observation obs = { 0 };
	struct strbuf out = STRBUF_INIT;

	records_parse("", 0, &obs);
	records_kernel_log(&obs, console, sizeof(console) - 1, &out);
	assert_string_equal(out.buf, "[    0.000000] Linux version 6.1\nplain\n");
	observation_release(&obs);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_kill_cell_is_read_whole),
		cmocka_unit_test(cut_last_line_and_garbage_are_counted_not_read),
		cmocka_unit_test(workload_setup_failure_and_enomem_are_recorded),
		cmocka_unit_test(descendants_and_lineage_state_are_recorded),
		cmocka_unit_test(console_adds_only_what_came_after_the_last_forwarded_message),
		cmocka_unit_test(without_records_the_whole_console_is_the_log),
	};

	return cmocka_run_group_tests_name("test_records", tests, NULL, NULL);
}
