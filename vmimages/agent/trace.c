// SPDX-License-Identifier: GPL-2.0-only
/* trace.c - the guest's tracefs: forks, exits, OOM marks, adj writes and signals, as they happen. */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "shared/sysfile.h"

#define TRACEFS "/sys/kernel/tracing"
#define MAX_CPUS 64
#define PAGE_MAX 65536
#define SIGNAL_FILTER "sig != 17 && sig != 23 && sig != 28" /* SIGCHLD, SIGURG, SIGWINCH */

static struct tb_layout layout;
static int cpu_fd[MAX_CPUS];
static int ncpus;
static long page_size;
static struct trace_stats stats;
/* one page: static, so that draining allocates nothing under memory pressure */
static unsigned char page[PAGE_MAX] __attribute__((aligned(8)));

static int step(char *what, size_t whatlen, const char *name, int err)
{
	snprintf(what, whatlen, "%s", name);
	return err ? err : EINVAL;
}

/* Writes text to a tracefs file; returns 0 or the errno. */
static int tfs_write(const char *rel, const char *text)
{
	char path[160];

	snprintf(path, sizeof(path), TRACEFS "/%s", rel);
	return sysfile_write(path, text);
}

static int tfs_read(const char *rel, char *buf, size_t len)
{
	char path[160];

	snprintf(path, sizeof(path), TRACEFS "/%s", rel);
	return sysfile_read(path, buf, len) < 0 ? errno : 0;
}

int trace_init(unsigned kb_per_cpu, char *what, size_t whatlen)
{
	static char text[8192];
	char name[96], kb[16];
	const char *missing;
	int t, err, cpu;

	page_size = sysconf(_SC_PAGESIZE);
	if (page_size <= 0 || page_size > PAGE_MAX)
		return step(what, whatlen, "page size", 0);
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL) < 0 && errno != EBUSY)
		return step(what, whatlen, "mount", errno);
	if ((err = tfs_read("events/header_page", text, sizeof(text))))
		return step(what, whatlen, "header_page", err);
	if (tb_header_parse(text, &layout))
		return step(what, whatlen, "header_page: no timestamp, commit or data", 0);
	for (t = 0; t < TB_NTYPES; t++) {
		snprintf(name, sizeof(name), "events/%s/format", tb_event_path[t]);
		if ((err = tfs_read(name, text, sizeof(text)))) {
			snprintf(name, sizeof(name), "format %s", tb_event_path[t]);
			return step(what, whatlen, name, err);
		}
		if (tb_format_parse(text, (enum tb_type)t, &layout, &missing)) {
			snprintf(name, sizeof(name), "format %s: no field %s", tb_event_path[t],
				 missing);
			return step(what, whatlen, name, 0);
		}
	}
	snprintf(kb, sizeof(kb), "%u", kb_per_cpu);
	if ((err = tfs_write("tracing_on", "0")))
		return step(what, whatlen, "tracing_on", err);
	if ((err = tfs_write("trace_clock", "mono")))
		return step(what, whatlen, "trace_clock mono", err);
	if ((err = tfs_write("buffer_size_kb", kb)))
		return step(what, whatlen, "buffer_size_kb", err);
	if ((err = tfs_write("options/overwrite", "0")))
		return step(what, whatlen, "options/overwrite", err);
	/* the signals whose default action is to ignore them kill nobody: SIGCHLD is a flood */
	if ((err = tfs_write("events/signal/signal_generate/filter", SIGNAL_FILTER)))
		return step(what, whatlen, "signal_generate filter", err);
	if ((err = tfs_write("events/signal/signal_deliver/filter", SIGNAL_FILTER)))
		return step(what, whatlen, "signal_deliver filter", err);
	for (t = 0; t < TB_NTYPES; t++) {
		snprintf(name, sizeof(name), "events/%s/enable", tb_event_path[t]);
		if ((err = tfs_write(name, "1"))) {
			snprintf(name, sizeof(name), "enable %s", tb_event_path[t]);
			return step(what, whatlen, name, err);
		}
	}
	ncpus = 0;
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		snprintf(name, sizeof(name), TRACEFS "/per_cpu/cpu%d/trace_pipe_raw", cpu);
		cpu_fd[ncpus] = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (cpu_fd[ncpus] < 0) {
			if (errno == ENOENT)
				break;
			return step(what, whatlen, "per_cpu trace_pipe_raw", errno);
		}
		ncpus++;
	}
	if (!ncpus)
		return step(what, whatlen, "per_cpu trace_pipe_raw", ENOENT);
	memset(&stats, 0, sizeof(stats));
	stats.cpus = ncpus;
	stats.buffer_kb = kb_per_cpu;
	if ((err = tfs_write("tracing_on", "1")))
		return step(what, whatlen, "tracing_on", err);
	return 0;
}

long trace_drain(tb_emit_fn emit, void *arg, long *missed)
{
	long total = 0;
	int cpu;

	for (cpu = 0; cpu < ncpus; cpu++) {
		long bytes = 0;

		for (;;) {
			ssize_t n = read(cpu_fd[cpu], page, (size_t)page_size);
			int got;

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			bytes += n;
			got = tb_page_parse(&layout, page, (size_t)n, emit, arg, missed);
			if (got < 0) /* a page the layout cannot walk: its events are lost */
				(*missed)++;
			else
				total += got;
		}
		if (bytes > stats.peak_bytes)
			stats.peak_bytes = bytes;
	}
	stats.events += total;
	return total;
}

static void nothing(const struct tb_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

void trace_discard(void)
{
	long missed = 0;

	trace_drain(nothing, NULL, &missed);
	stats.peak_bytes = stats.events = 0;
}

/* The number after "key" in a stats file's text, or 0. */
static long stat_num(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

void trace_finish(void)
{
	char name[96], text[1024];
	int cpu;

	tfs_write("tracing_on", "0");
	for (cpu = 0; cpu < ncpus; cpu++) {
		snprintf(name, sizeof(name), "per_cpu/cpu%d/stats", cpu);
		if (tfs_read(name, text, sizeof(text)))
			continue;
		stats.dropped += stat_num(text, "dropped events:");
		stats.overrun += stat_num(text, "\noverrun:") + stat_num(text, "commit overrun:");
	}
}

void trace_stats(struct trace_stats *st)
{
	*st = stats;
}
