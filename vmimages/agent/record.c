// SPDX-License-Identifier: GPL-2.0-only
/* record.c - the agent's records on ttyS1: sequence-numbered, time-stamped, one write(2) each. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/*
 * The second serial port carries only records (docs/PROTOCOL.md), so the kernel console on
 * ttyS0 carries only the kernel's own log, and a record is never half-written when the guest
 * dies: each is one line, written with one write(2). Its sequence number lets the host see a
 * record lost; its time is the guest's CLOCK_MONOTONIC.
 */

static int recfd = -1;
static long rec_seq;

long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void rec_begin(char *line, size_t len, const char *word)
{
	snprintf(line, len, "@%ld %ld %s", rec_seq++, mono_ms(), word);
}

void rec_end(char *line, size_t len)
{
	size_t n = strlen(line);

	if (n + 1 >= len)
		n = len - 2;
	line[n++] = '\n';
	while (recfd >= 0 && write(recfd, line, n) < 0 && errno == EINTR)
		;
}

void rec(const char *word, ...)
{
	char line[PROTO_LINE_MAX];
	const char *k, *v;
	va_list ap;

	rec_begin(line, sizeof(line), word);
	va_start(ap, word);
	while ((k = va_arg(ap, const char *)) && (v = va_arg(ap, const char *)))
		proto_add(line, sizeof(line), k, v);
	va_end(ap);
	rec_end(line, sizeof(line));
}

const char *num(long long v)
{
	static char bufs[8][24];
	static int i;

	i = (i + 1) % 8;
	snprintf(bufs[i], sizeof(bufs[i]), "%lld", v);
	return bufs[i];
}

int rec_open(void)
{
	struct termios t;

	recfd = open(RECORD_TTY, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (recfd < 0)
		return -1;
	if (tcgetattr(recfd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(recfd, TCSANOW, &t);
	}
	return recfd;
}

void rec_restart(void)
{
	rec_seq = 0;
}

void rec_flush(void)
{
	if (recfd >= 0)
		tcdrain(recfd);
}
