// SPDX-License-Identifier: GPL-2.0-only
/* oracle_overcommit.c - vm.overcommit_memory=2: refusal at the commit limit, not OOM kills. */
#include "oracles/oracle.h"

#include "util.h"

/*
 * __vm_enough_memory() (mm/util.c): in mode 2 an mmap or brk that would take Committed_AS
 * past CommitLimit (RAM * overcommit_ratio / 100 + swap, less the reserves) fails with
 * ENOMEM when it is made. So while CommitLimit is below what the guest can back, workloads
 * of private anonymous memory are refused before the page allocator runs out, and no OOM
 * happens. Page cache, shmem and kernel memory are outside that accounting: the oracle only
 * speaks when the agent measured CommitLimit below MemAvailable at the cell's start.
 */
void oracle_overcommit(const struct oracle_ctx *ctx, struct verdict_report *r)
{
	const struct observation *obs = ctx->obs;
	const struct oom_log *log = ctx->log;
	struct finding *f;
	int e;

	if (cell_sysctl_or(ctx->cell, "vm.overcommit_memory", 0) != 2 ||
	    obs->commit_limit_kb <= 0 || obs->commit_limit_kb >= obs->mem_avail_kb || !log->nevents)
		return;
	f = finding_add(r,
			xasprintf("no OOM: mode 2 refuses at CommitLimit %lld kB, below MemAvailable "
				  "%lld kB", obs->commit_limit_kb, obs->mem_avail_kb),
			xasprintf("%d OOM event(s), the first invoked by '%s'", log->nevents,
				  log->events[0].invoker[0] ? log->events[0].invoker : "?"));
	for (e = 0; e < log->nevents; e++) {
		finding_line(f, log->events[e].line);
		if (log->events[e].nkills)
			finding_line(f, log->events[e].kills[0].line);
	}
}
