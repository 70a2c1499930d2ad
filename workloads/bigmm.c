// SPDX-License-Identifier: GPL-2.0-only
/* bigmm.c - the classic big_mm hog: malloc and bzero chunks until a total, a refusal or a kill. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shared/proto.h"
#include "wl.h"

#define BIGMM_FORK_MAX 64

static const char usage[] =
	"usage: bigmm [options]\n"
	"  --chunk SIZE     malloc and bzero this much at a time (default 8M)\n"
	"  --touch HOW      bzero (default: every byte, the classic big_mm) or page (one byte\n"
	"                   per page: the same pages backed, without user space writing the\n"
	"                   rest, which is most of the time under emulation)\n"
	"  --total SIZE     stop growing at this many bytes and hold them (default: no limit;\n"
	"                   0: grow nothing, e.g. with --huge)\n"
	"  --pause-ms N     sleep N ms between chunks (default 0)\n"
	"  --huge SIZE      first make one allocation of SIZE and never touch it\n"
	"  --beyond-avail SIZE  grow to MemAvailable (read at start) plus SIZE, then hold:\n"
	"                   forces one OOM, after which the victim's memory lets it finish\n"
	"  --avail-node NODE  with --beyond-avail: NUMA node NODE's MemFree instead, for an\n"
	"                   OOM confined to that node (by a cpuset or a memory policy)\n"
	"  --mlock          mlock each chunk, so it cannot be reclaimed or swapped\n"
	"  --membind NODE   allocate from NUMA node NODE only (set_mempolicy MPOL_BIND)\n"
	"  --fork N         grow in N child processes instead (1..64), each to its share of\n"
	"                   --total (no limit without one) with the other options as given;\n"
	"                   this process supervises them and reports for them all\n"
	"  --exit           exit 0 when done growing instead of holding\n"
	"  --host           allow running outside an oomlab guest\n"
	"Reports (one line each): ready, bound, error, huge, grow, enomem, mlock, holding;\n"
	"with --fork also forked and ended; see docs/PROTOCOL.md.\n";

struct bigmm_opts {
	unsigned long long chunk;
	unsigned long long total; /* ULLONG_MAX: no limit */
	unsigned long long huge;
	unsigned long long beyond; /* --beyond-avail: 0 when not given */
	int has_beyond;
	int avail_node; /* --avail-node: -1 for MemAvailable */
	long pause_ms;
	int mlock;
	int membind; /* -1: the default policy */
	int exit_when_done;
	int host;
	int fork; /* --fork N: children to grow in; 0: grow in this process */
	int touch_page; /* --touch page */
};

/* A NUMA node for opt: 0..63, or exit 2 saying what was found */
static int node_arg(const char *opt, const char *arg)
{
	unsigned long long node = wl_count("bigmm", opt, arg);

	if (node > 63) {
		fprintf(stderr, "bigmm: %s takes a node 0..63, found '%s'\n", opt, arg);
		exit(2);
	}
	return (int)node;
}

static void parse_opts(int argc, char **argv, struct bigmm_opts *o)
{
	static const struct option longopts[] = {
		{ "chunk", required_argument, NULL, 'c' },
		{ "touch", required_argument, NULL, 'T' },
		{ "total", required_argument, NULL, 't' },
		{ "pause-ms", required_argument, NULL, 'p' },
		{ "huge", required_argument, NULL, 'H' },
		{ "beyond-avail", required_argument, NULL, 'b' },
		{ "avail-node", required_argument, NULL, 'N' },
		{ "mlock", no_argument, NULL, 'l' },
		{ "membind", required_argument, NULL, 'n' },
		{ "exit", no_argument, NULL, 'x' },
		{ "fork", required_argument, NULL, 'f' },
		{ "host", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, '?' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct bigmm_opts){ .chunk = 8ULL << 20, .total = ~0ULL, .membind = -1,
				  .avail_node = -1 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->chunk = wl_size("bigmm", "--chunk", optarg); break;
		case 'T':
			if (strcmp(optarg, "bzero") && strcmp(optarg, "page")) {
				fprintf(stderr, "bigmm: --touch takes bzero or page, found '%s'\n",
					optarg);
				exit(2);
			}
			o->touch_page = !strcmp(optarg, "page");
			break;
		case 't': o->total = wl_size("bigmm", "--total", optarg); break;
		case 'H': o->huge = wl_size("bigmm", "--huge", optarg); break;
		case 'b':
			o->beyond = wl_size("bigmm", "--beyond-avail", optarg);
			o->has_beyond = 1;
			break;
		case 'l': o->mlock = 1; break;
		case 'n':
			o->membind = node_arg("--membind", optarg);
			break;
		case 'N':
			o->avail_node = node_arg("--avail-node", optarg);
			break;
		case 'x': o->exit_when_done = 1; break;
		case 'f':
			o->fork = (int)wl_count("bigmm", "--fork", optarg);
			if (o->fork < 1 || o->fork > BIGMM_FORK_MAX) {
				fprintf(stderr, "bigmm: --fork takes 1..%d children, found '%s'\n",
					BIGMM_FORK_MAX, optarg);
				exit(2);
			}
			break;
		case 'h': o->host = 1; break;
		case 'p': o->pause_ms = (long)wl_count("bigmm", "--pause-ms", optarg); break;
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc || !o->chunk || (o->avail_node >= 0 && !o->has_beyond)) {
		fprintf(stderr, "bigmm: %s\n%s",
			optind < argc ? "unexpected argument" : !o->chunk ?
			"--chunk must be above 0" : "--avail-node needs --beyond-avail", usage);
		exit(2);
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* One write per page of [p, p + n), the last byte included. */
static void touch_pages(char *p, unsigned long long n)
{
	volatile char *v = p;
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long i;

	for (i = 0; i < n; i += (unsigned long long)page)
		v[i] = 1;
	v[n - 1] = 1;
}

/* What bigmm does in one process: bind, the huge allocation, grow, then hold or exit. */
static void __attribute__((noreturn)) grow(const struct bigmm_opts *o)
{
	unsigned long long held = 0;
	int err;

	if (o->membind >= 0) {
		/* MPOL_BIND (2): every later page of this task comes from that node or fails */
		unsigned long mask = 1UL << o->membind;

		if (syscall(SYS_set_mempolicy, 2, &mask, sizeof(mask) * 8 + 1) < 0) {
			wl_report("error", "what=set_mempolicy node=%d errno=%d", o->membind, errno);
			exit(1);
		}
		wl_report("bound", "node=%d", o->membind);
	}

	if (o->huge) {
		/* Untouched: only overcommit accounting sees it, the page allocator never does. */
		void *p = malloc(o->huge);

		err = errno;
		if (p)
			wl_report("huge", "bytes=%llu", o->huge);
		else
			wl_report("enomem", "bytes=0 want=%llu errno=%d what=huge", o->huge, err);
	}

	while (held < o->total) {
		unsigned long long n = o->chunk;
		char *p;

		if (o->total - held < n)
			n = o->total - held;
		p = malloc(n);
		if (!p) {
			err = errno;
			wl_report("enomem", "bytes=%llu want=%llu errno=%d", held, n, err);
			break;
		}
		/*
		 * bzero backs every page for real; so does a write to one byte of each page
		 * (the kernel zeroes the page it allocates either way). The pointer is kept so
		 * nothing is freed.
		 */
		if (o->touch_page)
			touch_pages(p, n);
		else
			explicit_bzero(p, n);
		if (o->mlock && mlock(p, n) < 0)
			wl_report("mlock", "bytes=%llu errno=%d", held, errno);
		held += n;
		wl_report("grow", "bytes=%llu", held);
		if (o->pause_ms)
			sleep_ms(o->pause_ms);
	}

	wl_report("holding", "bytes=%llu", held);
	wl_hold(o->exit_when_done);
}

/*
 * --fork N: the children grow, this process supervises. Each child writes its reports into a
 * pipe of its own; the parent is the workload's one report stream, so that every line the
 * agent reads means what it means for bigmm alone:
 *   grow, enomem, holding  bytes= is what the live children hold together; holding comes once
 *                          every live child holds, and again after any later change;
 *   bound, huge, mlock, error  a child's own report, with child=K added;
 *   forked child=K child_pid=P   a child started (before any of its reports);
 *   ended child=K child_pid=P how=exit code=C | how=signal sig=S, bytes=  a child was reaped.
 * (child_pid, not pid: the agent's wl record already has the workload's pid.)
 * A child killed by SIGKILL (the OOM killer's signal) is the story the kernel tells; the
 * others go on. A child that ends any other way (an error, a crash, exit before --exit would)
 * is a failure: the parent kills the others, reaps them and exits 1. With --exit the parent
 * exits 0 once every child has ended. Each child dies with the parent (PR_SET_PDEATHSIG), so
 * none is ever left unsupervised.
 */
struct kid {
	pid_t pid;
	int fd; /* the read end of its report pipe; -1 once closed */
	char buf[PROTO_LINE_MAX];
	size_t len;
	unsigned long long bytes; /* what it holds, from its last grow, enomem or holding */
	int holding;
	int ended;
};

static struct kid kids[BIGMM_FORK_MAX];
static int nkids;

static unsigned long long kids_bytes(void)
{
	unsigned long long sum = 0;
	int k;

	for (k = 0; k < nkids; k++)
		if (!kids[k].ended)
			sum += kids[k].bytes;
	return sum;
}

/* A child's report, for the workload's stream: bytes (when the word has them) made the sum. */
static void kid_report(int k, char *line)
{
	char fields[PROTO_LINE_MAX] = "", copy[PROTO_LINE_MAX];
	struct proto_line l;
	int i, held;

	snprintf(copy, sizeof(copy), "%s", line);
	if (proto_split(copy, &l)) {
		proto_add(fields, sizeof(fields), "raw", line);
		proto_addll(fields, sizeof(fields), "child", k);
		wl_report("error", "what=report%s", fields);
		return;
	}
	held = !strcmp(l.word, "grow") || !strcmp(l.word, "enomem") || !strcmp(l.word, "holding");
	if (held)
		kids[k].bytes = (unsigned long long)proto_getll(&l, "bytes", 0);
	if (!strcmp(l.word, "holding")) {
		kids[k].holding = 1;
		return; /* the parent says holding, for them all */
	}
	for (i = 0; i < l.nkv; i++) {
		if (held && !strcmp(l.kv[i].key, "bytes"))
			proto_addll(fields, sizeof(fields), "bytes", (long long)kids_bytes());
		else
			proto_add(fields, sizeof(fields), l.kv[i].key, l.kv[i].val);
	}
	if (strcmp(l.word, "grow"))
		proto_addll(fields, sizeof(fields), "child", k);
	wl_report(l.word, "%s", fields + (fields[0] == ' '));
}

/* Reads what child k wrote; at end of file reaps it. Returns 0, or 1 when it failed. */
static int kid_drain(int k)
{
	struct kid *c = &kids[k];
	ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	char *nl;
	int status;

	if (n < 0 && errno == EINTR)
		return 0;
	if (n > 0) {
		c->len += (size_t)n;
		while ((nl = memchr(c->buf, '\n', c->len))) {
			*nl = '\0';
			kid_report(k, c->buf);
			c->len -= (size_t)(nl + 1 - c->buf);
			memmove(c->buf, nl + 1, c->len);
		}
		if (c->len == sizeof(c->buf) - 1) { /* no line is this long: drop it */
			c->len = 0;
		}
		return 0;
	}
	/* its end of the pipe closed: it has exited, or is exiting */
	close(c->fd);
	c->fd = -1;
	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
	c->ended = 1;
	if (WIFSIGNALED(status)) {
		wl_report("ended", "child=%d child_pid=%d how=signal sig=%d bytes=%llu", k,
			  (int)c->pid, WTERMSIG(status), c->bytes);
		return WTERMSIG(status) != SIGKILL;
	}
	wl_report("ended", "child=%d child_pid=%d how=exit code=%d bytes=%llu", k, (int)c->pid,
		  WEXITSTATUS(status), c->bytes);
	return WEXITSTATUS(status) != 0 || !c->holding;
}

static void __attribute__((noreturn)) kids_fail(void)
{
	int k;

	for (k = 0; k < nkids; k++)
		if (!kids[k].ended)
			kill(kids[k].pid, SIGKILL);
	for (k = 0; k < nkids; k++)
		while (!kids[k].ended)
			kid_drain(k);
	exit(1);
}

static void __attribute__((noreturn)) supervise(const struct bigmm_opts *o)
{
	struct pollfd pfd[BIGMM_FORK_MAX];
	pid_t self = getpid();
	int k, n, live, changed = 1, failed = 0;

	for (k = 0; k < o->fork; k++) {
		struct bigmm_opts co = *o;
		int p[2], j;

		/* the first total % N children take one byte more: the shares add up to --total */
		if (o->total != ~0ULL)
			co.total = o->total / (unsigned)o->fork +
				   ((unsigned)k < o->total % (unsigned)o->fork);
		if (pipe(p) < 0) {
			wl_report("error", "what=pipe errno=%d forked=%d", errno, k);
			kids_fail();
		}
		kids[k].pid = fork();
		if (kids[k].pid < 0) {
			wl_report("error", "what=fork errno=%d forked=%d", errno, k);
			close(p[0]);
			close(p[1]);
			kids_fail();
		}
		if (!kids[k].pid) {
			/* dies with the parent; one already gone is not waited for */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != self)
				_exit(1);
			dup2(p[1], STDOUT_FILENO);
			close(p[0]);
			close(p[1]);
			for (j = 0; j < k; j++)
				close(kids[j].fd);
			grow(&co);
		}
		close(p[1]);
		kids[k].fd = p[0];
		nkids++;
		wl_report("forked", "child=%d child_pid=%d", k, (int)kids[k].pid);
	}
	for (;;) {
		for (k = 0, live = 0; k < nkids; k++)
			live += !kids[k].ended;
		if (failed)
			kids_fail();
		if (changed && !(live == 0 && o->exit_when_done)) {
			for (k = 0; k < nkids; k++)
				if (!kids[k].ended && !kids[k].holding)
					break;
			if (k == nkids) {
				wl_report("holding", "bytes=%llu children=%d", kids_bytes(), live);
				changed = 0;
			}
		}
		if (!live)
			wl_hold(o->exit_when_done);
		for (k = 0, n = 0; k < nkids; k++)
			if (kids[k].fd >= 0)
				pfd[n++] = (struct pollfd){ .fd = kids[k].fd, .events = POLLIN };
		if (poll(pfd, (nfds_t)n, -1) < 0 && errno != EINTR)
			kids_fail();
		for (k = 0; k < nkids; k++) {
			int j;

			for (j = 0; j < n && pfd[j].fd != kids[k].fd; j++)
				;
			if (j == n || !pfd[j].revents)
				continue;
			failed |= kid_drain(k);
			changed = 1;
		}
	}
}

int main(int argc, char **argv)
{
	struct bigmm_opts o;

	parse_opts(argc, argv, &o);
	wl_guard("bigmm", o.host);
	if (o.has_beyond) {
		long long avail = o.avail_node < 0 ? wl_meminfo("MemAvailable") :
				  wl_node_meminfo(o.avail_node, "MemFree");

		if (avail < 0) {
			fprintf(stderr, "bigmm: --beyond-avail: cannot read %s\n",
				o.avail_node < 0 ? "MemAvailable" : "the node's MemFree");
			return 2;
		}
		o.total = (unsigned long long)avail * 1024 + o.beyond;
		if (o.fork)
			wl_report("ready", "avail_kb=%lld total=%llu fork=%d", avail, o.total, o.fork);
		else
			wl_report("ready", "avail_kb=%lld total=%llu", avail, o.total);
	} else if (o.fork) {
		wl_report("ready", "fork=%d", o.fork);
	} else {
		wl_report("ready", NULL);
	}
	if (o.fork)
		supervise(&o);
	grow(&o);
}
