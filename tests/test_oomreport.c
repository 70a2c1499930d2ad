// SPDX-License-Identifier: GPL-2.0-only
/* test_oomreport.c - pins what oomreport_parse() reads from kernel OOM reports of 2.6.32 to 6.x. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdata.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observe/logline.h"
#include "observe/oomreport.h"

/*
 * Samples live in tests/data/oomreport (see INDEX.md there for where each came from); tests
 * run from the repository root, OOMLAB_TESTDATA overrides tests/data. The parser gets a copy
 * of exactly len bytes with no NUL after it, so that valgrind and ASan see any read past len.
 */

static char *read_sample(const char *name, size_t *len)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "oomreport/%s", name);
	return testdata_read(rel, len);
}

static struct oom_log *parse_mem(const char *text, size_t len)
{
	char *copy = malloc(len ? len : 1);
	struct oom_log *log;

	assert_non_null(copy);
	memcpy(copy, text, len);
	log = oomreport_parse(copy, len);
	/* the log must not point into the text */
	memset(copy, 'x', len);
	free(copy);
	assert_non_null(log);
	return log;
}

static struct oom_log *parse_str(const char *text)
{
	return parse_mem(text, strlen(text));
}

static struct oom_log *parse_sample(const char *name)
{
	size_t len;
	char *text = read_sample(name, &len);
	struct oom_log *log = parse_mem(text, len);

	free(text);
	return log;
}

static void assert_near(double got, double want)
{
	if (got < want - 1e-6 || got > want + 1e-6)
		fail_msg("expected %.6f, got %.6f", want, got);
}

/* --- real reports --- */

static void debian61_captured_report_pins_summary_and_kill(void **state)
{
	struct oom_log *log = parse_sample("debian61-captured.log");
	struct oom_event *ev;
	struct oom_kill *k;

	assert_int_equal(log->nlines, 3);
	assert_int_equal(log->nevents, 1);
	assert_false(log->has_panic);
	ev = &log->events[0];
	assert_int_equal(ev->line, 1);
	assert_string_equal(ev->time, "");
	assert_near(ev->uptime, -1);
	assert_true(ev->has_header);
	assert_string_equal(ev->invoker, "hog");
	assert_int_equal(ev->invoker_pid, 0);
	assert_int_equal(ev->gfp_mask, 0x140dca);
	assert_string_equal(ev->gfp_flags, "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO");
	assert_int_equal(ev->order, 0);
	assert_true(ev->has_invoker_adj);
	assert_int_equal(ev->invoker_adj, 1000);
	assert_string_equal(ev->constraint, "CONSTRAINT_NONE");
	assert_string_equal(ev->nodemask, "(null)");
	assert_string_equal(ev->cpuset, "/");
	assert_string_equal(ev->mems_allowed, "0");
	assert_true(ev->global_oom);
	assert_string_equal(ev->oom_memcg, "");
	assert_string_equal(ev->task_memcg, "/");
	assert_true(ev->has_summary);
	assert_string_equal(ev->summary_task, "hog");
	/* the summary names the process, the kill line the thread that still had the mm */
	assert_int_equal(ev->summary_pid, 79);
	assert_int_equal(ev->summary_uid, 0);
	assert_false(ev->table_seen);
	assert_int_equal(ev->ntasks, 0);
	assert_false(ev->has_selected);
	assert_int_equal(ev->nkills, 1);
	k = &ev->kills[0];
	assert_int_equal(k->pid, 85);
	assert_string_equal(k->comm, "hog");
	assert_int_equal(k->kind, OOM_KIND_GLOBAL);
	assert_true(k->has_kind);
	assert_false(k->allocating);
	assert_int_equal(k->total_vm_kb, 230416);
	assert_int_equal(k->anon_rss_kb, 226980);
	assert_int_equal(k->file_rss_kb, 4);
	assert_int_equal(k->shmem_rss_kb, 648);
	assert_true(k->has_shmem_rss);
	assert_true(k->has_uid);
	assert_int_equal(k->uid, 0);
	assert_true(k->has_pgtables);
	assert_int_equal(k->pgtables_kb, 488);
	assert_true(k->has_adj);
	assert_int_equal(k->oom_score_adj, 1000);
	assert_int_equal(k->line, 3);
	assert_false(ev->group_kill);
	assert_false(ev->no_killable);
	assert_int_equal(ev->nexiting, 0);
	oomreport_free(log);
}

static void memcg_select_names_parent_kill_names_other_pid(void **state)
{
	struct oom_log *log = parse_sample("k8s-56891-rhel7-memcg-dmesg-T.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 2);
	/* the header of the first report is not in the quote: its memcg stats line opens it */
	ev = &log->events[0];
	assert_false(ev->has_header);
	assert_int_equal(ev->line, 1);
	assert_true(ev->memcg_stats);
	assert_string_equal(ev->time, "Thu Dec  7 00:05:14 2017");
	assert_near(ev->uptime, -1);
	assert_true(ev->table_seen);
	assert_true(ev->table_complete);
	assert_int_equal(ev->ntasks, 1);
	assert_int_equal(ev->tasks[0].pid, 28438);
	assert_int_equal(ev->tasks[0].tgid, 28438);
	assert_int_equal(ev->tasks[0].total_vm, 5063909);
	assert_int_equal(ev->tasks[0].rss, 119961);
	assert_int_equal(ev->tasks[0].pgtables_kind, OOM_PGT_PTES);
	assert_int_equal(ev->tasks[0].pgtables, 1661);
	assert_true(ev->tasks[0].has_swapents);
	assert_int_equal(ev->tasks[0].swapents, 136409);
	assert_int_equal(ev->tasks[0].oom_score_adj, -998);
	assert_string_equal(ev->tasks[0].name, "java");
	assert_false(ev->tasks[0].has_rss_parts);
	assert_true(ev->has_selected);
	assert_int_equal(ev->selected_pid, 24572);
	assert_string_equal(ev->selected_comm, "java");
	assert_int_equal(ev->selected_score, 0);
	assert_int_equal(ev->selected_kind, OOM_KIND_MEMCG);
	assert_int_equal(ev->nkills, 1);
	assert_int_equal(ev->kills[0].pid, 28438);
	/* no prefix on a 3.10 kill line: the kind comes from the select line */
	assert_int_equal(ev->kills[0].kind, OOM_KIND_MEMCG);
	assert_true(ev->kills[0].has_kind);
	assert_int_equal(ev->kills[0].total_vm_kb, 20255636);
	assert_int_equal(ev->kills[0].anon_rss_kb, 466160);
	assert_int_equal(ev->kills[0].file_rss_kb, 13684);
	assert_false(ev->kills[0].has_shmem_rss);
	assert_false(ev->kills[0].has_uid);
	assert_false(ev->kills[0].has_pgtables);
	assert_false(ev->kills[0].has_adj);

	ev = &log->events[1];
	assert_true(ev->has_header);
	assert_int_equal(ev->line, 6);
	assert_string_equal(ev->time, "Thu Dec  7 00:13:22 2017");
	assert_string_equal(ev->invoker, "java");
	assert_int_equal(ev->gfp_mask, 0xd0);
	assert_string_equal(ev->gfp_flags, "");
	assert_int_equal(ev->invoker_adj, -998);
	assert_string_equal(ev->cpuset,
			    "1e479e759020fa0b6c72def90973540a2d33982fea2ad67a96373b4da751a820");
	assert_string_equal(ev->mems_allowed, "0");
	assert_int_equal(ev->invoker_pid, 14881);
	assert_int_equal(ev->nkills, 0);
	oomreport_free(log);
}

static void kill_line_without_header_starts_event(void **state)
{
	struct oom_log *log = parse_sample("reportportal-203-ubuntu5.4-memcg.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 2);
	ev = &log->events[0];
	assert_false(ev->has_header);
	assert_int_equal(ev->line, 1);
	assert_string_equal(ev->time, "7063.247407");
	assert_near(ev->uptime, 7063.247407);
	assert_int_equal(ev->nkills, 1);
	assert_int_equal(ev->kills[0].pid, 63214);
	assert_string_equal(ev->kills[0].comm, "uwsgi");
	assert_int_equal(ev->kills[0].kind, OOM_KIND_MEMCG);
	assert_int_equal(ev->kills[0].shmem_rss_kb, 92);
	assert_int_equal(ev->kills[0].pgtables_kb, 1372);
	assert_int_equal(ev->kills[0].oom_score_adj, 986);

	/* the reaper line is no event; the next report is cut after its call trace */
	ev = &log->events[1];
	assert_true(ev->has_header);
	assert_int_equal(ev->line, 3);
	assert_string_equal(ev->invoker, "uwsgi");
	assert_int_equal(ev->invoker_pid, 63635);
	assert_int_equal(ev->gfp_mask, 0xcc0);
	assert_string_equal(ev->gfp_flags, "GFP_KERNEL");
	assert_int_equal(ev->invoker_adj, 986);
	assert_int_equal(ev->nkills, 0);
	assert_false(ev->table_seen);
	oomreport_free(log);
}

static void short_syslog_clock_and_systemd_noise_between_reports(void **state)
{
	struct oom_log *log = parse_sample("cloudpanel-333-syslog-5.x.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 2);
	ev = &log->events[0];
	assert_string_equal(ev->time, "06:16:18");
	assert_near(ev->uptime, 58632.865465);
	assert_string_equal(ev->invoker, "redis-server");
	assert_int_equal(ev->gfp_mask, 0x1100cca);
	assert_true(ev->table_seen);
	assert_int_equal(ev->ntasks, 0);
	assert_true(ev->table_complete);
	assert_string_equal(ev->cpuset, "redis-server.service");
	assert_string_equal(ev->task_memcg, "/system.slice/mariadb.service");
	assert_true(ev->global_oom);
	assert_string_equal(ev->summary_task, "mariadbd");
	assert_int_equal(ev->summary_pid, 1235);
	assert_int_equal(ev->summary_uid, 115);
	assert_int_equal(ev->nkills, 1);
	assert_int_equal(ev->kills[0].pid, 1235);
	assert_int_equal(ev->kills[0].uid, 115);
	assert_int_equal(ev->kills[0].pgtables_kb, 1376);

	ev = &log->events[1];
	assert_string_equal(ev->invoker, "containerd");
	assert_int_equal(ev->invoker_adj, -999);
	assert_true(ev->table_seen);
	assert_false(ev->table_complete);
	assert_int_equal(ev->nkills, 0);
	oomreport_free(log);
}

static void rhel6_select_and_kill_across_blank_line(void **state)
{
	struct oom_log *log = parse_sample("ssdb-547-rhel6-syslog.log");
	struct oom_event *ev;
	struct oom_kill *k;

	assert_int_equal(log->nlines, 3);
	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_false(ev->has_header);
	assert_string_equal(ev->time, "Nov 28 22:42:04");
	assert_true(ev->has_selected);
	assert_int_equal(ev->selected_pid, 3679);
	assert_string_equal(ev->selected_comm, "ssdb-server");
	assert_int_equal(ev->selected_score, 838);
	assert_int_equal(ev->nkills, 1);
	k = &ev->kills[0];
	assert_int_equal(k->pid, 3679);
	assert_string_equal(k->comm, "ssdb-server");
	assert_true(k->has_uid);
	assert_int_equal(k->uid, 0);
	assert_int_equal(k->total_vm_kb, 2061740);
	assert_int_equal(k->anon_rss_kb, 1375068);
	assert_int_equal(k->file_rss_kb, 1116);
	assert_false(k->has_shmem_rss);
	assert_int_equal(k->line, 3);
	oomreport_free(log);
}

static void rhel6_kill_line_under_syslog_and_raw_stamp(void **state)
{
	struct oom_log *log = parse_sample("cpanelssp-76-rhel6-syslog.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_string_equal(ev->time, "Mar  2 17:35:10");
	assert_near(ev->uptime, 2858609.598568);
	assert_int_equal(ev->kills[0].pid, 11726);
	assert_int_equal(ev->kills[0].uid, 498);
	assert_string_equal(ev->kills[0].comm, "mysqld");
	assert_int_equal(ev->kills[0].file_rss_kb, 768);
	assert_false(ev->kills[0].has_kind); /* nothing around it says global or memcg */
	oomreport_free(log);
}

static void rhel7_kill_line_uid_before_total_vm(void **state)
{
	struct oom_log *log = parse_sample("k8s-50632-rhel7-kill.log");
	struct oom_kill *k;

	assert_int_equal(log->nevents, 1);
	k = &log->events[0].kills[0];
	assert_int_equal(k->pid, 799153);
	assert_string_equal(k->comm, "node");
	assert_true(k->has_uid);
	assert_int_equal(k->uid, 1000);
	assert_int_equal(k->total_vm_kb, 606096);
	assert_int_equal(k->anon_rss_kb, 68308);
	assert_int_equal(k->file_rss_kb, 13648);
	assert_true(k->has_shmem_rss);
	assert_int_equal(k->shmem_rss_kb, 0);
	assert_false(k->has_kind);
	oomreport_free(log);
}

static void dmesg_T_clock_and_uid_in_cpu_line(void **state)
{
	struct oom_log *log = parse_sample("relate-1383-6.16-header-dmesg-T.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_string_equal(ev->time, "Fri Nov 21 14:22:56 2025");
	assert_near(ev->uptime, -1);
	assert_string_equal(ev->invoker, "postgres");
	assert_int_equal(ev->invoker_pid, 3589817);
	assert_string_equal(ev->gfp_flags, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP");
	assert_int_equal(ev->nkills, 0);
	oomreport_free(log);
}

static void table_with_rss_parts_without_header_starts_event(void **state)
{
	struct oom_log *log = parse_sample("relate-1383-6.x-rss-parts-dmesg-T.log");
	struct oom_event *ev;
	struct oom_task *t;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_false(ev->has_header);
	assert_int_equal(ev->line, 3); /* "Tasks state (memory values in pages):" */
	assert_true(ev->table_seen);
	assert_false(ev->table_complete); /* the quote ends inside the table */
	assert_int_equal(ev->ntasks, 8);
	t = &ev->tasks[0];
	assert_int_equal(t->pid, 375);
	assert_int_equal(t->uid, 0);
	assert_int_equal(t->tgid, 375);
	assert_int_equal(t->total_vm, 14010);
	assert_int_equal(t->rss, 2008);
	assert_true(t->has_rss_parts);
	assert_int_equal(t->rss_anon, 160);
	assert_int_equal(t->rss_file, 1848);
	assert_int_equal(t->rss_shmem, 0);
	assert_int_equal(t->pgtables_kind, OOM_PGT_BYTES);
	assert_int_equal(t->pgtables, 102400);
	assert_int_equal(t->swapents, 256);
	assert_int_equal(t->oom_score_adj, -250);
	assert_string_equal(t->name, "systemd-journal");
	assert_int_equal(t->line, 5);
	t = &ev->tasks[5];
	assert_int_equal(t->uid, 109);
	assert_int_equal(t->oom_score_adj, -900);
	assert_string_equal(t->name, "dbus-daemon");
	assert_string_equal(ev->tasks[7].name, "dhclient");
	oomreport_free(log);
}

static void syslog_table_with_seven_digit_pids(void **state)
{
	struct oom_log *log = parse_sample("opensvc-477-focal-syslog-table.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_string_equal(ev->time, "Oct 27 14:26:24");
	assert_int_equal(ev->ntasks, 9);
	assert_int_equal(ev->tasks[0].pid, 555355);
	assert_int_equal(ev->tasks[0].tgid, 555355);
	assert_int_equal(ev->tasks[0].pgtables, 53248);
	assert_int_equal(ev->tasks[0].swapents, 75);
	assert_string_equal(ev->tasks[0].name, "lxc-start");
	assert_int_equal(ev->tasks[8].swapents, 48815);
	assert_false(ev->tasks[8].has_rss_parts);
	oomreport_free(log);
}

static void no_killable_warning_then_next_header(void **state)
{
	struct oom_log *log = parse_sample("systemd-40208-6.17-no-killable.log");

	assert_int_equal(log->nevents, 2);
	assert_false(log->events[0].has_header);
	assert_true(log->events[0].no_killable);
	assert_int_equal(log->events[0].no_killable_line, 1);
	assert_true(log->events[1].has_header);
	assert_string_equal(log->events[1].invoker, "systemd");
	assert_int_equal(log->events[1].invoker_adj, 100);
	assert_false(log->events[1].no_killable);
	assert_string_equal(log->events[1].time, "");
	assert_false(log->has_panic);
	oomreport_free(log);
}

static void cpuset_line_of_comm_with_blanks(void **state)
{
	struct oom_log *log = parse_sample("shakenfist-177-ubuntu4.15-cpuset.log");
	struct oom_event *ev = &log->events[0];

	assert_int_equal(log->nevents, 1);
	assert_string_equal(ev->invoker, "CPU 0/KVM");
	assert_int_equal(ev->gfp_mask, 0x15000c0);
	assert_string_equal(ev->gfp_flags, "GFP_KERNEL_ACCOUNT");
	assert_string_equal(ev->nodemask, "(null)");
	assert_string_equal(ev->cpuset, "vcpu0");
	assert_string_equal(ev->mems_allowed, "0-1");
	oomreport_free(log);
}

static void sacrifice_child_pair_without_header(void **state)
{
	struct oom_log *log = parse_sample("genular-49-4.x-pair.log");
	struct oom_event *ev = &log->events[0];

	assert_int_equal(log->nevents, 1);
	assert_false(ev->has_header);
	assert_int_equal(ev->selected_pid, 27438);
	assert_string_equal(ev->selected_comm, "R");
	assert_int_equal(ev->selected_score, 31);
	assert_int_equal(ev->selected_kind, OOM_KIND_GLOBAL);
	assert_int_equal(ev->nkills, 1);
	assert_int_equal(ev->kills[0].pid, 27438);
	assert_string_equal(ev->kills[0].comm, "R");
	assert_int_equal(ev->kills[0].total_vm_kb, 38349780);
	oomreport_free(log);
}

static void summary_keeps_long_cgroup_paths(void **state)
{
	struct oom_log *log = parse_sample("gpud-70-k8s-summary-syslog.log");
	struct oom_event *ev = &log->events[0];

	assert_int_equal(log->nevents, 1);
	assert_false(ev->has_header);
	assert_string_equal(ev->time, "Aug 30 06:58:55.050705");
	assert_string_equal(ev->constraint, "CONSTRAINT_MEMCG");
	assert_string_equal(ev->nodemask, "(null)");
	assert_string_equal(ev->cpuset, "cri-containerd-ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95.scope");
	assert_string_equal(ev->mems_allowed, "0-1");
	assert_false(ev->global_oom);
	assert_string_equal(ev->oom_memcg, "/lxc.payload....-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740.slice");
	assert_string_equal(ev->task_memcg, "/lxc.payload.ny2g2r5hh3-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740.slice/cri-containerd-ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95.scope");
	assert_string_equal(ev->summary_task, "pt_main_thread");
	assert_int_equal(ev->summary_pid, 461754);
	assert_int_equal(ev->summary_uid, 0);
	oomreport_free(log);
}

static void debian61_mem_info_reserved_pages_and_shape_markers(void **state)
{
	struct oom_log *log = parse_sample("debian61-global-two-hogs-kill.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_true(ev->has_ram_pages);
	assert_int_equal(ev->ram_pages, 130942);
	assert_true(ev->has_ram_reserved);
	assert_int_equal(ev->ram_reserved, 10679);
	/* 130942 - 10679 = 120263 pages = the guest's MemTotal of 481052 kB */
	assert_int_equal(ev->ram_pages - ev->ram_reserved, 481052 / 4);
	assert_true(ev->table_wide_pid);
	assert_int_equal(ev->kstack_in, OOM_KSTACK_NODE);
	assert_int_equal(ev->memcg_refault, 0);
	assert_int_equal(ev->exiting_line, 0);
	oomreport_free(log);
}

/* A caller id of more digits than any pid (PID_MAX_LIMIT, 4194304) names no task */
static void caller_ids_beyond_a_pid_name_no_task(void **state)
{
	static const struct {
		const char *line;
		int tid;
	} cases[] = {
		{ "[  812.104512] [T4242] bigmm invoked oom-killer", 4242 },
		{ "[  812.104512] [T4194304] bigmm invoked oom-killer", 4194304 },
		{ "[  812.104512] [T4194305] bigmm invoked oom-killer", 0 },
		{ "[  812.104512] [T123456789012] bigmm invoked oom-killer", 0 },
	};
	struct log_line l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(l.buf, sizeof(l.buf), "%s", cases[i].line);
		log_line_strip(&l);
		if (l.caller_tid != cases[i].tid || strcmp(l.msg, "bigmm invoked oom-killer"))
			fail_msg("'%s': expected tid %d and the message, seen tid %d, '%s'",
				 cases[i].line, cases[i].tid, l.caller_tid, l.msg);
	}
}

/* --- reports assembled from the format strings --- */

static void raw_console_global_report_6_1(void **state)
{
	struct oom_log *log = parse_sample("assembled-6.1-global-raw.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_string_equal(ev->time, "812.104512");
	assert_near(ev->uptime, 812.104512);
	assert_int_equal(ev->invoker_pid, 4242);
	assert_true(ev->has_ram_pages);
	assert_int_equal(ev->ram_pages, 262014);
	assert_true(ev->has_swap_total);
	assert_int_equal(ev->swap_total_kb, 0);
	assert_true(ev->has_swap_free);
	assert_int_equal(ev->swap_free_kb, 0);
	assert_false(ev->has_memcg_usage);
	assert_int_equal(ev->ntasks, 4);
	assert_string_equal(ev->tasks[1].name, "(sd-pam)");
	assert_int_equal(ev->tasks[1].oom_score_adj, 100);
	assert_string_equal(ev->tasks[2].name, "tmux: server");
	assert_int_equal(ev->tasks[3].pgtables, 1937408);
	assert_true(ev->table_complete);
	assert_string_equal(ev->task_memcg, "/user.slice/user-1000.slice/session-1.scope");
	assert_int_equal(ev->nkills, 1);
	assert_int_equal(ev->kills[0].uid, 1000);
	oomreport_free(log);
}

static void kmsg_records_with_dictionary_lines(void **state)
{
	struct oom_log *log = parse_sample("assembled-6.12-kmsg-rss-parts.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_int_equal(ev->line, 4);
	assert_string_equal(ev->time, "1532.018429");
	assert_near(ev->uptime, 1532.018429);
	assert_string_equal(ev->invoker, "CPU 0/KVM");
	assert_int_equal(ev->invoker_pid, 9120);
	assert_int_equal(ev->swap_total_kb, 1048572);
	assert_int_equal(ev->swap_free_kb, 1020);
	assert_int_equal(ev->ram_pages, 1048446);
	assert_int_equal(ev->ntasks, 3);
	assert_string_equal(ev->tasks[1].name, "(sd-pam)");
	assert_int_equal(ev->tasks[2].rss, 990000);
	assert_int_equal(ev->tasks[2].rss_anon, 985000);
	assert_int_equal(ev->tasks[2].rss_file, 4000);
	assert_int_equal(ev->tasks[2].rss_shmem, 1000);
	assert_int_equal(ev->tasks[2].pgtables, 8388608);
	assert_int_equal(ev->tasks[2].swapents, 250000);
	assert_true(ev->table_complete);
	assert_int_equal(ev->summary_pid, 9101);
	assert_string_equal(ev->summary_task, "qemu-system-x86");
	assert_int_equal(ev->nkills, 1);
	assert_int_equal(ev->kills[0].pid, 9120);
	assert_string_equal(ev->kills[0].comm, "CPU 0/KVM");
	assert_int_equal(ev->kills[0].uid, 64055);
	assert_int_equal(ev->kills[0].shmem_rss_kb, 4000);
	oomreport_free(log);
}

static void memcg_v1_report_4_19(void **state)
{
	struct oom_log *log = parse_sample("assembled-4.19-memcg-v1-raw.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_string_equal(ev->nodemask, "(null)");
	assert_string_equal(ev->cpuset, "/");
	assert_string_equal(ev->mems_allowed, "0");
	assert_int_equal(ev->invoker_pid, 1234);
	assert_string_equal(ev->task_memcg, "/hog");
	assert_string_equal(ev->oom_memcg, "/hog");
	assert_true(ev->has_memcg_usage);
	assert_int_equal(ev->memcg_usage_kb, 524288);
	assert_int_equal(ev->memcg_limit_kb, 524288);
	assert_true(ev->has_memsw_usage);
	assert_int_equal(ev->memsw_usage_kb, 524288);
	assert_int_equal(ev->memsw_limit_kb, 9007199254740988ULL);
	assert_false(ev->has_swap_usage);
	assert_false(ev->has_summary);
	assert_int_equal(ev->ntasks, 2);
	assert_true(ev->table_complete);
	assert_int_equal(ev->selected_kind, OOM_KIND_MEMCG);
	assert_int_equal(ev->selected_score, 998);
	assert_int_equal(ev->nkills, 1);
	assert_int_equal(ev->kills[0].kind, OOM_KIND_MEMCG);
	assert_false(ev->kills[0].has_uid);
	oomreport_free(log);
}

static void syslog_over_raw_stamps_with_noise_inside_table(void **state)
{
	struct oom_log *log = parse_sample("assembled-4.14-syslog-nr_pmds.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_string_equal(ev->time, "Nov 22 02:31:00");
	assert_near(ev->uptime, 123.456789);
	assert_string_equal(ev->nodemask, "(null)");
	assert_int_equal(ev->order, 0);
	assert_int_equal(ev->invoker_pid, 2001);
	assert_int_equal(ev->ram_pages, 262013);
	assert_int_equal(ev->ntasks, 4);
	assert_int_equal(ev->tasks[3].pid, 2002);
	assert_int_equal(ev->tasks[3].pgtables_kind, OOM_PGT_PTES);
	assert_int_equal(ev->tasks[3].pgtables, 484); /* nr_ptes + nr_pmds */
	assert_int_equal(ev->tasks[0].oom_score_adj, -1000);
	assert_true(ev->table_complete);
	assert_int_equal(ev->selected_pid, 2001);
	assert_int_equal(ev->nkills, 1);
	assert_int_equal(ev->kills[0].pid, 2002);
	assert_int_equal(ev->kills[0].kind, OOM_KIND_GLOBAL);
	oomreport_free(log);
}

static void oom_group_victim_printed_twice_counts_once(void **state)
{
	struct oom_log *log = parse_sample("assembled-6.1-memcg-v2-oom-group.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_true(ev->has_memcg_usage);
	assert_int_equal(ev->memcg_usage_kb, 262144);
	assert_true(ev->has_swap_usage);
	assert_int_equal(ev->swap_limit_kb, 0);
	assert_false(ev->has_memsw_usage);
	assert_false(ev->global_oom);
	assert_string_equal(ev->oom_memcg, "/oomlab.slice/group.scope");
	assert_int_equal(ev->ntasks, 4);
	assert_true(ev->group_kill);
	assert_string_equal(ev->group_path, "/oomlab.slice/group.scope");
	assert_int_equal(ev->nkills, 2);
	assert_int_equal(ev->kills[0].pid, 7001);
	assert_int_equal(ev->kills[0].printed, 2); /* chosen, then again in the group walk */
	assert_int_equal(ev->kills[1].pid, 7000);
	assert_int_equal(ev->kills[1].printed, 1);
	assert_false(ev->kills[0].group);
	assert_true(ev->kills[1].group);
	assert_string_equal(ev->kills[1].comm, "sh");
	assert_int_equal(ev->kills[1].kind, OOM_KIND_MEMCG);
	assert_int_equal(ev->nexiting, 1);
	assert_int_equal(ev->exiting_pid, 7002);
	oomreport_free(log);
}

/*
 * A real 6.12 cell (allocating-oomgroup): a global OOM with oom_kill_allocating_task=1 whose
 * allocating task, grower, is in a group with memory.oom.group=1. oom_kill_process() passes
 * its message to the group walk, so mate's kill line has the allocating prefix too, but only
 * grower was the allocating task's kill; mate died in the walk.
 */
static void group_walk_kills_are_group_kills_not_allocating(void **state)
{
	size_t len;
	char *text = testdata_read("cells/allocating-group-kill/console.log", &len);
	struct oom_log *log = parse_mem(text, len);
	struct oom_event *ev;

	free(text);
	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_true(ev->global_oom);
	assert_string_equal(ev->group_path, "/box");
	assert_true(ev->group_line > ev->kills[0].line);
	assert_int_equal(ev->nkills, 2);
	assert_string_equal(ev->kills[0].comm, "grower");
	assert_true(ev->kills[0].allocating);
	assert_false(ev->kills[0].group);
	assert_int_equal(ev->kills[0].printed, 2); /* and again in the walk: still the chosen one */
	assert_string_equal(ev->kills[1].comm, "mate");
	assert_false(ev->kills[1].allocating);
	assert_true(ev->kills[1].group);
	oomreport_free(log);
}

static void oom_group_prefixless_kills_4_19(void **state)
{
	struct oom_log *log = parse_sample("assembled-4.19-oom-group-raw.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_true(ev->group_kill);
	assert_string_equal(ev->group_path, "/A1");
	assert_int_equal(ev->nkills, 2);
	assert_int_equal(ev->kills[0].pid, 1221);
	assert_int_equal(ev->kills[1].pid, 1217);
	assert_false(ev->kills[0].group);
	assert_true(ev->kills[1].group);
	assert_int_equal(ev->kills[1].kind, OOM_KIND_GLOBAL);
	assert_true(ev->kills[1].has_kind);
	oomreport_free(log);
}

static void rhel7_global_report_3_10(void **state)
{
	struct oom_log *log = parse_sample("assembled-rhel7-3.10-global-raw.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_int_equal(ev->gfp_mask, 0x201da);
	assert_int_equal(ev->invoker_pid, 3100);
	assert_int_equal(ev->swap_total_kb, 2097148);
	assert_int_equal(ev->ram_pages, 1048445);
	assert_int_equal(ev->ntasks, 2);
	assert_int_equal(ev->tasks[1].pgtables_kind, OOM_PGT_PTES);
	assert_int_equal(ev->tasks[1].pgtables, 1810);
	assert_true(ev->tasks[1].has_swapents);
	assert_int_equal(ev->selected_pid, 3100);
	assert_int_equal(ev->selected_score, 901);
	assert_int_equal(ev->kills[0].pid, 3100);
	assert_int_equal(ev->kills[0].uid, 1000);
	assert_int_equal(ev->kills[0].total_vm_kb, 3801212);
	oomreport_free(log);
}

static void rhel6_report_2_6_32(void **state)
{
	struct oom_log *log = parse_sample("assembled-rhel6-2.6.32-syslog.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_string_equal(ev->time, "Jan 15 03:10:44");
	assert_string_equal(ev->invoker, "httpd");
	assert_true(ev->has_invoker_adj);
	assert_int_equal(ev->invoker_adj, 0);
	assert_int_equal(ev->invoker_pid, 2811); /* "Pid: %d, comm:" */
	assert_string_equal(ev->cpuset, "/");
	assert_int_equal(ev->ram_pages, 524287);
	assert_int_equal(ev->ntasks, 3);
	assert_int_equal(ev->tasks[0].pgtables_kind, OOM_PGT_NONE);
	assert_false(ev->tasks[0].has_swapents);
	assert_int_equal(ev->tasks[0].oom_score_adj, -1000);
	assert_int_equal(ev->tasks[2].uid, 27);
	assert_int_equal(ev->tasks[2].rss, 410000);
	assert_true(ev->table_complete);
	assert_int_equal(ev->kills[0].pid, 3020);
	assert_int_equal(ev->kills[0].uid, 27);
	assert_false(ev->kills[0].has_shmem_rss);
	oomreport_free(log);
}

static void panic_on_oom_records_panic_and_closes_event(void **state)
{
	struct oom_log *log = parse_sample("assembled-6.1-panic-on-oom-raw.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	assert_true(log->has_panic);
	assert_string_equal(log->panic, "Out of memory: system-wide panic_on_oom is enabled");
	assert_int_equal(log->panic_line, 10);
	ev = &log->events[0];
	assert_int_equal(ev->invoker_pid, 301);
	assert_int_equal(ev->ntasks, 1);
	assert_true(ev->table_complete);
	assert_int_equal(ev->nkills, 0);
	assert_false(ev->no_killable);
	oomreport_free(log);
}

static void deadlocked_panic_after_no_killable(void **state)
{
	struct oom_log *log = parse_sample("assembled-6.1-deadlocked-raw.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 1);
	ev = &log->events[0];
	assert_true(ev->no_killable);
	assert_int_equal(ev->no_killable_line, 8);
	assert_int_equal(ev->tasks[0].oom_score_adj, -1000);
	assert_true(ev->table_complete);
	assert_true(log->has_panic);
	assert_string_equal(log->panic, "System is deadlocked on memory");
	assert_int_equal(log->panic_line, 9);
	oomreport_free(log);
}

static void rate_limited_kills_start_headerless_events(void **state)
{
	struct oom_log *log = parse_sample("assembled-6.1-rate-limited-raw.log");

	assert_int_equal(log->nevents, 3);
	assert_true(log->events[0].has_header);
	assert_int_equal(log->events[0].nkills, 1);
	assert_int_equal(log->events[0].kills[0].pid, 610);
	assert_false(log->events[1].has_header);
	assert_near(log->events[1].uptime, 61.3);
	assert_int_equal(log->events[1].nkills, 1);
	assert_int_equal(log->events[1].kills[0].pid, 611);
	assert_false(log->events[2].has_header);
	assert_int_equal(log->events[2].kills[0].pid, 612);
	assert_int_equal(log->events[2].kills[0].oom_score_adj, 500);
	oomreport_free(log);
}

static void rate_limited_sacrifice_child_pairs(void **state)
{
	struct oom_log *log = parse_sample("assembled-4.19-rate-limited-raw.log");
	int i;

	assert_int_equal(log->nevents, 3);
	assert_true(log->events[0].has_header);
	assert_int_equal(log->events[0].invoker_pid, 610);
	for (i = 0; i < 3; i++) {
		assert_int_equal(log->events[i].has_header, i == 0);
		assert_true(log->events[i].has_selected);
		assert_int_equal(log->events[i].selected_pid, 610 + i);
		assert_int_equal(log->events[i].nkills, 1);
		assert_int_equal(log->events[i].kills[0].pid, 610 + i);
	}
	oomreport_free(log);
}

static void reports_with_noise_cut_short_late_kill_and_reboot(void **state)
{
	struct oom_log *log = parse_sample("assembled-6.1-multi-interleaved-raw.log");
	struct oom_event *ev;

	assert_int_equal(log->nevents, 4);
	ev = &log->events[0];
	assert_string_equal(ev->invoker, "hog");
	assert_int_equal(ev->invoker_pid, 700);
	assert_int_equal(ev->nkills, 1);
	assert_int_equal(ev->kills[0].pid, 700);
	/* cut after its table: the kill 320 s later is not its own */
	ev = &log->events[1];
	assert_string_equal(ev->invoker, "eater");
	assert_int_equal(ev->ntasks, 1);
	assert_false(ev->table_complete);
	assert_int_equal(ev->nkills, 0);
	ev = &log->events[2];
	assert_false(ev->has_header);
	assert_near(ev->uptime, 520.0);
	assert_int_equal(ev->kills[0].pid, 900);
	/* the next boot */
	ev = &log->events[3];
	assert_true(ev->has_header);
	assert_near(ev->uptime, 50.0);
	assert_int_equal(ev->summary_pid, 300);
	assert_int_equal(ev->kills[0].pid, 300);
	oomreport_free(log);
}

/* --- line shapes, inline --- */

static void shape_markers_of_older_reports(void **state)
{
	struct oom_log *log = parse_sample("assembled-4.14-syslog-nr_pmds.log");

	assert_true(log->events[0].table_seen);
	assert_false(log->events[0].table_wide_pid);
	assert_false(log->events[0].has_ram_reserved);
	oomreport_free(log);

	log = parse_sample("assembled-4.19-memcg-v1-raw.log");
	assert_true(log->events[0].table_wide_pid);
	assert_int_equal(log->events[0].memcg_refault, 0);
	oomreport_free(log);

	/* up to 5.8 kernel_stack is in the per-zone lines; buddy lines hold no marker */
	log = parse_str(
		"[ 1.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 1.1] Node 0 active_anon:8kB inactive_anon:4kB all_unreclaimable? yes\n"
		"[ 1.2] Node 0 DMA: 2*4kB (UM) 0*8kB = 8kB\n"
		"[ 1.3] Node 0 DMA32 free:2560kB min:2644kB managed:465692kB mlocked:0kB"
		" kernel_stack:880kB pagetables:968kB bounce:0kB\n"
		"[ 1.4] 42 pages reserved\n");
	assert_int_equal(log->events[0].kstack_in, OOM_KSTACK_ZONE);
	assert_true(log->events[0].has_ram_reserved);
	assert_int_equal(log->events[0].ram_reserved, 42);
	oomreport_free(log);
}

static void memcg_stats_refault_key_dates_report(void **state)
{
	struct oom_log *log = parse_str(
		"[ 1.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 1.1] memory: usage 1024kB, limit 1024kB, failcnt 9\n"
		"[ 1.2] swap: usage 0kB, limit 0kB, failcnt 0\n"
		"[ 1.3] Memory cgroup stats for /t:\n"
		"[ 1.4] workingset_refault_anon 0\n"
		"[ 1.5] workingset_refault_file 3\n"
		"[ 2.0] b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 2.1] memory: usage 1024kB, limit 1024kB, failcnt 9\n"
		"[ 2.2] Memory cgroup stats for /t:\n"
		"[ 2.3] workingset_refault 7\n"
		"[ 3.0] c invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 3.1] workingset_refault_anon 0\n");

	assert_int_equal(log->nevents, 3);
	assert_int_equal(log->events[0].memcg_refault, OOM_REFAULT_SPLIT);
	assert_int_equal(log->events[1].memcg_refault, OOM_REFAULT_ONE);
	/* outside a memcg report the key means nothing */
	assert_int_equal(log->events[2].memcg_refault, 0);
	oomreport_free(log);
}

static void oom_group_exiting_line_orders_it_after_the_victim(void **state)
{
	struct oom_log *log = parse_sample("assembled-6.1-memcg-v2-oom-group.log");
	struct oom_event *ev = &log->events[0];

	assert_int_equal(ev->exiting_pid, 7002);
	assert_int_equal(ev->exiting_line, 23);
	assert_true(ev->exiting_line > ev->kills[0].line);
	assert_int_equal(ev->kstack_in, 0);
	oomreport_free(log);
}

static void crlf_endings_parse_like_lf(void **state)
{
	size_t len, i, n = 0;
	char *text = read_sample("debian61-captured.log", &len);
	char *crlf = malloc(2 * len + 1);
	struct oom_log *log;

	assert_non_null(crlf);
	for (i = 0; i < len; i++) {
		if (text[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = text[i];
	}
	log = parse_mem(crlf, n);
	assert_int_equal(log->nlines, 3);
	assert_int_equal(log->nevents, 1);
	assert_int_equal(log->events[0].invoker_adj, 1000);
	assert_int_equal(log->events[0].summary_uid, 0);
	assert_string_equal(log->events[0].kills[0].comm, "hog");
	assert_int_equal(log->events[0].kills[0].oom_score_adj, 1000);
	oomreport_free(log);
	free(crlf);
	free(text);
}

static void nul_bytes_and_garbage_skip_only_their_line(void **state)
{
	static const char text[] =
		"\x01\x02\xff\xfe garbage \x7f\n"
		"Out of memory: Killed process 5 (a) total-vm:10kB\0, anon-rss:99kB, file-rss:0kB\n"
		"junk\0Out of memory: Killed process 6 (b) total-vm:10kB, anon-rss:1kB\n"
		"[\xff\xff\xff\n"
		"Out of memory: Killed process 7 (c) total-vm:20kB, anon-rss:2kB, file-rss:0kB\n";
	struct oom_log *log = parse_mem(text, sizeof(text) - 1);

	assert_int_equal(log->nlines, 5);
	assert_int_equal(log->nevents, 2);
	/* what follows a NUL on its line is dropped */
	assert_int_equal(log->events[0].kills[0].pid, 5);
	assert_int_equal(log->events[0].kills[0].total_vm_kb, 10);
	assert_int_equal(log->events[0].kills[0].anon_rss_kb, 0);
	assert_int_equal(log->events[1].kills[0].pid, 7);
	assert_int_equal(log->events[1].kills[0].line, 5);
	oomreport_free(log);
}

static void last_line_without_newline_is_read(void **state)
{
	struct oom_log *log = parse_str(
		"boot\nOut of memory: Killed process 12 (x) total-vm:100kB, anon-rss:50kB, file-rss:0kB");

	assert_int_equal(log->nlines, 2);
	assert_int_equal(log->nevents, 1);
	assert_int_equal(log->events[0].kills[0].anon_rss_kb, 50);
	oomreport_free(log);
}

static void text_is_read_up_to_len_only(void **state)
{
	static const char text[] =
		"Out of memory: Killed process 12 (x) total-vm:100kB, anon-rss:1kB\n"
		"Kernel panic - not syncing: beyond len";
	struct oom_log *log;

	/* cut right after "total-vm:1" */
	log = parse_mem(text, strlen("Out of memory: Killed process 12 (x) total-vm:1"));
	assert_int_equal(log->nlines, 1);
	assert_int_equal(log->nevents, 1);
	assert_int_equal(log->events[0].kills[0].total_vm_kb, 1);
	assert_false(log->has_panic);
	oomreport_free(log);
}

static void empty_input_gives_empty_log(void **state)
{
	struct oom_log *log = oomreport_parse(NULL, 0);

	assert_non_null(log);
	assert_int_equal(log->nevents, 0);
	assert_int_equal(log->nlines, 0);
	oomreport_free(log);
	log = parse_str("\n\n");
	assert_int_equal(log->nlines, 2);
	assert_int_equal(log->nevents, 0);
	oomreport_free(log);
	oomreport_free(NULL);
}

static void comm_parentheses_matched_greedily(void **state)
{
	struct oom_log *log = parse_str(
		"Out of memory: Kill process 77 (a (b)) score 5 or sacrifice child\n"
		"Killed process 77 ((sd-pam)) total-vm:10kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
		"Out of memory: Killed process 78 (x) total-vm:y) total-vm:20kB, anon-rss:2kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n");

	assert_int_equal(log->nevents, 2);
	assert_string_equal(log->events[0].selected_comm, "a (b)");
	assert_string_equal(log->events[0].kills[0].comm, "(sd-pam)");
	assert_string_equal(log->events[1].kills[0].comm, "x) total-vm:y");
	assert_int_equal(log->events[1].kills[0].total_vm_kb, 20);
	oomreport_free(log);
}

static void kill_prefix_gives_kind_and_allocating(void **state)
{
	struct oom_log *log = parse_str(
		"[ 1.000000] Out of memory (oom_kill_allocating_task): Killed process 10 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n"
		"[ 2.000000] Memory cgroup out of memory: Killed process 11 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:-17\n"
		"[ 3.000000] Out of memory (oom_kill_allocating_task): Kill process 12 (c) score 0 or sacrifice child\n"
		"[ 3.000010] Killed process 12 (c) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n");

	assert_int_equal(log->nevents, 3);
	assert_int_equal(log->events[0].kills[0].kind, OOM_KIND_GLOBAL);
	assert_true(log->events[0].kills[0].allocating);
	assert_int_equal(log->events[1].kills[0].kind, OOM_KIND_MEMCG);
	assert_false(log->events[1].kills[0].allocating);
	assert_int_equal(log->events[1].kills[0].oom_score_adj, -17);
	assert_true(log->events[2].selected_allocating);
	assert_true(log->events[2].kills[0].allocating);
	oomreport_free(log);
}

static void bare_kill_line_takes_kind_from_report(void **state)
{
	struct oom_log *log = parse_str(
		"[ 1.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0\n"
		"[ 1.1] Total swap = 0kB\n"
		"[ 1.2] Killed process 5 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
		"[ 2.0] b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0\n"
		"[ 2.1] memory: usage 1024kB, limit 1024kB, failcnt 9\n"
		"[ 2.2] Killed process 6 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
		"[ 3.0] c invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0\n"
		"[ 3.2] Killed process 7 (c) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n");

	assert_int_equal(log->nevents, 3);
	assert_true(log->events[0].kills[0].has_kind);
	assert_int_equal(log->events[0].kills[0].kind, OOM_KIND_GLOBAL);
	assert_true(log->events[1].kills[0].has_kind);
	assert_int_equal(log->events[1].kills[0].kind, OOM_KIND_MEMCG);
	assert_int_equal(log->events[1].memcg_limit_kb, 1024);
	assert_false(log->events[2].kills[0].has_kind);
	oomreport_free(log);
}

static void other_wordings_of_killed_process_are_ignored(void **state)
{
	struct oom_log *log = parse_str(
		"systemd[1]: foo.service: Killing process 5 (x) with signal SIGKILL.\n"
		"bash: Killed process 12 (foo) total-vm:1kB, anon-rss:1kB\n"
		"Killed process 13 (foo) with signal 9\n"
		"Nov 22 02:31:00 host earlyoom[99]: sending SIGKILL to process 14 \"foo\"\n"
		"[ 5.000000] oom_reaper: reaped process 15 (foo), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
		"[ 6.000000] oom_reaper: unable to reap pid:16 (foo)\n"
		"[ 7.000000] oom killer 17 (foo) has mm pinned by 1 (init)\n"
		"[ 8.000000] Kill process 18 (foo) sharing same memory\n");

	assert_int_equal(log->nevents, 0);
	oomreport_free(log);
}

static void panic_text_of_any_kind_first_one_kept(void **state)
{
	struct oom_log *log = parse_str(
		"[   9.100000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009  \n"
		"[   9.100100] ---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009 ]---\n"
		"[   9.200000] Kernel panic - not syncing: Out of memory: compulsory panic_on_oom is enabled\n");

	assert_true(log->has_panic);
	assert_string_equal(log->panic, "Attempted to kill init! exitcode=0x00000009");
	assert_int_equal(log->panic_line, 1);
	/* the OOM panic, whose report is not in the log, is an event of its own */
	assert_int_equal(log->nevents, 1);
	assert_false(log->events[0].has_header);
	assert_int_equal(log->events[0].line, 3);
	oomreport_free(log);
}

static void panic_end_marker_alone_is_a_panic(void **state)
{
	/* 4.14 prints the end marker without the closing " ]---" */
	struct oom_log *log = parse_str(
		"[ 1.0] ---[ end Kernel panic - not syncing: Out of memory and no killable processes...\n");

	assert_true(log->has_panic);
	assert_string_equal(log->panic, "Out of memory and no killable processes...");
	oomreport_free(log);
}

static void old_no_killable_panic_marks_event(void **state)
{
	struct oom_log *log = parse_str(
		"[ 1.000000] sh invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null),  order=0, oom_score_adj=0\n"
		"[ 1.000100] Kernel panic - not syncing: Out of memory and no killable processes...\n"
		"[ 1.000100] \n"
		"[ 1.000200] Out of memory: Killed process 3 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n");

	assert_int_equal(log->nevents, 2);
	assert_true(log->events[0].no_killable);
	assert_int_equal(log->events[0].no_killable_line, 2);
	assert_int_equal(log->events[0].nkills, 0);
	assert_string_equal(log->panic, "Out of memory and no killable processes...");
	assert_false(log->events[1].has_header);
	oomreport_free(log);
}

static void already_exiting_victim_ends_victim_search(void **state)
{
	struct oom_log *log = parse_str(
		"[ 3.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 3.1] Memory cgroup out of memory: OOM victim 40 (a) is already exiting. Skip killing the task\n"
		"[ 3.2] Memory cgroup out of memory: Killed process 41 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n"
		"[ 3.3] Memory cgroup out of memory: OOM victim 42 (c) is already exiting. Skip killing the task\n");

	assert_int_equal(log->nevents, 3);
	assert_int_equal(log->events[0].nexiting, 1);
	assert_int_equal(log->events[0].exiting_pid, 40);
	assert_int_equal(log->events[0].exiting_line, 2);
	assert_int_equal(log->events[0].nkills, 0);
	assert_false(log->events[1].has_header);
	assert_int_equal(log->events[1].kills[0].pid, 41);
	assert_false(log->events[2].has_header);
	assert_int_equal(log->events[2].exiting_pid, 42);
	oomreport_free(log);
}

/*
 * The same real report as users paste it: every line indented (a quote in markdown or
 * reStructuredText), quoted in mail ("> > "), or with a blank line after every line (a
 * terminal's copy of journalctl). Each must read as the original does.
 */
static char *repaste(const char *text, size_t len, const char *lead, const char *trail,
		     size_t *outlen)
{
	size_t n = 0, lines = 1, ll = strlen(lead), tl = strlen(trail), i;
	char *out;

	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	out = malloc(len + lines * (ll + tl) + 1);
	assert_non_null(out);
	for (i = 0; i < len; i++) {
		if (i == 0 || text[i - 1] == '\n') {
			memcpy(out + n, lead, ll);
			n += ll;
		}
		out[n++] = text[i];
		if (text[i] == '\n') {
			memcpy(out + n, trail, tl);
			n += tl;
		}
	}
	*outlen = n;
	return out;
}

static void indented_quoted_and_spaced_pastes_read_alike(void **state)
{
	static const char *const styles[][2] = {
		{ "    ", "" }, { "\t", "" }, { "> > ", "" }, { "", "\n" }, { "   ", "\n\n" },
	};
	static const char *const samples[] = {
		"debian61-global-two-hogs-kill.log", "assembled-rhel6-2.6.32-syslog.log",
		"assembled-4.19-memcg-v1-raw.log", "assembled-6.12-kmsg-rss-parts.log",
	};
	size_t len, plen, s, i;

	(void)state;
	for (s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		char *text = read_sample(samples[s], &len);
		struct oom_log *want = parse_mem(text, len);

		for (i = 0; i < sizeof(styles) / sizeof(styles[0]); i++) {
			char *pasted = repaste(text, len, styles[i][0], styles[i][1], &plen);
			struct oom_log *got = parse_mem(pasted, plen);
			int e;

			assert_int_equal(got->nevents, want->nevents);
			for (e = 0; e < want->nevents; e++) {
				const struct oom_event *a = &want->events[e], *b = &got->events[e];

				assert_string_equal(b->invoker, a->invoker);
				assert_int_equal(b->invoker_pid, a->invoker_pid);
				assert_string_equal(b->time, a->time);
				assert_int_equal(b->ntasks, a->ntasks);
				assert_int_equal(b->table_complete, a->table_complete);
				assert_int_equal(b->nkills, a->nkills);
				if (a->nkills)
					assert_int_equal(b->kills[0].pid, a->kills[0].pid);
				assert_int_equal(b->has_ram_pages, a->has_ram_pages);
				assert_int_equal(b->has_memcg_usage, a->has_memcg_usage);
			}
			assert_int_equal(got->has_panic, want->has_panic);
			oomreport_free(got);
			free(pasted);
		}
		oomreport_free(want);
		free(text);
	}
}

/* journalctl without -b: each event says which boot it came from, by marker or by uptime */
static void events_are_tagged_with_their_boot(void **state)
{
	struct oom_log *log = parse_str(
		"-- Boot 0f1e2d3c4b5a69788796a5b4c3d2e1f0 --\n"
		"Dec 01 10:00:00 h kernel: Out of memory: Killed process 9 (b) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
		"Dec 01 10:00:01 h kernel: Out of memory: Killed process 10 (c) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
		"-- Boot 11111111111111111111111111111111 --\n"
		"Dec 02 09:00:00 h kernel: Out of memory: Killed process 19 (d) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
		"-- Reboot --\n"
		"[   50.000000] Out of memory: Killed process 29 (e) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
		"[    9.000000] Out of memory: Killed process 39 (f) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n");

	(void)state;
	assert_int_equal(log->nevents, 5);
	assert_int_equal(log->events[0].boot, 1);
	assert_string_equal(log->events[0].boot_id, "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
	assert_int_equal(log->events[1].boot, 1);
	assert_int_equal(log->events[2].boot, 2);
	assert_string_equal(log->events[2].boot_id, "11111111111111111111111111111111");
	assert_int_equal(log->events[3].boot, 3);
	assert_string_equal(log->events[3].boot_id, "");
	/* no marker, but the uptime went back: a fourth boot */
	assert_int_equal(log->events[4].boot, 4);
	oomreport_free(log);

	log = parse_sample("debian61-global-two-hogs-kill.log");
	assert_int_equal(log->events[0].boot, 1);
	oomreport_free(log);
}

/* A page that dropped a syslog paste's line ends: each record is read on its own. */
static void syslog_records_joined_on_one_line_are_split(void **state)
{
	struct oom_log *log = parse_sample("aslab-kb38-rhel4-2.6.9-x86_64-numa-warning-joined-oneline.log");

	(void)state;
	assert_int_equal(log->nevents, 2);
	assert_int_equal(log->events[0].nkills, 1);
	assert_int_equal(log->events[0].kills[0].pid, 2368);
	assert_string_equal(log->events[0].kills[0].comm, "jserver");
	assert_string_equal(log->events[1].time, "Jul 19 05:19:24");
	oomreport_free(log);

	/* a message that merely quotes a clock and "kernel: " further on is not cut */
	log = parse_str("Out of memory: Killed process 7 (a b 12:00:00 x kernel: y) total-vm:4kB, "
			"anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n");
	assert_int_equal(log->nevents, 1);
	assert_string_equal(log->events[0].kills[0].comm, "a b 12:00:00 x kernel: y");
	oomreport_free(log);
}

/*
 * Messages run together with no prefix between them (a page that dropped the line ends of a
 * paste without prefixes; 2.6.2x printks without a newline) are read one by one.
 */
static void messages_run_together_are_split(void **state)
{
	struct oom_log *log = parse_sample(
		"xcroot-264-rhel6-2.6.32-279-i686-joined-oneline-elided-twoevents.log");

	(void)state;
	assert_int_equal(log->nevents, 2);
	assert_true(log->events[0].has_selected);
	assert_int_equal(log->events[0].selected_pid, 9682);
	assert_int_equal(log->events[0].nkills, 1);
	assert_int_equal(log->events[0].kills[0].pid, 9682);
	assert_string_equal(log->events[1].invoker, "httpd");
	assert_int_equal(log->events[1].invoker_pid, 8911);
	assert_true(log->events[1].has_swap_total);
	assert_int_equal(log->events[1].swap_total_kb, 524280);
	oomreport_free(log);

	log = parse_str("> Killed process 1 (a)Out of memory: kill process 2 (b) score 7 or a "
			"childKilled process 2 (b)\n");
	assert_int_equal(log->nevents, 2);
	assert_int_equal(log->events[0].kills[0].pid, 1);
	assert_int_equal(log->events[1].selected_pid, 2);
	assert_int_equal(log->events[1].kills[0].pid, 2);
	oomreport_free(log);

	/* one message each: a kill after "Out of memory: ", a panic's text, a comm with a blank */
	log = parse_str("[ 1.0] Web Content invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0\n"
			"[ 1.1] Out of memory: Kill process 5 (a) score 9 or sacrifice child\n"
			"[ 1.2] Killed process 5 (a) total-vm:4kB, anon-rss:4kB, file-rss:0kB\n");
	assert_int_equal(log->nevents, 1);
	assert_string_equal(log->events[0].invoker, "Web Content");
	assert_int_equal(log->events[0].selected_pid, 5);
	assert_int_equal(log->events[0].nkills, 1);
	oomreport_free(log);
	log = parse_str("[ 1.3] Kernel panic - not syncing: Out of memory: system-wide panic_on_oom "
			"is enabled\n");
	assert_int_equal(log->nevents, 1);
	assert_true(log->has_panic);
	assert_string_equal(log->panic, "Out of memory: system-wide panic_on_oom is enabled");
	oomreport_free(log);
}

static void caller_id_and_log_level_prefixes(void **state)
{
	struct oom_log *log = parse_str(
		"<4>[  309.731575][  T669] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0\n"
		"<4>[  309.731580] [  T669] CPU: 2 UID: 0 PID: 669 Comm: hog Not tainted 6.15.0 #1\n");

	assert_int_equal(log->nevents, 1);
	assert_near(log->events[0].uptime, 309.731575);
	assert_string_equal(log->events[0].time, "309.731575");
	assert_string_equal(log->events[0].invoker, "hog");
	assert_int_equal(log->events[0].order, -1);
	assert_int_equal(log->events[0].invoker_pid, 669);
	oomreport_free(log);

	/* the caller id alone names the invoker where the CPU line was cut; a CPU's does not */
	log = parse_str("2024-01-07T17:53:49.053424+00:00 box kernel: [ 9421.982946][T10521] "
			"memeater-10521 invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0\n"
			"[ 9422.0][    C1] hog invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0\n");
	assert_int_equal(log->nevents, 2);
	assert_int_equal(log->events[0].invoker_pid, 10521);
	assert_string_equal(log->events[0].invoker, "memeater-10521");
	assert_int_equal(log->events[1].invoker_pid, 0);
	oomreport_free(log);
}

static void localized_dmesg_T_and_journal_iso_clocks(void **state)
{
	struct oom_log *log = parse_str(
		"[dim. 19 avril 18:03:30 2026] Out of memory: Killed process 1 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n"
		"2026-11-22T02:31:00.123456+0100 vm-1 kernel: Out of memory: Killed process 2 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n");

	assert_int_equal(log->nevents, 2);
	assert_string_equal(log->events[0].time, "dim. 19 avril 18:03:30 2026");
	assert_string_equal(log->events[1].time, "2026-11-22T02:31:00.123456+0100");
	assert_near(log->events[1].uptime, -1);
	oomreport_free(log);
}

static void dmesg_x_and_talosctl_facility_prefixes(void **state)
{
	struct oom_log *log = parse_str(
		"kern  :warn  : [  12.5] Out of memory: Killed process 1 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n"
		"10.200.70.91: kern:    info: [2025-06-04T04:51:57.572293906Z]: Memory cgroup out of memory: Killed process 2 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n");

	assert_int_equal(log->nevents, 2);
	assert_near(log->events[0].uptime, 12.5);
	assert_int_equal(log->events[0].kills[0].pid, 1);
	assert_string_equal(log->events[1].time, "2025-06-04T04:51:57.572293906Z");
	assert_int_equal(log->events[1].kills[0].pid, 2);
	assert_int_equal(log->events[1].kills[0].kind, OOM_KIND_MEMCG);
	oomreport_free(log);
}

/* A report pasted from its middle: the lines before its first read line are its context */
static void midstart_reads_back_to_the_last_line_read(void **state)
{
	struct oom_log *log = parse_str(
		"[ 1.0] Total swap = 4096kB\n"             /* a minute before: another report's */
		"[ 70.0] Free swap  = 1024kB\n"
		"[ 70.0] Total swap = 2048kB\n"
		"[ 70.0] 1000 pages RAM\n"
		"[ 70.0] [ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[ 70.0] [  300]     0   300     4000      900    40960        0             0 a\n"
		"[ 70.0] Out of memory: Killed process 300 (a) total-vm:16000kB, anon-rss:3600kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0\n"
		"[ 70.5] Memory cgroup stats for /box:\n"
		"[ 70.5] anon 1048576\n"
		"[ 70.5] Tasks state (memory values in pages):\n");

	assert_int_equal(log->nevents, 2);
	assert_true(log->events[0].has_swap_total);
	assert_int_equal(log->events[0].swap_total_kb, 2048);
	assert_int_equal(log->events[0].swap_free_kb, 1024);
	assert_int_equal(log->events[0].ram_pages, 1000);
	assert_false(log->events[0].memcg_stats);
	/* the kill line of the first stops the second's look back */
	assert_true(log->events[1].memcg_stats);
	assert_false(log->events[1].has_swap_total);
	assert_false(log->events[1].has_ram_pages);
	oomreport_free(log);
}

/* A mail client wrapped long lines (each piece but the last ends in a blank): joined again */
static void lines_a_mail_client_wrapped_are_joined(void **state)
{
	struct oom_log *log = parse_str(
		"> May 30 03:13:08 vicky kernel: [ 1578.117055] Memory cgroup out of \n"
		"> memory: kill process 6016 (java) score 0 or a child\n"
		"> May 30 03:13:08 vicky kernel: [ 1578.117154] Out of memory: Killed \n"
		"> process 6016 (java) total-vm:2099436kB, anon-rss:1971712kB, \n"
		"> file-rss:1024kB, shmem-rss:0kB, UID:0 pgtables:3904kB oom_score_adj:0\n"
		/* a blank at the end of a line whose next has a stamp of its own: two lines */
		"[ 1600.0] Out of memory: Killed process 7000 (a) total-vm:1kB, anon-rss:1kB, \n"
		"[ 1600.1] Out of memory: Killed process 7001 (b) total-vm:1kB, anon-rss:1kB\n");

	assert_int_equal(log->nevents, 3);
	/* the kill line's prefix made it a memcg's, and its line is the first piece's */
	assert_int_equal(log->events[0].selected_pid, 6016);
	assert_int_equal(log->events[0].selected_kind, OOM_KIND_MEMCG);
	assert_int_equal(log->events[0].nkills, 1);
	assert_int_equal(log->events[0].kills[0].pid, 6016);
	assert_int_equal(log->events[0].kills[0].line, 3);
	assert_int_equal(log->events[0].kills[0].anon_rss_kb, 1971712);
	assert_int_equal(log->events[1].kills[0].pid, 7000);
	assert_int_equal(log->events[1].kills[0].line, 6);
	assert_int_equal(log->events[2].kills[0].pid, 7001);
	assert_int_equal(log->nlines, 7);
	oomreport_free(log);

	/* a log without prefixes is never joined: its blanks at line ends say nothing */
	log = parse_str("Out of memory: Killed process 1 (a) total-vm:1kB, anon-rss:1kB \n"
			"Out of memory: Killed process 2 (b) total-vm:1kB, anon-rss:1kB\n");
	assert_int_equal(log->nevents, 2);
	oomreport_free(log);
}

/*
 * Lines wrapped at a fixed width without a blank at their ends (mail, a page) are joined when
 * the next line's first word could not have fitted: a memcg v1 table from a quoted diff.
 */
static void lines_wrapped_at_a_width_are_joined(void **state)
{
	struct oom_log *log = parse_sample("linuxmm-2015-3.19-memcg-v1-diffquoted-wrapped.log");
	const struct oom_event *ev;

	(void)state;
	assert_int_equal(log->nevents, 2);
	ev = &log->events[0];
	assert_true(ev->table_seen);
	assert_int_equal(ev->ntasks, 2);
	assert_int_equal(ev->tasks[1].pid, 2904);
	assert_int_equal(ev->tasks[1].swapents, 65535);
	assert_int_equal(ev->tasks[1].oom_score_adj, 0);
	assert_string_equal(ev->tasks[1].name, "oom03");
	assert_int_equal(ev->selected_score, 921);
	assert_int_equal(log->events[1].invoker_adj, 0);
	assert_true(log->events[1].has_invoker_adj);
	oomreport_free(log);

	/*
	 * Not joined: a line longer than any width mail is wrapped at; a next word that would
	 * have fitted; the paster's elision; a table header's "[ pid ]", which is no stamp.
	 */
	log = parse_str(
		"[  143.592155] Out of memory: Killed process 7 (a) total-vm:4kB, anon-rss:4kB, file-rss:0kB\n"
		"shmem-rss:0kB this line is no piece of the one before\n"
		"[  143.592156] Memory cgroup out of memory: Kill process 8 (b)\n"
		"score 9 or a child\n"
		"[  143.592157] Memory cgroup out of memory: Kill process 9 (c) score 99 or\n"
		"...\n"
		"[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"Kernel panic - not syncing: Out of memory and no killable processes...\n");
	assert_int_equal(log->nevents, 2);
	assert_int_equal(log->events[0].kills[0].pid, 7);
	assert_false(log->events[0].kills[0].has_shmem_rss);
	assert_false(log->events[1].has_selected); /* neither 8's nor 9's select line is whole */
	assert_true(log->events[1].table_seen);
	assert_true(log->events[1].no_killable);
	assert_int_equal(log->nlines, 8);
	oomreport_free(log);

	/* without prefixes, only a line cut after a comma goes on: no message ends in one */
	log = parse_str(">>   anaconda invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE),\n"
			">> nodemask=(null), order=0, oom_score_adj=0\n"
			">>   Out of memory: Kill process 5 (a) score 9 or sacrifice child seen here\n"
			">> Killed process 5 (a) total-vm:4kB, anon-rss:4kB, file-rss:0kB\n");
	assert_int_equal(log->nevents, 1);
	assert_true(log->events[0].has_invoker_adj);
	assert_int_equal(log->events[0].selected_pid, 5);
	assert_int_equal(log->events[0].nkills, 1);
	assert_int_equal(log->events[0].kills[0].line, 4);
	oomreport_free(log);

	/* "..." after a row of 78 columns is the paster's cut, not the row's name going on */
	log = parse_str("[  1.0] [ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name\n"
			"[  1.0] [ 2903]     0  2903     1618      436   0       0             0 oom03\n"
			"...\n");
	assert_int_equal(log->nevents, 1);
	assert_int_equal(log->events[0].ntasks, 1);
	assert_string_equal(log->events[0].tasks[0].name, "oom03");
	oomreport_free(log);
}

static void cpu_line_of_another_task_is_not_the_invoker(void **state)
{
	struct oom_log *log = parse_str(
		"[ 1.0] hog invoked oom-killer: gfp_mask=0(), order=0, oom_score_adj=0\n"
		"[ 1.1] CPU: 3 PID: 99 Comm: kworker/3:1 Not tainted 6.1.0 #1\n"
		"[ 1.2] CPU: 1 PID: 42 Comm: hogger Not tainted 6.1.0 #1\n"
		"[ 1.3] CPU: 1 PID: 43 Comm: hog Not tainted 6.1.0 #1\n");

	assert_int_equal(log->events[0].gfp_mask, 0);
	assert_string_equal(log->events[0].gfp_flags, "");
	assert_int_equal(log->events[0].invoker_pid, 43);
	oomreport_free(log);
}

static void summary_values_with_commas(void **state)
{
	struct oom_log *log = parse_str(
		"oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=0-1,3,cpuset=/,mems_allowed=0-3,5,global_oom,task_memcg=/a,b,task=x,y,pid=5,uid=7\n");
	struct oom_event *ev = &log->events[0];

	assert_string_equal(ev->constraint, "CONSTRAINT_MEMORY_POLICY");
	assert_string_equal(ev->nodemask, "0-1,3");
	assert_string_equal(ev->cpuset, "/");
	assert_string_equal(ev->mems_allowed, "0-3,5");
	assert_true(ev->global_oom);
	assert_string_equal(ev->task_memcg, "/a,b");
	assert_string_equal(ev->summary_task, "x,y");
	assert_int_equal(ev->summary_pid, 5);
	assert_int_equal(ev->summary_uid, 7);
	oomreport_free(log);
}

static void absurd_numbers_saturate(void **state)
{
	struct oom_log *log = parse_str(
		"Out of memory: Killed process 99999999999999999999 (a) total-vm:99999999999999999999999kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:-99999999999\n");
	struct oom_kill *k = &log->events[0].kills[0];

	assert_int_equal(k->pid, INT_MAX);
	assert_int_equal(k->total_vm_kb, ULONG_MAX);
	assert_int_equal(k->oom_score_adj, INT_MIN);
	oomreport_free(log);
}

static void overlong_line_is_cut_and_long_names_truncated(void **state)
{
	size_t n = 20000, i;
	char *text = malloc(n);
	struct oom_log *log;
	const char *head = "Out of memory: Killed process 5 (";

	assert_non_null(text);
	memcpy(text, head, strlen(head));
	for (i = strlen(head); i < n; i++)
		text[i] = 'c';
	memcpy(text + 100, ") total-vm:7kB, anon-rss:1kB", 28);
	log = parse_mem(text, n);
	assert_int_equal(log->nevents, 1);
	assert_int_equal(log->events[0].kills[0].total_vm_kb, 7);
	assert_int_equal(strlen(log->events[0].kills[0].comm), OOM_COMM_MAX - 1);
	oomreport_free(log);
	/* the closing ") total-vm:" beyond what is read: no kill line */
	memset(text + 100, 'c', 28);
	memcpy(text + 10000, ") total-vm:7kB, anon-rss:1kB", 28);
	log = parse_mem(text, n);
	assert_int_equal(log->nevents, 0);
	oomreport_free(log);
	free(text);
}

/*
 * The scanner between reports reads 16-byte blocks, and only in a block where a keyword's
 * first three bytes begin does it look closer; the last bytes of the buffer go byte by byte.
 * Shifting whole reports by 0 to 47 bytes puts every keyword line at every offset in a block
 * and at the buffer's end: the parse must not change.
 */
static void every_keyword_is_found_at_every_offset(void **state)
{
	static const char *const files[] = {
		"debian61-global-two-hogs-kill.log", "debian61-global-two-hogs-panic-on-oom.log",
		"debian61-memcg-v2-kill.log", "assembled-6.1-memcg-v2-oom-group.log",
		"assembled-4.19-rate-limited-raw.log", "assembled-4.19-oom-group-raw.log",
		"assembled-rhel7-3.10-global-raw.log", "assembled-rhel6-2.6.32-syslog.log",
	};
	size_t f;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		size_t len, pad;
		char *text = read_sample(files[f], &len);
		struct oom_log *want = parse_mem(text, len);

		assert_true(want->nevents > 0);
		for (pad = 0; pad < 48; pad++) {
			char *shifted = malloc(len + pad + 2);
			struct oom_log *got;
			int e;

			memset(shifted, 'x', pad);
			shifted[pad] = '\n';
			memcpy(shifted + pad + 1, text, len);
			got = parse_mem(shifted, len + pad + 1);
			if (got->nevents != want->nevents || got->has_panic != want->has_panic)
				fail_msg("%s shifted by %zu: expected %d events, panic %d; seen %d, %d",
					 files[f], pad, want->nevents, want->has_panic, got->nevents,
					 got->has_panic);
			for (e = 0; e < want->nevents; e++) {
				const struct oom_event *a = &want->events[e], *b = &got->events[e];

				if (a->nkills != b->nkills || a->ntasks != b->ntasks ||
				    a->has_header != b->has_header)
					fail_msg("%s shifted by %zu, event %d: expected %d kills, %d "
						 "tasks, header %d; seen %d, %d, %d", files[f], pad, e,
						 a->nkills, a->ntasks, a->has_header, b->nkills,
						 b->ntasks, b->has_header);
			}
			oomreport_free(got);
			free(shifted);
		}
		oomreport_free(want);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_keyword_is_found_at_every_offset),
		cmocka_unit_test(debian61_captured_report_pins_summary_and_kill),
		cmocka_unit_test(debian61_mem_info_reserved_pages_and_shape_markers),
		cmocka_unit_test(memcg_select_names_parent_kill_names_other_pid),
		cmocka_unit_test(kill_line_without_header_starts_event),
		cmocka_unit_test(short_syslog_clock_and_systemd_noise_between_reports),
		cmocka_unit_test(rhel6_select_and_kill_across_blank_line),
		cmocka_unit_test(rhel6_kill_line_under_syslog_and_raw_stamp),
		cmocka_unit_test(rhel7_kill_line_uid_before_total_vm),
		cmocka_unit_test(dmesg_T_clock_and_uid_in_cpu_line),
		cmocka_unit_test(table_with_rss_parts_without_header_starts_event),
		cmocka_unit_test(syslog_table_with_seven_digit_pids),
		cmocka_unit_test(no_killable_warning_then_next_header),
		cmocka_unit_test(cpuset_line_of_comm_with_blanks),
		cmocka_unit_test(sacrifice_child_pair_without_header),
		cmocka_unit_test(summary_keeps_long_cgroup_paths),
		cmocka_unit_test(caller_ids_beyond_a_pid_name_no_task),
		cmocka_unit_test(raw_console_global_report_6_1),
		cmocka_unit_test(kmsg_records_with_dictionary_lines),
		cmocka_unit_test(memcg_v1_report_4_19),
		cmocka_unit_test(syslog_over_raw_stamps_with_noise_inside_table),
		cmocka_unit_test(oom_group_victim_printed_twice_counts_once),
		cmocka_unit_test(group_walk_kills_are_group_kills_not_allocating),
		cmocka_unit_test(oom_group_prefixless_kills_4_19),
		cmocka_unit_test(rhel7_global_report_3_10),
		cmocka_unit_test(rhel6_report_2_6_32),
		cmocka_unit_test(panic_on_oom_records_panic_and_closes_event),
		cmocka_unit_test(deadlocked_panic_after_no_killable),
		cmocka_unit_test(rate_limited_kills_start_headerless_events),
		cmocka_unit_test(rate_limited_sacrifice_child_pairs),
		cmocka_unit_test(reports_with_noise_cut_short_late_kill_and_reboot),
		cmocka_unit_test(shape_markers_of_older_reports),
		cmocka_unit_test(memcg_stats_refault_key_dates_report),
		cmocka_unit_test(oom_group_exiting_line_orders_it_after_the_victim),
		cmocka_unit_test(crlf_endings_parse_like_lf),
		cmocka_unit_test(nul_bytes_and_garbage_skip_only_their_line),
		cmocka_unit_test(last_line_without_newline_is_read),
		cmocka_unit_test(text_is_read_up_to_len_only),
		cmocka_unit_test(empty_input_gives_empty_log),
		cmocka_unit_test(comm_parentheses_matched_greedily),
		cmocka_unit_test(kill_prefix_gives_kind_and_allocating),
		cmocka_unit_test(bare_kill_line_takes_kind_from_report),
		cmocka_unit_test(other_wordings_of_killed_process_are_ignored),
		cmocka_unit_test(panic_text_of_any_kind_first_one_kept),
		cmocka_unit_test(panic_end_marker_alone_is_a_panic),
		cmocka_unit_test(old_no_killable_panic_marks_event),
		cmocka_unit_test(already_exiting_victim_ends_victim_search),
		cmocka_unit_test(indented_quoted_and_spaced_pastes_read_alike),
		cmocka_unit_test(events_are_tagged_with_their_boot),
		cmocka_unit_test(syslog_records_joined_on_one_line_are_split),
		cmocka_unit_test(messages_run_together_are_split),
		cmocka_unit_test(caller_id_and_log_level_prefixes),
		cmocka_unit_test(dmesg_x_and_talosctl_facility_prefixes),
		cmocka_unit_test(midstart_reads_back_to_the_last_line_read),
		cmocka_unit_test(lines_a_mail_client_wrapped_are_joined),
		cmocka_unit_test(lines_wrapped_at_a_width_are_joined),
		cmocka_unit_test(localized_dmesg_T_and_journal_iso_clocks),
		cmocka_unit_test(cpu_line_of_another_task_is_not_the_invoker),
		cmocka_unit_test(summary_values_with_commas),
		cmocka_unit_test(absurd_numbers_saturate),
		cmocka_unit_test(overlong_line_is_cut_and_long_names_truncated),
	};

	return cmocka_run_group_tests_name("test_oomreport", tests, NULL, NULL);
}
