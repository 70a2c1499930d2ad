// SPDX-License-Identifier: GPL-2.0-only
/* untestable.c - whether a cell can be judged at all: if not, BROK or CONF, with the cause. */
#include "oracles/oracle.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * Each step below returns 1 with the verdict set when the cell cannot be judged for its
 * reason, else 0. They run in the order a cell does, so a reason names the first thing that
 * went wrong: how the VM ended, the agent, the sysctls, the disks, the cgroup hierarchy, the
 * workloads, the completeness of what was observed, and how the cell ended.
 */

static int ending_untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	if (ctx->ending == VM_TIMEOUT) {
		verdict_set(r, VERDICT_BROK, xstrdup(
			ctx->obs->hello ? "timeout: the guest neither powered off nor panicked "
					  "before the host's deadline" :
			ctx->restored ? "timeout while restoring: the restored guest never "
					"started its cell" :
					"timeout while booting: the guest kernel never started "
					"the agent"));
		return 1;
	}
	if (ctx->ending == VM_QEMU_ERROR) {
		verdict_set(r, VERDICT_BROK,
			    xstrdup("qemu failed to start, failed, or was killed"));
		return 1;
	}
	if (ctx->ending == VM_PANIC && panic_kind(ctx->log->panic) == SC_PANIC_NONE) {
		verdict_set(r, VERDICT_BROK, xasprintf("kernel panic not caused by an OOM rule: %s",
						       ctx->log->panic));
		return 1;
	}
	return 0;
}

static int agent_untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;

	if (!obs->hello) {
		verdict_set(r, VERDICT_BROK, xstrdup(ctx->restored ?
			"the guest agent never reported (no hello record): the restored guest "
			"did not start its cell" :
			"the guest agent never reported (no hello record): the guest did not "
			"reach /init"));
		return 1;
	}
	if (!obs->adj_held) {
		verdict_set(r, VERDICT_BROK, xstrdup("the agent's own oom_score_adj=-1000 did not "
						     "hold: the tester itself could be killed"));
		return 1;
	}
	if (obs->error[0]) {
		verdict_set(r, VERDICT_BROK, xasprintf("the agent reported an error: %s",
						       obs->error));
		return 1;
	}
	return 0;
}

/* A sysctl the kernel refused, or took and reads back otherwise: CONF, the kernel lacks it. */
static int sysctls_untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	int i;

	for (i = 0; i < obs->nsysctls; i++) {
		const struct obs_sysctl *s = &obs->sysctls[i];

		if (s->err) {
			verdict_set(r, VERDICT_CONF, xasprintf("kernel refused %s=%s: %s", s->key,
							       s->want, strerror(s->err)));
			return 1;
		}
		if (strcmp(s->want, s->got)) {
			verdict_set(r, VERDICT_CONF, xasprintf("kernel took %s=%s but reads back "
							       "'%s'", s->key, s->want, s->got));
			return 1;
		}
	}
	return 0;
}

/*
 * A cell with swap or a scratch disk the guest could not set up cannot test what it was
 * for: CONF, with why.
 */
static int disks_untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;

	if (ctx->cell->sc->disk_bytes && (!obs->disk || obs->disk_err)) {
		if (obs->disk)
			verdict_set(r, VERDICT_CONF, xasprintf("no scratch disk: %s failed: %s",
							       obs->disk_what,
							       strerror(obs->disk_err)));
		else
			verdict_set(r, VERDICT_BROK, xstrdup("the agent reported no scratch disk "
							     "set-up"));
		return 1;
	}
	if (!ctx->cell->sc->swap_bytes)
		return 0;
	if (obs->swap && !obs->swap_err)
		return 0;
	if (obs->module_failed[0])
		verdict_set(r, VERDICT_CONF, xasprintf("no swap: module '%s' did not load: %s",
						       obs->module_failed,
						       strerror(obs->module_err)));
	else if (obs->swap)
		verdict_set(r, VERDICT_CONF, xasprintf("no swap: %s failed: %s", obs->swap_what,
						       strerror(obs->swap_err)));
	else
		verdict_set(r, VERDICT_BROK, xstrdup("the agent reported no swap set-up"));
	return 1;
}

/* The last word of a read-back: memory.oom_control reads "oom_kill_disable 1". */
static const char *last_word(const char *s)
{
	const char *sp = strrchr(s, ' ');

	return sp ? sp + 1 : s;
}

/*
 * A cell whose hierarchy, groups or knobs the kernel refused cannot test what it was for:
 * CONF, with the kernel's errno as the evidence (Debian's 6.12 has no v1 memory controller:
 * the mount fails with EINVAL; 6.1 refuses memory.use_hierarchy=0 with EINVAL), unless the
 * cell's rule expects a refusal: the set-up stops there, and the refused oracle judges it.
 */
static enum oracle_testable cgroup_untestable(const struct oracle_ctx *ctx,
					      struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	int i;

	if (!ctx->cell->sc->cgroup)
		return ORACLE_TESTABLE;
	if (!obs->cgroup) {
		verdict_set(r, VERDICT_BROK, xstrdup("the agent reported no cgroup set-up"));
		return ORACLE_UNTESTABLE;
	}
	if (ctx->cell->rule->refused_key)
		return ORACLE_REFUSAL;
	if (obs->cgroup_err) {
		verdict_set(r, VERDICT_CONF, xasprintf("kernel refused cgroup v%d: %s: %s",
						       obs->cgroup, obs->cgroup_what,
						       strerror(obs->cgroup_err)));
		return ORACLE_UNTESTABLE;
	}
	if (obs->ev.managed_failed[0]) {
		verdict_set(r, VERDICT_CONF, xasprintf("kernel refused systemd-oomd's unit for "
						       "group '%s' (its ManagedOOMPreference "
						       "xattr): %s", obs->ev.managed_failed,
						       strerror(obs->ev.managed_err)));
		return ORACLE_UNTESTABLE;
	}
	if (obs->group_failed[0]) {
		verdict_set(r, VERDICT_CONF, xasprintf("kernel refused to create group '%s': %s",
						       obs->group_failed,
						       strerror(obs->group_err)));
		return ORACLE_UNTESTABLE;
	}
	for (i = 0; i < obs->nknobs; i++) {
		const struct obs_knob *k = &obs->knobs[i];

		if (k->err) {
			verdict_set(r, VERDICT_CONF, xasprintf("kernel refused %s/%s=%s: %s",
							       k->group, k->key, k->want,
							       strerror(k->err)));
			return ORACLE_UNTESTABLE;
		}
		/* v1 reads "max" back as the largest page multiple; sizes as written */
		if (strcmp(k->want, "-1") && strcmp(last_word(k->got), k->want)) {
			verdict_set(r, VERDICT_CONF, xasprintf("kernel took %s/%s=%s but reads "
							       "back '%s'", k->group, k->key,
							       k->want, k->got));
			return ORACLE_UNTESTABLE;
		}
	}
	return ORACLE_TESTABLE;
}

/* A workload that could not start, never started, crashed, or exited broken: BROK. */
static int workloads_untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	char *why;
	int i;

	for (i = 0; i < obs->nwl; i++) {
		const struct obs_workload *w = &obs->wl[i];

		if (w->setup_failed) {
			verdict_set(r, VERDICT_BROK, xasprintf("workload '%s' could not start: %s",
							       w->name, w->setup_detail));
			return 1;
		}
		/* a workload waiting for a phase is lost when a panic ends the guest first */
		if (w->never && ctx->ending != VM_PANIC) {
			verdict_set(r, VERDICT_BROK, xasprintf("workload '%s' never started: %s",
							       w->name, w->never_reason));
			return 1;
		}
		if (w->ended && w->signaled && w->sig != SIGKILL &&
		    !oracle_evicted_own(ctx, w)) {
			verdict_set(r, VERDICT_BROK, xasprintf("workload '%s' crashed with signal "
							       "%d in phase '%s'", w->name,
							       w->sig, w->phase));
			return 1;
		}
		if ((why = oracle_exit_unexplained(ctx, w))) {
			verdict_set(r, VERDICT_BROK, why);
			return 1;
		}
	}
	return 0;
}

/* What was observed has holes: lost records, kernel messages or trace events. BROK. */
static int observation_untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;

	/*
	 * Records are written whole, one write(2) each, over a channel of their own: a gap in
	 * their sequence, or a garbled record in a guest that powered off normally, means the
	 * observation is incomplete. Kernel messages overwritten before the agent read them may
	 * have held a kill line.
	 */
	if (obs->seq_gaps || obs->kmsg_lost ||
	    (obs->bad_records && ctx->ending == VM_POWEROFF && obs->done)) {
		verdict_set(r, VERDICT_BROK,
			    xasprintf("the observation is incomplete: %d gap(s) in the agent's "
				      "records, %d garbled record(s), %d loss(es) of kernel "
				      "messages",
				      obs->seq_gaps, obs->bad_records, obs->kmsg_lost));
		return 1;
	}
	/*
	 * The trace's buffers are allocated up front and refuse rather than overwrite: a loss is
	 * counted by the kernel, and a verdict resting on a trace with holes would be a guess.
	 */
	if (obs->trace_lost) {
		verdict_set(r, VERDICT_BROK,
			    xasprintf("the observation is incomplete: the kernel's trace lost %ld "
				      "event(s) (its buffer of %ld KiB per CPU was full)",
				      obs->trace_lost, obs->trace_buffer_kb));
		return 1;
	}
	if (obs->done && obs->trace_set && !obs->trace_err && !obs->trace_ended) {
		verdict_set(r, VERDICT_BROK, xstrdup("the observation is incomplete: the agent's "
						     "trace has no end record"));
		return 1;
	}
	/* the end record counts what the agent read: each event must have reached the host */
	if (obs->trace_ended && obs->ntrace != obs->trace_events) {
		verdict_set(r, VERDICT_BROK,
			    xasprintf("the observation is incomplete: the agent read %ld trace "
				      "event(s), %d reached the host", obs->trace_events,
				      obs->ntrace));
		return 1;
	}
	if (ctx->unattributed) {
		verdict_set(r, VERDICT_BROK, ctx->attrib.source == ATTRIB_TRACE ?
			    xasprintf("%d kill(s) name a pid the kernel's trace never showed",
				      ctx->unattributed) :
			    xasprintf("%d kill(s) name a pid no workload record names, and the "
				      "agent %s: whose it was cannot be told", ctx->unattributed,
				      obs->lineage_err ? "had neither trace events nor a proc "
				      "connector" : "lost fork events from its proc connector"));
		return 1;
	}
	return 0;
}

/* A guest that powered off without the agent's done, or a cell that ran out of time. BROK. */
static int end_untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	const struct scenario *sc = ctx->cell->sc;
	struct strbuf sb = STRBUF_INIT;
	int i, n;

	if (ctx->ending == VM_POWEROFF && !obs->done) {
		verdict_set(r, VERDICT_BROK, xstrdup("the guest powered off without the agent's "
						     "done record"));
		return 1;
	}
	if (!obs->done || strcmp(obs->done_reason, "deadline") || sc->stop == SC_STOP_DEADLINE)
		return 0;
	if (sc->stop == SC_STOP_EXITED)
		strbuf_addf(&sb, "the cell did not end within its %d ms deadline: stop: exited "
			    "waits for every workload to exit, and", sc->deadline_ms);
	else
		strbuf_addf(&sb, "the cell did not settle within its %d ms deadline:",
			    sc->deadline_ms);
	for (i = 0, n = 0; i < obs->nwl; i++) {
		if (obs->wl[i].ended)
			continue;
		if (sc->stop == SC_STOP_EXITED)
			strbuf_addf(&sb, "%s %s%s in phase '%s'", n ? "," : "", obs->wl[i].name,
				    n ? "" : " is still", obs->wl[i].phase);
		else
			strbuf_addf(&sb, " %s in phase '%s'", obs->wl[i].name, obs->wl[i].phase);
		n++;
	}
	verdict_set(r, VERDICT_BROK, strbuf_detach(&sb));
	return 1;
}

enum oracle_testable oracle_untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	enum oracle_testable cg;

	if (ending_untestable(ctx, r) || agent_untestable(ctx, r) ||
	    sysctls_untestable(ctx, r) || disks_untestable(ctx, r))
		return ORACLE_UNTESTABLE;
	cg = cgroup_untestable(ctx, r);
	if (cg != ORACLE_TESTABLE)
		return cg;
	if (workloads_untestable(ctx, r) || observation_untestable(ctx, r) ||
	    end_untestable(ctx, r))
		return ORACLE_UNTESTABLE;
	return ORACLE_TESTABLE;
}
