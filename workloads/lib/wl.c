/* wl.c - what every workload shares: the guest guard, the report writer, size options. */
#include "wl.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AGENT_COMM "oomlab-agent"

void wl_guard(const char *prog, int allow_host)
{
	char comm[32] = "";
	int fd = open("/proc/1/comm", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, comm, sizeof(comm) - 1);

	if (fd >= 0)
		close(fd);
	if (n > 0) {
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
	}
	if (allow_host || !strcmp(comm, AGENT_COMM))
		return;
	fprintf(stderr,
		"%s: refusing to run outside an oomlab guest (PID 1 is '%s', not '%s'): it would "
		"exhaust this machine's memory; pass --host to do it anyway\n",
		prog, comm, AGENT_COMM);
	exit(2);
}

void wl_report(const char *phase, const char *fmt, ...)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "%s", phase);
	va_list ap;

	if (fmt && *fmt) {
		line[n++] = ' ';
		va_start(ap, fmt);
		n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
		va_end(ap);
	}
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* one write per line: a line is either whole in the pipe or not there at all */
	while (write(STDOUT_FILENO, line, (size_t)n) < 0 && errno == EINTR)
		;
}

long long wl_meminfo(const char *field)
{
	char text[4096], *p;
	int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	size_t flen = strlen(field);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, field, flen) && p[flen] == ':')
			return strtoll(p + flen + 1, NULL, 10);
	return -1;
}

unsigned long long wl_size(const char *prog, const char *opt, const char *arg)
{
	unsigned long long v;

	if (!arg || proto_parse_size(arg, &v)) {
		fprintf(stderr, "%s: %s takes a size such as 8M or 1G, found '%s'\n", prog, opt,
			arg ? arg : "");
		exit(2);
	}
	return v;
}
