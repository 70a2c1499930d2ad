// SPDX-License-Identifier: GPL-2.0-only
/* vm.c - one QEMU guest: launch, supervision under a deadline, and how it ended. */
#include "launch/vm.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shared/proto.h"
#include "util.h"

/*
 * The kernel command line: the console on the first serial port with every message
 * (loglevel=7, so an OOM report printed just before a panic is on it), a panic reboots at
 * once and -no-reboot turns that into QEMU's exit, and an oops is a panic, so a broken kernel
 * ends the cell instead of hanging it. cryptomgr.notests: Debian's kernels test every crypto
 * algorithm they register at boot (0.5 s of a 2.7 s TCG boot of 6.1, 0.7 s of 3.4 s for
 * 6.12), which no OOM rule depends on.
 */
static const char base_append[] = "console=ttyS0 loglevel=7 panic=-1 oops=panic cryptomgr.notests";

/* A path as QEMU's option parser reads it: a comma is written twice (a cell's id has some). */
static const char *commas_doubled(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 2 < len; in++) {
		out[n++] = *in;
		if (*in == ',')
			out[n++] = ',';
	}
	out[n] = '\0';
	if (*in)
		die("a disk's path is too long for QEMU's options: '%s'", in);
	return out;
}

char **vm_argv(const struct vm_config *cfg)
{
	char **argv = xcalloc(80, sizeof(*argv)), path[8192];
	int n = 0;

	argv[n++] = xstrdup(cfg->qemu);
	argv[n++] = xstrdup("-M");
	argv[n++] = xstrdup("pc");
	/*
	 * One host thread for all vCPUs under TCG. With thread=multi, Debian's 6.1 guest hung in
	 * about one boot in a thousand: a soft lockup in alg_test() on a 5-byte NOP, a jump label
	 * another vCPU was patching (cross-modifying code under MTTCG). The cells run in
	 * parallel VMs anyway, so the cores stay busy.
	 */
	argv[n++] = xstrdup("-accel");
	argv[n++] = xstrdup(strcmp(cfg->accel, "kvm") ? "tcg,thread=single" : "kvm");
	if (!strcmp(cfg->accel, "kvm")) {
		argv[n++] = xstrdup("-cpu");
		argv[n++] = xstrdup("host");
	}
	argv[n++] = xstrdup("-smp");
	argv[n++] = xasprintf("%d", cfg->cpus);
	argv[n++] = xstrdup("-m");
	argv[n++] = xasprintf("%lluM", cfg->memory_bytes >> 20);
	/* NUMA nodes: each its own RAM backend; CPU i on node i % nodes (memory-only beyond) */
	for (int i = 0; i < cfg->numa_nodes; i++) {
		argv[n++] = xstrdup("-object");
		argv[n++] = xasprintf("memory-backend-ram,id=ram%d,size=%lluM", i,
				      cfg->numa_bytes[i] >> 20);
		argv[n++] = xstrdup("-numa");
		argv[n++] = i < cfg->cpus ?
			xasprintf("node,nodeid=%d,cpus=%d,memdev=ram%d", i, i, i) :
			xasprintf("node,nodeid=%d,memdev=ram%d", i, i);
	}
	argv[n++] = xstrdup("-nodefaults");
	argv[n++] = xstrdup("-no-user-config");
	argv[n++] = xstrdup("-display");
	argv[n++] = xstrdup("none");
	argv[n++] = xstrdup("-no-reboot");
	/* the agent's way out (PROTO_EXIT_PORT): a shape and its restores have it alike */
	argv[n++] = xstrdup("-device");
	argv[n++] = xasprintf("isa-debug-exit,iobase=%#x,iosize=4", PROTO_EXIT_PORT);
	argv[n++] = xstrdup("-kernel");
	argv[n++] = xstrdup(cfg->kernel);
	argv[n++] = xstrdup("-initrd");
	argv[n++] = xstrdup(cfg->initrd);
	argv[n++] = xstrdup("-append");
	argv[n++] = cfg->append && *cfg->append ? xasprintf("%s %s", base_append, cfg->append)
						 : xstrdup(base_append);
	argv[n++] = xstrdup("-serial");
	argv[n++] = xasprintf("file:%s", cfg->console_path);
	argv[n++] = xstrdup("-serial");
	argv[n++] = xasprintf("file:%s", cfg->agent_path);
	for (int i = 0; i < 3 && cfg->disks[i]; i++) {
		/* swap, scratch or spec: its contents die with the cell: nothing need be synced */
		argv[n++] = xstrdup("-drive");
		argv[n++] = xasprintf("file=%s,if=virtio,format=raw,cache=unsafe",
				      commas_doubled(cfg->disks[i], path, sizeof(path)));
	}
	if (cfg->monitor_fd > 0) {
		argv[n++] = xstrdup("-monitor");
		argv[n++] = xstrdup("stdio");
		/* a shape's guest is saved stopped: without its run state, a restore starts it */
		argv[n++] = xstrdup("-global");
		argv[n++] = xstrdup("migration.store-global-state=off");
	}
	if (cfg->incoming) {
		/* QEMU 7.2 has no file: URI; the state is read through cat(1) */
		argv[n++] = xstrdup("-incoming");
		argv[n++] = xasprintf("exec:exec cat '%s'", cfg->incoming);
	}
	argv[n] = NULL;
	return argv;
}

void vm_argv_free(char **argv)
{
	char **p;

	for (p = argv; p && *p; p++)
		free(*p);
	free(argv);
}

/*
 * No QEMU outlives oomlab. Each runs in a process group of its own, so neither a signal to
 * oomlab's group nor oomlab's end reaches it by itself. Two things end it instead:
 *  - an exit handler kills and reaps every VM still running when the process that started
 *    it calls exit(), as die() does: when oomlab's exit can be seen, its VMs are gone;
 *  - where no code of oomlab runs (SIGKILL, a crash), the kernel sends QEMU SIGKILL as its
 *    parent dies (PR_SET_PDEATHSIG, set between fork and exec; oomlab has one thread).
 * The list holds pids, not struct vm pointers, so the handler depends on no caller's memory.
 */
struct running_vm {
	pid_t pid;
	pid_t owner; /* the process that started it: a forked child's exit leaves it alone */
};

static struct running_vm *running;
static int nrunning, running_alloc;

static void running_forget(pid_t pid)
{
	int i;

	for (i = 0; i < nrunning; i++)
		if (running[i].pid == pid) {
			running[i] = running[--nrunning];
			return;
		}
}

static void kill_running_at_exit(void)
{
	pid_t self = getpid();
	int i, n = 0;

	for (i = 0; i < nrunning; i++) {
		if (running[i].owner != self)
			continue;
		kill(-running[i].pid, SIGKILL);
		while (waitpid(running[i].pid, NULL, 0) < 0 && errno == EINTR)
			;
		n++;
	}
	nrunning = 0;
	if (n)
		fprintf(stderr, "oomlab: stopped %d VM%s still running at exit\n", n,
			n > 1 ? "s" : "");
}

static void running_add(pid_t pid)
{
	static int handler_set;

	if (!handler_set && atexit(kill_running_at_exit) == 0)
		handler_set = 1;
	ALLOC_GROW(running, nrunning + 1, running_alloc);
	running[nrunning++] = (struct running_vm){ .pid = pid, .owner = getpid() };
}

int vm_start(const struct vm_config *cfg, struct vm *vm)
{
	char **argv = vm_argv(cfg);
	pid_t pid, parent = getpid();

	memset(vm, 0, sizeof(*vm));
	vm->pidfd = -1;
	vm->start = now_s();
	vm->deadline = vm->start + cfg->timeout_s;
	pid = fork();
	if (pid < 0) {
		vm_argv_free(argv);
		return error_errno("cannot fork for qemu");
	}
	if (pid == 0) {
		int fd;
		sigset_t none;

		/* dies with oomlab; if oomlab died before this line, end now */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(127);
		fd = open(cfg->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		fd = cfg->monitor_fd > 0 ? cfg->monitor_fd : open("/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, 0);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot execute '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* set it here too, so a kill of the group cannot race the child's own setpgid */
	setpgid(pid, pid);
	vm_argv_free(argv);
	vm->pid = pid;
	running_add(pid);
	/* a host kernel before 5.3 has no pidfd_open: the caller then polls vm_reap() */
	vm->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (vm->pidfd < 0 && errno != ENOSYS) {
		error_errno("cannot watch qemu (pidfd_open)");
		vm_kill(vm, 0);
		return -1;
	}
	return 0;
}

int vm_reap(struct vm *vm)
{
	pid_t r;

	if (vm->reaped)
		return 1;
	r = waitpid(vm->pid, &vm->status, WNOHANG);
	if (r <= 0)
		return 0;
	vm->reaped = 1;
	vm->wall_s = now_s() - vm->start;
	running_forget(vm->pid);
	/* anything QEMU left behind in its group goes with it */
	kill(-vm->pid, SIGKILL);
	if (vm->pidfd >= 0)
		close(vm->pidfd);
	vm->pidfd = -1;
	return 1;
}

void vm_kill(struct vm *vm, int timed_out)
{
	if (vm->reaped)
		return;
	vm->timed_out = timed_out;
	kill(-vm->pid, SIGKILL);
	while (waitpid(vm->pid, &vm->status, 0) < 0 && errno == EINTR)
		;
	running_forget(vm->pid);
	vm->reaped = 1;
	vm->wall_s = now_s() - vm->start;
	if (vm->pidfd >= 0)
		close(vm->pidfd);
	vm->pidfd = -1;
}

enum vm_ending vm_ending(const struct vm *vm, int console_has_panic)
{
	if (vm->timed_out)
		return VM_TIMEOUT;
	/* QEMU exits 0 after a panic too (panic=-1 and -no-reboot): the console tells */
	if (console_has_panic)
		return VM_PANIC;
	/* 0: the guest rebooted (-no-reboot); PROTO_EXIT_STATUS: the agent's debug-exit */
	if (!WIFEXITED(vm->status) ||
	    (WEXITSTATUS(vm->status) != 0 && WEXITSTATUS(vm->status) != PROTO_EXIT_STATUS))
		return VM_QEMU_ERROR;
	return VM_POWEROFF;
}

const char *vm_ending_name(enum vm_ending e)
{
	static const char *const names[] = { "poweroff", "panic", "timeout", "qemu-error" };

	return names[e];
}

char *vm_qemu_version(void)
{
	FILE *p = popen("qemu-system-x86_64 --version 2>/dev/null", "r");
	char line[256] = "";

	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}
