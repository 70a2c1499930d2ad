// SPDX-License-Identifier: GPL-2.0-only
/* workload.c - the cell's workloads: started in order, heard line by line, reaped. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cg.h"
#include "lineage.h"
#include "shared/sysfile.h"

/*
 * Each workload runs as /w/<name>, a link to its program, so that its comm is its name; its
 * own oom_score_adj is set and read back before exec, and it enters its group. Its stdout
 * and stderr come back through a pipe: each line it writes, a report (workloads/lib/wl.h),
 * is forwarded as a "wl" record. Every child the agent reaps that is a workload gets its
 * "exit" record.
 */

int child_prepare(int out, const char *adj, char *got, size_t len)
{
	sigset_t none;
	int err, nul = open("/dev/null", O_RDONLY);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	dup2(nul, 0);
	dup2(out, 1);
	dup2(out, 2);
	/* the agent is at -1000 and children inherit it: set and prove the child's own */
	err = sysfile_write("/proc/self/oom_score_adj", adj);
	sysfile_read("/proc/self/oom_score_adj", got, len);
	return err ? err : strcmp(got, adj) ? -1 : 0;
}

int lines_drain(struct line_pipe *lp, void (*line)(void *arg, char *text), void *arg)
{
	ssize_t n;
	char *nl;

	if (lp->fd < 0)
		return 0;
	for (;;) {
		n = read(lp->fd, lp->buf + lp->blen, sizeof(lp->buf) - 1 - lp->blen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		lp->blen += (size_t)n;
		lp->buf[lp->blen] = '\0';
		while ((nl = memchr(lp->buf, '\n', lp->blen))) {
			*nl = '\0';
			line(arg, lp->buf);
			lp->blen -= (size_t)(nl + 1 - lp->buf);
			memmove(lp->buf, nl + 1, lp->blen);
		}
		if (lp->blen == sizeof(lp->buf) - 1) { /* a line too long for the format */
			line(arg, lp->buf);
			lp->blen = 0;
		}
	}
	if (n == 0) {
		if (lp->blen) {
			lp->buf[lp->blen] = '\0';
			line(arg, lp->buf);
			lp->blen = 0;
		}
		close(lp->fd);
		lp->fd = -1;
		return 0;
	}
	return 1;
}

static void start_workload(struct wl *w)
{
	char link[64], target[96], adj[16];
	int p[2];
	pid_t pid;

	/* comm is the base name of the path given to execve: a link named after the workload */
	mkdir("/w", 0755);
	snprintf(link, sizeof(link), "/w/%s", w->name);
	snprintf(target, sizeof(target), "/bin/%s", w->program);
	unlink(link);
	w->started = 1;
	if (symlink(target, link) < 0 || pipe2(p, O_CLOEXEC) < 0) {
		rec("never", "name", w->name, "reason", "setup", "errno", num(errno), (char *)NULL);
		w->never = 1;
		return;
	}
	snprintf(adj, sizeof(adj), "%d", w->adj);
	pid = fork();
	if (pid == 0) {
		char got[16] = "";
		int err = child_prepare(p[1], adj, got, sizeof(got));

		if (err) {
			dprintf(1, "adjfail want=%s got=%s errno=%d\n", adj, got, err < 0 ? 0 : err);
			_exit(127);
		}
		err = w->group[0] ? cg_enter(w->group) : 0;
		if (err) {
			dprintf(1, "cgfail group=%s errno=%d\n", w->group, err);
			_exit(127);
		}
		execv(link, w->argv);
		dprintf(1, "execfail errno=%d\n", errno);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		rec("never", "name", w->name, "reason", "fork", "errno", num(errno), (char *)NULL);
		w->never = 1;
		return;
	}
	w->pid = pid;
	/*
	 * Until the child has written its own, it holds the agent's -1000, and a sample taken
	 * now would record that as the workload's own choice (a "wladj" the oracles believe).
	 * Write it from here too, before any sample can run: both writes set the same value,
	 * and the child's read-back stays the proof.
	 */
	snprintf(link, sizeof(link), "/proc/%d/oom_score_adj", (int)pid);
	sysfile_write(link, adj);
	lineage_claim(pid, (int)(w - cell.wl) + 1);
	w->out.fd = p[0];
	/*
	 * A read of /proc/<pid>/statm holds the workload's mm (get_task_mm()). Were the workload
	 * OOM-killed meanwhile, its exit would leave the mm to our mmput(): it would leave its
	 * cgroup's tasks with its memory still charged, and an allocation then finding the group
	 * at its limit, and no victim left to wait for, would get a second task killed. Only
	 * earlyoom's cells read it: earlyoom reads the same file itself, its model ranks by it.
	 */
	if (!strcmp(cell.ev.program, "earlyoom")) {
		snprintf(link, sizeof(link), "/proc/%d/statm", (int)pid);
		w->statm = open(link, O_RDONLY | O_CLOEXEC);
	}
	snprintf(link, sizeof(link), "/proc/%d/oom_score_adj", (int)pid);
	w->adjfd = open(link, O_RDONLY | O_CLOEXEC);
	snprintf(link, sizeof(link), "/proc/%d/oom_score", (int)pid);
	w->scorefd = open(link, O_RDONLY | O_CLOEXEC);
	w->seen_adj = w->adj;
	fcntl(w->out.fd, F_SETFL, O_NONBLOCK);
	rec("start", "name", w->name, "pid", num(pid), "program", w->program, "adj", adj,
	    "group", w->group, (char *)NULL);
}

void wl_start_ready(void)
{
	int i, j;

	for (i = 0; i < cell.nwl; i++) {
		struct wl *w = &cell.wl[i], *dep = NULL;

		if (w->started || w->never)
			continue;
		if (!w->after[0]) {
			start_workload(w);
			continue;
		}
		for (j = 0; j < cell.nwl; j++)
			if (!strcmp(cell.wl[j].name, w->after))
				dep = &cell.wl[j];
		if (!dep) {
			rec("never", "name", w->name, "reason", "no-such-workload", "after", w->after,
			    (char *)NULL);
			w->never = 1;
		} else if (!strcmp(dep->phase, w->after_phase)) {
			start_workload(w);
		} else if (dep->ended || dep->never) {
			rec("never", "name", w->name, "reason", "after-ended", "after", dep->name,
			    "after_phase", dep->phase, (char *)NULL);
			w->never = 1;
		}
	}
}

static void forward_line(struct wl *w, char *text)
{
	char copy[PROTO_LINE_MAX], line[PROTO_LINE_MAX];
	struct proto_line l;
	int i;

	snprintf(copy, sizeof(copy), "%s", text);
	rec_begin(line, sizeof(line), "wl");
	proto_add(line, sizeof(line), "name", w->name);
	proto_add(line, sizeof(line), "pid", num(w->pid));
	if (proto_split(copy, &l) == 0) {
		proto_add(line, sizeof(line), "phase", l.word);
		for (i = 0; i < l.nkv; i++)
			proto_add(line, sizeof(line), l.kv[i].key, l.kv[i].val);
		snprintf(w->phase, sizeof(w->phase), "%s", l.word);
		w->bytes = proto_getll(&l, "bytes", w->bytes);
	} else {
		proto_add(line, sizeof(line), "raw", text);
	}
	rec_end(line, sizeof(line));
}

static void wl_line(void *arg, char *text)
{
	forward_line(arg, text);
}

int wl_drain(struct wl *w)
{
	return lines_drain(&w->out, wl_line, w);
}

struct wl *wl_find_pid(pid_t pid)
{
	int i;

	for (i = 0; i < cell.nwl; i++)
		if (cell.wl[i].pid == pid)
			return &cell.wl[i];
	return NULL;
}

void wl_reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct wl *w = wl_find_pid(pid);

		if (!w) /* the evictor, or an orphan re-parented to PID 1 */
			ev_reaped(pid, status);
		if (!w)
			continue;
		wl_drain(w);
		w->ended = 1;
		if (w->statm >= 0)
			close(w->statm);
		if (w->adjfd >= 0)
			close(w->adjfd);
		if (w->scorefd >= 0)
			close(w->scorefd);
		w->statm = w->adjfd = w->scorefd = -1;
		if (WIFSIGNALED(status))
			rec("exit", "name", w->name, "pid", num(pid), "how", "signal",
			    "sig", num(WTERMSIG(status)), "phase", w->phase, "bytes", num(w->bytes),
			    (char *)NULL);
		else
			rec("exit", "name", w->name, "pid", num(pid), "how", "exit",
			    "code", num(WEXITSTATUS(status)), "phase", w->phase,
			    "bytes", num(w->bytes), (char *)NULL);
	}
}
