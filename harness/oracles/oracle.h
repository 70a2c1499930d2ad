/* oracle.h - what a cell's outcome must be, checked against what the kernel and the agent saw. */
#ifndef OOMLAB_ORACLE_H
#define OOMLAB_ORACLE_H

#include "observe/attrib.h"
#include "oracles/badness.h"
#include "cells/matrix.h"
#include "observe/oomreport.h"
#include "observe/records.h"
#include "launch/vm.h"

/*
 * A verdict is reached in two steps. First, could the cell be tested at all: the guest must
 * have booted, the agent must have protected itself, every sysctl must have been taken
 * (otherwise CONF: the kernel lacks the knob), every workload must have started, and the
 * cell must have ended by power-off or by a panic (otherwise BROK). Then the policy oracles
 * and the scenario's expectation each add a finding for what they see violated; any finding
 * is a FAIL. Each oracle is a small pure function in a file of its own (oracle_*.c).
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
	char check[32]; /* "expect", "panic_on_oom", "allocating", "adj-min", "collateral", ... */
	char *expected;
	char *seen;
	int lines[FINDING_MAX_LINES]; /* 1-based lines of the cell's kernel log */
	int nlines;
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

struct oracle_ctx {
	const struct cell *cell;
	const struct observation *obs;
	const struct oom_log *log;
	enum vm_ending ending;
	/* the sysctls in force: the cell's values, else the kernel's defaults */
	long long panic_on_oom;
	long long oom_kill_allocating_task;
	long long overcommit_memory;
	struct judged_kill *kills;
	int nkills;
	struct attribution attrib; /* whose each task was and what ended it (attrib.h) */
	int unattributed;          /* kills the trace cannot place: no task had their pid */
};

struct verdict_report {
	enum verdict verdict;
	char *reason; /* one line */
	struct finding *findings;
	int nfindings;
};

/*
 * The victim as findings name it: "'hog' (pid 85)", or for a process a workload forked
 * "'stress-ng-vm' (pid 88, a child of 'sng')". Caller frees.
 */
char *oracle_victim(const struct judged_kill *j);

/*
 * Why a killed process reads as no workload's, for a collateral finding: the tasks that
 * created it, from the trace, or what the agent could not follow. Caller frees.
 */
char *oracle_lineage(const struct oracle_ctx *ctx, const struct judged_kill *j);

/* Fills ctx from its inputs (kills matched to workloads by pid). Release with oracle_ctx_release. */
void oracle_ctx_init(struct oracle_ctx *ctx, const struct cell *cell,
		     const struct observation *obs, const struct oom_log *log, enum vm_ending ending);
void oracle_ctx_release(struct oracle_ctx *ctx);

/* Judges one cell. Pure. Release the report with verdict_report_release(). */
void oracle_judge(const struct oracle_ctx *ctx, struct verdict_report *out);
void verdict_report_release(struct verdict_report *r);
const char *verdict_name(enum verdict v);

/* Adds a finding; expected and seen are printf formats' results. Returns it for evidence lines. */
struct finding *finding_add(struct verdict_report *r, const char *check, char *expected,
			    char *seen);
void finding_line(struct finding *f, int line);

/* The oracles. Each adds findings for what it sees violated and nothing otherwise. */
void oracle_panic(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_allocating(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_overcommit(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_adj_min(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_crosscheck(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_badness(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_cgroup(const struct oracle_ctx *ctx, struct verdict_report *r);
void oracle_expect(const struct oracle_ctx *ctx, struct verdict_report *r);

/*
 * What happened in the cell, in one line: the panic, the kills (each with the badness
 * oracle's judgement), the refusals; "nothing killed" when none. The caller frees it.
 */
char *oracle_outcome(const struct oracle_ctx *ctx);

/*
 * Whether workload w's exit leaves the cell judgeable (oracle_exit.c holds what each status
 * means, per program): NULL when w did not exit, exited 0, or exited with a status that
 * follows from the kernel's kills of its own processes and one was killed (those kills are
 * then judged like any other). Otherwise the reason the cell cannot be judged, naming the
 * status's meaning; the caller frees it.
 */
char *oracle_exit_unexplained(const struct oracle_ctx *ctx, const struct obs_workload *w);
struct strbuf;
/* Appends "; sng exited 2 (EXIT_NOT_SUCCESS, after ...)" per exit that kills explained. */
void oracle_exit_outcome(const struct oracle_ctx *ctx, struct strbuf *sb);

/* True when an OOM event was a memory cgroup OOM rather than a global one. */
int oom_event_is_memcg(const struct oom_event *e);
/* The panic_on_oom kind of a panic message, or SC_PANIC_NONE when it is another panic. */
enum sc_panic panic_kind(const char *msg);

#endif
