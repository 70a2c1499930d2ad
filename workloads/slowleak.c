// SPDX-License-Identifier: GPL-2.0-only
/* slowleak.c - leaks malloc'd memory at a steady average rate, the way a long-running bug does. */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wl.h"

static const char usage[] =
	"usage: slowleak [options]\n"
	"  --rate SIZE      leak this much per second on average (default 4M)\n"
	"  --chunk SIZE     malloc and memset this much at a time (default 256K)\n"
	"  --total SIZE     stop at this many bytes and hold them (default: no limit)\n"
	"  --exit           exit 0 when done growing instead of holding\n"
	"  --ignore-sigterm ignore SIGTERM, as a process that will not stop when asked\n"
	"  --host           allow running outside an oomlab guest\n"
	"Chunk k is due at start + k * chunk / rate, slept to with an absolute deadline: the\n"
	"rate does not drift, and chunks that come late (reclaim, a stall) are followed by\n"
	"the next ones without sleeping until the average is back. The pages are memset, so\n"
	"zram would keep them almost for free; swapeat writes incompressible data.\n"
	"Reports (one line each): ready, grow (at most every 250 ms), enomem, holding;\n"
	"see docs/PROTOCOL.md.\n";

#define SLOWLEAK_REPORT_MS 250
#define NSEC_PER_SEC 1000000000ULL

struct slowleak_opts {
	unsigned long long rate; /* bytes per second */
	unsigned long long chunk;
	unsigned long long total; /* ULLONG_MAX: no limit */
	int exit_when_done;
	int ignore_term;
	int host;
};

static void parse_opts(int argc, char **argv, struct slowleak_opts *o)
{
	static const struct option longopts[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "total", required_argument, NULL, 't' },
		{ "exit", no_argument, NULL, 'x' },
		{ "ignore-sigterm", no_argument, NULL, 'i' },
		{ "host", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, '?' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct slowleak_opts){ .rate = 4ULL << 20, .chunk = 256ULL << 10, .total = ~0ULL };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o->rate = wl_size("slowleak", "--rate", optarg); break;
		case 'c': o->chunk = wl_size("slowleak", "--chunk", optarg); break;
		case 't': o->total = wl_size("slowleak", "--total", optarg); break;
		case 'x': o->exit_when_done = 1; break;
		case 'i': o->ignore_term = 1; break;
		case 'h': o->host = 1; break;
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc || !o->chunk || !o->rate) {
		fprintf(stderr, "slowleak: %s\n%s",
			optind < argc ? "unexpected argument" :
			"--chunk and --rate must be above 0",
			usage);
		exit(2);
	}
}

/* start + bytes / rate seconds; 128-bit, as bytes * 1e9 leaves 64 bits past ~18 GB. */
static struct timespec due(const struct timespec *start, unsigned long long bytes,
			   unsigned long long rate)
{
	unsigned __int128 ns = (unsigned __int128)bytes * NSEC_PER_SEC / rate;
	struct timespec t = *start;

	ns += (unsigned long long)t.tv_nsec;
	t.tv_sec += (time_t)(ns / NSEC_PER_SEC);
	t.tv_nsec = (long)(ns % NSEC_PER_SEC);
	return t;
}

int main(int argc, char **argv)
{
	struct slowleak_opts o;
	struct timespec start, next;
	unsigned long long held = 0;
	long long last = 0;
	int first = 1;

	parse_opts(argc, argv, &o);
	wl_guard("slowleak", o.host);
	if (o.ignore_term)
		signal(SIGTERM, SIG_IGN);
	wl_report("ready", "rate=%llu chunk=%llu", o.rate, o.chunk);
	clock_gettime(CLOCK_MONOTONIC, &start);

	while (held < o.total) {
		unsigned long long n = o.chunk;
		char *p;

		if (o.total - held < n)
			n = o.total - held;
		p = malloc(n);
		if (!p) {
			wl_report("enomem", "bytes=%llu want=%llu errno=%d", held, n, errno);
			break;
		}
		memset(p, 0x5a, n);
		/*
		 * The pointer is dropped on purpose (a leak): keep the compiler from dropping
		 * the stores nobody reads, and with them the malloc.
		 */
		__asm__ volatile("" : : "r"(p) : "memory");
		held += n;
		if (first || wl_now_ms() - last >= SLOWLEAK_REPORT_MS) {
			wl_report("grow", "bytes=%llu", held);
			last = wl_now_ms();
			first = 0;
		}
		if (held >= o.total)
			break;
		next = due(&start, held, o.rate);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}

	wl_report("holding", "bytes=%llu", held);
	wl_hold(o.exit_when_done);
}
