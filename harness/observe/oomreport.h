/* SPDX-License-Identifier: GPL-2.0-only */
/* oomreport.h - kernel log text into OOM events (header, task table, victims) and panics. */
#ifndef OOMLAB_OOMREPORT_H
#define OOMLAB_OOMREPORT_H

#include <stddef.h>

/*
 * The parser reads kernel log text as users have it (raw console with "[  12.345678] " stamps,
 * dmesg -T, journalctl -k and syslog lines, /dev/kmsg records "pri,seq,usec,flags;text",
 * lines with no prefix at all, CRLF endings) and returns what the kernel reported about out of
 * memory: one oom_event per OOM invocation, the processes it killed, and any panic.
 *
 * An event starts at "<comm> invoked oom-killer:" and collects the lines that follow it (the
 * cpuset line, the memcg lines, Mem-Info totals, the task table, the "oom-kill:" summary, the
 * "Kill process ... or sacrifice child" line) up to and including its kill line(s). A kill line
 * with no header before it (dump_header is rate-limited) starts an event of its own with
 * has_header == 0; so does a "Kill process ... or sacrifice child" line (printed even when the
 * header was rate-limited, up to 5.0) and, in logs filtered by grep, a summary, task-table
 * header, memcg line ("memory: usage", "Memory cgroup stats for", "Task in ... killed as a
 * result of limit of", "Tasks state") or "already exiting" line with no report open. After "Tasks in ... memory.oom.group
 * set" further kill lines join the event, marked group. A panic or "no killable processes"
 * ends the event, as does an uptime stamp more than 60 s after its last line or earlier than
 * it (the next boot). Each event says which boot of the log it came from (journalctl's
 * "-- Boot ID --" lines and uptimes that go back count them).
 * Lines that belong to no OOM report are skipped, so unrelated messages may interleave.
 *
 * Pure: text in, structs out; no file, no allocation outside the returned log (and a stream's
 * own window). The one global, which scan the CPU can run (kwscan.c), is set once and never
 * changes what is found.
 * Every number is what the kernel printed (pages stay pages, kB stay kB); a field the report
 * did not contain is marked by its has_ flag or, for strings, left empty.
 */

#define OOM_COMM_MAX 64 /* comm is 15 bytes, but some logs quote longer names */

enum oom_kind {
	OOM_KIND_GLOBAL = 0, /* "Out of memory: ..." */
	OOM_KIND_MEMCG,      /* "Memory cgroup out of memory: ..." */
};

/* One row of the task table ("Tasks state (memory values in pages):"). */
struct oom_task {
	int pid;
	int uid;
	int tgid;
	unsigned long total_vm; /* pages */
	unsigned long rss;      /* pages (the sum when the table prints its parts) */
	int has_rss_parts;      /* rss_anon rss_file rss_shmem columns were printed */
	unsigned long rss_anon, rss_file, rss_shmem;
	int pgtables_kind;      /* OOM_PGT_BYTES (pgtables_bytes), OOM_PGT_PTES (nr_ptes [+ nr_pmds]) */
	unsigned long pgtables; /* bytes or page-table pages, as pgtables_kind says */
	int has_swapents;       /* 2.6.3x tables ("cpu oom_adj") have no swapents column */
	unsigned long swapents; /* pages */
	int oom_score_adj;
	char name[OOM_COMM_MAX];
	int line; /* 1-based line of the input */
};
#define OOM_PGT_BYTES 0
#define OOM_PGT_PTES 1
#define OOM_PGT_NONE 2 /* the table has no page-table column (2.6.3x) */

/* A process the kernel killed: a "Killed process" line. */
struct oom_kill {
	int pid;
	char comm[OOM_COMM_MAX];
	enum oom_kind kind;
	int has_kind;   /* kind printed (5.x+ prefix) or inferred from the report (select line,
			 * memcg lines, summary, Mem-Info); 0 for a bare kill line of <= 4.19 with
			 * nothing around it, whose kind then reads OOM_KIND_GLOBAL */
	int allocating; /* the task the oom_kill_allocating_task shortcut chose: "Out of memory
			 * (oom_kill_allocating_task): ..." on a kill that is no group kill */
	int group;      /* killed in the memory.oom.group walk, not chosen: its first kill line
			 * came after "Tasks in ... memory.oom.group set", and bears the chosen
			 * victim's prefix (oom_kill_process() passes its message on) */
	int has_uid;
	int uid;
	unsigned long total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb;
	int has_shmem_rss; /* RHEL 6 and 2.6.3x kill lines stop at file-rss */
	int has_pgtables;
	unsigned long pgtables_kb;
	int has_adj;
	int oom_score_adj;
	int line;
	int printed; /* kill lines for this process: 2 for a memory.oom.group victim */
};

struct oom_event {
	int line;          /* line of the header, or of the first line of the event */
	/* the first time stamp of the line as printed: the syslog/journal or dmesg -T clock
	 * ("Nov 22 02:31:00", "Mon Nov 22 02:31:00 2026") when there is one, else the uptime
	 * ("12.345678"; kmsg usec as "5.678901") */
	char time[40];
	double uptime;     /* seconds from "[ 12.345678]" or a kmsg usec field; -1 when unknown */
	int boot;          /* 1 for the log's first boot: each journal "-- Boot ID --" line after
			    * the first line, and each uptime that went back, begins the next */
	char boot_id[40];  /* the ID of journalctl's "-- Boot ID --" line, if one came before */

	int has_header;    /* "invoked oom-killer:" seen */
	char invoker[OOM_COMM_MAX];
	int invoker_pid;   /* from the header's caller id "[T123]", or dump_stack's "CPU: N
			    * [UID: N] PID: N Comm:" (2.6.3x "Pid: N, comm:") line after it;
			    * 0 when unknown */
	unsigned long gfp_mask;
	char gfp_flags[128]; /* the symbolic part, "GFP_HIGHUSER_MOVABLE|__GFP_COMP" */
	int order;
	int has_invoker_adj;
	int invoker_adj;

	char constraint[40]; /* "CONSTRAINT_NONE", ... from the summary; empty when absent */
	char nodemask[64];
	char cpuset[128];
	char mems_allowed[64];
	int global_oom;       /* summary said global_oom */
	int trace_memcg;      /* the call trace passed through mem_cgroup_out_of_memory() */
	int trace_global;     /* or through the page allocator's __alloc_pages*(), or Mem-Info
			       * followed the header: a global OOM */
	int sysrq;            /* SysRq-f asked for it: "Manual OOM execution" just before the
			       * report; a global OOM, as is a header's order=-1 (is_sysrq_oom()) */
	char oom_memcg[256];  /* summary oom_memcg= or "Memory limit reached of cgroup" */
	char task_memcg[256];
	/* the victim as the summary names it (task=,pid=,uid=); the kill line may name another
	 * thread of the same process, as find_lock_task_mm() picks one that still has an mm */
	int has_summary;
	char summary_task[OOM_COMM_MAX];
	int summary_pid;
	int summary_uid;

	/* memcg report lines: "memory: usage %llukB, limit %llukB, failcnt %lu" and kin */
	int memcg_stats;      /* "Memory cgroup stats for" was printed: a memcg OOM's report */
	int has_memcg_usage;
	unsigned long long memcg_usage_kb, memcg_limit_kb;
	int has_memsw_usage; /* v1 "memory+swap:" */
	unsigned long long memsw_usage_kb, memsw_limit_kb;
	int has_swap_usage;  /* v2 "swap:" */
	unsigned long long swap_usage_kb, swap_limit_kb;

	/* Mem-Info totals */
	int has_ram_pages;
	unsigned long ram_pages;       /* "N pages RAM": present pages of the populated zones */
	int has_ram_reserved;
	unsigned long ram_reserved;    /* "N pages reserved": present minus managed pages, so that
					* ram_pages - ram_reserved is totalram_pages (MemTotal) */
	int has_swap_total;
	unsigned long long swap_total_kb; /* "Total swap = NkB" */
	int has_swap_free;
	unsigned long long swap_free_kb;

	struct oom_task *tasks;
	int ntasks;
	int table_seen;     /* the table header was printed */
	int table_complete; /* the rows ran up to the next part of the report */

	/*
	 * Shape markers: details of the print formats that date a report without trusting a
	 * version string (badness.c reads them). 0 means the report did not show the detail.
	 */
	int table_wide_pid; /* the table header reads "[  pid  ]" (4.19 on), not "[ pid ]" */
	int table_no_adj;   /* the table has no oom_score_adj column (before 2.6.36) */
	int kstack_in;      /* where Mem-Info printed kernel_stack: OOM_KSTACK_NODE or _ZONE */
	int memcg_refault;  /* the memcg stats' workingset_refault key: OOM_REFAULT_SPLIT or _ONE */

	/* "Kill process %d (%s) score %u or sacrifice child" (older kernels) */
	int has_selected;
	int selected_line;
	int selected_pid;
	char selected_comm[OOM_COMM_MAX];
	unsigned long selected_score;
	enum oom_kind selected_kind;
	int selected_allocating;
	int selected_or_a_child; /* "... or a child", "... and children": before 2.6.36 */

	struct oom_kill *kills; /* one per process, in order; a repeated line counts once */
	int nkills;
	int group_kill;      /* "Tasks in X are going to be killed due to memory.oom.group set" */
	char group_path[256];
	int group_line;      /* that line */
	int group_allocating; /* the walk's kill lines bore the oom_kill_allocating_task prefix:
			       * the victim was the allocating task */
	int no_killable;     /* "Out of memory and no killable processes..." (warning, or panic
			      * text up to 4.14) */
	int no_killable_line;
	int nexiting;        /* "OOM victim %d (%s) is already exiting. Skip killing the task" */
	int exiting_pid;     /* pid of the first of them; 0 when none */
	char exiting_comm[OOM_COMM_MAX];
	int exiting_line;    /* its line: before the first kill line it was the chosen victim */
};
/* kstack_in: the per-node "Node N active_anon:..." line (5.9 on), or the per-zone lines */
#define OOM_KSTACK_NODE 1
#define OOM_KSTACK_ZONE 2
/* memcg_refault: "workingset_refault_anon"/"_file" (5.9 on), or one "workingset_refault" */
#define OOM_REFAULT_SPLIT 1
#define OOM_REFAULT_ONE 2

struct oom_log {
	struct oom_event *events;
	int nevents;
	int has_panic;
	char panic[256]; /* text after "Kernel panic - not syncing: ", trailing newline cut */
	int panic_line;
	int nlines;
};

/*
 * Parses len bytes of text (need not be NUL-terminated, may hold NUL bytes: the rest of such a
 * line is ignored). Never fails on its input: at worst, no events. Returns NULL only when the
 * log itself cannot be allocated; when memory runs out later the log just holds less. Lines
 * longer than 8 KiB are read up to that length (a printk record is at most about 1 KiB).
 * The caller owns the result and releases it with oomreport_free().
 */
struct oom_log *oomreport_parse(const char *text, size_t len);
/* Frees a log from oomreport_parse(); NULL is allowed. */
void oomreport_free(struct oom_log *log);

/*
 * The same parse, fed in pieces of any size as they are read (a file too large to hold, a
 * pipe): oomreport_stream_new(), oomreport_stream_feed() for each piece, then
 * oomreport_stream_end(), which frees the stream and returns the log oomreport_parse() would
 * have made of the pieces put together. Only a window of the text is kept. new returns NULL,
 * and feed -1, when memory runs out.
 */
struct oomreport_stream;
struct oomreport_stream *oomreport_stream_new(void);
int oomreport_stream_feed(struct oomreport_stream *st, const char *piece, size_t len);
struct oom_log *oomreport_stream_end(struct oomreport_stream *st);

/*
 * Or, to read a piece straight into the stream's window without a copy: room for at least
 * want bytes (NULL when memory runs out), then oomreport_stream_add() of the n bytes put there.
 */
char *oomreport_stream_room(struct oomreport_stream *st, size_t want);
void oomreport_stream_add(struct oomreport_stream *st, size_t n);

/*
 * The log parsed so far: its events [0, *nfinal) will not change any more (only the last event
 * read may still gain lines), though the array that holds them may move with the next add.
 * Of those the parser reads no more than the last one's uptime and boot: the caller may read
 * them meanwhile, or free a task table (tasks NULL, ntasks 0) it has no more use for.
 */
struct oom_log *oomreport_stream_log(struct oomreport_stream *st, int *nfinal);

#endif
