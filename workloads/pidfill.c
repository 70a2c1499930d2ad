// SPDX-License-Identifier: GPL-2.0-only
/* pidfill.c - creates idle processes or threads until the kernel refuses one, then holds them. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "wl.h"

static const char usage[] =
	"usage: pidfill [options]\n"
	"  --mode fork|thread  create processes (default) or threads of this process\n"
	"  --max N          stop at N tasks even if the kernel would allow more (default 0:\n"
	"                   no limit, until fork or pthread_create fails)\n"
	"  --stack SIZE     each thread's stack (default 64K; thread mode)\n"
	"  --exit           exit 0 when done instead of holding (the tasks die with it)\n"
	"  --host           allow running outside an oomlab guest\n"
	"The tasks only pause. Forked ones die with this process (PR_SET_PDEATHSIG SIGKILL),\n"
	"so killing it ends them all. A task the kernel refuses is usually EAGAIN: pid_max,\n"
	"kernel.threads-max, the cgroup's pids.max or RLIMIT_NPROC.\n"
	"Reports (one line each): ready, grow (every 64 tasks), refused, holding;\n"
	"see docs/PROTOCOL.md.\n";

#define PIDFILL_REPORT_EVERY 64

struct pidfill_opts {
	int thread;
	unsigned long long max; /* 0: no limit */
	unsigned long long stack;
	int exit_when_done;
	int host;
};

static void parse_opts(int argc, char **argv, struct pidfill_opts *o)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "max", required_argument, NULL, 'n' },
		{ "stack", required_argument, NULL, 's' },
		{ "exit", no_argument, NULL, 'x' },
		{ "host", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, '?' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct pidfill_opts){ .stack = 64ULL << 10 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "fork") || !strcmp(optarg, "thread")) {
				o->thread = !strcmp(optarg, "thread");
				break;
			}
			fprintf(stderr, "pidfill: --mode takes fork or thread, found '%s'\n",
				optarg);
			exit(2);
		case 'n': o->max = wl_count("pidfill", "--max", optarg); break;
		case 's': o->stack = wl_size("pidfill", "--stack", optarg); break;
		case 'x': o->exit_when_done = 1; break;
		case 'h': o->host = 1; break;
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "pidfill: unexpected argument\n%s", usage);
		exit(2);
	}
}

static void *idle_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/*
 * Forks one idle child. Returns 0 in the parent, or -1 with errno set. The child never
 * returns: it closes every descriptor, the report pipe first of all (stdout and stderr both
 * lead to it in the guest, and a child holding it open would keep the agent from seeing
 * end-of-file), and pauses until its parent dies.
 */
static int fork_idle(pid_t parent)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid > 0)
		return 0;
	closefrom(0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* the parent may have died before prctl: then nobody would ever send the signal */
	if (getppid() != parent)
		_exit(0);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	struct pidfill_opts o;
	pthread_attr_t attr;
	unsigned long long count = 0;
	pid_t self = getpid();
	int err = 0;

	parse_opts(argc, argv, &o);
	wl_guard("pidfill", o.host);
	if (o.thread) {
		pthread_attr_init(&attr);
		err = pthread_attr_setstacksize(&attr, o.stack);
		if (err) {
			fprintf(stderr, "pidfill: --stack %llu: %s\n", o.stack, strerror(err));
			return 2;
		}
		/* nobody joins them: let the kernel take a thread back at once if it ever ends */
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	}
	wl_report("ready", "mode=%s pid_max=%lld threads_max=%lld", o.thread ? "thread" : "fork",
		  wl_file_ll("/proc/sys/kernel/pid_max"),
		  wl_file_ll("/proc/sys/kernel/threads-max"));

	while (!o.max || count < o.max) {
		pthread_t t;

		if (o.thread) {
			/* pthread_create returns the error; it does not set errno */
			err = pthread_create(&t, &attr, idle_thread, NULL);
		} else if (fork_idle(self) < 0) {
			err = errno;
		}
		if (err) {
			wl_report("refused", "count=%llu errno=%d", count, err);
			break;
		}
		count++;
		if (count % PIDFILL_REPORT_EVERY == 0)
			wl_report("grow", "count=%llu", count);
	}

	wl_report("holding", "count=%llu", count);
	wl_hold(o.exit_when_done);
}
