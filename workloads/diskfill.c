// SPDX-License-Identifier: GPL-2.0-only
/* diskfill.c - fills a filesystem (a tmpfs: memory) with file data or inodes until ENOSPC. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "wl.h"

static const char usage[] =
	"usage: diskfill [options]\n"
	"  --dir PATH       fill this directory, created if missing (default /mnt/fill)\n"
	"  --tmpfs SIZE     first mount a fresh tmpfs of SIZE on --dir (0: no size limit, so\n"
	"                   only memory stops it)\n"
	"  --tmpfs-inodes N that tmpfs's nr_inodes (default the kernel's; 0: no limit)\n"
	"  --mode bytes|inodes  write file data (default), or create empty files\n"
	"  --file-size SIZE each file's size in bytes mode (default 16M)\n"
	"  --chunk SIZE     write(2) this much at a time in bytes mode (default 1M)\n"
	"  --total SIZE     stop at this many bytes in bytes mode (default: no limit)\n"
	"  --files N        stop at N files (default 0: no limit)\n"
	"  --exit           exit 0 when done instead of holding; the files stay\n"
	"  --host           allow running outside an oomlab guest\n"
	"Files are named diskfill.<pid>.<n> and never removed: on a tmpfs their pages and inodes\n"
	"stay in memory (or swap) however this process ends, while it holds almost nothing.\n"
	"Reports (one line each): ready, mounted or mountfail, grow, enospc, enomem, error,\n"
	"holding; see docs/PROTOCOL.md.\n";

#define DISKFILL_REPORT_MS 250
#define DISKFILL_INODES_EVERY 1024 /* inodes mode: a grow report per this many files */

struct diskfill_opts {
	const char *dir;
	unsigned long long tmpfs_size;
	unsigned long long tmpfs_inodes;
	int tmpfs;
	int has_inodes;
	int inodes; /* --mode inodes */
	unsigned long long file_size;
	unsigned long long chunk;
	unsigned long long total; /* ULLONG_MAX: no limit */
	unsigned long long max_files; /* 0: no limit */
	int exit_when_done;
	int host;
};

/* What is on the filesystem so far, for every report. */
struct diskfill_state {
	unsigned long long bytes;
	unsigned long long files;
};

static void parse_opts(int argc, char **argv, struct diskfill_opts *o)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "tmpfs", required_argument, NULL, 'T' },
		{ "tmpfs-inodes", required_argument, NULL, 'I' },
		{ "mode", required_argument, NULL, 'm' },
		{ "file-size", required_argument, NULL, 'f' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "total", required_argument, NULL, 't' },
		{ "files", required_argument, NULL, 'n' },
		{ "exit", no_argument, NULL, 'x' },
		{ "host", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, '?' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct diskfill_opts){
		.dir = "/mnt/fill", .file_size = 16ULL << 20, .chunk = 1ULL << 20, .total = ~0ULL,
	};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->dir = optarg; break;
		case 'T':
			o->tmpfs_size = wl_size("diskfill", "--tmpfs", optarg);
			o->tmpfs = 1;
			break;
		case 'I':
			o->tmpfs_inodes = wl_count("diskfill", "--tmpfs-inodes", optarg);
			o->has_inodes = 1;
			break;
		case 'm':
			if (!strcmp(optarg, "bytes") || !strcmp(optarg, "inodes")) {
				o->inodes = !strcmp(optarg, "inodes");
				break;
			}
			fprintf(stderr, "diskfill: --mode takes bytes or inodes, found '%s'\n",
				optarg);
			exit(2);
		case 'f': o->file_size = wl_size("diskfill", "--file-size", optarg); break;
		case 'c': o->chunk = wl_size("diskfill", "--chunk", optarg); break;
		case 't': o->total = wl_size("diskfill", "--total", optarg); break;
		case 'n': o->max_files = wl_count("diskfill", "--files", optarg); break;
		case 'x': o->exit_when_done = 1; break;
		case 'h': o->host = 1; break;
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc || !o->chunk || !o->file_size || !*o->dir ||
	    (o->has_inodes && !o->tmpfs)) {
		fprintf(stderr, "diskfill: %s\n%s",
			optind < argc ? "unexpected argument" :
			!*o->dir ? "--dir must not be empty" :
			o->has_inodes ? "--tmpfs-inodes needs --tmpfs" :
			"--chunk and --file-size must be above 0", usage);
		exit(2);
	}
}

/*
 * Creates dir and, with --tmpfs, mounts a fresh tmpfs on it and reports what the kernel
 * granted (statfs, not what was asked: the kernel rounds the size and picks nr_inodes).
 * Returns 0, or -1 after reporting mountfail.
 */
static int prepare_dir(const struct diskfill_opts *o)
{
	char data[96], dir[1024];
	struct statfs st;
	int n;

	wl_esc(dir, sizeof(dir), o->dir);
	if (wl_mkdirs(o->dir) < 0) {
		wl_report(o->tmpfs ? "mountfail" : "error", "dir=%s what=mkdir errno=%d", dir,
			  errno);
		return -1;
	}
	if (!o->tmpfs)
		return 0;
	n = snprintf(data, sizeof(data), "size=%llu", o->tmpfs_size);
	if (o->has_inodes)
		snprintf(data + n, sizeof(data) - (size_t)n, ",nr_inodes=%llu", o->tmpfs_inodes);
	if (mount("tmpfs", o->dir, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0) {
		wl_report("mountfail", "dir=%s what=mount errno=%d", dir, errno);
		return -1;
	}
	if (statfs(o->dir, &st) < 0) {
		wl_report("mountfail", "dir=%s what=statfs errno=%d", dir, errno);
		return -1;
	}
	wl_report("mounted", "dir=%s size=%llu inodes=%llu", dir,
		  (unsigned long long)st.f_blocks * (unsigned long long)st.f_bsize,
		  (unsigned long long)st.f_files);
	return 0;
}

/* Reports the failure that ended the filling: ENOSPC is the fact this workload is after. */
static void report_failure(const struct diskfill_state *s, const char *what, int err,
			   unsigned long long want)
{
	if (err == ENOSPC)
		wl_report("enospc", "bytes=%llu files=%llu what=%s errno=%d", s->bytes, s->files,
			  what, err);
	else if (err == ENOMEM)
		wl_report("enomem", "bytes=%llu want=%llu errno=%d what=%s files=%llu", s->bytes,
			  want, err, what, s->files);
	else
		wl_report("error", "what=%s errno=%d bytes=%llu files=%llu", what, err, s->bytes,
			  s->files);
}

static int open_next(const struct diskfill_opts *o, const struct diskfill_state *s)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/diskfill.%d.%llu", o->dir, (int)getpid(), s->files);
	/* O_EXCL: never overwrite a file this run did not create */
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
}

static void fill_inodes(const struct diskfill_opts *o, struct diskfill_state *s)
{
	while (!o->max_files || s->files < o->max_files) {
		int fd = open_next(o, s);

		if (fd < 0) {
			report_failure(s, "open", errno, 0);
			return;
		}
		close(fd);
		s->files++;
		if (s->files % DISKFILL_INODES_EVERY == 0)
			wl_report("grow", "bytes=0 files=%llu", s->files);
	}
}

/*
 * Writes files of --file-size until the filesystem refuses, --total or --files. Each chunk
 * is fresh pseudo-random data: never zero (no hole, no zero page) and incompressible should
 * the tmpfs pages go to zram.
 */
static void fill_bytes(const struct diskfill_opts *o, struct diskfill_state *s)
{
	unsigned long long seed = 0, last = (unsigned long long)wl_now_ms();
	char *buf = malloc(o->chunk);

	if (!buf) {
		report_failure(s, "buffer", errno, o->chunk);
		return;
	}
	while (s->bytes < o->total && (!o->max_files || s->files < o->max_files)) {
		unsigned long long in_file = 0;
		int fd = open_next(o, s);

		if (fd < 0) {
			report_failure(s, "open", errno, 0);
			break;
		}
		s->files++;
		while (in_file < o->file_size && s->bytes < o->total) {
			unsigned long long n = o->chunk;
			ssize_t w;

			if (o->file_size - in_file < n)
				n = o->file_size - in_file;
			if (o->total - s->bytes < n)
				n = o->total - s->bytes;
			wl_fill(buf, n, &seed);
			w = write(fd, buf, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				report_failure(s, "write", errno, n);
				close(fd);
				free(buf);
				return;
			}
			/* a short write is the filesystem's last room: the next one says why */
			in_file += (unsigned long long)w;
			s->bytes += (unsigned long long)w;
			if ((unsigned long long)wl_now_ms() - last >= DISKFILL_REPORT_MS) {
				wl_report("grow", "bytes=%llu files=%llu", s->bytes, s->files);
				last = (unsigned long long)wl_now_ms();
			}
		}
		close(fd);
		wl_report("grow", "bytes=%llu files=%llu", s->bytes, s->files);
		last = (unsigned long long)wl_now_ms();
	}
	free(buf);
}

int main(int argc, char **argv)
{
	struct diskfill_opts o;
	struct diskfill_state s = { 0, 0 };

	parse_opts(argc, argv, &o);
	wl_guard("diskfill", o.host);
	wl_report("ready", "mode=%s", o.inodes ? "inodes" : "bytes");
	if (prepare_dir(&o) < 0)
		return 1;
	if (o.inodes)
		fill_inodes(&o, &s);
	else
		fill_bytes(&o, &s);

	wl_report("holding", "bytes=%llu files=%llu", s.bytes, s.files);
	wl_hold(o.exit_when_done);
}
