// SPDX-License-Identifier: GPL-2.0-only
/* swapeat.c - fills anonymous memory with incompressible data, leaves it cold, reports its swap. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "wl.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21 /* Linux 5.4; older libc headers lack it */
#endif

static const char usage[] =
	"usage: swapeat [options]\n"
	"  --chunk SIZE     mmap and fill this much at a time (default 8M)\n"
	"  --total SIZE     stop growing at this many bytes and hold them (default: no limit)\n"
	"  --pageout        when done growing, ask the kernel to swap it all out now\n"
	"                   (madvise MADV_PAGEOUT; Linux 5.4 and later)\n"
	"  --report-ms N    while holding, check VmSwap and VmRSS every N ms and report them\n"
	"                   when they changed (default 500; 0: report once)\n"
	"  --exit           exit 0 when done growing instead of holding\n"
	"  --host           allow running outside an oomlab guest\n"
	"Every page holds different pseudo-random bytes: zram cannot compress them or store\n"
	"them as same-filled, so swapping them costs what it would cost on a disk.\n"
	"Reports (one line each): ready, grow, enomem, pageout, holding (repeated with new\n"
	"swap_kb= rss_kb= while holding); see docs/PROTOCOL.md.\n";

struct swapeat_opts {
	unsigned long long chunk;
	unsigned long long total; /* ULLONG_MAX: no limit */
	unsigned long long report_ms;
	int pageout;
	int exit_when_done;
	int host;
};

/* What it holds: the mappings, so that --pageout can name exactly them. */
struct swapeat_region {
	void *p;
	size_t len;
};

static void parse_opts(int argc, char **argv, struct swapeat_opts *o)
{
	static const struct option longopts[] = {
		{ "chunk", required_argument, NULL, 'c' },
		{ "total", required_argument, NULL, 't' },
		{ "pageout", no_argument, NULL, 'P' },
		{ "report-ms", required_argument, NULL, 'r' },
		{ "exit", no_argument, NULL, 'x' },
		{ "host", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, '?' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct swapeat_opts){ .chunk = 8ULL << 20, .total = ~0ULL, .report_ms = 500 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->chunk = wl_size("swapeat", "--chunk", optarg); break;
		case 't': o->total = wl_size("swapeat", "--total", optarg); break;
		case 'P': o->pageout = 1; break;
		case 'r': o->report_ms = wl_count("swapeat", "--report-ms", optarg); break;
		case 'x': o->exit_when_done = 1; break;
		case 'h': o->host = 1; break;
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc || !o->chunk) {
		fprintf(stderr, "swapeat: %s\n%s",
			optind < argc ? "unexpected argument" : "--chunk must be above 0", usage);
		exit(2);
	}
}

/*
 * Reports "holding" when swap_kb or rss_kb differ from the last holding report (*last_swap,
 * *last_rss; -2 before the first). The phase stays "holding" because the agent calls a cell
 * settled only while every workload's last phase is "holding": a separate "swap" line would
 * unsettle it every period.
 */
static void report_holding(unsigned long long held, long long *last_swap, long long *last_rss)
{
	long long swap_kb = wl_status_kb("VmSwap"), rss_kb = wl_status_kb("VmRSS");

	if (swap_kb == *last_swap && rss_kb == *last_rss)
		return;
	*last_swap = swap_kb;
	*last_rss = rss_kb;
	wl_report("holding", "bytes=%llu swap_kb=%lld rss_kb=%lld", held, swap_kb, rss_kb);
}

int main(int argc, char **argv)
{
	struct swapeat_opts o;
	struct swapeat_region *rg = NULL;
	size_t nrg = 0, cap = 0, i;
	unsigned long long held = 0, seed = 0;
	long long last_swap = -2, last_rss = -2;
	struct timespec next;

	parse_opts(argc, argv, &o);
	wl_guard("swapeat", o.host);
	wl_report("ready", NULL);

	while (held < o.total) {
		unsigned long long n = o.chunk;
		void *p;

		if (o.total - held < n)
			n = o.total - held;
		/* only --pageout needs the ranges back; without it nothing is kept to fail */
		if (o.pageout && nrg == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct swapeat_region *nrgs = realloc(rg, ncap * sizeof(*rg));

			if (!nrgs) {
				wl_report("enomem", "bytes=%llu want=%zu errno=%d what=index", held,
					  ncap * sizeof(*rg), errno);
				break;
			}
			rg = nrgs;
			cap = ncap;
		}
		/* mmap, not malloc: MADV_PAGEOUT wants page-aligned ranges it can name exactly */
		p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			wl_report("enomem", "bytes=%llu want=%llu errno=%d", held, n, errno);
			break;
		}
		wl_fill(p, n, &seed);
		if (o.pageout)
			rg[nrg++] = (struct swapeat_region){ p, n };
		held += n;
		wl_report("grow", "bytes=%llu", held);
	}

	if (o.pageout) {
		int err = 0;

		/* past a refusal too: the first errno is the fact, the rest would repeat it */
		for (i = 0; i < nrg; i++)
			if (madvise(rg[i].p, rg[i].len, MADV_PAGEOUT) < 0 && !err)
				err = errno;
		wl_report("pageout", "bytes=%llu errno=%d swap_kb=%lld rss_kb=%lld", held, err,
			  wl_status_kb("VmSwap"), wl_status_kb("VmRSS"));
	}

	/* from here on nothing touches the pages again: they are cold, the first to go */
	report_holding(held, &last_swap, &last_rss);
	if (o.exit_when_done)
		return 0;
	if (!o.report_ms)
		for (;;)
			pause();
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		next.tv_sec += (time_t)(o.report_ms / 1000);
		next.tv_nsec += (long)(o.report_ms % 1000) * 1000000L;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		report_holding(held, &last_swap, &last_rss);
	}
}
