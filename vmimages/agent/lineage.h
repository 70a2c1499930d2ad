/* SPDX-License-Identifier: GPL-2.0-only */
/* lineage.h - which workload a guest process descends from, told by the kernel's proc connector. */
#ifndef OOMLAB_LINEAGE_H
#define OOMLAB_LINEAGE_H

#include <sys/types.h>

/*
 * A workload may fork (stress-ng runs its stressors in child processes), and the OOM killer
 * may kill such a child. Its pid is then no workload's, yet the kill belongs to the workload.
 * The kernel's proc connector (CONFIG_PROC_EVENTS) reports every fork as it happens; lineage
 * keeps, per pid, the workload it descends from, so a kill line can be attributed at the
 * moment the agent reads it.
 *
 * Owners are small numbers, 1..255 (0: none). Processes the agent itself forks are left to
 * lineage_claim(): the agent knows which of them are workloads.
 */

/* Subscribes to fork events. Returns the socket to poll, or -1 with errno set. */
int lineage_init(void);

/* pid, a child of the agent, is the workload numbered owner. */
void lineage_claim(pid_t pid, int owner);

/*
 * Reads every queued event. Returns how many batches were lost since the last call (the
 * socket's buffer overflowed: descendants forked then are unknown), or 0.
 */
int lineage_drain(void);

/* The workload pid descends from, or 0 when none (or unknown). */
int lineage_owner(pid_t pid);

void lineage_release(void);

#endif
