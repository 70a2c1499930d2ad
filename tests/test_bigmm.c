// SPDX-License-Identifier: GPL-2.0-only
/* test_bigmm.c - bigmm run on the host (--host), small: its reports, its children, its ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "shared/proto.h"

/*
 * The workload is the real static binary (build/guest/bigmm, or $OOMLAB_GUEST/bigmm), given
 * --host and a few MiB: the tests read its report stream as the agent would, one line at a
 * time, and send the signals the OOM killer would. This test process is a child subreaper, so
 * a child the workload leaves behind is reparented here and can be seen.
 */

struct wl {
	pid_t pid;
	int fd;
	char buf[1 << 16];
	size_t len;
};

static void wl_start(struct wl *w, const char *const *args)
{
	const char *dir = getenv("OOMLAB_GUEST");
	char path[4096];
	char *argv[32];
	int p[2], i;

	snprintf(path, sizeof(path), "%s/bigmm", dir && *dir ? dir : "build/guest");
	argv[0] = "bigmm";
	argv[1] = "--host";
	for (i = 0; args[i]; i++)
		argv[i + 2] = (char *)args[i];
	argv[i + 2] = NULL;
	assert_int_equal(pipe(p), 0);
	w->pid = fork();
	assert_true(w->pid >= 0);
	if (!w->pid) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv(path, argv);
		_exit(127);
	}
	close(p[1]);
	w->fd = p[0];
	w->len = 0;
}

/* The next report line into line (without its newline); fails the test after 10 s or at EOF. */
static void wl_line(struct wl *w, char *line, size_t len)
{
	for (;;) {
		char *nl = memchr(w->buf, '\n', w->len);
		struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - w->buf);

			assert_true(l < len);
			memcpy(line, w->buf, l);
			line[l] = '\0';
			w->len -= l + 1;
			memmove(w->buf, nl + 1, w->len);
			return;
		}
		if (poll(&pfd, 1, 10000) != 1)
			fail_msg("no report from bigmm within 10 s");
		n = read(w->fd, w->buf + w->len, sizeof(w->buf) - w->len);
		if (n <= 0)
			fail_msg("bigmm's reports ended; had '%.*s'", (int)w->len, w->buf);
		w->len += (size_t)n;
	}
}

/* Reads reports until one starts with prefix; returns it (in line). */
static const char *wl_until(struct wl *w, const char *prefix, char *line, size_t len)
{
	do
		wl_line(w, line, len);
	while (strncmp(line, prefix, strlen(prefix)));
	return line;
}

static int wl_wait(struct wl *w)
{
	int status;

	assert_int_equal(waitpid(w->pid, &status, 0), w->pid);
	close(w->fd);
	return status;
}

static long long field(const char *line, const char *key)
{
	char copy[PROTO_LINE_MAX];
	struct proto_line l;

	snprintf(copy, sizeof(copy), "%s", line);
	assert_int_equal(proto_split(copy, &l), 0);
	return proto_getll(&l, key, -1);
}

/* SIGKILL to one process this test started: never to a pid that could mean many. */
static void kill_one(pid_t pid, pid_t started_by)
{
	char path[64], stat[256];
	FILE *f;
	int ppid = -1;

	assert_true(pid > 1 && pid != getpid());
	/* it is the workload itself, or the workload's child */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	if (fgets(stat, sizeof(stat), f))
		sscanf(strrchr(stat, ')') + 2, "%*c %d", &ppid);
	fclose(f);
	assert_true(ppid == started_by || ppid == getpid());
	assert_int_equal(kill(pid, SIGKILL), 0);
}

static int setup(void **state)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1) ? -1 : 0;
}

static void fork_children_each_grow_their_share_and_exit(void **state)
{
	static const char *const args[] = { "--fork", "2", "--total", "4M", "--chunk", "1M",
					     "--exit", NULL };
	char line[PROTO_LINE_MAX];
	struct wl w;
	pid_t kid[2];
	int k, status, ended = 0;

	wl_start(&w, args);
	wl_line(&w, line, sizeof(line));
	assert_string_equal(line, "ready fork=2");
	for (k = 0; k < 2; k++) {
		wl_line(&w, line, sizeof(line));
		assert_int_equal(field(line, "child"), k);
		kid[k] = (pid_t)field(line, "child_pid");
		assert_true(kid[k] > 0);
		assert_non_null(strstr(line, "forked "));
	}
	assert_true(kid[0] != kid[1]);
	/* every report until the end: grow's bytes are the children's sum, never above 4M */
	for (;;) {
		wl_line(&w, line, sizeof(line));
		if (!strncmp(line, "grow ", 5)) {
			assert_true(field(line, "bytes") <= 4 << 20);
		} else if (!strncmp(line, "ended ", 6)) {
			/* each exited 0 after holding its 2 MiB */
			assert_int_equal(field(line, "child_pid"), kid[field(line, "child")]);
			assert_non_null(strstr(line, " how=exit code=0 bytes=2097152"));
			if (++ended == 2)
				break;
		} else {
			assert_int_equal(strncmp(line, "holding ", 8), 0);
		}
	}
	status = wl_wait(&w);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void a_killed_child_leaves_the_others_supervised(void **state)
{
	static const char *const args[] = { "--fork", "2", "--total", "4M", "--chunk", "1M",
					     NULL };
	char line[PROTO_LINE_MAX];
	struct wl w;
	pid_t kid[2];
	int k, status;

	wl_start(&w, args);
	wl_line(&w, line, sizeof(line));
	for (k = 0; k < 2; k++)
		kid[k] = (pid_t)field(wl_until(&w, "forked ", line, sizeof(line)), "child_pid");
	/* both hold their half: the workload holds it all */
	wl_until(&w, "holding ", line, sizeof(line));
	assert_string_equal(line, "holding bytes=4194304 children=2");

	/* the OOM killer's SIGKILL to one child: the parent says so, and holds what is left */
	kill_one(kid[0], w.pid);
	wl_line(&w, line, sizeof(line));
	assert_int_equal(field(line, "child"), 0);
	assert_int_equal(field(line, "child_pid"), kid[0]);
	assert_non_null(strstr(line, "ended "));
	assert_non_null(strstr(line, " how=signal sig=9 bytes=2097152"));
	wl_line(&w, line, sizeof(line));
	assert_string_equal(line, "holding bytes=2097152 children=1");

	/* the parent killed: its last child dies with it, never left running unsupervised */
	kill_one(w.pid, getpid());
	status = wl_wait(&w);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(waitpid(kid[1], &status, 0), kid[1]);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void a_child_that_fails_ends_the_workload(void **state)
{
	/* no NUMA node 63: set_mempolicy fails in each child, which exits 1 */
	static const char *const args[] = { "--fork", "2", "--total", "2M", "--membind", "63",
					     NULL };
	char line[PROTO_LINE_MAX];
	struct wl w;
	int status;

	wl_start(&w, args);
	wl_until(&w, "error ", line, sizeof(line));
	assert_non_null(strstr(line, "what=set_mempolicy node=63 errno="));
	assert_true(field(line, "child") >= 0);
	wl_until(&w, "ended ", line, sizeof(line));
	assert_non_null(strstr(line, " how=exit code=1 "));
	status = wl_wait(&w);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	/* it reaped both: none was left for this subreaper */
	assert_int_equal(waitpid(-1, &status, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void fork_takes_a_count(void **state)
{
	static const char *const zero[] = { "--fork", "0", NULL };
	static const char *const word[] = { "--fork", "two", NULL };
	struct wl w;
	int status;

	wl_start(&w, zero);
	status = wl_wait(&w);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	wl_start(&w, word);
	status = wl_wait(&w);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
}

/* --avail-node: the OOM is to be a node's, so the target is that node's free memory */
static void avail_node_grows_past_the_nodes_free_memory(void **state)
{
	/* one chunk, then a long pause: it is killed once it has said its target */
	static const char *const args[] = { "--beyond-avail", "1M", "--avail-node", "0",
					     "--chunk", "1M", "--pause-ms", "60000", NULL };
	static const char *const alone[] = { "--avail-node", "0", NULL };
	static const char *const absent[] = { "--beyond-avail", "1M", "--avail-node", "63",
					      NULL };
	char line[PROTO_LINE_MAX];
	struct wl w;
	int status;

	if (access("/sys/devices/system/node/node0/meminfo", R_OK)) {
		print_message("skipped: no /sys/devices/system/node/node0/meminfo (a kernel "
			      "without NUMA support has no node files)\n");
		skip();
	}
	wl_start(&w, args);
	wl_line(&w, line, sizeof(line));
	assert_true(field(line, "avail_kb") > 0);
	assert_int_equal(field(line, "total"), field(line, "avail_kb") * 1024 + (1 << 20));
	kill_one(w.pid, getpid());
	wl_wait(&w);
	/* without --beyond-avail it has nothing to change; with no such node, nothing to read */
	wl_start(&w, alone);
	status = wl_wait(&w);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	wl_start(&w, absent);
	status = wl_wait(&w);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_children_each_grow_their_share_and_exit),
		cmocka_unit_test(a_killed_child_leaves_the_others_supervised),
		cmocka_unit_test(a_child_that_fails_ends_the_workload),
		cmocka_unit_test(fork_takes_a_count),
		cmocka_unit_test(avail_node_grows_past_the_nodes_free_memory),
	};

	return cmocka_run_group_tests_name("test_bigmm", tests, setup, NULL);
}
