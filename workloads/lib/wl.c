// SPDX-License-Identifier: GPL-2.0-only
/* wl.c - what every workload shares: the guest guard, the report writer, size options. */
#include "wl.h"
#include "shared/sysfile.h"
#include "shared/proto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

void wl_hold(int exit_when_done)
{
	if (exit_when_done)
		exit(0);
	for (;;)
		pause();
}

void wl_report(const char *phase, const char *fmt, ...)
{
	char line[PROTO_LINE_MAX]; /* the agent's limit, and within PIPE_BUF: one atomic write */
	int n = snprintf(line, sizeof(line), "%s", phase);
	va_list ap;

	if (fmt && *fmt) {
		line[n++] = ' ';
		va_start(ap, fmt);
		n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
		va_end(ap);
	}
	/* a cut line would read as a whole report with wrong values: say it was cut instead */
	if (n > (int)sizeof(line) - 2)
		n = snprintf(line, sizeof(line), "%s cut=1", phase);
	line[n++] = '\n';
	/* one write per line: a line is either whole in the pipe or not there at all */
	while (write(STDOUT_FILENO, line, (size_t)n) < 0 && errno == EINTR)
		;
}

/* A "Field:  value" line's value in a small /proc file of such lines, or -1. */
static long long field_of(const char *path, const char *field)
{
	char text[8192], *p;
	size_t flen = strlen(field);

	if (sysfile_read(path, text, sizeof(text)) <= 0)
		return -1;
	for (p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, field, flen) && p[flen] == ':')
			return strtoll(p + flen + 1, NULL, 10);
	return -1;
}

long long wl_meminfo(const char *field)
{
	return field_of("/proc/meminfo", field);
}

long long wl_node_meminfo(int node, const char *field)
{
	char path[64], key[64];

	/* its lines read "Node 1 MemFree:   118284 kB" */
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", node);
	snprintf(key, sizeof(key), "Node %d %s", node, field);
	return field_of(path, key);
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

long long wl_status_kb(const char *field)
{
	return field_of("/proc/self/status", field);
}

long long wl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wl_fill(void *p, size_t n, unsigned long long *state)
{
	unsigned long long x = *state, w;
	unsigned char *b = p;
	size_t i;

	if (!x) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = ((unsigned long long)getpid() << 32) ^ (unsigned long long)ts.tv_nsec ^
		    (unsigned long long)ts.tv_sec * 0x9E3779B97F4A7C15ULL;
		x |= 1; /* xorshift's one fixed point is 0 */
	}
	for (i = 0; i < n; i += sizeof(w)) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		w = x * 0x2545F4914F6CDD1DULL;
		memcpy(b + i, &w, n - i < sizeof(w) ? n - i : sizeof(w));
	}
	*state = x;
}

unsigned long long wl_count(const char *prog, const char *opt, const char *arg)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = arg && *arg >= '0' && *arg <= '9' ? strtoull(arg, &end, 10) : 0;
	if (!arg || *arg < '0' || *arg > '9' || *end || errno) {
		fprintf(stderr, "%s: %s takes a count such as 0 or 200, found '%s'\n", prog, opt,
			arg ? arg : "");
		exit(2);
	}
	return v;
}

const char *wl_esc(char *buf, size_t len, const char *s)
{
	char field[PROTO_LINE_MAX] = "";

	/* proto_add holds the one escaping rule; it writes " v=<escaped>" */
	if (!len)
		return "";
	if (proto_add(field, sizeof(field), "v", s) || strlen(field + 3) >= len)
		buf[0] = '\0';
	else
		strcpy(buf, field + 3);
	return buf;
}

long long wl_file_ll(const char *path)
{
	char buf[64], *end;
	long long v;

	if (sysfile_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	v = strtoll(buf, &end, 10);
	return end == buf ? -1 : v;
}

int wl_mkdirs(const char *path)
{
	char p[4096];
	size_t i, len = strlen(path);

	if (len >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(p, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
		p[i] = path[i];
	}
	return 0;
}
