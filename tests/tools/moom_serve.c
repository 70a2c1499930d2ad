// SPDX-License-Identifier: GPL-2.0-only
/* moom_serve.c - the agent's ManagedOOM server alone, to run the real systemd-oomd against. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/managed_oom.h"

/*
 * moom_serve SOCKET GROUP... serves the groups until SIGTERM or SIGINT. A GROUP is
 * swap:PATH or pressure:PATH[:PERMYRIAD] (pressure:/oomlab/a:5000 for a 50% limit; no limit
 * means oomd's default). Each answered subscription and each hang-up is told on stderr.
 * Built by tests/tools/sdoomd-dryrun.sh with the module itself.
 */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int add_group(struct moom_server *s, char *arg)
{
	enum moom_property prop;
	char *path, *lim;
	unsigned long p = 0;

	if (!strncmp(arg, "swap:", 5)) {
		prop = MOOM_SWAP;
		path = arg + 5;
	} else if (!strncmp(arg, "pressure:", 9)) {
		prop = MOOM_PRESSURE;
		path = arg + 9;
	} else {
		return -1;
	}
	lim = strchr(path, ':');
	if (lim) {
		*lim++ = '\0';
		p = strtoul(lim, NULL, 10);
	}
	return moom_set(s, path, prop, MOOM_KILL, p ? moom_limit_from_permyriad((unsigned)p) : 0);
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MOOM_MAX_CLIENTS + 1];
	struct sigaction sa = { .sa_handler = on_signal };
	struct moom_server s;
	long served = 0;
	int i, n, open = 0, now_open;

	if (argc < 3) {
		fprintf(stderr, "usage: moom_serve SOCKET swap:PATH|pressure:PATH[:PERMYRIAD]...\n");
		return 2;
	}
	moom_init(&s);
	for (i = 2; i < argc; i++)
		if (add_group(&s, argv[i]) < 0) {
			fprintf(stderr, "moom_serve: bad group '%s'\n", argv[i]);
			return 2;
		}
	if (moom_listen(&s, argv[1]) < 0) {
		fprintf(stderr, "moom_serve: cannot listen on '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fprintf(stderr, "moom_serve: listening on %s with %d groups\n", argv[1], s.ngroups);
	while (!stop) {
		n = moom_pollfds(&s, pfd, MOOM_MAX_CLIENTS + 1);
		if (poll(pfd, (nfds_t)n, -1) < 0 && errno != EINTR)
			break;
		now_open = moom_handle(&s);
		if (s.served != served)
			fprintf(stderr, "moom_serve: subscription %ld answered\n", s.served);
		if (now_open < open)
			fprintf(stderr, "moom_serve: a client hung up (%d open)\n", now_open);
		served = s.served;
		open = now_open;
	}
	moom_release(&s);
	unlink(argv[1]);
	return 0;
}
