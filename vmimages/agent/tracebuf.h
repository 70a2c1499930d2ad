/* SPDX-License-Identifier: GPL-2.0-only */
/* tracebuf.h - the kernel's trace event formats and ring-buffer pages, read into events. Pure. */
#ifndef OOMLAB_TRACEBUF_H
#define OOMLAB_TRACEBUF_H

#include <stddef.h>

/*
 * The guest agent takes the life of every task from the kernel's trace events (tracefs):
 * forks, exits, the OOM killer's marks, oom_score_adj writes and signals. Their ring buffers
 * are allocated when tracing is set up, so an event is never lost to a failed allocation
 * under memory pressure; a full buffer drops events and says so (the page's missed-events
 * flag, and the per-CPU "dropped events" count).
 *
 * Nothing about the layout is assumed: each event's id and field offsets come from its
 * format file (events/<system>/<event>/format), and the page header's from
 * events/header_page. A page (per_cpu/cpuN/trace_pipe_raw) holds a time stamp, a commit
 * count, then events of a 4-byte header (type_len:5, time_delta:27) and a payload; see
 * tb_page_parse(). These functions take text and bytes and return structs: the agent reads
 * the files, the host tests them on real captured pages.
 */

#define TB_COMM_LEN 16 /* TASK_COMM_LEN, with room for the NUL */

enum tb_type {
	TB_FORK,   /* sched/sched_process_fork: a task created another (process or thread) */
	TB_EXIT,   /* sched/sched_process_exit: a task ended */
	TB_SIGNAL, /* signal/signal_generate: a signal was sent, by common_pid unless the kernel */
	TB_DELIVER, /* signal/signal_deliver: the task took a signal, to a handler or not */
	TB_VICTIM, /* oom/mark_victim: the OOM killer chose this task */
	TB_ADJ,    /* oom/oom_score_adj_update: a task's oom_score_adj was written */
	TB_NTYPES
};

/* The tracefs path of each event: "sched/sched_process_fork". */
extern const char *const tb_event_path[TB_NTYPES];

enum tb_slot { TB_S_PID, TB_S_CHILD, TB_S_SIG, TB_S_CODE, TB_S_GROUP, TB_S_RESULT, TB_S_ADJ,
	       TB_S_HANDLER, TB_S_COMM, TB_NSLOTS };

struct tb_field {
	int offset; /* from the start of the event's payload; -1: not present */
	int size;
	int is_signed;
	int data_loc; /* __data_loc: a u32 of offset (low 16 bits) and length (high 16) */
};

struct tb_layout {
	/* events/header_page */
	int page_ts_off, page_commit_off, page_commit_size, page_data_off;
	int common_pid_off; /* and common_type at 0, 2 bytes, in every event */
	struct {
		int id; /* 0: not set up */
		struct tb_field f[TB_NSLOTS];
	} ev[TB_NTYPES];
};

struct tb_event {
	enum tb_type type;
	unsigned long long ns; /* the trace clock's time ("mono": CLOCK_MONOTONIC) */
	int common_pid;        /* the task in whose context the event was recorded */
	int pid;    /* fork: the parent task; exit, victim, adj: the task; signal: the target;
		     * deliver: 0 (the task is common_pid) */
	int child;  /* fork: the new task */
	int sig, code, group, result; /* signal: si_code, to the whole group, TRACE_SIGNAL_* */
	int adj;    /* victim (when its format has it), adj: oom_score_adj */
	unsigned long long handler; /* deliver: sa_handler, 0 for SIG_DFL, 1 for SIG_IGN */
	char comm[TB_COMM_LEN]; /* fork: the new task's; the others: the task's */
};

/*
 * Reads events/header_page into l. Returns 0, or -1 when a field it needs (timestamp,
 * commit, data) is missing or of a size it cannot read.
 */
int tb_header_parse(const char *text, struct tb_layout *l);

/*
 * Reads the format file of event type t into l (its ID and the fields it needs). Returns 0,
 * or -1 and the name of the first missing field in *missing (a static string).
 */
int tb_format_parse(const char *text, enum tb_type t, struct tb_layout *l,
		    const char **missing);

typedef void (*tb_emit_fn)(const struct tb_event *ev, void *arg);

/*
 * Walks one ring-buffer page (len bytes, as read from trace_pipe_raw), calling emit for each
 * event of a type set up in l, in order; events of other ids are skipped. *missed grows by the
 * events the kernel dropped before this page (1 when it only says that some were). Returns
 * the number of events emitted, or -1 when the page is corrupt (a length past its end).
 */
int tb_page_parse(const struct tb_layout *l, const unsigned char *page, size_t len,
		  tb_emit_fn emit, void *arg, long *missed);

#endif
