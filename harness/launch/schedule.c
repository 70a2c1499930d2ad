// SPDX-License-Identifier: GPL-2.0-only
/* schedule.c - a run's VMs: a job per cell, up to --jobs of them at once, each under a deadline. */
#include "launch/schedule.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guest/spec.h"
#include "launch/bulk.h"
#include "util.h"

#define BOOT_ALLOWANCE_S 60.0 /* host deadline = the cell's own deadline + this */
/*
 * A guest reaches its agent in 4 to 6 s under TCG, about 12 s on a loaded host: one that has
 * written no record after this long hung while booting (seen about once in a thousand boots
 * of Debian's 6.1 under TCG), and is ended now rather than at the cell's deadline.
 */
#define BOOT_DEADLINE_S 60.0
/*
 * A restored guest's agent writes its first record well under a second after QEMU starts; one
 * that has not after this long never will (a state that could not be read leaves QEMU
 * waiting for it, with no guest running).
 */
#define RESTORE_DEADLINE_S 20.0
#define VM_OVERHEAD (256ULL << 20) /* QEMU's own memory beside the guest's */

double job_timeout(const struct cell *c, double cell_timeout)
{
	return cell_timeout ? cell_timeout : c->sc->deadline_ms / 1000.0 + BOOT_ALLOWANCE_S;
}

enum { P_INITRD, P_CONSOLE, P_AGENT, P_QEMU, P_SWAP, P_DISK, P_SPEC, NPATHS };

static void vm_config_for(const struct schedule *s, struct job *j, struct vm_config *cfg,
			  char **paths)
{
	const struct scenario *sc = j->cell->sc;
	char *disks[2] = { sc->swap_bytes ? paths[P_SWAP] : NULL,
			   sc->disk_bytes ? paths[P_DISK] : NULL };

	if (j->restored) {
		shape_vm_config(j->shape, s->accel, disks, paths[P_SPEC], paths[NPATHS], cfg);
		cfg->initrd = paths[NPATHS + 1];
	} else {
		*cfg = (struct vm_config){
			.qemu = "qemu-system-x86_64",
			.accel = s->accel,
			.kernel = kernel_boot_image(j->kernel),
			.initrd = paths[P_INITRD],
			.memory_bytes = sc->memory_bytes,
			.cpus = sc->cpus,
			.numa_bytes = sc->numa_bytes,
			.numa_nodes = sc->numa_nodes,
			.disks = { disks[0] ? disks[0] : disks[1], disks[0] ? disks[1] : NULL },
		};
	}
	cfg->console_path = paths[P_CONSOLE];
	cfg->agent_path = paths[P_AGENT];
	cfg->stderr_path = paths[P_QEMU];
	cfg->timeout_s = j->timeout_s;
}

static void free_paths(char **paths)
{
	for (int i = 0; i < NPATHS + 2; i++)
		free(paths[i]);
}

int job_start(const struct schedule *s, struct job *j)
{
	static const char *const names[NPATHS] = { "initrd", "console.log", "agent.log",
						   "qemu.log", "swap.img", "disk.img",
						   "spec.img" };
	const struct scenario *sc = j->cell->sc;
	struct spec_misfit misfit;
	struct vm_config cfg;
	struct timespec wall;
	char *spec, *fresh, *paths[NPATHS + 2] = { NULL };
	int ret, i;

	/* the parser proved every cell's spec fits; only the kernel's name in the id adds */
	spec = spec_cell(sc, j->cell->vi, j->cell->id, &misfit);
	if (!spec)
		return error("the cell spec of '%s' would not fit the agent (%zu bytes)",
			     j->cell->id, misfit.bytes);
	clock_gettime(CLOCK_REALTIME, &wall);
	fresh = spec_fresh(spec, j->seed, wall.tv_sec * 1000000000LL + wall.tv_nsec);
	free(spec);
	if (mkdir_p(j->dir, 0755) < 0) {
		free(fresh);
		return error_errno("cannot create '%s'", j->dir);
	}
	/* the guest's images are not evidence: they go to a folder of their own, off the results */
	if (!j->bulk && !(j->bulk = bulk_new("oomlab-cell"))) {
		free(fresh);
		return error_errno("cannot create a temporary folder for '%s'", j->cell->id);
	}
	for (i = 0; i < NPATHS; i++)
		paths[i] = xasprintf("%s/%s", i == P_INITRD || i >= P_SWAP ? j->bulk : j->dir,
				     names[i]);
	j->restored = j->shape && j->shape->ok;
	if (j->restored) {
		paths[NPATHS] = shape_state(j->shape);
		paths[NPATHS + 1] = shape_initrd(j->shape);
		/* a state removed from outside: the shape's cells boot from now on, and say so */
		if (access(paths[NPATHS], R_OK) < 0 || access(paths[NPATHS + 1], R_OK) < 0) {
			shape_lost(j->shape, errno);
			j->restored = 0;
		}
	}
	vm_config_for(s, j, &cfg, paths);
	ret = j->restored ? images_spec_disk(paths[P_SPEC], fresh) :
	      images_cell(s->images, j->k, sc, fresh, paths[P_INITRD]);
	if (!ret && sc->swap_bytes)
		ret = images_disk(paths[P_SWAP], sc->swap_bytes);
	if (!ret && sc->disk_bytes)
		ret = images_disk(paths[P_DISK], sc->disk_bytes);
	free(fresh);
	if (!ret)
		ret = vm_start(&cfg, &j->vm);
	free_paths(paths);
	j->running = !ret;
	return ret;
}

/* The job's VM ended: it is judged, and its images go. */
static void job_done(const struct schedule *s, struct job *j)
{
	s->finish(j, s->arg);
	bulk_free(j->bulk);
	j->bulk = NULL;
}

/* A cell whose VM could not even be started: BROK, recorded like any other. */
static void job_broken(const struct schedule *s, struct job *j)
{
	j->vm.status = 127 << 8;
	j->vm.reaped = 1;
	job_done(s, j);
}

int schedule_default_jobs(struct scenario *const *scs, int nscs)
{
	unsigned long long biggest = 0, avail;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	long long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	int i, n;

	for (i = 0; i < nscs; i++)
		if (scs[i]->memory_bytes > biggest)
			biggest = scs[i]->memory_bytes;
	avail = (unsigned long long)pages * (unsigned long long)psize / 2;
	n = (int)(avail / (biggest + VM_OVERHEAD));
	if (n > cores)
		n = (int)cores;
	return n < 1 ? 1 : n;
}

static void stop_all(struct schedule *s)
{
	int i;

	for (i = 0; i < s->njobs; i++)
		if (s->jobs[i].running) {
			vm_kill(&s->jobs[i].vm, 0);
			s->jobs[i].running = 0;
			bulk_free(s->jobs[i].bulk);
			s->jobs[i].bulk = NULL;
		}
}

int schedule_signals(void)
{
	sigset_t set;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		die_errno("cannot watch for signals (signalfd)");
	return sfd;
}

int schedule_signal(int sfd)
{
	struct signalfd_siginfo si;

	if (read(sfd, &si, sizeof(si)) == sizeof(si))
		return (int)si.ssi_signo;
	return 0;
}

/* Whether the job's guest has written no record within BOOT_DEADLINE_S (RESTORE_DEADLINE_S). */
static int boot_hung(struct job *j, double now)
{
	struct stat st;

	if (j->booted ||
	    now - j->vm.start < (j->restored ? RESTORE_DEADLINE_S : BOOT_DEADLINE_S))
		return 0;
	j->booted = stat(j->agent_log, &st) == 0 && st.st_size > 0;
	return !j->booted;
}

int schedule_run(struct schedule *s)
{
	int interrupted = 0;
	struct pollfd *pfd = xcalloc((size_t)s->max + 1, sizeof(*pfd));
	int *slot = xcalloc((size_t)s->max + 1, sizeof(*slot));
	int next = 0, running = 0, i, n, sfd = s->sigfd;

	while (next < s->njobs || running) {
		double now, wait = 1.0;

		if (s->stop && s->stop[0])
			break;
		while (running < s->max && next < s->njobs) {
			struct job *j = &s->jobs[next++];

			if (job_start(s, j) < 0)
				job_broken(s, j);
			else
				running++;
		}
		n = 0;
		pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		now = now_s();
		for (i = 0; i < s->njobs; i++) {
			if (!s->jobs[i].running)
				continue;
			slot[n] = i;
			pfd[n++] = (struct pollfd){ .fd = s->jobs[i].vm.pidfd, .events = POLLIN };
			if (s->jobs[i].vm.deadline - now < wait)
				wait = s->jobs[i].vm.deadline - now;
			/* without a pidfd (poll ignores -1), look at it every 100 ms */
			if (s->jobs[i].vm.pidfd < 0 && wait > 0.1)
				wait = 0.1;
		}
		if (wait < 0)
			wait = 0;
		if (poll(pfd, (nfds_t)n, (int)(wait * 1000) + 1) < 0 && errno != EINTR)
			die_errno("poll");
		if ((pfd[0].revents & POLLIN) && (interrupted = schedule_signal(sfd)))
			break;
		now = now_s();
		for (i = 1; i < n; i++) {
			struct job *j = &s->jobs[slot[i]];

			if (vm_reap(&j->vm)) {
				job_done(s, j);
				running--;
			} else if (now >= j->vm.deadline || boot_hung(j, now)) {
				vm_kill(&j->vm, 1);
				job_done(s, j);
				running--;
			}
		}
		s->tick(s->arg);
	}
	stop_all(s);
	free(pfd);
	free(slot);
	return interrupted;
}
