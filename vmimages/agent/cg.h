/* SPDX-License-Identifier: GPL-2.0-only */
/* cg.h - the agent's cgroups: mount a hierarchy, create groups, set knobs, place, read counters. */
#ifndef OOMLAB_CG_H
#define OOMLAB_CG_H

#include <stddef.h>
#include <sys/types.h>

/*
 * A thin layer over libcgroup for the agent. Every call returns 0 or an errno (never -1), so
 * that the agent can record the kernel's own refusal as evidence: a hierarchy the kernel
 * lacks is a mount that fails (EINVAL: "Unknown subsys name"), a knob it refuses is a write
 * that fails (EINVAL for memory.use_hierarchy=0). Nothing here decides what a refusal means.
 *
 * Groups are named by their path under the hierarchy's root ("box", "box/inner"). In v1 the
 * memory and pids controllers are mounted separately, each under /sys/fs/cgroup/<controller>.
 */

/* Mounts hierarchy version (1 or 2) and readies libcgroup; *what names the step that failed. */
int cg_setup(int version, const char **what);

/* Creates group name with the controllers its hierarchy needs; its parent exists already. */
int cg_create(const char *name);

/* Writes value to group name's control file key ("memory.max"); got receives the read-back. */
int cg_set(const char *name, const char *key, const char *value, char *got, size_t gotlen);

/* Moves the calling process into group name. For a child between fork and exec. */
int cg_enter(const char *name);

/*
 * Reads group name's control file key of "key value" lines ("memory.events") and calls fn
 * for each line; returns 0 or an errno (ENOENT for a file the kernel does not have).
 */
int cg_read_pairs(const char *name, const char *key,
		  void (*fn)(void *arg, const char *k, long long v), void *arg);

#endif
