/* SPDX-License-Identifier: GPL-2.0-only */
/* schedule.h - a run's VMs: a job per cell, up to --jobs of them at once, each under a deadline. */
#ifndef OOMLAB_SCHEDULE_H
#define OOMLAB_SCHEDULE_H

#include "cells/matrix.h"
#include "guest/image.h"
#include "guest/kernel.h"
#include "launch/shape.h"
#include "launch/vm.h"

/*
 * Every cell is a job: its folder, its initrd and disks, its VM. The schedule keeps up to
 * its maximum of VMs running, watches each through a pidfd under the host's deadline, ends
 * one whose guest hangs while booting, and hands each VM that ended to its finish callback
 * at once, so that an interrupted run keeps every finished cell. SIGINT, SIGTERM and SIGHUP
 * stop the run: every VM still running is killed.
 */

struct job {
	struct cell *cell; /* kcell: the run's cell with its rule for this job's kernel */
	struct cell kcell;
	const struct kernel *kernel;
	int k;             /* the kernel's index, for its base image */
	char *reldir;      /* relative to the run directory */
	char *dir;
	char *agent_log;
	char *bulk;        /* its initrd and disks (launch/bulk.h), while it runs */
	double timeout_s;  /* the host's deadline for its VM */
	struct shape *shape; /* restored from this shape's state when it was saved */
	char seed[65];     /* the guest RNG's seed, hex */
	int restored;      /* its VM was restored, not booted */
	int booted;        /* the agent has written a record */
	struct vm vm;
	int running;
	int finished;      /* judged and recorded */
	double recorded_s; /* what its cell took in the last run (results/latest), or -1 */
};

struct schedule {
	const struct images *images;
	const char *accel;    /* "tcg" or "kvm" */
	struct job *jobs;
	int njobs;
	int max;              /* VMs at once */
	int sigfd;            /* schedule_signals() */
	const char *stop;     /* once it is not "", start nothing more and stop what runs */
	/* the job's VM ended, or never started: read what it left, judge it, record it */
	void (*finish)(struct job *j, void *arg);
	void (*tick)(void *arg); /* after each round of the loop (the progress line) */
	void *arg;
};

/* Runs every job. Returns 0, or the signal that interrupted the run. */
int schedule_run(struct schedule *s);

/*
 * SIGINT, SIGTERM and SIGHUP blocked and read from the returned signalfd, from before the
 * first VM starts (a shape's) to the end of the run; schedule_signal() reads one: its
 * number, or 0 when none is pending.
 */
int schedule_signals(void);
int schedule_signal(int sfd);

/* Prepares the job's folder, initrd and disks and starts its VM. Returns 0 or -1 after an error. */
int job_start(const struct schedule *s, struct job *j);

/* The host's deadline for a cell's VM: cell_timeout when given, else the cell's own + 60 s. */
double job_timeout(const struct cell *c, double cell_timeout);

/* VMs at once by default: the cores, capped so the largest guests fit in half the memory. */
int schedule_default_jobs(struct scenario *const *scs, int nscs);

#endif
