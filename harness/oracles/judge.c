/* judge.c - a cell's verdict: can it be judged, then what every oracle finds. */
#include "oracles/oracle.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *verdict_name(enum verdict v)
{
	static const char *const names[] = { "PASS", "FAIL", "BROK", "CONF" };

	return names[v];
}

struct finding *finding_add(struct verdict_report *r, const char *check, char *expected,
			    char *seen)
{
	struct finding *f;

	r->findings = xrealloc(r->findings, (size_t)(r->nfindings + 1) * sizeof(*f));
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	snprintf(f->check, sizeof(f->check), "%s", check);
	f->expected = expected;
	f->seen = seen;
	return f;
}

void finding_line(struct finding *f, int line)
{
	int i;

	if (line <= 0 || f->nlines == FINDING_MAX_LINES)
		return;
	for (i = 0; i < f->nlines; i++)
		if (f->lines[i] == line)
			return;
	f->lines[f->nlines++] = line;
}

void verdict_report_release(struct verdict_report *r)
{
	int i;

	for (i = 0; i < r->nfindings; i++) {
		free(r->findings[i].expected);
		free(r->findings[i].seen);
	}
	free(r->findings);
	free(r->reason);
	memset(r, 0, sizeof(*r));
}

int oom_event_is_memcg(const struct oom_event *e)
{
	int i;

	if (e->oom_memcg[0] || e->has_memcg_usage)
		return 1;
	for (i = 0; i < e->nkills; i++)
		if (e->kills[i].kind == OOM_KIND_MEMCG)
			return 1;
	return 0;
}

enum sc_panic panic_kind(const char *msg)
{
	if (strstr(msg, "system-wide panic_on_oom"))
		return SC_PANIC_SYSTEM_WIDE;
	if (strstr(msg, "compulsory panic_on_oom"))
		return SC_PANIC_COMPULSORY;
	if (strstr(msg, "System is deadlocked on memory") ||
	    strstr(msg, "Out of memory and no killable processes"))
		return SC_PANIC_DEADLOCKED;
	return SC_PANIC_NONE;
}

static long long sysctl_or(const struct cell *c, const char *key, long long dflt)
{
	long long v;

	return cell_sysctl(c, key, &v) == 0 ? v : dflt;
}

/*
 * Ties a kill line to the workload it killed, or whose process it was: from the whole trace
 * when the agent had one (attrib.h), else from the agent's pids and its proc connector.
 */
static void attribute(struct oracle_ctx *ctx, struct judged_kill *j)
{
	const struct observation *obs = ctx->obs;
	int i, nth = 0;

	if (ctx->attrib.source != ATTRIB_TRACE) {
		j->w = obs_find_pid(obs, j->k->pid);
		if (!j->w && (j->w = obs_find_descendant(obs, j->k->pid)))
			j->descendant = 1;
		/* with fork events lost, or none to be had, a pid no record names is anyone's */
		if (!j->w && (obs->lineage_lost || obs->lineage_err))
			ctx->unattributed++;
		return;
	}
	for (i = 0; i < ctx->nkills - 1; i++)
		nth += ctx->kills[i].k->pid == j->k->pid;
	j->task = attrib_victim(&ctx->attrib, j->k->pid, nth);
	if (!j->task) {
		ctx->unattributed++;
		return;
	}
	if (j->task->wl >= 0) {
		j->w = &obs->wl[j->task->wl];
		j->descendant = !j->task->own;
	}
}

char *oracle_lineage(const struct oracle_ctx *ctx, const struct judged_kill *j)
{
	struct strbuf sb = STRBUF_INIT;
	const struct attrib_task *t;
	int depth = 0;

	if (ctx->attrib.source != ATTRIB_TRACE)
		return xstrdup(" nor a child of one");
	if (!j->task)
		return xstrdup(" (the kernel's trace never showed a task with that pid)");
	strbuf_addstr(&sb, " nor a child of one (");
	for (t = j->task; t->parent >= 0 && depth < 6; depth++) {
		t = &ctx->attrib.tasks[t->parent];
		strbuf_addf(&sb, "%s'%s' (pid %d)", depth ? " <- " : "created by ", t->comm,
			    t->pid);
	}
	if (!depth)
		strbuf_addstr(&sb, "it was there before the cell");
	strbuf_addstr(&sb, ")");
	return strbuf_detach(&sb);
}

void oracle_ctx_init(struct oracle_ctx *ctx, const struct cell *cell,
		     const struct observation *obs, const struct oom_log *log, enum vm_ending ending)
{
	int e, k;

	memset(ctx, 0, sizeof(*ctx));
	ctx->cell = cell;
	ctx->obs = obs;
	ctx->log = log;
	ctx->ending = ending;
	/* the kernel's defaults where the cell leaves a knob alone (Documentation/admin-guide/sysctl/vm.rst) */
	ctx->panic_on_oom = sysctl_or(cell, "vm.panic_on_oom", 0);
	ctx->oom_kill_allocating_task = sysctl_or(cell, "vm.oom_kill_allocating_task", 0);
	ctx->overcommit_memory = sysctl_or(cell, "vm.overcommit_memory", 0);
	attrib_build(obs, &ctx->attrib);
	for (e = 0; e < log->nevents; e++) {
		for (k = 0; k < log->events[e].nkills; k++) {
			struct judged_kill *j;

			ctx->kills = xrealloc(ctx->kills, (size_t)(ctx->nkills + 1) * sizeof(*j));
			j = &ctx->kills[ctx->nkills++];
			memset(j, 0, sizeof(*j));
			j->k = &log->events[e].kills[k];
			attribute(ctx, j);
			j->judged = badness_judge_in_log(log, e, j->k, &j->badness) == 0;
		}
	}
}

char *oracle_victim(const struct judged_kill *j)
{
	if (j->descendant)
		return xasprintf("'%s' (pid %d, a child of '%s')", j->k->comm, j->k->pid,
				 j->w->name);
	return xasprintf("'%s' (pid %d)", j->w ? j->w->name : j->k->comm, j->k->pid);
}

void oracle_ctx_release(struct oracle_ctx *ctx)
{
	int i;

	for (i = 0; i < ctx->nkills; i++)
		badness_release(&ctx->kills[i].badness);
	attrib_release(&ctx->attrib);
	free(ctx->kills);
	ctx->kills = NULL;
	ctx->nkills = 0;
}

static void set_reason(struct verdict_report *r, enum verdict v, char *reason)
{
	r->verdict = v;
	free(r->reason);
	r->reason = reason;
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
			set_reason(r, VERDICT_CONF, xasprintf("no scratch disk: %s failed: %s",
							      obs->disk_what,
							      strerror(obs->disk_err)));
		else
			set_reason(r, VERDICT_BROK, xstrdup("the agent reported no scratch disk "
							    "set-up"));
		return 1;
	}
	if (!ctx->cell->sc->swap_bytes)
		return 0;
	if (obs->swap && !obs->swap_err)
		return 0;
	if (obs->module_failed[0])
		set_reason(r, VERDICT_CONF, xasprintf("no swap: module '%s' did not load: %s",
						      obs->module_failed,
						      strerror(obs->module_err)));
	else if (obs->swap)
		set_reason(r, VERDICT_CONF, xasprintf("no swap: %s failed: %s", obs->swap_what,
						      strerror(obs->swap_err)));
	else
		set_reason(r, VERDICT_BROK, xstrdup("the agent reported no swap set-up"));
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
 * cell's rule expects exactly that refusal.
 */
/*
 * A rule with refused: the cell stops at the kernel's refusal, which must be the one named
 * with the errno named. Returns 1 with the verdict set.
 */
static int expect_refusal(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	const struct sc_rule *rule = ctx->cell->rule;
	const char *want = sc_errno_name(rule->refused_errno);
	char *seen = NULL, *what = NULL;
	int i, err = -1;

	if (!strcmp(rule->refused_key, "cgroup")) {
		err = obs->cgroup_err;
		what = xasprintf("cgroup v%d (%s)", obs->cgroup, obs->cgroup_what);
	}
	for (i = 0; i < obs->nknobs && err < 0; i++) {
		const struct obs_knob *k = &obs->knobs[i];
		char *key = xasprintf("%s/%s", k->group, k->key);

		if (!strcmp(key, rule->refused_key)) {
			err = k->err;
			what = xasprintf("%s=%s", key, k->want);
			if (!err)
				seen = xasprintf("%s taken, reads back '%s'", what, k->got);
		}
		free(key);
	}
	if (err == rule->refused_errno) {
		set_reason(r, VERDICT_PASS, xasprintf("kernel refused %s with %s, as expected", what,
						      want));
		free(what);
		return 1;
	}
	if (!seen)
		seen = err < 0 ? xstrdup("no such step reached (a refusal before it?)") :
		       err ? xasprintf("%s refused with %s", what,
				       sc_errno_name(err) ? sc_errno_name(err) : strerror(err)) :
		       xasprintf("%s taken", what);
	finding_add(r, "refused", xasprintf("the kernel refuses %s with %s", rule->refused_key,
					    want), seen);
	set_reason(r, VERDICT_FAIL, xasprintf("refused: expected %s refused with %s, seen %s",
					      rule->refused_key, want, r->findings[0].seen));
	free(what);
	return 1;
}

static int cgroup_untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	int i;

	if (!ctx->cell->sc->cgroup)
		return 0;
	if (!obs->cgroup) {
		set_reason(r, VERDICT_BROK, xstrdup("the agent reported no cgroup set-up"));
		return 1;
	}
	if (ctx->cell->rule->refused_key)
		return expect_refusal(ctx, r);
	if (obs->cgroup_err) {
		set_reason(r, VERDICT_CONF, xasprintf("kernel refused cgroup v%d: %s: %s",
						      obs->cgroup, obs->cgroup_what,
						      strerror(obs->cgroup_err)));
		return 1;
	}
	if (obs->group_failed[0]) {
		set_reason(r, VERDICT_CONF, xasprintf("kernel refused to create group '%s': %s",
						      obs->group_failed, strerror(obs->group_err)));
		return 1;
	}
	for (i = 0; i < obs->nknobs; i++) {
		const struct obs_knob *k = &obs->knobs[i];

		if (k->err) {
			set_reason(r, VERDICT_CONF, xasprintf("kernel refused %s/%s=%s: %s",
							      k->group, k->key, k->want,
							      strerror(k->err)));
			return 1;
		}
		/* v1 reads "max" back as the largest page multiple; sizes as written */
		if (strcmp(k->want, "-1") && strcmp(last_word(k->got), k->want)) {
			set_reason(r, VERDICT_CONF, xasprintf("kernel took %s/%s=%s but reads back "
							      "'%s'", k->group, k->key, k->want,
							      k->got));
			return 1;
		}
	}
	return 0;
}

/*
 * Can the cell be judged? Returns 1 and sets the verdict (BROK or CONF) when it cannot.
 * Checked in the order a cell runs, so the reason names the first thing that went wrong.
 */
static int untestable(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	char *why;
	int i, n;

	if (ctx->ending == VM_TIMEOUT) {
		set_reason(r, VERDICT_BROK, xstrdup(obs->hello ?
			"timeout: the guest neither powered off nor panicked before the host's "
			"deadline" :
			"timeout while booting: the guest kernel never started the agent"));
		return 1;
	}
	if (ctx->ending == VM_QEMU_ERROR) {
		set_reason(r, VERDICT_BROK, xstrdup("qemu failed to start, failed, or was killed"));
		return 1;
	}
	if (ctx->ending == VM_PANIC && panic_kind(ctx->log->panic) == SC_PANIC_NONE) {
		set_reason(r, VERDICT_BROK, xasprintf("kernel panic not caused by an OOM rule: %s",
						      ctx->log->panic));
		return 1;
	}
	if (!obs->hello) {
		set_reason(r, VERDICT_BROK, xstrdup("the guest agent never reported (no hello "
						    "record): the guest did not reach /init"));
		return 1;
	}
	if (!obs->adj_held) {
		set_reason(r, VERDICT_BROK, xstrdup("the agent's own oom_score_adj=-1000 did not "
						    "hold: the tester itself could be killed"));
		return 1;
	}
	if (obs->error[0]) {
		set_reason(r, VERDICT_BROK, xasprintf("the agent reported an error: %s", obs->error));
		return 1;
	}
	for (i = 0; i < obs->nsysctls; i++) {
		const struct obs_sysctl *s = &obs->sysctls[i];

		if (s->err) {
			set_reason(r, VERDICT_CONF, xasprintf("kernel refused %s=%s: %s", s->key,
							      s->want, strerror(s->err)));
			return 1;
		}
		if (strcmp(s->want, s->got)) {
			set_reason(r, VERDICT_CONF, xasprintf("kernel took %s=%s but reads back '%s'",
							      s->key, s->want, s->got));
			return 1;
		}
	}
	if (disks_untestable(ctx, r) || cgroup_untestable(ctx, r))
		return 1;
	for (i = 0; i < obs->nwl; i++) {
		const struct obs_workload *w = &obs->wl[i];

		if (w->setup_failed) {
			set_reason(r, VERDICT_BROK, xasprintf("workload '%s' could not start: %s",
							      w->name, w->setup_detail));
			return 1;
		}
		/* a workload waiting for a phase is lost when a panic ends the guest first */
		if (w->never && ctx->ending != VM_PANIC) {
			set_reason(r, VERDICT_BROK, xasprintf("workload '%s' never started: %s",
							      w->name, w->never_reason));
			return 1;
		}
		if (w->ended && w->signaled && w->sig != SIGKILL) {
			set_reason(r, VERDICT_BROK, xasprintf("workload '%s' crashed with signal %d "
							      "in phase '%s'", w->name, w->sig,
							      w->phase));
			return 1;
		}
		if ((why = oracle_exit_unexplained(ctx, w))) {
			set_reason(r, VERDICT_BROK, why);
			return 1;
		}
	}
	/*
	 * Records are written whole, one write(2) each, over a channel of their own: a gap in
	 * their sequence, or a garbled record in a guest that powered off normally, means the
	 * observation is incomplete. Kernel messages overwritten before the agent read them may
	 * have held a kill line.
	 */
	if (obs->seq_gaps || obs->kmsg_lost ||
	    (obs->bad_records && ctx->ending == VM_POWEROFF && obs->done)) {
		set_reason(r, VERDICT_BROK,
			   xasprintf("the observation is incomplete: %d gap(s) in the agent's records, "
				     "%d garbled record(s), %d loss(es) of kernel messages",
				     obs->seq_gaps, obs->bad_records, obs->kmsg_lost));
		return 1;
	}
	/*
	 * The trace's buffers are allocated up front and refuse rather than overwrite: a loss is
	 * counted by the kernel, and a verdict resting on a trace with holes would be a guess.
	 */
	if (obs->trace_lost || (obs->done && obs->trace_set && !obs->trace_err &&
				!obs->trace_ended)) {
		set_reason(r, VERDICT_BROK,
			   obs->trace_lost ?
			   xasprintf("the observation is incomplete: the kernel's trace lost %ld "
				     "event(s) (its buffer of %ld KiB per CPU was full)",
				     obs->trace_lost, obs->trace_buffer_kb) :
			   xstrdup("the observation is incomplete: the agent's trace has no end "
				   "record"));
		return 1;
	}
	if (ctx->unattributed) {
		set_reason(r, VERDICT_BROK, ctx->attrib.source == ATTRIB_TRACE ?
			   xasprintf("%d kill(s) name a pid the kernel's trace never showed",
				     ctx->unattributed) :
			   xasprintf("%d kill(s) name a pid no workload record names, and the "
				     "agent %s: whose it was cannot be told", ctx->unattributed,
				     obs->lineage_err ? "had neither trace events nor a proc "
				     "connector" : "lost fork events from its proc connector"));
		return 1;
	}
	if (ctx->ending == VM_POWEROFF && !obs->done) {
		set_reason(r, VERDICT_BROK, xstrdup("the guest powered off without the agent's done "
						    "record"));
		return 1;
	}
	if (obs->done && !strcmp(obs->done_reason, "deadline") &&
	    ctx->cell->sc->stop != SC_STOP_DEADLINE) {
		struct strbuf sb = STRBUF_INIT;

		if (ctx->cell->sc->stop == SC_STOP_EXITED)
			strbuf_addf(&sb, "the cell did not end within its %d ms deadline: stop: "
				    "exited waits for every workload to exit, and",
				    ctx->cell->sc->deadline_ms);
		else
			strbuf_addf(&sb, "the cell did not settle within its %d ms deadline:",
				    ctx->cell->sc->deadline_ms);
		for (i = 0, n = 0; i < obs->nwl; i++) {
			if (obs->wl[i].ended)
				continue;
			if (ctx->cell->sc->stop == SC_STOP_EXITED)
				strbuf_addf(&sb, "%s %s%s in phase '%s'", n ? "," : "",
					    obs->wl[i].name, n ? "" : " is still",
					    obs->wl[i].phase);
			else
				strbuf_addf(&sb, " %s in phase '%s'", obs->wl[i].name,
					    obs->wl[i].phase);
			n++;
		}
		set_reason(r, VERDICT_BROK, strbuf_detach(&sb));
		return 1;
	}
	return 0;
}

char *oracle_outcome(const struct oracle_ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	int i, n;

	if (ctx->ending == VM_PANIC)
		strbuf_addf(&sb, "panic: %s", ctx->log->panic);
	for (i = 0; i < ctx->nkills; i++) {
		strbuf_addf(&sb, "%s%s", i ? ", " : sb.len ? "; killed " : "killed ",
			    ctx->kills[i].w ? ctx->kills[i].w->name : ctx->kills[i].k->comm);
		if (ctx->kills[i].descendant)
			strbuf_addf(&sb, "'s %s", ctx->kills[i].k->comm);
		if (ctx->kills[i].judged)
			strbuf_addf(&sb, " (%s)",
				    badness_verdict_name(ctx->kills[i].badness.verdict));
	}
	for (i = 0, n = 0; i < ctx->obs->nwl; i++)
		if (ctx->obs->wl[i].enomem)
			strbuf_addf(&sb, "%s%s", n++ ? ", " : sb.len ? "; enomem " : "enomem ",
				    ctx->obs->wl[i].name);
	oracle_exit_outcome(ctx, &sb);
	if (!sb.len)
		strbuf_addstr(&sb, "nothing killed");
	return strbuf_detach(&sb);
}

void oracle_judge(const struct oracle_ctx *ctx, struct verdict_report *out)
{
	memset(out, 0, sizeof(*out));
	if (untestable(ctx, out))
		return;
	oracle_panic(ctx, out);
	oracle_allocating(ctx, out);
	oracle_overcommit(ctx, out);
	oracle_adj_min(ctx, out);
	oracle_crosscheck(ctx, out);
	oracle_badness(ctx, out);
	oracle_cgroup(ctx, out);
	oracle_expect(ctx, out);
	if (out->nfindings)
		set_reason(out, VERDICT_FAIL, xasprintf("%s: expected %s, seen %s",
							out->findings[0].check,
							out->findings[0].expected,
							out->findings[0].seen));
	else
		set_reason(out, VERDICT_PASS, oracle_outcome(ctx));
}
