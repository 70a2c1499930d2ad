/* bigmm.c - the classic big_mm hog: malloc and bzero chunks until a total, a refusal or a kill. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "wl.h"

static const char usage[] =
	"usage: bigmm [options]\n"
	"  --chunk SIZE     malloc and bzero this much at a time (default 8M)\n"
	"  --total SIZE     stop growing at this many bytes and hold them (default: no limit;\n"
	"                   0: grow nothing, e.g. with --huge)\n"
	"  --pause-ms N     sleep N ms between chunks (default 0)\n"
	"  --huge SIZE      first make one allocation of SIZE and never touch it\n"
	"  --beyond-avail SIZE  grow to MemAvailable (read at start) plus SIZE, then hold:\n"
	"                   forces one OOM, after which the victim's memory lets it finish\n"
	"  --mlock          mlock each chunk, so it cannot be reclaimed or swapped\n"
	"  --membind NODE   allocate from NUMA node NODE only (set_mempolicy MPOL_BIND)\n"
	"  --exit           exit 0 when done growing instead of holding\n"
	"  --host           allow running outside an oomlab guest\n"
	"Reports (one line each): ready, bound, error, huge, grow, enomem, mlock, holding;\n"
	"see docs/PROTOCOL.md.\n";

struct bigmm_opts {
	unsigned long long chunk;
	unsigned long long total; /* ULLONG_MAX: no limit */
	unsigned long long huge;
	unsigned long long beyond; /* --beyond-avail: 0 when not given */
	int has_beyond;
	long pause_ms;
	int mlock;
	int membind; /* -1: the default policy */
	int exit_when_done;
	int host;
};

static void parse_opts(int argc, char **argv, struct bigmm_opts *o)
{
	static const struct option longopts[] = {
		{ "chunk", required_argument, NULL, 'c' },
		{ "total", required_argument, NULL, 't' },
		{ "pause-ms", required_argument, NULL, 'p' },
		{ "huge", required_argument, NULL, 'H' },
		{ "beyond-avail", required_argument, NULL, 'b' },
		{ "mlock", no_argument, NULL, 'l' },
		{ "membind", required_argument, NULL, 'n' },
		{ "exit", no_argument, NULL, 'x' },
		{ "host", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, '?' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct bigmm_opts){ .chunk = 8ULL << 20, .total = ~0ULL, .membind = -1 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->chunk = wl_size("bigmm", "--chunk", optarg); break;
		case 't': o->total = wl_size("bigmm", "--total", optarg); break;
		case 'H': o->huge = wl_size("bigmm", "--huge", optarg); break;
		case 'b':
			o->beyond = wl_size("bigmm", "--beyond-avail", optarg);
			o->has_beyond = 1;
			break;
		case 'l': o->mlock = 1; break;
		case 'n':
			if (wl_count("bigmm", "--membind", optarg) > 63) {
				fprintf(stderr, "bigmm: --membind takes a node 0..63, found '%s'\n",
					optarg);
				exit(2);
			}
			o->membind = (int)wl_count("bigmm", "--membind", optarg);
			break;
		case 'x': o->exit_when_done = 1; break;
		case 'h': o->host = 1; break;
		case 'p': o->pause_ms = (long)wl_count("bigmm", "--pause-ms", optarg); break;
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc || !o->chunk) {
		fprintf(stderr, "bigmm: %s\n%s",
			optind < argc ? "unexpected argument" : "--chunk must be above 0", usage);
		exit(2);
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	struct bigmm_opts o;
	unsigned long long held = 0;
	int err;

	parse_opts(argc, argv, &o);
	wl_guard("bigmm", o.host);
	if (o.has_beyond) {
		long long avail = wl_meminfo("MemAvailable");

		if (avail < 0) {
			fprintf(stderr, "bigmm: --beyond-avail: cannot read MemAvailable\n");
			return 2;
		}
		o.total = (unsigned long long)avail * 1024 + o.beyond;
		wl_report("ready", "avail_kb=%lld total=%llu", avail, o.total);
	} else {
		wl_report("ready", NULL);
	}
	if (o.membind >= 0) {
		/* MPOL_BIND (2): every later page of this task comes from that node or fails */
		unsigned long mask = 1UL << o.membind;

		if (syscall(SYS_set_mempolicy, 2, &mask, sizeof(mask) * 8 + 1) < 0) {
			wl_report("error", "what=set_mempolicy node=%d errno=%d", o.membind, errno);
			return 1;
		}
		wl_report("bound", "node=%d", o.membind);
	}

	if (o.huge) {
		/* Untouched: only overcommit accounting sees it, the page allocator never does. */
		void *p = malloc(o.huge);

		err = errno;
		if (p)
			wl_report("huge", "bytes=%llu", o.huge);
		else
			wl_report("enomem", "bytes=0 want=%llu errno=%d what=huge", o.huge, err);
	}

	while (held < o.total) {
		unsigned long long n = o.chunk;
		char *p;

		if (o.total - held < n)
			n = o.total - held;
		p = malloc(n);
		if (!p) {
			err = errno;
			wl_report("enomem", "bytes=%llu want=%llu errno=%d", held, n, err);
			break;
		}
		/* bzero backs every page for real; the pointer is kept so nothing is freed */
		explicit_bzero(p, n);
		if (o.mlock && mlock(p, n) < 0)
			wl_report("mlock", "bytes=%llu errno=%d", held, errno);
		held += n;
		wl_report("grow", "bytes=%llu", held);
		if (o.pause_ms)
			sleep_ms(o.pause_ms);
	}

	wl_report("holding", "bytes=%llu", held);
	wl_hold(o.exit_when_done);
}
