// SPDX-License-Identifier: GPL-2.0-only
/* shmhog.c - fills a shared memory segment (POSIX, SysV or memfd): shmem no process may own. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "wl.h"

static const char usage[] =
	"usage: shmhog --size SIZE [options]\n"
	"  --kind posix|sysv|memfd  shm_open on /dev/shm, shmget, or memfd_create (default)\n"
	"  --size SIZE      the segment's size (required)\n"
	"  --chunk SIZE     write this much between reports (default 8M)\n"
	"  --keep           posix, sysv: keep the name or segment id while holding, so that\n"
	"                   a kill frees nothing (default: removed once mapped, so the memory\n"
	"                   lives exactly as long as this process)\n"
	"  --exit           exit 0 when filled; a posix or sysv segment stays behind in memory\n"
	"                   with no owner (unless kernel.shm_rmid_forced), a memfd is freed\n"
	"  --host           allow running outside an oomlab guest\n"
	"The kinds are refused in different places: sysv charges the whole size to the commit\n"
	"limit at shmget; posix and memfd charge page by page as they are written, so a refusal\n"
	"there is a SIGBUS, reported as enomem what=touch sig=7.\n"
	"Reports (one line each): ready, grow, enomem, error, holding, orphaned;\n"
	"see docs/PROTOCOL.md.\n";

enum shmhog_kind { SHMHOG_MEMFD, SHMHOG_POSIX, SHMHOG_SYSV };
static const char *const kind_names[] = { "memfd", "posix", "sysv" };

struct shmhog_opts {
	enum shmhog_kind kind;
	unsigned long long size;
	unsigned long long chunk;
	int keep;
	int exit_when_done;
	int host;
};

/* The segment: its name or id while it has one, and where it is mapped. */
struct shmhog_seg {
	char name[64]; /* posix; "" once unlinked */
	int id;	       /* sysv; -1 once removed */
	char *p;
};

static sigjmp_buf bus_jmp;

static void parse_opts(int argc, char **argv, struct shmhog_opts *o)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "size", required_argument, NULL, 's' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "keep", no_argument, NULL, 'K' },
		{ "exit", no_argument, NULL, 'x' },
		{ "host", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, '?' },
		{ NULL, 0, NULL, 0 },
	};
	int c, i;

	*o = (struct shmhog_opts){ .kind = SHMHOG_MEMFD, .chunk = 8ULL << 20 };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			for (i = 0; i < 3 && strcmp(optarg, kind_names[i]); i++)
				;
			if (i == 3) {
				fprintf(stderr,
					"shmhog: --kind takes posix, sysv or memfd, found '%s'\n",
					optarg);
				exit(2);
			}
			o->kind = (enum shmhog_kind)i;
			break;
		case 's': o->size = wl_size("shmhog", "--size", optarg); break;
		case 'c': o->chunk = wl_size("shmhog", "--chunk", optarg); break;
		case 'K': o->keep = 1; break;
		case 'x': o->exit_when_done = 1; break;
		case 'h': o->host = 1; break;
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (optind < argc || !o->size || !o->chunk) {
		fprintf(stderr, "shmhog: %s\n%s",
			optind < argc ? "unexpected argument" :
			!o->size ? "--size is required and above 0" : "--chunk must be above 0",
			usage);
		exit(2);
	}
}

/* A refusal for lack of memory is the fact we are after; anything else is a broken setup. */
static void report_failure(const char *what, int err, unsigned long long want)
{
	if (err == ENOMEM || err == ENOSPC)
		wl_report("enomem", "bytes=0 want=%llu errno=%d what=%s", want, err, what);
	else
		wl_report("error", "what=%s errno=%d", what, err);
}

/* Creates and maps a posix or memfd segment. Returns 0, or the errno after reporting it. */
static int create_fd_seg(const struct shmhog_opts *o, struct shmhog_seg *s)
{
	const char *what = o->kind == SHMHOG_POSIX ? "shm_open" : "memfd_create";
	int fd, err;

	if (o->kind == SHMHOG_POSIX) {
		snprintf(s->name, sizeof(s->name), "/oomlab-shmhog.%d", (int)getpid());
		fd = shm_open(s->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	} else {
		fd = memfd_create("oomlab-shmhog", MFD_CLOEXEC);
	}
	if (fd < 0)
		goto fail;
	what = "ftruncate";
	if (ftruncate(fd, (off_t)o->size) < 0)
		goto fail;
	what = "mmap";
	s->p = mmap(NULL, o->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s->p == MAP_FAILED)
		goto fail;
	close(fd); /* the mapping holds the file */
	return 0;
fail:
	err = errno;
	if (fd >= 0)
		close(fd);
	if (fd >= 0 && s->name[0]) /* leave nothing behind that holds no memory */
		shm_unlink(s->name);
	report_failure(what, err, o->size);
	return err;
}

/* Creates and attaches a sysv segment. Returns 0, or the errno after reporting it. */
static int create_sysv_seg(const struct shmhog_opts *o, struct shmhog_seg *s)
{
	int err;

	s->id = shmget(IPC_PRIVATE, o->size, IPC_CREAT | 0600);
	if (s->id < 0) {
		err = errno;
		report_failure("shmget", err, o->size);
		return err;
	}
	s->p = shmat(s->id, NULL, 0);
	if (s->p == (void *)-1) {
		err = errno;
		shmctl(s->id, IPC_RMID, NULL);
		report_failure("shmat", err, o->size);
		return err;
	}
	return 0;
}

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/*
 * Writes every byte of the segment in chunks, reporting each. A page the kernel cannot back
 * (tmpfs full, or the commit limit under vm.overcommit_memory=2) raises SIGBUS rather than
 * an errno; the handler jumps back here. Returns the bytes filled.
 */
static unsigned long long touch(const struct shmhog_opts *o, char *p)
{
	static volatile unsigned long long held, want;
	unsigned long long seed = 0;
	struct sigaction sa = { .sa_handler = on_sigbus };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	held = 0;
	if (sigsetjmp(bus_jmp, 1)) {
		signal(SIGBUS, SIG_DFL);
		wl_report("enomem", "bytes=%llu want=%llu what=touch sig=%d", held, want, SIGBUS);
		return held;
	}
	while (held < o->size) {
		want = o->size - held < o->chunk ? o->size - held : o->chunk;
		/* incompressible: zram, if it backs swap, must pay for every page */
		wl_fill(p + held, want, &seed);
		held += want;
		wl_report("grow", "bytes=%llu", held);
	}
	signal(SIGBUS, SIG_DFL);
	return held;
}

int main(int argc, char **argv)
{
	struct shmhog_opts o;
	struct shmhog_seg s = { .name = "", .id = -1 };
	unsigned long long held;
	int err;

	parse_opts(argc, argv, &o);
	wl_guard("shmhog", o.host);
	wl_report("ready", "kind=%s", kind_names[o.kind]);
	err = o.kind == SHMHOG_SYSV ? create_sysv_seg(&o, &s) : create_fd_seg(&o, &s);
	if (err == ENOMEM || err == ENOSPC) {
		wl_report("holding", "bytes=0 kind=%s", kind_names[o.kind]);
		goto hold;
	}
	if (err)
		return 1;

	if (!o.keep && !o.exit_when_done) {
		/* the mapping alone keeps the memory now: a kill frees it like any other */
		if (s.name[0] && !shm_unlink(s.name))
			s.name[0] = '\0';
		if (s.id >= 0 && !shmctl(s.id, IPC_RMID, NULL))
			s.id = -1;
	}
	held = touch(&o, s.p);
	wl_report("holding", "bytes=%llu kind=%s", held, kind_names[o.kind]);
	if (o.exit_when_done && s.name[0])
		wl_report("orphaned", "kind=posix name=%s bytes=%llu", s.name, held);
	if (o.exit_when_done && s.id >= 0)
		wl_report("orphaned", "kind=sysv id=%d bytes=%llu rmid_forced=%lld", s.id, held,
			  wl_file_ll("/proc/sys/kernel/shm_rmid_forced"));
hold:
	wl_hold(o.exit_when_done);
}
