/* SPDX-License-Identifier: GPL-2.0-only */
/* replay.h - a customer's OOM report turned into a scenario of expectations/ form. */
#ifndef OOMLAB_REPLAY_H
#define OOMLAB_REPLAY_H

#include <stddef.h>

#include "observe/oomreport.h"
#include "util.h"

/*
 * A replay rebuilds the competition the report shows, scaled to a 512 MiB guest: one bigmm
 * per task that mattered, holding that task's rss + swap + page tables times the scale, with
 * its own oom_score_adj and (sanitised) name; then a trigger that grows until the OOM. The
 * scale is the guest's totalpages over the report's, so the oom_score_adj term, which is
 * proportional to totalpages, keeps its weight against rss. When the held memory would not
 * fit, sizes and oom_score_adj shrink together by one more factor, which keeps every task's
 * points in the same proportion (up to rounding), and the file says so.
 *
 * The trigger is a task at -1000, never a candidate itself, so the scan chooses among the
 * replayed tasks alone.
 *
 * A memory cgroup report is replayed in a cgroup v2 group of REPLAY_MEMCG_LIMIT_MIB with no
 * swap: its totalpages is the group's limit, so the scale is that limit over the report's
 * totalpages (the memcg's limit plus the swap it may use), the tasks and the trigger run in
 * the group, and the trigger grows just past the limit: one memcg OOM. A report of cgroup v1
 * (it prints "memory+swap: usage") is replayed on v1's controller, memory.limit_in_bytes,
 * unless the kernel to run has none (no_memcg_v1): then on v2, with the same numbers. When the report's victim was killed as the allocating task
 * (oom_kill_allocating_task), the victim itself grows last instead, with that knob set.
 */

/*
 * A report of an OOM confined to some NUMA nodes (CONSTRAINT_CPUSET, CONSTRAINT_MEMORY_POLICY)
 * is replayed in a guest of two nodes, REPLAY_NUMA, confined to its second node the same way:
 * the tasks and the trigger in a cgroup v2 cpuset of node 1 (cpuset.mems), or each bound to
 * node 1 (MPOL_BIND). Their memory is on node 1, so the victim's death gives the trigger its
 * room, and the trigger grows just past node 1's free memory: one OOM, of the report's kind.
 */
#define REPLAY_NUMA "[384M, 128M]"
#define REPLAY_NODE_PAGES (128LL * 256)       /* node 1's pages: its totalpages without swap */
#define REPLAY_NODE_BUDGET_PAGES (80LL * 256) /* what the tasks may hold there */

/* The guest's totalram in pages: MemTotal of Debian's 6.1 cloud kernel in a 512 MiB guest. */
#define REPLAY_GUEST_PAGES 120263LL
#define REPLAY_GUEST_MEMORY "512M"
#define REPLAY_BUDGET_PAGES (360LL * 256) /* what the replayed tasks may hold: 360 MiB */
#define REPLAY_MAX_TASKS 8
#define REPLAY_MEMCG_LIMIT_MIB 256LL   /* the replayed memcg's memory.max */
#define REPLAY_MEMCG_BUDGET_PAGES (232LL * 256) /* what its tasks may hold: the rest is margin */

struct replay_opts {
	int event;          /* 1-based event of the log; 0: the first with a victim and a table */
	const char *name;   /* the scenario's name; NULL: "replay-<victim>" */
	const char *source; /* the report's file name, for the file's header */
	int no_memcg_v1;    /* the kernel to run has no cgroup v1 memory controller */
	int name_event;     /* the name ends in "-e<event>": one scenario of several */
};

/*
 * Writes the scenario for one event of log to out (YAML in expectations/ form, parsed by
 * scenario_parse()). Pure. Returns 0, or -1 with err set to one line saying why the report
 * cannot be replayed (no OOM report, no task table, a memcg OOM, ...).
 */
int replay_scenario(const struct oom_log *log, const struct replay_opts *o, struct strbuf *out,
		    char *err, size_t errlen);

#endif
