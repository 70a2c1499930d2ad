// SPDX-License-Identifier: GPL-2.0-only
/* evictor.c - the cell's user-space OOM killer: its files, started, heard line by line, reaped. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "managed_oom.h"
#include "shared/sysfile.h"

/*
 * The evictor (earlyoom, oomd, systemd-oomd as Debian packs them, carried in the cell's extra
 * archive as /bin/<program>) starts before any workload, at the oom_score_adj its Debian
 * service gives it, with its stdout and stderr on a pipe. Each line it writes is an "evlog"
 * record, with the record's time; the workloads start once it has logged its ready line, so
 * it watches from the cell's first byte. Its end, if it ends, is an "evexit" record: an
 * evictor that dies mid-cell is something the host must see.
 *
 * systemd-oomd learns what to watch from PID 1 only, over varlink: the agent, PID 1 here,
 * serves it the cell's units on the ManagedOOM socket (managed_oom.h) before it starts, and
 * marks ManagedOOMPreference= on the groups as systemd does, with the xattrs user.oomd_avoid
 * and user.oomd_omit (systemd's cgroup_apply_xattrs; systemd-oomd honours them on a group
 * owned by root).
 */

#define EV_READY_MS 30000 /* from exec to its ready line, under TCG */
#define EV_MAX_FILES 8

static char written[EV_MAX_FILES][128];
static int nwritten;
static struct moom_server moom;
static int moom_on;

static void managed_setup(void)
{
	char path[GROUP_MAX + 32], name[24];
	int i, err;

	if (!cell.nmanaged)
		return;
	moom_init(&moom);
	mkdir("/run", 0755);
	mkdir("/run/systemd", 0755);
	mkdir("/run/systemd/oom", 0755); /* where systemd-oomd serves its own socket */
	for (i = 0; i < cell.nmanaged; i++) {
		const struct managed *m = &cell.managed[i];

		err = 0;
		snprintf(path, sizeof(path), "/%s", m->group);
		if (m->swap && moom_set(&moom, path, MOOM_SWAP, MOOM_KILL, 0) < 0)
			err = errno;
		if (m->pressure && moom_set(&moom, path, MOOM_PRESSURE, MOOM_KILL,
					    moom_limit_from_permyriad((unsigned)m->limit)) < 0)
			err = errno;
		if (m->pref[0]) {
			snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", m->group);
			snprintf(name, sizeof(name), "user.oomd_%s", m->pref);
			if (setxattr(path, name, "1", 1, 0) < 0)
				err = errno;
		}
		rec("managed", "group", m->group, "swap", num(m->swap), "pressure",
		    num(m->pressure), "limit", num(m->limit), "preference", m->pref, "errno",
		    num(err), (char *)NULL);
	}
	if (moom_listen(&moom, MOOM_SOCKET) < 0)
		rec("error", "what", "managed-oom", "errno", num(errno), (char *)NULL);
	else
		moom_on = 1;
}

int ev_pollfds(struct pollfd *pfd, int room)
{
	return moom_on ? moom_pollfds(&moom, pfd, room) : 0;
}

void ev_serve(void)
{
	if (moom_on)
		moom_handle(&moom);
}

static void mkdirs(const char *path)
{
	char dir[128];
	char *p;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
}

int ev_write_file(const char *path, const char *text)
{
	int i, fd, flags = O_WRONLY | O_CREAT | O_CLOEXEC, err = 0;
	size_t len = strlen(text);

	for (i = 0; i < nwritten; i++)
		if (!strcmp(written[i], path))
			break;
	if (i == nwritten) {
		if (nwritten == EV_MAX_FILES || strlen(path) >= sizeof(written[0])) {
			errno = ENOSPC;
			return -1;
		}
		snprintf(written[nwritten++], sizeof(written[0]), "%s", path);
		flags |= O_TRUNC;
	} else {
		flags |= O_APPEND;
	}
	mkdirs(path);
	fd = open(path, flags, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len)
		err = errno ? errno : EIO;
	close(fd);
	errno = err;
	return err ? -1 : 0;
}

/*
 * A kill line of the evictor's that names a workload's pid dooms it, as the kernel's kill
 * line does (agent.c, mark_doomed): the cell does not settle while it dies, which for a
 * large process under TCG takes a while after the signal.
 */
static void mark_evicted(const struct evictor *ev, const char *text)
{
	const char *p = ev->kill[0] ? strstr(text, ev->kill) : NULL;
	long pid;
	int i;

	if (!p)
		return;
	/* the first number after the marker: "killing pid 90", "sending SIGTERM to process 90" */
	p += strcspn(p, "0123456789");
	pid = strtol(p, NULL, 10);
	for (i = 0; *p && i < cell.nwl; i++)
		if (cell.wl[i].started && !cell.wl[i].ended && pid == cell.wl[i].pid)
			cell.wl[i].doomed = 1;
}

/*
 * A line as an "evlog" record. Escaped, a line of the pipe's PROTO_LINE_MAX bytes may not fit
 * one record (proto_add() would leave the field out): it is then cut to what always fits, and
 * says so with cut=1, so a kill line is never recorded empty.
 */
static void forward(struct evictor *ev, const char *text)
{
	char line[PROTO_LINE_MAX], head[PROTO_LINE_MAX / 3 - 32]; /* 3 bytes each, escaped */

	rec_begin(line, sizeof(line), "evlog");
	proto_add(line, sizeof(line), "pid", num(ev->pid));
	if (proto_add(line, sizeof(line), "text", text)) {
		snprintf(head, sizeof(head), "%s", text);
		proto_add(line, sizeof(line), "text", head);
		proto_add(line, sizeof(line), "cut", "1");
	}
	rec_end(line, sizeof(line));
	mark_evicted(ev, text);
	if (ev->quiet[0] && strstr(text, ev->quiet))
		ev->quiet_ms = mono_ms();
	if (!ev->is_ready && strstr(text, ev->ready)) {
		char path[64], comm[32] = "";

		/* its name after exec, which no trace event of ours carries */
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)ev->pid);
		sysfile_read(path, comm, sizeof(comm));
		ev->is_ready = 1;
		rec("evready", "pid", num(ev->pid), "comm", comm, (char *)NULL);
	}
}

static void ev_line(void *arg, char *text)
{
	forward(arg, text);
}

int ev_drain(void)
{
	if (!cell.ev.program[0]) /* no evictor: its fd is not set */
		return 0;
	return lines_drain(&cell.ev.out, ev_line, &cell.ev);
}

int ev_reaped(pid_t pid, int status)
{
	struct evictor *ev = &cell.ev;

	if (!ev->program[0] || pid != ev->pid)
		return 0;
	ev_drain();
	ev->ended = 1;
	if (WIFSIGNALED(status))
		rec("evexit", "pid", num(pid), "how", "signal", "sig", num(WTERMSIG(status)),
		    (char *)NULL);
	else
		rec("evexit", "pid", num(pid), "how", "exit", "code", num(WEXITSTATUS(status)),
		    (char *)NULL);
	return 1;
}

static pid_t spawn(struct evictor *ev)
{
	char path[96], adj[16];
	int p[2], i;
	pid_t pid;

	snprintf(path, sizeof(path), "/bin/%s", ev->program);
	snprintf(adj, sizeof(adj), "%d", ev->adj);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char got[16] = "";
		int err = child_prepare(p[1], adj, got, sizeof(got));

		if (err) {
			dprintf(1, "oomlab: cannot set oom_score_adj %s: got '%s', errno %d\n", adj,
				got, err);
			_exit(127);
		}
		for (i = 0; i < ev->nenv; i++)
			putenv(ev->env[i]);
		execv(path, ev->argv);
		dprintf(1, "oomlab: cannot exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	ev->out.fd = p[0];
	fcntl(ev->out.fd, F_SETFL, O_NONBLOCK);
	return pid;
}

int ev_start(void)
{
	struct evictor *ev = &cell.ev;
	long until;
	int status;

	managed_setup();
	ev->pid = spawn(ev);
	if (ev->pid < 0) {
		rec("error", "what", "evictor-start", "errno", num(errno), (char *)NULL);
		return -1;
	}
	rec("evictor", "program", ev->program, "pid", num(ev->pid), "adj", num(ev->adj),
	    (char *)NULL);
	until = mono_ms() + EV_READY_MS;
	while (!ev->is_ready) {
		struct pollfd pfd = { .fd = ev->out.fd, .events = POLLIN };
		long left = until - mono_ms();
		pid_t pid;

		if (left <= 0) {
			rec("error", "what", "evictor-ready", "errno", num(ETIMEDOUT), (char *)NULL);
			return -1;
		}
		if (ev->out.fd >= 0)
			poll(&pfd, 1, left < 100 ? (int)left : 100);
		else
			usleep(100000);
		ev_drain();
		ev_serve();
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			ev_reaped(pid, status);
		if (ev->ended && !ev->is_ready) {
			rec("error", "what", "evictor-ended", "errno", num(ECHILD), (char *)NULL);
			return -1;
		}
	}
	return 0;
}
