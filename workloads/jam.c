// SPDX-License-Identifier: GPL-2.0-only
/* jam.c - stops the agent's record channel (ttyS1's output suspended): a guest whose channel hangs. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "wl.h"

/*
 * A fault for the host's supervision to classify (bench/soak.sh): after --after-ms, jam
 * suspends output on /dev/ttyS1 (tcflow TCOOFF, as a terminal's XOFF would), the agent's
 * record channel. The agent's next records fill the port's buffer and its write(2) blocks:
 * the guest runs on, but nothing more reaches the host, and no "done" ever does. The host
 * must end the cell at its deadline as a timeout (BROK), not judge it.
 */

static const char usage[] =
	"usage: jam [--after-ms N] [--host]\n"
	"  --after-ms N     wait N ms before stopping the channel (default 500)\n"
	"  --host           allow running outside an oomlab guest\n"
	"Reports: ready, then jammed (the last the host can see, if it gets out at all).\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "after-ms", required_argument, NULL, 'a' },
		{ "host", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long after_ms = 500;
	int c, host = 0, fd;
	struct timespec ts;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': after_ms = (long)wl_count("jam", "--after-ms", optarg); break;
		case 'h': host = 1; break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	wl_guard("jam", host);
	wl_report("ready", "after_ms=%ld", after_ms);
	ts = (struct timespec){ after_ms / 1000, (after_ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	fd = open("/dev/ttyS1", O_WRONLY | O_NOCTTY);
	if (fd < 0 || tcflow(fd, TCOOFF) < 0) {
		wl_report("error", "what=tcflow errno=%d", errno);
		return 1;
	}
	wl_report("jammed", "tty=/dev/ttyS1");
	for (;;)
		pause();
}
