/* SPDX-License-Identifier: GPL-2.0-only */
/* attrib.h - whose each task was and what ended it, decided from the whole trace after the cell. */
#ifndef OOMLAB_ATTRIB_H
#define OOMLAB_ATTRIB_H

#include "observe/records.h"

/*
 * The agent forwards the kernel's own trace of every task's life (records.h, obs_trace):
 * forks, exits, the OOM killer's marks, oom_score_adj writes, signals sent and taken. Here,
 * after the cell, that trace is read whole and in time order, so nothing depends on when a
 * record happened to arrive (a fork read after the kill line that names its child is still
 * the child's fork).
 *
 * A task belongs to a workload when it is that workload's own process (the one the agent
 * forked and recorded in its start record) or was created, at any depth, by a task that
 * belongs to it; threads are tasks too. What ended a task:
 *   - kernel-oom / kernel-memcg-oom: the OOM killer marked it (oom/mark_victim); which of
 *     the two comes from the kill line that names it (report/results.c);
 *   - signal: it died taking a signal at its default action (signal_deliver with SIG_DFL;
 *     the kernel turns a fatal signal into SIGKILL for the whole group), sent by the task
 *     named as sender (signal_generate's common_pid) with a user si_code (kill(2),
 *     tgkill(2), sigqueue(3));
 *   - kernel-signal: likewise, but the kernel raised the signal itself (si_code SI_KERNEL or
 *     a fault's code: a timer, a fault, a broken pipe in the kernel's context);
 *   - exit: it ended without taking a fatal signal.
 * Without a trace (a kernel without tracefs) the agent's proc connector records stand in,
 * and attribution says so.
 */

enum attrib_source {
	ATTRIB_NONE,    /* no agent record says how (an agent older than the trace) */
	ATTRIB_TRACE,   /* the kernel's trace events */
	ATTRIB_LINEAGE, /* the proc connector: kills of descendants, as the agent saw them */
};

enum attrib_by {
	BY_ALIVE,
	BY_EXIT,
	BY_KERNEL_OOM,
	BY_SIGNAL,
	BY_KERNEL_SIGNAL,
};

struct attrib_task {
	int pid;
	char comm[16];   /* the last name it had in the trace */
	int parent;      /* the task that created it, an index; -1: it existed before tracing */
	int wl;          /* the workload (index in obs->wl) it is or descends from; -1: none */
	int own;         /* it is the workload's own process */
	unsigned long long born_ns, died_ns; /* died_ns 0: alive when the trace ended */
	int marked;      /* the OOM killer chose it */
	int mark_order;  /* its place among the marks, from 0 */
	unsigned long long marked_ns;
	enum attrib_by by;
	int sig;         /* the signal that killed it (for signal and kernel-signal) */
	int sender;      /* the pid that sent it (0: unknown); for kernel-signal, the context */
	char sender_comm[16];
	unsigned long long sig_ns; /* when that signal was sent (for signal and kernel-signal) */
	/* during the pass */
	int dying_sig;   /* it took a signal at its default action */
	int pend_sig, pend_by, pend_code; /* the last signal sent to it */
	unsigned long long pend_ns;
	char pend_comm[16];
	int pend_sender_named; /* pend_comm was the sender's name at that time */
	int self_comm_at; /* a comm of its own was seen (not only the one forked with it) */
	char first_self_comm[16];
};

struct attribution {
	enum attrib_source source;
	char why[256];       /* when not ATTRIB_TRACE: why */
	struct attrib_task *tasks;
	int ntasks, tasks_alloc;
	int *marks;          /* the marked tasks, in order */
	int nmarks, marks_alloc;
	int *pid_task;       /* the last task with each pid, while the pass runs and after */
	int npids;
};

/* Builds *a from obs (a zeroed first); release with attrib_release(). Pure. */
void attrib_build(const struct observation *obs, struct attribution *a);
void attrib_release(struct attribution *a);

/*
 * The task the kernel's kill of pid named, for the nth kill line (from 0) of that pid in the
 * log: the nth task with that pid the OOM killer marked. When the trace holds fewer marks
 * (the guest panicked before the agent read the last), the last task traced with that pid.
 * NULL when the trace never saw a task with that pid.
 */
const struct attrib_task *attrib_victim(const struct attribution *a, int pid, int nth);

/* The workload's own process (index wl in obs->wl) as the trace saw it, or NULL. */
const struct attrib_task *attrib_own(const struct attribution *a, int wl);

/* "kernel-oom", "signal", ...; kernel-oom becomes kernel-memcg-oom with memcg set. */
const char *attrib_by_name(enum attrib_by by, int memcg);

#endif
