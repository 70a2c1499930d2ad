/* SPDX-License-Identifier: GPL-2.0-only */
/* oracle.h - what a cell's outcome must be, checked against what the kernel and the agent saw. */
#ifndef OOMLAB_ORACLE_H
#define OOMLAB_ORACLE_H

#include "cells/matrix.h"
#include "launch/vm.h"
#include "observe/attrib.h"
#include "observe/oomreport.h"
#include "observe/records.h"
#include "oracles/badness.h"

/*
 * A verdict is reached in two steps. First, could the cell be tested at all: the guest must
 * have booted, the agent must have protected itself, every sysctl must have been taken
 * (otherwise CONF: the kernel lacks the knob), every workload must have started, and the
 * cell must have ended by power-off or by a panic (otherwise BROK); see untestable.c. Then
 * each oracle of the table in judge.c adds a finding for what it sees violated; any finding
 * is a FAIL. An oracle is a small pure function over the observations (struct oracle_ctx),
 * and the check its findings carry in run.json is its name in the table.
 */

enum verdict {
	VERDICT_PASS = 0,
	VERDICT_FAIL,
	VERDICT_BROK, /* could not test: something that should work broke */
	VERDICT_CONF, /* the kernel lacks what the cell needs: a skip, with the reason */
};

#define FINDING_MAX_LINES 8

/* One failed check: what was expected, what was seen, and the kernel log lines that show it. */
struct finding {
	char check[32]; /* the oracle's name: "expect", "panic_on_oom", "collateral", ... */
	char *expected;
	char *seen;
	int lines[FINDING_MAX_LINES]; /* 1-based lines of the cell's kernel log */
	int nlines;
	int evlines[FINDING_MAX_LINES]; /* 1-based lines of the evictor's log (evictor.log) */
	int nevlines;
};

/*
 * A process the kernel killed, tied to the workload it was (or to none: collateral), and the
 * badness oracle's judgement of that choice.
 */
struct judged_kill {
	const struct oom_kill *k;
	const struct obs_workload *w; /* the workload killed, or whose child was; NULL: neither */
	int descendant;               /* the victim was a process w forked, not w itself */
	const struct attrib_task *task; /* the victim in the trace; NULL without one, or when the
					 * trace never saw a task with its pid */
	int judged;                   /* badness holds a judgement */
	struct badness badness;
};

/*
 * A process the scenario's evictor killed: a task of the trace that died of a signal the
 * evictor (its process or one of its threads) sent, with the evictor's own line for it.
 */
struct eviction {
	const struct attrib_task *task;
	const struct obs_workload *w; /* the workload it was or descends from; NULL: none */
	int descendant;
	int sig;
	unsigned long long ns;        /* when the evictor sent it (CLOCK_MONOTONIC) */
	int logline;                  /* index in obs->ev.log of the evictor's line naming it; -1 */
	int sample;                   /* the last sample at or before it; -1 */
	/* the evictor's oracle's judgement of the choice (evict_earlyoom.c, ...) */
	enum evict_verdict { EVICT_UNJUDGED, EVICT_CONSISTENT, EVICT_AMBIGUOUS,
			     EVICT_WRONG } verdict;
	char judgement[512];          /* why: the expected victim, the margin, or why unjudged */
	char cause[96];               /* what the evictor acted on ("memory.available 97Mi <
				       * 100Mi"), for the cell line; "" when not known */
	/*
	 * When the evictor's condition to act began to hold, bracketed by the samples: the last
	 * one before the eviction where it did not, and the first where it did (maybe after the
	 * eviction, the condition having come between two samples); -1 when unknown.
	 */
	long long cond_off_ms, cond_on_ms;
};

/* What the oracles judge: the cell and everything seen of it, and nothing else. */
struct oracle_ctx {
	const struct cell *cell;
	const struct observation *obs;
	const struct oom_log *log;
	enum vm_ending ending;
	int restored; /* the guest was restored from its shape's saved state, not booted */
	struct judged_kill *kills;
	int nkills;
	struct attribution attrib; /* whose each task was and what ended it (attrib.h) */
	int unattributed;          /* kills the trace cannot place: no task had their pid */
	struct eviction *evictions; /* the evictor's kills, in time order (evictions.c) */
	int nevictions;
};

struct verdict_report {
	enum verdict verdict;
	char *reason; /* one line */
	struct finding *findings;
	int nfindings;
	const char *check; /* the oracle running: the check of the findings it adds */
};

/* An oracle: adds a finding for each violation it sees, and nothing otherwise. */
struct oracle {
	const char *name;    /* the check its findings carry in run.json and on the terminal */
	void (*check)(const struct oracle_ctx *ctx, struct verdict_report *r);
	const char *purpose; /* one line, for readers of the table */
};

/* context.c: the observations the oracles share */

/* Fills ctx from its inputs (kills matched to workloads by pid). Release with oracle_ctx_release. */
void oracle_ctx_init(struct oracle_ctx *ctx, const struct cell *cell,
		     const struct observation *obs, const struct oom_log *log, enum vm_ending ending);
void oracle_ctx_release(struct oracle_ctx *ctx);

/*
 * The victim as findings name it: "'hog' (pid 85)", or for a process a workload forked
 * "'stress-ng-vm' (pid 88, a child of 'sng')". Caller frees.
 */
char *oracle_victim(const struct judged_kill *jk);

/*
 * Why a killed process reads as no workload's, for a collateral finding: the tasks that
 * created it, from the trace, or what the agent could not follow. Caller frees.
 */
char *oracle_lineage(const struct oracle_ctx *ctx, const struct judged_kill *jk);

/*
 * What happened in the cell, in one line: the panic, the kills (each with the badness
 * oracle's judgement), the refusals; "nothing killed" when none. The caller frees it.
 */
char *oracle_outcome(const struct oracle_ctx *ctx);

/* The scenario group of a workload (sc's index), or -1 for the root or no workload. */
int oracle_wl_group(const struct scenario *sc, const struct obs_workload *w);
/* True when an OOM event was a memory cgroup OOM rather than a global one. */
int oom_event_is_memcg(const struct oom_event *e);
/* The panic_on_oom kind of a panic message, or SC_PANIC_NONE when it is another panic. */
enum sc_panic panic_kind(const char *msg);

/* evictions.c: the evictor's kills */

/* Fills ctx->evictions from the trace and the evictor's log (oracle_ctx_init calls it). */
void evictions_init(struct oracle_ctx *ctx);
/* The task's pid belongs to the evictor: its process or a thread of it. */
int eviction_sender_is_evictor(const struct oracle_ctx *ctx, int pid);
/* "'leak' (pid 90)" or "'stress-ng-vm' (pid 91, a child of 'sng')". Caller frees. */
char *eviction_victim(const struct eviction *ev);
/* "SIGTERM at MemAvailable 9.7%": what the evictor decides by, in the last sample before. */
char *eviction_when(const struct oracle_ctx *ctx, const struct eviction *ev);
/*
 * A finding, saying expected, for each eviction of program's that its oracle judged wrong
 * (the evictor's choice oracles: oomd, systemd-oomd).
 */
void oracle_evict_choice(const struct oracle_ctx *ctx, struct verdict_report *r,
			 const char *program, const char *expected);
/* The evictor killed w's own process (with the signal the agent saw it die of). */
int oracle_evicted_own(const struct oracle_ctx *ctx, const struct obs_workload *w);
/* The signal's name: "SIGTERM", "SIGKILL", else "signal N"; valid until the next call. */
const char *signal_name(int sig);
const char *evict_verdict_name(enum evict_verdict v);
/* The last sample at least ms before sample s (the first sample when none is). */
int eviction_sample_before(const struct observation *obs, int s, long ms);
/*
 * The verdict on a kill of victim by an evictor whose model ranked now first at the last
 * sample before the kill and before first a pass earlier (either NULL: none qualified):
 * consistent when both are the victim and now was no tie, ambiguous when one is or now was
 * a tie, wrong otherwise.
 */
enum evict_verdict eviction_verdict(const char *victim, const char *now, const char *before,
				    int tie);

/*
 * Brackets when held(sample) began to hold before ev (its cond_off_ms and cond_on_ms), from
 * the last sample before ev back to the first that does not hold.
 */
void eviction_condition(const struct oracle_ctx *ctx, struct eviction *ev,
			int (*held)(const struct oracle_ctx *ctx, const struct obs_sample *s,
				    const void *arg), const void *arg);

/* evict_earlyoom.c: earlyoom 1.7's choice and trigger, judged from the samples */
void earlyoom_judge(const struct oracle_ctx *ctx, struct eviction *ev);
void oracle_earlyoom(const struct oracle_ctx *ctx, struct verdict_report *r);

/* oracle_oomd.c: oomd 0.5.0's choice, its ruleset's kill action ranked on the samples */
void oomd_judge(const struct oracle_ctx *ctx, struct eviction *ev);
void oracle_oomd(const struct oracle_ctx *ctx, struct verdict_report *r);

/* oracle_sdoomd.c: systemd-oomd 252's choice, its rule's order on the samples */
void sdoomd_judge(const struct oracle_ctx *ctx, struct eviction *ev);
void oracle_sdoomd(const struct oracle_ctx *ctx, struct verdict_report *r);

/* evict_kubelet.c, oracle_kubelet.c: a node's evictions, by kubelet's model, judged */
void kubelet_judge(const struct oracle_ctx *ctx, struct eviction *ev);
void oracle_kubelet(const struct oracle_ctx *ctx, struct verdict_report *r);
/* The pod (index in scenario.pods) workload w is a container of, or -1. */
int oracle_pod_of(const struct scenario *sc, const struct obs_workload *w);

/* verdict.c: the report */

const char *verdict_name(enum verdict v);
/* Sets the verdict and its one-line reason (taking it). */
void verdict_set(struct verdict_report *r, enum verdict v, char *reason);
void verdict_report_release(struct verdict_report *r);
/*
 * Adds a finding of the running oracle (r->check), taking expected and seen (allocated
 * text). Returns it, for evidence lines.
 */
struct finding *finding_add(struct verdict_report *r, char *expected, char *seen);
void finding_line(struct finding *f, int line);
/* Adds the evictor's log line at index i (obs->ev.log) as evidence. */
void finding_evline(struct finding *f, int i);

/* judge.c: the verdict */

/* Judges one cell. Pure. Release the report with verdict_report_release(). */
void oracle_judge(const struct oracle_ctx *ctx, struct verdict_report *out);

/* untestable.c: whether the cell can be judged at all */
enum oracle_testable {
	ORACLE_TESTABLE,   /* every oracle judges it */
	ORACLE_UNTESTABLE, /* BROK or CONF: the verdict and its reason are set */
	ORACLE_REFUSAL,    /* the set-up stopped at the refusal its rule expects: the refused
			    * oracle alone judges it (and sets the verdict) */
};
/* Checked in the order a cell runs, so that a reason names the first thing that went wrong. */
enum oracle_testable oracle_untestable(const struct oracle_ctx *ctx, struct verdict_report *r);

/* The oracles, each named in judge.c's table; oracle_*.c. */
void oracle_refused(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_panic_on_oom(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_allocating(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_overcommit(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_adj_min(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_crosscheck(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_badness(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_memcg_subtree(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_oom_group(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_change(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_oom_kill_disable(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_collateral(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_evicted(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_evictor(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_expect(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_reports(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_counters(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_enomem(const struct oracle_ctx *ctx, struct verdict_report *r);

/*
 * oracle_exit.c: whether workload w's exit leaves the cell judgeable (the table there holds
 * what each status means, per program): NULL when w did not exit, exited 0, or exited with a
 * status that follows from the kernel's kills of its own processes and one was killed (those
 * kills are then judged like any other). Otherwise the reason the cell cannot be judged,
 * naming the status's meaning; the caller frees it.
 */
char *oracle_exit_unexplained(const struct oracle_ctx *ctx, const struct obs_workload *w);
/* Appends "; sng exited 2 (EXIT_NOT_SUCCESS, after ...)" per exit that kills explained. */
void oracle_exit_outcome(const struct oracle_ctx *ctx, struct strbuf *sb);

#endif
