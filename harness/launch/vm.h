/* SPDX-License-Identifier: GPL-2.0-only */
/* vm.h - one QEMU guest: launch, supervision under a deadline, and how it ended. */
#ifndef OOMLAB_VM_H
#define OOMLAB_VM_H

#include <sys/types.h>

enum vm_ending {
	VM_POWEROFF = 0, /* QEMU exited by itself, the guest rebooted (-no-reboot) */
	VM_PANIC,        /* the console shows "Kernel panic - not syncing" */
	VM_TIMEOUT,      /* the host's deadline passed: the process group was killed */
	VM_QEMU_ERROR,   /* QEMU could not start, failed, or was killed from outside */
};

struct vm_config {
	const char *qemu;    /* the qemu-system-x86_64 binary */
	const char *accel;   /* "tcg" or "kvm" */
	const char *kernel;
	const char *initrd;
	const char *append;  /* extra kernel command line */
	unsigned long long memory_bytes;
	int cpus;
	const unsigned long long *numa_bytes; /* NUMA nodes' memory, or NULL for one node */
	int numa_nodes;
	const char *console_path; /* ttyS0: the kernel's console */
	const char *agent_path;   /* ttyS1: the agent's records */
	const char *stderr_path;  /* QEMU's own messages */
	const char *disks[3];     /* raw virtio disks, in order /dev/vda, /dev/vdb...; NULL ends */
	const char *incoming;     /* a saved state to restore instead of booting, or NULL */
	int monitor_fd;           /* > 0: QEMU's human monitor reads this fd (a pipe) */
	double timeout_s;
};

struct vm {
	pid_t pid;    /* also the process group */
	int pidfd;    /* readable when QEMU has exited; -1 where the host has no pidfd_open */
	double start;
	double deadline;
	int status;   /* wait status once reaped */
	int reaped;
	int timed_out;
	double wall_s;
};

/*
 * Starts QEMU in a process group of its own. Returns 0, or -1 after an error (fork or pidfd
 * failed). An exec failure shows later as exit status 127 with the reason in stderr_path.
 * QEMU never outlives the process that started it: one still running (not yet reaped by
 * vm_reap() or vm_kill()) when that process calls exit(), die() included, is killed and
 * reaped by an exit handler, and the kernel kills it with SIGKILL if that process ends
 * without running any code (PR_SET_PDEATHSIG).
 */
int vm_start(const struct vm_config *cfg, struct vm *vm);

/* Reaps the VM if it has exited (non-blocking). Returns 1 when reaped, 0 when still running. */
int vm_reap(struct vm *vm);

/* Kills the whole process group and reaps it; timed_out records whether the deadline did it. */
void vm_kill(struct vm *vm, int timed_out);

/* How the VM ended, from what the host saw and whether the console shows a panic. */
enum vm_ending vm_ending(const struct vm *vm, int console_has_panic);
const char *vm_ending_name(enum vm_ending e);

/* The first line of `qemu-system-x86_64 --version`, or "" (caller frees). */
char *vm_qemu_version(void);

/* The argument vector for cfg (NULL-terminated; free with vm_argv_free()). */
char **vm_argv(const struct vm_config *cfg);
void vm_argv_free(char **argv);

#endif
