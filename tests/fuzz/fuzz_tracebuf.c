// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_tracebuf.c - libFuzzer target: tracebuf's format, header and page parsers on any bytes. */

/*
 * Each input is read two ways, so that the real captures in tests/data/trace/ are the seeds
 * as they are (a format file, header_page or a cpuN.raw page):
 *
 * - as a ring-buffer page, walked by tb_page_parse() with the layout of the real 6.1 and of
 *   the real 6.12 format files;
 * - as text (its bytes up to the first NUL), read by tb_header_parse() and by
 *   tb_format_parse() for every event type. Each result replaces its part of the real 6.1 and
 *   6.12 layouts, as if that kernel's file had read so, and the kernel's real pages are then
 *   walked with it.
 *
 * The real layouts and pages are loaded once, from $OOMLAB_TESTDATA or tests/data (run from
 * the repository's root, as make does). Any read outside a buffer is ASan's to find; what the
 * results must satisfy is checked here, and a breach aborts.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/tracebuf.h"

#define NKERNELS 2
#define NCPUS 2

static const char *const kernels[NKERNELS] = { "debian-6.1", "debian-6.12" };
static const char *const format_file[TB_NTYPES] = {
	[TB_FORK] = "sched_process_fork.format", [TB_EXIT] = "sched_process_exit.format",
	[TB_SIGNAL] = "signal_generate.format", [TB_DELIVER] = "signal_deliver.format",
	[TB_VICTIM] = "mark_victim.format", [TB_ADJ] = "oom_score_adj_update.format",
};

static struct tb_layout real[NKERNELS];
static struct {
	unsigned char *bytes;
	size_t len;
} pages[NKERNELS][NCPUS];

/*
 * The bytes of trace/<kernel>/<file>, in a buffer of exactly their length, or one more for a
 * NUL when text is set, so that ASan sees a read past the end of a page.
 */
static unsigned char *load(const char *kernel, const char *file, size_t *len, int text)
{
	const char *dir = getenv("OOMLAB_TESTDATA");
	char path[4096];
	unsigned char *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace/%s/%s", dir && *dir ? dir : "tests/data", kernel,
		 file);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "fuzz_tracebuf: cannot read '%s' (run from the repository's root)\n",
			path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	if (text)
		buf[n] = '\0';
	else if (!(buf = realloc(buf, n ? (size_t)n : 1)))
		abort();
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *missing;
	size_t len;
	int k, t, cpu;

	for (k = 0; k < NKERNELS; k++) {
		char *text = (char *)load(kernels[k], "header_page", &len, 1);

		if (tb_header_parse(text, &real[k]))
			abort();
		free(text);
		for (t = 0; t < TB_NTYPES; t++) {
			text = (char *)load(kernels[k], format_file[t], &len, 1);
			if (tb_format_parse(text, (enum tb_type)t, &real[k], &missing))
				abort();
			free(text);
		}
		for (cpu = 0; cpu < NCPUS; cpu++) {
			char name[16];

			snprintf(name, sizeof(name), "cpu%d.raw", cpu);
			pages[k][cpu].bytes = load(kernels[k], name, &pages[k][cpu].len, 0);
		}
	}
	return 0;
}

/* Every event emitted is of a known type, with its comm ending inside its array. */
static void check_event(const struct tb_event *ev, void *arg)
{
	int *n = arg;

	if ((unsigned)ev->type >= TB_NTYPES || !memchr(ev->comm, 0, sizeof(ev->comm)))
		abort();
	(*n)++;
}

/* Walks a page: a count returned is the count emitted (a corrupt page may emit some first). */
static void walk(const struct tb_layout *l, const unsigned char *page, size_t len)
{
	long missed = 0;
	int n = 0, got = tb_page_parse(l, page, len, check_event, &n, &missed);

	if (got < -1 || (got >= 0 && got != n) || missed < 0)
		abort();
}

static void walk_real_pages(const struct tb_layout *l, int k)
{
	int cpu;

	for (cpu = 0; cpu < NCPUS; cpu++)
		walk(l, pages[k][cpu].bytes, pages[k][cpu].len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t textlen = size;
	const uint8_t *nul = memchr(data, 0, size);
	char *text;
	int k, t;

	for (k = 0; k < NKERNELS; k++)
		walk(&real[k], data, size);

	if (nul)
		textlen = (size_t)(nul - data);
	text = malloc(textlen + 1);
	if (!text)
		abort();
	memcpy(text, data, textlen);
	text[textlen] = '\0';
	for (k = 0; k < NKERNELS; k++) {
		struct tb_layout l = real[k];

		if (tb_header_parse(text, &l) == 0 &&
		    (l.page_ts_off < 0 || l.page_commit_off < 0 || l.page_data_off < 0 ||
		     (l.page_commit_size != 4 && l.page_commit_size != 8)))
			abort();
		walk_real_pages(&l, k);
		for (t = 0; t < TB_NTYPES; t++) {
			const char *missing = "unset";
			int rc;

			l = real[k];
			rc = tb_format_parse(text, (enum tb_type)t, &l, &missing);
			if (rc == 0 ? missing || l.ev[t].id <= 0 || l.common_pid_off < 0 :
				      rc != -1 || !missing || l.ev[t].id)
				abort();
			walk_real_pages(&l, k);
		}
	}
	free(text);
	return 0;
}
