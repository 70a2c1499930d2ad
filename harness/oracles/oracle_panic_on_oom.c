// SPDX-License-Identifier: GPL-2.0-only
/* oracle_panic_on_oom.c - vm.panic_on_oom: which OOMs must panic the kernel, and how it says so. */
#include "oracles/oracle.h"

#include <string.h>

#include "util.h"

/*
 * check_panic_on_oom() (mm/oom_kill.c, the same from 4.14 to 6.x) runs before any victim is
 * chosen: with panic_on_oom=1 an unconstrained (global) OOM panics and a memcg, cpuset or
 * mempolicy OOM does not; with 2 every OOM panics; with 0 none does. The message is
 * "Out of memory: system-wide panic_on_oom is enabled" (1) or "... compulsory ..." (2).
 * A sysrq-forced OOM (order=-1) never panics. The first OOM that must panic ends the guest,
 * so only the events up to it are looked at.
 */
void oracle_panic_on_oom(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct oom_log *log = ctx->log;
	long long p = cell_sysctl_or(ctx->cell, "vm.panic_on_oom", 0);
	enum sc_panic want = p == 1 ? SC_PANIC_SYSTEM_WIDE : p == 2 ? SC_PANIC_COMPULSORY
							      : SC_PANIC_NONE;
	enum sc_panic seen = ctx->ending == VM_PANIC ? panic_kind(log->panic) : SC_PANIC_NONE;
	struct finding *f;
	int e, k;

	for (e = 0; want != SC_PANIC_NONE && e < log->nevents; e++) {
		const struct oom_event *ev = &log->events[e];

		if (!ev->has_header || ev->order == -1)
			continue;
		/* constrained: a memcg, or the oom-kill summary's cpuset or mempolicy */
		if (p == 1 && (oom_event_is_memcg(ev) ||
			       (ev->constraint[0] && strcmp(ev->constraint, "CONSTRAINT_NONE"))))
			continue;
		if (seen == want)
			return;
		f = finding_add(r,
				xasprintf("panic '%s panic_on_oom' at the %s OOM (vm.panic_on_oom=%lld)",
					  sc_panic_name(want), oom_event_is_memcg(ev) ? "memcg" :
					  ev->constraint[0] && strcmp(ev->constraint, "CONSTRAINT_NONE") ?
					  ev->constraint : "global", p),
				seen != SC_PANIC_NONE ? xasprintf("panic '%s'", log->panic) :
				ev->nkills ? xasprintf("a kill of '%s' instead", ev->kills[0].comm) :
				xstrdup("no panic"));
		finding_line(f, ev->line);
		for (k = 0; k < ev->nkills; k++)
			finding_line(f, ev->kills[k].line);
		finding_line(f, log->panic_line);
		return;
	}
	if ((seen == SC_PANIC_SYSTEM_WIDE || seen == SC_PANIC_COMPULSORY) && seen != want) {
		f = finding_add(r, want == SC_PANIC_NONE ?
				xasprintf("no panic_on_oom panic (vm.panic_on_oom=%lld)", p) :
				xasprintf("panic '%s panic_on_oom' (vm.panic_on_oom=%lld)",
					  sc_panic_name(want), p),
				xasprintf("panic '%s'", log->panic));
		finding_line(f, log->panic_line);
	}
}
