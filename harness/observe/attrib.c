// SPDX-License-Identifier: GPL-2.0-only
/* attrib.c - whose each task was and what ended it, decided from the whole trace after the cell. */
#include "observe/attrib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define AGENT_PID 1 /* the agent is the guest's init */
#define SI_KERNEL 0x80

const char *attrib_by_name(enum attrib_by by, int memcg)
{
	switch (by) {
	case BY_ALIVE: return "alive";
	case BY_EXIT: return "exit";
	case BY_KERNEL_OOM: return memcg ? "kernel-memcg-oom" : "kernel-oom";
	case BY_SIGNAL: return "signal";
	case BY_KERNEL_SIGNAL: return "kernel-signal";
	}
	return "?";
}

/* Signals whose default action ends the task (signal(7)): not the ignored or stopping ones. */
static int fatal_by_default(int sig)
{
	return sig > 0 && sig != 17 && (sig < 18 || sig > 23) && sig != 28;
}

/* kill(2), sigqueue(3) and tgkill(2) name their sender; every other si_code is the kernel's. */
static int sent_by_user(int code)
{
	return code == 0 || code == -1 || code == -6;
}

static int by_time(const void *x, const void *y)
{
	const struct obs_trace *a = *(const struct obs_trace *const *)x;
	const struct obs_trace *b = *(const struct obs_trace *const *)y;

	if (a->ns != b->ns)
		return a->ns < b->ns ? -1 : 1;
	return a->seq - b->seq;
}

static int new_task(struct attribution *a, int pid, int parent, unsigned long long ns,
		    const char *comm)
{
	struct attrib_task *t;

	ALLOC_GROW(a->tasks, a->ntasks + 1, a->tasks_alloc);
	t = &a->tasks[a->ntasks];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->parent = parent;
	t->wl = -1;
	t->born_ns = ns;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	if (pid >= 0 && pid < a->npids)
		a->pid_task[pid] = a->ntasks;
	return a->ntasks++;
}

/* The task that has pid now; one that existed before tracing began is made on first sight. */
static int task_of(struct attribution *a, int pid)
{
	if (pid < 0 || pid >= a->npids)
		return -1;
	if (a->pid_task[pid] < 0)
		return new_task(a, pid, -1, 0, "");
	return a->pid_task[pid];
}

/* A name the task itself carried (not the one it was forked with). */
static void self_comm(struct attrib_task *t, const char *comm)
{
	if (!comm[0])
		return;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	if (!t->self_comm_at) {
		snprintf(t->first_self_comm, sizeof(t->first_self_comm), "%s", comm);
		t->self_comm_at = 1;
	}
}

static void on_event(struct attribution *a, const struct obs_trace *e)
{
	struct attrib_task *t;
	int i, s;

	switch (e->type) {
	case OT_FORK:
		/* a child starts with its parent's name: one that was there before, unnamed, takes it */
		if ((i = task_of(a, e->pid)) >= 0 && !a->tasks[i].comm[0])
			snprintf(a->tasks[i].comm, sizeof(a->tasks[i].comm), "%s", e->comm);
		if (e->child > 0 && e->child < a->npids)
			new_task(a, e->child, i, e->ns, e->comm);
		break;
	case OT_EXIT:
		if ((i = task_of(a, e->pid)) < 0)
			break;
		a->tasks[i].died_ns = e->ns;
		self_comm(&a->tasks[i], e->comm);
		break;
	case OT_SIGNAL:
		if ((i = task_of(a, e->pid)) < 0)
			break;
		self_comm(&a->tasks[i], e->comm);
		/* TRACE_SIGNAL_DELIVERED or ALREADY_PENDING: the signal is on its way */
		if (e->result != 0 && e->result != 2)
			break;
		s = task_of(a, e->by);
		t = &a->tasks[i];
		t->pend_sig = e->sig;
		t->pend_by = e->by;
		t->pend_code = e->code;
		t->pend_ns = e->ns;
		t->pend_sender_named = s >= 0 && a->tasks[s].self_comm_at;
		snprintf(t->pend_comm, sizeof(t->pend_comm), "%s", s >= 0 ? a->tasks[s].comm : "");
		break;
	case OT_DELIVER:
		if ((i = task_of(a, e->by)) < 0)
			break;
		if (e->handler == 0 && fatal_by_default(e->sig))
			a->tasks[i].dying_sig = e->sig;
		else if (a->tasks[i].pend_sig == e->sig) /* handled or ignored: it lives on */
			a->tasks[i].pend_sig = 0;
		break;
	case OT_MARK:
		if ((i = task_of(a, e->pid)) < 0)
			break;
		self_comm(&a->tasks[i], e->comm);
		a->tasks[i].marked = 1;
		a->tasks[i].marked_ns = e->ns;
		a->tasks[i].mark_order = a->nmarks;
		ALLOC_GROW(a->marks, a->nmarks + 1, a->marks_alloc);
		a->marks[a->nmarks++] = i;
		break;
	case OT_ADJ:
		if ((i = task_of(a, e->pid)) >= 0)
			self_comm(&a->tasks[i], e->comm);
		break;
	}
}

/* What ended task i, now that the whole trace has been read. */
static void settle(struct attribution *a, int i)
{
	struct attrib_task *t = &a->tasks[i];

	if (!t->died_ns && !t->marked) {
		t->by = BY_ALIVE;
	} else if (t->marked) {
		t->by = BY_KERNEL_OOM;
		t->sig = 9;
	} else if (t->dying_sig || t->pend_sig == 9) {
		t->sig = t->pend_sig ? t->pend_sig : t->dying_sig;
		t->by = t->pend_sig && !sent_by_user(t->pend_code) ? BY_KERNEL_SIGNAL : BY_SIGNAL;
		if (t->pend_sig) {
			int s;

			t->sender = t->pend_by;
			t->sig_ns = t->pend_ns;
			snprintf(t->sender_comm, sizeof(t->sender_comm), "%s", t->pend_comm);
			/* a sender known only by the name it was forked with: take its own */
			for (s = 0; !t->pend_sender_named && s < a->ntasks; s++)
				if (a->tasks[s].pid == t->pend_by && a->tasks[s].self_comm_at &&
				    a->tasks[s].born_ns <= t->died_ns)
					snprintf(t->sender_comm, sizeof(t->sender_comm), "%s",
						 a->tasks[s].first_self_comm);
		}
	} else {
		t->by = BY_EXIT;
	}
}

/* Each workload's own process: the agent's child with its pid, forked before its start record. */
static void claim_workloads(struct attribution *a, const struct observation *obs)
{
	int w, i;

	for (w = 0; w < obs->nwl; w++) {
		const struct obs_workload *wl = &obs->wl[w];
		unsigned long long before = (unsigned long long)(wl->start_ms + 1) * 1000000ULL;
		int found = -1;

		if (!wl->started || wl->pid <= 0)
			continue;
		for (i = 0; i < a->ntasks; i++) {
			const struct attrib_task *t = &a->tasks[i];

			if (t->pid == wl->pid && t->parent >= 0 &&
			    a->tasks[t->parent].pid == AGENT_PID && t->born_ns <= before)
				found = i;
		}
		if (found >= 0) {
			a->tasks[found].wl = w;
			a->tasks[found].own = 1;
		}
	}
	/* parents come before their children: one pass hands each task its workload */
	for (i = 0; i < a->ntasks; i++)
		if (!a->tasks[i].own && a->tasks[i].parent >= 0)
			a->tasks[i].wl = a->tasks[a->tasks[i].parent].wl;
}

void attrib_build(const struct observation *obs, struct attribution *a)
{
	const struct obs_trace **ev;
	int i, maxpid = AGENT_PID;

	memset(a, 0, sizeof(*a));
	if (!obs->trace_set || obs->trace_err) {
		a->source = obs->lineage_err || obs->ndesc || obs->trace_set ? ATTRIB_LINEAGE :
			    ATTRIB_NONE;
		if (obs->trace_set)
			snprintf(a->why, sizeof(a->why), "no trace events (%s: errno %d)%s",
				 obs->trace_what, obs->trace_err,
				 obs->lineage_err ? "; no proc connector either" :
				 "; forks followed with the proc connector");
		else
			snprintf(a->why, sizeof(a->why), "the agent recorded no trace set-up");
		return;
	}
	a->source = ATTRIB_TRACE;
	for (i = 0; i < obs->ntrace; i++) {
		const struct obs_trace *e = &obs->trace[i];
		int hi = e->pid > e->child ? e->pid : e->child;

		if (e->by > hi)
			hi = e->by;
		if (hi > maxpid && hi < (1 << 22)) /* PID_MAX_LIMIT */
			maxpid = hi;
	}
	a->npids = maxpid + 1;
	a->pid_task = xmalloc((size_t)a->npids * sizeof(*a->pid_task));
	for (i = 0; i < a->npids; i++)
		a->pid_task[i] = -1;
	ev = xmalloc((size_t)(obs->ntrace ? obs->ntrace : 1) * sizeof(*ev));
	for (i = 0; i < obs->ntrace; i++)
		ev[i] = &obs->trace[i];
	qsort(ev, (size_t)obs->ntrace, sizeof(*ev), by_time);
	for (i = 0; i < obs->ntrace; i++)
		on_event(a, ev[i]);
	free(ev);
	/*
	 * The evictor took its name at exec, which no event of the trace carries (the events
	 * before it, its fork and its oom_score_adj write, name it as the agent): every signal
	 * it sent came after, so it sent them under the name the agent read once it was ready.
	 */
	for (i = 0; obs->ev.started && obs->ev.comm[0] && i < a->ntasks; i++) {
		if (a->tasks[i].pend_sig && a->tasks[i].pend_by == obs->ev.pid) {
			snprintf(a->tasks[i].pend_comm, sizeof(a->tasks[i].pend_comm), "%s",
				 obs->ev.comm);
			a->tasks[i].pend_sender_named = 1;
		}
	}
	for (i = 0; i < a->ntasks; i++)
		settle(a, i);
	claim_workloads(a, obs);
}

const struct attrib_task *attrib_victim(const struct attribution *a, int pid, int nth)
{
	int i, seen = 0, last = -1;

	for (i = 0; i < a->nmarks; i++) {
		if (a->tasks[a->marks[i]].pid != pid)
			continue;
		if (seen++ == nth)
			return &a->tasks[a->marks[i]];
		last = a->marks[i];
	}
	if (last >= 0)
		return &a->tasks[last];
	if (pid > 0 && pid < a->npids && a->pid_task[pid] >= 0)
		return &a->tasks[a->pid_task[pid]];
	return NULL;
}

const struct attrib_task *attrib_own(const struct attribution *a, int wl)
{
	int i;

	for (i = 0; i < a->ntasks; i++)
		if (a->tasks[i].own && a->tasks[i].wl == wl)
			return &a->tasks[i];
	return NULL;
}

void attrib_release(struct attribution *a)
{
	free(a->tasks);
	free(a->marks);
	free(a->pid_task);
	memset(a, 0, sizeof(*a));
}
