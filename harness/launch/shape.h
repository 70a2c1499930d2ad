/* SPDX-License-Identifier: GPL-2.0-only */
/* shape.h - boot once per kernel and VM shape, save the state; each cell of the shape restores it. */
#ifndef OOMLAB_SHAPE_H
#define OOMLAB_SHAPE_H

#include "cells/scenario.h"
#include "guest/image.h"
#include "guest/kernel.h"
#include "launch/vm.h"

/*
 * A shape is what must be fixed before a guest boots: the kernel, memory, vCPUs, NUMA nodes,
 * the disks and their sizes, the bundles in its image (every other program is in every
 * cell's base image). Cells of one shape differ only in
 * what the agent applies from their spec, so one boot serves them all: the shape's guest
 * boots without a spec, loads its modules and says "ready" (vmimages/agent/shape.c); its
 * running state is saved with QEMU's migration to a file; each cell then starts a fresh QEMU
 * from that state with its own spec disk, swap and scratch disks. A shape that cannot be
 * saved (the guest cannot reach its spec disk, QEMU refuses, a deadline passes) says why,
 * and its cells boot as before.
 */

struct shape {
	int k;                      /* the kernel's index */
	const struct kernel *kernel;
	const struct scenario *sc;  /* the first scenario of the shape: its machine and image */
	char *key;
	char *dir;                  /* <run>/shapes/<n>: its boot's logs, kept as evidence */
	char *bulk;                 /* a temporary folder (TMPDIR, else /var/tmp): its saved
				     * state (about 100 MB), initrd and disks, off the results disk */
	int ok;                     /* its state is saved: its cells restore */
	char why[256];              /* else why not */
	double made_s;              /* QEMU's start to the state saved */
};

struct shapes {
	struct shape *v;
	int n;
};

/* The index in shs of the shape of a cell of sc on kernel k (images im), added if new. */
int shapes_add(struct shapes *shs, const struct images *im, int k, const struct kernel *kernel,
	       const struct scenario *sc, const char *run_dir);

/*
 * Boots every shape and saves its state, up to max at once; a shape that fails keeps its
 * reason (shape->why), and its cells boot. A signal read from sigfd (schedule_signals())
 * stops it: its VMs are killed and the signal returned; else 0.
 */
int shapes_make(struct shapes *shs, const struct images *im, const char *accel, int max,
		int sigfd);

/*
 * The VM of shape sh, restored or booting: disks[] names its swap and scratch images (NULL
 * where the shape has none) and spec_disk its spec disk, in the shape's order. state NULL
 * boots the shape's own guest (to save it).
 */
void shape_vm_config(const struct shape *sh, const char *accel, char *const *disks,
		     const char *spec_disk, const char *state, struct vm_config *cfg);

/* Its saved state or initrd went (err, an errno): its cells boot from now on, and say why. */
void shape_lost(struct shape *sh, int err);

/*
 * What a shape's agent.log text says (log is cut to its last whole line): 1 its "ready"
 * record, -1 an "error" record (its line into err), 0 neither yet. Only whole lines count:
 * the serial line carries a record a character at a time, and a guest saved on a "ready"
 * whose end was still on its way wrote that end into the first restored cell's records (a
 * soak found "374" before a cell's hello, the tail of zeroed_kb=416374).
 */
int shape_agent_said(char *log, char *err, size_t len);

/* The saved state's and the shape's initrd's paths (caller frees). */
char *shape_state(const struct shape *sh);
char *shape_initrd(const struct shape *sh);

/* Deletes the saved states and images (each bulk folder), keeping the logs; frees shs. */
void shapes_release(struct shapes *shs);

#endif
