// SPDX-License-Identifier: GPL-2.0-only
/* pagecache.c - writes one file, then keeps reading it: memory held as page cache, not as RSS. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "wl.h"

static const char usage[] =
	"usage: pagecache --size SIZE [options]\n"
	"  --file PATH      the file to write and read (default /mnt/cache/file; its\n"
	"                   directory is created, the file replaced)\n"
	"  --size SIZE      the file's size (required)\n"
	"  --passes N       read the whole file N times, then hold (default 0: read forever;\n"
	"                   \"holding\" is then reported after the first pass, so the cell can\n"
	"                   settle, and repeated with fresh figures at most every 500 ms)\n"
	"  --exit           exit 0 instead of holding (with --passes 0: after the first pass)\n"
	"  --host           allow running outside an oomlab guest\n"
	"The file is written once with incompressible data and fsynced, so its pages are clean\n"
	"cache the kernel may drop. Only a disk-backed file is reclaimable that way: on tmpfs or\n"
	"ramfs (the guest's / and /tmp) the pages are shmem and go only to swap, if at all; the\n"
	"ready report names the filesystem. This process's own RSS stays small.\n"
	"Reports (one line each): ready, grow, enospc, enomem, error, cached, holding;\n"
	"see docs/PROTOCOL.md.\n";

#define PAGECACHE_WRITE_CHUNK (1U << 20)
#define PAGECACHE_READ_BUF (64U << 10) /* small on purpose: the cache, not us, holds the file */
#define PAGECACHE_GROW_MS 250
#define PAGECACHE_CACHED_MS 500

struct pagecache_opts {
	const char *file;
	unsigned long long size;
	unsigned long long passes; /* 0: forever */
	int exit_when_done;
	int host;
};

/* The file as this process sees it: open, and mapped (never touched) for mincore. */
struct pagecache_file {
	int fd;
	unsigned long long size; /* bytes written */
	void *map;
	unsigned char *vec;
};

static void parse_opts(int argc, char **argv, struct pagecache_opts *o)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 's' },
		{ "passes", required_argument, NULL, 'p' },
		{ "exit", no_argument, NULL, 'x' },
		{ "host", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, '?' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct pagecache_opts){ .file = "/mnt/cache/file" };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->file = optarg; break;
		case 's': o->size = wl_size("pagecache", "--size", optarg); break;
		case 'p': o->passes = wl_count("pagecache", "--passes", optarg); break;
		case 'x': o->exit_when_done = 1; break;
		case 'h': o->host = 1; break;
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc || !o->size || !*o->file) {
		fprintf(stderr, "pagecache: %s\n%s",
			optind < argc ? "unexpected argument" :
			!*o->file ? "--file must not be empty" : "--size is required and above 0",
			usage);
		exit(2);
	}
}

/* A name for the filesystem's magic: whether the cache is reclaimable depends on it. */
static const char *fs_name(const struct statfs *st, char *buf, size_t len)
{
	static const struct { unsigned long magic; const char *name; } fs[] = {
		{ 0x01021994, "tmpfs" }, { 0x858458f6, "ramfs" },  { 0xef53, "ext4" },
		{ 0x58465342, "xfs" },	 { 0x9123683e, "btrfs" },  { 0x01021997, "9p" },
		{ 0x65735546, "fuse" },	 { 0x794c7630, "overlay" }, { 0x6969, "nfs" },
	};
	size_t i;

	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		if ((unsigned long)st->f_type == fs[i].magic)
			return fs[i].name;
	snprintf(buf, len, "0x%lx", (unsigned long)st->f_type);
	return buf;
}

/* Opens (replacing) the file, after creating its directory. Returns the fd, or -1 reported. */
static int open_file(const struct pagecache_opts *o)
{
	char dir[4096], esc[1024], fsbuf[24];
	struct statfs st;
	int fd;

	snprintf(dir, sizeof(dir), "%s", o->file);
	if (wl_mkdirs(dirname(dir)) < 0) {
		wl_report("error", "what=mkdir file=%s errno=%d", wl_esc(esc, sizeof(esc), o->file),
			  errno);
		return -1;
	}
	fd = open(o->file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		wl_report("error", "what=open file=%s errno=%d", wl_esc(esc, sizeof(esc), o->file),
			  errno);
		return -1;
	}
	wl_report("ready", "file=%s fs=%s", wl_esc(esc, sizeof(esc), o->file),
		  fstatfs(fd, &st) < 0 ? "unknown" : fs_name(&st, fsbuf, sizeof(fsbuf)));
	return fd;
}

static void report_failure(const char *what, int err, unsigned long long bytes,
			   unsigned long long want)
{
	if (err == ENOSPC)
		wl_report("enospc", "bytes=%llu what=%s errno=%d", bytes, what, err);
	else if (err == ENOMEM)
		wl_report("enomem", "bytes=%llu want=%llu errno=%d what=%s", bytes, want, err,
			  what);
	else
		wl_report("error", "what=%s errno=%d bytes=%llu", what, err, bytes);
}

/*
 * Writes size bytes of fresh pseudo-random data and fsyncs: dirty pages cannot be dropped
 * until written back, and this workload is about clean cache. Returns 0, or -1 after
 * reporting the failure (f->size then holds what was written).
 */
static int write_file(struct pagecache_file *f, unsigned long long size)
{
	unsigned long long seed = 0, last = (unsigned long long)wl_now_ms();
	char *buf = malloc(PAGECACHE_WRITE_CHUNK);

	if (!buf) {
		report_failure("buffer", errno, 0, PAGECACHE_WRITE_CHUNK);
		return -1;
	}
	while (f->size < size) {
		size_t n = PAGECACHE_WRITE_CHUNK;
		ssize_t w;

		if (size - f->size < n)
			n = (size_t)(size - f->size);
		wl_fill(buf, n, &seed);
		w = write(f->fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			report_failure("write", errno, f->size, n);
			free(buf);
			return -1;
		}
		f->size += (unsigned long long)w;
		if ((unsigned long long)wl_now_ms() - last >= PAGECACHE_GROW_MS) {
			wl_report("grow", "bytes=%llu", f->size);
			last = (unsigned long long)wl_now_ms();
		}
	}
	/* freed before the passes: a 1M buffer is above malloc's mmap threshold, so RSS drops */
	free(buf);
	wl_report("grow", "bytes=%llu", f->size);
	if (fsync(f->fd) < 0) {
		report_failure("fsync", errno, f->size, 0);
		return -1;
	}
	return 0;
}

/* Reads the whole file once. Returns 0, or -1 after reporting the failure. */
static int read_pass(const struct pagecache_file *f)
{
	static char buf[PAGECACHE_READ_BUF];
	unsigned long long off = 0;

	while (off < f->size) {
		ssize_t n = pread(f->fd, buf, sizeof(buf), (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			report_failure("read", n < 0 ? errno : 0, f->size, 0);
			return -1;
		}
		off += (unsigned long long)n;
	}
	return 0;
}

/*
 * This file's pages in the cache, in kB (mincore on a mapping never touched, so it adds no
 * RSS), or -1. Cached in /proc/meminfo is the whole machine's, tmpfs and shmem included.
 */
static long long resident_kb(struct pagecache_file *f)
{
	size_t pages, i, n = 0;
	long page = sysconf(_SC_PAGESIZE);

	if (!f->size)
		return 0;
	pages = (size_t)((f->size + (unsigned long long)page - 1) / (unsigned long long)page);
	if (!f->map) {
		f->map = mmap(NULL, (size_t)f->size, PROT_READ, MAP_SHARED, f->fd, 0);
		f->vec = f->map == MAP_FAILED ? NULL : malloc(pages);
		if (!f->vec) {
			if (f->map != MAP_FAILED)
				munmap(f->map, (size_t)f->size);
			f->map = MAP_FAILED;
		}
	}
	if (f->map == MAP_FAILED || mincore(f->map, (size_t)f->size, f->vec) < 0)
		return -1;
	for (i = 0; i < pages; i++)
		n += f->vec[i] & 1;
	return (long long)n * page / 1024;
}

static void report(const char *phase, struct pagecache_file *f, unsigned long long pass)
{
	wl_report(phase, "bytes=%llu cached_kb=%lld resident_kb=%lld pass=%llu", f->size,
		  wl_meminfo("Cached"), resident_kb(f), pass);
}

int main(int argc, char **argv)
{
	struct pagecache_opts o;
	struct pagecache_file f = { .fd = -1 };
	unsigned long long pass = 0;
	long long last = 0;

	parse_opts(argc, argv, &o);
	wl_guard("pagecache", o.host);
	f.fd = open_file(&o);
	if (f.fd < 0)
		return 1;
	if (write_file(&f, o.size) < 0) {
		wl_report("holding", "bytes=%llu", f.size);
		goto hold;
	}

	/*
	 * With --passes 0 the reading never ends, so "holding" comes after the first pass and
	 * every later report keeps that phase: the agent settles on the last phase being
	 * "holding", and a "cached" line would unsettle it.
	 */
	while (!o.passes || pass < o.passes) {
		if (read_pass(&f) < 0)
			break;
		pass++;
		if (!o.passes && pass == 1) {
			report("holding", &f, pass);
			if (o.exit_when_done)
				return 0;
			last = wl_now_ms();
		} else if (pass != o.passes && wl_now_ms() - last >= PAGECACHE_CACHED_MS) {
			report(o.passes ? "cached" : "holding", &f, pass);
			last = wl_now_ms();
		}
	}
	report("holding", &f, pass);
hold:
	wl_hold(o.exit_when_done);
}
