// SPDX-License-Identifier: GPL-2.0-only
/* oracle_exit.c - what a workload's exit status means, per program, and when kills explain it. */
#include "oracles/oracle.h"

#include <string.h>

#include "util.h"

/*
 * A workload that exits with a non-zero status either broke (the cell then cannot be
 * judged: BROK) or is telling of the kernel's kills of its own processes, which the rules
 * allow and the other oracles judge like any kill. Which is which depends on the program, so
 * this table is the one place that says what each status means. docs/RESULTS.md gives it
 * too; a status the table does not list is BROK.
 *
 * The oomlab workloads (workloads/) exit 0 only with --exit, 1 after an `error` or
 * `mountfail` report that ends a set-up, 2 for usage or outside a guest (docs/PROTOCOL.md
 * "Exit status"). A kill of one of them is a signal, not a status, and a process they fork
 * (pidfill's) ends nothing of theirs when it dies: no kill explains their 1 or 2.
 *
 * stress-ng (Debian's 0.15.06, stress-ng.c) runs each stressor in a worker it forks, and
 * the oomable ones (vm, bigheap, brk, stack, ...) fork again to allocate
 * (stress_oomable_child()). Its main process ends with: 0; 1 (EXIT_FAILURE) for bad options
 * or a set-up that failed before any stressor ran; 2 (EXIT_NOT_SUCCESS) when a worker
 * exited with a failure or stress_metrics_check() finds a worker's bogo-op count differs
 * from the checksum the worker writes as it ends, which is what a worker killed before its
 * end leaves (it is then reaped with SIGKILL, which alone stress_wait_pid() excuses); 3
 * (EXIT_NO_RESOURCE) when a stressor could not get what it needs to start; 5
 * (EXIT_SIGNALED) when the main process itself caught SIGSEGV, SIGBUS, SIGILL or SIGFPE;
 * 7 (EXIT_METRICS_UNTRUSTWORTHY) when a worker found its counter mid-update, as a child
 * killed inside inc_counter() leaves it. 4 (EXIT_NOT_IMPLEMENTED) and 6 (EXIT_BY_SYS_EXIT)
 * are a worker's, which the main process never passes on.
 */

enum exit_kind {
	EXIT_CLEAN,	/* a normal end */
	EXIT_IF_KILLED, /* follows from a kernel kill of one of the workload's processes */
	EXIT_BROKEN,	/* the workload could not do its job */
};

struct exit_meaning {
	const char *program; /* NULL: every oomlab workload */
	int code;
	enum exit_kind kind;
	const char *name;    /* the program's own name for it, or NULL */
	const char *meaning;
};

static const struct exit_meaning exit_table[] = {
	{ NULL, 0, EXIT_CLEAN, NULL, "done (--exit)" },
	{ NULL, 1, EXIT_BROKEN, NULL, "set-up failed (after an 'error' or 'mountfail' report)" },
	{ NULL, 2, EXIT_BROKEN, NULL, "usage was wrong, or it ran outside an oomlab guest" },
	{ "stress-ng", 0, EXIT_CLEAN, "EXIT_SUCCESS", "success" },
	{ "stress-ng", 1, EXIT_BROKEN, "EXIT_FAILURE", "a core failure: bad options or set-up" },
	{ "stress-ng", 2, EXIT_IF_KILLED, "EXIT_NOT_SUCCESS",
	  "a stressor failed, or the metrics check found a bogo-op count corrupted" },
	{ "stress-ng", 3, EXIT_BROKEN, "EXIT_NO_RESOURCE",
	  "a stressor could not get the resources to start" },
	{ "stress-ng", 4, EXIT_BROKEN, "EXIT_NOT_IMPLEMENTED",
	  "a worker's status, which the main process never returns" },
	{ "stress-ng", 5, EXIT_BROKEN, "EXIT_SIGNALED",
	  "the main process caught SIGSEGV, SIGBUS, SIGILL or SIGFPE" },
	{ "stress-ng", 6, EXIT_BROKEN, "EXIT_BY_SYS_EXIT",
	  "a worker's status, which the main process never returns" },
	{ "stress-ng", 7, EXIT_IF_KILLED, "EXIT_METRICS_UNTRUSTWORTHY",
	  "a bogo-op counter was left mid-update" },
};

static const char *program_of(const struct oracle_ctx *ctx, const struct obs_workload *w)
{
	const struct scenario *sc = ctx->cell->sc;
	int i;

	for (i = 0; i < sc->nworkloads; i++)
		if (!strcmp(sc->workloads[i].name, w->name))
			return sc->workloads[i].program;
	return "";
}

static const struct exit_meaning *meaning_of(const char *program, int code)
{
	int oomlab = strcmp(program, "stress-ng") != 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(exit_table); i++) {
		const struct exit_meaning *m = &exit_table[i];

		if ((m->program ? !oomlab && !strcmp(m->program, program) : oomlab) &&
		    m->code == code)
			return m;
	}
	return NULL;
}

/* The kernel killed a process w forked: the only kills an exit of w can follow from. */
static int own_process_killed(const struct oracle_ctx *ctx, const struct obs_workload *w)
{
	int k;

	for (k = 0; k < ctx->nkills; k++)
		if (ctx->kills[k].w == w && ctx->kills[k].descendant)
			return 1;
	return 0;
}

static int exited_nonzero(const struct obs_workload *w)
{
	return w->ended && !w->signaled && w->code != 0;
}

char *oracle_exit_unexplained(const struct oracle_ctx *ctx, const struct obs_workload *w)
{
	const char *program = program_of(ctx, w);
	const struct exit_meaning *m;
	struct strbuf sb = STRBUF_INIT;

	if (!exited_nonzero(w))
		return NULL;
	m = meaning_of(program, w->code);
	if (m && m->kind == EXIT_CLEAN)
		return NULL;
	if (m && m->kind == EXIT_IF_KILLED && own_process_killed(ctx, w))
		return NULL;
	strbuf_addf(&sb, "workload '%s' exited with status %d in phase '%s': ", w->name,
		    w->code, w->phase);
	if (!m) {
		strbuf_addf(&sb, "no meaning of %s's is known for it", program);
		return strbuf_detach(&sb);
	}
	if (m->name)
		strbuf_addf(&sb, "%s's %s (%s)", program, m->name, m->meaning);
	else
		strbuf_addf(&sb, "%s's %s", program, m->meaning);
	if (m->kind == EXIT_IF_KILLED)
		strbuf_addstr(&sb, ", and the kernel killed none of its processes");
	return strbuf_detach(&sb);
}

void oracle_exit_outcome(const struct oracle_ctx *ctx, struct strbuf *sb)
{
	const struct obs_workload *w;
	const struct exit_meaning *m;
	int i;

	for (i = 0; i < ctx->obs->nwl; i++) {
		w = &ctx->obs->wl[i];
		if (!exited_nonzero(w) || !(m = meaning_of(program_of(ctx, w), w->code)) ||
		    m->kind != EXIT_IF_KILLED)
			continue;
		strbuf_addf(sb, "%s%s exited %d (%s, after the kernel killed its processes)",
			    sb->len ? "; " : "", w->name, w->code, m->name ? m->name : m->meaning);
	}
}
